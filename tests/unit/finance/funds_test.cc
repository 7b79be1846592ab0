#include "services/finance/domain/funds.h"

#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "gtest/gtest.h"

namespace unionhub::finance::domain {
namespace {

absl::CivilMonth M(int year, int month) {
  return absl::CivilMonth(year, month);
}

TEST(AppropriationTest, TwoPercentHalfUp) {
  struct Case {
    Fen payroll;
    Fen want;
  };
  for (const Case& c : std::vector<Case>{
           {0, 0},
           {1, 0},                // 0.02 fen
           {24, 0},               // 0.48
           {25, 1},               // 0.5 -> 1
           {74, 1},               // 1.48
           {75, 2},               // 1.5 -> 2
           {100000000, 2000000},  // 1,000,000 yuan -> 20,000 yuan
           {123456789, 2469136},  // 2469135.78
           {std::numeric_limits<Fen>::max(),
            // 9223372036854775807 * 2 / 100 = 184467440737095516.14
            184467440737095516},
       }) {
    EXPECT_EQ(Appropriation(c.payroll), c.want) << c.payroll;
  }
}

TEST(FundKindTest, PreparationFundWithoutAUnion) {
  EXPECT_EQ(KindFor(true), FundKind::kUnionFunds);
  EXPECT_EQ(KindFor(false), FundKind::kPreparationFund);
  // The amount is the same 2 % either way.
  EXPECT_EQ(Appropriation(5000000), 100000);
}

// National 5 % of the TOTAL is 1250 bp of the upward 40 %; the other three
// levels share the remaining 35 % of the total.
AllocationTable FiveLevels() {
  return AllocationTable{"44",
                         M(2020, 1),
                         {{"national", 1250},
                          {"provincial", 2750},
                          {"city", 3000},
                          {"county", 3000}}};
}

AllocationTable Thirds() {
  return AllocationTable{
      "11",
      M(2020, 1),
      {{"national", 3334}, {"provincial", 3333}, {"city", 3333}}};
}

AllocationTable OneLevel() {
  return AllocationTable{"31", M(2020, 1), {{"national", 10000}}};
}

AllocationTable WithZeroShare() {
  return AllocationTable{
      "50",
      M(2020, 1),
      {{"national", 5000}, {"provincial", 0}, {"city", 5000}}};
}

class SplitTest
    : public ::testing::TestWithParam<std::tuple<Fen, AllocationTable (*)()>> {
};

TEST_P(SplitTest, PartsSumExactlyAndFollowTheRules) {
  const Fen collected = std::get<0>(GetParam());
  const AllocationTable table = std::get<1>(GetParam())();
  absl::StatusOr<FundsSplit> split = SplitCollectedFunds(collected, table);
  ASSERT_TRUE(split.ok()) << split.status();

  // The upward part is floor(40 %): the grassroots union keeps the odd fen.
  const Fen upward_want =
      static_cast<Fen>(static_cast<__int128>(collected) * 4000 / 10000);
  EXPECT_EQ(split->grassroots_return, collected - upward_want);
  EXPECT_GE(static_cast<__int128>(split->grassroots_return) * 10000,
            static_cast<__int128>(collected) * 6000);

  ASSERT_EQ(split->upward.size(), table.shares.size());
  __int128 upward_sum = 0;
  for (size_t i = 0; i < table.shares.size(); ++i) {
    EXPECT_EQ(split->upward[i].first, table.shares[i].first);
    const Fen part = split->upward[i].second;
    upward_sum += part;
    // Each level gets its exact share of the upward part within 1 fen.
    const __int128 exact_times_10000 =
        static_cast<__int128>(upward_want) * table.shares[i].second;
    const __int128 diff =
        static_cast<__int128>(part) * 10000 - exact_times_10000;
    EXPECT_LT(diff, 10000) << table.shares[i].first;
    EXPECT_GT(diff, -10000) << table.shares[i].first;
  }
  EXPECT_EQ(upward_sum, upward_want);
  EXPECT_EQ(upward_sum + split->grassroots_return, collected);
}

INSTANTIATE_TEST_SUITE_P(
    AwkwardAmounts, SplitTest,
    ::testing::Combine(
        ::testing::Values<Fen>(0, 1, 2, 3, 7, 99, 100, 12345, 999999999,
                               1000000000, std::numeric_limits<Fen>::max()),
        ::testing::Values(&FiveLevels, &Thirds, &OneLevel, &WithZeroShare)));

struct SplitCase {
  Fen collected;
  Fen grassroots;
  std::vector<Fen> upward;  // in FiveLevels() order
};

class FiveLevelSplitTest : public ::testing::TestWithParam<SplitCase> {};

TEST_P(FiveLevelSplitTest, ExactParts) {
  const SplitCase& c = GetParam();
  absl::StatusOr<FundsSplit> split =
      SplitCollectedFunds(c.collected, FiveLevels());
  ASSERT_TRUE(split.ok()) << split.status();
  EXPECT_EQ(split->grassroots_return, c.grassroots);
  std::vector<Fen> upward;
  for (const auto& part : split->upward) upward.push_back(part.second);
  EXPECT_EQ(upward, c.upward);
}

INSTANTIATE_TEST_SUITE_P(
    Table, FiveLevelSplitTest,
    ::testing::Values(
        SplitCase{0, 0, {0, 0, 0, 0}},
        SplitCase{1, 1, {0, 0, 0, 0}},  // upward floor(0.4) = 0
        // upward floor(2.8) = 2: 0.25 / 0.55 / 0.6 / 0.6 -> floors 0, the
        // 2 leftover fen go to the largest remainders, city before county.
        SplitCase{7, 5, {0, 0, 1, 1}},
        // upward floor(39.6) = 39: 4.875 / 10.725 / 11.7 / 11.7 -> floors
        // 4+10+11+11 = 36; the 3 leftover fen go to the largest remainders
        // .875 (national), .725 (provincial), .7 (city before county).
        SplitCase{99, 60, {5, 11, 12, 11}},
        // 10,000.00 yuan: 60 % 6,000.00; national exactly 5 % = 500.00.
        SplitCase{1000000, 600000, {50000, 110000, 120000, 120000}},
        // upward floor(399999999.6) = 399999999; remainders .875, .725,
        // .7, .7: three leftover fen, the county gets none.
        SplitCase{999999999,
                  600000000,
                  {50000000, 110000000, 120000000, 119999999}}));

TEST(SplitTest, NationalFivePercentOfTotal) {
  for (Fen collected : std::vector<Fen>{1, 7, 99, 12345, 999999999, 1000000001,
                                        std::numeric_limits<Fen>::max()}) {
    absl::StatusOr<FundsSplit> split =
        SplitCollectedFunds(collected, FiveLevels());
    ASSERT_TRUE(split.ok());
    const __int128 national = split->upward[0].second;
    // national - 5 % of collected is in (-1.125, 1] fen: the 40 % floor
    // can cost up to 1 fen of the upward part (0.125 fen of national's
    // eighth), the level floor up to 1 fen, and the largest-remainder
    // split can add 1 fen back.
    const __int128 diff_800ths =
        national * 800 - static_cast<__int128>(collected) * 40;
    EXPECT_GT(diff_800ths, -900) << collected;
    EXPECT_LE(diff_800ths, 800) << collected;
  }
}

TEST(SplitTest, Rejects) {
  EXPECT_EQ(SplitCollectedFunds(-1, FiveLevels()).status().code(),
            absl::StatusCode::kInvalidArgument);
  AllocationTable bad = FiveLevels();
  bad.shares[0].second = 1249;
  absl::StatusOr<FundsSplit> split = SplitCollectedFunds(100, bad);
  EXPECT_EQ(split.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(split.status().message().find("shares"), std::string::npos);
}

struct TableValidationCase {
  std::string name;
  AllocationTable table;
  std::vector<std::string> bad_fields;
};

class ValidateTableTest : public ::testing::TestWithParam<TableValidationCase> {
};

TEST_P(ValidateTableTest, NamesEveryBadField) {
  std::vector<std::string> fields;
  const Violations violations = ValidateAllocationTable(GetParam().table);
  for (const auto& v : violations.list()) {
    fields.push_back(v.field);
  }
  EXPECT_EQ(fields, GetParam().bad_fields);
}

INSTANTIATE_TEST_SUITE_P(
    Table, ValidateTableTest,
    ::testing::Values(
        TableValidationCase{"Good", FiveLevels(), {}},
        TableValidationCase{"GoodZeroShare", WithZeroShare(), {}},
        TableValidationCase{"NoProvince",
                            {"", M(2020, 1), {{"national", 10000}}},
                            {"province_code"}},
        TableValidationCase{"NoShares", {"44", M(2020, 1), {}}, {"shares"}},
        TableValidationCase{
            "SumTooLow",
            {"44", M(2020, 1), {{"national", 5000}, {"city", 4999}}},
            {"shares"}},
        TableValidationCase{
            "SumTooHigh",
            {"44", M(2020, 1), {{"national", 5000}, {"city", 5001}}},
            {"shares"}},
        TableValidationCase{
            "NegativeShare",
            {"44", M(2020, 1), {{"national", 10001}, {"city", -1}}},
            {"shares[0].bp", "shares[1].bp"}},
        TableValidationCase{
            "EmptyAndDuplicateLevel",
            {"44", M(2020, 1), {{"", 2000}, {"city", 4000}, {"city", 4000}}},
            {"shares[0].level", "shares[2].level"}}),
    [](const auto& info) { return info.param.name; });

TEST(TableForTest, LatestEffectiveInTheProvince) {
  std::vector<AllocationTable> tables = {
      {"44", M(2020, 1), {{"national", 10000}}},
      {"44", M(2023, 7), {{"national", 5000}, {"provincial", 5000}}},
      {"11", M(2024, 1), {{"national", 10000}}},
      {"44", M(2025, 1), {{"national", 2500}, {"provincial", 7500}}},
  };
  EXPECT_EQ(TableFor(tables, "44", M(2019, 12)), nullptr);
  EXPECT_EQ(TableFor(tables, "44", M(2020, 1)), &tables[0]);
  EXPECT_EQ(TableFor(tables, "44", M(2023, 6)), &tables[0]);
  EXPECT_EQ(TableFor(tables, "44", M(2023, 7)), &tables[1]);
  EXPECT_EQ(TableFor(tables, "44", M(2024, 12)), &tables[1]);
  EXPECT_EQ(TableFor(tables, "44", M(2030, 1)), &tables[3]);
  EXPECT_EQ(TableFor(tables, "11", M(2023, 12)), nullptr);
  EXPECT_EQ(TableFor(tables, "11", M(2024, 1)), &tables[2]);
  EXPECT_EQ(TableFor(tables, "31", M(2030, 1)), nullptr);
  // A re-issued table for the same month supersedes the earlier element.
  tables.push_back({"44", M(2023, 7), {{"national", 10000}}});
  EXPECT_EQ(TableFor(tables, "44", M(2024, 1)), &tables[4]);
}

// Full refund to small and micro enterprises for 2020-01 .. 2021-12, and a
// later half refund for everyone in 2022 (order = precedence).
std::vector<RefundPolicy> Refunds() {
  return {{M(2020, 1), M(2021, 12), true, 10000},
          {M(2022, 1), M(2022, 12), false, 5000},
          {M(2022, 6), M(2022, 6), true, 10000}};  // shadowed by the above
}

struct RefundCase {
  absl::CivilMonth month;
  bool small_micro;
  Fen collected;
  Fen want;
};

class RefundTest : public ::testing::TestWithParam<RefundCase> {};

TEST_P(RefundTest, FirstApplicablePolicy) {
  const RefundCase& c = GetParam();
  EXPECT_EQ(RefundFor(c.collected, Refunds(), c.month, c.small_micro), c.want)
      << c.month << " small_micro=" << c.small_micro;
}

INSTANTIATE_TEST_SUITE_P(
    Table, RefundTest,
    ::testing::Values(RefundCase{M(2019, 12), true, 10000, 0},
                      RefundCase{M(2020, 1), true, 10000, 10000},
                      RefundCase{M(2020, 1), false, 10000, 0},
                      RefundCase{M(2021, 6), true, 12345, 12345},
                      RefundCase{M(2021, 12), true, 1, 1},
                      RefundCase{M(2021, 12), false, 10000, 0},
                      RefundCase{M(2022, 1), true, 10000, 5000},
                      RefundCase{M(2022, 1), false, 10000, 5000},
                      RefundCase{M(2022, 6), true, 10000, 5000},
                      RefundCase{M(2022, 12), false, 3, 2},  // 1.5 -> 2
                      RefundCase{M(2022, 12), false, 1, 1},  // 0.5 -> 1
                      RefundCase{M(2023, 1), true, 10000, 0}));

TEST(RefundTest, NoPoliciesAndClamping) {
  EXPECT_EQ(RefundFor(10000, {}, M(2020, 1), true), 0);
  EXPECT_EQ(RefundFor(10000, {{M(2020, 1), M(2020, 1), false, 20000}},
                      M(2020, 1), false),
            10000);
  EXPECT_EQ(RefundFor(10000, {{M(2020, 1), M(2020, 1), false, -5}}, M(2020, 1),
                      false),
            0);
}

TEST(RefundTest, Validate) {
  EXPECT_TRUE(ValidateRefundPolicy(Refunds()[0]).empty());
  const Violations v =
      ValidateRefundPolicy({M(2021, 1), M(2020, 12), false, 10001});
  ASSERT_EQ(v.list().size(), 2u);
  EXPECT_EQ(v.list()[0].field, "to");
  EXPECT_EQ(v.list()[1].field, "refund_bp");
}

}  // namespace
}  // namespace unionhub::finance::domain
