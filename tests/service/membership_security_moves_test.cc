// Organisation scope of what a request moves between subtrees (issue 11):
//  - item 4: CreateOrg.existing_employer_id adopts only an employer located
//    in the caller's scope; one recorded elsewhere is refused exactly as an
//    employer that does not exist, and nothing changes;
//  - item 7: JoinMember (and ImportMembers) reactivating a LEFT or LAPSED
//    member follows the transfer rule: the member's last org must be in the
//    caller's scope, as for TransferMember.
//
//   county ─┬─ township A ─┬─ ga1 (member ma)
//           │              └─ employer ea (no union yet)
//           └─ township B ─┬─ gb1 (member mb)
//                          └─ employer eb (no union yet)
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "tests/service/membership_helpers.h"
#include "tests/service/membership_security_helpers.h"
#include "tests/support/membership_fixture.h"

namespace unionhub::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kRegistrarA[] = "registrar-a";

class MembershipSecurityMovesTest : public ::testing::Test {
 protected:
  MembershipSecurityMovesTest() : server_("secmoves") {
    county_ = MustCreateOrg(server_, mv1::ORG_TYPE_COUNTY_FEDERATION, 0,
                            "清河县总工会")
                  .org_id();
    a_ = MustCreateOrg(server_, mv1::ORG_TYPE_TOWNSHIP_UNION, county_, "城关镇")
             .org_id();
    b_ = MustCreateOrg(server_, mv1::ORG_TYPE_TOWNSHIP_UNION, county_, "王营镇")
             .org_id();
    ga1_ = MustCreateGrassroots(server_, a_, "城关机械厂工会", 1, 100).org_id();
    gb1_ = MustCreateGrassroots(server_, b_, "王营砖瓦厂工会", 2, 60).org_id();
    ea_ = MustCreateEmployer(server_, a_, "城关五金店", 3, 30);
    eb_ = MustCreateEmployer(server_, b_, "王营饭店", 4, 20);
    ma_ = MustJoin(server_, Person(ga1_, 1), "2024-01-10");
    mb_ = MustJoin(server_, Person(gb1_, 2), "2024-01-10");
    registrar_ =
        server_.StubWithToken(MintTestToken({"registrar"}, a_, kRegistrarA));
  }

  Stub& registrar() { return *registrar_; }

  // A grassroots union under township A founded on `employer_id`.
  static mv1::CreateOrgRequest Adopt(int64_t parent, int64_t employer_id) {
    mv1::CreateOrgRequest req =
        OrgRequest(mv1::ORG_TYPE_GRASSROOTS_UNION, parent, "新建工会");
    req.set_existing_employer_id(employer_id);
    return req;
  }

  // `member` (of `org`) leaves the union or lapses, by an unscoped admin.
  void EndMembership(const mv1::Member& member, mv1::MemberStatus status) {
    grpc::Status s = ChangeStatus(server_, member.member_id(), status);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  MembershipServer server_;
  int64_t county_ = 0, a_ = 0, b_ = 0, ga1_ = 0, gb1_ = 0;
  mv1::Employer ea_, eb_;
  mv1::Member ma_, mb_;
  std::unique_ptr<Stub> registrar_;
};

// ------------------------------------------------------------- item 4

TEST_F(MembershipSecurityMovesTest, RegistrarAdoptsAnEmployerOfItsOwnScope) {
  mv1::CreateOrgResponse created;
  grpc::Status status = Call(registrar(), &Stub::CreateOrg,
                             Adopt(a_, ea_.employer_id()), &created);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(created.org().employer().employer_id(), ea_.employer_id());
  EXPECT_EQ(created.org().parent_id(), a_);
}

TEST_F(MembershipSecurityMovesTest,
       EmployerOfAnotherScopeIsRefusedExactlyAsAnAbsentOne) {
  const std::string before = StateFingerprint(server_);
  mv1::CreateOrgResponse created;
  const grpc::Status outside = Call(registrar(), &Stub::CreateOrg,
                                    Adopt(a_, eb_.employer_id()), &created);
  EXPECT_FALSE(outside.ok());
  EXPECT_EQ(StateFingerprint(server_), before)
      << "a refused adoption changed the tables";
  // Nothing of B's employer comes back, not even in the message.
  EXPECT_FALSE(created.has_org());
  EXPECT_THAT(outside.error_message(), Not(HasSubstr(eb_.credit_code())));
  EXPECT_THAT(outside.error_message(), Not(HasSubstr(eb_.name())));
  EXPECT_THAT(outside.error_message(), Not(HasSubstr(absl::StrCat(b_))));

  // An employer id that does not exist gets the same answer, id for id.
  const int64_t absent_id = eb_.employer_id() + 1000;
  mv1::CreateOrgResponse none;
  const grpc::Status absent =
      Call(registrar(), &Stub::CreateOrg, Adopt(a_, absent_id), &none);
  EXPECT_EQ(outside.error_code(), absent.error_code());
  EXPECT_EQ(outside.error_message(),
            absl::StrReplaceAll(
                absent.error_message(),
                {{absl::StrCat(absent_id), absl::StrCat(eb_.employer_id())}}));
  EXPECT_EQ(StateFingerprint(server_), before);

  // B's employer still counts towards B's coverage only.
  mv1::GetCoverageRequest coverage;
  coverage.set_org_id(b_);
  mv1::GetCoverageResponse figures;
  ASSERT_TRUE(
      Call(server_.stub(), &Stub::GetCoverage, coverage, &figures).ok());
  EXPECT_EQ(figures.total().employers(), 2);
  EXPECT_EQ(figures.total().workers(), 80);
}

TEST_F(MembershipSecurityMovesTest,
       EmployerWhoseLastUnionIsElsewhereIsRefused) {
  // An employer recorded in B whose union there was dissolved (emptied
  // first): its last union is B's too, so A may not found one on it.
  EndMembership(mb_, mv1::MEMBER_STATUS_LEFT);
  mv1::DissolveOrgRequest dissolve;
  dissolve.set_request_id(NewRequestId());
  dissolve.set_org_id(gb1_);
  dissolve.set_reason("企业搬迁");
  mv1::DissolveOrgResponse dissolved;
  grpc::Status status =
      Call(server_.stub(), &Stub::DissolveOrg, dissolve, &dissolved);
  ASSERT_TRUE(status.ok()) << status.error_message();
  const int64_t employer_id =
      MustGetOrg(server_, gb1_).employer().employer_id();
  ASSERT_NE(employer_id, 0);
  const std::string before = StateFingerprint(server_);
  mv1::CreateOrgResponse created;
  status =
      Call(registrar(), &Stub::CreateOrg, Adopt(a_, employer_id), &created);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND)
      << status.error_message();
  EXPECT_EQ(StateFingerprint(server_), before);
  // An unscoped registrar may: the rule is about scope, not adoption.
  status =
      Call(server_.stub(), &Stub::CreateOrg, Adopt(a_, employer_id), &created);
  EXPECT_TRUE(status.ok()) << status.error_message();
}

// ------------------------------------------------------------- item 7

TEST_F(MembershipSecurityMovesTest, RejoinOfAnotherScopesMemberIsRefused) {
  for (mv1::MemberStatus ended :
       {mv1::MEMBER_STATUS_LEFT, mv1::MEMBER_STATUS_LAPSED}) {
    SCOPED_TRACE(mv1::MemberStatus_Name(ended));
    const mv1::Member person =
        Person(gb1_, ended == mv1::MEMBER_STATUS_LEFT ? 30 : 31);
    const mv1::Member member = MustJoin(server_, person, "2024-01-10");
    EndMembership(member, ended);

    // As for a transfer of the same member...
    mv1::TransferMemberRequest transfer;
    transfer.set_request_id(NewRequestId());
    transfer.set_member_id(member.member_id());
    transfer.set_to_org_id(ga1_);
    mv1::TransferMemberResponse moved;
    EXPECT_EQ(
        Call(registrar(), &Stub::TransferMember, transfer, &moved).error_code(),
        grpc::StatusCode::PERMISSION_DENIED);

    // ...a rejoin into A, which would move the member out of B, is refused
    // and writes nothing.
    const std::string before = StateFingerprint(server_);
    mv1::Member again = person;
    again.set_org_id(ga1_);
    mv1::JoinMemberResponse joined;
    const grpc::Status status =
        Call(registrar(), &Stub::JoinMember, JoinRequest(again), &joined);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED)
        << status.error_message();
    EXPECT_THAT(status.error_message(), HasSubstr("outside your organisation"));
    EXPECT_THAT(status.error_message(),
                Not(HasSubstr(absl::StrCat(member.member_id()))));
    EXPECT_FALSE(joined.has_member());
    EXPECT_EQ(StateFingerprint(server_), before);
    const mv1::Member after = MustGetMember(server_, member.member_id());
    EXPECT_EQ(after.org_id(), gb1_);
    EXPECT_EQ(after.status(), ended);
    EXPECT_EQ(AuditRows(server_, kRegistrarA, MembershipMethod("JoinMember"),
                        "PERMISSION_DENIED"),
              ended == mv1::MEMBER_STATUS_LEFT ? 1 : 2);

    // The same row in a collective registration is rejected alone.
    mv1::ImportHeader header;
    header.set_request_id(NewRequestId());
    header.set_default_org_id(ga1_);
    mv1::Member fresh =
        Person(ga1_, ended == mv1::MEMBER_STATUS_LEFT ? 40 : 41);
    mv1::ImportMembersResponse imported;
    const grpc::Status streamed =
        Import(registrar(), header, {again, fresh}, &imported);
    ASSERT_TRUE(streamed.ok()) << streamed.error_message();
    EXPECT_EQ(imported.rows_reactivated(), 0);
    EXPECT_EQ(imported.rows_joined(), 1);
    EXPECT_EQ(imported.rows_rejected(), 1);
    ASSERT_EQ(imported.results_size(), 2);
    EXPECT_EQ(imported.results(0).error_code(), "PERMISSION_DENIED");
    const mv1::Member still = MustGetMember(server_, member.member_id());
    EXPECT_EQ(still.org_id(), gb1_);
    EXPECT_EQ(still.status(), ended);
  }
}

TEST_F(MembershipSecurityMovesTest, RejoinWithinScopeOrUnscopedStillWorks) {
  // ma left ga1 (in A): A's registrar may bring ma back, to another union
  // of A too.
  EndMembership(ma_, mv1::MEMBER_STATUS_LEFT);
  const int64_t ga2 =
      MustCreateGrassroots(server_, a_, "城关纺织厂工会", 5, 80).org_id();
  mv1::Member again = Person(ga2, 1);
  mv1::JoinMemberResponse joined;
  grpc::Status status =
      Call(registrar(), &Stub::JoinMember, JoinRequest(again), &joined);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_TRUE(joined.reactivated());
  EXPECT_EQ(joined.member().member_id(), ma_.member_id());
  EXPECT_EQ(joined.member().org_id(), ga2);

  // mb lapsed in B: an unscoped registrar may bring mb back into A.
  EndMembership(mb_, mv1::MEMBER_STATUS_LAPSED);
  auto unscoped =
      server_.StubWithToken(MintTestToken({"registrar"}, 0, "registrar-all"));
  again = Person(ga1_, 2);
  joined.Clear();
  status = Call(*unscoped, &Stub::JoinMember, JoinRequest(again), &joined);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_TRUE(joined.reactivated());
  EXPECT_EQ(joined.member().member_id(), mb_.member_id());
  EXPECT_EQ(joined.member().org_id(), ga1_);
}

}  // namespace
}  // namespace unionhub::testing
