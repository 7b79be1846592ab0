// Tokens whose signature and claims were already verified, so a caller's
// next call skips the RSA operation (52-94 us per call, docs/performance.md).
// Only what cannot change is remembered: the token is the whole key, so a
// different header or payload never matches an entry, and the time checks
// (expiry, not-before, issued-at, lifetime) are made again on every call.
#ifndef UNIONHUB_COMMON_AUTH_VERIFIED_TOKENS_H_
#define UNIONHUB_COMMON_AUTH_VERIFIED_TOKENS_H_

#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/auth/jwt.h"

namespace unionhub::auth {

// What a verification found in a token, before any check against the clock.
struct VerifiedToken {
  Claims claims;
  std::optional<absl::Time> not_before;  // "nbf", when present
  bool has_issued_at = false;            // "iat" present
};

// The checks against the clock (expiry with leeway, not-before, issued-at
// not in the future, lifetime at most max_lifetime), made on every call,
// cached or not: UNAUTHENTICATED with a short reason.
absl::Status CheckTokenTimes(const VerifiedToken& verified,
                             const VerifierConfig& config, absl::Time now);

// A bounded, thread-safe map from token to its VerifiedToken. When full,
// the oldest entry goes first, so memory stays bounded whatever callers
// send; an entry found expired is dropped by the verifier.
class VerifiedTokens {
 public:
  explicit VerifiedTokens(size_t capacity) : capacity_(capacity) {}

  std::optional<VerifiedToken> Find(absl::string_view token) const;
  void Insert(absl::string_view token, const VerifiedToken& verified);
  void Erase(absl::string_view token);
  size_t size() const;

 private:
  const size_t capacity_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, VerifiedToken> entries_;
  std::deque<std::string> order_;  // insertion order, for eviction
};

}  // namespace unionhub::auth

#endif  // UNIONHUB_COMMON_AUTH_VERIFIED_TOKENS_H_
