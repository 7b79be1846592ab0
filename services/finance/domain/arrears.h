// A member's dues standing: months in arrears, the longest run of unpaid
// months, and whether six consecutive unpaid months make them a lapse
// candidate (DOMAIN §3). Pure rules over the member's charged months.
//
// Choices, because DOMAIN says only "six consecutive unpaid months":
// - Only charged months count. A month with no charge (RETAINED, not yet a
//   member, not ACTIVE at month end) is neither paid nor unpaid: it neither
//   breaks nor extends a run. "Consecutive" therefore means consecutive in
//   the sequence of charged months, so Jan, Feb unpaid, Mar RETAINED, Apr
//   unpaid is a run of three. Retention is a pause, not a payment.
// - A charged month with due <= paid (including a 0-fen charge on a wage
//   under 10 yuan) is settled and ends a run.
// - The current month and later months are not late yet and are ignored.
// - lapse_candidate looks at the run ending at the latest past charged
//   month only: a member who paid their most recent month is in good
//   standing even if an older run of six is still unpaid (it still counts
//   in months_in_arrears, outstanding and longest_consecutive_unpaid).
#ifndef UNIONHUB_SERVICES_FINANCE_DOMAIN_ARREARS_H_
#define UNIONHUB_SERVICES_FINANCE_DOMAIN_ARREARS_H_

#include <vector>

#include "absl/time/civil_time.h"
#include "common/core/money.h"

namespace unionhub::finance::domain {

using money::Fen;

inline constexpr int kLapseAfterUnpaidMonths = 6;

// One charged month. Several entries for the same month are summed (a
// correction charge, or payments recorded separately).
struct MonthStanding {
  absl::CivilMonth month;
  Fen due = 0;
  Fen paid = 0;
};

struct Standing {
  int months_in_arrears = 0;
  int longest_consecutive_unpaid = 0;
  bool lapse_candidate = false;
  // Sum of due - paid over the months in arrears (past months only; the
  // current month's charge is owed but not yet in arrears). Saturates at
  // the int64 limit rather than overflowing.
  Fen outstanding = 0;
};

// `charges` in any order.
Standing Evaluate(const std::vector<MonthStanding>& charges,
                  absl::CivilMonth current_month);

}  // namespace unionhub::finance::domain

#endif  // UNIONHUB_SERVICES_FINANCE_DOMAIN_ARREARS_H_
