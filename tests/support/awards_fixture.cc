#include "tests/support/awards_fixture.h"

#include "absl/strings/str_cat.h"
#include "common/core/dates.h"
#include "common/db/sql.h"

namespace unionhub::db {
const std::vector<MigrationFile>& AwardsMigrations();
}

namespace unionhub::testing {

AwardsServer::AwardsServer(const std::string& tag) {
  finance_ = std::make_unique<FinanceServer>(tag);
  database_ = std::make_unique<TestDatabase>(tag + "_a");
  database_->Migrate(db::AwardsMigrations());
  {
    absl::MutexLock lock(&mu_);
    today_ = dates::TodayInChina();
  }
  std::shared_ptr<const auth::TokenVerifier> verifier = TestVerifier();
  std::shared_ptr<grpc::ServerCredentials> credentials =
      TestServerCredentials();
  if (verifier == nullptr || credentials == nullptr) return;

  awards::PeerConfig peers;
  peers.membership_target = membership().target();
  peers.membership_credentials = TestChannelCredentials("");
  peers.finance_target = finance_->target();
  peers.finance_credentials = TestChannelCredentials("");
  peers.token = [] { return MintTestToken({"service"}, 0, "awards"); };
  peers.deadline = absl::Seconds(10);
  peers.attempts = 2;
  peers_ = std::make_unique<awards::Peers>(std::move(peers));

  awards::FeedFollowerConfig feed;
  feed.membership_target = membership().target();
  feed.credentials = TestChannelCredentials("");
  feed.token = [] { return MintTestToken({"service"}, 0, "awards-feed"); };
  feed.initial_backoff = absl::Milliseconds(50);
  feed.max_backoff = absl::Milliseconds(500);
  feed_ = std::make_unique<awards::FeedFollower>(database_->pool(),
                                                 std::move(feed));
  feed_->Start();

  awards::Clock clock = [this] { return Today(); };
  resolver_ = std::make_unique<awards::AwardsScopeResolver>(*peers_);
  gate_ = std::make_unique<rpc::Gate>(verifier, *resolver_, database_->pool());
  awards_service_ = std::make_unique<awards::AwardsServiceImpl>(
      database_->pool(), *gate_, *peers_, clock);
  competition_service_ = std::make_unique<awards::CompetitionServiceImpl>(
      database_->pool(), *gate_, *peers_, clock);
  audit_trail_ =
      std::make_unique<rpc::AuditTrailServiceImpl>(*gate_, database_->pool());
  rpc::ServerConfig config;
  config.listen = "127.0.0.1:0";
  config.max_threads = 16;
  config.credentials = credentials;
  absl::StatusOr<rpc::RunningServer> running = rpc::StartServer(
      config,
      {awards_service_.get(), competition_service_.get(), audit_trail_.get()});
  if (!running.ok()) {
    ADD_FAILURE() << running.status();
    return;
  }
  server_ = std::move(running->server);
  port_ = running->port;
  rpc::SetServing(*server_, true);
  const std::string admin = MintTestToken({"admin"}, 0, "test-admin");
  awards_stub_ = AwardsWithToken(admin);
  competition_stub_ = CompetitionsWithToken(admin);
}

AwardsServer::~AwardsServer() {
  if (feed_) feed_->Stop();
  if (server_) {
    server_->Shutdown(std::chrono::system_clock::now() +
                      std::chrono::seconds(2));
    server_->Wait();
  }
}

void AwardsServer::SetToday(absl::CivilDay day) {
  absl::MutexLock lock(&mu_);
  today_ = day;
}

absl::CivilDay AwardsServer::Today() const {
  absl::MutexLock lock(&mu_);
  return today_;
}

std::string AwardsServer::target() const {
  return absl::StrCat("127.0.0.1:", port_);
}

std::shared_ptr<grpc::Channel> AwardsServer::Channel(
    const std::string& token) const {
  return grpc::CreateChannel(target(), TestChannelCredentials(token));
}

std::unique_ptr<av1::AwardsService::Stub> AwardsServer::AwardsWithToken(
    const std::string& token) const {
  return av1::AwardsService::NewStub(Channel(token));
}

std::unique_ptr<av1::CompetitionService::Stub>
AwardsServer::CompetitionsWithToken(const std::string& token) const {
  return av1::CompetitionService::NewStub(Channel(token));
}

void AwardsServer::Sync() {
  finance_->SyncRoster();
  int64_t latest = 0;
  absl::Status read =
      membership().database().pool().Run([&](db::Connection& conn) {
        auto rs = db::Query(
            conn, "SELECT COALESCE(MAX(sequence), 0) AS s FROM events");
        rs->next();
        latest = db::GetInt64(*rs, "s");
        return absl::OkStatus();
      });
  ASSERT_TRUE(read.ok()) << read;
  ASSERT_TRUE(feed_->WaitForSequence(latest, absl::Seconds(30)))
      << "awards' feed follower did not reach membership event " << latest;
}

}  // namespace unionhub::testing
