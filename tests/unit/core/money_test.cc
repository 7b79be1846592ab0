#include "common/core/money.h"

#include <cstdint>
#include <limits>
#include <numeric>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace unionhub::money {
namespace {

using ::testing::ElementsAreArray;

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();

// ---------------------------------------------------------------------------
// ApplyRate
// ---------------------------------------------------------------------------

struct RateCase {
  std::string name;
  Fen amount;
  BasisPoints bp;
  Fen expected;
};

class ApplyRateTest : public testing::TestWithParam<RateCase> {};

TEST_P(ApplyRateTest, Computes) {
  const RateCase& c = GetParam();
  absl::StatusOr<Fen> result = ApplyRate(c.amount, c.bp);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(*result, c.expected);
}

INSTANTIATE_TEST_SUITE_P(
    Money, ApplyRateTest,
    testing::Values(
        // DOMAIN §3 dues examples (0.5 % of the wage base floored to 10 yuan).
        RateCase{"Dues5678_90", 567000, 50, 2835},
        RateCase{"Dues8888_00", 888000, 50, 4440},
        RateCase{"DuesTenYuan", 1000, 50, 5},
        RateCase{"DuesZeroBase", 0, 50, 0},
        // Rounding half away from zero.
        RateCase{"HalfRoundsUp", 1, 5000, 1},
        RateCase{"OneAndAHalfRoundsUp", 3, 5000, 2},
        RateCase{"JustBelowHalf", 1, 4999, 0},
        RateCase{"JustAboveHalf", 1, 5001, 1},
        RateCase{"HalfFenAtOneBp", 5000, 1, 1},
        RateCase{"BelowHalfFenAtOneBp", 4999, 1, 0},
        RateCase{"DuesHalfFen", 900, 50, 5},  // 4.5 fen -> 5
        RateCase{"DuesBelowHalfFen", 899, 50, 4},
        RateCase{"NegativeHalfRoundsAway", -1, 5000, -1},
        RateCase{"NegativeOneAndAHalf", -3, 5000, -2},
        RateCase{"NegativeJustBelowHalf", -1, 4999, 0},
        RateCase{"NegativeAmount", -567000, 50, -2835},
        RateCase{"NegativeRate", 100, -5000, -50},
        RateCase{"NegativeRateHalf", 1, -5000, -1},
        RateCase{"BothNegative", -3, -5000, 2},
        RateCase{"ZeroRate", 123456789, 0, 0},
        RateCase{"FullRate", 123456789, 10000, 123456789},
        RateCase{"DoubleRate", 123456789, 20000, 246913578},
        // Large values go through 128-bit arithmetic without loss.
        RateCase{"MaxAtFullRate", kMax, 10000, kMax},
        RateCase{"MinAtFullRate", kMin, 10000, kMin},
        RateCase{"MaxAtHalfRate", kMax, 5000, 4611686018427387904},
        RateCase{"MinAtHalfRate", kMin, 5000, -4611686018427387904},
        RateCase{"MaxAtOneBp", kMax, 1, 922337203685478},  // ...477.5807
        RateCase{"LargestDoubling", 4611686018427387903, 20000, kMax - 1}),
    [](const testing::TestParamInfo<RateCase>& info) {
      return info.param.name;
    });

struct OverflowCase {
  std::string name;
  Fen amount;
  BasisPoints bp;
};

class ApplyRateOverflowTest : public testing::TestWithParam<OverflowCase> {};

TEST_P(ApplyRateOverflowTest, IsOutOfRange) {
  absl::StatusOr<Fen> result = ApplyRate(GetParam().amount, GetParam().bp);
  ASSERT_FALSE(result.ok()) << *result;
  EXPECT_EQ(result.status().code(), absl::StatusCode::kOutOfRange);
}

INSTANTIATE_TEST_SUITE_P(
    Money, ApplyRateOverflowTest,
    testing::Values(OverflowCase{"MaxAboveFullRate", kMax, 10001},
                    OverflowCase{"MinAboveFullRate", kMin, 10001},
                    OverflowCase{"MinNegated", kMin, -10000},
                    OverflowCase{"DoublingPastMax", 4611686018427387904, 20000},
                    OverflowCase{"MaxTimesMax", kMax, kMax},
                    OverflowCase{"MinTimesMin", kMin, kMin},
                    OverflowCase{"MinTimesMax", kMin, kMax}),
    [](const testing::TestParamInfo<OverflowCase>& info) {
      return info.param.name;
    });

TEST(ApplyRateTest, DuesFromWageUseFlooredBase) {
  // DOMAIN §3: base = floor(wage_fen / 1000) * 1000.
  struct {
    Fen wage;
    Fen dues;
  } cases[] = {{567890, 2835}, {888800, 4440}, {999, 0}, {1000, 5}, {0, 0}};
  for (const auto& c : cases) {
    SCOPED_TRACE(c.wage);
    EXPECT_EQ(ApplyRate(c.wage / 1000 * 1000, 50).value(), c.dues);
  }
}

// ---------------------------------------------------------------------------
// RatioBasisPoints
// ---------------------------------------------------------------------------

struct RatioCase {
  std::string name;
  int64_t numerator;
  int64_t denominator;
  int64_t expected;
};

class RatioTest : public testing::TestWithParam<RatioCase> {};

TEST_P(RatioTest, Computes) {
  const RatioCase& c = GetParam();
  EXPECT_EQ(RatioBasisPoints(c.numerator, c.denominator), c.expected);
}

INSTANTIATE_TEST_SUITE_P(
    Money, RatioTest,
    testing::Values(
        RatioCase{"OneThird", 1, 3, 3333}, RatioCase{"TwoThirds", 2, 3, 6667},
        RatioCase{"FiveSixths", 5, 6, 8333}, RatioCase{"Half", 1, 2, 5000},
        RatioCase{"Whole", 3, 3, 10000},
        RatioCase{"MoreThanWhole", 7, 2, 35000},
        RatioCase{"ZeroNumerator", 0, 5, 0},
        RatioCase{"ZeroDenominator", 5, 0, 0}, RatioCase{"BothZero", 0, 0, 0},
        RatioCase{"ExactlyHalfBpRoundsUp", 1, 20000, 1},
        RatioCase{"JustBelowHalfBp", 1, 20001, 0},
        RatioCase{"ThreeHalvesBp", 3, 20000, 2},
        RatioCase{"MaxOverMax", kMax, kMax, 10000},
        RatioCase{"OneOverMax", 1, kMax, 0},
        RatioCase{"HalfOfMax", kMax / 2, kMax, 5000},
        RatioCase{"SaturatesAtMax", kMax, 1, kMax}),
    [](const testing::TestParamInfo<RatioCase>& info) {
      return info.param.name;
    });

// ---------------------------------------------------------------------------
// SplitByBasisPoints
// ---------------------------------------------------------------------------

const std::vector<BasisPoints> kFiveWay = {6000, 2000, 1000, 500, 500};
const std::vector<BasisPoints> kThirds = {3333, 3333, 3334};

struct SplitCase {
  std::string name;
  Fen total;
  std::vector<BasisPoints> weights;
  std::vector<Fen> expected;
};

class SplitTest : public testing::TestWithParam<SplitCase> {};

TEST_P(SplitTest, SplitsExactly) {
  const SplitCase& c = GetParam();
  absl::StatusOr<std::vector<Fen>> parts =
      SplitByBasisPoints(c.total, c.weights);
  ASSERT_TRUE(parts.ok()) << parts.status();
  EXPECT_THAT(*parts, ElementsAreArray(c.expected));
  // Sum in 128 bits so that the INT64_MIN cases cannot overflow the check.
  __int128 sum = 0;
  for (Fen p : *parts) sum += p;
  EXPECT_TRUE(sum == static_cast<__int128>(c.total));
}

INSTANTIATE_TEST_SUITE_P(
    Money, SplitTest,
    testing::Values(
        // Remainders for 7 * {6000,2000,1000,500,500} / 10000:
        // 4.2 1.4 0.7 0.35 0.35 -> floors 4 1 0 0 0, 2 fen left -> .7, .4.
        SplitCase{"OneFenFiveWay", 1, kFiveWay, {1, 0, 0, 0, 0}},
        SplitCase{"SevenFenFiveWay", 7, kFiveWay, {4, 2, 1, 0, 0}},
        // 599999999.4 199999999.8 99999999.9 49999999.95 49999999.95:
        // 4 fen left -> the two .95 parts, then .9, then .8.
        SplitCase{"LargeFiveWay",
                  999999999,
                  kFiveWay,
                  {599999999, 200000000, 100000000, 50000000, 50000000}},
        SplitCase{"OneFenThirds", 1, kThirds, {0, 0, 1}},
        SplitCase{"SevenFenThirds", 7, kThirds, {2, 2, 3}},
        // 333299999.6667 x2 and 333399999.6666: 2 fen left -> first two.
        SplitCase{"LargeThirds",
                  999999999,
                  kThirds,
                  {333300000, 333300000, 333399999}},
        SplitCase{
            "ExactDivision", 10000, kFiveWay, {6000, 2000, 1000, 500, 500}},
        SplitCase{"Zero", 0, kFiveWay, {0, 0, 0, 0, 0}},
        SplitCase{"SingleWeight", 12345, {10000}, {12345}},
        // Equal remainders: earlier parts win.
        SplitCase{"TieOneFen", 1, {5000, 5000}, {1, 0}},
        SplitCase{"TieEven", 2, {5000, 5000}, {1, 1}},
        SplitCase{"TieThreeOfFour", 3, {2500, 2500, 2500, 2500}, {1, 1, 1, 0}},
        // Zero weights never receive anything.
        SplitCase{"ZeroWeightFirst", 1, {0, 5000, 5000}, {0, 1, 0}},
        SplitCase{"ZeroWeightLast", 7, {10000, 0}, {7, 0}},
        // Negative totals: split the absolute value and negate each part.
        SplitCase{"NegativeOneFen", -1, kFiveWay, {-1, 0, 0, 0, 0}},
        SplitCase{"NegativeSevenFen", -7, kFiveWay, {-4, -2, -1, 0, 0}},
        SplitCase{"NegativeThirds", -7, kThirds, {-2, -2, -3}},
        SplitCase{"NegativeTie", -1, {5000, 5000}, {-1, 0}},
        // Extremes.
        SplitCase{"MaxHalves",
                  kMax,
                  {5000, 5000},
                  {4611686018427387904, 4611686018427387903}},
        SplitCase{"MinHalves",
                  kMin,
                  {5000, 5000},
                  {-4611686018427387904, -4611686018427387904}},
        SplitCase{"MinWhole", kMin, {10000}, {kMin}}),
    [](const testing::TestParamInfo<SplitCase>& info) {
      return info.param.name;
    });

TEST(SplitByBasisPointsTest, AlwaysSumsAndStaysWithinOneFenOfExactShare) {
  const std::vector<std::vector<BasisPoints>> weight_sets = {
      kFiveWay, kThirds, {1, 9999}, {1, 1, 9998}, {7000, 0, 3000}};
  for (const auto& weights : weight_sets) {
    for (Fen total = -200; total <= 200; ++total) {
      SCOPED_TRACE(total);
      std::vector<Fen> parts = SplitByBasisPoints(total, weights).value();
      ASSERT_EQ(parts.size(), weights.size());
      EXPECT_EQ(std::accumulate(parts.begin(), parts.end(), Fen{0}), total);
      for (size_t i = 0; i < parts.size(); ++i) {
        // |part * 10000 - total * w| < 10000.
        const int64_t error = parts[i] * 10000 - total * weights[i];
        EXPECT_LT(error < 0 ? -error : error, 10000) << "part " << i;
      }
    }
  }
}

struct BadWeightsCase {
  std::string name;
  std::vector<BasisPoints> weights;
};

class SplitBadWeightsTest : public testing::TestWithParam<BadWeightsCase> {};

TEST_P(SplitBadWeightsTest, IsInvalidArgument) {
  absl::StatusOr<std::vector<Fen>> parts =
      SplitByBasisPoints(100, GetParam().weights);
  ASSERT_FALSE(parts.ok());
  EXPECT_EQ(parts.status().code(), absl::StatusCode::kInvalidArgument);
}

INSTANTIATE_TEST_SUITE_P(
    Money, SplitBadWeightsTest,
    testing::Values(BadWeightsCase{"Empty", {}},
                    BadWeightsCase{"SumBelow", {3333, 3333, 3333}},
                    BadWeightsCase{"SumAbove", {5000, 5001}},
                    BadWeightsCase{"AllZero", {0, 0}},
                    BadWeightsCase{"NegativeCompensated", {-1, 10001}},
                    BadWeightsCase{"NegativeOnly", {-10000}},
                    BadWeightsCase{"HugeWeights", {kMax, kMax, 2}},
                    BadWeightsCase{"HugeNegative", {kMin, 10000}}),
    [](const testing::TestParamInfo<BadWeightsCase>& info) {
      return info.param.name;
    });

// ---------------------------------------------------------------------------
// FormatYuan / ParseYuan
// ---------------------------------------------------------------------------

struct FormatCase {
  Fen amount;
  std::string text;
};

class FormatYuanTest : public testing::TestWithParam<FormatCase> {};

TEST_P(FormatYuanTest, Formats) {
  EXPECT_EQ(FormatYuan(GetParam().amount), GetParam().text);
}

TEST_P(FormatYuanTest, RoundTrips) {
  EXPECT_EQ(ParseYuan(GetParam().text).value(), GetParam().amount);
}

INSTANTIATE_TEST_SUITE_P(
    Money, FormatYuanTest,
    testing::Values(FormatCase{0, "0.00"}, FormatCase{5, "0.05"},
                    FormatCase{-5, "-0.05"}, FormatCase{10, "0.10"},
                    FormatCase{-99, "-0.99"}, FormatCase{100, "1.00"},
                    FormatCase{-100, "-1.00"}, FormatCase{2835, "28.35"},
                    FormatCase{123450, "1234.50"},
                    FormatCase{-123456, "-1234.56"},
                    FormatCase{100000000000, "1000000000.00"},
                    FormatCase{kMax, "92233720368547758.07"},
                    FormatCase{kMin, "-92233720368547758.08"}));

struct ParseCase {
  std::string name;
  std::string text;
  Fen expected;
};

class ParseYuanTest : public testing::TestWithParam<ParseCase> {};

TEST_P(ParseYuanTest, Parses) {
  absl::StatusOr<Fen> fen = ParseYuan(GetParam().text);
  ASSERT_TRUE(fen.ok()) << fen.status();
  EXPECT_EQ(*fen, GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Money, ParseYuanTest,
    testing::Values(ParseCase{"Integer", "1234", 123400},
                    ParseCase{"OneDecimal", "1234.5", 123450},
                    ParseCase{"TwoDecimals", "1234.50", 123450},
                    ParseCase{"Fen", "0.05", 5},
                    ParseCase{"NegativeFen", "-0.05", -5},
                    ParseCase{"NegativeTwoDecimals", "-1234.56", -123456},
                    ParseCase{"NegativeOneDecimal", "-0.5", -50},
                    ParseCase{"Zero", "0", 0},
                    ParseCase{"ZeroDecimals", "0.00", 0},
                    ParseCase{"NegativeZero", "-0", 0},
                    ParseCase{"LeadingZeros", "007.50", 750},
                    ParseCase{"Max", "92233720368547758.07", kMax},
                    ParseCase{"Min", "-92233720368547758.08", kMin}),
    [](const testing::TestParamInfo<ParseCase>& info) {
      return info.param.name;
    });

struct BadParseCase {
  std::string name;
  std::string text;
  absl::StatusCode code;
};

class ParseYuanErrorTest : public testing::TestWithParam<BadParseCase> {};

TEST_P(ParseYuanErrorTest, Rejects) {
  absl::StatusOr<Fen> fen = ParseYuan(GetParam().text);
  ASSERT_FALSE(fen.ok()) << *fen;
  EXPECT_EQ(fen.status().code(), GetParam().code);
}

constexpr absl::StatusCode kInvalid = absl::StatusCode::kInvalidArgument;
constexpr absl::StatusCode kRange = absl::StatusCode::kOutOfRange;

INSTANTIATE_TEST_SUITE_P(
    Money, ParseYuanErrorTest,
    testing::Values(
        BadParseCase{"Empty", "", kInvalid},
        BadParseCase{"MinusOnly", "-", kInvalid},
        BadParseCase{"DotOnly", ".", kInvalid},
        BadParseCase{"TrailingDot", "1.", kInvalid},
        BadParseCase{"LeadingDot", ".5", kInvalid},
        BadParseCase{"MinusLeadingDot", "-.5", kInvalid},
        BadParseCase{"ThreeDecimals", "1.234", kInvalid},
        BadParseCase{"ThreeZeroDecimals", "1.000", kInvalid},
        BadParseCase{"Plus", "+1", kInvalid},
        BadParseCase{"DoubleMinus", "--1", kInvalid},
        BadParseCase{"TrailingMinus", "1-", kInvalid},
        BadParseCase{"LeadingSpace", " 1", kInvalid},
        BadParseCase{"TrailingSpace", "1 ", kInvalid},
        BadParseCase{"Grouping", "1,234.00", kInvalid},
        BadParseCase{"Exponent", "1e3", kInvalid},
        BadParseCase{"TwoDots", "1.2.3", kInvalid},
        BadParseCase{"NegativeFraction", "1.-5", kInvalid},
        BadParseCase{"Letters", "abc", kInvalid},
        BadParseCase{"TrailingLetter", "1.5a", kInvalid},
        BadParseCase{"Hex", "0x10", kInvalid},
        BadParseCase{"CurrencySign",
                     "\xC2\xA5"
                     "1.00",
                     kInvalid},
        BadParseCase{"FullWidthDigit", "\xEF\xBC\x91", kInvalid},
        BadParseCase{"JustAboveMax", "92233720368547758.08", kRange},
        BadParseCase{"JustBelowMin", "-92233720368547758.09", kRange},
        BadParseCase{"Huge", "99999999999999999999999999999999999999999999",
                     kRange},
        BadParseCase{"HugeNegative",
                     "-9999999999999999999999999999999999999.99", kRange},
        // Syntax errors win over range errors.
        BadParseCase{"HugeWithBadFraction", "99999999999999999999.123",
                     kInvalid},
        BadParseCase{"HugeWithLetter", "999999999999999999999999x", kInvalid}),
    [](const testing::TestParamInfo<BadParseCase>& info) {
      return info.param.name;
    });

}  // namespace
}  // namespace unionhub::money

namespace unionhub::money {
namespace {

TEST(CheckedSum, AddsWithinRangeAndRefusesOverflow) {
  EXPECT_EQ(*CheckedAdd(2, 3), 5);
  EXPECT_EQ(*CheckedAdd(kMax - 10, 10), kMax);
  absl::StatusOr<Fen> over = CheckedAdd(kMax - 10, 11, "the rollup");
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(over.status().message().find("the rollup"), std::string::npos);
  EXPECT_FALSE(CheckedAdd(kMin, -1).ok());

  Fen total = kMax - 10;
  EXPECT_FALSE(AddTo(&total, 11));
  EXPECT_EQ(total, kMax - 10);  // unchanged on overflow
  EXPECT_TRUE(AddTo(&total, 10));
  EXPECT_EQ(total, kMax);
}

TEST(AmountBounds, AcceptsTheMaximumAndRefusesOneAbove) {
  Violations at;
  CheckAmount(kMaxAmountFen, 1, kMaxAmountFen, "amount_fen", at);
  EXPECT_TRUE(at.empty());
  Violations above;
  CheckAmount(kMaxAmountFen + 1, 1, kMaxAmountFen, "amount_fen", above);
  ASSERT_EQ(above.list().size(), 1u);
  EXPECT_EQ(above.list()[0].field, "amount_fen");
  Violations huge;
  CheckAmount(std::numeric_limits<Fen>::max() - 10, 1, kMaxMemberAmountFen,
              "amount_fen", huge);
  EXPECT_FALSE(huge.empty());
  // Far below int64: a million maximal items still sum safely.
  EXPECT_LT(kMaxAmountFen, std::numeric_limits<Fen>::max() / 1'000'000);
}

}  // namespace
}  // namespace unionhub::money
