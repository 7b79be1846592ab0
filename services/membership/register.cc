#include "services/membership/register.h"

#include "common/rpc/audit_trail_service.h"
#include "common/rpc/gate.h"
#include "services/membership/event_notifier.h"
#include "services/membership/membership_service.h"
#include "services/membership/scope_resolver.h"
#include "services/membership/store/append_only.h"

namespace unionhub::db {
const std::vector<MigrationFile>& MembershipMigrations();
}

namespace unionhub::membership {

rpc::ServiceSpec MembershipSpec() {
  rpc::ServiceSpec spec;
  spec.component = "membership";
  spec.description = "unionhub membership service";
  spec.listen = "127.0.0.1:50051";
  spec.db_user = "unionhub_membership";
  spec.db_schema = "unionhub_membership";
  spec.migrations = &db::MembershipMigrations;
  spec.append_only_tables = &store::AppendOnlyTables;
  return spec;
}

absl::Status RegisterMembership(rpc::ServiceHost& host,
                                const MembershipDeps& deps) {
  if (host.verifier() == nullptr) {
    return absl::FailedPreconditionError("the host has no token verifier");
  }
  const Clock& clock = deps.clock != nullptr ? *deps.clock : host.clock();
  db::Pool& pool = host.pool();
  auto& notifier = host.Emplace<EventNotifier>();
  auto& resolver = host.Emplace<MembershipScopeResolver>(pool);
  auto& gate = host.Emplace<rpc::Gate>(host.verifier(), resolver, pool);
  host.AddService(
      &host.Emplace<MembershipServiceImpl>(pool, notifier, gate, clock));
  host.AddService(&host.Emplace<rpc::AuditTrailServiceImpl>(gate, pool));
  // WatchEvents streams wait on the notifier; ending them lets the server's
  // shutdown finish within its grace.
  host.OnShutdown([&notifier] { notifier.Shutdown(); });
  return absl::OkStatus();
}

}  // namespace unionhub::membership
