#include "common/rpc/fields.h"

#include <google/protobuf/descriptor.h>

#include "absl/strings/str_split.h"

namespace unionhub::rpc {

using google::protobuf::FieldDescriptor;

std::optional<int64_t> Int64AtPath(const google::protobuf::Message& message,
                                   absl::string_view path) {
  const google::protobuf::Message* current = &message;
  std::vector<absl::string_view> parts = absl::StrSplit(path, '.');
  for (size_t i = 0; i < parts.size(); ++i) {
    const FieldDescriptor* field =
        current->GetDescriptor()->FindFieldByName(std::string(parts[i]));
    if (field == nullptr || field->is_repeated()) return std::nullopt;
    const auto* reflection = current->GetReflection();
    if (i + 1 < parts.size()) {
      if (field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) {
        return std::nullopt;
      }
      current = &reflection->GetMessage(*current, field);
      continue;
    }
    switch (field->cpp_type()) {
      case FieldDescriptor::CPPTYPE_INT64:
        return reflection->GetInt64(*current, field);
      case FieldDescriptor::CPPTYPE_INT32:
        return reflection->GetInt32(*current, field);
      default:
        return std::nullopt;
    }
  }
  return std::nullopt;
}

std::string RequestIdOf(const google::protobuf::Message& message) {
  const auto* descriptor = message.GetDescriptor();
  const auto* reflection = message.GetReflection();
  if (const FieldDescriptor* field = descriptor->FindFieldByName("request_id");
      field != nullptr && field->type() == FieldDescriptor::TYPE_STRING &&
      !field->is_repeated()) {
    return reflection->GetString(message, field);
  }
  if (const FieldDescriptor* field = descriptor->FindFieldByName("header");
      field != nullptr && field->type() == FieldDescriptor::TYPE_MESSAGE &&
      reflection->HasField(message, field)) {
    return RequestIdOf(reflection->GetMessage(message, field));
  }
  return "";
}

}  // namespace unionhub::rpc
