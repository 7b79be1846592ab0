#include "services/membership/register.h"

#include "services/membership/event_notifier.h"
#include "services/membership/event_poller.h"
#include "services/membership/membership_service.h"
#include "services/membership/scope_resolver.h"
#include "services/membership/store/append_only.h"

namespace unionhub::db {
const std::vector<MigrationFile>& MembershipMigrations();
}

namespace unionhub::membership {

rpc::ServiceSpec MembershipSpec() {
  return {"membership",
          "unionhub membership service",
          "127.0.0.1:50051",
          &db::MembershipMigrations,
          &store::AppendOnlyTables,
          {}};
}

absl::Status RegisterMembership(rpc::ServiceHost& host,
                                const MembershipDeps& deps) {
  db::Pool& pool = host.pool();
  auto& notifier = host.Emplace<EventNotifier>();
  absl::StatusOr<rpc::Gate*> gate =
      host.AddGate(host.Emplace<MembershipScopeResolver>(pool));
  if (!gate.ok()) return gate.status();
  host.AddService(&host.Emplace<MembershipServiceImpl>(
      pool, notifier, **gate, host.ClockOr(deps.clock),
      host.metrics().ImportRows("members")));
  // Not a singleton: every replica wakes its own streams.
  auto& poller =
      host.Emplace<EventPoller>(pool, notifier, deps.event_poll_interval);
  host.AddWorker(
      "event poller", [&poller] { poller.Start(); },
      [&poller] { poller.Stop(); });
  // WatchEvents streams wait on the notifier; ending them lets the server's
  // shutdown finish within its grace.
  host.OnShutdown([&notifier] { notifier.Shutdown(); });
  return absl::OkStatus();
}

}  // namespace unionhub::membership
