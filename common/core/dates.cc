#include "common/core/dates.h"

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace unionhub::dates {
namespace {

constexpr int kMinYear = 1900;
constexpr int kMaxYear = 2999;
constexpr int kChinaUtcOffsetSeconds = 8 * 60 * 60;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Parses text[pos, pos + len) as decimal digits; false if any is not a digit.
bool ReadDigits(absl::string_view text, size_t pos, size_t len, int* out) {
  int v = 0;
  for (size_t i = pos; i < pos + len; ++i) {
    if (!IsDigit(text[i])) return false;
    v = v * 10 + (text[i] - '0');
  }
  *out = v;
  return true;
}

}  // namespace

// Error messages do not echo the input: dates here include birth dates.
absl::StatusOr<absl::CivilDay> ParseDate(absl::string_view text) {
  int year = 0;
  int month = 0;
  int day = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' ||
      !ReadDigits(text, 0, 4, &year) || !ReadDigits(text, 5, 2, &month) ||
      !ReadDigits(text, 8, 2, &day)) {
    return absl::InvalidArgumentError("date must be formatted YYYY-MM-DD");
  }
  if (year < kMinYear || year > kMaxYear) {
    return absl::InvalidArgumentError(
        "date must have a year between 1900 and 2999");
  }
  // absl::CivilDay normalises out-of-range fields (2023-02-30 becomes
  // 2023-03-02), so a real date is one that survives construction unchanged.
  const absl::CivilDay result(year, month, day);
  if (result.year() != year || result.month() != month || result.day() != day) {
    return absl::InvalidArgumentError("date is not a real calendar date");
  }
  return result;
}

std::string FormatDate(absl::CivilDay day) {
  return absl::StrFormat("%04d-%02d-%02d", day.year(), day.month(), day.day());
}

absl::StatusOr<absl::CivilMonth> ParseMonth(absl::string_view text) {
  int year = 0;
  int month = 0;
  if (text.size() != 7 || text[4] != '-' || !ReadDigits(text, 0, 4, &year) ||
      !ReadDigits(text, 5, 2, &month)) {
    return absl::InvalidArgumentError("month must be formatted YYYY-MM");
  }
  if (year < kMinYear || year > kMaxYear) {
    return absl::InvalidArgumentError(
        "month must have a year between 1900 and 2999");
  }
  if (month < 1 || month > 12) {
    return absl::InvalidArgumentError("month must be between 01 and 12");
  }
  return absl::CivilMonth(year, month);
}

std::string FormatMonth(absl::CivilMonth month) {
  return absl::StrFormat("%04d-%02d", month.year(), month.month());
}

absl::CivilDay LastDayOfMonth(absl::CivilMonth month) {
  return absl::CivilDay(month + 1) - 1;
}

absl::CivilDay TodayInChina() { return DayInChina(absl::Now()); }

absl::CivilDay DayInChina(absl::Time time) {
  return absl::ToCivilDay(time, absl::FixedTimeZone(kChinaUtcOffsetSeconds));
}

absl::Time NoonInChina(absl::CivilDay day) {
  return absl::FromCivil(
      absl::CivilSecond(day.year(), day.month(), day.day(), 12, 0, 0),
      absl::FixedTimeZone(kChinaUtcOffsetSeconds));
}

// Completed years from `from` to `to`: the anniversary in `to`'s year must
// have been reached. Comparing (month, day) pairs gives the Feb-29 rule for
// free: in a non-leap year (2, 28) < (2, 29), so the birthday is not reached
// on Feb 28, while (3, 1) > (2, 29), so it is reached on Mar 1.
// If `to` is before `from` the result is -YearsBetween(to, from), i.e.
// negative and truncated toward zero; callers computing ages or tenure should
// not pass such ranges.
int YearsBetween(absl::CivilDay from, absl::CivilDay to) {
  if (to < from) return -YearsBetween(to, from);
  int years = static_cast<int>(to.year() - from.year());
  if (to.month() < from.month() ||
      (to.month() == from.month() && to.day() < from.day())) {
    --years;
  }
  return years;
}

}  // namespace unionhub::dates
