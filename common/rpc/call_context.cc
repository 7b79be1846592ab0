#include "common/rpc/call_context.h"

#include <chrono>
#include <string>

namespace unionhub::rpc {
namespace {

thread_local absl::Time call_deadline = absl::InfiniteFuture();

// The first value of `key`, or "" (several traceparents are invalid).
std::string OnlyValue(const grpc::ServerContext& context, const char* key) {
  const auto& metadata = context.client_metadata();
  if (metadata.count(key) != 1) return "";
  const grpc::string_ref value = metadata.find(key)->second;
  return std::string(value.data(), value.size());
}

absl::Time DeadlineOf(const grpc::ServerContext& context) {
  const auto deadline = context.deadline();
  // gRPC reports "no deadline" as the largest time point.
  if (deadline == std::chrono::system_clock::time_point::max()) {
    return absl::InfiniteFuture();
  }
  return absl::FromChrono(deadline);
}

}  // namespace

trace::Context TraceOf(const grpc::ServerContext& context) {
  std::optional<trace::Context> parsed =
      trace::Parse(OnlyValue(context, trace::kTraceparent));
  if (!parsed.has_value()) return trace::NewTrace();
  parsed->tracestate = OnlyValue(context, trace::kTracestate);
  return *parsed;
}

CallScope::CallScope(const grpc::ServerContext& context)
    : trace_(TraceOf(context)), previous_deadline_(call_deadline) {
  call_deadline = DeadlineOf(context);
}

CallScope::~CallScope() { call_deadline = previous_deadline_; }

absl::Time CallDeadline() { return call_deadline; }

}  // namespace unionhub::rpc
