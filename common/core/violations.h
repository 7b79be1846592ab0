// Collects every bad field of a request so one INVALID_ARGUMENT names them
// all. Lives in core (no gRPC) so domain rules can report violations; the
// rpc layer turns the status payload into BadRequest error details.
#ifndef UNIONHUB_COMMON_CORE_VIOLATIONS_H_
#define UNIONHUB_COMMON_CORE_VIOLATIONS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace unionhub {

struct FieldViolation {
  std::string field;
  std::string description;
  // Stable machine-readable reason (one of `reasons` below), or empty. The
  // description stays English; a client translates by the reason.
  std::string reason = {};
};

// The reasons the shared validators give. Stable: clients (the console's
// text tables) key their translations on them, so never rename one.
namespace reasons {
inline constexpr absl::string_view kRequired = "REQUIRED";
inline constexpr absl::string_view kBadId = "BAD_ID";
inline constexpr absl::string_view kBadFilterId = "BAD_FILTER_ID";
inline constexpr absl::string_view kBadMonth = "BAD_MONTH";
inline constexpr absl::string_view kBadDate = "BAD_DATE";
inline constexpr absl::string_view kFutureDate = "FUTURE_DATE";
inline constexpr absl::string_view kFutureMonth = "FUTURE_MONTH";
inline constexpr absl::string_view kTextInvalidUtf8 = "TEXT_INVALID_UTF8";
inline constexpr absl::string_view kTextControlChars = "TEXT_CONTROL_CHARS";
inline constexpr absl::string_view kTextDigits = "TEXT_DIGITS";
inline constexpr absl::string_view kTextTooShort = "TEXT_TOO_SHORT";
inline constexpr absl::string_view kTextTooLong = "TEXT_TOO_LONG";
inline constexpr absl::string_view kAmountOutOfRange = "AMOUNT_OUT_OF_RANGE";
inline constexpr absl::string_view kRequestIdTooLong = "REQUEST_ID_TOO_LONG";
inline constexpr absl::string_view kRequestIdChars = "REQUEST_ID_CHARS";
inline constexpr absl::string_view kBadMobile = "BAD_MOBILE";
inline constexpr absl::string_view kBadNationalId = "BAD_NATIONAL_ID";
inline constexpr absl::string_view kBadCardNumber = "BAD_CARD_NUMBER";
// A range whose end comes before its start ("to_month" before
// "from_month"), or one longer than allowed.
inline constexpr absl::string_view kRangeReversed = "RANGE_REVERSED";
inline constexpr absl::string_view kRangeTooLong = "RANGE_TOO_LONG";
// A date range (YYYY-MM-DD) whose end comes before its start: worded apart
// from kRangeReversed, whose translations speak of months.
inline constexpr absl::string_view kDateRangeReversed = "DATE_RANGE_REVERSED";
// Membership's own rules on a person, named here so every reason a client
// translates is in one list.
inline constexpr absl::string_view kNationalIdMismatch = "NATIONAL_ID_MISMATCH";
inline constexpr absl::string_view kUnderJoinAge = "UNDER_JOIN_AGE";
inline constexpr absl::string_view kNegative = "NEGATIVE";
inline constexpr absl::string_view kTooLarge = "TOO_LARGE";
}  // namespace reasons

// Type URL of the status payload that carries the violations.
inline constexpr absl::string_view kViolationsPayloadUrl =
    "unionhub/field-violations";

class Violations {
 public:
  void Add(absl::string_view field, absl::string_view description,
           absl::string_view reason = {});
  // Adds `other`'s violations with `prefix` + "." before each field name.
  void Merge(absl::string_view prefix, const Violations& other);
  bool empty() const { return list_.empty(); }
  const std::vector<FieldViolation>& list() const { return list_; }
  // OK when empty; otherwise INVALID_ARGUMENT whose message names every
  // field and whose payload carries them for the error details.
  absl::Status ToStatus() const;

 private:
  std::vector<FieldViolation> list_;
};

// The violations carried by a status made by Violations::ToStatus().
std::vector<FieldViolation> ViolationsOf(const absl::Status& status);

}  // namespace unionhub

#endif  // UNIONHUB_COMMON_CORE_VIOLATIONS_H_
