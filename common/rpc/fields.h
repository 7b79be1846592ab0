// Reading request fields by name through protobuf reflection, for the
// parts of the platform that act on any request (logs, authorisation).
#ifndef UNIONHUB_COMMON_RPC_FIELDS_H_
#define UNIONHUB_COMMON_RPC_FIELDS_H_

#include <google/protobuf/message.h>

#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace unionhub::rpc {

// The integer at a dotted path ("org.parent_id"); nullopt when a segment is
// missing or not of the expected kind. Unset submessages read as 0.
std::optional<int64_t> Int64AtPath(const google::protobuf::Message& message,
                                   absl::string_view path);

// The request's own request_id, or its header's (client streams).
std::string RequestIdOf(const google::protobuf::Message& message);

}  // namespace unionhub::rpc

#endif  // UNIONHUB_COMMON_RPC_FIELDS_H_
