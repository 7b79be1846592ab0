#include "tools/unionctl/fields.h"

#include <google/protobuf/stubs/common.h>
#include <google/protobuf/util/json_util.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "tools/unionctl/text.h"

namespace unionhub::unionctl {
namespace {

using pb::FieldDescriptor;

bool IsWellKnownScalar(const pb::Descriptor* type) {
  const std::string& name = type->full_name();
  return name == "google.protobuf.Timestamp" ||
         name == "google.protobuf.Duration" ||
         name == "google.protobuf.FieldMask";
}

std::string UpperSnake(absl::string_view camel) {
  std::string out;
  for (size_t i = 0; i < camel.size(); ++i) {
    const char c = camel[i];
    if (absl::ascii_isupper(c) && i > 0) out += '_';
    out += absl::ascii_toupper(c);
  }
  return out;
}

std::string TypeHelp(const FieldDescriptor* field) {
  if (field->type() == FieldDescriptor::TYPE_ENUM) {
    std::vector<std::string> names;
    for (int i = 0; i < field->enum_type()->value_count(); ++i) {
      const pb::EnumValueDescriptor* v = field->enum_type()->value(i);
      if (v->number() != 0) names.push_back(ShortEnumName(v));
    }
    return absl::StrJoin(names, "|");
  }
  if (field->type() == FieldDescriptor::TYPE_MESSAGE) {
    const std::string& name = field->message_type()->full_name();
    if (name == "google.protobuf.Timestamp") return "RFC 3339 time";
    if (name == "google.protobuf.Duration") return "duration, e.g. 1.5s";
    return "comma-separated field paths";
  }
  if (field->type() == FieldDescriptor::TYPE_BOOL) return "true|false";
  if (absl::EndsWith(field->name(), "_fen")) return "fen (1 yuan = 100 fen)";
  if (absl::EndsWith(field->name(), "_bp")) return "basis points (1% = 100)";
  return field->type_name();
}

void CollectFlags(const pb::Descriptor* type, const std::string& prefix,
                  int depth_left, std::vector<FlagField>* out) {
  for (int i = 0; i < type->field_count(); ++i) {
    const FieldDescriptor* f = type->field(i);
    const std::string path = absl::StrCat(prefix, f->name());
    const bool is_message = f->type() == FieldDescriptor::TYPE_MESSAGE;
    if (is_message && !IsWellKnownScalar(f->message_type())) {
      if (!f->is_repeated() && depth_left > 1) {
        CollectFlags(f->message_type(), path + ".", depth_left - 1, out);
      }
      continue;
    }
    out->push_back({path, f, f->is_repeated(), TypeHelp(f)});
    if (!f->is_repeated() && f->cpp_type() == FieldDescriptor::CPPTYPE_INT64 &&
        absl::EndsWith(f->name(), "_fen")) {
      out->push_back({absl::StrCat(absl::StripSuffix(path, "_fen"), "_yuan"), f,
                      false, "yuan with up to two decimals"});
    }
  }
}

absl::Status Bad(absl::string_view path, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(path, ": ", why));
}

absl::Status SetWellKnown(pb::Message* sub, absl::string_view path,
                          absl::string_view value) {
  const pb::Descriptor* type = sub->GetDescriptor();
  if (type->full_name() == "google.protobuf.FieldMask") {
    const FieldDescriptor* paths = type->FindFieldByName("paths");
    for (absl::string_view p : absl::StrSplit(value, ',', absl::SkipEmpty())) {
      sub->GetReflection()->AddString(
          sub, paths, std::string(absl::StripAsciiWhitespace(p)));
    }
    return absl::OkStatus();
  }
  // Timestamps and durations take their JSON form, a string.
  std::string json = absl::StrCat("\"", value, "\"");
  if (!pb::util::JsonStringToMessage(json, sub).ok()) {
    return Bad(path, absl::StrCat("\"", value, "\" is not a ",
                                  type->name() == "Timestamp"
                                      ? "RFC 3339 time (2026-01-31T08:00:00Z)"
                                      : "duration (e.g. 90s)"));
  }
  return absl::OkStatus();
}

absl::Status SetLeaf(pb::Message* msg, const FieldDescriptor* f,
                     absl::string_view path, absl::string_view value,
                     bool yuan) {
  const pb::Reflection* r = msg->GetReflection();
  const bool rep = f->is_repeated();
  // The service cannot parse a string that is not UTF-8 (a CSV saved as
  // GBK, say): refuse it here, naming the field, rather than send what it
  // cannot read. The value is not echoed: it is not text.
  if (f->type() != FieldDescriptor::TYPE_BYTES &&
      !pb::internal::IsStructurallyValidUTF8(value.data(),
                                             static_cast<int>(value.size()))) {
    return Bad(path, "is not valid UTF-8 text (save the file as UTF-8)");
  }
  const std::string v(absl::StripAsciiWhitespace(value));
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      rep ? r->AddString(msg, f, std::string(value))
          : r->SetString(msg, f, std::string(value));
      return absl::OkStatus();
    case FieldDescriptor::CPPTYPE_INT64: {
      int64_t n = 0;
      if (yuan) {
        std::optional<int64_t> fen = YuanToFen(v);
        if (!fen) return Bad(path, absl::StrCat("\"", v, "\" is not yuan"));
        n = *fen;
      } else if (!absl::SimpleAtoi(v, &n)) {
        return Bad(path, absl::StrCat("\"", v, "\" is not an integer"));
      }
      rep ? r->AddInt64(msg, f, n) : r->SetInt64(msg, f, n);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_INT32: {
      int32_t n = 0;
      if (!absl::SimpleAtoi(v, &n)) {
        return Bad(path, absl::StrCat("\"", v, "\" is not an integer"));
      }
      rep ? r->AddInt32(msg, f, n) : r->SetInt32(msg, f, n);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_UINT64: {
      uint64_t n = 0;
      if (!absl::SimpleAtoi(v, &n)) {
        return Bad(path, absl::StrCat("\"", v, "\" is not an integer"));
      }
      rep ? r->AddUInt64(msg, f, n) : r->SetUInt64(msg, f, n);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_UINT32: {
      uint32_t n = 0;
      if (!absl::SimpleAtoi(v, &n)) {
        return Bad(path, absl::StrCat("\"", v, "\" is not an integer"));
      }
      rep ? r->AddUInt32(msg, f, n) : r->SetUInt32(msg, f, n);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_DOUBLE:
    case FieldDescriptor::CPPTYPE_FLOAT: {
      double d = 0;
      if (!absl::SimpleAtod(v, &d)) {
        return Bad(path, absl::StrCat("\"", v, "\" is not a number"));
      }
      if (f->cpp_type() == FieldDescriptor::CPPTYPE_FLOAT) {
        rep ? r->AddFloat(msg, f, static_cast<float>(d))
            : r->SetFloat(msg, f, static_cast<float>(d));
      } else {
        rep ? r->AddDouble(msg, f, d) : r->SetDouble(msg, f, d);
      }
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_BOOL: {
      const std::string lower = absl::AsciiStrToLower(v);
      bool b;
      if (lower == "true" || lower == "yes" || lower == "1" || lower == "y") {
        b = true;
      } else if (lower == "false" || lower == "no" || lower == "0" ||
                 lower == "n" || lower.empty()) {
        b = false;
      } else {
        return Bad(path, absl::StrCat("\"", v, "\" is not true or false"));
      }
      rep ? r->AddBool(msg, f, b) : r->SetBool(msg, f, b);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_ENUM: {
      const pb::EnumDescriptor* e = f->enum_type();
      const std::string upper = absl::AsciiStrToUpper(v);
      const pb::EnumValueDescriptor* found = e->FindValueByName(upper);
      for (int i = 0; found == nullptr && i < e->value_count(); ++i) {
        if (ShortEnumName(e->value(i)) == upper) found = e->value(i);
      }
      int number = 0;
      if (found == nullptr && absl::SimpleAtoi(v, &number)) {
        found = e->FindValueByNumber(number);
      }
      if (found == nullptr) {
        return Bad(path,
                   absl::StrCat("\"", v, "\" is not one of ", TypeHelp(f)));
      }
      rep ? r->AddEnum(msg, f, found) : r->SetEnum(msg, f, found);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_MESSAGE: {
      pb::Message* sub =
          rep ? r->AddMessage(msg, f) : r->MutableMessage(msg, f);
      return SetWellKnown(sub, path, v);
    }
  }
  return Bad(path, "unsupported field type");
}

std::string TimeText(const pb::Message& wkt) {
  std::string json;
  if (!pb::util::MessageToJsonString(wkt, &json).ok()) return "";
  return std::string(absl::StripSuffix(absl::StripPrefix(json, "\""), "\""));
}

std::string ScalarCell(const pb::Message& msg, const FieldDescriptor* f,
                       int index, bool csv) {
  const pb::Reflection* r = msg.GetReflection();
  const bool rep = f->is_repeated();
  const bool fen = absl::EndsWith(f->name(), "_fen");
  const bool bp = absl::EndsWith(f->name(), "_bp");
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT64:
    case FieldDescriptor::CPPTYPE_INT32: {
      int64_t n =
          f->cpp_type() == FieldDescriptor::CPPTYPE_INT64
              ? (rep ? r->GetRepeatedInt64(msg, f, index) : r->GetInt64(msg, f))
              : (rep ? r->GetRepeatedInt32(msg, f, index)
                     : r->GetInt32(msg, f));
      if (fen) return FenToYuan(n);
      if (bp) return BpToPercent(n, !csv);
      return absl::StrCat(n);
    }
    case FieldDescriptor::CPPTYPE_UINT64:
      return absl::StrCat(rep ? r->GetRepeatedUInt64(msg, f, index)
                              : r->GetUInt64(msg, f));
    case FieldDescriptor::CPPTYPE_UINT32:
      return absl::StrCat(rep ? r->GetRepeatedUInt32(msg, f, index)
                              : r->GetUInt32(msg, f));
    case FieldDescriptor::CPPTYPE_DOUBLE:
      return absl::StrCat(rep ? r->GetRepeatedDouble(msg, f, index)
                              : r->GetDouble(msg, f));
    case FieldDescriptor::CPPTYPE_FLOAT:
      return absl::StrCat(rep ? r->GetRepeatedFloat(msg, f, index)
                              : r->GetFloat(msg, f));
    case FieldDescriptor::CPPTYPE_BOOL:
      return (rep ? r->GetRepeatedBool(msg, f, index) : r->GetBool(msg, f))
                 ? "true"
                 : "false";
    case FieldDescriptor::CPPTYPE_ENUM: {
      const pb::EnumValueDescriptor* v =
          rep ? r->GetRepeatedEnum(msg, f, index) : r->GetEnum(msg, f);
      return v->number() == 0 ? "" : ShortEnumName(v);
    }
    case FieldDescriptor::CPPTYPE_STRING:
      // Stored text is whatever some caller sent: never raw to a terminal.
      return EscapeControls(
          rep ? r->GetRepeatedString(msg, f, index) : r->GetString(msg, f),
          csv);
    case FieldDescriptor::CPPTYPE_MESSAGE: {
      const pb::Message& sub =
          rep ? r->GetRepeatedMessage(msg, f, index) : r->GetMessage(msg, f);
      if (sub.GetDescriptor()->full_name() == "google.protobuf.FieldMask") {
        const FieldDescriptor* paths =
            sub.GetDescriptor()->FindFieldByName("paths");
        std::vector<std::string> out;
        for (int i = 0; i < sub.GetReflection()->FieldSize(sub, paths); ++i) {
          out.push_back(sub.GetReflection()->GetRepeatedString(sub, paths, i));
        }
        return absl::StrJoin(out, ",");
      }
      return TimeText(sub);
    }
  }
  return "";
}

}  // namespace

std::string ShortEnumName(const pb::EnumValueDescriptor* value) {
  const std::string prefix = UpperSnake(value->type()->name()) + "_";
  absl::string_view name = value->name();
  if (absl::StartsWith(name, prefix) && name.size() > prefix.size()) {
    name.remove_prefix(prefix.size());
  }
  return std::string(name);
}

bool HasFieldPath(const pb::Descriptor* type, absl::string_view path) {
  for (const FlagField& f : FlagFields(type, 4)) {
    if (f.path == path) return true;
  }
  return false;
}

std::vector<FlagField> FlagFields(const pb::Descriptor* type, int max_depth) {
  std::vector<FlagField> out;
  CollectFlags(type, "", max_depth, &out);
  return out;
}

absl::Status SetField(pb::Message* message, absl::string_view path,
                      absl::string_view value) {
  std::vector<std::string> parts = absl::StrSplit(path, '.');
  pb::Message* msg = message;
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    const FieldDescriptor* f = msg->GetDescriptor()->FindFieldByName(parts[i]);
    if (f == nullptr || f->type() != FieldDescriptor::TYPE_MESSAGE ||
        f->is_repeated()) {
      return Bad(path, "no such field");
    }
    msg = msg->GetReflection()->MutableMessage(msg, f);
  }
  const std::string& last = parts.back();
  const FieldDescriptor* f = msg->GetDescriptor()->FindFieldByName(last);
  bool yuan = false;
  if (f == nullptr && absl::EndsWith(last, "_yuan")) {
    f = msg->GetDescriptor()->FindFieldByName(
        absl::StrCat(absl::StripSuffix(last, "_yuan"), "_fen"));
    yuan = f != nullptr && f->cpp_type() == FieldDescriptor::CPPTYPE_INT64;
    if (!yuan) f = nullptr;
  }
  if (f == nullptr) return Bad(path, "no such field");
  if (f->type() == FieldDescriptor::TYPE_MESSAGE &&
      !IsWellKnownScalar(f->message_type())) {
    return Bad(path, "is a message: set its fields (path.field) or use --json");
  }
  return SetLeaf(msg, f, path, value, yuan);
}

std::vector<std::string> ColumnPaths(const pb::Descriptor* type,
                                     int max_depth) {
  std::vector<std::string> out;
  for (int i = 0; i < type->field_count(); ++i) {
    const FieldDescriptor* f = type->field(i);
    if (f->type() == FieldDescriptor::TYPE_MESSAGE && !f->is_repeated() &&
        !IsWellKnownScalar(f->message_type())) {
      if (max_depth > 1) {
        for (const std::string& sub :
             ColumnPaths(f->message_type(), max_depth - 1)) {
          out.push_back(absl::StrCat(f->name(), ".", sub));
        }
      }
      continue;
    }
    out.push_back(f->name());
  }
  return out;
}

std::string ColumnHeader(absl::string_view path) {
  if (absl::EndsWith(path, "_fen")) {
    return absl::StrCat(absl::StripSuffix(path, "_fen"), "_yuan");
  }
  if (absl::EndsWith(path, "_bp")) {
    return absl::StrCat(absl::StripSuffix(path, "_bp"), "_pct");
  }
  return std::string(path);
}

std::string Cell(const pb::Message& message, absl::string_view path, bool csv) {
  std::vector<std::string> parts = absl::StrSplit(path, '.');
  const pb::Message* msg = &message;
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    const FieldDescriptor* f = msg->GetDescriptor()->FindFieldByName(parts[i]);
    if (f == nullptr || f->is_repeated() ||
        f->type() != FieldDescriptor::TYPE_MESSAGE) {
      return "";
    }
    if (!msg->GetReflection()->HasField(*msg, f)) return "";
    msg = &msg->GetReflection()->GetMessage(*msg, f);
  }
  const FieldDescriptor* f =
      msg->GetDescriptor()->FindFieldByName(parts.back());
  if (f == nullptr) return "";
  const pb::Reflection* r = msg->GetReflection();
  if (f->is_repeated()) {
    const int n = r->FieldSize(*msg, f);
    if (f->type() == FieldDescriptor::TYPE_MESSAGE &&
        !IsWellKnownScalar(f->message_type())) {
      return absl::StrCat(n);
    }
    std::vector<std::string> items;
    for (int i = 0; i < n; ++i) items.push_back(ScalarCell(*msg, f, i, csv));
    return absl::StrJoin(items, ",");
  }
  if (f->type() == FieldDescriptor::TYPE_MESSAGE && !r->HasField(*msg, f)) {
    return "";
  }
  return ScalarCell(*msg, f, 0, csv);
}

std::vector<const pb::FieldDescriptor*> RowFields(const pb::Descriptor* type) {
  std::vector<const FieldDescriptor*> out;
  for (int i = 0; i < type->field_count(); ++i) {
    const FieldDescriptor* f = type->field(i);
    if (f->is_repeated() && f->type() == FieldDescriptor::TYPE_MESSAGE &&
        !IsWellKnownScalar(f->message_type())) {
      out.push_back(f);
    }
  }
  return out;
}

}  // namespace unionhub::unionctl
