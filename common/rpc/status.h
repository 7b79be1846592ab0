// The one place absl::Status becomes grpc::Status.
#ifndef UNIONHUB_COMMON_RPC_STATUS_H_
#define UNIONHUB_COMMON_RPC_STATUS_H_

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace unionhub::rpc {

// Codes map 1:1. INVALID_ARGUMENT carries a unionhub.common.v1.ErrorStatus
// with a BadRequest listing every bad field in the error details. INTERNAL
// and UNKNOWN messages are replaced by a generic text (the full one is
// logged) so database details never reach a caller.
grpc::Status ToGrpcStatus(const absl::Status& status);

// The inverse, for clients of peer services: the code and message, and the
// field violations back as a Violations payload.
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace unionhub::rpc

#endif  // UNIONHUB_COMMON_RPC_STATUS_H_
