// Follows membership's WatchEvents so a nominee who leaves the union, is
// expelled or dies before the programme is finalised is withdrawn, with the
// event as the reason. The common feed client (common/rpc/feed_client.h)
// keeps the stream open; an event that changes something is applied in one
// transaction with the cursor, so a restart resumes right after it and a
// replayed event changes nothing. Events that change nothing here only move
// the cursor, written every few hundred events (replaying them is harmless).
#ifndef UNIONHUB_SERVICES_AWARDS_FEED_FOLLOWER_H_
#define UNIONHUB_SERVICES_AWARDS_FEED_FOLLOWER_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/db/lease.h"
#include "common/db/pool.h"
#include "common/rpc/feed_client.h"
#include "grpcpp/grpcpp.h"
#include "services/awards/domain/reasons.h"
#include "unionhub/membership/v1/membership.grpc.pb.h"

namespace unionhub::awards {

// membership_target, credentials, token (role "service"), the backoffs,
// and cursor_flush_every: events that change nothing before the cursor is
// written.
using FeedFollowerConfig = rpc::FeedClientConfig;

class FeedFollower {
 public:
  // With `fence` (the host's singleton lease), every write checks this
  // replica still holds it.
  FeedFollower(db::Pool& pool, FeedFollowerConfig config,
               const db::Fence* fence = nullptr);
  ~FeedFollower();  // stops
  FeedFollower(const FeedFollower&) = delete;
  FeedFollower& operator=(const FeedFollower&) = delete;

  void Start();
  void Stop();

  // Blocks until an event with sequence >= `sequence` has been handled or
  // `timeout` passes; true when it was. For tests.
  bool WaitForSequence(int64_t sequence, absl::Duration timeout) const;

  // Progress, for the metrics.
  rpc::FeedLag Lag() const;

 private:
  // Applies one event; true when it changed anything (then the cursor
  // moved with it).
  absl::StatusOr<bool> Apply(const membership::v1::Event& event);

  db::Pool& pool_;
  const db::Fence* fence_;
  rpc::FeedClient feed_;
};

// The withdrawal reason for a nominee's status-change event, or nullopt
// when the event does not end the membership.
std::optional<StatusReason> LeavingReason(const membership::v1::Event& event);

}  // namespace unionhub::awards

#endif  // UNIONHUB_SERVICES_AWARDS_FEED_FOLLOWER_H_
