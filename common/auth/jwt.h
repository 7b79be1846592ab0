// Bearer tokens: JWTs signed with RS256 (RSA PKCS#1 v1.5 + SHA-256). The
// issuer signs with its private key; services verify with the public key
// only, so no service can mint tokens.
#ifndef UNIONHUB_COMMON_AUTH_JWT_H_
#define UNIONHUB_COMMON_AUTH_JWT_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace unionhub::auth {

struct Claims {
  std::string subject;             // "sub": who (a person or a service)
  std::vector<std::string> roles;  // "roles": e.g. {"registrar"}
  // "org": the organisation subtree the caller may act in; 0 = everywhere.
  int64_t org_scope = 0;
  std::string issuer;     // "iss"
  std::string audience;   // "aud" (a single string)
  absl::Time issued_at;   // "iat"
  absl::Time expires_at;  // "exp"
  std::string token_id;   // "jti", random
};

struct VerifierConfig {
  std::string public_key_pem;  // RSA public key (SubjectPublicKeyInfo PEM)
  std::string issuer;          // required "iss"
  std::string audience;        // required "aud"
  absl::Duration leeway = absl::Seconds(30);  // clock skew allowed
  // Longest lifetime accepted: a leaked token is good for at most this
  // long, however far its "exp" lies.
  absl::Duration max_lifetime = absl::Hours(24);
};

class TokenVerifier {
 public:
  // INVALID_ARGUMENT when the key does not parse.
  static absl::StatusOr<std::unique_ptr<TokenVerifier>> Create(
      VerifierConfig config);
  ~TokenVerifier();

  // UNAUTHENTICATED with a short reason (never echoing the token) when the
  // token is malformed, not RS256 (alg "none" and HS* are refused), badly
  // signed, from another issuer or audience, not yet valid, or expired;
  // also when "sub" is empty or "roles" is missing, and when it lives
  // longer than max_lifetime: "exp" - "iat", or "exp" - `now` when "iat"
  // is absent or later than `now`.
  absl::StatusOr<Claims> Verify(absl::string_view token, absl::Time now) const;

 private:
  TokenVerifier() = default;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Signs `claims` (iat/exp/jti filled by the caller or defaulted: iat = now,
// jti random) with an RSA private key in PEM (PKCS#8 or traditional).
absl::StatusOr<std::string> MintToken(const Claims& claims,
                                      absl::string_view private_key_pem);

// Reads a whole file (keys, certificates). NOT_FOUND when missing.
absl::StatusOr<std::string> ReadFile(const std::string& path);

// The bearer token in a file (a service's token to call its peers), without
// surrounding whitespace; "" when `path` is empty or cannot be read, so a
// caller re-reading it on every reconnect picks up a rotated token.
std::string ReadTokenFile(const std::string& path);

}  // namespace unionhub::auth

#endif  // UNIONHUB_COMMON_AUTH_JWT_H_
