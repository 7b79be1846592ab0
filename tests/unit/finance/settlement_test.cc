#include "services/finance/domain/settlement.h"

#include <limits>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace unionhub::finance::domain {

// In the domain namespace (not the anonymous one) so that argument-dependent
// lookup finds them from std::vector's operator== and gtest's printers.
bool operator==(const Allocation& a, const Allocation& b) {
  return a.month == b.month && a.amount == b.amount;
}

std::ostream& operator<<(std::ostream& os, const Allocation& a) {
  return os << a.month << ":" << a.amount;
}

namespace {

using ::testing::HasSubstr;

absl::CivilMonth M(int year, int month) {
  return absl::CivilMonth(year, month);
}

// Three open months, given out of order on purpose: Jan 2835 unpaid, Feb
// 2835 with 1000 paid, Mar 2835 unpaid.
std::vector<OpenCharge> ThreeMonths() {
  return {
      {M(2024, 3), 2835, 0}, {M(2024, 1), 2835, 0}, {M(2024, 2), 2835, 1000}};
}

struct SettleCase {
  std::string name;
  Fen amount;
  std::vector<OpenCharge> open;
  std::optional<absl::CivilMonth> named;
  std::vector<Allocation> want_allocations;
  Fen want_credit;
};

class SettleTest : public ::testing::TestWithParam<SettleCase> {};

TEST_P(SettleTest, Allocates) {
  const SettleCase& c = GetParam();
  absl::StatusOr<SettlementResult> r = Settle(c.amount, c.open, c.named);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->allocations, c.want_allocations);
  EXPECT_EQ(r->credit, c.want_credit);
  Fen total = r->credit;
  for (const Allocation& a : r->allocations) {
    EXPECT_GT(a.amount, 0);
    total += a.amount;
  }
  EXPECT_EQ(total, c.amount) << "every fen is allocated or credited";
}

INSTANTIATE_TEST_SUITE_P(
    Table, SettleTest,
    ::testing::Values(
        SettleCase{"PartialOldest",
                   1000,
                   ThreeMonths(),
                   std::nullopt,
                   {{M(2024, 1), 1000}},
                   0},
        SettleCase{"ExactOldest",
                   2835,
                   ThreeMonths(),
                   std::nullopt,
                   {{M(2024, 1), 2835}},
                   0},
        SettleCase{"SpillsIntoPartlyPaid",
                   3000,
                   ThreeMonths(),
                   std::nullopt,
                   {{M(2024, 1), 2835}, {M(2024, 2), 165}},
                   0},
        SettleCase{"ExactAll",
                   2835 + 1835 + 2835,
                   ThreeMonths(),
                   std::nullopt,
                   {{M(2024, 1), 2835}, {M(2024, 2), 1835}, {M(2024, 3), 2835}},
                   0},
        SettleCase{"OverpaymentIsCredit",
                   10000,
                   ThreeMonths(),
                   std::nullopt,
                   {{M(2024, 1), 2835}, {M(2024, 2), 1835}, {M(2024, 3), 2835}},
                   10000 - 7505},
        SettleCase{"NothingOpenAllCredit", 500, {}, std::nullopt, {}, 500},
        SettleCase{"SettledMonthsSkipped",
                   500,
                   {{M(2024, 1), 2835, 2835},
                    {M(2024, 2), 2835, 3000},
                    {M(2024, 3), 100, 0}},
                   std::nullopt,
                   {{M(2024, 3), 100}},
                   400},
        SettleCase{"ZeroDueSkipped",
                   5,
                   {{M(2024, 1), 0, 0}, {M(2024, 2), 5, 0}},
                   std::nullopt,
                   {{M(2024, 2), 5}},
                   0},
        SettleCase{"NamedMonthFirst",
                   2835,
                   ThreeMonths(),
                   M(2024, 3),
                   {{M(2024, 3), 2835}},
                   0},
        SettleCase{"NamedMonthPartial",
                   100,
                   ThreeMonths(),
                   M(2024, 2),
                   {{M(2024, 2), 100}},
                   0},
        SettleCase{"NamedMonthExcessOldestFirst",
                   4000,
                   ThreeMonths(),
                   M(2024, 3),
                   {{M(2024, 3), 2835}, {M(2024, 1), 1165}},
                   0},
        SettleCase{"NamedMonthExcessSkipsNamed",
                   6000,
                   ThreeMonths(),
                   M(2024, 1),
                   {{M(2024, 1), 2835}, {M(2024, 2), 1835}, {M(2024, 3), 1330}},
                   0},
        SettleCase{"NamedMonthOverpayment",
                   8000,
                   ThreeMonths(),
                   M(2024, 2),
                   {{M(2024, 2), 1835}, {M(2024, 1), 2835}, {M(2024, 3), 2835}},
                   495},
        SettleCase{
            "OneFen", 1, ThreeMonths(), std::nullopt, {{M(2024, 1), 1}}, 0},
        SettleCase{"AcrossYears",
                   150,
                   {{M(2024, 1), 100, 0}, {M(2023, 12), 100, 0}},
                   std::nullopt,
                   {{M(2023, 12), 100}, {M(2024, 1), 50}},
                   0}),
    [](const auto& info) { return info.param.name; });

struct ErrorCase {
  std::string name;
  Fen amount;
  std::vector<OpenCharge> open;
  std::optional<absl::CivilMonth> named;
  absl::StatusCode code;
  std::string message_part;
};

class SettleErrorTest : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(SettleErrorTest, Rejects) {
  const ErrorCase& c = GetParam();
  absl::StatusOr<SettlementResult> r = Settle(c.amount, c.open, c.named);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), c.code) << r.status();
  EXPECT_THAT(r.status().message(), HasSubstr(c.message_part));
}

INSTANTIATE_TEST_SUITE_P(
    Table, SettleErrorTest,
    ::testing::Values(
        ErrorCase{"ZeroAmount", 0, ThreeMonths(), std::nullopt,
                  absl::StatusCode::kInvalidArgument, "amount"},
        ErrorCase{"NegativeAmount", -1, ThreeMonths(), std::nullopt,
                  absl::StatusCode::kInvalidArgument, "amount"},
        ErrorCase{"NamedMonthNotCharged", 100, ThreeMonths(), M(2024, 4),
                  absl::StatusCode::kFailedPrecondition, "2024-04"},
        ErrorCase{"NamedMonthAlreadyPaid",
                  100,
                  {{M(2024, 1), 100, 100}, {M(2024, 2), 100, 0}},
                  M(2024, 1),
                  absl::StatusCode::kFailedPrecondition,
                  "2024-01"},
        ErrorCase{"NamedMonthNothingOpen",
                  100,
                  {},
                  M(2024, 1),
                  absl::StatusCode::kFailedPrecondition,
                  "2024-01"},
        ErrorCase{"NegativeDue",
                  100,
                  {{M(2024, 1), -5, 0}},
                  std::nullopt,
                  absl::StatusCode::kInvalidArgument,
                  "2024-01"},
        ErrorCase{"NegativePaid",
                  100,
                  {{M(2024, 1), 5, -1}},
                  std::nullopt,
                  absl::StatusCode::kInvalidArgument,
                  "2024-01"},
        ErrorCase{"DuplicateMonth",
                  100,
                  {{M(2024, 2), 5, 0}, {M(2024, 1), 5, 0}, {M(2024, 2), 7, 0}},
                  std::nullopt,
                  absl::StatusCode::kInvalidArgument,
                  "more than once"}),
    [](const auto& info) { return info.param.name; });

TEST(ApplyCreditTest, BehavesLikeAnUnnamedPayment) {
  absl::StatusOr<SettlementResult> r = ApplyCredit(3000, ThreeMonths());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->allocations,
            (std::vector<Allocation>{{M(2024, 1), 2835}, {M(2024, 2), 165}}));
  EXPECT_EQ(r->credit, 0);

  r = ApplyCredit(20000, ThreeMonths());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->allocations.size(), 3u);
  EXPECT_EQ(r->credit, 20000 - 7505);
}

TEST(ApplyCreditTest, ZeroCreditIsANoOp) {
  absl::StatusOr<SettlementResult> r = ApplyCredit(0, ThreeMonths());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->allocations.empty());
  EXPECT_EQ(r->credit, 0);
}

TEST(ApplyCreditTest, NegativeCreditRejected) {
  EXPECT_EQ(ApplyCredit(-1, ThreeMonths()).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(SettleTest, HugeAmountsDoNotOverflow) {
  const Fen max = std::numeric_limits<Fen>::max();
  absl::StatusOr<SettlementResult> r = Settle(
      max, {{M(2024, 1), max, 0}, {M(2024, 2), max, max - 1}}, std::nullopt);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->allocations, (std::vector<Allocation>{{M(2024, 1), max}}));
  EXPECT_EQ(r->credit, 0);
}

}  // namespace
}  // namespace unionhub::finance::domain
