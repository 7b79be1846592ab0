#include "services/finance/domain/arrears.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <vector>

#include "absl/time/civil_time.h"

namespace unionhub::finance::domain {
namespace {

// Wide sums: per-month totals and the grand total may exceed int64 for
// absurd inputs, and this function cannot report an error.
using Wide = __int128;

struct MonthTotal {
  Wide due = 0;
  Wide paid = 0;
};

Fen Saturate(Wide v) {
  constexpr Wide kMax = std::numeric_limits<Fen>::max();
  constexpr Wide kMin = std::numeric_limits<Fen>::min();
  return static_cast<Fen>(std::clamp(v, kMin, kMax));
}

}  // namespace

Standing Evaluate(const std::vector<MonthStanding>& charges,
                  absl::CivilMonth current_month) {
  std::map<absl::CivilMonth, MonthTotal> past;  // ordered oldest first
  for (const MonthStanding& c : charges) {
    if (c.month >= current_month) continue;  // not late yet
    MonthTotal& t = past[c.month];
    t.due += c.due;
    t.paid += c.paid;
  }

  Standing s;
  Wide outstanding = 0;
  int run = 0;  // the run ending at the month just examined
  for (const auto& [month, t] : past) {
    if (t.due > t.paid) {
      ++s.months_in_arrears;
      outstanding += t.due - t.paid;
      ++run;
      s.longest_consecutive_unpaid =
          std::max(s.longest_consecutive_unpaid, run);
    } else {
      run = 0;
    }
  }
  s.lapse_candidate = run >= kLapseAfterUnpaidMonths;
  s.outstanding = Saturate(outstanding);
  return s;
}

}  // namespace unionhub::finance::domain
