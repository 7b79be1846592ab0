#include "services/finance/register.h"

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
  return {"finance",
          "unionhub finance-and-audit service",
          "127.0.0.1:50052",
          &db::FinanceMigrations,
          &store::AppendOnlyTables,
          {"membership"}};
}

absl::StatusOr<FinanceParts> RegisterFinance(rpc::ServiceHost& host,
                                             const FinanceDeps& deps) {
  absl::StatusOr<rpc::PeerEndpoint> membership = host.Peer("membership");
  if (!membership.ok()) return membership.status();
  db::Pool& pool = host.pool();
  absl::StatusOr<rpc::Gate*> gate =
      host.AddGate(host.Emplace<FinanceScopeResolver>(pool));
  if (!gate.ok()) return gate.status();

  RosterConsumerConfig roster_config;
  roster_config.membership_target = membership->target;
  roster_config.credentials = membership->credentials;
  roster_config.token = membership->token;
  roster_config.initial_backoff = deps.feed_initial_backoff;
  roster_config.max_backoff = deps.feed_max_backoff;
  // Singletons: with several replicas, one at a time applies the feed and
  // one seals, each fenced by its lease in every transaction it writes.
  auto& roster = host.Emplace<RosterConsumer>(pool, std::move(roster_config),
                                              &host.LeaseFence(kRosterWorker));
  host.AddWorker(
      kRosterWorker, [&roster] { roster.Start(); },
      [&roster] { roster.Stop(); }, {.singleton = true});
  host.metrics().TrackFeed("membership", [&roster] { return roster.Lag(); });
  TrackSealProgress(host.metrics(), pool);
  if (deps.seal_interval > absl::ZeroDuration()) {
    auto& sealer = host.Emplace<LedgerSealer>(pool, deps.seal_interval,
                                              &host.LeaseFence(kSealerWorker));
    host.AddWorker(
        kSealerWorker, [&sealer] { sealer.Start(); },
        [&sealer] { sealer.Stop(); }, {.singleton = true});
  }

  const Clock& clock = host.ClockOr(deps.clock);
  host.AddService(&host.Emplace<FinanceServiceImpl>(
      pool, **gate, clock, &roster,
      host.metrics().ImportRows("payroll_deductions")));
  host.AddService(&host.Emplace<AuditServiceImpl>(pool, **gate, clock,
                                                  deps.seal_stall_after));
  return FinanceParts{&roster};
}

}  // namespace unionhub::finance
