#include "services/awards/domain/working_days.h"

#include <gtest/gtest.h>

namespace unionhub::awards {
namespace {

using absl::CivilDay;

TEST(WorkingDays, FiveDaysFromMondayEndFriday) {
  // 2024-06-03 is a Monday.
  EXPECT_EQ(LastWorkingDayOfPeriod(CivilDay(2024, 6, 3), 5, {}),
            CivilDay(2024, 6, 7));
}

TEST(WorkingDays, WeekendsAreSkipped) {
  // From Wednesday 2024-06-05: Wed Thu Fri, (Sat Sun), Mon Tue.
  EXPECT_EQ(LastWorkingDayOfPeriod(CivilDay(2024, 6, 5), 5, {}),
            CivilDay(2024, 6, 11));
}

TEST(WorkingDays, StartOnAWeekendBeginsMonday) {
  // Saturday 2024-06-01 -> Monday 3rd is day 1 -> Friday 7th is day 5.
  EXPECT_EQ(LastWorkingDayOfPeriod(CivilDay(2024, 6, 1), 5, {}),
            CivilDay(2024, 6, 7));
}

TEST(WorkingDays, HolidaysAreSkipped) {
  // 端午节 2024: Monday 2024-06-10 is a public holiday.
  HolidayCalendar calendar;
  calendar.holidays.insert(CivilDay(2024, 6, 10));
  EXPECT_EQ(LastWorkingDayOfPeriod(CivilDay(2024, 6, 5), 5, calendar),
            CivilDay(2024, 6, 12));
}

TEST(WorkingDays, NationalDayWeekWithMakeupDays) {
  // 2024 National Day: Oct 1-7 off; Sunday Sep 29 and Saturday Oct 12 are
  // working days instead.
  HolidayCalendar calendar;
  for (int d = 1; d <= 7; ++d) calendar.holidays.insert(CivilDay(2024, 10, d));
  calendar.makeup_working_days.insert(CivilDay(2024, 9, 29));
  calendar.makeup_working_days.insert(CivilDay(2024, 10, 12));
  // Fri Sep 27 (1), Sun Sep 29 (2), Mon Sep 30 (3), Tue Oct 8 (4), Wed 9 (5).
  EXPECT_EQ(LastWorkingDayOfPeriod(CivilDay(2024, 9, 27), 5, calendar),
            CivilDay(2024, 10, 9));
  // Thu Oct 10 (1), Fri 11 (2), Sat 12 makeup (3), Mon 14 (4).
  EXPECT_EQ(LastWorkingDayOfPeriod(CivilDay(2024, 10, 10), 4, calendar),
            CivilDay(2024, 10, 14));
  EXPECT_FALSE(IsWorkingDay(CivilDay(2024, 10, 3), calendar));
  EXPECT_TRUE(IsWorkingDay(CivilDay(2024, 9, 29), calendar));
}

TEST(WorkingDays, OneDayPeriodOnAWorkingDayIsThatDay) {
  EXPECT_EQ(LastWorkingDayOfPeriod(CivilDay(2024, 6, 4), 1, {}),
            CivilDay(2024, 6, 4));
}

}  // namespace
}  // namespace unionhub::awards
