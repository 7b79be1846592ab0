// Awards' calls to its peers on behalf of a caller: the caller's W3C trace
// reaches membership and finance (their own access lines name it), and a
// finance that does not answer is given up within the caller's deadline.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "common/core/trace.h"
#include "tests/service/awards_helpers.h"
#include "tests/support/log_capture.h"

namespace unionhub::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::IsSupersetOf;
using ::testing::Not;

constexpr char kTraceId[] = "0af7651916cd43dd8448eb211c80319c";
constexpr char kParent[] =
    "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

constexpr char kSubmit[] = "/unionhub.awards.v1.AwardsService/SubmitNomination";
constexpr char kGetMember[] =
    "/unionhub.membership.v1.MembershipService/GetMember";
constexpr char kGetDuesStanding[] =
    "/unionhub.finance.v1.FinanceService/GetDuesStanding";

// The methods of the access lines ("rpc") that carry `trace_id`.
std::vector<std::string> MethodsTraced(LogCapture& logs,
                                       const std::string& trace_id) {
  std::vector<std::string> methods;
  for (const std::string& line : logs.Lines(
           {"\"msg\":\"rpc\"", absl::StrCat("\"trace\":\"", trace_id, "\"")})) {
    for (const char* method : {kSubmit, kGetMember, kGetDuesStanding}) {
      if (absl::StrContains(line,
                            absl::StrCat("\"method\":\"", method, "\""))) {
        methods.push_back(method);
      }
    }
  }
  return methods;
}

// A nomination of a new member of a new grassroots union, ready to submit.
av1::Nomination NewNomination(AwardsServer& server, int n) {
  MembershipServer& m = server.membership();
  const mv1::Org county = MustCreateOrg(m, mv1::ORG_TYPE_COUNTY_FEDERATION, 0,
                                        absl::StrCat("清河县总工会", n));
  const mv1::Org g1 = MustCreateGrassroots(
      m, county.org_id(), absl::StrCat("机械厂工会", n), 40 + n, 120);
  const mv1::Member member = MustJoinPerson(server, g1.org_id(), 10 + n);
  const av1::Program program =
      MustCreateProgram(server, BasicProgram(county.org_id(), {g1.org_id()}));
  return MustNominate(server, program.program_id(), g1.org_id(),
                      member.member_id());
}

grpc::Status SubmitWith(AwardsServer& server, int64_t nomination,
                        const std::string& traceparent, absl::Duration deadline,
                        std::optional<trace::Context>* answered = nullptr) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + deadline));
  if (!traceparent.empty()) context.AddMetadata("traceparent", traceparent);
  av1::SubmitNominationRequest request;
  request.set_request_id(NewRequestId());
  request.set_nomination_id(nomination);
  av1::SubmitNominationResponse response;
  grpc::Status status =
      server.awards().SubmitNomination(&context, request, &response);
  if (answered != nullptr) {
    const auto& metadata = context.GetServerInitialMetadata();
    auto it = metadata.find(trace::kTraceresponse);
    if (it != metadata.end()) {
      *answered =
          trace::Parse(std::string(it->second.data(), it->second.size()));
    }
  }
  return status;
}

TEST(AwardsPeersTrace, TheCallersTraceReachesMembershipAndFinance) {
  AwardsServer server("awards_trace");
  server.SetToday(TestToday());
  const av1::Nomination first = NewNomination(server, 1);
  const av1::Nomination second = NewNomination(server, 2);
  server.Sync();  // finance knows the members

  LogCapture logs;
  std::optional<trace::Context> answered;
  grpc::Status status = SubmitWith(server, first.nomination_id(), kParent,
                                   absl::Seconds(60), &answered);
  ASSERT_TRUE(status.ok()) << status.error_message();
  // Awards answers with its own span of the caller's trace.
  ASSERT_TRUE(answered.has_value());
  EXPECT_EQ(answered->trace_id, kTraceId);
  EXPECT_NE(answered->span_id, "b7ad6b7169203331");
  // Awards, and membership and finance called on the request's behalf, each
  // logged the call under the caller's trace id.
  EXPECT_THAT(MethodsTraced(logs, kTraceId),
              IsSupersetOf({kSubmit, kGetMember, kGetDuesStanding}));

  // An invalid traceparent (all-zero trace id) starts a new trace, which
  // the peers see too.
  answered.reset();
  status = SubmitWith(server, second.nomination_id(),
                      "00-00000000000000000000000000000000-b7ad6b7169203331-01",
                      absl::Seconds(60), &answered);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_TRUE(answered.has_value());
  EXPECT_NE(answered->trace_id, kTraceId);
  EXPECT_THAT(MethodsTraced(logs, answered->trace_id),
              IsSupersetOf({kSubmit, kGetMember, kGetDuesStanding}));
}

// Finance at a port nobody listens on: awards waits for it (wait-for-ready,
// 10 s per attempt, two attempts in the fixture) only as long as the
// caller's deadline allows, and answers itself before it.
TEST(AwardsPeersDeadline,
     AnUnreachableFinanceIsGivenUpWithinTheCallersDeadline) {
  AwardsServer server("awards_dl", ServerLimits{},
                      absl::StrCat("127.0.0.1:", FreePort()));
  server.SetToday(TestToday());
  const av1::Nomination nomination = NewNomination(server, 3);

  const absl::Time start = absl::Now();
  grpc::Status status =
      SubmitWith(server, nomination.nomination_id(), "", absl::Seconds(2));
  const absl::Duration elapsed = absl::Now() - start;
  EXPECT_LT(elapsed, absl::Milliseconds(2500));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  // Awards' own answer, not the client's timer running out ("Deadline
  // Exceeded"): it names the peer and the call.
  EXPECT_THAT(status.error_message(), HasSubstr("finance"));
  EXPECT_THAT(status.error_message(), HasSubstr("GetDuesStanding"));
  EXPECT_THAT(status.error_message(), Not(HasSubstr("127.0.0.1")));
  // Nothing was changed: the nomination is still a draft.
  EXPECT_EQ(MustGetNomination(server, nomination.nomination_id()).status(),
            nomination.status());
}

}  // namespace
}  // namespace unionhub::testing
