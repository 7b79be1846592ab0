// Connections to the services: one TLS channel per address, the bearer
// token on every call, and calls of any method by its descriptor (the
// generated message classes serialize themselves).
#ifndef UNIONHUB_TOOLS_UNIONCTL_CLIENT_H_
#define UNIONHUB_TOOLS_UNIONCTL_CLIENT_H_

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <grpcpp/grpcpp.h>

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "common/rpc/generic_call.h"
#include "tools/unionctl/commands.h"

namespace unionhub::unionctl {

struct ClientOptions {
  std::string membership = "127.0.0.1:50051";
  std::string finance = "127.0.0.1:50052";
  std::string awards = "127.0.0.1:50053";
  std::string target;  // overrides the three above
  std::string token;
  std::string ca_file, cert_file, key_file;
  bool plaintext = false;
  int timeout_seconds = 300;
};

class Client {
 public:
  explicit Client(ClientOptions options) : options_(std::move(options)) {}

  // Reads the TLS material; a missing file is an error here, before any
  // call.
  absl::Status Init();

  std::string AddressOf(Target target) const;
  std::shared_ptr<grpc::Channel> ChannelTo(const std::string& address);
  std::shared_ptr<grpc::Channel> ChannelFor(Target target) {
    return ChannelTo(AddressOf(target));
  }

  // A context with the token and, unless `stream`, the deadline.
  std::unique_ptr<grpc::ClientContext> NewContext(bool stream = false) const;

  grpc::Status Unary(const google::protobuf::MethodDescriptor* method,
                     const std::string& address,
                     const google::protobuf::Message& request,
                     google::protobuf::Message* response);

  // Calls `on_message` for each response until the stream ends or it
  // returns false (then the call is cancelled and OK is returned).
  grpc::Status ServerStream(
      const google::protobuf::MethodDescriptor* method,
      const std::string& address, const google::protobuf::Message& request,
      const std::function<bool(const google::protobuf::Message&)>& on_message);

 private:
  ClientOptions options_;
  std::shared_ptr<grpc::ChannelCredentials> credentials_;
  std::map<std::string, std::shared_ptr<grpc::Channel>> channels_;
};

using rpc::MethodPath;
using rpc::NewMessage;

}  // namespace unionhub::unionctl

#endif  // UNIONHUB_TOOLS_UNIONCTL_CLIENT_H_
