// Opaque page tokens for keyset pagination: they carry the last key seen
// and a fingerprint of the filter, so a token is refused with another
// filter instead of silently returning a wrong page.
#ifndef UNIONHUB_COMMON_RPC_PAGE_TOKEN_H_
#define UNIONHUB_COMMON_RPC_PAGE_TOKEN_H_

#include <google/protobuf/message.h>

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/core/violations.h"

namespace unionhub::rpc {

// The deterministic serialisation of `message` (map order fixed).
std::string DeterministicBytes(const google::protobuf::Message& message);

// A fingerprint of `request` with its page_token and page_size fields
// cleared: what must stay the same from one page to the next.
std::string FilterFingerprint(const google::protobuf::Message& request);

std::string EncodePageToken(int64_t last_key, absl::string_view fingerprint);

// The last key of the previous page (0 for an empty token); INVALID_ARGUMENT
// naming page_token when it is malformed or was made for another filter.
absl::StatusOr<int64_t> DecodePageToken(absl::string_view token,
                                        absl::string_view fingerprint);

// DecodePageToken for handlers that collect every bad field: adds the
// violation and returns 0 when the token is bad.
int64_t CheckPageToken(absl::string_view token, absl::string_view fingerprint,
                       Violations& violations);

}  // namespace unionhub::rpc

#endif  // UNIONHUB_COMMON_RPC_PAGE_TOKEN_H_
