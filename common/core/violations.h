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
};

// Type URL of the status payload that carries the violations.
inline constexpr absl::string_view kViolationsPayloadUrl =
    "unionhub/field-violations";

class Violations {
 public:
  void Add(absl::string_view field, absl::string_view description);
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
