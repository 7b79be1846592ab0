// Logs every RPC once it ends: method, status code, latency and the
// request id (the request's own request_id field, else x-request-id
// metadata). Requests are never logged whole: they carry personal data.
// It also resolves the call's W3C trace context (common/core/trace.h): the
// caller's traceparent continued under this server's span, or a new trace,
// which the handler sees (rpc::CallScope), the access line carries and the
// caller gets back as "traceresponse" initial metadata.
#ifndef UNIONHUB_COMMON_RPC_LOGGING_INTERCEPTOR_H_
#define UNIONHUB_COMMON_RPC_LOGGING_INTERCEPTOR_H_

#include <grpcpp/support/server_interceptor.h>

namespace unionhub::rpc {

class LoggingInterceptorFactory
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;
};

}  // namespace unionhub::rpc

#endif  // UNIONHUB_COMMON_RPC_LOGGING_INTERCEPTOR_H_
