#include "common/rpc/security_flags.h"

#include "absl/flags/flag.h"
#include "common/core/log.h"
#include "common/crypto/pii_global.h"
#include "common/rpc/tls.h"

ABSL_FLAG(std::string, tls_cert_file, "", "server certificate chain (PEM)");
ABSL_FLAG(std::string, tls_key_file, "", "server private key (PEM)");
ABSL_FLAG(std::string, tls_client_ca_file, "",
          "CA of client certificates (mutual TLS)");
ABSL_FLAG(bool, tls_require_client_cert, false,
          "refuse clients without a certificate from --tls_client_ca_file");
ABSL_FLAG(bool, plaintext_for_development, false,
          "serve without TLS (development only; never in production)");
ABSL_FLAG(std::string, jwt_public_key_file, "",
          "RSA public key (PEM) that verifies bearer tokens");
ABSL_FLAG(std::string, jwt_issuer, "unionhub-dev", "required token issuer");
ABSL_FLAG(std::string, jwt_audience, "unionhub", "required token audience");
ABSL_FLAG(absl::Duration, jwt_max_lifetime, absl::Hours(24),
          "longest token lifetime accepted (exp - iat, or exp - now without "
          "iat); longer-lived tokens are refused");
ABSL_FLAG(absl::Duration, audit_refusal_window, absl::Minutes(1),
          "calls without a valid token get at most one audit record per "
          "method per this period; the record counts the ones folded in");
ABSL_FLAG(std::string, pii_keys, "",
          "personal-data encryption keys: \"1:BASE64,2:BASE64\" (prefer the "
          "environment variable UNIONHUB_PII_KEYS)");
ABSL_FLAG(int, pii_active_key_id, 1, "key id that encrypts new data");
ABSL_FLAG(std::string, pii_hmac_key, "",
          "base64 key of the keyed hash that indexes national IDs");

namespace unionhub::rpc {

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>>
ServerCredentialsFromFlags() {
  if (absl::GetFlag(FLAGS_tls_cert_file).empty()) {
    if (absl::GetFlag(FLAGS_plaintext_for_development)) {
      log::Warn("serving PLAINTEXT (--plaintext_for_development)");
      return grpc::InsecureServerCredentials();
    }
    return absl::InvalidArgumentError(
        "TLS is required: give --tls_cert_file and --tls_key_file (or "
        "--plaintext_for_development on a developer machine)");
  }
  ServerTlsFiles files;
  files.cert_file = absl::GetFlag(FLAGS_tls_cert_file);
  files.key_file = absl::GetFlag(FLAGS_tls_key_file);
  files.client_ca_file = absl::GetFlag(FLAGS_tls_client_ca_file);
  files.require_client_cert = absl::GetFlag(FLAGS_tls_require_client_cert);
  return ServerTlsCredentials(files);
}

absl::StatusOr<std::shared_ptr<const auth::TokenVerifier>>
TokenVerifierFromFlags() {
  const std::string path = absl::GetFlag(FLAGS_jwt_public_key_file);
  if (path.empty()) {
    return absl::InvalidArgumentError(
        "--jwt_public_key_file is required: every call is authenticated");
  }
  absl::StatusOr<std::string> pem = auth::ReadFile(path);
  if (!pem.ok()) return pem.status();
  auth::VerifierConfig config;
  config.public_key_pem = *pem;
  config.issuer = absl::GetFlag(FLAGS_jwt_issuer);
  config.audience = absl::GetFlag(FLAGS_jwt_audience);
  config.max_lifetime = absl::GetFlag(FLAGS_jwt_max_lifetime);
  absl::StatusOr<std::unique_ptr<auth::TokenVerifier>> verifier =
      auth::TokenVerifier::Create(config);
  if (!verifier.ok()) return verifier.status();
  return std::shared_ptr<const auth::TokenVerifier>(*std::move(verifier));
}

absl::Duration AuditRefusalWindowFromFlags() {
  return absl::GetFlag(FLAGS_audit_refusal_window);
}

absl::Status InstallPiiFromFlags() {
  absl::StatusOr<crypto::PiiProtector> protector =
      crypto::PiiProtector::FromConfig(absl::GetFlag(FLAGS_pii_keys),
                                       absl::GetFlag(FLAGS_pii_active_key_id),
                                       absl::GetFlag(FLAGS_pii_hmac_key));
  if (!protector.ok()) return protector.status();
  crypto::InstallPii(*protector);
  return absl::OkStatus();
}

}  // namespace unionhub::rpc
