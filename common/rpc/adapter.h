// The one RPC adapter: binds a service's handlers (its Do<Method> member
// functions) to the gRPC overrides through the Gate, so every method of
// every service, unary, client stream or server stream, gets the same
// authorisation, stream limits, caller scope (CurrentCaller), masking and
// audit trail, decided in gate.cc once.
//
// Handlers have one of these shapes (Impl is the service class):
//   unary:          absl::Status DoM([const Caller&,] const Req&, Resp*)
//   client stream:  absl::Status DoM(const Caller&, grpc::ServerContext&,
//                                    grpc::ServerReader<Req>&, Resp*,
//                                    std::string* request_id)
//   server stream:  absl::Status DoM(const Caller&, grpc::ServerContext&,
//                                    const Req&, ResponseStream<Resp>&)
// A server-stream handler cannot reach the grpc::ServerWriter, so no
// message leaves unmasked.
#ifndef UNIONHUB_COMMON_RPC_ADAPTER_H_
#define UNIONHUB_COMMON_RPC_ADAPTER_H_

#include <grpcpp/grpcpp.h>

#include <functional>
#include <string>
#include <type_traits>
#include <utility>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/rpc/gate.h"

namespace unionhub::rpc {

// What a server-stream handler writes to: each message is masked for the
// caller before it is sent.
template <typename Response>
class ResponseStream {
 public:
  using Sink = std::function<bool(const Response&)>;

  ResponseStream(const Caller& caller, absl::Time deadline, Sink sink)
      : caller_(caller), deadline_(deadline), sink_(std::move(sink)) {}
  ResponseStream(const ResponseStream&) = delete;
  ResponseStream& operator=(const ResponseStream&) = delete;

  // False when the client has gone away.
  bool Write(Response message) {
    Gate::Mask(caller_, message);
    return sink_(message);
  }

  // When the stream limits end this stream; a handler that can stop by
  // itself (a feed) stops here with a status its client resumes from.
  absl::Time deadline() const { return deadline_; }

 private:
  const Caller& caller_;
  const absl::Time deadline_;
  Sink sink_;
};

namespace internal {

// Unary handlers that need the caller take it first; the rest (most of
// membership's) read it through CurrentCaller() when they need it at all.
template <typename Impl, typename Handler, typename Request, typename Response>
absl::Status InvokeUnary(Impl& impl, Handler handler, const Caller& caller,
                         const Request& request, Response* response) {
  if constexpr (std::is_invocable_r_v<absl::Status, Handler, Impl&,
                                      const Caller&, const Request&,
                                      Response*>) {
    return std::invoke(handler, impl, caller, request, response);
  } else {
    return std::invoke(handler, impl, request, response);
  }
}

}  // namespace internal

template <typename Impl, typename Handler, typename Request, typename Response>
grpc::Status ServeUnary(Gate& gate, grpc::ServerContext& context,
                        const std::string& method, const Request& request,
                        Response* response, Impl& impl, Handler handler) {
  return gate.Unary(
      context, method, request, response, [&](const Caller& caller) {
        return internal::InvokeUnary(impl, handler, caller, request, response);
      });
}

template <typename Impl, typename Handler, typename Request, typename Response>
grpc::Status ServeClientStream(Gate& gate, grpc::ServerContext& context,
                               const std::string& method,
                               grpc::ServerReader<Request>& reader,
                               Response* response, Impl& impl,
                               Handler handler) {
  return gate.ClientStream(context, method, response,
                           [&](const Caller& caller, std::string* request_id) {
                             return std::invoke(handler, impl, caller, context,
                                                reader, response, request_id);
                           });
}

template <typename Impl, typename Handler, typename Request, typename Response>
grpc::Status ServeServerStream(Gate& gate, grpc::ServerContext& context,
                               const std::string& method,
                               const Request& request,
                               grpc::ServerWriter<Response>& writer, Impl& impl,
                               Handler handler) {
  return gate.ServerStream(
      context, method, request, [&](const Caller& caller, absl::Time deadline) {
        // Tells the client the stream is open (admitted, authorised) before
        // the first message, which a quiet feed may not send for a while.
        writer.SendInitialMetadata();
        ResponseStream<Response> stream(caller, deadline,
                                        [&writer](const Response& message) {
                                          return writer.Write(message);
                                        });
        return std::invoke(handler, impl, caller, context, request, stream);
      });
}

}  // namespace unionhub::rpc

// Defines the override `Class::Method` of a unary method of the proto
// service `Service` (its full name, e.g.
// "unionhub.finance.v1.FinanceService") as a call of `Class::Do##Method`
// through the gate. Expands inside the service's namespace, where `v1`
// names its proto package and the class holds the Gate as `gate_`. C++
// needs each override defined, hence the one macro; what the call does is
// in the templates above.
#define UNIONHUB_RPC_UNARY(Class, Service, Method)                     \
  grpc::Status Class::Method(grpc::ServerContext* context,             \
                             const v1::Method##Request* request,       \
                             v1::Method##Response* response) {         \
    return ::unionhub::rpc::ServeUnary(                                \
        gate_, *context, std::string(Service) + "." #Method, *request, \
        response, *this, &Class::Do##Method);                          \
  }

#endif  // UNIONHUB_COMMON_RPC_ADAPTER_H_
