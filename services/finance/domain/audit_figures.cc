#include "services/finance/domain/audit_figures.h"

#include <algorithm>

namespace unionhub::finance::domain {
namespace {

// The values of SpendingCategory (finance.proto) that are flagged. Kept as
// numbers so the pure rules need no generated code.
constexpr int kHospitality = 13;
constexpr int kRatingContest = 14;

// 128-bit sums: an identity over int64 totals must not overflow.
using Wide = __int128;

}  // namespace

int64_t CollectionRateBp(Fen paid, Fen due) {
  if (due <= 0 || paid <= 0) return 0;
  return money::RatioBasisPoints(paid, due);
}

int64_t ShareBp(Fen part, Fen whole) {
  if (whole <= 0 || part <= 0) return 0;
  return money::RatioBasisPoints(part, whole);
}

Fen Outstanding(const FundsTotals& t) { return t.appropriation - t.collected; }

bool FundsBalanced(const FundsTotals& t) {
  const Wide accounted = static_cast<Wide>(t.returned) + t.upward +
                         t.preparation_held - t.preparation_returned;
  return static_cast<Wide>(t.collected) == accounted;
}

bool IsFlaggedCategory(int category) {
  return category == kHospitality || category == kRatingContest;
}

std::vector<int> YearsCovered(absl::CivilMonth from, absl::CivilMonth to) {
  std::vector<int> years;
  if (to < from) return years;
  for (auto y = from.year(); y <= to.year(); ++y) {
    years.push_back(static_cast<int>(y));
  }
  return years;
}

}  // namespace unionhub::finance::domain
