// Membership's object graph on a ServiceHost: the one wiring its main.cc
// and the test fixture (tests/support/membership_fixture.cc) both use.
#ifndef UNIONHUB_SERVICES_MEMBERSHIP_REGISTER_H_
#define UNIONHUB_SERVICES_MEMBERSHIP_REGISTER_H_

#include "absl/status/status.h"
#include "common/core/clock.h"
#include "common/rpc/service_host.h"

namespace unionhub::membership {

struct MembershipDeps {
  // What "today" is; the host's clock (system, or --today) when null.
  const Clock* clock = nullptr;
  // How often each replica looks for events other replicas committed, to
  // wake its WatchEvents streams (EventPoller).
  absl::Duration event_poll_interval = absl::Milliseconds(200);
};

// Listen port, database user and schema, migrations, append-only tables.
rpc::ServiceSpec MembershipSpec();

// Adds MembershipService and the audit trail service (with their scope
// resolver and gate) to `host`, the event poller as a worker (on every
// replica), and ends WatchEvents streams when it shuts down.
absl::Status RegisterMembership(rpc::ServiceHost& host,
                                const MembershipDeps& deps = {});

}  // namespace unionhub::membership

#endif  // UNIONHUB_SERVICES_MEMBERSHIP_REGISTER_H_
