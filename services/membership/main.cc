// unionhub-membership: flags/env -> wiring -> serve.
#include <cstdlib>
#include <thread>

#include "absl/flags/flag.h"
#include "common/core/config.h"
#include "common/core/log.h"
#include "common/db/grants.h"
#include "common/db/migrations.h"
#include "common/db/pool.h"
#include "common/rpc/audit_trail_service.h"
#include "common/rpc/gate.h"
#include "common/rpc/security_flags.h"
#include "common/rpc/server.h"
#include "services/membership/event_notifier.h"
#include "services/membership/membership_service.h"
#include "services/membership/scope_resolver.h"
#include "services/membership/store/append_only.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:50051", "address:port to serve on");
ABSL_FLAG(std::string, db_uri, "tcp://127.0.0.1:3306",
          "unix:///path/to/mysqld.sock or tcp://host:port");
ABSL_FLAG(std::string, db_user, "unionhub_membership", "database user");
ABSL_FLAG(std::string, db_password, "", "database password (prefer the env)");
ABSL_FLAG(std::string, db_schema, "unionhub_membership", "database schema");
ABSL_FLAG(int, db_pool_size, 16, "database connections");
ABSL_FLAG(int, rpc_threads, 32, "maximum threads serving RPCs");
ABSL_FLAG(int, shutdown_grace_seconds, 10,
          "time in-flight calls get to finish on SIGTERM");
ABSL_FLAG(int, shutdown_drain_seconds, 0,
          "on SIGTERM, time NOT_SERVING is announced before shutting down "
          "(give load balancers a few seconds in a cluster)");
ABSL_FLAG(bool, migrate_only, false,
          "apply the schema migrations and exit (run with an administrator "
          "account; see --grant_to)");
ABSL_FLAG(std::string, grant_to, "",
          "with --migrate_only: grant the service accounts USER@HOST[,...] "
          "exactly their privileges (db::GrantServiceUser)");

namespace unionhub::db {
const std::vector<MigrationFile>& MembershipMigrations();
}

int main(int argc, char** argv) {
  using namespace unionhub;
  rpc::BlockTerminationSignals();
  config::ParseFlags(argc, argv,
                     "unionhub membership service (flags may also be given as "
                     "UNIONHUB_<FLAG> environment variables)");
  log::SetComponent("membership");

  auto fail = [](absl::string_view what, const absl::Status& status) {
    log::Error(what, {{"error", std::string(status.message())}});
    return 1;
  };

  db::DbConfig db_config;
  db_config.uri = absl::GetFlag(FLAGS_db_uri);
  db_config.user = absl::GetFlag(FLAGS_db_user);
  db_config.password = absl::GetFlag(FLAGS_db_password);
  db_config.schema = absl::GetFlag(FLAGS_db_schema);
  db_config.pool_size = absl::GetFlag(FLAGS_db_pool_size);
  db::Pool pool(db_config);

  if (absl::GetFlag(FLAGS_migrate_only)) {
    absl::Status done = db::MigrateAndGrant(
        pool, db::MembershipMigrations(), absl::GetFlag(FLAGS_grant_to),
        membership::store::AppendOnlyTables());
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
          db::ApplyMigrationsWhenReachable(pool, db::MembershipMigrations());
      !migrated.ok()) {
    log::Error("migrations failed; refusing to start",
               {{"error", std::string(migrated.message())}});
    return 1;
  }

  membership::EventNotifier notifier;
  membership::MembershipScopeResolver resolver(pool);
  rpc::Gate gate(*verifier, resolver, pool);
  membership::MembershipServiceImpl service(pool, notifier, gate);
  rpc::AuditTrailServiceImpl audit_trail(gate, pool);
  rpc::ServerConfig server_config;
  server_config.listen = absl::GetFlag(FLAGS_listen);
  server_config.max_threads = absl::GetFlag(FLAGS_rpc_threads);
  server_config.streams = rpc::StreamLimitsFromFlags();
  server_config.credentials = *credentials;
  absl::StatusOr<rpc::RunningServer> server =
      rpc::StartServer(server_config, {&service, &audit_trail});
  if (!server.ok()) {
    log::Error("cannot start",
               {{"error", std::string(server.status().message())}});
    return 1;
  }
  log::Info("listening", {{"address", server_config.listen},
                          {"port", std::to_string(server->port)}});
  rpc::ServeUntilSignal(
      *server->server, [&pool] { return pool.Ping().ok(); },
      absl::Seconds(absl::GetFlag(FLAGS_shutdown_grace_seconds)),
      [&notifier] { notifier.Shutdown(); },
      absl::Seconds(absl::GetFlag(FLAGS_shutdown_drain_seconds)));
  return 0;
}
