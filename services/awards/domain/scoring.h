// Contest scoring in integers (hundredths of a point): the judges' scores
// of one entrant on one event, the overall total over the events, and
// competition ranking with shared ranks. The rules are stated for users in
// proto/unionhub/awards/v1/competition.proto.
#ifndef UNIONHUB_SERVICES_AWARDS_DOMAIN_SCORING_H_
#define UNIONHUB_SERVICES_AWARDS_DOMAIN_SCORING_H_

#include <cstdint>
#include <vector>

namespace unionhub::awards::scoring {

// From this many scores on, one highest and one lowest are dropped.
inline constexpr int kMinScoresToTrim = 5;
inline constexpr int64_t kFullWeightBp = 10000;

// num / den rounded half up, for num >= 0 and den > 0.
int64_t DivideHalfUp(int64_t num, int64_t den);

struct EventPoints {
  int64_t points_centi = 0;  // the trimmed mean, half up
  int counted = 0;
  int dropped = 0;
};

// The event points from the scores of every judge who scored (in any
// order). No scores: all zero.
EventPoints ScoreEvent(std::vector<int64_t> scores_centi);

struct Weighted {
  int64_t points_centi = 0;
  int32_t weight_bp = 0;
};

// With every weight 0 the plain sum; otherwise sum(points x weight) / 10000
// rounded half up once at the end.
int64_t Overall(const std::vector<Weighted>& events);

// Competition ranks ("1224" ranking) for points already sorted highest
// first: equal points share the rank of the first of them.
std::vector<int32_t> CompetitionRanks(const std::vector<int64_t>& sorted_desc);

}  // namespace unionhub::awards::scoring

#endif  // UNIONHUB_SERVICES_AWARDS_DOMAIN_SCORING_H_
