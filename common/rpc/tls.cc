#include "common/rpc/tls.h"

#include "absl/strings/str_cat.h"
#include "common/auth/jwt.h"

namespace unionhub::rpc {

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerTlsCredentials(
    const ServerTlsFiles& files) {
  absl::StatusOr<std::string> cert = auth::ReadFile(files.cert_file);
  if (!cert.ok()) return cert.status();
  absl::StatusOr<std::string> key = auth::ReadFile(files.key_file);
  if (!key.ok()) return key.status();
  grpc_ssl_client_certificate_request_type request =
      GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE;
  std::string client_ca;
  if (!files.client_ca_file.empty()) {
    absl::StatusOr<std::string> ca = auth::ReadFile(files.client_ca_file);
    if (!ca.ok()) return ca.status();
    client_ca = *ca;
    request = files.require_client_cert
                  ? GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY
                  : GRPC_SSL_REQUEST_CLIENT_CERTIFICATE_AND_VERIFY;
  } else if (files.require_client_cert) {
    return absl::InvalidArgumentError(
        "requiring client certificates needs a client CA file");
  }
  grpc::SslServerCredentialsOptions options(request);
  options.pem_root_certs = client_ca;
  options.pem_key_cert_pairs.push_back({*key, *cert});
  return grpc::SslServerCredentials(options);
}

absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> ClientTlsCredentials(
    const ClientTlsFiles& files) {
  grpc::SslCredentialsOptions options;
  if (!files.ca_file.empty()) {
    absl::StatusOr<std::string> ca = auth::ReadFile(files.ca_file);
    if (!ca.ok()) return ca.status();
    options.pem_root_certs = *ca;
  }
  if (!files.cert_file.empty()) {
    absl::StatusOr<std::string> cert = auth::ReadFile(files.cert_file);
    if (!cert.ok()) return cert.status();
    absl::StatusOr<std::string> key = auth::ReadFile(files.key_file);
    if (!key.ok()) return key.status();
    options.pem_cert_chain = *cert;
    options.pem_private_key = *key;
  }
  return grpc::SslCredentials(options);
}

}  // namespace unionhub::rpc
