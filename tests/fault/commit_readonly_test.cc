// Two faults at the edge of a write: the reply lost just after COMMIT (the
// process dies between the commit and the reply, made deterministic by the
// test-only hook in common/rpc/fault_hook.h), and a database that turns
// read-only under the service.
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/rpc/fault_hook.h"
#include "tests/fault/calls.h"
#include "tests/fault/fault_fixture.h"
#include "tests/system/system_fixture.h"

namespace unionhub::testing {
namespace {

namespace mv1 = ::unionhub::membership::v1;
constexpr char kCreateOrg[] =
    "unionhub.membership.v1.MembershipService.CreateOrg";
constexpr char kJoinMember[] =
    "unionhub.membership.v1.MembershipService.JoinMember";

using FaultCommitTest = FaultTest;

// The second CreateOrg and the first JoinMember commit, then the process
// dies before replying: the client sees a failure, the write exists, and
// the retry (same request_id, after a restart) returns the original answer
// without writing again.
TEST_F(FaultCommitTest, ReplyLostAfterCommitRetryReturnsTheOriginalAnswer) {
  for (const auto& [method, nth] : std::vector<std::pair<std::string, int>>{
           {kCreateOrg, 2}, {kJoinMember, 1}}) {
    SCOPED_TRACE(method);
    MembershipProcess& membership = NewMembership(
        {}, {{rpc::kCrashAfterCommitVariable, absl::StrCat(method, ":", nth)}});
    ASSERT_TRUE(membership.StartAndWaitServing().ok()) << membership.ReadLog();
    auto stub =
        mv1::MembershipService::NewStub(membership.NewChannel(admin_token()));
    const std::string tag = method == kCreateOrg ? "org" : "join";
    auto county = Call(*stub, &mv1::MembershipService::Stub::CreateOrg,
                       OrgRequest(tag + "-county", "示范县总工会" + tag));
    ASSERT_TRUE(county.ok()) << county.status.error_message();
    int64_t holder = 0;  // a township, which may hold members
    if (method == kJoinMember) {
      auto township = Call(*stub, &mv1::MembershipService::Stub::CreateOrg,
                           OrgRequest("join-township", "东城街道工会",
                                      county.response.org().org_id(),
                                      mv1::ORG_TYPE_TOWNSHIP_UNION));
      ASSERT_TRUE(township.ok()) << township.status.error_message();
      holder = township.response.org().org_id();
    }
    const int64_t orgs_before =
        QueryInt("fault_membership", "SELECT COUNT(*) FROM orgs");
    const int64_t events_before =
        QueryInt("fault_membership", "SELECT COUNT(*) FROM events");

    // The call whose reply is lost.
    mv1::CreateOrgRequest org = OrgRequest(tag + "-township", "城关镇总工会",
                                           county.response.org().org_id(),
                                           mv1::ORG_TYPE_TOWNSHIP_UNION);
    mv1::JoinMemberRequest join;
    join.set_request_id("join-lost-reply");
    *join.mutable_member() = MakeImportRows(1)[0].row().member();
    join.mutable_member()->set_org_id(holder);
    join.set_joined_on("2024-03-01");
    auto once = [&](std::string* key) -> grpc::Status {
      if (method == kCreateOrg) {
        auto a = Call(*stub, &mv1::MembershipService::Stub::CreateOrg, org);
        *key = absl::StrCat(a.response.org().org_id());
        return a.status;
      }
      auto a = Call(*stub, &mv1::MembershipService::Stub::JoinMember, join);
      *key = absl::StrCat(a.response.member().member_id(), "/",
                          a.response.member().card_number());
      return a.status;
    };
    std::string lost_key;
    grpc::Status lost = once(&lost_key);
    EXPECT_FALSE(lost.ok()) << "the process was to die before replying";
    ASSERT_TRUE(membership.process().WaitForExit(absl::Seconds(10)));
    EXPECT_EQ(membership.process().status()->signal, SIGKILL);
    // The write exists although the client saw a failure.
    EXPECT_EQ(QueryInt("fault_membership", "SELECT COUNT(*) FROM orgs"),
              orgs_before + (method == kCreateOrg ? 1 : 0));
    EXPECT_EQ(QueryInt("fault_membership", "SELECT COUNT(*) FROM events"),
              events_before + 1);

    // Restarted without the hook (a replica that did not die, as it were),
    // so the retries themselves cannot trip it.
    MembershipProcess& restarted = NewMembership();
    ASSERT_TRUE(restarted.StartAndWaitServing().ok()) << restarted.ReadLog();
    stub = mv1::MembershipService::NewStub(restarted.NewChannel(admin_token()));
    std::string first_key;
    grpc::Status retried = once(&first_key);
    ASSERT_TRUE(retried.ok()) << retried.error_message();
    std::string second_key;
    ASSERT_TRUE(once(&second_key).ok());
    const std::vector<std::vector<std::string>> rows =
        QueryRows("fault_membership",
                  method == kCreateOrg
                      ? "SELECT MAX(id) FROM orgs"
                      : "SELECT CONCAT(id, '/', card_number) FROM members");
    ASSERT_EQ(rows.size(), 1u);
    const std::string stored = rows[0][0];
    // The retries answer with what the lost reply would have said.
    EXPECT_EQ(first_key, stored);
    EXPECT_EQ(second_key, stored);
    EXPECT_EQ(QueryInt("fault_membership", "SELECT COUNT(*) FROM orgs"),
              orgs_before + (method == kCreateOrg ? 1 : 0));
    EXPECT_EQ(QueryInt("fault_membership", "SELECT COUNT(*) FROM events"),
              events_before + 1);
    Report(absl::StrFormat(
        "%s: reply lost (%s), write present once, 2 retries returned the "
        "original answer %s",
        method, lost.error_message(), stored));
    restarted.process().Kill();
  }
}

using FaultReadOnlyTest = FaultTest;

// SET GLOBAL read_only=1 under a service whose account has no READ ONLY
// ADMIN: writes fail UNAVAILABLE without the driver's text, reads still
// work, nothing is half-written, and the same request_ids succeed once
// the database takes writes again.
TEST_F(FaultReadOnlyTest, ReadOnlyDatabaseRefusesWritesCleanlyAndRecovers) {
  MembershipProcess& membership = NewMembership();
  ASSERT_TRUE(membership.StartAndWaitServing().ok()) << membership.ReadLog();
  auto stub =
      mv1::MembershipService::NewStub(membership.NewChannel(admin_token()));
  auto county = Call(*stub, &mv1::MembershipService::Stub::CreateOrg,
                     OrgRequest("ro-county", "示范县总工会"));
  ASSERT_TRUE(county.ok()) << county.status.error_message();
  auto counts = [&] {
    return QueryRows(
        "fault_membership",
        "SELECT (SELECT COUNT(*) FROM orgs), (SELECT COUNT(*) FROM members), "
        "(SELECT COUNT(*) FROM events), (SELECT COUNT(*) FROM "
        "idempotency_keys)")[0];
  };
  auto township = Call(
      *stub, &mv1::MembershipService::Stub::CreateOrg,
      OrgRequest("ro-holder", "东城街道工会", county.response.org().org_id(),
                 mv1::ORG_TYPE_TOWNSHIP_UNION));
  ASSERT_TRUE(township.ok()) << township.status.error_message();
  const std::vector<std::string> before = counts();

  ASSERT_TRUE(database().Exec("SET GLOBAL read_only = 1").ok());
  const mv1::CreateOrgRequest org =
      OrgRequest("ro-township", "城关镇总工会", county.response.org().org_id(),
                 mv1::ORG_TYPE_TOWNSHIP_UNION);
  auto refused = Call(*stub, &mv1::MembershipService::Stub::CreateOrg, org);
  EXPECT_EQ(refused.status.error_code(), grpc::StatusCode::UNAVAILABLE)
      << refused.status.error_message();
  EXPECT_EQ(refused.status.error_message().find("read-only option"),
            std::string::npos)
      << "driver text reached the caller: " << refused.status.error_message();
  mv1::JoinMemberRequest join;
  join.set_request_id("ro-join");
  *join.mutable_member() = MakeImportRows(1)[0].row().member();
  join.mutable_member()->set_org_id(township.response.org().org_id());
  auto join_refused =
      Call(*stub, &mv1::MembershipService::Stub::JoinMember, join);
  EXPECT_EQ(join_refused.status.error_code(), grpc::StatusCode::UNAVAILABLE)
      << join_refused.status.error_message();
  mv1::GetOrgRequest get;
  get.set_org_id(county.response.org().org_id());
  EXPECT_TRUE(Call(*stub, &mv1::MembershipService::Stub::GetOrg, get).ok());
  EXPECT_EQ(counts(), before) << "something was written while read-only";

  ASSERT_TRUE(database().Exec("SET GLOBAL read_only = 0").ok());
  auto created = Call(*stub, &mv1::MembershipService::Stub::CreateOrg, org);
  ASSERT_TRUE(created.ok()) << created.status.error_message();
  auto joined = Call(*stub, &mv1::MembershipService::Stub::JoinMember, join);
  ASSERT_TRUE(joined.ok()) << joined.status.error_message();
  // The refusals were audited once the database took writes again.
  EXPECT_TRUE(WaitFor(
      [&] {
        return QueryInt("fault_membership",
                        "SELECT COUNT(*) FROM audit_trail WHERE request_id IN "
                        "('ro-township', 'ro-join') AND result = "
                        "'UNAVAILABLE'") == 2;
      },
      absl::Seconds(10)));
  Report(
      absl::StrFormat("read-only: writes refused with %s (\"%s\"), "
                      "nothing written; both writes applied after",
                      "UNAVAILABLE", refused.status.error_message()));
}

}  // namespace
}  // namespace unionhub::testing
