#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "gtest/gtest.h"
#include "services/finance/domain/funds.h"

namespace unionhub::finance::domain {
namespace {

AllocationTable FourLevels() {
  AllocationTable t;
  t.province_code = "320000";
  t.effective_from = absl::CivilMonth(2020, 1);
  t.shares = {{"national", 1250},
              {"provincial", 2500},
              {"city", 2500},
              {"county", 3750}};
  return t;
}

Fen Sum(const CollectionSplit& split) {
  Fen sum = split.grassroots_return;
  for (const auto& part : split.upward) sum += part.second;
  return sum;
}

TEST(SplitWithRefundTest, NoRefundIsTheNormalSplit) {
  for (Fen collected : {0, 1, 3, 7, 97, 1000, 99999999, 123456789}) {
    absl::StatusOr<FundsSplit> normal =
        SplitCollectedFunds(collected, FourLevels());
    ASSERT_TRUE(normal.ok());
    absl::StatusOr<CollectionSplit> split =
        SplitWithRefund(collected, FourLevels(), 0);
    ASSERT_TRUE(split.ok()) << split.status();
    EXPECT_EQ(split->grassroots_return, normal->grassroots_return);
    EXPECT_EQ(split->refund_bonus, 0);
    EXPECT_EQ(split->upward, normal->upward);
    EXPECT_EQ(Sum(*split), collected) << collected;
  }
}

TEST(SplitWithRefundTest, RefundBelowTheNormalReturnChangesNothing) {
  // Normal return of 1000 is 600; a 50 % refund (500) is less.
  absl::StatusOr<CollectionSplit> split =
      SplitWithRefund(1000, FourLevels(), 500);
  ASSERT_TRUE(split.ok());
  EXPECT_EQ(split->grassroots_return, 600);
  EXPECT_EQ(split->refund_bonus, 0);
  EXPECT_EQ(Sum(*split), 1000);
}

TEST(SplitWithRefundTest, FullRefundLeavesNothingUpward) {
  absl::StatusOr<CollectionSplit> split =
      SplitWithRefund(99999999, FourLevels(), 99999999);
  ASSERT_TRUE(split.ok());
  EXPECT_EQ(split->grassroots_return, 99999999);
  // floor(40 %) = 39999999 goes upward normally; the rest is the return.
  EXPECT_EQ(split->refund_bonus, 39999999);
  ASSERT_EQ(split->upward.size(), 4u);
  for (const auto& part : split->upward) EXPECT_EQ(part.second, 0);
}

TEST(SplitWithRefundTest, PartialRefundSplitsTheRestByTheTable) {
  // 80 % of 1001 = 800.8 -> 801 (half up by RefundFor); 200 upward.
  absl::StatusOr<CollectionSplit> split =
      SplitWithRefund(1001, FourLevels(), 801);
  ASSERT_TRUE(split.ok());
  EXPECT_EQ(split->grassroots_return, 801);
  // Normal: upward floor(400.4) = 400, return 601.
  EXPECT_EQ(split->refund_bonus, 200);
  ASSERT_EQ(split->upward.size(), 4u);
  EXPECT_EQ(split->upward[0], std::make_pair(std::string("national"), Fen{25}));
  EXPECT_EQ(split->upward[1].second, 50);
  EXPECT_EQ(split->upward[2].second, 50);
  EXPECT_EQ(split->upward[3].second, 75);
  EXPECT_EQ(Sum(*split), 1001);
}

TEST(SplitWithRefundTest, AwkwardAmountsSumExactly) {
  for (Fen collected : {1, 2, 3, 5, 7, 11, 13, 9973, 99999999}) {
    for (int64_t bp : {6001, 7000, 8333, 9999, 10000}) {
      const Fen refund = RefundFor(
          collected,
          {{absl::CivilMonth(2020, 1), absl::CivilMonth(2020, 12), false, bp}},
          absl::CivilMonth(2020, 6), false);
      absl::StatusOr<CollectionSplit> split =
          SplitWithRefund(collected, FourLevels(), refund);
      ASSERT_TRUE(split.ok()) << collected << " " << bp;
      EXPECT_EQ(Sum(*split), collected) << collected << " " << bp;
      EXPECT_GE(split->grassroots_return, refund);
      EXPECT_GE(split->refund_bonus, 0);
      for (const auto& part : split->upward) EXPECT_GE(part.second, 0);
    }
  }
}

TEST(SplitWithRefundTest, RefusesARefundOutsideTheCollectedAmount) {
  EXPECT_FALSE(SplitWithRefund(100, FourLevels(), 101).ok());
  EXPECT_FALSE(SplitWithRefund(100, FourLevels(), -1).ok());
  AllocationTable bad = FourLevels();
  bad.shares.pop_back();
  EXPECT_FALSE(SplitWithRefund(100, bad, 0).ok());
}

}  // namespace
}  // namespace unionhub::finance::domain
