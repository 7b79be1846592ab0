#include "services/finance/domain/dues.h"

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "gtest/gtest.h"

namespace unionhub::finance::domain {
namespace {

DuesPolicy Default() {
  return DuesPolicy{1, "/1/", absl::CivilMonth(2000, 1), 50, 1000};
}

struct DuesCase {
  Fen wage;
  Fen base;
  Fen dues;
};

class DefaultDuesTest : public ::testing::TestWithParam<DuesCase> {};

TEST_P(DefaultDuesTest, BaseAndDues) {
  const DuesCase& c = GetParam();
  EXPECT_EQ(WageBase(c.wage, Default()), c.base) << "wage " << c.wage;
  EXPECT_EQ(MonthlyDues(c.wage, Default()), c.dues) << "wage " << c.wage;
}

INSTANTIATE_TEST_SUITE_P(
    Domain, DefaultDuesTest,
    ::testing::Values(
        // The DOMAIN §3 examples.
        DuesCase{567890, 567000, 2835}, DuesCase{888800, 888000, 4440},
        DuesCase{999, 0, 0}, DuesCase{1000, 1000, 5},
        // The base is a multiple of 10 yuan, so 0.5 % of it is always a
        // whole fen: the default policy never needs to round.
        DuesCase{1010, 1000, 5}, DuesCase{1999, 1000, 5},
        DuesCase{3999, 3000, 15}, DuesCase{9000, 9000, 45},
        DuesCase{11000, 11000, 55}, DuesCase{101000, 101000, 505},
        DuesCase{1234567, 1234000, 6170}, DuesCase{0, 0, 0}, DuesCase{1, 0, 0},
        DuesCase{-500000, 0, 0},
        DuesCase{std::numeric_limits<Fen>::max(),
                 std::numeric_limits<Fen>::max() / 1000 * 1000,
                 // floor(max/1000)*1000 * 50 / 10000 = base / 200, the
                 // remainder 0 since base is a multiple of 1000.
                 std::numeric_limits<Fen>::max() / 1000 * 1000 / 200}));

TEST(DuesTest, HalfFenRoundsUp) {
  DuesPolicy p = Default();
  p.ignore_below_fen = 0;                   // count every fen
  EXPECT_EQ(MonthlyDues(100, p), 1);        // 0.5 fen -> 1
  EXPECT_EQ(MonthlyDues(99, p), 0);         // 0.495 fen -> 0
  EXPECT_EQ(MonthlyDues(300, p), 2);        // 1.5 fen -> 2
  EXPECT_EQ(MonthlyDues(567890, p), 2839);  // 2839.45 -> 2839
  EXPECT_EQ(MonthlyDues(567900, p), 2840);  // 2839.5 -> 2840
}

TEST(DuesTest, IgnoreBelowOneOrLessCountsEveryFen) {
  for (int64_t unit : {-5, 0, 1}) {
    DuesPolicy p = Default();
    p.ignore_below_fen = unit;
    EXPECT_EQ(WageBase(567890, p), 567890) << unit;
    EXPECT_EQ(WageBase(1, p), 1) << unit;
  }
}

TEST(DuesTest, OtherUnitsAndRates) {
  DuesPolicy p = Default();
  p.ignore_below_fen = 10000;  // ignore below 100 yuan
  EXPECT_EQ(WageBase(567890, p), 560000);
  EXPECT_EQ(MonthlyDues(567890, p), 2800);
  p.rate_bp = 100;
  EXPECT_EQ(MonthlyDues(567890, p), 5600);
  p.rate_bp = 0;
  EXPECT_EQ(MonthlyDues(567890, p), 0);
  p.rate_bp = 10000;
  EXPECT_EQ(MonthlyDues(567890, p), 560000);
}

TEST(DuesTest, OutOfRangeRateIsClamped) {
  DuesPolicy p = Default();
  p.rate_bp = 20000;
  EXPECT_EQ(MonthlyDues(567890, p), 567000);
  p.rate_bp = -50;
  EXPECT_EQ(MonthlyDues(567890, p), 0);
  p.rate_bp = std::numeric_limits<int64_t>::max();
  EXPECT_EQ(MonthlyDues(std::numeric_limits<Fen>::max(), p),
            std::numeric_limits<Fen>::max() / 1000 * 1000);
}

// --- PolicyFor -------------------------------------------------------------

const std::vector<DuesPolicy>& Policies() {
  static const auto* policies = new std::vector<DuesPolicy>{
      {1, "/1/", absl::CivilMonth(2000, 1), 50, 1000},     // national
      {2, "/1/", absl::CivilMonth(2024, 1), 40, 1000},     // national, later
      {3, "/1/5/", absl::CivilMonth(2022, 1), 30, 1000},   // province 5
      {4, "/1/5/", absl::CivilMonth(2023, 7), 35, 1000},   // province 5, later
      {5, "/1/5/9/", absl::CivilMonth(2025, 1), 20, 100},  // city 9 of 5
      {6, "/1/6/", absl::CivilMonth(2000, 1), 60, 1000},   // sibling province
      {7, "/1/5", absl::CivilMonth(2000, 1), 99, 1000},    // malformed
      {8, "/2/", absl::CivilMonth(2000, 1), 70, 1000},     // other tree
  };
  return *policies;
}

struct ScopeCase {
  std::string path;
  absl::CivilMonth month;
  int64_t want_id;  // 0: none
};

class PolicyForTest : public ::testing::TestWithParam<ScopeCase> {};

TEST_P(PolicyForTest, Chooses) {
  const ScopeCase& c = GetParam();
  const DuesPolicy* p = PolicyFor(Policies(), c.path, c.month);
  if (c.want_id == 0) {
    EXPECT_EQ(p, nullptr) << c.path << " " << c.month;
  } else {
    ASSERT_NE(p, nullptr) << c.path << " " << c.month;
    EXPECT_EQ(p->policy_id, c.want_id) << c.path << " " << c.month;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Scoping, PolicyForTest,
    ::testing::Values(
        // National default everywhere under /1/ before any override.
        ScopeCase{"/1/", absl::CivilMonth(2021, 12), 1},
        ScopeCase{"/1/5/17/", absl::CivilMonth(2021, 12), 1},
        // The provincial override from its effective month on.
        ScopeCase{"/1/5/17/", absl::CivilMonth(2022, 1), 3},
        ScopeCase{"/1/5/", absl::CivilMonth(2023, 6), 3},
        ScopeCase{"/1/5/", absl::CivilMonth(2023, 7), 4},
        // A later national change does not beat a provincial override.
        ScopeCase{"/1/5/17/", absl::CivilMonth(2024, 3), 4},
        ScopeCase{"/1/7/", absl::CivilMonth(2023, 12), 1},
        ScopeCase{"/1/7/", absl::CivilMonth(2024, 1), 2},
        // The most specific scope.
        ScopeCase{"/1/5/9/", absl::CivilMonth(2024, 12), 4},
        ScopeCase{"/1/5/9/", absl::CivilMonth(2025, 1), 5},
        ScopeCase{"/1/5/9/33/", absl::CivilMonth(2030, 1), 5},
        // A sibling subtree's policy never applies.
        ScopeCase{"/1/6/3/", absl::CivilMonth(2030, 1), 6},
        ScopeCase{"/1/5/3/", absl::CivilMonth(2030, 1), 4},
        // Whole segments: "/1/5/" is not a prefix of "/1/55/", and the
        // malformed "/1/5" never matches.
        ScopeCase{"/1/55/", absl::CivilMonth(2023, 8), 1},
        ScopeCase{"/1/59/", absl::CivilMonth(2030, 1), 2},
        // Nothing effective yet, or another tree, or no path.
        ScopeCase{"/1/5/", absl::CivilMonth(1999, 12), 0},
        ScopeCase{"/3/", absl::CivilMonth(2030, 1), 0},
        ScopeCase{"/2/4/", absl::CivilMonth(2030, 1), 8},
        ScopeCase{"", absl::CivilMonth(2030, 1), 0},
        ScopeCase{"/", absl::CivilMonth(2030, 1), 0}));

TEST(PolicyForTest, EmptyListAndTies) {
  EXPECT_EQ(PolicyFor({}, "/1/", absl::CivilMonth(2024, 1)), nullptr);
  const std::vector<DuesPolicy> tied = {
      {10, "/1/", absl::CivilMonth(2024, 1), 50, 1000},
      {12, "/1/", absl::CivilMonth(2024, 1), 45, 1000},
      {11, "/1/", absl::CivilMonth(2024, 1), 40, 1000}};
  const DuesPolicy* p = PolicyFor(tied, "/1/2/", absl::CivilMonth(2024, 1));
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->policy_id, 12);
}

TEST(PolicyForTest, RootScopeCoversEverything) {
  const std::vector<DuesPolicy> ps = {
      {1, "/", absl::CivilMonth(2020, 1), 50, 1000},
      {2, "/4/", absl::CivilMonth(2021, 1), 30, 1000}};
  EXPECT_EQ(PolicyFor(ps, "/9/9/", absl::CivilMonth(2024, 1))->policy_id, 1);
  EXPECT_EQ(PolicyFor(ps, "/4/1/", absl::CivilMonth(2024, 1))->policy_id, 2);
  EXPECT_EQ(PolicyFor(ps, "/4/1/", absl::CivilMonth(2020, 12))->policy_id, 1);
}

// --- DuesFor: the national default and stored policies --------------------

TEST(DuesForTest, NationalDefaultIsHalfAPercentBelowTenYuanIgnored) {
  const DuesPolicy d = NationalDefaultPolicy();
  EXPECT_EQ(d.policy_id, 0);
  EXPECT_EQ(d.scope_path, "/");
  EXPECT_EQ(d.rate_bp, 50);
  EXPECT_EQ(d.ignore_below_fen, 1000);
  EXPECT_TRUE(ValidatePolicy(d).empty());
  // The DOMAIN §3 example.
  EXPECT_EQ(MonthlyDues(567890, d), 2835);
}

TEST(DuesForTest, DefaultAppliesWhereNoStoredPolicyDoes) {
  for (const std::vector<DuesPolicy>& stored :
       {std::vector<DuesPolicy>{}, Policies()}) {
    // "/3/" is outside every stored scope; 1999-12 is before "/1/5/"'s.
    for (const auto& [path, month] :
         {std::pair{"/3/7/", absl::CivilMonth(2030, 1)},
          std::pair{"/1/5/", absl::CivilMonth(1999, 12)}}) {
      const DuesCharge c = DuesFor(stored, {path, 888800}, month);
      EXPECT_EQ(c.policy_id, 0) << path;
      EXPECT_EQ(c.rate_bp, 50) << path;
      EXPECT_EQ(c.due, 4440) << path;
    }
  }
}

TEST(DuesForTest, AStoredPolicyReplacesTheDefaultInItsScope) {
  // Province 5's 35 bp from 2023-07 on; city 9's 20 bp on every fen
  // above 1 yuan from 2025-01.
  DuesCharge c =
      DuesFor(Policies(), {"/1/5/17/", 888800}, absl::CivilMonth(2024, 3));
  EXPECT_EQ(c.policy_id, 4);
  EXPECT_EQ(c.rate_bp, 35);
  EXPECT_EQ(c.due, 3108);  // 888000 * 0.35 % = 3108
  c = DuesFor(Policies(), {"/1/5/9/33/", 888850}, absl::CivilMonth(2025, 1));
  EXPECT_EQ(c.policy_id, 5);
  EXPECT_EQ(c.due, 1778);  // 888800 * 0.2 % = 1777.6 -> 1778
  // A stored policy on "/" takes over from the default from its month on.
  const std::vector<DuesPolicy> root = {
      {9, "/", absl::CivilMonth(2024, 1), 40, 1000}};
  EXPECT_EQ(DuesFor(root, {"/8/", 100000}, absl::CivilMonth(2023, 12)).due,
            500);
  EXPECT_EQ(DuesFor(root, {"/8/", 100000}, absl::CivilMonth(2024, 1)).due, 400);
}

TEST(DuesForTest, NoWageOwesNothing) {
  EXPECT_EQ(DuesFor({}, {"/1/", 0}, absl::CivilMonth(2024, 1)).due, 0);
  EXPECT_EQ(DuesFor({}, {"/1/", -5}, absl::CivilMonth(2024, 1)).due, 0);
  EXPECT_EQ(DuesFor({}, {"/1/", 999}, absl::CivilMonth(2024, 1)).due, 0);
}

// --- Validation ------------------------------------------------------------

struct ValidateCase {
  DuesPolicy policy;
  std::vector<std::string> bad_fields;
};

class ValidatePolicyTest : public ::testing::TestWithParam<ValidateCase> {};

TEST_P(ValidatePolicyTest, NamesEveryBadField) {
  const ValidateCase& c = GetParam();
  std::vector<std::string> fields;
  const Violations violations = ValidatePolicy(c.policy);
  for (const auto& v : violations.list()) {
    fields.push_back(v.field);
  }
  EXPECT_EQ(fields, c.bad_fields);
}

DuesPolicy With(std::string path, int64_t rate, int64_t unit) {
  return DuesPolicy{1, std::move(path), absl::CivilMonth(2024, 1), rate, unit};
}

INSTANTIATE_TEST_SUITE_P(
    Table, ValidatePolicyTest,
    ::testing::Values(ValidateCase{With("/1/", 50, 1000), {}},
                      ValidateCase{With("/", 0, 0), {}},
                      ValidateCase{With("/1/5/123/", 10000, 1), {}},
                      ValidateCase{With("", 50, 1000), {"scope_path"}},
                      ValidateCase{With("1/5/", 50, 1000), {"scope_path"}},
                      ValidateCase{With("/1/5", 50, 1000), {"scope_path"}},
                      ValidateCase{With("/1//5/", 50, 1000), {"scope_path"}},
                      ValidateCase{With("/1/a/", 50, 1000), {"scope_path"}},
                      ValidateCase{With("//", 50, 1000), {"scope_path"}},
                      ValidateCase{With("/1/", -1, 1000), {"rate_bp"}},
                      ValidateCase{With("/1/", 10001, 1000), {"rate_bp"}},
                      ValidateCase{With("/1/", 50, -1), {"ignore_below_fen"}},
                      ValidateCase{
                          With("x", 20000, -1000),
                          {"scope_path", "rate_bp", "ignore_below_fen"}}));

TEST(ValidatePolicyTest, ToStatusIsInvalidArgument) {
  EXPECT_TRUE(ValidatePolicy(Default()).ToStatus().ok());
  EXPECT_EQ(ValidatePolicy(With("", 50, 1000)).ToStatus().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace unionhub::finance::domain
