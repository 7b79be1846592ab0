#include "common/db/json_rows.h"

#include "absl/strings/str_cat.h"

namespace unionhub::db {

JsonRows& JsonRows::Row() {
  json_ += rows_ == 0 ? "[" : "],[";
  ++rows_;
  first_in_row_ = true;
  return *this;
}

void JsonRows::Separate() {
  if (!first_in_row_) json_ += ',';
  first_in_row_ = false;
}

JsonRows& JsonRows::Add(int64_t value) {
  Separate();
  absl::StrAppend(&json_, value);
  return *this;
}

JsonRows& JsonRows::Add(absl::string_view text) {
  Separate();
  json_ += '"';
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      json_ += '\\';
      json_ += c;
    } else if (byte < 0x20) {
      absl::StrAppend(&json_, "\\u00", absl::Hex(byte, absl::kZeroPad2));
    } else {
      json_ += c;
    }
  }
  json_ += '"';
  return *this;
}

}  // namespace unionhub::db
