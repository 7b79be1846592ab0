#include "tests/support/awards_fixture.h"

#include "absl/strings/str_cat.h"
#include "common/core/dates.h"
#include "common/db/sql.h"
#include "services/awards/register.h"

namespace unionhub::testing {

AwardsServer::AwardsServer(const std::string& tag, const ServerLimits& limits,
                           const std::string& finance_target) {
  finance_ = std::make_unique<FinanceServer>(tag, limits, limits);
  database_ = std::make_unique<TestDatabase>(tag + "_a");
  clock_.SetToday(dates::TodayInChina());
  rpc::ServiceHostConfig config = TestHostConfig("awards", limits);
  config.migrations = awards::AwardsSpec().migrations();
  rpc::PeerEndpoint peer;
  peer.credentials = TestChannelCredentials("");
  peer.token = [] { return MintTestToken({"service"}, 0, "awards"); };
  peer.deadline = absl::Seconds(10);
  peer.attempts = 2;
  peer.target = membership().target();
  config.peers["membership"] = peer;
  peer.target = finance_target.empty() ? finance_->target() : finance_target;
  config.peers["finance"] = peer;
  host_ =
      std::make_unique<rpc::ServiceHost>(std::move(config), database_->pool());
  awards::AwardsDeps deps;
  deps.clock = &clock_;
  deps.feed_initial_backoff = absl::Milliseconds(50);
  deps.feed_max_backoff = absl::Milliseconds(500);
  absl::StatusOr<awards::AwardsParts> wired =
      awards::RegisterAwards(*host_, deps);
  if (!wired.ok()) {
    ADD_FAILURE() << wired.status();
    return;
  }
  feed_ = wired->feed;
  if (absl::Status started = host_->Start(); !started.ok()) {
    ADD_FAILURE() << started;
    return;
  }
  port_ = host_->port();
  host_->SetServing(true);
  const std::string admin = MintTestToken({"admin"}, 0, "test-admin");
  awards_stub_ = AwardsWithToken(admin);
  competition_stub_ = CompetitionsWithToken(admin);
}

AwardsServer::~AwardsServer() { host_.reset(); }

void AwardsServer::SetToday(absl::CivilDay day) { clock_.SetToday(day); }

absl::CivilDay AwardsServer::Today() const { return clock_.Today(); }

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
