// TokenVerifier::Verify, the first thing every RPC runs on caller input.
//
// Every input is verified as a raw token (base64url, header, signature
// checks). A raw mutation almost never keeps a valid signature, so the
// claims parser would stay out of reach: an input starting with '{' is
// instead taken as JSON, "HEADER\nPAYLOAD" (or a PAYLOAD alone under an
// RS256 header), encoded and signed here with the fixed test key, so the
// fuzzer explores the claims rules behind a good signature.
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/auth/jwt.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/jwt_test_key.h"

namespace {

using unionhub::auth::Claims;
using unionhub::auth::TokenVerifier;
using unionhub::auth::VerifierConfig;

constexpr char kIssuer[] = "unionhub-fuzz";
constexpr char kAudience[] = "unionhub";
// The seeds' tokens are valid at this instant (iat 1799990000, exp
// 1800003600).
const absl::Time kNow = absl::FromUnixSeconds(1800000000);

const TokenVerifier& Verifier() {
  static const TokenVerifier* verifier = [] {
    VerifierConfig config;
    config.public_key_pem = unionhub::fuzz::kJwtTestPublicKeyPem;
    config.issuer = kIssuer;
    config.audience = kAudience;
    auto created = TokenVerifier::Create(config);
    FUZZ_CHECK(created.ok());
    return created->release();
  }();
  return *verifier;
}

EVP_PKEY* PrivateKey() {
  static EVP_PKEY* key = [] {
    BIO* bio = BIO_new_mem_buf(unionhub::fuzz::kJwtTestPrivateKeyPem, -1);
    EVP_PKEY* k = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    FUZZ_CHECK(k != nullptr);
    return k;
  }();
  return key;
}

std::string Sign(absl::string_view input) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  size_t length = 0;
  std::string signature;
  if (EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, PrivateKey()) ==
          1 &&
      EVP_DigestSign(ctx, nullptr, &length,
                     reinterpret_cast<const unsigned char*>(input.data()),
                     input.size()) == 1) {
    signature.resize(length);
    FUZZ_CHECK(
        EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(&signature[0]),
                       &length,
                       reinterpret_cast<const unsigned char*>(input.data()),
                       input.size()) == 1);
    signature.resize(length);
  }
  EVP_MD_CTX_free(ctx);
  return signature;
}

std::string B64(absl::string_view bytes) {
  std::string out;
  absl::WebSafeBase64Escape(bytes, &out);  // base64url without padding
  return out;
}

// What every accepted token must satisfy, whatever the parser was fed.
void CheckClaims(const Claims& claims) {
  FUZZ_CHECK(!claims.subject.empty());
  FUZZ_CHECK(!claims.roles.empty());
  for (const std::string& role : claims.roles) FUZZ_CHECK(!role.empty());
  FUZZ_CHECK(claims.org_scope >= 0);
  FUZZ_CHECK(claims.issuer == kIssuer);
  FUZZ_CHECK(claims.audience == kAudience);
  FUZZ_CHECK(kNow < claims.expires_at + absl::Seconds(30));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  const TokenVerifier& verifier = Verifier();

  absl::StatusOr<Claims> raw = verifier.Verify(input, kNow);
  if (raw.ok()) {
    CheckClaims(*raw);
  } else {
    FUZZ_CHECK(raw.status().code() == absl::StatusCode::kUnauthenticated);
    // Refusals never echo the token (it is a credential).
    if (size >= 16)
      FUZZ_CHECK(!absl::StrContains(raw.status().message(), input));
  }

  if (size == 0 || input[0] != '{' || size > 8192) return 0;
  absl::string_view header = R"({"alg":"RS256","typ":"JWT"})";
  absl::string_view payload = input;
  if (const size_t nl = input.find('\n'); nl != absl::string_view::npos) {
    header = input.substr(0, nl);
    payload = input.substr(nl + 1);
  }
  const std::string signing_input =
      absl::StrCat(B64(header), ".", B64(payload));
  const std::string token =
      absl::StrCat(signing_input, ".", B64(Sign(signing_input)));
  absl::StatusOr<Claims> signed_claims = verifier.Verify(token, kNow);
  if (signed_claims.ok()) {
    CheckClaims(*signed_claims);
  } else {
    FUZZ_CHECK(signed_claims.status().code() ==
               absl::StatusCode::kUnauthenticated);
  }
  return 0;
}
