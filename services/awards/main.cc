// unionhub-awards: flags/env -> wiring -> serve.
#include <cstdlib>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/strings/strip.h"
#include "common/auth/jwt.h"
#include "common/core/config.h"
#include "common/core/dates.h"
#include "common/core/log.h"
#include "common/db/grants.h"
#include "common/db/migrations.h"
#include "common/db/pool.h"
#include "common/rpc/audit_trail_service.h"
#include "common/rpc/gate.h"
#include "common/rpc/security_flags.h"
#include "common/rpc/server.h"
#include "common/rpc/tls.h"
#include "services/awards/awards_service.h"
#include "services/awards/competition_service.h"
#include "services/awards/feed_follower.h"
#include "services/awards/peers.h"
#include "services/awards/scope_resolver.h"
#include "services/awards/store/append_only.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:50053", "address:port to serve on");
ABSL_FLAG(std::string, db_uri, "tcp://127.0.0.1:3306",
          "unix:///path/to/mysqld.sock or tcp://host:port");
ABSL_FLAG(std::string, db_user, "unionhub_awards", "database user");
ABSL_FLAG(std::string, db_password, "", "database password (prefer the env)");
ABSL_FLAG(std::string, db_schema, "unionhub_awards", "database schema");
ABSL_FLAG(int, db_pool_size, 16, "database connections");
ABSL_FLAG(int, rpc_threads, 32, "maximum threads serving RPCs");
ABSL_FLAG(int, shutdown_grace_seconds, 10,
          "time in-flight calls get to finish on SIGTERM");
ABSL_FLAG(int, shutdown_drain_seconds, 0,
          "on SIGTERM, time NOT_SERVING is announced before shutting down");
ABSL_FLAG(bool, migrate_only, false,
          "apply the schema migrations and exit (run with an administrator "
          "account; see --grant_to)");
ABSL_FLAG(std::string, grant_to, "",
          "with --migrate_only: grant the service accounts USER@HOST[,...] "
          "exactly their privileges (db::GrantServiceUser)");
ABSL_FLAG(std::string, membership_address, "127.0.0.1:50051",
          "membership service: members, orgs and the change feed");
ABSL_FLAG(std::string, membership_ca_file, "",
          "CA of membership's server certificate");
ABSL_FLAG(std::string, membership_cert_file, "",
          "client certificate for mutual TLS to membership (optional)");
ABSL_FLAG(std::string, membership_key_file, "", "its private key");
ABSL_FLAG(std::string, membership_token_file, "",
          "file holding the bearer token (role service) for membership and "
          "finance; re-read on every call");
ABSL_FLAG(std::string, finance_address, "127.0.0.1:50052",
          "finance service: dues standing for eligibility");
ABSL_FLAG(std::string, finance_ca_file, "",
          "CA of finance's server certificate (default: membership's)");
ABSL_FLAG(std::string, finance_cert_file, "",
          "client certificate for mutual TLS to finance (default: "
          "membership's)");
ABSL_FLAG(std::string, finance_key_file, "", "its private key");
ABSL_FLAG(int, peer_deadline_ms, 5000, "deadline of each call to a peer");
ABSL_FLAG(int, peer_attempts, 3,
          "attempts of a peer call while it answers UNAVAILABLE");
ABSL_FLAG(std::string, today, "",
          "pretend today is this YYYY-MM-DD (tests and demos only; default: "
          "the real date in China Standard Time)");

namespace unionhub::db {
const std::vector<MigrationFile>& AwardsMigrations();
}

namespace {

using namespace unionhub;

absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> PeerCredentials(
    const std::string& peer, const std::string& ca, const std::string& cert,
    const std::string& key) {
  if (ca.empty()) {
    log::Warn("peer without TLS (no CA file)", {{"peer", peer}});
    return grpc::InsecureChannelCredentials();
  }
  return rpc::ClientTlsCredentials({ca, cert, key});
}

}  // namespace

int main(int argc, char** argv) {
  rpc::BlockTerminationSignals();
  config::ParseFlags(argc, argv,
                     "unionhub awards-and-competitions service (flags may "
                     "also be given as UNIONHUB_<FLAG> environment variables)");
  log::SetComponent("awards");
  auto fail = [](absl::string_view what, const absl::Status& status) {
    log::Error(what, {{"error", std::string(status.message())}});
    return 1;
  };

  awards::Clock today = [] { return dates::TodayInChina(); };
  if (const std::string fixed = absl::GetFlag(FLAGS_today); !fixed.empty()) {
    absl::StatusOr<absl::CivilDay> day = dates::ParseDate(fixed);
    if (!day.ok()) return fail("--today", day.status());
    log::Warn("the clock is fixed", {{"today", fixed}});
    today = [day = *day] { return day; };
  }

  db::DbConfig db_config;
  db_config.uri = absl::GetFlag(FLAGS_db_uri);
  db_config.user = absl::GetFlag(FLAGS_db_user);
  db_config.password = absl::GetFlag(FLAGS_db_password);
  db_config.schema = absl::GetFlag(FLAGS_db_schema);
  db_config.pool_size = absl::GetFlag(FLAGS_db_pool_size);
  db::Pool pool(db_config);

  if (absl::GetFlag(FLAGS_migrate_only)) {
    absl::Status done = db::MigrateAndGrant(pool, db::AwardsMigrations(),
                                            absl::GetFlag(FLAGS_grant_to),
                                            awards::store::AppendOnlyTables());
    return done.ok() ? 0 : fail("migrate_only", done);
  }

  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials =
      rpc::ServerCredentialsFromFlags();
  if (!credentials.ok()) return fail("TLS configuration", credentials.status());
  absl::StatusOr<std::shared_ptr<const auth::TokenVerifier>> verifier =
      rpc::TokenVerifierFromFlags();
  if (!verifier.ok()) return fail("token configuration", verifier.status());
  if (absl::Status pii = rpc::InstallPiiFromFlags(); !pii.ok()) {
    return fail("personal-data keys", pii);
  }
  if (absl::Status migrated =
          db::ApplyMigrationsWhenReachable(pool, db::AwardsMigrations());
      !migrated.ok()) {
    return fail("migrations failed; refusing to start", migrated);
  }

  awards::PeerConfig peer_config;
  peer_config.membership_target = absl::GetFlag(FLAGS_membership_address);
  peer_config.finance_target = absl::GetFlag(FLAGS_finance_address);
  const std::string ca = absl::GetFlag(FLAGS_membership_ca_file);
  const std::string cert = absl::GetFlag(FLAGS_membership_cert_file);
  const std::string key = absl::GetFlag(FLAGS_membership_key_file);
  auto membership_credentials = PeerCredentials("membership", ca, cert, key);
  if (!membership_credentials.ok()) {
    return fail("membership TLS", membership_credentials.status());
  }
  auto or_default = [](std::string value, const std::string& fallback) {
    return value.empty() ? fallback : value;
  };
  auto finance_credentials = PeerCredentials(
      "finance", or_default(absl::GetFlag(FLAGS_finance_ca_file), ca),
      or_default(absl::GetFlag(FLAGS_finance_cert_file), cert),
      or_default(absl::GetFlag(FLAGS_finance_key_file), key));
  if (!finance_credentials.ok()) {
    return fail("finance TLS", finance_credentials.status());
  }
  peer_config.membership_credentials = *membership_credentials;
  peer_config.finance_credentials = *finance_credentials;
  peer_config.token = [path = absl::GetFlag(FLAGS_membership_token_file)] {
    return auth::ReadTokenFile(path);
  };
  peer_config.deadline =
      absl::Milliseconds(absl::GetFlag(FLAGS_peer_deadline_ms));
  peer_config.attempts = absl::GetFlag(FLAGS_peer_attempts);
  awards::Peers peers(peer_config);

  awards::FeedFollowerConfig feed_config;
  feed_config.membership_target = peer_config.membership_target;
  feed_config.credentials = peer_config.membership_credentials;
  feed_config.token = peer_config.token;
  awards::FeedFollower feed(pool, feed_config);

  awards::AwardsScopeResolver resolver(peers);
  rpc::Gate gate(*verifier, resolver, pool);
  awards::AwardsServiceImpl awards_service(pool, gate, peers, today);
  awards::CompetitionServiceImpl competition_service(pool, gate, peers, today);
  rpc::AuditTrailServiceImpl audit_trail(gate, pool);
  rpc::ServerConfig server_config;
  server_config.listen = absl::GetFlag(FLAGS_listen);
  server_config.max_threads = absl::GetFlag(FLAGS_rpc_threads);
  server_config.streams = rpc::StreamLimitsFromFlags();
  server_config.credentials = *credentials;
  absl::StatusOr<rpc::RunningServer> server = rpc::StartServer(
      server_config, {&awards_service, &competition_service, &audit_trail});
  if (!server.ok()) return fail("cannot start", server.status());
  feed.Start();
  log::Info("listening", {{"address", server_config.listen},
                          {"port", std::to_string(server->port)}});
  rpc::ServeUntilSignal(
      *server->server, [&pool] { return pool.Ping().ok(); },
      absl::Seconds(absl::GetFlag(FLAGS_shutdown_grace_seconds)),
      [&feed] { feed.Stop(); },
      absl::Seconds(absl::GetFlag(FLAGS_shutdown_drain_seconds)));
  return 0;
}
