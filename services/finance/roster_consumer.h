// Finance's copy of the membership roster, fed by membership's WatchEvents
// change feed through the common feed client (common/rpc/feed_client.h):
// each batch of events is applied in one transaction that also moves the
// cursor, so after any restart the feed resumes right after the last
// applied event and a replayed event changes nothing.
#ifndef UNIONHUB_SERVICES_FINANCE_ROSTER_CONSUMER_H_
#define UNIONHUB_SERVICES_FINANCE_ROSTER_CONSUMER_H_

#include <atomic>

#include "absl/time/time.h"
#include "common/db/lease.h"
#include "common/db/pool.h"
#include "common/rpc/feed_client.h"
#include "grpcpp/grpcpp.h"
#include "unionhub/finance/v1/finance.pb.h"

namespace unionhub::finance {

// membership_target, credentials, token (role "service"), batch_size
// (events applied per transaction at most) and the backoffs.
using RosterConsumerConfig = rpc::FeedClientConfig;

class RosterConsumer {
 public:
  // With `fence` (the host's singleton lease), every batch's transaction
  // checks this replica still holds it: a replica that lost the lease
  // cannot apply events another replica is applying.
  RosterConsumer(db::Pool& pool, RosterConsumerConfig config,
                 const db::Fence* fence = nullptr);
  ~RosterConsumer();  // stops
  RosterConsumer(const RosterConsumer&) = delete;
  RosterConsumer& operator=(const RosterConsumer&) = delete;

  void Start();
  void Stop();

  // Progress, for GetRosterStatus and the logs. On a standby replica (the
  // feed applied by another) only last_error, saying so: the caller reads
  // the applied sequence from the database.
  v1::GetRosterStatusResponse Status() const;
  // Progress, for the metrics.
  rpc::FeedLag Lag() const;

  // Blocks until an event with sequence >= `sequence` is applied or
  // `timeout` passes; true when it was. For tests and start-up.
  bool WaitForSequence(int64_t sequence, absl::Duration timeout) const;

 private:
  db::Pool& pool_;
  const db::Fence* fence_;
  // False on a replica where another holds the lease (standby).
  std::atomic<bool> running_{false};
  rpc::FeedClient feed_;
};

}  // namespace unionhub::finance

#endif  // UNIONHUB_SERVICES_FINANCE_ROSTER_CONSUMER_H_
