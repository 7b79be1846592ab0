#include "services/awards/register.h"

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
  return {"awards",
          "unionhub awards-and-competitions service",
          "127.0.0.1:50053",
          &db::AwardsMigrations,
          &store::AppendOnlyTables,
          {"membership", "finance"}};
}

absl::StatusOr<AwardsParts> RegisterAwards(rpc::ServiceHost& host,
                                           const AwardsDeps& deps) {
  absl::StatusOr<rpc::PeerEndpoint> membership = host.Peer("membership");
  if (!membership.ok()) return membership.status();
  absl::StatusOr<rpc::PeerEndpoint> finance = host.Peer("finance");
  if (!finance.ok()) return finance.status();
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
  absl::StatusOr<rpc::Gate*> gate =
      host.AddGate(host.Emplace<AwardsScopeResolver>(peers));
  if (!gate.ok()) return gate.status();

  FeedFollowerConfig feed_config;
  feed_config.membership_target = membership->target;
  feed_config.credentials = membership->credentials;
  feed_config.token = membership->token;
  feed_config.initial_backoff = deps.feed_initial_backoff;
  feed_config.max_backoff = deps.feed_max_backoff;
  // A singleton: with several replicas one follows the feed, fenced by its
  // lease in every transaction it writes.
  constexpr const char* kFeedWorker = "feed follower";
  auto& feed = host.Emplace<FeedFollower>(pool, std::move(feed_config),
                                          &host.LeaseFence(kFeedWorker));
  host.AddWorker(
      kFeedWorker, [&feed] { feed.Start(); }, [&feed] { feed.Stop(); },
      {.singleton = true});
  host.metrics().TrackFeed("membership", [&feed] { return feed.Lag(); });

  const Clock& clock = host.ClockOr(deps.clock);
  host.AddService(&host.Emplace<AwardsServiceImpl>(pool, **gate, peers, clock));
  host.AddService(
      &host.Emplace<CompetitionServiceImpl>(pool, **gate, peers, clock));
  return AwardsParts{&feed};
}

}  // namespace unionhub::awards
