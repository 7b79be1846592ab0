#include "common/core/clock.h"

#include <gtest/gtest.h>

#include "absl/time/clock.h"
#include "common/core/dates.h"

namespace unionhub {
namespace {

TEST(ClockTest, SystemClockTodayIsTheDateInChina) {
  const absl::CivilDay before = dates::TodayInChina();
  const absl::CivilDay today = SystemClock::Get().Today();
  EXPECT_GE(today, before);
  EXPECT_LE(today, dates::TodayInChina());
}

TEST(ClockTest, TodayIsTheChinaDateOfNow) {
  // 2024-03-31 20:00 UTC is already 2024-04-01 04:00 in China.
  SettableClock clock(absl::FromCivil(absl::CivilSecond(2024, 3, 31, 20, 0, 0),
                                      absl::UTCTimeZone()));
  EXPECT_EQ(clock.Today(), absl::CivilDay(2024, 4, 1));
  clock.Set(absl::FromCivil(absl::CivilSecond(2024, 3, 31, 15, 59, 59),
                            absl::UTCTimeZone()));
  EXPECT_EQ(clock.Today(), absl::CivilDay(2024, 3, 31));
}

TEST(ClockTest, SettableClockFollowsTheWallClockUntilPinned) {
  SettableClock clock;
  const absl::Time before = absl::Now();
  const absl::Time now = clock.Now();
  const absl::Time after = absl::Now();
  EXPECT_GE(now, before);
  EXPECT_LE(now, after);

  clock.SetToday(absl::CivilDay(2020, 2, 29));
  EXPECT_EQ(clock.Today(), absl::CivilDay(2020, 2, 29));
  EXPECT_EQ(clock.Now(), dates::NoonInChina(absl::CivilDay(2020, 2, 29)));
  absl::SleepFor(absl::Milliseconds(5));
  EXPECT_EQ(clock.Now(), dates::NoonInChina(absl::CivilDay(2020, 2, 29)))
      << "a pinned clock stands still";

  clock.Advance(absl::Hours(12));  // noon + 12 h = midnight of the next day
  EXPECT_EQ(clock.Today(), absl::CivilDay(2020, 3, 1));
  clock.Advance(-absl::Seconds(1));
  EXPECT_EQ(clock.Today(), absl::CivilDay(2020, 2, 29));
}

TEST(ClockTest, NoonInChinaIsFourOClockUtc) {
  EXPECT_EQ(dates::NoonInChina(absl::CivilDay(2025, 1, 1)),
            absl::FromCivil(absl::CivilSecond(2025, 1, 1, 4, 0, 0),
                            absl::UTCTimeZone()));
  EXPECT_EQ(dates::DayInChina(dates::NoonInChina(absl::CivilDay(2025, 1, 1))),
            absl::CivilDay(2025, 1, 1));
}

}  // namespace
}  // namespace unionhub
