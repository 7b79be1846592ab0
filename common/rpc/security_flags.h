// The security configuration every service binary takes: TLS, the token
// verification key, and the personal-data keys. Flags with UNIONHUB_<FLAG>
// environment fallbacks (see common/core/config.h).
#ifndef UNIONHUB_COMMON_RPC_SECURITY_FLAGS_H_
#define UNIONHUB_COMMON_RPC_SECURITY_FLAGS_H_

#include <grpcpp/security/server_credentials.h>

#include <memory>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/auth/jwt.h"

namespace unionhub::rpc {

// Server credentials from --tls_cert_file/--tls_key_file
// (--tls_client_ca_file, --tls_require_client_cert for mutual TLS), or
// plaintext when --plaintext_for_development is set; otherwise an error.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>>
ServerCredentialsFromFlags();

// The verifier from --jwt_public_key_file, --jwt_issuer, --jwt_audience,
// --jwt_max_lifetime.
absl::StatusOr<std::shared_ptr<const auth::TokenVerifier>>
TokenVerifierFromFlags();

// --audit_refusal_window: see Gate.
absl::Duration AuditRefusalWindowFromFlags();

// Installs the personal-data protector from --pii_keys,
// --pii_active_key_id, --pii_hmac_key.
absl::Status InstallPiiFromFlags();

}  // namespace unionhub::rpc

#endif  // UNIONHUB_COMMON_RPC_SECURITY_FLAGS_H_
