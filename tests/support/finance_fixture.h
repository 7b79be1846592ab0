// A real finance service (FinanceService, AuditService, audit trail) on a
// real gRPC server over TLS and a fresh MariaDB schema, following a real
// MembershipServer's change feed through its own roster consumer, wired by
// RegisterFinance exactly as the binary is (without the background ledger
// sealer: tests seal with SealOnce when they mean to). Tests create orgs and
// members through membership, call SyncRoster(), then drive finance.
#ifndef UNIONHUB_TESTS_SUPPORT_FINANCE_FIXTURE_H_
#define UNIONHUB_TESTS_SUPPORT_FINANCE_FIXTURE_H_

#include <memory>
#include <string>

#include "common/rpc/audit_trail_service.h"
#include "common/rpc/gate.h"
#include "services/finance/finance_service.h"
#include "services/finance/roster_consumer.h"
#include "services/finance/scope_resolver.h"
#include "tests/support/membership_fixture.h"
#include "unionhub/finance/v1/finance.grpc.pb.h"

namespace unionhub::testing {

namespace fv1 = ::unionhub::finance::v1;

class FinanceServer {
 public:
  // `tag` names the two schemas (membership and finance).
  explicit FinanceServer(const std::string& tag,
                         const ServerLimits& limits = {},
                         const ServerLimits& membership_limits = {});
  ~FinanceServer();

  MembershipServer& membership() { return *membership_; }
  // Admin-token stubs.
  fv1::FinanceService::Stub& finance() { return *finance_stub_; }
  fv1::AuditService::Stub& audit() { return *audit_stub_; }
  std::unique_ptr<fv1::FinanceService::Stub> FinanceWithToken(
      const std::string& token) const;
  std::unique_ptr<fv1::AuditService::Stub> AuditWithToken(
      const std::string& token) const;
  std::shared_ptr<grpc::Channel> Channel(const std::string& token) const;

  // Waits (up to 30 s) until finance's roster has applied every event
  // membership has recorded so far; fails the test otherwise.
  void SyncRoster();

  TestDatabase& database() { return *database_; }
  finance::RosterConsumer& roster() { return *roster_; }
  // Finance's "today": the wall clock until a test sets it.
  SettableClock& clock() { return clock_; }
  std::string target() const;
  // The /metrics port (ServerLimits::serve_metrics), else 0.
  int metrics_port() const { return host_ ? host_->metrics_port() : 0; }

  // Stops and restarts the roster consumer (as a finance restart would).
  void RestartRoster();

 private:
  std::unique_ptr<MembershipServer> membership_;
  std::unique_ptr<TestDatabase> database_;
  SettableClock clock_;
  std::unique_ptr<rpc::ServiceHost> host_;     // uses database_ and clock_
  finance::RosterConsumer* roster_ = nullptr;  // owned by host_
  std::unique_ptr<fv1::FinanceService::Stub> finance_stub_;
  std::unique_ptr<fv1::AuditService::Stub> audit_stub_;
  int port_ = 0;
};

}  // namespace unionhub::testing

#endif  // UNIONHUB_TESTS_SUPPORT_FINANCE_FIXTURE_H_
