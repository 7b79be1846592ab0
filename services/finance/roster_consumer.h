// Finance's copy of the membership roster, fed by membership's WatchEvents
// change feed. A reader thread keeps the stream open (reconnecting with
// backoff) and queues events; an applier thread applies them in batches,
// each batch in one transaction that also moves the cursor, so after any
// restart the feed resumes right after the last applied event and a
// replayed event changes nothing.
#ifndef UNIONHUB_SERVICES_FINANCE_ROSTER_CONSUMER_H_
#define UNIONHUB_SERVICES_FINANCE_ROSTER_CONSUMER_H_

#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/db/pool.h"
#include "grpcpp/grpcpp.h"
#include "unionhub/finance/v1/finance.pb.h"
#include "unionhub/membership/v1/membership.grpc.pb.h"

namespace unionhub::finance {

struct RosterConsumerConfig {
  std::string membership_target;  // host:port
  std::shared_ptr<grpc::ChannelCredentials> credentials;
  // The bearer token (role "service") for each (re)connection; called
  // again on every reconnect so a rotated token file is picked up.
  std::function<std::string()> token;
  // Events applied per transaction at most.
  int batch_size = 500;
  absl::Duration initial_backoff = absl::Milliseconds(200);
  absl::Duration max_backoff = absl::Seconds(10);
};

class RosterConsumer {
 public:
  RosterConsumer(db::Pool& pool, RosterConsumerConfig config);
  ~RosterConsumer();  // stops
  RosterConsumer(const RosterConsumer&) = delete;
  RosterConsumer& operator=(const RosterConsumer&) = delete;

  void Start();
  void Stop();

  // Progress, for GetRosterStatus and the logs.
  v1::GetRosterStatusResponse Status() const;

  // Blocks until an event with sequence >= `sequence` is applied or
  // `timeout` passes; true when it was. For tests and start-up.
  bool WaitForSequence(int64_t sequence, absl::Duration timeout) const;

 private:
  void ReadLoop();
  void ApplyLoop();

  db::Pool& pool_;
  RosterConsumerConfig config_;

  mutable absl::Mutex mu_;
  std::deque<membership::v1::Event> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool connected_ ABSL_GUARDED_BY(mu_) = false;
  absl::Time disconnected_since_ ABSL_GUARDED_BY(mu_) = absl::Now();
  int64_t applied_sequence_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t queued_sequence_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Time last_event_time_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  absl::Time last_applied_time_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  std::string last_error_ ABSL_GUARDED_BY(mu_);
  grpc::ClientContext* stream_context_ ABSL_GUARDED_BY(mu_) = nullptr;

  std::thread reader_;
  std::thread applier_;
};

}  // namespace unionhub::finance

#endif  // UNIONHUB_SERVICES_FINANCE_ROSTER_CONSUMER_H_
