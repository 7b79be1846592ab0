#include "bench/stack_flags.h"

#include <grpcpp/grpcpp.h>

#include <cstdlib>

#include "absl/flags/flag.h"
#include "absl/status/statusor.h"
#include "bench/synthetic.h"
#include "common/rpc/tls.h"
#include "services/finance/store/ledger_key.h"

ABSL_FLAG(std::string, membership, "127.0.0.1:50051", "membership service");
ABSL_FLAG(std::string, finance, "127.0.0.1:50052", "finance service");
ABSL_FLAG(std::string, bare, "",
          "unionhub-bench-bare (GetMember's bound); empty: none");
ABSL_FLAG(std::string, tls_ca_file, "", "CA of the services' certificate");
ABSL_FLAG(std::string, tls_client_cert_file, "", "client certificate (PEM)");
ABSL_FLAG(std::string, tls_client_key_file, "", "its private key (PEM)");
ABSL_FLAG(std::string, jwt_signing_key_file, "",
          "development signing key: mints the admin token each caller sends");
ABSL_FLAG(std::string, db_uri, "",
          "the same MariaDB, as root (baselines, open charges, profiles)");
ABSL_FLAG(std::string, db_user, "root", "");
ABSL_FLAG(std::string, db_password, "", "");
ABSL_FLAG(std::string, membership_schema, "unionhub_membership", "");
ABSL_FLAG(std::string, finance_schema, "unionhub_finance", "");
ABSL_FLAG(int, service_pool_size, 8,
          "the services' database pool (finance writes at most this many "
          "import batches at once; the raw import baseline does the same)");
ABSL_FLAG(std::string, facts, "",
          "the line unionhub-bench-load printed (province=... members=...)");

namespace unionhub::bench {
namespace {

std::vector<std::shared_ptr<grpc::Channel>> CallerChannels(
    const std::string& target,
    const std::shared_ptr<grpc::ChannelCredentials>& creds, int callers) {
  std::vector<std::shared_ptr<grpc::Channel>> out;
  for (int i = 0; i < callers; ++i) {
    grpc::ChannelArguments args;
    // Its own subchannel pool: each caller gets its own TLS connection.
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    args.SetMaxReceiveMessageSize(-1);
    out.push_back(grpc::CreateCustomChannel(target, creds, args));
  }
  return out;
}

}  // namespace

std::unique_ptr<db::Pool> RootPool(const std::string& schema, int size) {
  db::DbConfig config;
  config.uri = absl::GetFlag(FLAGS_db_uri);
  config.user = absl::GetFlag(FLAGS_db_user);
  config.password = absl::GetFlag(FLAGS_db_password);
  config.schema = schema;
  config.pool_size = size;
  return std::make_unique<db::Pool>(config);
}

absl::Status ConnectToStack(Env& env, const std::string& subject, int callers,
                            absl::Duration token_life) {
  if (!ParseFacts(absl::GetFlag(FLAGS_facts), env.facts)) {
    return absl::InvalidArgumentError(
        "--facts: the line unionhub-bench-load printed");
  }
  if (absl::Status s = InstallPiiFromEnvironment(); !s.ok()) return s;
  // The raw baselines post ledger entries with finance's own code: keyed as
  // finance keys them, or the sealer would find an unkeyed entry after keyed
  // ones and stop sealing for the rest of the run.
  if (const char* key = std::getenv("UNIONHUB_LEDGER_HMAC_KEY");
      key != nullptr && *key != '\0') {
    if (absl::Status s = finance::store::InstallLedgerKeyBase64(key); !s.ok()) {
      return s;
    }
  }
  auto creds =
      rpc::ClientTlsCredentials({absl::GetFlag(FLAGS_tls_ca_file),
                                 absl::GetFlag(FLAGS_tls_client_cert_file),
                                 absl::GetFlag(FLAGS_tls_client_key_file)});
  if (!creds.ok()) return creds.status();
  if (absl::Status s = MintCallerTokens(
          env, ReadFile(absl::GetFlag(FLAGS_jwt_signing_key_file)), subject,
          callers, token_life);
      !s.ok()) {
    return s;
  }
  env.raw_import_slots = std::make_unique<rpc::ImportBatchSlots>(
      absl::GetFlag(FLAGS_service_pool_size));
  env.membership =
      CallerChannels(absl::GetFlag(FLAGS_membership), *creds, callers);
  env.finance = CallerChannels(absl::GetFlag(FLAGS_finance), *creds, callers);
  if (!absl::GetFlag(FLAGS_bare).empty()) {
    env.bare = CallerChannels(absl::GetFlag(FLAGS_bare), *creds, callers);
  }
  return absl::OkStatus();
}

}  // namespace unionhub::bench
