// A unary call to a peer service made on behalf of a caller: retried while
// the peer is UNAVAILABLE, each attempt with its own deadline, and the
// whole of it bounded by the deadline of the call being served
// (rpc::CallDeadline()), so a caller that gives two seconds gets its answer
// within them instead of after every attempt has run out.
#ifndef UNIONHUB_COMMON_RPC_PEER_CALL_H_
#define UNIONHUB_COMMON_RPC_PEER_CALL_H_

#include <grpcpp/client_context.h>
#include <grpcpp/support/status.h>

#include <functional>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace unionhub::rpc {

struct PeerRetry {
  absl::Duration per_attempt = absl::Seconds(5);  // PeerEndpoint::deadline
  int attempts = 3;                               // PeerEndpoint::attempts
  // Before the second attempt; doubled for each later one, and jittered
  // (half to all of it) so callers that failed together do not retry
  // together.
  absl::Duration backoff = absl::Milliseconds(200);
};

// Part of the caller's remaining time kept back for our own work after the
// peer answers and for the answer's way back: a fifth of it, between 100 ms
// and 1 s.
absl::Duration DeadlineMargin(absl::Duration remaining);

// Calls `call` with a fresh context per attempt (its deadline the smaller
// of retry.per_attempt and the time the caller's deadline leaves, and
// wait-for-ready so a reconnecting peer is waited for) until the peer
// answers something other than UNAVAILABLE or DEADLINE_EXCEEDED or the
// attempts run out. Returns FromPeerStatus(peer, what, last answer) (so
// UNAVAILABLE naming the peer once the attempts ran out), or
// DEADLINE_EXCEEDED naming the peer when the caller's deadline left no time
// for another attempt.
absl::Status CallPeer(
    absl::string_view peer, absl::string_view what, const PeerRetry& retry,
    const std::function<grpc::Status(grpc::ClientContext*)>& call);

}  // namespace unionhub::rpc

#endif  // UNIONHUB_COMMON_RPC_PEER_CALL_H_
