// Awards' object graph on a ServiceHost: the one wiring its main.cc and the
// test fixture (tests/support/awards_fixture.cc) both use.
#ifndef UNIONHUB_SERVICES_AWARDS_REGISTER_H_
#define UNIONHUB_SERVICES_AWARDS_REGISTER_H_

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/core/clock.h"
#include "common/rpc/service_host.h"

namespace unionhub::awards {

class FeedFollower;

struct AwardsDeps {
  // The business day; the host's clock (system, or --today) when null.
  const Clock* clock = nullptr;
  // Reconnection backoff of the follower on membership's change feed.
  absl::Duration feed_initial_backoff = absl::Milliseconds(200);
  absl::Duration feed_max_backoff = absl::Seconds(10);
};

// What the wiring made that a caller may want to watch.
struct AwardsParts {
  FeedFollower* feed = nullptr;
};

// Listen port, database user and schema, migrations, append-only tables,
// and the membership and finance peers.
rpc::ServiceSpec AwardsSpec();

// Adds AwardsService, CompetitionService and the audit trail service (with
// the peers, scope resolver and gate) to `host`, and as a worker the
// follower of membership's change feed. Uses the host's "membership" and
// "finance" peers; the membership peer's token, deadline and attempts
// serve both.
absl::StatusOr<AwardsParts> RegisterAwards(rpc::ServiceHost& host,
                                           const AwardsDeps& deps = {});

}  // namespace unionhub::awards

#endif  // UNIONHUB_SERVICES_AWARDS_REGISTER_H_
