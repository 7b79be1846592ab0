#include "services/finance/register.h"

#include "common/rpc/audit_trail_service.h"
#include "common/rpc/gate.h"
#include "services/finance/finance_service.h"
#include "services/finance/ledger_sealer.h"
#include "services/finance/roster_consumer.h"
#include "services/finance/scope_resolver.h"
#include "services/finance/store/append_only.h"

namespace unionhub::db {
const std::vector<MigrationFile>& FinanceMigrations();
}

namespace unionhub::finance {

rpc::ServiceSpec FinanceSpec() {
  rpc::ServiceSpec spec;
  spec.component = "finance";
  spec.description = "unionhub finance-and-audit service";
  spec.listen = "127.0.0.1:50052";
  spec.db_user = "unionhub_finance";
  spec.db_schema = "unionhub_finance";
  spec.migrations = &db::FinanceMigrations;
  spec.append_only_tables = &store::AppendOnlyTables;
  spec.peers = {"membership"};
  return spec;
}

absl::StatusOr<FinanceParts> RegisterFinance(rpc::ServiceHost& host,
                                             const FinanceDeps& deps) {
  if (host.verifier() == nullptr) {
    return absl::FailedPreconditionError("the host has no token verifier");
  }
  absl::StatusOr<rpc::PeerEndpoint> membership = host.Peer("membership");
  if (!membership.ok()) return membership.status();
  const Clock& clock = deps.clock != nullptr ? *deps.clock : host.clock();
  db::Pool& pool = host.pool();

  RosterConsumerConfig roster_config;
  roster_config.membership_target = membership->target;
  roster_config.credentials = membership->credentials;
  roster_config.token = membership->token;
  roster_config.initial_backoff = deps.feed_initial_backoff;
  roster_config.max_backoff = deps.feed_max_backoff;
  auto& roster = host.Emplace<RosterConsumer>(pool, std::move(roster_config));
  host.AddWorker(
      "roster consumer", [&roster] { roster.Start(); },
      [&roster] { roster.Stop(); });
  if (deps.seal_interval > absl::ZeroDuration()) {
    auto& sealer = host.Emplace<LedgerSealer>(pool, deps.seal_interval);
    host.AddWorker(
        "ledger sealer", [&sealer] { sealer.Start(); },
        [&sealer] { sealer.Stop(); });
  }

  auto& resolver = host.Emplace<FinanceScopeResolver>(pool);
  auto& gate = host.Emplace<rpc::Gate>(host.verifier(), resolver, pool);
  host.AddService(
      &host.Emplace<FinanceServiceImpl>(pool, gate, clock, &roster));
  host.AddService(&host.Emplace<AuditServiceImpl>(pool, gate, clock,
                                                  deps.seal_stall_after));
  host.AddService(&host.Emplace<rpc::AuditTrailServiceImpl>(gate, pool));
  return FinanceParts{&roster};
}

}  // namespace unionhub::finance
