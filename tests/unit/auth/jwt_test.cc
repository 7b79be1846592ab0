#include "common/auth/jwt.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace unionhub::auth {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kIssuer[] = "unionhub-test";
constexpr char kAudience[] = "unionhub";
const absl::Time kNow = absl::FromUnixSeconds(1'700'000'000);

// ---- keys, generated once per test binary ----

struct PkeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

struct KeyPair {
  Pkey key;
  std::string private_pem;              // PKCS#8
  std::string private_pem_traditional;  // BEGIN RSA PRIVATE KEY
  std::string private_pem_encrypted;    // PKCS#8, AES, passphrase "secret"
  std::string public_pem;               // SubjectPublicKeyInfo
};

std::string BioContents(BIO* bio) {
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(length));
}

std::string PublicPem(EVP_PKEY* key) {
  BIO* bio = BIO_new(BIO_s_mem());
  EXPECT_EQ(PEM_write_bio_PUBKEY(bio, key), 1);
  std::string pem = BioContents(bio);
  BIO_free(bio);
  return pem;
}

std::string PrivatePem(EVP_PKEY* key) {
  BIO* bio = BIO_new(BIO_s_mem());
  EXPECT_EQ(
      PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr),
      1);
  std::string pem = BioContents(bio);
  BIO_free(bio);
  return pem;
}

KeyPair MakeKeyPair(Pkey key) {
  KeyPair pair;
  pair.public_pem = PublicPem(key.get());
  pair.private_pem = PrivatePem(key.get());
  BIO* bio = BIO_new(BIO_s_mem());
  EXPECT_EQ(PEM_write_bio_PrivateKey_traditional(bio, key.get(), nullptr,
                                                 nullptr, 0, nullptr, nullptr),
            1);
  pair.private_pem_traditional = BioContents(bio);
  BIO_free(bio);
  bio = BIO_new(BIO_s_mem());
  char passphrase[] = "secret";
  EXPECT_EQ(
      PEM_write_bio_PrivateKey(bio, key.get(), EVP_aes_256_cbc(),
                               reinterpret_cast<unsigned char*>(passphrase), 6,
                               nullptr, nullptr),
      1);
  pair.private_pem_encrypted = BioContents(bio);
  BIO_free(bio);
  pair.key = std::move(key);
  return pair;
}

const KeyPair& Issuer() {
  static const KeyPair* pair =
      new KeyPair(MakeKeyPair(Pkey(EVP_RSA_gen(2048))));
  return *pair;
}

const KeyPair& Stranger() {
  static const KeyPair* pair =
      new KeyPair(MakeKeyPair(Pkey(EVP_RSA_gen(2048))));
  return *pair;
}

// ---- forging tokens independently of MintToken ----

std::string B64(absl::string_view bytes) {
  return absl::WebSafeBase64Escape(bytes);  // no padding
}

std::string B64Decode(absl::string_view text) {
  std::string out;
  EXPECT_TRUE(absl::WebSafeBase64Unescape(text, &out));
  return out;
}

std::string SignRs256(EVP_PKEY* key, absl::string_view data) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  size_t length = 0;
  EXPECT_EQ(EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key), 1);
  EXPECT_EQ(EVP_DigestSign(ctx, nullptr, &length,
                           reinterpret_cast<const unsigned char*>(data.data()),
                           data.size()),
            1);
  std::string signature(length, '\0');
  EXPECT_EQ(EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(&signature[0]),
                           &length,
                           reinterpret_cast<const unsigned char*>(data.data()),
                           data.size()),
            1);
  EVP_MD_CTX_free(ctx);
  signature.resize(length);
  return signature;
}

constexpr char kRs256Header[] = R"({"alg":"RS256","typ":"JWT"})";

// Claims as raw JSON values, so tests can write what MintToken never would.
using Fields = std::map<std::string, std::string>;

Fields StandardFields() {
  return {
      {"sub", R"("alice")"},
      {"roles", R"(["registrar","reader"])"},
      {"org", "42"},
      {"iss", absl::StrCat("\"", kIssuer, "\"")},
      {"aud", absl::StrCat("\"", kAudience, "\"")},
      {"iat", absl::StrCat(absl::ToUnixSeconds(kNow - absl::Minutes(1)))},
      {"exp", absl::StrCat(absl::ToUnixSeconds(kNow + absl::Hours(1)))},
      {"jti", R"("0123456789abcdef0123456789abcdef")"},
  };
}

std::string ToJson(const Fields& fields) {
  return absl::StrCat("{",
                      absl::StrJoin(fields, ",",
                                    [](std::string* out, const auto& field) {
                                      absl::StrAppend(out, "\"", field.first,
                                                      "\":", field.second);
                                    }),
                      "}");
}

std::string Forge(absl::string_view header_json, absl::string_view payload_json,
                  EVP_PKEY* key) {
  const std::string input =
      absl::StrCat(B64(header_json), ".", B64(payload_json));
  return absl::StrCat(input, ".", B64(SignRs256(key, input)));
}

std::string Forge(const Fields& fields,
                  absl::string_view header_json = kRs256Header) {
  return Forge(header_json, ToJson(fields), Issuer().key.get());
}

std::string UnsignedToken(absl::string_view header_json,
                          absl::string_view payload_json) {
  return absl::StrCat(B64(header_json), ".", B64(payload_json), ".");
}

std::vector<std::string> Segments(absl::string_view token) {
  return absl::StrSplit(token, '.');
}

// ---- fixture ----

class JwtTest : public ::testing::Test {
 protected:
  // The issuer's key is made once per process; a second key only for the
  // tests that need one (ctest runs each test in its own process).
  static void SetUpTestSuite() { Issuer(); }

  void SetUp() override { verifier_ = MakeVerifier(); }

  static std::unique_ptr<TokenVerifier> MakeVerifier(
      absl::Duration leeway = absl::Seconds(30),
      absl::Duration max_lifetime = absl::Hours(24)) {
    VerifierConfig config;
    config.public_key_pem = Issuer().public_pem;
    config.issuer = kIssuer;
    config.audience = kAudience;
    config.leeway = leeway;
    config.max_lifetime = max_lifetime;
    absl::StatusOr<std::unique_ptr<TokenVerifier>> verifier =
        TokenVerifier::Create(config);
    EXPECT_TRUE(verifier.ok()) << verifier.status();
    return verifier.ok() ? *std::move(verifier) : nullptr;
  }

  static Claims StandardClaims() {
    Claims claims;
    claims.subject = "alice";
    claims.roles = {"registrar", "reader"};
    claims.org_scope = 42;
    claims.issuer = kIssuer;
    claims.audience = kAudience;
    claims.issued_at = kNow - absl::Minutes(1);
    claims.expires_at = kNow + absl::Hours(1);
    return claims;
  }

  std::string Mint(const Claims& claims) {
    absl::StatusOr<std::string> token = MintToken(claims, Issuer().private_pem);
    EXPECT_TRUE(token.ok()) << token.status();
    return token.value_or("");
  }

  // Refused with UNAUTHENTICATED, a message containing `reason`, and no
  // part of the token in the message.
  void ExpectRefused(const std::string& token, absl::string_view reason,
                     absl::Time now = kNow) {
    SCOPED_TRACE(reason);
    absl::StatusOr<Claims> claims = verifier_->Verify(token, now);
    ASSERT_FALSE(claims.ok());
    EXPECT_EQ(claims.status().code(), absl::StatusCode::kUnauthenticated)
        << claims.status();
    const std::string message(claims.status().message());
    EXPECT_THAT(message, HasSubstr(std::string(reason)));
    EXPECT_LT(message.size(), 64u) << message;
    if (!token.empty()) {
      EXPECT_THAT(message, Not(HasSubstr(token)));
    }
    for (const std::string& segment : Segments(token)) {
      if (segment.size() >= 4) {
        EXPECT_THAT(message, Not(HasSubstr(segment)));
      }
    }
  }

  absl::StatusOr<Claims> Verify(const std::string& token,
                                absl::Time now = kNow) {
    return verifier_->Verify(token, now);
  }

  std::unique_ptr<TokenVerifier> verifier_;
};

// ---- minting and round trips ----

TEST_F(JwtTest, RoundTripKeepsClaims) {
  const Claims minted = StandardClaims();
  absl::StatusOr<Claims> claims = Verify(Mint(minted));
  ASSERT_TRUE(claims.ok()) << claims.status();
  EXPECT_EQ(claims->subject, minted.subject);
  EXPECT_EQ(claims->roles, minted.roles);
  EXPECT_EQ(claims->org_scope, 42);
  EXPECT_EQ(claims->issuer, kIssuer);
  EXPECT_EQ(claims->audience, kAudience);
  EXPECT_EQ(claims->issued_at, minted.issued_at);
  EXPECT_EQ(claims->expires_at, minted.expires_at);
  EXPECT_EQ(claims->token_id.size(), 32u);
  EXPECT_TRUE(std::all_of(
      claims->token_id.begin(), claims->token_id.end(),
      [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }))
      << claims->token_id;
}

TEST_F(JwtTest, MintWritesTheExpectedHeaderAndPayload) {
  Claims claims = StandardClaims();
  claims.org_scope = 0;
  const std::vector<std::string> parts = Segments(Mint(claims));
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(B64Decode(parts[0]), kRs256Header);
  const std::string payload = B64Decode(parts[1]);
  EXPECT_THAT(payload, HasSubstr(R"("sub":"alice")"));
  EXPECT_THAT(payload, HasSubstr(R"("roles":["registrar","reader"])"));
  EXPECT_THAT(payload, Not(HasSubstr(R"("org")")));  // 0 = omitted
  EXPECT_THAT(payload,
              HasSubstr(absl::StrCat(R"("exp":)",
                                     absl::ToUnixSeconds(claims.expires_at))));
  EXPECT_THAT(payload, HasSubstr(R"("jti":")"));
  // Unpadded base64url throughout.
  for (const std::string& part : parts) {
    EXPECT_EQ(part.find_first_of("=+/"), std::string::npos) << part;
  }
  absl::StatusOr<Claims> verified = Verify(absl::StrJoin(parts, "."));
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_EQ(verified->org_scope, 0);
}

TEST_F(JwtTest, MintDefaultsIssuedAtToNowAndRandomTokenIds) {
  Claims claims = StandardClaims();
  claims.issued_at = absl::Time();  // the epoch: unset
  const absl::Time before = absl::Now();
  claims.expires_at = before + absl::Hours(1);
  const std::string first = Mint(claims);
  claims.issued_at = absl::InfinitePast();
  const std::string second = Mint(claims);

  absl::StatusOr<Claims> a = Verify(first, before);
  absl::StatusOr<Claims> b = Verify(second, before);
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_GE(a->issued_at, absl::FromUnixSeconds(absl::ToUnixSeconds(before)));
  EXPECT_LE(a->issued_at, absl::Now());
  EXPECT_GE(b->issued_at, absl::FromUnixSeconds(absl::ToUnixSeconds(before)));
  EXPECT_NE(a->token_id, b->token_id);
}

TEST_F(JwtTest, MintKeepsACallerTokenId) {
  Claims claims = StandardClaims();
  claims.token_id = "chosen-id";
  absl::StatusOr<Claims> verified = Verify(Mint(claims));
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_EQ(verified->token_id, "chosen-id");
}

TEST_F(JwtTest, MintAcceptsTraditionalRsaPem) {
  absl::StatusOr<std::string> token =
      MintToken(StandardClaims(), Issuer().private_pem_traditional);
  ASSERT_TRUE(token.ok()) << token.status();
  EXPECT_TRUE(Verify(*token).ok());
}

TEST_F(JwtTest, MintRefusesBadClaims) {
  Claims claims = StandardClaims();
  claims.expires_at = claims.issued_at;
  EXPECT_EQ(MintToken(claims, Issuer().private_pem).status().code(),
            absl::StatusCode::kInvalidArgument);
  claims.expires_at = claims.issued_at - absl::Seconds(1);
  EXPECT_EQ(MintToken(claims, Issuer().private_pem).status().code(),
            absl::StatusCode::kInvalidArgument);

  claims = StandardClaims();
  claims.subject.clear();
  EXPECT_EQ(MintToken(claims, Issuer().private_pem).status().code(),
            absl::StatusCode::kInvalidArgument);

  claims = StandardClaims();
  claims.roles.clear();
  EXPECT_EQ(MintToken(claims, Issuer().private_pem).status().code(),
            absl::StatusCode::kInvalidArgument);

  claims = StandardClaims();
  claims.org_scope = -1;
  EXPECT_EQ(MintToken(claims, Issuer().private_pem).status().code(),
            absl::StatusCode::kInvalidArgument);

  claims = StandardClaims();
  claims.subject = "\xff\xfe";  // not UTF-8: must not throw
  EXPECT_EQ(MintToken(claims, Issuer().private_pem).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(JwtTest, MintRefusesKeysItCannotUse) {
  const Claims claims = StandardClaims();
  EXPECT_EQ(MintToken(claims, "not a key").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(MintToken(claims, "").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(MintToken(claims, Issuer().public_pem).status().code(),
            absl::StatusCode::kInvalidArgument);
  // Encrypted keys fail instead of prompting on the terminal.
  EXPECT_EQ(MintToken(claims, Issuer().private_pem_encrypted).status().code(),
            absl::StatusCode::kInvalidArgument);
  Pkey ec(EVP_EC_gen("P-256"));
  ASSERT_NE(ec, nullptr);
  EXPECT_EQ(MintToken(claims, PrivatePem(ec.get())).status().code(),
            absl::StatusCode::kInvalidArgument);
}

// ---- verifier construction ----

TEST_F(JwtTest, CreateRefusesUnusableConfig) {
  VerifierConfig good;
  good.public_key_pem = Issuer().public_pem;
  good.issuer = kIssuer;
  good.audience = kAudience;
  EXPECT_TRUE(TokenVerifier::Create(good).ok());

  auto code = [](VerifierConfig config) {
    return TokenVerifier::Create(std::move(config)).status().code();
  };
  VerifierConfig c = good;
  c.public_key_pem =
      "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n";
  EXPECT_EQ(code(c), absl::StatusCode::kInvalidArgument);
  c = good;
  c.public_key_pem = "";
  EXPECT_EQ(code(c), absl::StatusCode::kInvalidArgument);
  c = good;
  c.public_key_pem = Issuer().private_pem;  // a private key is not accepted
  EXPECT_EQ(code(c), absl::StatusCode::kInvalidArgument);
  c = good;
  c.issuer = "";
  EXPECT_EQ(code(c), absl::StatusCode::kInvalidArgument);
  c = good;
  c.audience = "";
  EXPECT_EQ(code(c), absl::StatusCode::kInvalidArgument);
  c = good;
  c.leeway = absl::Seconds(-1);
  EXPECT_EQ(code(c), absl::StatusCode::kInvalidArgument);

  Pkey ec(EVP_EC_gen("P-256"));
  ASSERT_NE(ec, nullptr);
  c = good;
  c.public_key_pem = PublicPem(ec.get());
  EXPECT_EQ(code(c), absl::StatusCode::kInvalidArgument);

  Pkey small(EVP_RSA_gen(1024));
  ASSERT_NE(small, nullptr);
  c = good;
  c.public_key_pem = PublicPem(small.get());
  EXPECT_EQ(code(c), absl::StatusCode::kInvalidArgument);
}

// ---- time ----

TEST_F(JwtTest, ExpiryHonoursLeeway) {
  Fields fields = StandardFields();
  fields["iat"] = absl::StrCat(absl::ToUnixSeconds(kNow - absl::Hours(2)));
  fields["exp"] = absl::StrCat(absl::ToUnixSeconds(kNow - absl::Seconds(29)));
  EXPECT_TRUE(Verify(Forge(fields)).ok());  // within the 30 s leeway

  fields["exp"] = absl::StrCat(absl::ToUnixSeconds(kNow - absl::Seconds(30)));
  ExpectRefused(Forge(fields), "token expired");
  fields["exp"] = absl::StrCat(absl::ToUnixSeconds(kNow - absl::Hours(1)));
  ExpectRefused(Forge(fields), "token expired");

  // A minted token expires too.
  const std::string minted = Mint(StandardClaims());
  EXPECT_TRUE(Verify(minted, kNow + absl::Hours(1) + absl::Seconds(29)).ok());
  ExpectRefused(minted, "token expired",
                kNow + absl::Hours(1) + absl::Seconds(31));

  // With no leeway, expiry is exact.
  verifier_ = MakeVerifier(absl::ZeroDuration());
  fields["exp"] = absl::StrCat(absl::ToUnixSeconds(kNow));
  ExpectRefused(Forge(fields), "token expired");
  fields["exp"] = absl::StrCat(absl::ToUnixSeconds(kNow + absl::Seconds(1)));
  EXPECT_TRUE(Verify(Forge(fields)).ok());
}

TEST_F(JwtTest, ExpiryIsRequiredAndNumeric) {
  Fields fields = StandardFields();
  fields.erase("exp");
  ExpectRefused(Forge(fields), "no expiry");
  fields["exp"] =
      absl::StrCat("\"", absl::ToUnixSeconds(kNow + absl::Hours(1)), "\"");
  ExpectRefused(Forge(fields), "malformed expiry");
  fields["exp"] = "null";
  ExpectRefused(Forge(fields), "malformed expiry");
  fields["exp"] = "18446744073709551615";
  ExpectRefused(Forge(fields), "malformed expiry");
  fields["exp"] = "1e300";
  ExpectRefused(Forge(fields), "malformed expiry");
  // NumericDate may be fractional.
  fields["exp"] =
      absl::StrCat(absl::ToUnixSeconds(kNow + absl::Hours(1)), ".5");
  EXPECT_TRUE(Verify(Forge(fields)).ok());
}

TEST_F(JwtTest, NotBeforeInTheFutureIsRefused) {
  Fields fields = StandardFields();
  fields["nbf"] = absl::StrCat(absl::ToUnixSeconds(kNow + absl::Minutes(5)));
  ExpectRefused(Forge(fields), "not yet valid");
  fields["nbf"] = absl::StrCat(absl::ToUnixSeconds(kNow + absl::Seconds(20)));
  EXPECT_TRUE(Verify(Forge(fields)).ok());  // within leeway
  fields["nbf"] = absl::StrCat(absl::ToUnixSeconds(kNow - absl::Minutes(5)));
  EXPECT_TRUE(Verify(Forge(fields)).ok());
  fields["nbf"] = R"("soon")";
  ExpectRefused(Forge(fields), "malformed not-before");
}

TEST_F(JwtTest, IssuedAtIsOptionalButNotInTheFuture) {
  Fields fields = StandardFields();
  fields.erase("iat");
  absl::StatusOr<Claims> claims = Verify(Forge(fields));
  ASSERT_TRUE(claims.ok()) << claims.status();
  EXPECT_EQ(claims->issued_at, absl::Time());

  fields["iat"] = absl::StrCat(absl::ToUnixSeconds(kNow + absl::Minutes(5)));
  ExpectRefused(Forge(fields), "issued in the future");
}

// A token is only as safe as it is short-lived: an "exp" years ahead was
// accepted, so a leaked token stayed good for ever.
TEST_F(JwtTest, LifetimeLongerThanTheMaximumIsRefused) {
  auto at = [](absl::Time t) { return absl::StrCat(absl::ToUnixSeconds(t)); };
  Fields fields = StandardFields();
  const absl::Time issued = kNow - absl::Minutes(1);
  fields["iat"] = at(issued);
  fields["exp"] = at(issued + absl::Hours(24));
  EXPECT_TRUE(Verify(Forge(fields)).ok()) << "exactly the maximum is fine";
  fields["exp"] = at(issued + absl::Hours(24) + absl::Seconds(1));
  ExpectRefused(Forge(fields), "lifetime exceeds the maximum");
  fields["exp"] = at(kNow + absl::Hours(24 * 365 * 10));
  ExpectRefused(Forge(fields), "lifetime exceeds the maximum");

  // The whole lifetime counts, not only what is left of it.
  fields["iat"] = at(kNow - absl::Hours(23));
  fields["exp"] = at(kNow + absl::Hours(2));
  ExpectRefused(Forge(fields), "lifetime exceeds the maximum");

  // Without "iat", or with one a little ahead of our clock (within the
  // leeway), the lifetime left from now counts.
  fields.erase("iat");
  fields["exp"] = at(kNow + absl::Hours(23));
  EXPECT_TRUE(Verify(Forge(fields)).ok());
  fields["exp"] = at(kNow + absl::Hours(25));
  ExpectRefused(Forge(fields), "lifetime exceeds the maximum");
  fields["iat"] = at(kNow + absl::Seconds(20));
  fields["exp"] = at(kNow + absl::Seconds(20) + absl::Hours(24));
  ExpectRefused(Forge(fields), "lifetime exceeds the maximum");
  fields["exp"] = at(kNow + absl::Hours(24));
  EXPECT_TRUE(Verify(Forge(fields)).ok());

  // A properly signed, minted token is held to the same limit.
  Claims claims = StandardClaims();
  claims.expires_at = claims.issued_at + absl::Hours(720);
  ExpectRefused(Mint(claims), "lifetime exceeds the maximum");
}

TEST_F(JwtTest, MaximumLifetimeIsConfigurable) {
  verifier_ = MakeVerifier(absl::Seconds(30), absl::Minutes(15));
  Claims claims = StandardClaims();  // one hour and a minute
  ExpectRefused(Mint(claims), "lifetime exceeds the maximum");
  claims.expires_at = claims.issued_at + absl::Minutes(15);
  EXPECT_TRUE(Verify(Mint(claims)).ok());

  VerifierConfig config;
  config.public_key_pem = Issuer().public_pem;
  config.issuer = kIssuer;
  config.audience = kAudience;
  for (absl::Duration bad :
       {absl::ZeroDuration(), absl::Seconds(-1), absl::InfiniteDuration()}) {
    config.max_lifetime = bad;
    EXPECT_EQ(TokenVerifier::Create(config).status().code(),
              absl::StatusCode::kInvalidArgument)
        << bad;
  }
}

// ---- issuer and audience ----

TEST_F(JwtTest, WrongIssuerIsRefused) {
  Fields fields = StandardFields();
  fields["iss"] = R"("someone-else")";
  ExpectRefused(Forge(fields), "wrong issuer");
  fields["iss"] = R"("unionhub-test ")";
  ExpectRefused(Forge(fields), "wrong issuer");
  fields["iss"] = R"(["unionhub-test"])";
  ExpectRefused(Forge(fields), "wrong issuer");
  fields.erase("iss");
  ExpectRefused(Forge(fields), "wrong issuer");
}

TEST_F(JwtTest, WrongAudienceIsRefused) {
  Fields fields = StandardFields();
  fields["aud"] = R"("reporting")";
  ExpectRefused(Forge(fields), "wrong audience");
  fields["aud"] = R"("UNIONHUB")";
  ExpectRefused(Forge(fields), "wrong audience");
  fields["aud"] = R"(["reporting","billing"])";
  ExpectRefused(Forge(fields), "wrong audience");
  fields["aud"] = R"([])";
  ExpectRefused(Forge(fields), "wrong audience");
  fields["aud"] = R"(["unionhub",7])";
  ExpectRefused(Forge(fields), "wrong audience");
  fields.erase("aud");
  ExpectRefused(Forge(fields), "wrong audience");
}

TEST_F(JwtTest, AudienceMayBeAnArrayContainingOurs) {
  Fields fields = StandardFields();
  fields["aud"] = R"(["reporting","unionhub"])";
  absl::StatusOr<Claims> claims = Verify(Forge(fields));
  ASSERT_TRUE(claims.ok()) << claims.status();
  EXPECT_EQ(claims->audience, kAudience);
}

// ---- signatures and algorithms ----

TEST_F(JwtTest, SignatureByAnotherKeyIsRefused) {
  ExpectRefused(
      Forge(kRs256Header, ToJson(StandardFields()), Stranger().key.get()),
      "bad signature");
  absl::StatusOr<std::string> token =
      MintToken(StandardClaims(), Stranger().private_pem);
  ASSERT_TRUE(token.ok()) << token.status();
  ExpectRefused(*token, "bad signature");
}

TEST_F(JwtTest, TamperedTokenIsRefused) {
  const std::string token = Mint(StandardClaims());
  std::vector<std::string> parts = Segments(token);
  ASSERT_EQ(parts.size(), 3u);

  std::vector<std::string> tampered = parts;
  char& c = tampered[1][tampered[1].size() / 2];
  c = (c == 'A') ? 'B' : 'A';
  ExpectRefused(absl::StrJoin(tampered, "."), "bad signature");

  // A re-encoded payload with a higher org scope, keeping the signature.
  std::string payload = B64Decode(parts[1]);
  ASSERT_NE(payload.find(R"("org":42)"), std::string::npos);
  payload.replace(payload.find(R"("org":42)"), 8, R"("org":0 )");
  tampered = parts;
  tampered[1] = B64(payload);
  ExpectRefused(absl::StrJoin(tampered, "."), "bad signature");

  // Header changed (a harmless kid) with the old signature.
  tampered = parts;
  tampered[0] = B64(R"({"alg":"RS256","typ":"JWT","kid":"k1"})");
  ExpectRefused(absl::StrJoin(tampered, "."), "bad signature");

  // Truncated, empty and oversized signatures.
  const std::string signature = B64Decode(parts[2]);
  tampered = parts;
  tampered[2] = B64(signature.substr(0, signature.size() - 1));
  ExpectRefused(absl::StrJoin(tampered, "."), "bad signature");
  tampered[2].clear();
  ExpectRefused(absl::StrJoin(tampered, "."), "bad signature");
  tampered[2] = B64(absl::StrCat(signature, std::string(3, '\0')));
  ExpectRefused(absl::StrJoin(tampered, "."), "bad signature");
  tampered[2] = B64(absl::StrCat(std::string(1, '\0'), signature));
  ExpectRefused(absl::StrJoin(tampered, "."), "bad signature");
}

TEST_F(JwtTest, NonCanonicalBase64SignatureIsRefused) {
  // 256 signature bytes end in a character with 4 unused low bits; setting
  // one gives a second spelling of the same bytes to lenient decoders.
  std::vector<std::string> parts = Segments(Mint(StandardClaims()));
  ASSERT_EQ(parts[2].size(), 342u);
  const std::string alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const size_t value = alphabet.find(parts[2].back());
  ASSERT_EQ(value & 0xF, 0u);
  parts[2].back() = alphabet[value | 1];
  ExpectRefused(absl::StrJoin(parts, "."), "malformed token signature");
}

TEST_F(JwtTest, AlgNoneIsRefused) {
  const std::string payload = ToJson(StandardFields());
  ExpectRefused(UnsignedToken(R"({"alg":"none","typ":"JWT"})", payload),
                "unsupported token algorithm");
  ExpectRefused(UnsignedToken(R"({"alg":"None"})", payload),
                "unsupported token algorithm");
  ExpectRefused(UnsignedToken(R"({"typ":"JWT"})", payload),
                "unsupported token algorithm");
  // "none" with a real RS256 signature attached is still refused.
  ExpectRefused(Forge(StandardFields(), R"({"alg":"none","typ":"JWT"})"),
                "unsupported token algorithm");
}

TEST_F(JwtTest, HmacWithThePublicKeyAsSecretIsRefused) {
  // The classic key-confusion attack: HS256 keyed with the public key PEM.
  const std::string& secret = Issuer().public_pem;
  for (const char* alg : {"HS256", "HS384", "HS512"}) {
    const std::string input =
        absl::StrCat(B64(absl::StrCat(R"({"alg":")", alg, R"(","typ":"JWT"})")),
                     ".", B64(ToJson(StandardFields())));
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int mac_length = 0;
    ASSERT_NE(HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
                   reinterpret_cast<const unsigned char*>(input.data()),
                   input.size(), mac, &mac_length),
              nullptr);
    const std::string token = absl::StrCat(
        input, ".",
        B64(absl::string_view(reinterpret_cast<const char*>(mac), mac_length)));
    ExpectRefused(token, "unsupported token algorithm");
  }
}

TEST_F(JwtTest, OtherAlgorithmsAreRefused) {
  for (const char* header :
       {R"({"alg":"rs256","typ":"JWT"})", R"({"alg":"RS512","typ":"JWT"})",
        R"({"alg":"PS256","typ":"JWT"})", R"({"alg":"ES256","typ":"JWT"})",
        R"({"alg":["RS256"],"typ":"JWT"})", R"({"alg":null})"}) {
    ExpectRefused(Forge(StandardFields(), header),
                  "unsupported token algorithm");
  }
}

TEST_F(JwtTest, HeaderParametersAreChecked) {
  // typ is optional; kid is ignored.
  EXPECT_TRUE(Verify(Forge(StandardFields(), R"({"alg":"RS256"})")).ok());
  EXPECT_TRUE(
      Verify(Forge(StandardFields(), R"({"kid":"k1","alg":"RS256"})")).ok());
  ExpectRefused(Forge(StandardFields(), R"({"alg":"RS256","typ":"JWE"})"),
                "unsupported token type");
  ExpectRefused(Forge(StandardFields(), R"({"alg":"RS256","typ":1})"),
                "unsupported token type");
  // Nothing in a header may pick a key or demand extensions.
  ExpectRefused(
      Forge(StandardFields(), R"({"alg":"RS256","jku":"https://evil/"})"),
      "unsupported token header");
  ExpectRefused(
      Forge(StandardFields(), R"({"alg":"RS256","crit":["exp"],"exp":1})"),
      "unsupported token header");
  // Duplicate "alg": whichever one a parser keeps, refuse.
  ExpectRefused(Forge(StandardFields(), R"({"alg":"none","alg":"RS256"})"),
                "malformed token header");
}

// ---- malformed tokens ----

TEST_F(JwtTest, MalformedTokensAreRefused) {
  const std::string token = Mint(StandardClaims());
  const std::vector<std::string> parts = Segments(token);

  ExpectRefused("", "missing token");
  ExpectRefused(absl::StrCat(parts[0], ".", parts[1]), "malformed token");
  ExpectRefused(absl::StrCat(token, ".", parts[2]), "malformed token");
  ExpectRefused(absl::StrCat(".", parts[1], ".", parts[2]), "malformed token");
  ExpectRefused(absl::StrCat(parts[0], "..", parts[2]), "malformed token");
  ExpectRefused("not a token", "malformed token");
  ExpectRefused(std::string(20000, 'a'), "token too large");

  // Bad base64: a character outside the alphabet, padding, whitespace.
  ExpectRefused(absl::StrCat(parts[0], "*.", parts[1], ".", parts[2]),
                "malformed token header");
  ExpectRefused(absl::StrCat(B64(kRs256Header), "=.", parts[1], ".", parts[2]),
                "malformed token header");
  ExpectRefused(absl::StrCat(parts[0], ".", parts[1], ".", parts[2], "*"),
                "malformed token signature");
  ExpectRefused(absl::StrCat(parts[0], ".", parts[1], ".", parts[2], "="),
                "malformed token signature");
  ExpectRefused(absl::StrCat(parts[0], ".", parts[1], ".", parts[2], " "),
                "malformed token signature");
  ExpectRefused(absl::StrCat(parts[0], ".", parts[1], ".", parts[2], "AAA"),
                "malformed token signature");  // length % 4 == 1

  // Bad JSON: in the header, and (properly signed) in the payload.
  ExpectRefused(UnsignedToken(R"({"alg":"RS256")", "{}"),
                "malformed token header");
  ExpectRefused(UnsignedToken(R"(["RS256"])", "{}"), "malformed token header");
  ExpectRefused(UnsignedToken("\xff\xfe", "{}"), "malformed token header");
  ExpectRefused(Forge(kRs256Header, R"({"sub":"alice",)", Issuer().key.get()),
                "malformed token payload");
  ExpectRefused(Forge(kRs256Header, R"(["alice"])", Issuer().key.get()),
                "malformed token payload");
  ExpectRefused(Forge(kRs256Header,
                      R"({"sub":"al)"
                      "\xc3\x28"
                      R"(ice"})",
                      Issuer().key.get()),
                "malformed token payload");
  ExpectRefused(Forge(kRs256Header, std::string(5000, '['), Issuer().key.get()),
                "malformed token payload");
}

TEST_F(JwtTest, DuplicateClaimsAreRefused) {
  std::string payload = ToJson(StandardFields());
  payload.insert(1, R"("org":0,)");  // earlier "org":0, later "org":42
  ExpectRefused(Forge(kRs256Header, payload, Issuer().key.get()),
                "malformed token payload");
}

// ---- subject, roles, org ----

TEST_F(JwtTest, SubjectIsRequired) {
  Fields fields = StandardFields();
  fields.erase("sub");
  ExpectRefused(Forge(fields), "no subject");
  fields["sub"] = R"("")";
  ExpectRefused(Forge(fields), "no subject");
  fields["sub"] = "17";
  ExpectRefused(Forge(fields), "no subject");
}

TEST_F(JwtTest, RolesAreRequired) {
  Fields fields = StandardFields();
  fields.erase("roles");
  ExpectRefused(Forge(fields), "no roles");
  fields["roles"] = "[]";
  ExpectRefused(Forge(fields), "no roles");
  fields["roles"] = R"("registrar")";
  ExpectRefused(Forge(fields), "no roles");
  fields["roles"] = R"(["registrar",7])";
  ExpectRefused(Forge(fields), "malformed roles");
  fields["roles"] = R"(["registrar",""])";
  ExpectRefused(Forge(fields), "malformed roles");
}

TEST_F(JwtTest, OrgMayBeADecimalString) {
  Fields fields = StandardFields();
  fields["org"] = R"("42")";
  absl::StatusOr<Claims> claims = Verify(Forge(fields));
  ASSERT_TRUE(claims.ok()) << claims.status();
  EXPECT_EQ(claims->org_scope, 42);

  fields.erase("org");
  claims = Verify(Forge(fields));
  ASSERT_TRUE(claims.ok()) << claims.status();
  EXPECT_EQ(claims->org_scope, 0);

  fields["org"] = "9223372036854775807";
  claims = Verify(Forge(fields));
  ASSERT_TRUE(claims.ok()) << claims.status();
  EXPECT_EQ(claims->org_scope, 9223372036854775807);
}

TEST_F(JwtTest, MalformedOrgIsRefused) {
  Fields fields = StandardFields();
  for (const char* org :
       {"-1", "1.5", "9223372036854775808", "true", "null", "[42]", R"("")",
        R"("-1")", R"("+42")", R"(" 42")", R"("42abc")", R"("abc")",
        R"("0x2a")", R"("99999999999999999999")"}) {
    SCOPED_TRACE(org);
    fields["org"] = org;
    ExpectRefused(Forge(fields), "malformed org scope");
  }
}

TEST_F(JwtTest, TokenIdMustBeAString) {
  Fields fields = StandardFields();
  fields["jti"] = "7";
  ExpectRefused(Forge(fields), "malformed token id");
  fields.erase("jti");
  EXPECT_TRUE(Verify(Forge(fields)).ok());
}

// ---- concurrency and files ----

TEST_F(JwtTest, VerifiesConcurrently) {
  const std::string good = Mint(StandardClaims());
  const std::string bad =
      Forge(kRs256Header, ToJson(StandardFields()), Stranger().key.get());
  std::vector<std::thread> threads;
  std::vector<int> failures(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        if (!verifier_->Verify(good, kNow).ok()) ++failures[t];
        if (verifier_->Verify(bad, kNow).ok()) ++failures[t];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int f : failures) EXPECT_EQ(f, 0);
}

TEST(ReadFileTest, ReadsWholeFilesAndReportsMissingOnes) {
  const std::string path =
      absl::StrCat(::testing::TempDir(), "/jwt_test_key.pem");
  std::string content = Issuer().public_pem;
  content.push_back('\0');
  content.append(40000, 'x');  // longer than one read buffer, with a NUL
  std::FILE* file = std::fopen(path.c_str(), "wb");
  ASSERT_NE(file, nullptr);
  ASSERT_EQ(std::fwrite(content.data(), 1, content.size(), file),
            content.size());
  ASSERT_EQ(std::fclose(file), 0);

  absl::StatusOr<std::string> read = ReadFile(path);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(*read, content);
  std::remove(path.c_str());

  EXPECT_EQ(ReadFile(path).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(ReadFile("/nonexistent/dir/key.pem").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_FALSE(ReadFile(::testing::TempDir()).ok());  // a directory
}

}  // namespace
}  // namespace unionhub::auth
