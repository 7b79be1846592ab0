// Logs every RPC once it ends: method, status code, latency and the
// request id (the request's own request_id field, else x-request-id
// metadata). Requests are never logged whole: they carry personal data.
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
