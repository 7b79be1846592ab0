// The one client of membership's change feed (WatchEvents), used by
// finance's roster consumer and awards' feed follower. A reader thread keeps
// the stream open from the cursor, reconnecting with backoff, and queues
// events; an applier thread hands them in batches to the consumer, retrying
// a batch that fails. The consumer decides where its cursor is stored: with
// the changes a batch makes (so a restart resumes right after it and a
// replayed event changes nothing), or every so often through save_cursor.
#ifndef UNIONHUB_COMMON_RPC_FEED_CLIENT_H_
#define UNIONHUB_COMMON_RPC_FEED_CLIENT_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/db/pool.h"
#include "common/rpc/metrics.h"
#include "grpcpp/grpcpp.h"
#include "unionhub/membership/v1/membership.grpc.pb.h"

namespace unionhub::rpc {

struct FeedClientConfig {
  std::string name = "membership feed";  // in logs and last_error
  std::string membership_target;         // host:port
  std::shared_ptr<grpc::ChannelCredentials> credentials;
  // The bearer token (role "service"), attached by the channel and asked
  // again on every call so a rotated token file is picked up.
  std::function<std::string()> token;
  int batch_size = 500;       // events per apply at most
  size_t max_queued = 20000;  // read ahead of the applier at most
  // Events whose cursor apply did not store, before save_cursor runs.
  int cursor_flush_every = 500;
  absl::Duration initial_backoff = absl::Milliseconds(200);
  absl::Duration max_backoff = absl::Seconds(10);
};

// A FeedConsumer::load_cursor that reads the cursor with `read(conn)` on
// a pooled connection.
std::function<absl::StatusOr<int64_t>()> CursorReader(
    db::Pool& pool, std::function<int64_t(db::Connection&)> read);

struct FeedConsumer {
  // Where the feed resumes (the last event handled). On error the feed
  // starts from 0: every consumer must treat a replayed event as a no-op.
  std::function<absl::StatusOr<int64_t>()> load_cursor;
  // Applies consecutive events; returns the highest sequence whose cursor
  // is now stored (0: none of them). On error the batch is offered again
  // after a backoff, so a half-applied batch must be safe to replay.
  // OUT_OF_RANGE means the batch does not follow the stored cursor (a gap):
  // the client drops what it queued, reloads the cursor and reads again
  // from there, so no event is ever skipped.
  std::function<absl::StatusOr<int64_t>(
      const std::vector<membership::v1::Event>& batch)>
      apply;
  // Stores the cursor of events apply handled without storing it: every
  // cursor_save_every events, when the stream ends and on Stop. May be
  // empty when apply always stores it.
  std::function<absl::Status(int64_t sequence)> save_cursor;
};

struct FeedStatus {
  int64_t applied_sequence = 0;  // the last event applied
  // The newest sequence membership has reported (with each event sent).
  int64_t head_sequence = 0;
  int64_t pending_events = 0;  // read but not applied yet
  bool connected = false;
  absl::Time disconnected_since = absl::InfinitePast();
  absl::Time last_event_time = absl::InfinitePast();  // of the last applied
  absl::Time last_applied_time = absl::InfinitePast();
  absl::Time oldest_pending_time = absl::InfinitePast();
  // Why the feed is behind, in our own words (the status code name at
  // most; the transport's and the database's text go to the log only).
  // Cleared once the stream delivers again and the applier succeeds.
  std::string last_error;

  // How far behind membership: the oldest pending event's age; nothing
  // while connected with nothing pending; while disconnected, the time since
  // the feed was lost (whatever membership wrote since is missing).
  absl::Duration Behind(absl::Time now) const;
  // For the metrics.
  FeedLag Lag(absl::Time now) const;
};

class FeedClient {
 public:
  FeedClient(FeedClientConfig config, FeedConsumer consumer);
  ~FeedClient();  // stops
  FeedClient(const FeedClient&) = delete;
  FeedClient& operator=(const FeedClient&) = delete;

  // Loads the cursor and starts both threads; after Stop it may start again.
  void Start();
  // Cancels the stream, joins both threads and saves the cursor.
  void Stop();

  FeedStatus Status() const;

  // Blocks until an event with sequence >= `sequence` is applied or
  // `timeout` passes; true when it was.
  bool WaitForSequence(int64_t sequence, absl::Duration timeout) const;

 private:
  void ReadLoop();
  void ApplyLoop();
  void SaveCursor();
  void Resynchronise(int64_t first, const absl::Status& why);

  const FeedClientConfig config_;
  const FeedConsumer consumer_;
  std::shared_ptr<grpc::Channel> channel_;

  mutable absl::Mutex mu_;
  std::deque<membership::v1::Event> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool connected_ ABSL_GUARDED_BY(mu_) = false;
  bool save_requested_ ABSL_GUARDED_BY(mu_) = false;
  absl::Time disconnected_since_ ABSL_GUARDED_BY(mu_) = absl::Now();
  int64_t applied_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t stored_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t queued_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t head_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Time last_event_time_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  absl::Time last_applied_time_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  std::string read_error_ ABSL_GUARDED_BY(mu_);   // cleared on reconnect
  std::string apply_error_ ABSL_GUARDED_BY(mu_);  // cleared on success
  grpc::ClientContext* stream_context_ ABSL_GUARDED_BY(mu_) = nullptr;

  std::thread reader_;
  std::thread applier_;
};

}  // namespace unionhub::rpc

#endif  // UNIONHUB_COMMON_RPC_FEED_CLIENT_H_
