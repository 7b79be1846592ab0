// Allocating a dues payment to a member's open months: oldest first unless
// the payment names a month, any overpayment kept as credit. Pure rules:
// the service loads the open charges and writes the allocations.
#ifndef UNIONHUB_SERVICES_FINANCE_DOMAIN_SETTLEMENT_H_
#define UNIONHUB_SERVICES_FINANCE_DOMAIN_SETTLEMENT_H_

#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "common/core/money.h"

namespace unionhub::finance::domain {

using money::Fen;

struct OpenCharge {
  absl::CivilMonth month;
  Fen due = 0;
  Fen paid = 0;
};

struct Allocation {
  absl::CivilMonth month;
  Fen amount = 0;
};

struct SettlementResult {
  // In the order the money was applied: the named month first (if any),
  // then oldest first. At most one allocation per month, never zero.
  std::vector<Allocation> allocations;
  // The overpayment, kept as credit for future months rather than refunded.
  Fen credit = 0;
};

// Allocates `amount` (> 0, else INVALID_ARGUMENT) to `open`:
// - with `named_month`, that month is paid first; it must be a month in
//   `open` that still owes something, else FAILED_PRECONDITION (a payer who
//   named a month that is already settled or never charged made a mistake
//   we should not silently reinterpret); the excess then goes oldest first;
// - without, oldest month first;
// - what remains is credit.
// The order of `open` does not matter. Charges with due <= paid are not
// open and are skipped. A negative due or paid, or the same month twice, is
// INVALID_ARGUMENT: the store must merge a month's charges before asking.
absl::StatusOr<SettlementResult> Settle(
    Fen amount, std::vector<OpenCharge> open,
    std::optional<absl::CivilMonth> named_month);

// Applies existing credit oldest first, exactly like an unnamed payment,
// except that a credit of 0 is not an error (nothing to apply: no
// allocations, credit 0). A negative credit is INVALID_ARGUMENT.
absl::StatusOr<SettlementResult> ApplyCredit(Fen credit,
                                             std::vector<OpenCharge> open);

}  // namespace unionhub::finance::domain

#endif  // UNIONHUB_SERVICES_FINANCE_DOMAIN_SETTLEMENT_H_
