#include "services/finance/roster_consumer.h"

#include <algorithm>
#include <vector>

#include "services/finance/roster_hooks.h"
#include "services/finance/store/roster_store.h"

namespace unionhub::finance {
namespace {

google::protobuf::Timestamp ToProto(absl::Time time) {
  google::protobuf::Timestamp out;
  if (time == absl::InfinitePast()) return out;
  out.set_seconds(absl::ToUnixSeconds(time));
  return out;
}

rpc::FeedClientConfig Named(rpc::FeedClientConfig config) {
  config.name = "roster feed";
  return config;
}

}  // namespace

RosterConsumer::RosterConsumer(db::Pool& pool, RosterConsumerConfig config,
                               const db::Fence* fence)
    : pool_(pool),
      fence_(fence),
      feed_(Named(std::move(config)),
            rpc::FeedConsumer{
                .load_cursor = rpc::CursorReader(pool, &store::RosterCursor),
                // The cursor moves in the batch's own transaction.
                .apply = [this](const std::vector<membership::v1::Event>& batch)
                    -> absl::StatusOr<int64_t> {
                  absl::StatusOr<int64_t> cursor;
                  absl::Status status =
                      pool_.InTransaction([&](db::Connection& conn) {
                        if (absl::Status fenced = db::CheckFence(fence_, conn);
                            !fenced.ok()) {
                          return fenced;
                        }
                        cursor = store::ApplyRosterEvents(conn, batch,
                                                          &OnUnionEstablished);
                        return cursor.status();
                      });
                  if (!status.ok()) return status;
                  return cursor;
                },
                .save_cursor = nullptr}) {}

RosterConsumer::~RosterConsumer() { Stop(); }

void RosterConsumer::Start() {
  feed_.Start();
  running_ = true;
}

void RosterConsumer::Stop() {
  running_ = false;
  feed_.Stop();
}

v1::GetRosterStatusResponse RosterConsumer::Status() const {
  v1::GetRosterStatusResponse status;
  if (!running_) {
    status.set_last_error(
        "this replica is on standby: another replica applies the feed");
    return status;
  }
  const rpc::FeedStatus feed = feed_.Status();
  status.set_last_applied_sequence(feed.applied_sequence);
  *status.mutable_last_event_time() = ToProto(feed.last_event_time);
  *status.mutable_last_applied_time() = ToProto(feed.last_applied_time);
  status.set_connected(feed.connected);
  status.set_pending_events(feed.pending_events);
  status.set_lag_seconds(absl::ToInt64Seconds(feed.Behind(absl::Now())));
  status.set_last_error(feed.last_error);
  return status;
}

rpc::FeedLag RosterConsumer::Lag() const {
  return feed_.Status().Lag(absl::Now());
}

bool RosterConsumer::WaitForSequence(int64_t sequence,
                                     absl::Duration timeout) const {
  return feed_.WaitForSequence(sequence, timeout);
}

}  // namespace unionhub::finance
