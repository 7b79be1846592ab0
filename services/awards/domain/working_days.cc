#include "services/awards/domain/working_days.h"

namespace unionhub::awards {

bool IsWorkingDay(absl::CivilDay day, const HolidayCalendar& calendar) {
  if (calendar.makeup_working_days.count(day) > 0) return true;
  if (calendar.holidays.count(day) > 0) return false;
  const absl::Weekday weekday = absl::GetWeekday(day);
  return weekday != absl::Weekday::saturday && weekday != absl::Weekday::sunday;
}

absl::CivilDay LastWorkingDayOfPeriod(absl::CivilDay start, int working_days,
                                      const HolidayCalendar& calendar) {
  absl::CivilDay day = start;
  int counted = 0;
  // A calendar can hold at most a few weeks of consecutive holidays, so
  // this ends; the bound only guards against a corrupt calendar.
  for (int guard = 0; guard < 3660; ++guard, ++day) {
    if (IsWorkingDay(day, calendar) && ++counted >= working_days) return day;
  }
  return day;
}

}  // namespace unionhub::awards
