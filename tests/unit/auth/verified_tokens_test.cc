// The verifier's cache of verified tokens (common/auth/verified_tokens.h):
// a token is verified once, yet the clock is consulted on every call, a
// changed token never matches, and the cache stays within its bound.
#include "common/auth/verified_tokens.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "common/auth/jwt.h"
#include "gtest/gtest.h"

namespace unionhub::auth {
namespace {

constexpr char kIssuer[] = "unionhub-test";
constexpr char kAudience[] = "unionhub";
const absl::Time kNow = absl::FromUnixSeconds(1'700'000'000);

struct Keys {
  std::string private_pem;
  std::string public_pem;
};

std::string Pem(EVP_PKEY* key, bool is_private) {
  BIO* bio = BIO_new(BIO_s_mem());
  const int written = is_private
                          ? PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr,
                                                     0, nullptr, nullptr)
                          : PEM_write_bio_PUBKEY(bio, key);
  EXPECT_EQ(written, 1);
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<size_t>(length));
  BIO_free(bio);
  return pem;
}

const Keys& TestKeys() {
  static const Keys* keys = [] {
    EVP_PKEY* key = EVP_RSA_gen(2048);
    auto* made = new Keys{Pem(key, true), Pem(key, false)};
    EVP_PKEY_free(key);
    return made;
  }();
  return *keys;
}

std::unique_ptr<TokenVerifier> MakeVerifier() {
  VerifierConfig config;
  config.public_key_pem = TestKeys().public_pem;
  config.issuer = kIssuer;
  config.audience = kAudience;
  absl::StatusOr<std::unique_ptr<TokenVerifier>> verifier =
      TokenVerifier::Create(config);
  EXPECT_TRUE(verifier.ok()) << verifier.status();
  return verifier.ok() ? *std::move(verifier) : nullptr;
}

std::string Mint(const std::string& subject, absl::Time issued_at,
                 absl::Time expires_at) {
  Claims claims;
  claims.subject = subject;
  claims.roles = {"registrar"};
  claims.org_scope = 42;
  claims.issuer = kIssuer;
  claims.audience = kAudience;
  claims.issued_at = issued_at;
  claims.expires_at = expires_at;
  absl::StatusOr<std::string> token = MintToken(claims, TestKeys().private_pem);
  EXPECT_TRUE(token.ok()) << token.status();
  return token.value_or("");
}

TEST(VerifiedTokensTest, ASecondCallIsAnsweredFromTheCacheWithTheSameClaims) {
  std::unique_ptr<TokenVerifier> verifier = MakeVerifier();
  const std::string token =
      Mint("alice", kNow - absl::Minutes(1), kNow + absl::Hours(1));
  absl::StatusOr<Claims> first = verifier->Verify(token, kNow);
  ASSERT_TRUE(first.ok()) << first.status();
  absl::StatusOr<Claims> second =
      verifier->Verify(token, kNow + absl::Minutes(5));
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->subject, "alice");
  EXPECT_EQ(second->roles, first->roles);
  EXPECT_EQ(second->org_scope, 42);
  EXPECT_EQ(second->token_id, first->token_id);
  EXPECT_EQ(second->expires_at, first->expires_at);
}

TEST(VerifiedTokensTest, ExpiryIsStillEnforcedForACachedToken) {
  std::unique_ptr<TokenVerifier> verifier = MakeVerifier();
  const std::string token =
      Mint("alice", kNow - absl::Minutes(1), kNow + absl::Hours(1));
  ASSERT_TRUE(verifier->Verify(token, kNow).ok());
  // Past expiry plus the 30 s leeway: refused.
  absl::StatusOr<Claims> late =
      verifier->Verify(token, kNow + absl::Hours(1) + absl::Seconds(31));
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(late.status().message(), "token expired");
}

TEST(VerifiedTokensTest, IssuedAtIsCheckedAgainstEveryCallersClock) {
  std::unique_ptr<TokenVerifier> verifier = MakeVerifier();
  const std::string token = Mint("alice", kNow, kNow + absl::Hours(1));
  ASSERT_TRUE(verifier->Verify(token, kNow).ok());
  // The same (cached) token presented at a time before it was issued.
  absl::StatusOr<Claims> early =
      verifier->Verify(token, kNow - absl::Minutes(5));
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.status().message(), "token issued in the future");
  EXPECT_TRUE(verifier->Verify(token, kNow + absl::Minutes(1)).ok());
}

TEST(VerifiedTokensTest, AChangedPayloadWithACachedSignatureIsRefused) {
  std::unique_ptr<TokenVerifier> verifier = MakeVerifier();
  const std::string token =
      Mint("alice", kNow - absl::Minutes(1), kNow + absl::Hours(1));
  ASSERT_TRUE(verifier->Verify(token, kNow).ok());
  std::vector<std::string> parts = absl::StrSplit(token, '.');
  ASSERT_EQ(parts.size(), 3u);
  std::string payload;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(parts[1], &payload));
  const size_t org = payload.find(R"("org":42)");
  ASSERT_NE(org, std::string::npos);
  payload.replace(org, 8, R"("org":0 )");
  parts[1] = absl::WebSafeBase64Escape(payload);
  absl::StatusOr<Claims> forged =
      verifier->Verify(absl::StrJoin(parts, "."), kNow);
  ASSERT_FALSE(forged.ok());
  EXPECT_EQ(forged.status().message(), "bad signature");
  // The genuine token is still good.
  EXPECT_TRUE(verifier->Verify(token, kNow).ok());
}

TEST(VerifiedTokensTest, AnExpiredTokenStaysRefusedAfterACachedSuccess) {
  std::unique_ptr<TokenVerifier> verifier = MakeVerifier();
  const std::string token =
      Mint("alice", kNow - absl::Hours(1) - absl::Minutes(1), kNow);
  ASSERT_TRUE(verifier->Verify(token, kNow - absl::Minutes(1)).ok());
  for (int i = 0; i < 3; ++i) {
    EXPECT_FALSE(verifier->Verify(token, kNow + absl::Minutes(1)).ok());
  }
}

VerifiedToken Entry(const std::string& subject) {
  VerifiedToken entry;
  entry.claims.subject = subject;
  return entry;
}

TEST(VerifiedTokensTest, TheCacheStaysWithinItsCapacityOldestFirst) {
  VerifiedTokens cache(4);
  for (int i = 0; i < 10; ++i) {
    cache.Insert(absl::StrCat("token-", i), Entry(absl::StrCat("user-", i)));
    EXPECT_LE(cache.size(), 4u);
  }
  EXPECT_EQ(cache.size(), 4u);
  EXPECT_FALSE(cache.Find("token-5").has_value());
  ASSERT_TRUE(cache.Find("token-9").has_value());
  EXPECT_EQ(cache.Find("token-9")->claims.subject, "user-9");
  // Erased and re-inserted keys do not let it grow either.
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 10; ++i) {
      cache.Erase(absl::StrCat("token-", i));
      cache.Insert(absl::StrCat("token-", i), Entry("again"));
      EXPECT_LE(cache.size(), 4u);
    }
  }
}

TEST(VerifiedTokensTest, CapacityZeroRemembersNothing) {
  VerifiedTokens cache(0);
  cache.Insert("token", Entry("alice"));
  EXPECT_EQ(cache.size(), 0u);
  EXPECT_FALSE(cache.Find("token").has_value());
}

TEST(VerifiedTokensTest, TimeChecksMatchAFreshVerification) {
  VerifierConfig config;
  config.leeway = absl::Seconds(30);
  config.max_lifetime = absl::Hours(24);
  VerifiedToken entry = Entry("alice");
  entry.claims.issued_at = kNow;
  entry.claims.expires_at = kNow + absl::Hours(1);
  entry.has_issued_at = true;
  EXPECT_TRUE(CheckTokenTimes(entry, config, kNow).ok());
  EXPECT_TRUE(
      CheckTokenTimes(entry, config, kNow + absl::Hours(1) + absl::Seconds(29))
          .ok());  // within the leeway
  EXPECT_EQ(
      CheckTokenTimes(entry, config, kNow + absl::Hours(1) + absl::Seconds(30))
          .message(),
      "token expired");
  EXPECT_EQ(CheckTokenTimes(entry, config, kNow - absl::Minutes(1)).message(),
            "token issued in the future");
  entry.not_before = kNow + absl::Minutes(10);
  EXPECT_EQ(CheckTokenTimes(entry, config, kNow).message(),
            "token not yet valid");
  entry.not_before.reset();
  entry.has_issued_at = false;  // lifetime then counts from now
  entry.claims.expires_at = kNow + absl::Hours(25);
  EXPECT_EQ(CheckTokenTimes(entry, config, kNow).message(),
            "token lifetime exceeds the maximum");
}

}  // namespace
}  // namespace unionhub::auth
