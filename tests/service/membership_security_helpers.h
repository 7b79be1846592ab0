// Shared by the security tests: tokens of any shape, and what proves that a
// refused call wrote nothing and left an audit record.
#ifndef UNIONHUB_TESTS_SERVICE_MEMBERSHIP_SECURITY_HELPERS_H_
#define UNIONHUB_TESTS_SERVICE_MEMBERSHIP_SECURITY_HELPERS_H_

#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/auth/jwt.h"
#include "tests/support/membership_fixture.h"

namespace unionhub::testing {

inline std::string MembershipMethod(const std::string& rpc) {
  return absl::StrCat("unionhub.membership.v1.MembershipService.", rpc);
}

// Claims the test services accept, for tests that then spoil one part.
inline auth::Claims GoodClaims(const std::string& role,
                               const std::string& subject) {
  auth::Claims claims;
  claims.subject = subject;
  claims.roles = {role};
  claims.issuer = "unionhub-dev";
  claims.audience = "unionhub";
  claims.issued_at = absl::Now();
  claims.expires_at = absl::Now() + absl::Hours(1);
  return claims;
}

inline std::string Mint(const auth::Claims& claims,
                        const std::string& key_pem) {
  absl::StatusOr<std::string> token = auth::MintToken(claims, key_pem);
  EXPECT_TRUE(token.ok()) << token.status();
  return token.ok() ? *token : "";
}

// A fresh RSA key the service has never heard of, as PKCS#8 PEM.
inline std::string OtherPrivateKeyPem() {
  EVP_PKEY* key = EVP_RSA_gen(2048);
  EXPECT_NE(key, nullptr);
  if (key == nullptr) return "";
  BIO* bio = BIO_new(BIO_s_mem());
  EXPECT_EQ(
      PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr),
      1);
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<size_t>(length));
  BIO_free(bio);
  EVP_PKEY_free(key);
  return pem;
}

// Everything a write could change: row counts and the mutable columns.
inline std::string StateFingerprint(MembershipServer& server) {
  return server.database().QueryValue(
      "SELECT CONCAT_WS('|', "
      "(SELECT COUNT(*) FROM orgs), (SELECT COUNT(*) FROM employers), "
      "(SELECT COUNT(*) FROM members), (SELECT COUNT(*) FROM member_periods), "
      "(SELECT COUNT(*) FROM member_history), (SELECT COUNT(*) FROM events), "
      "(SELECT COUNT(*) FROM idempotency_keys), "
      "(SELECT GROUP_CONCAT(CONCAT_WS(':', id, IFNULL(parent_id, 0), name, "
      "status, path, IFNULL(established_on, ''), IFNULL(dissolved_on, '')) "
      "ORDER BY id) FROM orgs), "
      "(SELECT GROUP_CONCAT(CONCAT_WS(':', id, name, headcount, "
      "IFNULL(union_org_id, 0), coverage_path) ORDER BY id) FROM employers), "
      "(SELECT GROUP_CONCAT(CONCAT_WS(':', id, org_id, status, mobile, name, "
      "wage_base_fen, status_since) ORDER BY id) FROM members))");
}

// Audit records of `actor` calling `method` (full name) with `result`.
inline int AuditRows(MembershipServer& server, const std::string& actor,
                     const std::string& method, const std::string& result) {
  return std::stoi(server.database().QueryValue(absl::StrCat(
      "SELECT COUNT(*) FROM audit_trail WHERE actor = '", actor,
      "' AND method = '", method, "' AND result = '", result, "'")));
}

}  // namespace unionhub::testing

#endif  // UNIONHUB_TESTS_SERVICE_MEMBERSHIP_SECURITY_HELPERS_H_
