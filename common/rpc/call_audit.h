// The audit row of an allowed mutating call, written by the call's own
// transaction (docs/performance.md, issue 13).
//
// Written on its own after the handler, the row was a second commit, so a
// second fsync, per acknowledged call (half the throughput of one caller);
// it could be lost when the process died between the two commits; and an
// autocommit INSERT whose reply was lost was retried and could land twice.
// Inside the handler's transaction it commits or rolls back with the change
// it records and shares its fsync.
//
// Gate::Serve opens a CallAudit for each audited unary call;
// RunIdempotent (common/rpc/idempotent.h), the one path every mutation
// takes, writes it in its transaction: after the change succeeded, or
// beside the stored answer of a replay. Everything else -- refusals (at the
// gate, by validation, or by the transaction, which rolled back), calls
// whose handler never reached RunIdempotent on the serving thread, and
// client streams (imports commit batch by batch) -- is written by the gate
// on its own as before, through the AuditSpool.
#ifndef UNIONHUB_COMMON_RPC_CALL_AUDIT_H_
#define UNIONHUB_COMMON_RPC_CALL_AUDIT_H_

#include "common/db/pool.h"
#include "common/rpc/audit_guard.h"

namespace unionhub::rpc {

// One INSERT of `row` into audit_trail on `conn` (the gate's spool writer
// and CallAudit both use it).
void InsertAuditRow(db::Connection& conn, const AuditRow& row);

// The allowed call this thread serves, whose row (result OK) is still to
// be written. Current on this thread from construction to destruction.
class CallAudit {
 public:
  // `row` as Gate composes it, with result "OK" and no detail.
  explicit CallAudit(AuditRow row);
  ~CallAudit();
  CallAudit(const CallAudit&) = delete;
  CallAudit& operator=(const CallAudit&) = delete;

  // The current call's row while it is not yet committed; nullptr outside
  // an audited unary call, or once the row is committed (one row a call).
  static CallAudit* Pending();

  // Inserts the row on `conn`, inside the transaction the caller commits;
  // the time is now, so the row says when the change was made.
  void Write(db::Connection& conn);
  // The transaction that holds the row committed.
  void MarkCommitted() { committed_ = true; }
  bool committed() const { return committed_; }

 private:
  AuditRow row_;
  CallAudit* previous_;
  bool committed_ = false;
};

}  // namespace unionhub::rpc

#endif  // UNIONHUB_COMMON_RPC_CALL_AUDIT_H_
