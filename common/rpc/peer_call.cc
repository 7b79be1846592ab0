#include "common/rpc/peer_call.h"

#include <algorithm>
#include <string>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/core/log.h"
#include "common/rpc/call_context.h"
#include "common/rpc/status.h"

namespace unionhub::rpc {
namespace {

// Less than this left is not worth an attempt.
constexpr absl::Duration kMinAttempt = absl::Milliseconds(20);

bool Retryable(const grpc::Status& status) {
  return status.error_code() == grpc::StatusCode::UNAVAILABLE ||
         status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED;
}

absl::Status OutOfTime(absl::string_view peer, absl::string_view what,
                       int attempts, const grpc::Status& last) {
  log::Warn("peer call stopped at the caller's deadline",
            {{"peer", std::string(peer)},
             {"call", std::string(what)},
             {"attempts", absl::StrCat(attempts)},
             {"code", StatusCodeName(last.error_code())},
             {"error", last.error_message()}});
  return absl::DeadlineExceededError(
      absl::StrCat(peer, " did not answer ", what,
                   " within the caller's deadline; nothing was changed"));
}

}  // namespace

absl::Duration DeadlineMargin(absl::Duration remaining) {
  return std::clamp(remaining / 5, absl::Milliseconds(100), absl::Seconds(1));
}

absl::Status CallPeer(
    absl::string_view peer, absl::string_view what, const PeerRetry& retry,
    const std::function<grpc::Status(grpc::ClientContext*)>& call) {
  thread_local absl::BitGen bits;
  const absl::Time caller_deadline = CallDeadline();
  absl::Time end = absl::InfiniteFuture();
  if (caller_deadline != absl::InfiniteFuture()) {
    end = caller_deadline - DeadlineMargin(caller_deadline - absl::Now());
  }
  const int attempts = std::max(1, retry.attempts);
  absl::Duration backoff = retry.backoff;
  grpc::Status last(grpc::StatusCode::DEADLINE_EXCEEDED,
                    "no time left to call");
  for (int attempt = 1; attempt <= attempts; ++attempt) {
    const absl::Time now = absl::Now();
    const absl::Duration left = end - now;
    if (left < kMinAttempt) return OutOfTime(peer, what, attempt - 1, last);
    const bool cut_short = left < retry.per_attempt;
    grpc::ClientContext context;
    context.set_deadline(
        absl::ToChronoTime(now + std::min(retry.per_attempt, left)));
    // Wait (within the deadline) for a peer that is reconnecting rather
    // than fail at once while its channel is backing off.
    context.set_wait_for_ready(true);
    last = call(&context);
    if (!Retryable(last)) return FromPeerStatus(peer, what, last);
    if (cut_short) return OutOfTime(peer, what, attempt, last);
    if (attempt == attempts) break;
    const int64_t backoff_ms = absl::ToInt64Milliseconds(backoff);
    const absl::Duration pause = absl::Milliseconds(absl::Uniform<int64_t>(
        absl::IntervalClosed, bits, backoff_ms / 2, backoff_ms));
    if (absl::Now() + pause + kMinAttempt > end) {
      return OutOfTime(peer, what, attempt, last);
    }
    log::Warn("peer unavailable; retrying",
              {{"peer", std::string(peer)},
               {"call", std::string(what)},
               {"retry_in_ms", absl::StrCat(absl::ToInt64Milliseconds(pause))},
               {"error", last.error_message()}});
    absl::SleepFor(pause);
    backoff *= 2;
  }
  return FromPeerStatus(peer, what, last);
}

}  // namespace unionhub::rpc
