#include "common/rpc/peer_channel.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/support/client_interceptor.h>

#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/core/trace.h"

namespace unionhub::rpc {
namespace {

constexpr char kAuthorization[] = "authorization";

class BearerPlugin : public grpc::MetadataCredentialsPlugin {
 public:
  explicit BearerPlugin(TokenSource token) : token_(std::move(token)) {}

  // Reading a token file blocks, so gRPC calls us off its event loop.
  bool IsBlocking() const override { return true; }
  const char* GetType() const override { return "unionhub-bearer"; }

  grpc::Status GetMetadata(
      grpc::string_ref /*service_url*/, grpc::string_ref /*method_name*/,
      const grpc::AuthContext& /*channel_auth_context*/,
      std::multimap<grpc::string, grpc::string>* metadata) override {
    const std::string token = token_ ? token_() : "";
    if (!token.empty()) {
      metadata->emplace(kAuthorization, absl::StrCat("Bearer ", token));
    }
    return grpc::Status::OK;
  }

 private:
  TokenSource token_;
};

// Plaintext channels only (development): gRPC refuses call credentials
// there, so the header is added on the way out instead.
class BearerInterceptor : public grpc::experimental::Interceptor {
 public:
  explicit BearerInterceptor(const TokenSource* token) : token_(token) {}

  void Intercept(
      grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            grpc::experimental::InterceptionHookPoints::
                PRE_SEND_INITIAL_METADATA)) {
      const std::string token = *token_ ? (*token_)() : "";
      if (!token.empty()) {
        methods->GetSendInitialMetadata()->emplace(
            kAuthorization, absl::StrCat("Bearer ", token));
      }
    }
    methods->Proceed();
  }

 private:
  const TokenSource* token_;  // owned by the factory, which the channel keeps
};

class BearerInterceptorFactory
    : public grpc::experimental::ClientInterceptorFactoryInterface {
 public:
  explicit BearerInterceptorFactory(TokenSource token)
      : token_(std::move(token)) {}

  grpc::experimental::Interceptor* CreateClientInterceptor(
      grpc::experimental::ClientRpcInfo* /*info*/) override {
    return new BearerInterceptor(&token_);
  }

 private:
  TokenSource token_;
};

// Carries the thread's trace context to the peer: the same trace id under a
// new span id per call. The context is read when the call is created, on
// the caller's thread (metadata may be sent from another one).
class TraceInterceptor : public grpc::experimental::Interceptor {
 public:
  TraceInterceptor() {
    if (const trace::Context* current = trace::Current()) {
      child_ = trace::ChildOf(*current);
    }
  }

  void Intercept(
      grpc::experimental::InterceptorBatchMethods* methods) override {
    if (child_.has_value() && methods->QueryInterceptionHookPoint(
                                  grpc::experimental::InterceptionHookPoints::
                                      PRE_SEND_INITIAL_METADATA)) {
      auto* metadata = methods->GetSendInitialMetadata();
      // A caller that set its own traceparent (e.g. a test) keeps it.
      if (metadata->count(trace::kTraceparent) == 0) {
        metadata->emplace(trace::kTraceparent, trace::Format(*child_));
        if (!child_->tracestate.empty()) {
          metadata->emplace(trace::kTracestate, child_->tracestate);
        }
      }
    }
    methods->Proceed();
  }

 private:
  std::optional<trace::Context> child_;
};

class TraceInterceptorFactory
    : public grpc::experimental::ClientInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateClientInterceptor(
      grpc::experimental::ClientRpcInfo* /*info*/) override {
    return new TraceInterceptor();
  }
};

}  // namespace

std::shared_ptr<grpc::Channel> BearerChannel(
    const std::string& target,
    const std::shared_ptr<grpc::ChannelCredentials>& credentials,
    TokenSource token, const grpc::ChannelArguments& args) {
  std::shared_ptr<grpc::ChannelCredentials> composed =
      grpc::CompositeChannelCredentials(
          credentials, grpc::MetadataCredentialsFromPlugin(
                           std::make_unique<BearerPlugin>(token)));
  std::vector<
      std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>>
      interceptors;
  interceptors.push_back(std::make_unique<TraceInterceptorFactory>());
  if (composed != nullptr) {
    return grpc::experimental::CreateCustomChannelWithInterceptors(
        target, composed, args, std::move(interceptors));
  }
  interceptors.push_back(
      std::make_unique<BearerInterceptorFactory>(std::move(token)));
  return grpc::experimental::CreateCustomChannelWithInterceptors(
      target, credentials, args, std::move(interceptors));
}

}  // namespace unionhub::rpc
