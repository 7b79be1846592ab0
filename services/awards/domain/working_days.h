// Working days for publicity (公示) periods: Monday to Friday, except public
// holidays, plus the weekend days declared working days in their place
// (调休).
#ifndef UNIONHUB_SERVICES_AWARDS_DOMAIN_WORKING_DAYS_H_
#define UNIONHUB_SERVICES_AWARDS_DOMAIN_WORKING_DAYS_H_

#include <set>

#include "absl/time/civil_time.h"

namespace unionhub::awards {

struct HolidayCalendar {
  std::set<absl::CivilDay> holidays;
  std::set<absl::CivilDay> makeup_working_days;
};

bool IsWorkingDay(absl::CivilDay day, const HolidayCalendar& calendar);

// The last day of a period of `working_days` (>= 1) working days that
// starts on `start`: `start` counts as the first when it is a working day,
// otherwise the period begins on the next working day.
absl::CivilDay LastWorkingDayOfPeriod(absl::CivilDay start, int working_days,
                                      const HolidayCalendar& calendar);

}  // namespace unionhub::awards

#endif  // UNIONHUB_SERVICES_AWARDS_DOMAIN_WORKING_DAYS_H_
