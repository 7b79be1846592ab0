// Calls of any unionhub method by its compiled-in descriptors: the method
// found by name, request and response as dynamic messages of the generated
// types, and the field violations of a failed call. The command-line client
// (tools/unionctl) and the web console's JSON gateway (services/console)
// both call the services this way, so neither needs per-method code.
#ifndef UNIONHUB_COMMON_RPC_GENERIC_CALL_H_
#define UNIONHUB_COMMON_RPC_GENERIC_CALL_H_

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>
#include <grpcpp/support/status.h>

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "common/core/preconditions.h"
#include "common/core/violations.h"

namespace unionhub::rpc {

// The "/package.Service/Method" path gRPC uses.
std::string MethodPath(const google::protobuf::MethodDescriptor* method);

// A new, empty message of a compiled-in type.
std::unique_ptr<google::protobuf::Message> NewMessage(
    const google::protobuf::Descriptor* type);

// Every compiled-in unionhub service (membership, finance, audit trail,
// awards, competitions), in that order.
std::vector<const google::protobuf::ServiceDescriptor*> UnionhubServices();

// The method named by "package.Service/Method", also "Service/Method" or
// "Service.Method" when the service name is unique among the unionhub
// services; nullptr when there is no such method (or the short name is
// ambiguous). Only unionhub services are searched.
const google::protobuf::MethodDescriptor* FindUnionhubMethod(
    absl::string_view name);

// One unary call of `method` on `channel` (the context carries deadline
// and metadata).
grpc::Status CallUnary(grpc::ChannelInterface& channel,
                       const google::protobuf::MethodDescriptor* method,
                       grpc::ClientContext& context,
                       const google::protobuf::Message& request,
                       google::protobuf::Message* response);

// A server-streaming call: `on_message` for each response until the stream
// ends or it returns false (then the call is cancelled and OK returned).
grpc::Status CallServerStream(
    grpc::ChannelInterface& channel,
    const google::protobuf::MethodDescriptor* method,
    grpc::ClientContext& context, const google::protobuf::Message& request,
    const std::function<bool(const google::protobuf::Message&)>& on_message);

// A server-streaming call read one message at a time (for callers that
// must see the first answer before deciding how to reply, like the
// console's NDJSON streams). The context must outlive the reader.
class StreamReader {
 public:
  StreamReader(grpc::ChannelInterface& channel,
               const google::protobuf::MethodDescriptor* method,
               grpc::ClientContext& context,
               const google::protobuf::Message& request);
  ~StreamReader();
  // The next message into `out`; false at the end of the stream.
  bool Read(google::protobuf::Message* out);
  // After Read returned false: the call's status.
  grpc::Status Finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The field violations in serialized google.rpc.Status details (our
// wire-compatible ErrorStatus), with their reasons when the server gave
// them.
std::vector<FieldViolation> FieldViolations(const std::string& details);

// The broken rules in serialized details (our PreconditionFailure, or
// google.rpc.PreconditionFailure, whose violations have no figures).
std::vector<PreconditionViolation> PreconditionViolations(
    const std::string& details);

}  // namespace unionhub::rpc

#endif  // UNIONHUB_COMMON_RPC_GENERIC_CALL_H_
