#include "common/rpc/logging_interceptor.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/core/log.h"
#include "common/rpc/fields.h"

namespace unionhub::rpc {
namespace {

using grpc::experimental::InterceptionHookPoints;

// Only our own services' messages are protobuf messages we may inspect:
// the built-in health service passes raw byte buffers.
bool IsOwnMethod(const char* method) {
  return absl::StartsWith(method, "/unionhub.");
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
      }
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
  const char* method_;
  absl::Time start_;
  std::string request_id_;
  bool seen_message_ = false;
};

}  // namespace

grpc::experimental::Interceptor*
LoggingInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new LoggingInterceptor(info);
}

}  // namespace unionhub::rpc
