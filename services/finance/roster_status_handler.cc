// GetRosterStatus: how far the roster has followed membership's feed.
#include "absl/strings/str_cat.h"
#include "common/db/sql.h"
#include "services/finance/finance_service.h"
#include "services/finance/roster_consumer.h"

namespace unionhub::finance {

// A scoped caller sees the counts of its own subtree only: whole-tree
// counts would tell a township's clerk how many members and orgs exist
// outside it. The feed's progress (sequence, lag, connection) is the same
// for everyone and says nothing about any org.
absl::Status FinanceServiceImpl::DoGetRosterStatus(
    const rpc::Caller& caller, const v1::GetRosterStatusRequest&,
    v1::GetRosterStatusResponse* response) {
  if (roster_ != nullptr) *response = roster_->Status();
  return pool_.Run([&](db::Connection& conn) {
    const std::string pattern = absl::StrCat(caller.scope_path, "%");
    auto rs = db::Query(
        conn,
        "SELECT (SELECT last_sequence FROM roster_cursor WHERE id = 1) AS seq, "
        "(SELECT COUNT(*) FROM roster_members m LEFT JOIN roster_orgs o "
        "   ON o.org_id = m.org_id WHERE ? = '' OR o.path LIKE ?) AS members, "
        "(SELECT COUNT(*) FROM roster_orgs WHERE path LIKE ?) AS orgs",
        caller.scope_path, pattern, pattern);
    rs->next();
    response->set_last_applied_sequence(db::GetInt64(*rs, "seq"));
    response->set_members(db::GetInt64(*rs, "members"));
    response->set_orgs(db::GetInt64(*rs, "orgs"));
    return absl::OkStatus();
  });
}

}  // namespace unionhub::finance
