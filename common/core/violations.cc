#include "common/core/violations.h"

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace unionhub {

void Violations::Add(absl::string_view field, absl::string_view description,
                     absl::string_view reason) {
  list_.push_back(
      {std::string(field), std::string(description), std::string(reason)});
}

void Violations::Merge(absl::string_view prefix, const Violations& other) {
  for (const auto& v : other.list_) {
    Add(prefix.empty() ? v.field : absl::StrCat(prefix, ".", v.field),
        v.description, v.reason);
  }
}

absl::Status Violations::ToStatus() const {
  if (list_.empty()) return absl::OkStatus();
  std::string message = "invalid request: ";
  std::string payload;
  for (size_t i = 0; i < list_.size(); ++i) {
    if (i > 0) message += "; ";
    absl::StrAppend(&message, list_[i].field, ": ", list_[i].description);
    // Tab/newline separated: neither appears in field paths, reasons or
    // our own descriptions.
    absl::StrAppend(&payload, list_[i].field, "\t", list_[i].reason, "\t",
                    list_[i].description, "\n");
  }
  absl::Status status = absl::InvalidArgumentError(message);
  status.SetPayload(kViolationsPayloadUrl, absl::Cord(payload));
  return status;
}

std::vector<FieldViolation> ViolationsOf(const absl::Status& status) {
  std::vector<FieldViolation> out;
  auto payload = status.GetPayload(kViolationsPayloadUrl);
  if (!payload.has_value()) return out;
  for (absl::string_view line :
       absl::StrSplit(std::string(*payload), '\n', absl::SkipEmpty())) {
    std::vector<std::string> parts =
        absl::StrSplit(line, absl::MaxSplits('\t', 2));
    parts.resize(3);
    out.push_back({parts[0], parts[2], parts[1]});
  }
  return out;
}

}  // namespace unionhub
