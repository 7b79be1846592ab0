// The database dies under a running service: health turns NOT_SERVING
// within about a second (it was polled every 5 s, up to 4.3 s measured) and
// SERVING again once the database is back; calls made meanwhile fail
// UNAVAILABLE and still get their audit-trail rows once it returns.
#include <gtest/gtest.h>

#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "tests/fault/fault_fixture.h"
#include "tests/support/test_env.h"
#include "unionhub/membership/v1/membership.grpc.pb.h"

namespace unionhub::testing {
namespace {

namespace mv1 = ::unionhub::membership::v1;
using grpc::health::v1::HealthCheckResponse;

grpc::Status CreateOrg(mv1::MembershipService::Stub& stub,
                       const std::string& request_id, const std::string& name,
                       absl::Duration timeout = absl::Seconds(20)) {
  mv1::CreateOrgRequest request;
  request.set_request_id(request_id);
  request.mutable_org()->set_type(mv1::ORG_TYPE_COUNTY_FEDERATION);
  request.mutable_org()->set_name(name);
  mv1::CreateOrgResponse response;
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  return stub.CreateOrg(&context, request, &response);
}

// Polls health every 20 ms until it reports `want`; the time it took, or
// InfiniteDuration after `timeout`.
absl::Duration TimeUntilHealth(MembershipProcess& service,
                               HealthCheckResponse::ServingStatus want,
                               absl::Time since, absl::Duration timeout) {
  while (absl::Now() - since < timeout) {
    absl::StatusOr<HealthCheckResponse::ServingStatus> status =
        service.CheckHealth(absl::Milliseconds(500));
    if (status.ok() && *status == want) return absl::Now() - since;
    absl::SleepFor(absl::Milliseconds(20));
  }
  return absl::InfiniteDuration();
}

using FaultHealthTest = FaultTest;

TEST_F(FaultHealthTest, NotServingWithinASecondOfTheDatabaseDying) {
  MembershipProcess& membership = NewMembership();
  ASSERT_TRUE(membership.StartAndWaitServing().ok()) << membership.ReadLog();
  // Two outages: with a 5 s poll, both landing under the bound by luck is
  // unlikely (the old code fails this test ~2 runs in 3).
  for (int outage = 1; outage <= 2; ++outage) {
    // Some seconds after the last health change, at a different phase of
    // the poll each time.
    absl::SleepFor(absl::Milliseconds(1500 + 1700 * outage));
    const absl::Time killed = absl::Now();
    database().Kill();
    const absl::Duration down =
        TimeUntilHealth(membership, HealthCheckResponse::NOT_SERVING, killed,
                        absl::Seconds(15));
    ASSERT_TRUE(database().Start().ok());
    // From the moment the database answers the test again.
    const absl::Time restarted = absl::Now();
    const absl::Duration up = TimeUntilHealth(
        membership, HealthCheckResponse::SERVING, restarted, absl::Seconds(30));
    Report(absl::StrFormat(
        "outage %d: NOT_SERVING %.2f s after kill -9; SERVING %.2f s after "
        "the database answered again",
        outage, absl::ToDoubleSeconds(down), absl::ToDoubleSeconds(up)));
    EXPECT_LT(down, absl::Seconds(3)) << "outage " << outage;
    EXPECT_LT(up, absl::Seconds(5)) << "outage " << outage;
  }
  // Liveness stays SERVING throughout (the process itself is fine).
  EXPECT_TRUE(membership.Running());
}

using FaultAuditTest = FaultTest;

TEST_F(FaultAuditTest, CallsThatFailWhileTheDatabaseIsDownAreAudited) {
  MembershipProcess& membership = NewMembership();
  ASSERT_TRUE(membership.StartAndWaitServing().ok()) << membership.ReadLog();
  auto stub =
      mv1::MembershipService::NewStub(membership.NewChannel(admin_token()));
  ASSERT_TRUE(CreateOrg(*stub, "audit-before", "示范县总工会").ok());

  database().Kill();
  constexpr int kCalls = 12;
  std::set<std::string> failed_ids;
  for (int i = 0; i < kCalls; ++i) {
    const std::string id = absl::StrCat("audit-down-", i);
    grpc::Status status = CreateOrg(*stub, id, absl::StrCat("县", i));
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE)
        << i << ": " << status.error_message();
    if (i == 0) Report("while down: " + status.error_message());
    failed_ids.insert(id);
  }
  ASSERT_TRUE(database().Start().ok());
  const absl::Time restarted = absl::Now();
  const std::string count_sql =
      "SELECT COUNT(*) FROM audit_trail WHERE request_id LIKE 'audit-down-%' "
      "AND result = 'UNAVAILABLE' AND method = "
      "'unionhub.membership.v1.MembershipService.CreateOrg'";
  const bool all =
      WaitFor([&] { return QueryInt("fault_membership", count_sql) == kCalls; },
              absl::Seconds(20));
  const absl::Duration took = absl::Now() - restarted;
  const int64_t rows = QueryInt("fault_membership", count_sql);
  Report(
      absl::StrFormat("%d calls failed while down; %d audit rows %.2f s "
                      "after the database came back",
                      kCalls, rows, absl::ToDoubleSeconds(took)));
  EXPECT_TRUE(all) << rows << " of " << kCalls << " rows";
  // One row per call (no duplicates), in call order, each with its own
  // request_id and the time of the call (before the restart).
  std::vector<std::vector<std::string>> listed = QueryRows(
      "fault_membership",
      "SELECT request_id, recorded_at < NOW(6) FROM audit_trail WHERE "
      "request_id LIKE 'audit-down-%' ORDER BY id");
  ASSERT_EQ(listed.size(), static_cast<size_t>(kCalls));
  for (int i = 0; i < kCalls; ++i) {
    EXPECT_EQ(listed[i][0], absl::StrCat("audit-down-", i));
  }
  // Later calls are audited as usual, after the held rows.
  ASSERT_TRUE(
      WaitFor([&] { return CreateOrg(*stub, "audit-after", "城关镇").ok(); },
              absl::Seconds(20)));
  EXPECT_EQ(QueryInt("fault_membership",
                     "SELECT COUNT(*) FROM audit_trail WHERE request_id = "
                     "'audit-after' AND result = 'OK'"),
            1);
  EXPECT_GT(QueryInt("fault_membership",
                     "SELECT MIN(id) FROM audit_trail WHERE request_id = "
                     "'audit-after'"),
            QueryInt("fault_membership",
                     "SELECT MAX(id) FROM audit_trail WHERE request_id LIKE "
                     "'audit-down-%'"));
}

}  // namespace
}  // namespace unionhub::testing
