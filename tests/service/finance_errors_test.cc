// What finance tells callers when things fail: a database it cannot reach
// is a fixed text, never the driver's (which names the server's socket),
// with the detail in the server log under the call's trace id; and
// GetRosterStatus.last_error is over once the feed is back, even when no
// new event has arrived since.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "common/core/trace.h"
#include "services/finance/register.h"
#include "tests/service/finance_helpers.h"
#include "tests/support/log_capture.h"

namespace unionhub::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

using F = fv1::FinanceService::Stub;

// Finance wired exactly as the binary is, on a database whose socket does
// not exist: every query fails with the driver's "Can't connect to local
// server through socket '<path>'".
TEST(FinanceDatabaseErrors, CallersGetAFixedTextAndTheLogTheDetail) {
  InstallTestPii();
  const std::string socket =
      absl::StrCat("/tmp/unionhub-no-such-dir-", getpid(), "/mysqld.sock");
  db::DbConfig db = TestServerConfig();
  db.uri = absl::StrCat("unix://", socket);
  db.schema = "unionhub_nowhere";
  db.max_attempts = 2;
  db::Pool pool(db);
  rpc::ServiceHostConfig config = TestHostConfig("finance", ServerLimits{});
  rpc::PeerEndpoint& feed = config.peers["membership"];
  feed.target = absl::StrCat("127.0.0.1:", FreePort());
  feed.credentials = TestChannelCredentials("");
  feed.token = [] { return MintTestToken({"service"}, 0, "finance-roster"); };
  rpc::ServiceHost host(std::move(config), pool);
  finance::FinanceDeps deps;
  deps.seal_interval = absl::ZeroDuration();
  ASSERT_TRUE(finance::RegisterFinance(host, deps).ok());
  ASSERT_TRUE(host.Start().ok());
  host.SetServing(true);
  auto stub = fv1::FinanceService::NewStub(grpc::CreateChannel(
      absl::StrCat("127.0.0.1:", host.port()),
      TestChannelCredentials(MintTestToken({"admin"}, 0, "test-admin"))));

  LogCapture logs;
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  context.AddMetadata(
      trace::kTraceparent,
      "00-5e0c3b1f8a2d4e6f9a0b1c2d3e4f5a6b-1234567890abcdef-01");
  fv1::GetRosterStatusResponse response;
  grpc::Status status =
      stub->GetRosterStatus(&context, fv1::GetRosterStatusRequest(), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(status.error_message(), StartsWith("database unavailable"));
  EXPECT_THAT(status.error_message(),
              HasSubstr("5e0c3b1f8a2d4e6f9a0b1c2d3e4f5a6b"));
  for (const char* leak : {"/tmp/", "socket", "mysqld", "2002", "Can't"}) {
    EXPECT_THAT(status.error_message(), Not(HasSubstr(leak)));
  }
  // The server log has the driver's text, under the caller's trace.
  EXPECT_FALSE(logs.Lines({"\"trace\":\"5e0c3b1f8a2d4e6f9a0b1c2d3e4f5a6b\"",
                           "\"msg\":\"database error\"", socket})
                   .empty());

  // A mutating call the same (and its idempotency lookup is what fails).
  fv1::SetDuesPolicyRequest policy;
  policy.set_request_id(NewRequestId());
  policy.mutable_policy()->set_scope_org_id(1);
  policy.mutable_policy()->set_effective_from("2026-01");
  policy.mutable_policy()->set_rate_bp(50);
  fv1::SetDuesPolicyResponse set;
  status = Rpc(*stub, &F::SetDuesPolicy, policy, &set);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(status.error_message(), Not(HasSubstr(socket)));
  EXPECT_THAT(status.error_message(), StartsWith("database unavailable"));
  host.Stop();
}

// Membership ends every stream after 2 s (its stream limits); finance
// reconnects at once. Nothing new happens in membership meanwhile, so no
// event arrives on the new stream: the roster is connected and its
// last_error over anyway.
TEST(FinanceRosterStatus, LastErrorIsOverOnceTheFeedIsBackWithoutNewEvents) {
  ServerLimits membership_limits;
  membership_limits.streams.max_duration = absl::Seconds(2);
  LogCapture logs;
  FinanceServer server("fin_rs_err", ServerLimits{}, membership_limits);
  MustCreateOrg(server.membership(), mv1::ORG_TYPE_COUNTY_FEDERATION, 0,
                "清河县总工会");
  server.SyncRoster();
  // The first stream has ended (and the feed reconnected).
  for (int i = 0; i < 200 && logs.Lines({"roster feed lost"}).empty(); ++i) {
    absl::SleepFor(absl::Milliseconds(50));
  }
  ASSERT_FALSE(logs.Lines({"roster feed lost"}).empty());

  bool recovered = false;
  std::string last_error;
  for (int i = 0; i < 100 && !recovered; ++i) {
    fv1::GetRosterStatusResponse status =
        MustRpc(server.finance(), &F::GetRosterStatus,
                fv1::GetRosterStatusRequest(), "GetRosterStatus");
    recovered = status.connected() && status.last_error().empty();
    last_error = status.last_error();
    if (!recovered) absl::SleepFor(absl::Milliseconds(100));
  }
  EXPECT_TRUE(recovered) << "still reports: " << last_error;
}

}  // namespace
}  // namespace unionhub::testing
