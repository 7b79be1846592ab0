// Validation of the request id every mutating API carries, and
// the bound on how many violations an error carries.
#ifndef UNIONHUB_COMMON_RPC_VIOLATIONS_H_
#define UNIONHUB_COMMON_RPC_VIOLATIONS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "common/core/violations.h"

namespace unionhub::rpc {

// request_id: required, 1..64 characters of [A-Za-z0-9._:-].
void CheckRequestId(absl::string_view request_id, Violations& violations,
                    absl::string_view field = "request_id");

// What of `violations` goes into a status's error details: gRPC carries
// them in a trailer, and trailers over the peer's metadata limit (8 KiB by
// default) turn the call into RESOURCE_EXHAUSTED. So at most
// kMaxDetailViolations, each field and description cut to
// kMaxViolationTextBytes, together within kMaxDetailViolationBytes; when
// some are left off a last violation with field "..." says how many.
inline constexpr size_t kMaxDetailViolations = 50;
inline constexpr size_t kMaxViolationTextBytes = 200;
inline constexpr size_t kMaxDetailViolationBytes = 2048;
std::vector<FieldViolation> CapViolations(
    const std::vector<FieldViolation>& violations);

// `text` cut to at most `max_bytes` on a UTF-8 character boundary, with
// " ..." when anything was cut.
std::string CapText(absl::string_view text, size_t max_bytes);

}  // namespace unionhub::rpc

#endif  // UNIONHUB_COMMON_RPC_VIOLATIONS_H_
