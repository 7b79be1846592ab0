// TLS for servers and clients from PEM files. Plaintext exists only behind
// an explicit development flag in each binary.
#ifndef UNIONHUB_COMMON_RPC_TLS_H_
#define UNIONHUB_COMMON_RPC_TLS_H_

#include <grpcpp/security/credentials.h>
#include <grpcpp/security/server_credentials.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace unionhub::rpc {

struct ServerTlsFiles {
  std::string cert_file;       // this server's certificate chain
  std::string key_file;        // its private key
  std::string client_ca_file;  // CA for client certificates (optional)
  // Refuse clients without a certificate from client_ca_file (mutual TLS,
  // as between services); otherwise one is verified when presented.
  bool require_client_cert = false;
};

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerTlsCredentials(
    const ServerTlsFiles& files);

struct ClientTlsFiles {
  std::string ca_file;    // CA that signed the servers' certificates
  std::string cert_file;  // optional client certificate (mutual TLS)
  std::string key_file;
};

absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> ClientTlsCredentials(
    const ClientTlsFiles& files);

}  // namespace unionhub::rpc

#endif  // UNIONHUB_COMMON_RPC_TLS_H_
