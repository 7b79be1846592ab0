#include "common/core/dates.h"

#include <string>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace unionhub::dates {
namespace {

// ---------------------------------------------------------------------------
// ParseDate / FormatDate
// ---------------------------------------------------------------------------

struct DateCase {
  std::string text;
  absl::CivilDay day;
};

class ValidDateTest : public testing::TestWithParam<DateCase> {};

TEST_P(ValidDateTest, Parses) {
  absl::StatusOr<absl::CivilDay> day = ParseDate(GetParam().text);
  ASSERT_TRUE(day.ok()) << day.status();
  EXPECT_EQ(*day, GetParam().day);
}

TEST_P(ValidDateTest, FormatsBack) {
  EXPECT_EQ(FormatDate(GetParam().day), GetParam().text);
}

INSTANTIATE_TEST_SUITE_P(
    Dates, ValidDateTest,
    testing::Values(DateCase{"2024-06-15", absl::CivilDay(2024, 6, 15)},
                    DateCase{"1900-01-01", absl::CivilDay(1900, 1, 1)},
                    DateCase{"2999-12-31", absl::CivilDay(2999, 12, 31)},
                    DateCase{"2024-02-29", absl::CivilDay(2024, 2, 29)},
                    DateCase{"2000-02-29", absl::CivilDay(2000, 2, 29)},
                    DateCase{"2023-02-28", absl::CivilDay(2023, 2, 28)},
                    DateCase{"2023-04-30", absl::CivilDay(2023, 4, 30)},
                    DateCase{"2023-12-31", absl::CivilDay(2023, 12, 31)},
                    DateCase{"2023-01-09", absl::CivilDay(2023, 1, 9)}));

class InvalidDateTest : public testing::TestWithParam<std::string> {};

TEST_P(InvalidDateTest, IsInvalidArgument) {
  absl::StatusOr<absl::CivilDay> day = ParseDate(GetParam());
  ASSERT_FALSE(day.ok()) << FormatDate(*day);
  EXPECT_EQ(day.status().code(), absl::StatusCode::kInvalidArgument);
}

INSTANTIATE_TEST_SUITE_P(
    Dates, InvalidDateTest,
    testing::Values(
        // Not real dates (absl::CivilDay would silently normalise these).
        "2023-02-29", "2023-02-30", "2024-02-30", "1900-02-29", "2100-02-29",
        "2023-04-31", "2023-13-01", "2023-00-10", "2023-01-00", "2023-01-32",
        // Out of range years.
        "1899-12-31", "3000-01-01", "0000-01-01",
        // Wrong shape.
        "", "2023-1-01", "2023-01-1", "23-01-01", "2023/01/01", "20230101",
        "2023-01-01 ", " 2023-01-01", "2023-01-01T00:00", "2023-01",
        "+023-01-01", "-023-01-01", "2023-0a-01", "2023--1-01",
        "２０２３-01-01"));

// ---------------------------------------------------------------------------
// ParseMonth / FormatMonth
// ---------------------------------------------------------------------------

struct MonthCase {
  std::string text;
  absl::CivilMonth month;
};

class ValidMonthTest : public testing::TestWithParam<MonthCase> {};

TEST_P(ValidMonthTest, ParsesAndFormats) {
  absl::StatusOr<absl::CivilMonth> month = ParseMonth(GetParam().text);
  ASSERT_TRUE(month.ok()) << month.status();
  EXPECT_EQ(*month, GetParam().month);
  EXPECT_EQ(FormatMonth(GetParam().month), GetParam().text);
}

INSTANTIATE_TEST_SUITE_P(
    Dates, ValidMonthTest,
    testing::Values(MonthCase{"2024-06", absl::CivilMonth(2024, 6)},
                    MonthCase{"1900-01", absl::CivilMonth(1900, 1)},
                    MonthCase{"2999-12", absl::CivilMonth(2999, 12)},
                    MonthCase{"2023-10", absl::CivilMonth(2023, 10)}));

class InvalidMonthTest : public testing::TestWithParam<std::string> {};

TEST_P(InvalidMonthTest, IsInvalidArgument) {
  absl::StatusOr<absl::CivilMonth> month = ParseMonth(GetParam());
  ASSERT_FALSE(month.ok()) << FormatMonth(*month);
  EXPECT_EQ(month.status().code(), absl::StatusCode::kInvalidArgument);
}

INSTANTIATE_TEST_SUITE_P(Dates, InvalidMonthTest,
                         testing::Values("2023-13", "2023-00", "1899-12",
                                         "3000-01", "", "2023-1", "2023/01",
                                         "202301", "2023-01-01", " 2023-01",
                                         "2023-01 ", "2023-+1", "20a3-01"));

// ---------------------------------------------------------------------------
// LastDayOfMonth
// ---------------------------------------------------------------------------

struct LastDayCase {
  absl::CivilMonth month;
  absl::CivilDay last;
};

class LastDayOfMonthTest : public testing::TestWithParam<LastDayCase> {};

TEST_P(LastDayOfMonthTest, Computes) {
  EXPECT_EQ(LastDayOfMonth(GetParam().month), GetParam().last);
}

INSTANTIATE_TEST_SUITE_P(
    Dates, LastDayOfMonthTest,
    testing::Values(
        LastDayCase{absl::CivilMonth(2023, 1), absl::CivilDay(2023, 1, 31)},
        LastDayCase{absl::CivilMonth(2023, 2), absl::CivilDay(2023, 2, 28)},
        LastDayCase{absl::CivilMonth(2024, 2), absl::CivilDay(2024, 2, 29)},
        LastDayCase{absl::CivilMonth(2000, 2), absl::CivilDay(2000, 2, 29)},
        LastDayCase{absl::CivilMonth(1900, 2), absl::CivilDay(1900, 2, 28)},
        LastDayCase{absl::CivilMonth(2100, 2), absl::CivilDay(2100, 2, 28)},
        LastDayCase{absl::CivilMonth(2023, 4), absl::CivilDay(2023, 4, 30)},
        LastDayCase{absl::CivilMonth(2023, 6), absl::CivilDay(2023, 6, 30)},
        LastDayCase{absl::CivilMonth(2023, 9), absl::CivilDay(2023, 9, 30)},
        LastDayCase{absl::CivilMonth(2023, 11), absl::CivilDay(2023, 11, 30)},
        LastDayCase{absl::CivilMonth(2023, 12), absl::CivilDay(2023, 12, 31)}));

// ---------------------------------------------------------------------------
// YearsBetween
// ---------------------------------------------------------------------------

struct YearsCase {
  std::string name;
  absl::CivilDay from;
  absl::CivilDay to;
  int years;
};

class YearsBetweenTest : public testing::TestWithParam<YearsCase> {};

TEST_P(YearsBetweenTest, Computes) {
  EXPECT_EQ(YearsBetween(GetParam().from, GetParam().to), GetParam().years);
}

INSTANTIATE_TEST_SUITE_P(
    Dates, YearsBetweenTest,
    testing::Values(
        YearsCase{"SameDay", absl::CivilDay(2000, 5, 10),
                  absl::CivilDay(2000, 5, 10), 0},
        YearsCase{"DayBeforeFirstAnniversary", absl::CivilDay(2000, 5, 10),
                  absl::CivilDay(2001, 5, 9), 0},
        YearsCase{"FirstAnniversary", absl::CivilDay(2000, 5, 10),
                  absl::CivilDay(2001, 5, 10), 1},
        YearsCase{"DayBeforeEighteenth", absl::CivilDay(2006, 6, 16),
                  absl::CivilDay(2024, 6, 15), 17},
        YearsCase{"EighteenthBirthday", absl::CivilDay(2006, 6, 15),
                  absl::CivilDay(2024, 6, 15), 18},
        YearsCase{"EarlierMonthLaterDay", absl::CivilDay(1990, 3, 20),
                  absl::CivilDay(2024, 2, 25), 33},
        YearsCase{"LaterMonthEarlierDay", absl::CivilDay(1990, 3, 20),
                  absl::CivilDay(2024, 4, 1), 34},
        YearsCase{"YearEnd", absl::CivilDay(1949, 12, 31),
                  absl::CivilDay(2024, 12, 30), 74},
        // Feb-29 birthdays: reached on Mar-1 in non-leap years...
        YearsCase{"LeapBirthdayFeb28NonLeap", absl::CivilDay(2000, 2, 29),
                  absl::CivilDay(2001, 2, 28), 0},
        YearsCase{"LeapBirthdayMar1NonLeap", absl::CivilDay(2000, 2, 29),
                  absl::CivilDay(2001, 3, 1), 1},
        YearsCase{"LeapBirthday18Feb28", absl::CivilDay(2004, 2, 29),
                  absl::CivilDay(2022, 2, 28), 17},
        YearsCase{"LeapBirthday18Mar1", absl::CivilDay(2004, 2, 29),
                  absl::CivilDay(2022, 3, 1), 18},
        // ...and on Feb-29 itself in leap years.
        YearsCase{"LeapBirthdayFeb28Leap", absl::CivilDay(2000, 2, 29),
                  absl::CivilDay(2004, 2, 28), 3},
        YearsCase{"LeapBirthdayFeb29Leap", absl::CivilDay(2000, 2, 29),
                  absl::CivilDay(2004, 2, 29), 4},
        // Non-leap-day birthdays are unaffected by leap years.
        YearsCase{"Mar1BirthdayInLeapYear", absl::CivilDay(2001, 3, 1),
                  absl::CivilDay(2004, 2, 29), 2},
        YearsCase{"Feb28BirthdayInLeapYear", absl::CivilDay(2001, 2, 28),
                  absl::CivilDay(2004, 2, 28), 3},
        YearsCase{"LongSpan", absl::CivilDay(1900, 1, 1),
                  absl::CivilDay(2999, 12, 31), 1099},
        // Reversed ranges are the negation of the forward range.
        YearsCase{"ReversedLessThanAYear", absl::CivilDay(2001, 5, 9),
                  absl::CivilDay(2000, 5, 10), 0},
        YearsCase{"ReversedOneYear", absl::CivilDay(2001, 5, 10),
                  absl::CivilDay(2000, 5, 10), -1}),
    [](const testing::TestParamInfo<YearsCase>& info) {
      return info.param.name;
    });

// ---------------------------------------------------------------------------
// TodayInChina
// ---------------------------------------------------------------------------

TEST(TodayInChinaTest, IsUtcPlusEight) {
  // Bracket the call with independent reads so that a day boundary between
  // the reads cannot make the test flaky.
  const absl::TimeZone cst = absl::FixedTimeZone(8 * 60 * 60);
  const absl::Time start = absl::Now();
  const absl::CivilDay today = TodayInChina();
  const absl::Time end = absl::Now();
  EXPECT_GE(today, absl::ToCivilDay(start, cst));
  EXPECT_LE(today, absl::ToCivilDay(end, cst));
  // UTC+8 is never behind UTC and at most one day ahead of it.
  EXPECT_GE(today, absl::ToCivilDay(start, absl::UTCTimeZone()));
  EXPECT_LE(today, absl::ToCivilDay(end, absl::UTCTimeZone()) + 1);
}

TEST(TodayInChinaTest, FixedOffsetMatchesKnownInstants) {
  // The zone TodayInChina uses: 2024-06-14T16:00:00Z is already 06-15 in
  // China, one second earlier it is still 06-14.
  const absl::TimeZone cst = absl::FixedTimeZone(8 * 60 * 60);
  const absl::Time midnight_cst = absl::FromCivil(
      absl::CivilSecond(2024, 6, 14, 16, 0, 0), absl::UTCTimeZone());
  EXPECT_EQ(absl::ToCivilDay(midnight_cst, cst), absl::CivilDay(2024, 6, 15));
  EXPECT_EQ(absl::ToCivilDay(midnight_cst - absl::Seconds(1), cst),
            absl::CivilDay(2024, 6, 14));
}

}  // namespace
}  // namespace unionhub::dates
