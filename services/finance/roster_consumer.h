// Finance's copy of the membership roster, fed by membership's WatchEvents
// change feed through the common feed client (common/rpc/feed_client.h):
// each batch of events is applied in one transaction that also moves the
// cursor, so after any restart the feed resumes right after the last
// applied event and a replayed event changes nothing.
#ifndef UNIONHUB_SERVICES_FINANCE_ROSTER_CONSUMER_H_
#define UNIONHUB_SERVICES_FINANCE_ROSTER_CONSUMER_H_

#include "absl/time/time.h"
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
  RosterConsumer(db::Pool& pool, RosterConsumerConfig config);
  ~RosterConsumer();  // stops
  RosterConsumer(const RosterConsumer&) = delete;
  RosterConsumer& operator=(const RosterConsumer&) = delete;

  void Start();
  void Stop();

  // Progress, for GetRosterStatus and the logs.
  v1::GetRosterStatusResponse Status() const;
  // Progress, for the metrics.
  rpc::FeedLag Lag() const;

  // Blocks until an event with sequence >= `sequence` is applied or
  // `timeout` passes; true when it was. For tests and start-up.
  bool WaitForSequence(int64_t sequence, absl::Duration timeout) const;

 private:
  db::Pool& pool_;
  rpc::FeedClient feed_;
};

}  // namespace unionhub::finance

#endif  // UNIONHUB_SERVICES_FINANCE_ROSTER_CONSUMER_H_
