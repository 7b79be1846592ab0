// The RPC adapter's pure parts (common/rpc/adapter.h): every message a
// server-stream handler writes is masked for the caller, unary handlers are
// bound with or without the caller, and which methods the audit trail
// records follows their proto declarations. The whole flow through a real
// Gate (caller scope, refusals, audit rows) is in
// tests/service/gate_adapter_test.cc.
#include "common/rpc/adapter.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "unionhub/finance/v1/finance.pb.h"
#include "unionhub/membership/v1/membership.pb.h"

namespace unionhub::rpc {
namespace {

namespace mv1 = ::unionhub::membership::v1;

constexpr char kId[] = "32092419900101008X";
constexpr char kMasked[] = "**************008X";

Caller CallerWith(const std::string& role) {
  Caller caller;
  caller.claims.subject = "t-" + role;
  caller.claims.roles = {role};
  return caller;
}

mv1::WatchEventsResponse EventOf(int64_t member_id) {
  mv1::WatchEventsResponse response;
  mv1::Member* member = response.mutable_event()->mutable_member();
  member->set_member_id(member_id);
  member->set_national_id(kId);
  member->set_birth_date("1990-01-01");
  return response;
}

TEST(ResponseStream, MasksEveryMessageForACallerWithoutTheFullId) {
  const Caller clerk = CallerWith("finance_clerk");
  std::vector<mv1::WatchEventsResponse> sent;
  ResponseStream<mv1::WatchEventsResponse> stream(
      clerk, absl::InfiniteFuture(), [&](const mv1::WatchEventsResponse& m) {
        sent.push_back(m);
        return true;
      });
  for (int64_t id = 1; id <= 3; ++id) {
    mv1::WatchEventsResponse event = EventOf(id);
    EXPECT_TRUE(stream.Write(event));
    // The handler's own copy is not touched: only what leaves is masked.
    EXPECT_EQ(event.event().member().national_id(), kId);
  }
  ASSERT_EQ(sent.size(), 3u);
  for (const mv1::WatchEventsResponse& m : sent) {
    EXPECT_EQ(m.event().member().national_id(), kMasked);
    EXPECT_EQ(m.event().member().birth_date(), "");
  }
}

TEST(ResponseStream, LeavesMessagesWhoseReaderMaySeeThemWhole) {
  for (const std::string role : {"registrar", "service", "admin"}) {
    const Caller caller = CallerWith(role);
    std::vector<mv1::WatchEventsResponse> sent;
    ResponseStream<mv1::WatchEventsResponse> stream(
        caller, absl::InfiniteFuture(), [&](const mv1::WatchEventsResponse& m) {
          sent.push_back(m);
          return true;
        });
    stream.Write(EventOf(1));
    ASSERT_EQ(sent.size(), 1u) << role;
    EXPECT_EQ(sent[0].event().member().national_id(), kId) << role;
    EXPECT_EQ(sent[0].event().member().birth_date(), "1990-01-01") << role;
  }
}

TEST(ResponseStream, ReportsAClientThatLeftAndCarriesTheDeadline) {
  const Caller caller = CallerWith("auditor");
  const absl::Time deadline = absl::FromUnixSeconds(1800000000);
  ResponseStream<mv1::WatchEventsResponse> stream(
      caller, deadline, [](const mv1::WatchEventsResponse&) { return false; });
  EXPECT_FALSE(stream.Write(EventOf(1)));
  EXPECT_EQ(stream.deadline(), deadline);
}

// A service with both kinds of unary handler.
class FakeService {
 public:
  absl::Status DoWithCaller(const Caller& caller,
                            const mv1::GetMemberRequest& request,
                            mv1::GetMemberResponse* response) {
    seen_subject = caller.claims.subject;
    response->mutable_member()->set_member_id(request.member_id());
    return absl::OkStatus();
  }
  absl::Status DoWithoutCaller(const mv1::GetMemberRequest& request,
                               mv1::GetMemberResponse* response) {
    response->mutable_member()->set_member_id(request.member_id() + 1);
    return absl::NotFoundError("member");
  }
  std::string seen_subject;
};

TEST(InvokeUnary, PassesTheCallerOnlyToHandlersThatTakeIt) {
  FakeService service;
  const Caller caller = CallerWith("registrar");
  mv1::GetMemberRequest request;
  request.set_member_id(41);
  mv1::GetMemberResponse with;
  EXPECT_TRUE(internal::InvokeUnary(service, &FakeService::DoWithCaller, caller,
                                    request, &with)
                  .ok());
  EXPECT_EQ(service.seen_subject, "t-registrar");
  EXPECT_EQ(with.member().member_id(), 41);
  mv1::GetMemberResponse without;
  EXPECT_EQ(internal::InvokeUnary(service, &FakeService::DoWithoutCaller,
                                  caller, request, &without)
                .code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(without.member().member_id(), 42);
}

TEST(AuditedMethod, MutatingAndBulkExportMethodsAreAuditedReadsAreNot) {
  // Linking the finance messages registers the file in the pool.
  (void)finance::v1::ExportLedgerRequest::descriptor();
  for (const std::string method : {
           "unionhub.membership.v1.MembershipService.JoinMember",
           "unionhub.membership.v1.MembershipService.ImportMembers",
           "unionhub.finance.v1.FinanceService.ImportPayrollDeductions",
           "unionhub.finance.v1.AuditService.ExportLedger",
       }) {
    EXPECT_TRUE(AuditedMethod(method)) << method;
  }
  for (const std::string method : {
           "unionhub.membership.v1.MembershipService.GetMember",
           "unionhub.membership.v1.MembershipService.WatchEvents",
           "unionhub.finance.v1.AuditService.VerifyLedger",
           "unionhub.nothing.v1.Nope.Nothing",
       }) {
    EXPECT_FALSE(AuditedMethod(method)) << method;
  }
}

}  // namespace
}  // namespace unionhub::rpc
