#include "common/rpc/audit_trail_service.h"

#include <cppconn/resultset.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "common/core/violations.h"
#include "common/db/sql.h"
#include "common/db/timestamps.h"
#include "common/rpc/page_token.h"
#include "common/rpc/violations.h"

namespace unionhub::rpc {
namespace {}  // namespace

grpc::Status AuditTrailServiceImpl::ListAuditTrail(
    grpc::ServerContext* context,
    const common::v1::ListAuditTrailRequest* request,
    common::v1::ListAuditTrailResponse* response) {
  return gate_.Unary(
      *context, "unionhub.common.v1.AuditTrailService.ListAuditTrail", *request,
      response, [&](const Caller&) { return List(*request, response); });
}

absl::Status AuditTrailServiceImpl::List(
    const common::v1::ListAuditTrailRequest& req,
    common::v1::ListAuditTrailResponse* resp) {
  Violations violations;
  const Page page = ReadPage(req, violations);
  const int64_t before = page.after;
  if (!violations.empty()) return violations.ToStatus();
  // Newest first: the token holds the last id shown, the next page is older.
  std::string where = "1 = 1";
  if (before != 0) where += " AND id < ?";
  if (!req.actor().empty()) where += " AND actor = ?";
  if (!req.method().empty()) where += " AND method = ?";
  if (!req.result().empty()) where += " AND result = ?";
  if (req.has_since()) where += " AND recorded_at >= ?";
  if (req.has_until()) where += " AND recorded_at < ?";
  return pool_.Run([&](db::Connection& conn) -> absl::Status {
    sql::PreparedStatement& ps = conn.Prepare(absl::StrCat(
        "SELECT id, recorded_at, actor, roles, method, target, request_id, "
        "result, detail FROM audit_trail WHERE ",
        where, " ORDER BY id DESC LIMIT ?"));
    db::Binder binder(ps);
    if (before != 0) binder.Add(before);
    if (!req.actor().empty()) binder.Add(req.actor());
    if (!req.method().empty()) binder.Add(req.method());
    if (!req.result().empty()) binder.Add(req.result());
    if (req.has_since()) binder.Add(db::DbTimestamp(req.since()));
    if (req.has_until()) binder.Add(db::DbTimestamp(req.until()));
    binder.Add(static_cast<int64_t>(page.fetch()));
    std::unique_ptr<sql::ResultSet> rs(ps.executeQuery());
    while (rs->next()) {
      if (resp->records_size() == page.size) {
        resp->set_next_page_token(
            page.NextToken(resp->records(page.size - 1).record_id()));
        break;
      }
      common::v1::AuditRecord* record = resp->add_records();
      record->set_record_id(rs->getInt64("id"));
      db::SetFromDbTimestamp(db::GetString(*rs, "recorded_at"),
                             record->mutable_record_time());
      record->set_actor(db::GetString(*rs, "actor"));
      for (absl::string_view role : absl::StrSplit(db::GetString(*rs, "roles"),
                                                   ',', absl::SkipEmpty())) {
        record->add_roles(std::string(role));
      }
      record->set_method(db::GetString(*rs, "method"));
      record->set_target(db::GetString(*rs, "target"));
      record->set_request_id(db::GetString(*rs, "request_id"));
      record->set_result(db::GetString(*rs, "result"));
      record->set_detail(db::GetString(*rs, "detail"));
    }
    return absl::OkStatus();
  });
}

}  // namespace unionhub::rpc
