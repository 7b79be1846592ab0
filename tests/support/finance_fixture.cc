#include "tests/support/finance_fixture.h"

#include "absl/strings/str_cat.h"
#include "common/crypto/pii.h"
#include "common/db/sql.h"
#include "services/finance/store/ledger_key.h"

namespace unionhub::db {
const std::vector<MigrationFile>& FinanceMigrations();
}

namespace unionhub::testing {

FinanceServer::FinanceServer(const std::string& tag, const ServerLimits& limits,
                             const ServerLimits& membership_limits) {
  // As main does from --ledger_hmac_key: the chain is keyed in every test.
  if (finance::store::LedgerKey().empty()) {
    absl::Status key =
        finance::store::InstallLedgerKeyBase64(crypto::NewKeyBase64());
    if (!key.ok()) ADD_FAILURE() << key;
  }
  membership_ =
      std::make_unique<MembershipServer>(tag + "_m", membership_limits);
  database_ = std::make_unique<TestDatabase>(tag + "_f");
  database_->Migrate(db::FinanceMigrations());
  std::shared_ptr<const auth::TokenVerifier> verifier = TestVerifier();
  std::shared_ptr<grpc::ServerCredentials> credentials =
      TestServerCredentials();
  if (verifier == nullptr || credentials == nullptr) return;
  StartRoster();
  resolver_ =
      std::make_unique<finance::FinanceScopeResolver>(database_->pool());
  gate_ = std::make_unique<rpc::Gate>(verifier, *resolver_, database_->pool());
  finance_service_ = std::make_unique<finance::FinanceServiceImpl>(
      database_->pool(), *gate_, roster_.get());
  audit_service_ =
      std::make_unique<finance::AuditServiceImpl>(database_->pool(), *gate_);
  audit_trail_ =
      std::make_unique<rpc::AuditTrailServiceImpl>(*gate_, database_->pool());
  rpc::ServerConfig config;
  config.listen = "127.0.0.1:0";
  config.max_threads = limits.max_threads;
  config.streams = limits.streams;
  config.credentials = credentials;
  absl::StatusOr<rpc::RunningServer> running = rpc::StartServer(
      config,
      {finance_service_.get(), audit_service_.get(), audit_trail_.get()});
  if (!running.ok()) {
    ADD_FAILURE() << running.status();
    return;
  }
  server_ = std::move(running->server);
  port_ = running->port;
  rpc::SetServing(*server_, true);
  const std::string admin = MintTestToken({"admin"}, 0, "test-admin");
  finance_stub_ = FinanceWithToken(admin);
  audit_stub_ = AuditWithToken(admin);
}

FinanceServer::~FinanceServer() {
  if (roster_) roster_->Stop();
  if (server_) {
    server_->Shutdown(std::chrono::system_clock::now() +
                      std::chrono::seconds(2));
    server_->Wait();
  }
}

void FinanceServer::StartRoster() {
  finance::RosterConsumerConfig config;
  config.membership_target = membership_->target();
  config.credentials = TestChannelCredentials("");
  config.token = [] { return MintTestToken({"service"}, 0, "finance-roster"); };
  config.initial_backoff = absl::Milliseconds(50);
  config.max_backoff = absl::Milliseconds(500);
  roster_ = std::make_unique<finance::RosterConsumer>(database_->pool(),
                                                      std::move(config));
  roster_->Start();
}

void FinanceServer::RestartRoster() {
  roster_->Stop();
  roster_->Start();
}

std::string FinanceServer::target() const {
  return absl::StrCat("127.0.0.1:", port_);
}

std::shared_ptr<grpc::Channel> FinanceServer::Channel(
    const std::string& token) const {
  return grpc::CreateChannel(target(), TestChannelCredentials(token));
}

std::unique_ptr<fv1::FinanceService::Stub> FinanceServer::FinanceWithToken(
    const std::string& token) const {
  return fv1::FinanceService::NewStub(Channel(token));
}

std::unique_ptr<fv1::AuditService::Stub> FinanceServer::AuditWithToken(
    const std::string& token) const {
  return fv1::AuditService::NewStub(Channel(token));
}

void FinanceServer::SyncRoster() {
  int64_t latest = 0;
  absl::Status read =
      membership_->database().pool().Run([&](db::Connection& conn) {
        auto rs = db::Query(
            conn, "SELECT COALESCE(MAX(sequence), 0) AS s FROM events");
        rs->next();
        latest = db::GetInt64(*rs, "s");
        return absl::OkStatus();
      });
  ASSERT_TRUE(read.ok()) << read;
  ASSERT_TRUE(roster_->WaitForSequence(latest, absl::Seconds(30)))
      << "finance's roster did not reach membership event " << latest;
}

}  // namespace unionhub::testing
