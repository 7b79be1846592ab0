#include "tests/support/finance_fixture.h"

#include "absl/strings/str_cat.h"
#include "common/crypto/pii.h"
#include "common/db/sql.h"
#include "services/finance/register.h"
#include "services/finance/store/ledger_key.h"

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
  rpc::ServiceHostConfig config = TestHostConfig("finance", limits);
  config.migrations = finance::FinanceSpec().migrations();
  rpc::PeerEndpoint& feed = config.peers["membership"];
  feed.target = membership_->target();
  feed.credentials = TestChannelCredentials("");
  feed.token = [] { return MintTestToken({"service"}, 0, "finance-roster"); };
  host_ =
      std::make_unique<rpc::ServiceHost>(std::move(config), database_->pool());
  finance::FinanceDeps deps;
  deps.clock = &clock_;
  deps.seal_interval = absl::ZeroDuration();
  deps.feed_initial_backoff = absl::Milliseconds(50);
  deps.feed_max_backoff = absl::Milliseconds(500);
  absl::StatusOr<finance::FinanceParts> wired =
      finance::RegisterFinance(*host_, deps);
  if (!wired.ok()) {
    ADD_FAILURE() << wired.status();
    return;
  }
  roster_ = wired->roster;
  if (absl::Status started = host_->Start(); !started.ok()) {
    ADD_FAILURE() << started;
    return;
  }
  port_ = host_->port();
  host_->SetServing(true);
  const std::string admin = MintTestToken({"admin"}, 0, "test-admin");
  finance_stub_ = FinanceWithToken(admin);
  audit_stub_ = AuditWithToken(admin);
}

// Finance first: its roster consumer follows membership's feed.
FinanceServer::~FinanceServer() { host_.reset(); }

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
