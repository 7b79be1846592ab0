#include "services/awards/domain/leaderboard.h"

#include <algorithm>
#include <map>

#include "services/awards/domain/scoring.h"

namespace unionhub::awards {
namespace {

v1::LeaderboardRow RowFor(const v1::Entrant& e) {
  v1::LeaderboardRow row;
  row.set_entrant_id(e.entrant_id());
  row.set_name(e.name());
  row.set_member_id(e.member_id());
  row.set_employer_org_id(e.employer_org_id());
  row.set_employer_name(e.employer_name());
  return row;
}

// Highest points first, then by entrant id so the order is stable; equal
// points share a rank.
void Rank(google::protobuf::RepeatedPtrField<v1::LeaderboardRow>* rows) {
  std::sort(rows->begin(), rows->end(),
            [](const v1::LeaderboardRow& a, const v1::LeaderboardRow& b) {
              if (a.points_centi() != b.points_centi()) {
                return a.points_centi() > b.points_centi();
              }
              return a.entrant_id() < b.entrant_id();
            });
  std::vector<int64_t> points;
  for (const v1::LeaderboardRow& r : *rows) points.push_back(r.points_centi());
  const std::vector<int32_t> ranks = scoring::CompetitionRanks(points);
  for (int i = 0; i < rows->size(); ++i) rows->Mutable(i)->set_rank(ranks[i]);
}

}  // namespace

v1::GetLeaderboardResponse BuildLeaderboard(
    const v1::Competition& competition,
    const std::vector<v1::Entrant>& entrants,
    const std::vector<v1::Score>& scores) {
  std::map<int64_t, const v1::Entrant*> by_id;
  for (const v1::Entrant& e : entrants) by_id[e.entrant_id()] = &e;
  // event -> entrant -> the judges' scores
  std::map<int64_t, std::map<int64_t, std::vector<int64_t>>> given;
  for (const v1::Score& s : scores) {
    if (by_id.count(s.entrant_id()) == 0) continue;
    given[s.event_id()][s.entrant_id()].push_back(s.points_centi());
  }

  v1::GetLeaderboardResponse out;
  out.set_status(competition.status());
  // entrant -> its points on each event, in the competition's event order
  std::map<int64_t, std::vector<scoring::Weighted>> per_entrant;
  std::map<int64_t, std::pair<int32_t, int32_t>> counts;  // counted, dropped
  for (int i = 0; i < competition.events_size(); ++i) {
    const v1::CompetitionEvent& event = competition.events(i);
    v1::EventLeaderboard* board = out.add_events();
    board->set_event_id(event.event_id());
    board->set_event_name(event.name());
    for (const auto& [entrant_id, judged] : given[event.event_id()]) {
      const scoring::EventPoints points = scoring::ScoreEvent(judged);
      v1::LeaderboardRow* row = board->add_rows();
      *row = RowFor(*by_id[entrant_id]);
      row->set_points_centi(points.points_centi);
      row->set_scores_counted(points.counted);
      row->set_scores_dropped(points.dropped);
      std::vector<scoring::Weighted>& mine = per_entrant[entrant_id];
      mine.resize(competition.events_size());
      mine[i] = {points.points_centi, event.weight_bp()};
      counts[entrant_id].first += points.counted;
      counts[entrant_id].second += points.dropped;
    }
    Rank(board->mutable_rows());
  }
  for (auto& [entrant_id, events] : per_entrant) {
    // An event without a score counts 0, with its weight.
    for (int i = 0; i < competition.events_size(); ++i) {
      events[i].weight_bp = competition.events(i).weight_bp();
    }
    v1::LeaderboardRow* row = out.add_overall();
    *row = RowFor(*by_id[entrant_id]);
    row->set_points_centi(scoring::Overall(events));
    row->set_scores_counted(counts[entrant_id].first);
    row->set_scores_dropped(counts[entrant_id].second);
  }
  Rank(out.mutable_overall());
  return out;
}

}  // namespace unionhub::awards
