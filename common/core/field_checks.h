// One validator per kind of request field, each with one message, so a
// caller sees the same words for the same mistake in every service. Text
// has its own rule (common/core/text.h), money its bounds
// (common/core/money.h CheckAmount) and paging its helper
// (common/rpc/page_token.h); this file holds the rest. Lives in core (no
// gRPC) so domain rules may use it too.
#ifndef UNIONHUB_COMMON_CORE_FIELD_CHECKS_H_
#define UNIONHUB_COMMON_CORE_FIELD_CHECKS_H_

#include <cstdint>
#include <optional>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "common/core/violations.h"

namespace unionhub::fields {

// The messages, for tests and for the few checks that need a variant.
inline constexpr absl::string_view kRequired = "is required";
inline constexpr absl::string_view kBadId = "must be a positive id";
inline constexpr absl::string_view kBadFilterId =
    "must be a positive id, or 0 for any";
inline constexpr absl::string_view kBadMonth = "must be a month YYYY-MM";
inline constexpr absl::string_view kBadDate = "must be a date YYYY-MM-DD";
inline constexpr absl::string_view kFutureDate = "must not be in the future";
inline constexpr absl::string_view kFutureMonth =
    "must not be after the current month";

// A required id: 0 is "is required", negative kBadId. Returns whether the
// id is usable.
bool CheckId(int64_t id, absl::string_view field, Violations& violations);

// An id that filters a list or names an optional link, where 0 means
// "any" or "none": only negative ids are refused.
bool CheckOptionalId(int64_t id, absl::string_view field,
                     Violations& violations);

// The ids every service names, with their usual field names.
inline bool CheckMemberId(int64_t id, Violations& violations,
                          absl::string_view field = "member_id") {
  return CheckId(id, field, violations);
}
inline bool CheckOrgId(int64_t id, Violations& violations,
                       absl::string_view field = "org_id") {
  return CheckId(id, field, violations);
}

enum class Presence { kRequired, kOptional };

// "YYYY-MM" (years 1900..2999). Empty is kRequired's violation or, when
// optional, nullopt with no violation.
std::optional<absl::CivilMonth> CheckMonth(
    absl::string_view text, absl::string_view field, Violations& violations,
    Presence presence = Presence::kRequired);

// "YYYY-MM-DD", a real calendar date (years 1900..2999); empty as for
// CheckMonth.
std::optional<absl::CivilDay> CheckDate(
    absl::string_view text, absl::string_view field, Violations& violations,
    Presence presence = Presence::kRequired);

// A day something already happened on ("paid on", "as of"): `today` when
// empty, and not after `today`. On a violation the result is `today`.
absl::CivilDay CheckPastDateOrToday(absl::string_view text,
                                    absl::string_view field,
                                    absl::CivilDay today,
                                    Violations& violations);

// A required month that has begun: not after `current`.
std::optional<absl::CivilMonth> CheckPastMonth(absl::string_view text,
                                               absl::string_view field,
                                               absl::CivilMonth current,
                                               Violations& violations);

}  // namespace unionhub::fields

#endif  // UNIONHUB_COMMON_CORE_FIELD_CHECKS_H_
