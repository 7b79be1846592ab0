#include "common/auth/verified_tokens.h"

namespace unionhub::auth {

absl::Status CheckTokenTimes(const VerifiedToken& verified,
                             const VerifierConfig& config, absl::Time now) {
  const Claims& claims = verified.claims;
  if (now >= claims.expires_at + config.leeway) {
    return absl::UnauthenticatedError("token expired");
  }
  if (verified.not_before.has_value() &&
      now + config.leeway < *verified.not_before) {
    return absl::UnauthenticatedError("token not yet valid");
  }
  if (verified.has_issued_at && now + config.leeway < claims.issued_at) {
    return absl::UnauthenticatedError("token issued in the future");
  }
  // Without a trustworthy "iat" the lifetime left counts from now.
  const bool issued_before_now =
      verified.has_issued_at && claims.issued_at <= now;
  const absl::Time start = issued_before_now ? claims.issued_at : now;
  if (claims.expires_at - start > config.max_lifetime) {
    return absl::UnauthenticatedError("token lifetime exceeds the maximum");
  }
  return absl::OkStatus();
}

std::optional<VerifiedToken> VerifiedTokens::Find(
    absl::string_view token) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(std::string(token));
  if (it == entries_.end()) return std::nullopt;
  return it->second;
}

void VerifiedTokens::Insert(absl::string_view token,
                            const VerifiedToken& verified) {
  if (capacity_ == 0) return;
  std::lock_guard<std::mutex> lock(mu_);
  auto [it, inserted] = entries_.emplace(std::string(token), verified);
  if (!inserted) return;
  order_.push_back(it->first);
  // Erased entries leave their key in order_; skipping those keeps both
  // containers within capacity.
  while (entries_.size() > capacity_ || order_.size() > 2 * capacity_) {
    entries_.erase(order_.front());
    order_.pop_front();
  }
}

void VerifiedTokens::Erase(absl::string_view token) {
  std::lock_guard<std::mutex> lock(mu_);
  entries_.erase(std::string(token));
}

size_t VerifiedTokens::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return entries_.size();
}

}  // namespace unionhub::auth
