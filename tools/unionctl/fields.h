// The mapping between command-line words and protobuf fields, over
// descriptors only (no gRPC, no I/O): request fields as dotted flag names
// ("--member.name=张三", "--update_mask=name,mobile"), response fields as
// table columns with money in yuan and rates in percent.
#ifndef UNIONHUB_TOOLS_UNIONCTL_FIELDS_H_
#define UNIONHUB_TOOLS_UNIONCTL_FIELDS_H_

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace unionhub::unionctl {

namespace pb = ::google::protobuf;

// A request field settable from one flag.
struct FlagField {
  std::string path;  // dotted, e.g. "member.wage_base_fen"
  const pb::FieldDescriptor* field = nullptr;
  bool repeated = false;  // give the flag once per element
  std::string help;       // the type, and the accepted enum names
};

// Every leaf of `type` a flag can set: scalars, enums, repeated scalars,
// and Timestamp/FieldMask/Duration as one value, nested messages by dotted
// path (down to `max_depth` levels). Repeated messages are left to --json.
// A `*_fen` field also gets a `*_yuan` twin taking yuan ("12.50").
std::vector<FlagField> FlagFields(const pb::Descriptor* type,
                                  int max_depth = 3);

// Sets the field at dotted `path` of `message` from `value` (a repeated
// field gets one more element). Enums take the full value name, the name
// without the enum's prefix ("ACTIVE" for MEMBER_STATUS_ACTIVE) or the
// number; bools true/false/yes/no/1/0; timestamps RFC 3339; field masks
// comma-separated paths; `x_yuan` sets `x_fen` from yuan. INVALID_ARGUMENT
// naming the path when the value does not fit.
absl::Status SetField(pb::Message* message, absl::string_view path,
                      absl::string_view value);

// True when SetField(path) can set something on a `type` message.
bool HasFieldPath(const pb::Descriptor* type, absl::string_view path);

// "MEMBER_STATUS_ACTIVE" -> "ACTIVE" (the enum type's prefix removed).
std::string ShortEnumName(const pb::EnumValueDescriptor* value);

// Columns of a table of `type` messages: every non-repeated-message leaf
// by dotted path, nested messages flattened (up to `max_depth`).
std::vector<std::string> ColumnPaths(const pb::Descriptor* type,
                                     int max_depth = 2);

// The header of a column: `*_fen` -> `*_yuan`, `*_bp` -> `*_pct`.
std::string ColumnHeader(absl::string_view path);

// The cell of `message` at dotted `path`: money as yuan with two decimals,
// rates as percent ("85.12%", without the sign when `csv`), enums by short
// name, timestamps RFC 3339, repeated scalars joined with ",", a repeated
// message as its element count, unset sub-messages empty.
std::string Cell(const pb::Message& message, absl::string_view path, bool csv);

// Top-level repeated message fields of `type` (the rows of a response).
std::vector<const pb::FieldDescriptor*> RowFields(const pb::Descriptor* type);

}  // namespace unionhub::unionctl

#endif  // UNIONHUB_TOOLS_UNIONCTL_FIELDS_H_
