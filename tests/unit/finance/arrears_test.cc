#include "services/finance/domain/arrears.h"

#include <limits>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "gtest/gtest.h"

namespace unionhub::finance::domain {
namespace {

absl::CivilMonth M(int year, int month) {
  return absl::CivilMonth(year, month);
}

// A compact way to write a member's history: one character per calendar
// month from `start`: 'U' charged 100 and unpaid, 'P' charged and paid,
// 'p' charged and partly paid (100 due, 40 paid), '.' no charge (RETAINED
// or not a member), 'Z' a 0-fen charge.
std::vector<MonthStanding> History(absl::CivilMonth start,
                                   const std::string& pattern) {
  std::vector<MonthStanding> out;
  absl::CivilMonth m = start;
  for (char c : pattern) {
    switch (c) {
      case 'U':
        out.push_back({m, 100, 0});
        break;
      case 'P':
        out.push_back({m, 100, 100});
        break;
      case 'p':
        out.push_back({m, 100, 40});
        break;
      case 'Z':
        out.push_back({m, 0, 0});
        break;
      default:
        break;
    }
    ++m;
  }
  return out;
}

struct ArrearsCase {
  std::string name;
  std::string pattern;  // starting 2024-01
  absl::CivilMonth current;
  int in_arrears;
  int longest;
  bool lapse;
  Fen outstanding;
};

class EvaluateTest : public ::testing::TestWithParam<ArrearsCase> {};

TEST_P(EvaluateTest, Standing) {
  const ArrearsCase& c = GetParam();
  const Standing s = Evaluate(History(M(2024, 1), c.pattern), c.current);
  EXPECT_EQ(s.months_in_arrears, c.in_arrears);
  EXPECT_EQ(s.longest_consecutive_unpaid, c.longest);
  EXPECT_EQ(s.lapse_candidate, c.lapse);
  EXPECT_EQ(s.outstanding, c.outstanding);
}

INSTANTIATE_TEST_SUITE_P(
    Table, EvaluateTest,
    ::testing::Values(
        ArrearsCase{"Nothing", "", M(2024, 7), 0, 0, false, 0},
        ArrearsCase{"AllPaid", "PPPPPP", M(2024, 7), 0, 0, false, 0},
        ArrearsCase{"FiveUnpaid", "UUUUU", M(2024, 6), 5, 5, false, 500},
        ArrearsCase{"SixUnpaid", "UUUUUU", M(2024, 7), 6, 6, true, 600},
        ArrearsCase{"SevenUnpaid", "UUUUUUU", M(2024, 8), 7, 7, true, 700},
        // The current month is not late yet: six charges, five in arrears.
        ArrearsCase{"CurrentMonthNotCounted", "UUUUUU", M(2024, 6), 5, 5, false,
                    500},
        // Future charges (billed ahead) are ignored too.
        ArrearsCase{"FutureIgnored", "UUUUUUUU", M(2024, 3), 2, 2, false, 200},
        // Partly paid months are unpaid for the run, and owe the rest.
        ArrearsCase{"PartlyPaidCounts", "UpUpUp", M(2024, 7), 6, 6, true,
                    3 * 100 + 3 * 60},
        // A paid month breaks the run.
        ArrearsCase{"PaidBreaksRun", "UUUPUUU", M(2024, 8), 6, 3, false, 600},
        // RETAINED months neither break nor extend: 3 + 3 across a gap of
        // two uncharged months is a run of six.
        ArrearsCase{"RetainedGapDoesNotBreak", "UUU..UUU", M(2024, 9), 6, 6,
                    true, 600},
        ArrearsCase{"RetainedGapDoesNotExtend", "UU....UUU", M(2024, 10), 5, 5,
                    false, 500},
        ArrearsCase{"RetainedAtTheEnd", "UUUUUU...", M(2024, 10), 6, 6, true,
                    600},
        // A 0-fen charge is settled and breaks a run.
        ArrearsCase{"ZeroChargeBreaksRun", "UUUZUUU", M(2024, 8), 6, 3, false,
                    600},
        // An old run of six followed by a paid month: no longer a lapse
        // candidate, but the old arrears still count.
        ArrearsCase{"OldRunThenPaid", "UUUUUUP", M(2024, 8), 6, 6, false, 600},
        ArrearsCase{"OldRunThenPaidThenTwo", "UUUUUUPUU", M(2024, 10), 8, 6,
                    false, 800},
        // The latest run decides, whatever came before.
        ArrearsCase{"LatestRunOfSix", "UUPUUUUUU", M(2024, 10), 8, 6, true,
                    800},
        // A paid current month does not end the past run.
        ArrearsCase{"PaidCurrentMonthIgnored", "UUUUUUP", M(2024, 7), 6, 6,
                    true, 600},
        ArrearsCase{"AcrossYearEnd", "......UUUUUU", M(2025, 1), 6, 6, true,
                    600}),
    [](const auto& info) { return info.param.name; });

TEST(EvaluateTest, OrderOfChargesDoesNotMatter) {
  std::vector<MonthStanding> h = History(M(2024, 1), "UUPUUUUUU");
  std::vector<MonthStanding> reversed(h.rbegin(), h.rend());
  const Standing a = Evaluate(h, M(2024, 10));
  const Standing b = Evaluate(reversed, M(2024, 10));
  EXPECT_EQ(a.months_in_arrears, b.months_in_arrears);
  EXPECT_EQ(a.longest_consecutive_unpaid, b.longest_consecutive_unpaid);
  EXPECT_EQ(a.lapse_candidate, b.lapse_candidate);
  EXPECT_EQ(a.outstanding, b.outstanding);
}

TEST(EvaluateTest, SameMonthEntriesAreSummed) {
  // A charge of 100 and a separate payment record of 100 for the same
  // month settle it; a correction charge of 20 reopens it.
  std::vector<MonthStanding> h = {{M(2024, 1), 100, 0}, {M(2024, 1), 0, 100}};
  Standing s = Evaluate(h, M(2024, 2));
  EXPECT_EQ(s.months_in_arrears, 0);
  h.push_back({M(2024, 1), 20, 0});
  s = Evaluate(h, M(2024, 2));
  EXPECT_EQ(s.months_in_arrears, 1);
  EXPECT_EQ(s.outstanding, 20);
}

TEST(EvaluateTest, OverpaidMonthIsSettled) {
  const Standing s =
      Evaluate({{M(2024, 1), 100, 150}, {M(2024, 2), 100, 0}}, M(2024, 3));
  EXPECT_EQ(s.months_in_arrears, 1);
  EXPECT_EQ(s.outstanding, 100);  // the overpayment is not netted here
}

TEST(EvaluateTest, OutstandingSaturates) {
  const Fen max = std::numeric_limits<Fen>::max();
  const Standing s =
      Evaluate({{M(2024, 1), max, 0}, {M(2024, 2), max, 0}}, M(2024, 3));
  EXPECT_EQ(s.months_in_arrears, 2);
  EXPECT_EQ(s.outstanding, max);
}

}  // namespace
}  // namespace unionhub::finance::domain
