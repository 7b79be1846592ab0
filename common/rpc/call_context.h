// What the thread serving a call knows about it, for code far from the
// grpc::ServerContext: the call's trace context (made current with
// trace::Scope, so log lines carry its id and calls to peers continue it)
// and the caller's deadline, which bounds the calls made to peers on its
// behalf (common/rpc/peer_call.h). The gate sets both for every handler.
#ifndef UNIONHUB_COMMON_RPC_CALL_CONTEXT_H_
#define UNIONHUB_COMMON_RPC_CALL_CONTEXT_H_

#include <grpcpp/server_context.h>

#include "absl/time/time.h"
#include "common/core/trace.h"

namespace unionhub::rpc {

// The call's trace context from its "traceparent" (and "tracestate")
// metadata, which the logging interceptor has already replaced by this
// server's own span; a new trace when there is none (a server built
// without that interceptor, or a malformed header).
trace::Context TraceOf(const grpc::ServerContext& context);

// Makes the call's trace context and deadline current on this thread until
// destroyed.
class CallScope {
 public:
  explicit CallScope(const grpc::ServerContext& context);
  ~CallScope();
  CallScope(const CallScope&) = delete;
  CallScope& operator=(const CallScope&) = delete;

 private:
  trace::Scope trace_;
  absl::Time previous_deadline_;
};

// The deadline of the call this thread serves; InfiniteFuture when there is
// none (a background thread, or a caller that gave no deadline).
absl::Time CallDeadline();

}  // namespace unionhub::rpc

#endif  // UNIONHUB_COMMON_RPC_CALL_CONTEXT_H_
