#include "services/awards/register.h"

#include "common/rpc/audit_trail_service.h"
#include "common/rpc/gate.h"
#include "services/awards/awards_service.h"
#include "services/awards/competition_service.h"
#include "services/awards/feed_follower.h"
#include "services/awards/peers.h"
#include "services/awards/scope_resolver.h"
#include "services/awards/store/append_only.h"

namespace unionhub::db {
const std::vector<MigrationFile>& AwardsMigrations();
}

namespace unionhub::awards {

rpc::ServiceSpec AwardsSpec() {
  rpc::ServiceSpec spec;
  spec.component = "awards";
  spec.description = "unionhub awards-and-competitions service";
  spec.listen = "127.0.0.1:50053";
  spec.db_user = "unionhub_awards";
  spec.db_schema = "unionhub_awards";
  spec.migrations = &db::AwardsMigrations;
  spec.append_only_tables = &store::AppendOnlyTables;
  spec.peers = {"membership", "finance"};
  return spec;
}

absl::StatusOr<AwardsParts> RegisterAwards(rpc::ServiceHost& host,
                                           const AwardsDeps& deps) {
  if (host.verifier() == nullptr) {
    return absl::FailedPreconditionError("the host has no token verifier");
  }
  absl::StatusOr<rpc::PeerEndpoint> membership = host.Peer("membership");
  if (!membership.ok()) return membership.status();
  absl::StatusOr<rpc::PeerEndpoint> finance = host.Peer("finance");
  if (!finance.ok()) return finance.status();
  const Clock& clock = deps.clock != nullptr ? *deps.clock : host.clock();
  db::Pool& pool = host.pool();

  PeerConfig peer_config;
  peer_config.membership_target = membership->target;
  peer_config.membership_credentials = membership->credentials;
  peer_config.finance_target = finance->target;
  peer_config.finance_credentials = finance->credentials;
  peer_config.token = membership->token;
  peer_config.deadline = membership->deadline;
  peer_config.attempts = membership->attempts;
  auto& peers = host.Emplace<Peers>(std::move(peer_config));

  FeedFollowerConfig feed_config;
  feed_config.membership_target = membership->target;
  feed_config.credentials = membership->credentials;
  feed_config.token = membership->token;
  feed_config.initial_backoff = deps.feed_initial_backoff;
  feed_config.max_backoff = deps.feed_max_backoff;
  auto& feed = host.Emplace<FeedFollower>(pool, std::move(feed_config));
  host.AddWorker(
      "feed follower", [&feed] { feed.Start(); }, [&feed] { feed.Stop(); });

  auto& resolver = host.Emplace<AwardsScopeResolver>(peers);
  auto& gate = host.Emplace<rpc::Gate>(host.verifier(), resolver, pool);
  host.AddService(&host.Emplace<AwardsServiceImpl>(pool, gate, peers, clock));
  host.AddService(
      &host.Emplace<CompetitionServiceImpl>(pool, gate, peers, clock));
  host.AddService(&host.Emplace<rpc::AuditTrailServiceImpl>(gate, pool));
  return AwardsParts{&feed};
}

}  // namespace unionhub::awards
