#include "common/core/field_checks.h"

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "common/core/dates.h"

namespace unionhub::fields {

bool CheckId(int64_t id, absl::string_view field, Violations& violations) {
  if (id == 0) {
    violations.Add(field, kRequired);
  } else if (id < 0) {
    violations.Add(field, kBadId);
  }
  return id > 0;
}

bool CheckOptionalId(int64_t id, absl::string_view field,
                     Violations& violations) {
  if (id < 0) violations.Add(field, kBadFilterId);
  return id >= 0;
}

std::optional<absl::CivilMonth> CheckMonth(absl::string_view text,
                                           absl::string_view field,
                                           Violations& violations,
                                           Presence presence) {
  if (text.empty()) {
    if (presence == Presence::kRequired) violations.Add(field, kRequired);
    return std::nullopt;
  }
  absl::StatusOr<absl::CivilMonth> month = dates::ParseMonth(text);
  if (!month.ok()) {
    violations.Add(field, kBadMonth);
    return std::nullopt;
  }
  return *month;
}

std::optional<absl::CivilDay> CheckDate(absl::string_view text,
                                        absl::string_view field,
                                        Violations& violations,
                                        Presence presence) {
  if (text.empty()) {
    if (presence == Presence::kRequired) violations.Add(field, kRequired);
    return std::nullopt;
  }
  absl::StatusOr<absl::CivilDay> day = dates::ParseDate(text);
  if (!day.ok()) {
    violations.Add(field, kBadDate);
    return std::nullopt;
  }
  return *day;
}

absl::CivilDay CheckPastDateOrToday(absl::string_view text,
                                    absl::string_view field,
                                    absl::CivilDay today,
                                    Violations& violations) {
  std::optional<absl::CivilDay> day =
      CheckDate(text, field, violations, Presence::kOptional);
  if (!day.has_value()) return today;
  if (*day > today) {
    violations.Add(field, kFutureDate);
    return today;
  }
  return *day;
}

std::optional<absl::CivilMonth> CheckPastMonth(absl::string_view text,
                                               absl::string_view field,
                                               absl::CivilMonth current,
                                               Violations& violations) {
  std::optional<absl::CivilMonth> month = CheckMonth(text, field, violations);
  if (month.has_value() && *month > current) {
    violations.Add(
        field, absl::StrCat(kFutureMonth, " ", dates::FormatMonth(current)));
    return std::nullopt;
  }
  return month;
}

}  // namespace unionhub::fields
