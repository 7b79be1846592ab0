// The figures auditors read (DOMAIN §5): collection rate, funds
// reconciliation, spending shares. Pure arithmetic over totals the
// reports load from the rollups, in integer fen and basis points.
#ifndef UNIONHUB_SERVICES_FINANCE_DOMAIN_AUDIT_FIGURES_H_
#define UNIONHUB_SERVICES_FINANCE_DOMAIN_AUDIT_FIGURES_H_

#include <cstdint>
#include <vector>

#include "absl/time/civil_time.h"
#include "common/core/money.h"

namespace unionhub::finance::domain {

using money::Fen;

// paid / due in basis points, rounded half up; 0 when nothing is due. Paid
// may exceed due (a correction, a payment before a re-assessment), so the
// rate may exceed 10000; it is never negative.
int64_t CollectionRateBp(Fen paid, Fen due);

// part / whole in basis points (front-line share of spending), 0 when the
// whole is 0 or negative.
int64_t ShareBp(Fen part, Fen whole);

// The union-funds figures of a subtree, an employer or a month.
struct FundsTotals {
  Fen declared_payroll = 0;
  Fen appropriation = 0;
  Fen collected = 0;
  Fen returned = 0;
  Fen upward = 0;
  Fen preparation_held = 0;
  Fen preparation_returned = 0;
};

// appropriation - collected (negative when more was collected than due).
Fen Outstanding(const FundsTotals& t);

// Every collected fen is accounted for:
//   collected == returned + upward + preparation_held - preparation_returned.
// Union funds are split when collected (returned + upward = collected).
// The preparation fund is first held whole (preparation_held); when the
// employer's union is established the holding is released and split like
// union funds, so returned and upward grow by the released amount and
// preparation_returned records it, which cancels the held amount again.
bool FundsBalanced(const FundsTotals& t);

// Spending categories auditors must look at: hospitality (公款接待) and
// rating contests (达标评比), SpendingCategory 13 and 14.
bool IsFlaggedCategory(int category);

// The calendar years `from`..`to` touch, in order (empty when to < from).
std::vector<int> YearsCovered(absl::CivilMonth from, absl::CivilMonth to);

}  // namespace unionhub::finance::domain

#endif  // UNIONHUB_SERVICES_FINANCE_DOMAIN_AUDIT_FIGURES_H_
