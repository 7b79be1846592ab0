// Page tokens come back from clients verbatim: DecodePageToken (and
// CheckPageToken, which handlers call) on any bytes, and FilterFingerprint
// on any ListMembersRequest a client can send (unknown fields included).
// The first byte picks which; a token that decodes must re-encode to one
// that decodes to the same key.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "common/core/violations.h"
#include "common/rpc/page_token.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/stream_input.h"
#include "unionhub/membership/v1/membership.pb.h"

namespace rpc = ::unionhub::rpc;

namespace {

constexpr absl::string_view kFingerprint = "0123456789abcdef";

void Token(absl::string_view token) {
  absl::StatusOr<int64_t> key = rpc::DecodePageToken(token, kFingerprint);
  unionhub::Violations violations;
  const int64_t checked = rpc::CheckPageToken(token, kFingerprint, violations);
  if (!key.ok()) {
    FUZZ_CHECK(key.status().code() == absl::StatusCode::kInvalidArgument);
    FUZZ_CHECK(checked == 0 && !violations.empty());
    for (const unionhub::FieldViolation& v : violations.list()) {
      FUZZ_CHECK(v.field == "page_token");
    }
    return;
  }
  FUZZ_CHECK(*key >= 0 && checked == *key && violations.empty());
  const std::string again = rpc::EncodePageToken(*key, kFingerprint);
  absl::StatusOr<int64_t> decoded = rpc::DecodePageToken(again, kFingerprint);
  FUZZ_CHECK(decoded.ok() && *decoded == *key);
  // A token is bound to its filter.
  FUZZ_CHECK(!rpc::DecodePageToken(again, "fedcba9876543210").ok());
}

void Fingerprint(absl::string_view bytes) {
  unionhub::membership::v1::ListMembersRequest request;
  if (!request.ParseFromString(std::string(bytes))) return;
  const std::string fingerprint = rpc::FilterFingerprint(request);
  FUZZ_CHECK(fingerprint.size() == 16);
  // Paging through the same filter keeps the fingerprint.
  unionhub::membership::v1::ListMembersRequest next = request;
  next.set_page_token(rpc::EncodePageToken(42, fingerprint));
  next.set_page_size(request.page_size() == 7 ? 8 : 7);
  FUZZ_CHECK(rpc::FilterFingerprint(next) == fingerprint);
  absl::StatusOr<int64_t> key =
      rpc::DecodePageToken(next.page_token(), rpc::FilterFingerprint(next));
  FUZZ_CHECK(key.ok() && *key == 42);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  unionhub::fuzz::QuietProtobufLogs();
  if (size == 0) return 0;
  const absl::string_view rest(reinterpret_cast<const char*>(data) + 1,
                               size - 1);
  if (data[0] & 1) {
    Fingerprint(rest);
  } else {
    Token(rest);
  }
  return 0;
}
