// Finance's books checked against themselves after a fault: every charge
// paid exactly by its allocations, and the ledger's hash chain and balance.
#ifndef UNIONHUB_TESTS_FAULT_FINANCE_CHECKS_H_
#define UNIONHUB_TESTS_FAULT_FINANCE_CHECKS_H_

#include "tests/fault/calls.h"
#include "tests/fault/fault_fixture.h"

namespace unionhub::testing {

// Charges whose paid_fen is not the sum of their allocations (0 expected).
inline constexpr char kChargesOffTheirAllocations[] =
    "SELECT COUNT(*) FROM dues_charges c WHERE c.paid_fen <> (SELECT "
    "COALESCE(SUM(a.amount_fen), 0) FROM dues_allocations a WHERE "
    "a.member_id = c.member_id AND a.month = c.month)";

// Waits (up to 30 s: the sealer may be catching up after the fault) until
// VerifyLedger says the ledger is intact and balanced; the last answer in
// `verified`.
inline bool LedgerVerifies(finance::v1::AuditService::Stub& stub,
                           finance::v1::VerifyLedgerResponse* verified) {
  return WaitFor(
      [&] {
        auto v = Call(stub, &finance::v1::AuditService::Stub::VerifyLedger,
                      finance::v1::VerifyLedgerRequest());
        *verified = v.response;
        return v.ok() && v.response.intact() && v.response.ledger_balanced();
      },
      absl::Seconds(30));
}

}  // namespace unionhub::testing

#endif  // UNIONHUB_TESTS_FAULT_FINANCE_CHECKS_H_
