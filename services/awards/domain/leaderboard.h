// The leaderboard of a competition from its entrants and the judges'
// scores: per event and overall, ranked with shared ranks (scoring.h).
// Pure: the caller loads the rows.
#ifndef UNIONHUB_SERVICES_AWARDS_DOMAIN_LEADERBOARD_H_
#define UNIONHUB_SERVICES_AWARDS_DOMAIN_LEADERBOARD_H_

#include <vector>

#include "unionhub/awards/v1/competition.pb.h"

namespace unionhub::awards {

namespace v1 = ::unionhub::awards::v1;

// Scores of entrants or events not in `competition`/`entrants` are ignored.
v1::GetLeaderboardResponse BuildLeaderboard(
    const v1::Competition& competition,
    const std::vector<v1::Entrant>& entrants,
    const std::vector<v1::Score>& scores);

}  // namespace unionhub::awards

#endif  // UNIONHUB_SERVICES_AWARDS_DOMAIN_LEADERBOARD_H_
