#include "common/rpc/logging_interceptor.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "common/core/log.h"
#include "common/core/trace.h"
#include "common/rpc/fields.h"

namespace unionhub::rpc {
namespace {

using grpc::experimental::InterceptionHookPoints;

// Only our own services' messages are protobuf messages we may inspect:
// the built-in health service passes raw byte buffers.
bool IsOwnMethod(const char* method) {
  return absl::StartsWith(method, "/unionhub.");
}

using Metadata = std::multimap<grpc::string_ref, grpc::string_ref>;

// Every value of `key`: a traceparent sent twice is invalid, and several
// tracestate headers are one list.
std::vector<std::string> Values(const Metadata& metadata, const char* key) {
  std::vector<std::string> out;
  auto [begin, end] = metadata.equal_range(key);
  for (auto it = begin; it != end; ++it) {
    out.emplace_back(it->second.data(), it->second.size());
  }
  return out;
}

class LoggingInterceptor : public grpc::experimental::Interceptor {
 public:
  explicit LoggingInterceptor(grpc::experimental::ServerRpcInfo* info)
      : method_(info->method()), start_(absl::Now()) {}

  void Intercept(
      grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      auto* metadata = methods->GetRecvInitialMetadata();
      if (metadata != nullptr) {
        auto it = metadata->find("x-request-id");
        if (it != metadata->end()) {
          request_id_.assign(it->second.data(),
                             std::min<size_t>(it->second.size(), 64));
        }
        ResolveTrace(*metadata);
      }
    }
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_INITIAL_METADATA) &&
        !traceparent_.empty()) {
      // The caller learns the trace (and our span) even if it sent none.
      methods->GetSendInitialMetadata()->emplace(trace::kTraceresponse,
                                                 traceparent_);
    }
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::POST_RECV_MESSAGE) &&
        !seen_message_ && IsOwnMethod(method_)) {
      seen_message_ = true;
      const auto* message = static_cast<const google::protobuf::Message*>(
          methods->GetRecvMessage());
      if (message != nullptr) {
        std::string from_body = RequestIdOf(*message);
        if (!from_body.empty()) request_id_ = from_body.substr(0, 64);
      }
    }
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_STATUS)) {
      const grpc::Status status = methods->GetSendStatus();
      const auto code = status.error_code();
      const bool server_fault = code == grpc::StatusCode::INTERNAL ||
                                code == grpc::StatusCode::UNKNOWN ||
                                code == grpc::StatusCode::DATA_LOSS;
      std::optional<trace::Scope> scope;
      if (context_.has_value()) scope.emplace(*context_);
      log::Write(
          server_fault ? log::Level::kError : log::Level::kInfo, "rpc",
          {{"method", method_},
           {"code", absl::StrCat(static_cast<int>(code))},
           {"latency_ms",
            absl::StrCat(absl::ToDoubleMilliseconds(absl::Now() - start_))},
           {"request_id", request_id_}});
    }
    methods->Proceed();
  }

 private:
  // This call's span: the caller's trace continued, or a new trace when it
  // sent no valid traceparent. The received header is replaced by it, so
  // the handler (rpc::CallScope) and this access line name the same trace.
  void ResolveTrace(Metadata& metadata) {
    const std::vector<std::string> parents =
        Values(metadata, trace::kTraceparent);
    std::string state =
        absl::StrJoin(Values(metadata, trace::kTracestate), ",");
    context_ = trace::Continue(parents.size() == 1 ? parents[0] : "", state);
    traceparent_ = trace::Format(*context_);
    metadata.erase(trace::kTraceparent);
    metadata.erase(trace::kTracestate);
    // The map refers to our strings, which live as long as the call.
    metadata.emplace(trace::kTraceparent, traceparent_);
    if (!context_->tracestate.empty()) {
      metadata.emplace(trace::kTracestate, context_->tracestate);
    }
  }

  const char* method_;
  absl::Time start_;
  std::string request_id_;
  bool seen_message_ = false;
  std::optional<trace::Context> context_;
  std::string traceparent_;
};

}  // namespace

grpc::experimental::Interceptor*
LoggingInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new LoggingInterceptor(info);
}

}  // namespace unionhub::rpc
