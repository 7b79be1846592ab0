#include "services/awards/domain/scoring.h"

#include <gtest/gtest.h>

namespace unionhub::awards::scoring {
namespace {

TEST(DivideHalfUp, RoundsHalvesUpAndTheRestToNearest) {
  EXPECT_EQ(DivideHalfUp(0, 3), 0);
  EXPECT_EQ(DivideHalfUp(10, 4), 3);  // 2.5 -> 3
  EXPECT_EQ(DivideHalfUp(9, 4), 2);   // 2.25 -> 2
  EXPECT_EQ(DivideHalfUp(11, 4), 3);  // 2.75 -> 3
  EXPECT_EQ(DivideHalfUp(1, 3), 0);   // 0.33 -> 0
  EXPECT_EQ(DivideHalfUp(2, 3), 1);   // 0.67 -> 1
  EXPECT_EQ(DivideHalfUp(7, 7), 1);
}

TEST(ScoreEvent, NoScoresIsZero) {
  const EventPoints p = ScoreEvent({});
  EXPECT_EQ(p.points_centi, 0);
  EXPECT_EQ(p.counted, 0);
  EXPECT_EQ(p.dropped, 0);
}

TEST(ScoreEvent, FourJudgesKeepEveryScore) {
  // 90 + 80 + 70 + 100 = 340 / 4 = 85.00; nothing dropped below five.
  const EventPoints p = ScoreEvent({9000, 8000, 7000, 10000});
  EXPECT_EQ(p.points_centi, 8500);
  EXPECT_EQ(p.counted, 4);
  EXPECT_EQ(p.dropped, 0);
}

TEST(ScoreEvent, FiveJudgesDropTheHighestAndTheLowest) {
  // Drop 100.00 and 70.00: (90 + 80 + 85) / 3 = 85.00.
  const EventPoints p = ScoreEvent({9000, 8000, 7000, 10000, 8500});
  EXPECT_EQ(p.points_centi, 8500);
  EXPECT_EQ(p.counted, 3);
  EXPECT_EQ(p.dropped, 2);
}

TEST(ScoreEvent, TheFifthJudgeChangesTheResult) {
  // Same four scores as above plus an outlier: without the drop rule the
  // mean would be (340 + 10) / 5 = 70.00; with it (90 + 80 + 70) / 3.
  const EventPoints four = ScoreEvent({9000, 8000, 7000, 10000});
  const EventPoints five = ScoreEvent({9000, 8000, 7000, 10000, 1000});
  EXPECT_EQ(four.points_centi, 8500);
  EXPECT_EQ(five.points_centi, 8000);
  EXPECT_EQ(five.dropped, 2);
}

TEST(ScoreEvent, OnlyOneOfEachRepeatedExtremeIsDropped) {
  // Two judges gave 100.00 and two gave 60.00: one of each goes, leaving
  // 100 + 80 + 60 = 240 / 3 = 80.00.
  const EventPoints p = ScoreEvent({10000, 10000, 8000, 6000, 6000});
  EXPECT_EQ(p.points_centi, 8000);
  EXPECT_EQ(p.counted, 3);
}

TEST(ScoreEvent, AllEqualWithSixJudges) {
  const EventPoints p = ScoreEvent({9250, 9250, 9250, 9250, 9250, 9250});
  EXPECT_EQ(p.points_centi, 9250);
  EXPECT_EQ(p.counted, 4);
  EXPECT_EQ(p.dropped, 2);
}

TEST(ScoreEvent, MeanRoundsHalfUpToHundredths) {
  // 95.12 + 95.13 = 190.25 / 2 = 95.125 -> 95.13.
  EXPECT_EQ(ScoreEvent({9512, 9513}).points_centi, 9513);
  // 95.12 + 95.12 + 95.13 = 285.37 / 3 = 95.1233 -> 95.12.
  EXPECT_EQ(ScoreEvent({9512, 9512, 9513}).points_centi, 9512);
  // 95.12 + 95.13 + 95.13 = 285.38 / 3 = 95.1267 -> 95.13.
  EXPECT_EQ(ScoreEvent({9512, 9513, 9513}).points_centi, 9513);
  // Five judges, trimmed to 88.01, 88.02, 88.02 = 264.05 / 3 = 88.0167.
  EXPECT_EQ(ScoreEvent({9900, 8801, 8802, 8802, 5000}).points_centi, 8802);
}

TEST(Overall, UnweightedIsTheSum) {
  EXPECT_EQ(Overall({{9513, 0}, {8802, 0}}), 18315);
  EXPECT_EQ(Overall({}), 0);
}

TEST(Overall, WeightedRoundsOnceAtTheEnd) {
  // 95.13 x 60 % + 88.02 x 40 % = 57.078 + 35.208 = 92.286 -> 92.29.
  EXPECT_EQ(Overall({{9513, 6000}, {8802, 4000}}), 9229);
  // Three events at 3333, 3333 and 3334 bp:
  // (10000 x 3333 + 10000 x 3333 + 10000 x 3334) / 10000 = 100.00 exactly.
  EXPECT_EQ(Overall({{10000, 3333}, {10000, 3333}, {10000, 3334}}), 10000);
  // 0.5 hundredth rounds up: 1 x 5000 / 10000.
  EXPECT_EQ(Overall({{1, 5000}, {0, 5000}}), 1);
}

TEST(CompetitionRanks, TiesShareARankAndTheNextIsSkipped) {
  EXPECT_EQ(CompetitionRanks({9500, 9500, 9000}),
            (std::vector<int32_t>{1, 1, 3}));
  EXPECT_EQ(CompetitionRanks({9800, 9500, 9500, 9500, 9000, 9000, 1}),
            (std::vector<int32_t>{1, 2, 2, 2, 5, 5, 7}));
  EXPECT_EQ(CompetitionRanks({7, 7, 7}), (std::vector<int32_t>{1, 1, 1}));
  EXPECT_TRUE(CompetitionRanks({}).empty());
}

}  // namespace
}  // namespace unionhub::awards::scoring
