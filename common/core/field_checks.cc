#include "common/core/field_checks.h"

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "common/core/dates.h"

namespace unionhub::fields {

bool CheckId(int64_t id, absl::string_view field, Violations& violations) {
  if (id == 0) {
    violations.Add(field, kRequired, reasons::kRequired);
  } else if (id < 0) {
    violations.Add(field, kBadId, reasons::kBadId);
  }
  return id > 0;
}

bool CheckOptionalId(int64_t id, absl::string_view field,
                     Violations& violations) {
  if (id < 0) violations.Add(field, kBadFilterId, reasons::kBadFilterId);
  return id >= 0;
}

namespace {

// A month or a day: empty is `presence`'s business, anything else must
// parse.
template <typename Civil>
std::optional<Civil> CheckCivil(
    absl::string_view text, absl::string_view field, Violations& violations,
    Presence presence, absl::StatusOr<Civil> (*parse)(absl::string_view),
    absl::string_view bad, absl::string_view reason) {
  if (text.empty()) {
    if (presence == Presence::kRequired) {
      violations.Add(field, kRequired, reasons::kRequired);
    }
    return std::nullopt;
  }
  absl::StatusOr<Civil> parsed = parse(text);
  if (!parsed.ok()) {
    violations.Add(field, bad, reason);
    return std::nullopt;
  }
  return *parsed;
}

}  // namespace

std::optional<absl::CivilMonth> CheckMonth(absl::string_view text,
                                           absl::string_view field,
                                           Violations& violations,
                                           Presence presence) {
  return CheckCivil<absl::CivilMonth>(text, field, violations, presence,
                                      &dates::ParseMonth, kBadMonth,
                                      reasons::kBadMonth);
}

std::optional<absl::CivilDay> CheckDate(absl::string_view text,
                                        absl::string_view field,
                                        Violations& violations,
                                        Presence presence) {
  return CheckCivil<absl::CivilDay>(text, field, violations, presence,
                                    &dates::ParseDate, kBadDate,
                                    reasons::kBadDate);
}

absl::CivilDay CheckPastDateOrToday(absl::string_view text,
                                    absl::string_view field,
                                    absl::CivilDay today,
                                    Violations& violations) {
  std::optional<absl::CivilDay> day =
      CheckDate(text, field, violations, Presence::kOptional);
  if (!day.has_value()) return today;
  if (*day > today) {
    violations.Add(field, kFutureDate, reasons::kFutureDate);
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
    violations.Add(field,
                   absl::StrCat(kFutureMonth, " ", dates::FormatMonth(current)),
                   reasons::kFutureMonth);
    return std::nullopt;
  }
  return month;
}

}  // namespace unionhub::fields
