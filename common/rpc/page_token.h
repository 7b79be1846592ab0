// The one pagination helper every List method uses: page_size as AIP-158
// has it, and opaque page tokens for keyset pagination. A token carries the
// last key seen and a fingerprint of the filter, so it is refused with
// another filter instead of silently returning a wrong page.
#ifndef UNIONHUB_COMMON_RPC_PAGE_TOKEN_H_
#define UNIONHUB_COMMON_RPC_PAGE_TOKEN_H_

#include <google/protobuf/message.h>

#include <cstddef>
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

inline constexpr int32_t kDefaultPageSize = 100;
inline constexpr int32_t kMaxPageSize = 1000;

// The effective page size: 0 means `default_size`; above `max_size` is cut
// to `max_size` (AIP-158: a client may not know the maximum, and a short
// page with a next token is always a valid answer); negative is a
// violation naming page_size.
int32_t CheckPageSize(int32_t page_size, Violations& violations,
                      int32_t default_size = kDefaultPageSize,
                      int32_t max_size = kMaxPageSize);

// One List request's page, read by ReadPage.
struct Page {
  int32_t size = kDefaultPageSize;  // rows to return at most
  int64_t after = 0;  // the last key of the previous page; 0 on the first
  std::string fingerprint;

  // Rows to ask the store for: one more than the page tells whether
  // another page follows.
  int32_t fetch() const { return size + 1; }
  std::string NextToken(int64_t last_key) const {
    return EncodePageToken(last_key, fingerprint);
  }
  // Cuts `rows` (fetched with fetch()) to the page; true when more follow.
  template <typename Rows>
  bool Trim(Rows& rows) const {
    if (rows.size() <= static_cast<size_t>(size)) return false;
    rows.erase(rows.begin() + size, rows.end());
    return true;
  }
};

// The page `request` asks for, from its page_size and page_token fields:
// the size as CheckPageSize makes it, the key after which the page starts,
// and the filter fingerprint its next token must carry. Bad values add
// violations naming page_size or page_token.
Page ReadPage(const google::protobuf::Message& request, Violations& violations,
              int32_t default_size = kDefaultPageSize,
              int32_t max_size = kMaxPageSize);

// DecodePageToken for handlers that collect every bad field: adds the
// violation and returns 0 when the token is bad.
int64_t CheckPageToken(absl::string_view token, absl::string_view fingerprint,
                       Violations& violations);

}  // namespace unionhub::rpc

#endif  // UNIONHUB_COMMON_RPC_PAGE_TOKEN_H_
