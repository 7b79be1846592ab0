#include "common/rpc/call_audit.h"

#include <utility>

#include "absl/time/clock.h"
#include "common/db/sql.h"

namespace unionhub::rpc {
namespace {

thread_local CallAudit* current_call_audit = nullptr;

}  // namespace

void InsertAuditRow(db::Connection& conn, const AuditRow& row) {
  // The call's own time, not the insert's: a row written after an outage
  // still says when the call happened.
  db::Execute(conn,
              "INSERT INTO audit_trail (recorded_at, actor, roles, method, "
              "target, request_id, result, detail) VALUES (?, ?, ?, ?, ?, "
              "?, ?, ?)",
              absl::FormatTime("%Y-%m-%d %H:%M:%E6S", row.recorded_at,
                               absl::UTCTimeZone()),
              row.actor, row.roles, row.method, row.target, row.request_id,
              row.result, row.detail);
}

CallAudit::CallAudit(AuditRow row)
    : row_(std::move(row)), previous_(current_call_audit) {
  current_call_audit = this;
}

CallAudit::~CallAudit() { current_call_audit = previous_; }

CallAudit* CallAudit::Pending() {
  CallAudit* audit = current_call_audit;
  return audit != nullptr && !audit->committed_ ? audit : nullptr;
}

void CallAudit::Write(db::Connection& conn) {
  row_.recorded_at = absl::Now();
  InsertAuditRow(conn, row_);
}

}  // namespace unionhub::rpc
