#include "common/core/preconditions.h"

#include "absl/strings/cord.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace unionhub {

absl::Status FailedPreconditionWith(
    absl::string_view message,
    const std::vector<PreconditionViolation>& violations) {
  absl::Status status = absl::FailedPreconditionError(message);
  std::string payload;
  for (const PreconditionViolation& v : violations) {
    // Tab/newline separated as field violations are: types and subjects are our
    // own names, descriptions our own text; a stray separator becomes a space.
    std::string description = v.description;
    for (char& c : description) {
      if (c == '\t' || c == '\n') c = ' ';
    }
    absl::StrAppend(&payload, v.type, "\t", v.subject, "\t", v.actual, "\t",
                    v.required, "\t", description, "\n");
  }
  if (!violations.empty()) {
    status.SetPayload(kPreconditionPayloadUrl, absl::Cord(payload));
  }
  return status;
}

std::vector<PreconditionViolation> PreconditionViolationsOf(
    const absl::Status& status) {
  std::vector<PreconditionViolation> out;
  auto payload = status.GetPayload(kPreconditionPayloadUrl);
  if (!payload.has_value()) return out;
  for (absl::string_view line :
       absl::StrSplit(std::string(*payload), '\n', absl::SkipEmpty())) {
    std::vector<std::string> parts =
        absl::StrSplit(line, absl::MaxSplits('\t', 4));
    if (parts.size() != 5) continue;
    PreconditionViolation v{parts[0], parts[1], parts[4]};
    if (!absl::SimpleAtoi(parts[2], &v.actual) ||
        !absl::SimpleAtoi(parts[3], &v.required)) {
      continue;
    }
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace unionhub
