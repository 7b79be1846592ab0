#include "common/rpc/violations.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace unionhub::rpc {

void CheckRequestId(absl::string_view request_id, Violations& violations,
                    absl::string_view field) {
  if (request_id.empty()) {
    violations.Add(field,
                   "required: a client-chosen id that makes retries safe",
                   reasons::kRequired);
    return;
  }
  if (request_id.size() > 64) {
    violations.Add(field, "at most 64 characters", reasons::kRequestIdTooLong);
    return;
  }
  for (char c : request_id) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '.' &&
        c != '_' && c != ':' && c != '-') {
      violations.Add(field, "only letters, digits and . _ : - are allowed",
                     reasons::kRequestIdChars);
      return;
    }
  }
}

std::string CapText(absl::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  constexpr absl::string_view kCut = " ...";
  size_t keep = max_bytes > kCut.size() ? max_bytes - kCut.size() : 0;
  // Back up over UTF-8 continuation bytes so no character is split.
  while (keep > 0 && (static_cast<unsigned char>(text[keep]) & 0xC0) == 0x80) {
    --keep;
  }
  return absl::StrCat(text.substr(0, keep), kCut);
}

std::vector<FieldViolation> CapViolations(
    const std::vector<FieldViolation>& violations) {
  std::vector<FieldViolation> kept;
  size_t bytes = 0;
  for (const FieldViolation& v : violations) {
    FieldViolation cut{CapText(v.field, kMaxViolationTextBytes),
                       CapText(v.description, kMaxViolationTextBytes),
                       CapText(v.reason, kMaxViolationTextBytes)};
    const size_t size =
        cut.field.size() + cut.description.size() + cut.reason.size();
    if (kept.size() == kMaxDetailViolations ||
        bytes + size > kMaxDetailViolationBytes) {
      break;
    }
    bytes += size;
    kept.push_back(std::move(cut));
  }
  if (kept.size() < violations.size()) {
    kept.push_back({"...", absl::StrCat("and ", violations.size() - kept.size(),
                                        " more violations not shown")});
  }
  return kept;
}

}  // namespace unionhub::rpc
