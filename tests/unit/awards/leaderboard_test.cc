#include "services/awards/domain/leaderboard.h"

#include <gtest/gtest.h>

namespace unionhub::awards {
namespace {

v1::Competition TwoEvents(int32_t weight_a, int32_t weight_b) {
  v1::Competition c;
  c.set_status(v1::COMPETITION_STATUS_FINISHED);
  v1::CompetitionEvent* a = c.add_events();
  a->set_event_id(10);
  a->set_name("手工点钞");
  a->set_weight_bp(weight_a);
  v1::CompetitionEvent* b = c.add_events();
  b->set_event_id(20);
  b->set_name("机器点钞");
  b->set_weight_bp(weight_b);
  return c;
}

std::vector<v1::Entrant> Entrants(int n) {
  std::vector<v1::Entrant> out;
  for (int i = 1; i <= n; ++i) {
    v1::Entrant e;
    e.set_entrant_id(i);
    e.set_member_id(100 + i);
    e.set_name("entrant " + std::to_string(i));
    out.push_back(e);
  }
  return out;
}

// Each judge j (1..count) gives `points[j-1]` to `entrant` on `event`.
void Judge(std::vector<v1::Score>& scores, int64_t entrant, int64_t event,
           const std::vector<int64_t>& points) {
  for (size_t j = 0; j < points.size(); ++j) {
    v1::Score s;
    s.set_entrant_id(entrant);
    s.set_event_id(event);
    s.set_judge("judge-" + std::to_string(j + 1));
    s.set_points_centi(points[j]);
    scores.push_back(s);
  }
}

TEST(Leaderboard, FiveJudgesTrimAndTiesShareARank) {
  std::vector<v1::Score> scores;
  // Entrant 1: trimmed (90, 90, 90) on A; entrant 2 ties on A through a
  // different spread; entrant 3 is below.
  Judge(scores, 1, 10, {9000, 9000, 9000, 10000, 5000});
  Judge(scores, 2, 10, {8900, 9000, 9100, 9900, 8000});
  Judge(scores, 3, 10, {8000, 8000, 8000, 8000, 8000});
  Judge(scores, 1, 20, {8000, 8000, 8000, 8000, 8000});
  Judge(scores, 2, 20, {8000, 8000, 8000, 8000, 8000});
  Judge(scores, 3, 20, {9000, 9000, 9000, 9000, 9000});
  const v1::GetLeaderboardResponse board =
      BuildLeaderboard(TwoEvents(0, 0), Entrants(3), scores);
  ASSERT_EQ(board.events_size(), 2);
  const v1::EventLeaderboard& a = board.events(0);
  ASSERT_EQ(a.rows_size(), 3);
  EXPECT_EQ(a.rows(0).entrant_id(), 1);
  EXPECT_EQ(a.rows(0).rank(), 1);
  EXPECT_EQ(a.rows(0).points_centi(), 9000);
  EXPECT_EQ(a.rows(0).scores_counted(), 3);
  EXPECT_EQ(a.rows(0).scores_dropped(), 2);
  EXPECT_EQ(a.rows(1).entrant_id(), 2);
  EXPECT_EQ(a.rows(1).rank(), 1);
  EXPECT_EQ(a.rows(2).rank(), 3);
  // Overall (unweighted sum): 170.00, 170.00, 170.00 — all tied.
  ASSERT_EQ(board.overall_size(), 3);
  for (const v1::LeaderboardRow& row : board.overall()) {
    EXPECT_EQ(row.points_centi(), 17000);
    EXPECT_EQ(row.rank(), 1);
    EXPECT_EQ(row.scores_counted(), 6);
    EXPECT_EQ(row.scores_dropped(), 4);
  }
  EXPECT_EQ(board.status(), v1::COMPETITION_STATUS_FINISHED);
}

TEST(Leaderboard, FourJudgesKeepEveryScoreAndWeightsApply) {
  std::vector<v1::Score> scores;
  Judge(scores, 1, 10, {10000, 6000, 8000, 8000});  // 80.00, nothing dropped
  Judge(scores, 1, 20, {9000, 9000, 9000, 9000});   // 90.00
  Judge(scores, 2, 10, {9000, 9000, 9000, 9000});   // 90.00
  Judge(scores, 2, 20, {7000, 7000, 7000, 7000});   // 70.00
  // 70 % on A: entrant 1 = 56 + 27 = 83.00; entrant 2 = 63 + 21 = 84.00.
  const v1::GetLeaderboardResponse board =
      BuildLeaderboard(TwoEvents(7000, 3000), Entrants(2), scores);
  EXPECT_EQ(board.events(0).rows(1).points_centi(), 8000);
  EXPECT_EQ(board.events(0).rows(1).scores_dropped(), 0);
  ASSERT_EQ(board.overall_size(), 2);
  EXPECT_EQ(board.overall(0).entrant_id(), 2);
  EXPECT_EQ(board.overall(0).points_centi(), 8400);
  EXPECT_EQ(board.overall(1).entrant_id(), 1);
  EXPECT_EQ(board.overall(1).points_centi(), 8300);
  EXPECT_EQ(board.overall(1).rank(), 2);
}

TEST(Leaderboard, UnscoredEntrantsAndMissingEventsAreHandled) {
  std::vector<v1::Score> scores;
  Judge(scores, 1, 10, {9000});
  Judge(scores, 2, 20, {9500});
  Judge(scores, 99, 10, {10000});  // not an entrant: ignored
  const v1::GetLeaderboardResponse board =
      BuildLeaderboard(TwoEvents(0, 0), Entrants(3), scores);
  EXPECT_EQ(board.events(0).rows_size(), 1);
  EXPECT_EQ(board.events(1).rows_size(), 1);
  ASSERT_EQ(board.overall_size(), 2);  // entrant 3 has no score at all
  EXPECT_EQ(board.overall(0).entrant_id(), 2);
  EXPECT_EQ(board.overall(0).points_centi(), 9500);
  EXPECT_EQ(board.overall(1).points_centi(), 9000);
}

}  // namespace
}  // namespace unionhub::awards
