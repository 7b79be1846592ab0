// The one place absl::Status becomes grpc::Status.
#ifndef UNIONHUB_COMMON_RPC_STATUS_H_
#define UNIONHUB_COMMON_RPC_STATUS_H_

#include <grpcpp/support/status.h>

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace unionhub::rpc {

// Codes map 1:1. INVALID_ARGUMENT carries a unionhub.common.v1.ErrorStatus
// with a BadRequest listing every bad field in the error details. The
// message is PublicMessage(status); when that differs from the status's
// own, the full one is logged (with the call's trace id), so database
// details never reach a caller.
grpc::Status ToGrpcStatus(const absl::Status& status);

// What a caller (or a stored record a caller may read, such as the audit
// trail) may be told of `status`: INTERNAL, UNKNOWN and DATA_LOSS become a
// generic text, and a driver's error (db::IsDriverError: its text may name
// the database server's socket path, host or keys) a fixed text per code,
// e.g. "database unavailable; ..."; both name the current trace id, under
// which the server log has the detail. Anything else is the status's own
// message.
std::string PublicMessage(const absl::Status& status);

// The inverse, for clients of peer services: the code and message, and the
// field violations back as a Violations payload.
absl::Status FromGrpcStatus(const grpc::Status& status);

// What a service tells its own caller when a call it made to `peer` (e.g.
// "membership") for `what` (e.g. "GetMember") failed: UNAVAILABLE or
// DEADLINE_EXCEEDED is UNAVAILABLE naming the peer and the call, without
// the transport's text (addresses, resolver and socket errors: it goes to
// the log); NOT_FOUND is the peer's own answer (FromGrpcStatus); anything
// else (a bad token, a missing permission) is our misconfiguration, not
// the caller's fault: INTERNAL, whose text only the log sees.
absl::Status FromPeerStatus(absl::string_view peer, absl::string_view what,
                            const grpc::Status& status);

// The name of a status code ("UNAVAILABLE"): text safe to show anyone.
std::string StatusCodeName(grpc::StatusCode code);

}  // namespace unionhub::rpc

#endif  // UNIONHUB_COMMON_RPC_STATUS_H_
