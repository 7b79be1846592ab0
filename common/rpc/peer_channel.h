// Channels to peer services with the bearer token and the trace context
// (W3C traceparent, common/core/trace.h) attached once, by the channel,
// instead of by every call site.
#ifndef UNIONHUB_COMMON_RPC_PEER_CHANNEL_H_
#define UNIONHUB_COMMON_RPC_PEER_CHANNEL_H_

#include <grpcpp/channel.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/support/channel_arguments.h>

#include <functional>
#include <memory>
#include <string>

namespace unionhub::rpc {

// Asked on every call, so a rotated token file is picked up without a
// restart; "" sends no authorization header.
using TokenSource = std::function<std::string()>;

// A channel to `target` whose every call carries
// "authorization: Bearer <token()>": gRPC call credentials composed with the
// channel's TLS credentials. gRPC never sends call credentials over
// plaintext, so on an insecure (development) channel an interceptor adds
// the header instead. A call made while a trace context is current on the
// caller's thread carries "traceparent" with its trace id and a new span
// id (and its "tracestate").
std::shared_ptr<grpc::Channel> BearerChannel(
    const std::string& target,
    const std::shared_ptr<grpc::ChannelCredentials>& credentials,
    TokenSource token,
    const grpc::ChannelArguments& args = grpc::ChannelArguments());

}  // namespace unionhub::rpc

#endif  // UNIONHUB_COMMON_RPC_PEER_CHANNEL_H_
