#include "services/awards/domain/scoring.h"

#include <algorithm>

namespace unionhub::awards::scoring {

int64_t DivideHalfUp(int64_t num, int64_t den) {
  // Exact: num/den >= k + 1/2  <=>  2*num >= (2k + 1)*den.
  return (2 * num + den) / (2 * den);
}

EventPoints ScoreEvent(std::vector<int64_t> scores_centi) {
  EventPoints out;
  if (scores_centi.empty()) return out;
  int64_t sum = 0;
  int64_t low = scores_centi.front(), high = scores_centi.front();
  for (int64_t s : scores_centi) {
    sum += s;
    low = std::min(low, s);
    high = std::max(high, s);
  }
  out.counted = static_cast<int>(scores_centi.size());
  if (out.counted >= kMinScoresToTrim) {
    // One of each, even when several judges gave the same extreme.
    sum -= low + high;
    out.counted -= 2;
    out.dropped = 2;
  }
  out.points_centi = DivideHalfUp(sum, out.counted);
  return out;
}

int64_t Overall(const std::vector<Weighted>& events) {
  const bool weighted =
      std::any_of(events.begin(), events.end(),
                  [](const Weighted& e) { return e.weight_bp != 0; });
  int64_t total = 0;
  for (const Weighted& e : events) {
    total += weighted ? e.points_centi * e.weight_bp : e.points_centi;
  }
  return weighted ? DivideHalfUp(total, kFullWeightBp) : total;
}

std::vector<int32_t> CompetitionRanks(const std::vector<int64_t>& sorted_desc) {
  std::vector<int32_t> ranks(sorted_desc.size());
  for (size_t i = 0; i < sorted_desc.size(); ++i) {
    ranks[i] = (i > 0 && sorted_desc[i] == sorted_desc[i - 1])
                   ? ranks[i - 1]
                   : static_cast<int32_t>(i + 1);
  }
  return ranks;
}

}  // namespace unionhub::awards::scoring
