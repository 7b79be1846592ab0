// GetRosterStatus: how far the roster has followed membership's feed.
#include "common/db/sql.h"
#include "services/finance/finance_service.h"
#include "services/finance/roster_consumer.h"

namespace unionhub::finance {

absl::Status FinanceServiceImpl::DoGetRosterStatus(
    const rpc::Caller&, const v1::GetRosterStatusRequest&,
    v1::GetRosterStatusResponse* response) {
  if (roster_ != nullptr) *response = roster_->Status();
  return pool_.Run([&](db::Connection& conn) {
    auto rs = db::Query(
        conn,
        "SELECT (SELECT last_sequence FROM roster_cursor WHERE id = 1) AS seq, "
        "(SELECT COUNT(*) FROM roster_members) AS members, "
        "(SELECT COUNT(*) FROM roster_orgs) AS orgs");
    rs->next();
    response->set_last_applied_sequence(db::GetInt64(*rs, "seq"));
    response->set_members(db::GetInt64(*rs, "members"));
    response->set_orgs(db::GetInt64(*rs, "orgs"));
    return absl::OkStatus();
  });
}

}  // namespace unionhub::finance
