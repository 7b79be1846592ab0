#include "services/finance/domain/audit_figures.h"

#include <cstdint>
#include <limits>
#include <vector>

#include "absl/time/civil_time.h"
#include "gtest/gtest.h"

namespace unionhub::finance::domain {
namespace {

TEST(CollectionRateTest, HalfUpBasisPoints) {
  struct Case {
    Fen paid, due;
    int64_t want;
  };
  for (const Case& c : std::vector<Case>{
           {0, 0, 0},
           {100, 0, 0},  // nothing due: no rate, not infinity
           {0, 100, 0},
           {100, 100, 10000},
           {1, 3, 3333},       // 3333.33
           {2, 3, 6667},       // 6666.67
           {1, 20000, 1},      // 0.5 bp -> 1
           {1, 20001, 0},      // 0.49995 bp
           {150, 100, 15000},  // overpaid
           {-5, 100, 0},
       }) {
    EXPECT_EQ(CollectionRateBp(c.paid, c.due), c.want)
        << c.paid << "/" << c.due;
  }
  const Fen big = std::numeric_limits<Fen>::max() / 2;
  EXPECT_EQ(CollectionRateBp(big, big), 10000);
}

TEST(ShareTest, FrontLineShare) {
  EXPECT_EQ(ShareBp(0, 0), 0);
  EXPECT_EQ(ShareBp(60, 100), 6000);
  EXPECT_EQ(ShareBp(1, 7), 1429);  // 1428.57
  EXPECT_EQ(ShareBp(5, -1), 0);
}

TEST(FundsTest, UnionFundsSplitBalances) {
  FundsTotals t;
  t.appropriation = 2000;
  t.collected = 1500;
  t.returned = 900;
  t.upward = 600;
  EXPECT_TRUE(FundsBalanced(t));
  EXPECT_EQ(Outstanding(t), 500);
  t.upward = 599;  // a fen missing
  EXPECT_FALSE(FundsBalanced(t));
}

TEST(FundsTest, PreparationFundHeldThenReleased) {
  FundsTotals t;
  t.collected = 1000;
  t.preparation_held = 1000;  // held whole
  EXPECT_TRUE(FundsBalanced(t));
  // Released: split 600 / 400 and recorded as returned from the holding.
  t.returned = 600;
  t.upward = 400;
  t.preparation_returned = 1000;
  EXPECT_TRUE(FundsBalanced(t));
  t.preparation_returned = 0;  // released but not recorded: counted twice
  EXPECT_FALSE(FundsBalanced(t));
}

TEST(FundsTest, MixedAndOverpaid) {
  FundsTotals t;
  t.appropriation = 100;
  t.collected = 3000;  // 1000 union funds + 2000 preparation, 500 released
  t.returned = 600 + 300;
  t.upward = 400 + 200;
  t.preparation_held = 2000;
  t.preparation_returned = 500;
  EXPECT_TRUE(FundsBalanced(t));
  EXPECT_EQ(Outstanding(t), -2900);
}

TEST(FundsTest, NoOverflowNearTheLimits) {
  FundsTotals t;
  const Fen max = std::numeric_limits<Fen>::max();
  t.collected = max;
  t.returned = max;
  t.upward = max;
  t.preparation_held = 0;
  t.preparation_returned = max;
  EXPECT_TRUE(FundsBalanced(t));
}

TEST(FlaggedTest, HospitalityAndRatingContests) {
  for (int c = 0; c <= 16; ++c) {
    EXPECT_EQ(IsFlaggedCategory(c), c == 13 || c == 14) << c;
  }
}

TEST(YearsTest, Covered) {
  EXPECT_EQ(YearsCovered(absl::CivilMonth(2025, 1), absl::CivilMonth(2025, 12)),
            std::vector<int>({2025}));
  EXPECT_EQ(YearsCovered(absl::CivilMonth(2024, 11), absl::CivilMonth(2026, 2)),
            std::vector<int>({2024, 2025, 2026}));
  EXPECT_TRUE(YearsCovered(absl::CivilMonth(2025, 2), absl::CivilMonth(2025, 1))
                  .empty());
}

}  // namespace
}  // namespace unionhub::finance::domain
