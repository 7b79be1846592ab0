#include "common/rpc/page_token.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include <memory>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/core/violations.h"
#include "common/db/migrations.h"

namespace unionhub::rpc {
namespace {

absl::Status BadToken(absl::string_view why) {
  Violations violations;
  violations.Add("page_token", why);
  return violations.ToStatus();
}

}  // namespace

std::string DeterministicBytes(const google::protobuf::Message& message) {
  std::string bytes;
  google::protobuf::io::StringOutputStream stream(&bytes);
  google::protobuf::io::CodedOutputStream coded(&stream);
  coded.SetSerializationDeterministic(true);
  message.SerializeToCodedStream(&coded);
  coded.Trim();
  return bytes;
}

std::string FilterFingerprint(const google::protobuf::Message& request) {
  std::unique_ptr<google::protobuf::Message> copy(request.New());
  copy->CopyFrom(request);
  const auto* descriptor = copy->GetDescriptor();
  const auto* reflection = copy->GetReflection();
  for (const char* name : {"page_token", "page_size"}) {
    if (const auto* field = descriptor->FindFieldByName(name)) {
      reflection->ClearField(copy.get(), field);
    }
  }
  return db::Sha256Hex(DeterministicBytes(*copy)).substr(0, 16);
}

std::string EncodePageToken(int64_t last_key, absl::string_view fingerprint) {
  return absl::WebSafeBase64Escape(
      absl::StrCat("1:", last_key, ":", fingerprint));
}

absl::StatusOr<int64_t> DecodePageToken(absl::string_view token,
                                        absl::string_view fingerprint) {
  if (token.empty()) return 0;
  std::string plain;
  if (!absl::WebSafeBase64Unescape(token, &plain)) {
    return BadToken("not a token returned by this service");
  }
  std::vector<absl::string_view> parts = absl::StrSplit(plain, ':');
  int64_t last_key = 0;
  if (parts.size() != 3 || parts[0] != "1" ||
      !absl::SimpleAtoi(parts[1], &last_key) || last_key < 0) {
    return BadToken("not a token returned by this service");
  }
  if (parts[2] != fingerprint) {
    return BadToken(
        "was issued for a different filter; start again without a token");
  }
  return last_key;
}

int32_t CheckPageSize(int32_t page_size, Violations& violations,
                      int32_t default_size, int32_t max_size) {
  if (page_size == 0) return default_size;
  if (page_size < 0) {
    violations.Add("page_size",
                   absl::StrCat("must not be negative (0 for the default of ",
                                default_size, ", at most ", max_size, ")"));
    return default_size;
  }
  return page_size > max_size ? max_size : page_size;
}

Page ReadPage(const google::protobuf::Message& request, Violations& violations,
              int32_t default_size, int32_t max_size) {
  const auto* descriptor = request.GetDescriptor();
  const auto* reflection = request.GetReflection();
  using google::protobuf::FieldDescriptor;
  int32_t page_size = 0;
  if (const FieldDescriptor* field = descriptor->FindFieldByName("page_size");
      field != nullptr && field->cpp_type() == FieldDescriptor::CPPTYPE_INT32) {
    page_size = reflection->GetInt32(request, field);
  }
  std::string token;
  if (const FieldDescriptor* field = descriptor->FindFieldByName("page_token");
      field != nullptr &&
      field->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
    token = reflection->GetString(request, field);
  }
  Page page;
  page.size = CheckPageSize(page_size, violations, default_size, max_size);
  page.fingerprint = FilterFingerprint(request);
  page.after = CheckPageToken(token, page.fingerprint, violations);
  return page;
}

int64_t CheckPageToken(absl::string_view token, absl::string_view fingerprint,
                       Violations& violations) {
  absl::StatusOr<int64_t> after = DecodePageToken(token, fingerprint);
  if (after.ok()) return *after;
  for (const FieldViolation& v : ViolationsOf(after.status())) {
    violations.Add(v.field, v.description);
  }
  return 0;
}

}  // namespace unionhub::rpc
