// The broken rules of a FAILED_PRECONDITION, each with its figures, carried
// as a status payload like field violations (violations.h). Lives in core
// (no gRPC) so handlers and domain code can report them; the rpc layer
// turns the payload into PreconditionFailure error details.
#ifndef UNIONHUB_COMMON_CORE_PRECONDITIONS_H_
#define UNIONHUB_COMMON_CORE_PRECONDITIONS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace unionhub {

// One unmet condition of a FAILED_PRECONDITION, with its figures: the rpc
// layer turns them into PreconditionFailure error details, so a client
// shows each broken rule without parsing the message.
struct PreconditionViolation {
  std::string type;     // "composition", "quota", "publicity", ...
  std::string subject;  // "composition_rules[2]", "total_quota", ...
  std::string description;
  int64_t actual = 0;
  int64_t required = 0;
};

inline constexpr absl::string_view kPreconditionPayloadUrl =
    "unionhub/precondition-violations";

// FAILED_PRECONDITION with `message` and `violations` as its payload.
absl::Status FailedPreconditionWith(
    absl::string_view message,
    const std::vector<PreconditionViolation>& violations);

// The violations carried by a status made by FailedPreconditionWith().
std::vector<PreconditionViolation> PreconditionViolationsOf(
    const absl::Status& status);

}  // namespace unionhub

#endif  // UNIONHUB_COMMON_CORE_PRECONDITIONS_H_
