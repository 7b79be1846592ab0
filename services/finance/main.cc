// unionhub-finance: flags/env -> wiring -> serve.
#include <cstdlib>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/strings/strip.h"
#include "common/auth/jwt.h"
#include "common/core/config.h"
#include "common/core/log.h"
#include "common/db/grants.h"
#include "common/db/migrations.h"
#include "common/db/pool.h"
#include "common/rpc/audit_trail_service.h"
#include "common/rpc/gate.h"
#include "common/rpc/security_flags.h"
#include "common/rpc/server.h"
#include "common/rpc/tls.h"
#include "services/finance/finance_service.h"
#include "services/finance/ledger_sealer.h"
#include "services/finance/roster_consumer.h"
#include "services/finance/scope_resolver.h"
#include "services/finance/store/append_only.h"
#include "services/finance/store/ledger_key.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:50052", "address:port to serve on");
ABSL_FLAG(std::string, db_uri, "tcp://127.0.0.1:3306",
          "unix:///path/to/mysqld.sock or tcp://host:port");
ABSL_FLAG(std::string, db_user, "unionhub_finance", "database user");
ABSL_FLAG(std::string, db_password, "", "database password (prefer the env)");
ABSL_FLAG(std::string, db_schema, "unionhub_finance", "database schema");
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
          "membership service, whose change feed finance follows");
ABSL_FLAG(std::string, membership_ca_file, "",
          "CA of membership's server certificate");
ABSL_FLAG(std::string, membership_cert_file, "",
          "client certificate for mutual TLS to membership (optional)");
ABSL_FLAG(std::string, membership_key_file, "", "its private key");
ABSL_FLAG(std::string, membership_token_file, "",
          "file holding the bearer token (role service) for membership; "
          "re-read on every reconnect");
ABSL_FLAG(std::string, ledger_hmac_key, "",
          "base64 key (>= 32 bytes) of the ledger's keyed hash chain; keep "
          "it with the service's secrets, never in the database (prefer the "
          "env)");
ABSL_FLAG(int, ledger_seal_stall_seconds, 600,
          "VerifyLedger reports the ledger not intact when an entry has "
          "waited longer than this for its seal");
ABSL_FLAG(int, ledger_seal_interval_ms, 2000,
          "how often committed ledger entries are sealed into the chain");

namespace unionhub::db {
const std::vector<MigrationFile>& FinanceMigrations();
}

namespace {

using namespace unionhub;

}  // namespace

int main(int argc, char** argv) {
  rpc::BlockTerminationSignals();
  config::ParseFlags(argc, argv,
                     "unionhub finance-and-audit service (flags may also be "
                     "given as UNIONHUB_<FLAG> environment variables)");
  log::SetComponent("finance");
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
    absl::Status done = db::MigrateAndGrant(pool, db::FinanceMigrations(),
                                            absl::GetFlag(FLAGS_grant_to),
                                            finance::store::AppendOnlyTables());
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
  if (absl::Status key = finance::store::InstallLedgerKeyBase64(
          absl::GetFlag(FLAGS_ledger_hmac_key));
      !key.ok()) {
    return fail("ledger key (--ledger_hmac_key)", key);
  }
  if (absl::Status migrated =
          db::ApplyMigrationsWhenReachable(pool, db::FinanceMigrations());
      !migrated.ok()) {
    return fail("migrations failed; refusing to start", migrated);
  }

  finance::RosterConsumerConfig roster_config;
  roster_config.membership_target = absl::GetFlag(FLAGS_membership_address);
  if (absl::GetFlag(FLAGS_membership_ca_file).empty()) {
    roster_config.credentials = grpc::InsecureChannelCredentials();
    log::Warn("membership feed without TLS (no --membership_ca_file)", {});
  } else {
    absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> client =
        rpc::ClientTlsCredentials({absl::GetFlag(FLAGS_membership_ca_file),
                                   absl::GetFlag(FLAGS_membership_cert_file),
                                   absl::GetFlag(FLAGS_membership_key_file)});
    if (!client.ok()) return fail("membership TLS", client.status());
    roster_config.credentials = *client;
  }
  roster_config.token = [path = absl::GetFlag(FLAGS_membership_token_file)] {
    return auth::ReadTokenFile(path);
  };
  finance::RosterConsumer roster(pool, roster_config);
  finance::LedgerSealer sealer(
      pool, absl::Milliseconds(absl::GetFlag(FLAGS_ledger_seal_interval_ms)));

  finance::FinanceScopeResolver resolver(pool);
  rpc::Gate gate(*verifier, resolver, pool);
  finance::FinanceServiceImpl finance_service(pool, gate, &roster);
  finance::AuditServiceImpl audit_service(
      pool, gate,
      absl::Seconds(absl::GetFlag(FLAGS_ledger_seal_stall_seconds)));
  rpc::AuditTrailServiceImpl audit_trail(gate, pool);
  rpc::ServerConfig server_config;
  server_config.listen = absl::GetFlag(FLAGS_listen);
  server_config.max_threads = absl::GetFlag(FLAGS_rpc_threads);
  server_config.streams = rpc::StreamLimitsFromFlags();
  server_config.credentials = *credentials;
  absl::StatusOr<rpc::RunningServer> server = rpc::StartServer(
      server_config, {&finance_service, &audit_service, &audit_trail});
  if (!server.ok()) return fail("cannot start", server.status());
  roster.Start();
  sealer.Start();
  log::Info("listening", {{"address", server_config.listen},
                          {"port", std::to_string(server->port)}});
  rpc::ServeUntilSignal(
      *server->server, [&pool] { return pool.Ping().ok(); },
      absl::Seconds(absl::GetFlag(FLAGS_shutdown_grace_seconds)),
      [&roster, &sealer] {
        roster.Stop();
        sealer.Stop();
      },
      absl::Seconds(absl::GetFlag(FLAGS_shutdown_drain_seconds)));
  return 0;
}
