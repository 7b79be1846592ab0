// Calendar dates ("YYYY-MM-DD") and months ("YYYY-MM") as used in the API.
#ifndef UNIONHUB_COMMON_CORE_DATES_H_
#define UNIONHUB_COMMON_CORE_DATES_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace unionhub::dates {

// Strictly "YYYY-MM-DD" with a real calendar date, years 1900..2999.
absl::StatusOr<absl::CivilDay> ParseDate(absl::string_view text);
std::string FormatDate(absl::CivilDay day);

// Strictly "YYYY-MM", years 1900..2999.
absl::StatusOr<absl::CivilMonth> ParseMonth(absl::string_view text);
std::string FormatMonth(absl::CivilMonth month);

absl::CivilDay LastDayOfMonth(absl::CivilMonth month);

// Today in China Standard Time (UTC+8, no DST): the union's business day.
// Services ask their injected Clock (common/core/clock.h) instead.
absl::CivilDay TodayInChina();

// The date of `time` in China Standard Time, and noon of `day` there.
absl::CivilDay DayInChina(absl::Time time);
absl::Time NoonInChina(absl::CivilDay day);

// Whole years between two days (age or tenure), counting a Feb-29 birthday
// as reached on Mar-1 in non-leap years.
int YearsBetween(absl::CivilDay from, absl::CivilDay to);

}  // namespace unionhub::dates

#endif  // UNIONHUB_COMMON_CORE_DATES_H_
