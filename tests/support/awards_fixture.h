// A real awards service (AwardsService, CompetitionService, audit trail) on
// a real gRPC server over TLS and a fresh MariaDB schema, calling a real
// membership and a real finance server (FinanceServer) over TLS with a
// service token and following membership's change feed, wired by
// RegisterAwards exactly as the binary is. The business day is settable so
// tests can move past a publicity period without waiting for it.
#ifndef UNIONHUB_TESTS_SUPPORT_AWARDS_FIXTURE_H_
#define UNIONHUB_TESTS_SUPPORT_AWARDS_FIXTURE_H_

#include <memory>
#include <string>

#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "services/awards/awards_service.h"
#include "services/awards/competition_service.h"
#include "services/awards/feed_follower.h"
#include "services/awards/peers.h"
#include "services/awards/scope_resolver.h"
#include "tests/support/finance_fixture.h"
#include "unionhub/awards/v1/awards.grpc.pb.h"
#include "unionhub/awards/v1/competition.grpc.pb.h"

namespace unionhub::testing {

namespace av1 = ::unionhub::awards::v1;

class AwardsServer {
 public:
  // `tag` names the three schemas (membership, finance, awards).
  // `limits` apply to all three servers. `finance_target` is where awards
  // calls finance: "" for the FinanceServer, or e.g. a closed port to see
  // finance unreachable.
  explicit AwardsServer(const std::string& tag, const ServerLimits& limits = {},
                        const std::string& finance_target = "");
  ~AwardsServer();

  FinanceServer& finance_server() { return *finance_; }
  MembershipServer& membership() { return finance_->membership(); }
  fv1::FinanceService::Stub& finance() { return finance_->finance(); }
  // Admin-token stubs.
  av1::AwardsService::Stub& awards() { return *awards_stub_; }
  av1::CompetitionService::Stub& competitions() { return *competition_stub_; }
  std::unique_ptr<av1::AwardsService::Stub> AwardsWithToken(
      const std::string& token) const;
  std::unique_ptr<av1::CompetitionService::Stub> CompetitionsWithToken(
      const std::string& token) const;
  std::shared_ptr<grpc::Channel> Channel(const std::string& token) const;

  // Waits (up to 30 s) until finance's roster and awards' feed follower
  // have both handled every event membership has recorded so far.
  void Sync();

  void SetToday(absl::CivilDay day);
  absl::CivilDay Today() const;

  TestDatabase& database() { return *database_; }
  std::string target() const;
  // The /metrics port (ServerLimits::serve_metrics), else 0.
  int metrics_port() const { return host_ ? host_->metrics_port() : 0; }

 private:
  std::unique_ptr<FinanceServer> finance_;
  std::unique_ptr<TestDatabase> database_;
  // Pinned to the real date at construction, as the business day of a run
  // with --today is.
  SettableClock clock_;
  std::unique_ptr<rpc::ServiceHost> host_;  // uses database_ and clock_
  awards::FeedFollower* feed_ = nullptr;    // owned by host_
  std::unique_ptr<av1::AwardsService::Stub> awards_stub_;
  std::unique_ptr<av1::CompetitionService::Stub> competition_stub_;
  int port_ = 0;
};

}  // namespace unionhub::testing

#endif  // UNIONHUB_TESTS_SUPPORT_AWARDS_FIXTURE_H_
