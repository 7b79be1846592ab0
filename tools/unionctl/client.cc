#include "tools/unionctl/client.h"

#include <chrono>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "common/rpc/peer_channel.h"

namespace unionhub::unionctl {
namespace {

absl::Status ReadFile(const std::string& path, const std::string& what,
                      std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat("cannot read ", what, " \"", path, "\""));
  }
  std::ostringstream text;
  text << in.rdbuf();
  *out = text.str();
  return absl::OkStatus();
}

}  // namespace

absl::Status Client::Init() {
  if (options_.plaintext) {
    credentials_ = grpc::InsecureChannelCredentials();
    return absl::OkStatus();
  }
  grpc::SslCredentialsOptions ssl;
  if (!options_.ca_file.empty()) {
    absl::Status read = ReadFile(options_.ca_file, "--ca", &ssl.pem_root_certs);
    if (!read.ok()) return read;
  }
  if (!options_.cert_file.empty() || !options_.key_file.empty()) {
    if (options_.cert_file.empty() || options_.key_file.empty()) {
      return absl::InvalidArgumentError(
          "--cert and --key go together (a client certificate and its key)");
    }
    absl::Status read =
        ReadFile(options_.cert_file, "--cert", &ssl.pem_cert_chain);
    if (read.ok()) {
      read = ReadFile(options_.key_file, "--key", &ssl.pem_private_key);
    }
    if (!read.ok()) return read;
  }
  credentials_ = grpc::SslCredentials(ssl);
  return absl::OkStatus();
}

std::string Client::AddressOf(Target target) const {
  if (!options_.target.empty()) return options_.target;
  switch (target) {
    case Target::kMembership:
      return options_.membership;
    case Target::kFinance:
      return options_.finance;
    case Target::kAwards:
      return options_.awards;
  }
  return options_.membership;
}

std::shared_ptr<grpc::Channel> Client::ChannelTo(const std::string& address) {
  auto it = channels_.find(address);
  if (it != channels_.end()) return it->second;
  grpc::ChannelArguments args;
  // Reports and ledger exports can be large.
  args.SetMaxReceiveMessageSize(256 << 20);
  auto channel = rpc::BearerChannel(
      address, credentials_, [token = options_.token] { return token; }, args);
  channels_[address] = channel;
  return channel;
}

std::unique_ptr<grpc::ClientContext> Client::NewContext(bool stream) const {
  auto context = std::make_unique<grpc::ClientContext>();
  if (!stream && options_.timeout_seconds > 0) {
    context->set_deadline(std::chrono::system_clock::now() +
                          std::chrono::seconds(options_.timeout_seconds));
  }
  return context;
}

grpc::Status Client::Unary(const google::protobuf::MethodDescriptor* method,
                           const std::string& address,
                           const google::protobuf::Message& request,
                           google::protobuf::Message* response) {
  auto channel = ChannelTo(address);
  auto context = NewContext();
  return rpc::CallUnary(*channel, method, *context, request, response);
}

grpc::Status Client::ServerStream(
    const google::protobuf::MethodDescriptor* method,
    const std::string& address, const google::protobuf::Message& request,
    const std::function<bool(const google::protobuf::Message&)>& on_message) {
  auto channel = ChannelTo(address);
  auto context = NewContext(/*stream=*/true);
  return rpc::CallServerStream(*channel, method, *context, request, on_message);
}

}  // namespace unionhub::unionctl
