// Finance's copy of the membership roster, fed by membership's WatchEvents
// change feed through the common feed client (common/rpc/feed_client.h):
// each batch of events is applied in one transaction that also moves the
// cursor, so after any restart the feed resumes right after the last
// applied event and a replayed event changes nothing.
#ifndef UNIONHUB_SERVICES_FINANCE_ROSTER_CONSUMER_H_
#define UNIONHUB_SERVICES_FINANCE_ROSTER_CONSUMER_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/time/time.h"
#include "common/db/pool.h"
#include "common/rpc/feed_client.h"
#include "grpcpp/grpcpp.h"
#include "unionhub/finance/v1/finance.pb.h"

namespace unionhub::finance {

struct RosterConsumerConfig {
  std::string membership_target;  // host:port
  std::shared_ptr<grpc::ChannelCredentials> credentials;
  // The bearer token (role "service"), attached by the feed's channel and
  // asked again on every call so a rotated token file is picked up.
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
  db::Pool& pool_;
  rpc::FeedClient feed_;
};

}  // namespace unionhub::finance

#endif  // UNIONHUB_SERVICES_FINANCE_ROSTER_CONSUMER_H_
