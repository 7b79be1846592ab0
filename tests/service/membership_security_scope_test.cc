// Organisation scope: a token limited to one org ("org" claim) may act in
// that org's subtree only. A registrar scoped to township A works freely in
// A and is refused (PERMISSION_DENIED, nothing written, the refusal audited)
// anywhere else: in township B, above A, and on the whole tree.
//
//   city ─ county ─┬─ township A ─┬─ ga1 (member ma)
//                  │              └─ ga2
//                  └─ township B ─── gb1 (member mb)
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "tests/service/membership_helpers.h"
#include "tests/service/membership_security_helpers.h"
#include "tests/service/membership_two_townships.h"
#include "tests/support/membership_fixture.h"
#include "unionhub/common/v1/audit_trail.grpc.pb.h"

namespace unionhub::testing {
namespace {

namespace cv1 = ::unionhub::common::v1;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kRegistrarA[] = "registrar-a";

class MembershipSecurityScopeTest : public TwoTownshipsTest {
 protected:
  MembershipSecurityScopeTest() : TwoTownshipsTest("secscope", kRegistrarA) {}

  // The call was refused as out of scope, wrote nothing and, for a write,
  // left one PERMISSION_DENIED record naming the registrar.
  void ExpectRefused(const grpc::Status& status, const std::string& before,
                     const std::string& rpc, bool write) {
    EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED)
        << rpc << ": " << status.error_message();
    EXPECT_EQ(StateFingerprint(server_), before)
        << "a refused " << rpc << " changed the tables";
    if (write) {
      EXPECT_EQ(AuditRows(server_, kRegistrarA, MembershipMethod(rpc),
                          "PERMISSION_DENIED"),
                1)
          << "the refused " << rpc << " is not in the audit trail";
    }
  }
};

// ------------------------------------------------------------ inside A

TEST_F(MembershipSecurityScopeTest, RegistrarJoinsAndListsWithinScope) {
  mv1::JoinMemberResponse joined;
  grpc::Status status = Call(registrar(), &Stub::JoinMember,
                             JoinRequest(Person(ga2_, 3)), &joined);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(joined.member().org_id(), ga2_);
  EXPECT_EQ(
      AuditRows(server_, kRegistrarA, MembershipMethod("JoinMember"), "OK"), 1);

  mv1::ListMembersRequest list;
  list.set_org_id(a_);
  mv1::ListMembersResponse listed;
  status = Call(registrar(), &Stub::ListMembers, list, &listed);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_THAT(MemberIds(listed),
              ::testing::UnorderedElementsAre(ma_.member_id(),
                                              joined.member().member_id()));

  list.set_org_id(ga1_);
  list.set_direct_only(true);
  listed.Clear();
  status = Call(registrar(), &Stub::ListMembers, list, &listed);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_THAT(MemberIds(listed), ::testing::ElementsAre(ma_.member_id()));
}

TEST_F(MembershipSecurityScopeTest, RegistrarReadsOrgsMembersAndCoverageOfA) {
  mv1::GetCoverageRequest coverage;
  coverage.set_org_id(a_);
  mv1::GetCoverageResponse figures;
  grpc::Status status =
      Call(registrar(), &Stub::GetCoverage, coverage, &figures);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(figures.total().members(), 1);
  EXPECT_EQ(figures.total().workers(), 180);

  mv1::GetOrgRequest get_org;
  get_org.set_org_id(a_);
  mv1::GetOrgResponse org;
  EXPECT_TRUE(Call(registrar(), &Stub::GetOrg, get_org, &org).ok());

  mv1::ListOrgsRequest list_orgs;
  list_orgs.set_parent_id(a_);
  mv1::ListOrgsResponse orgs;
  status = Call(registrar(), &Stub::ListOrgs, list_orgs, &orgs);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_THAT(OrgIds(orgs), ::testing::UnorderedElementsAre(ga1_, ga2_));

  mv1::ListEmployersRequest list_employers;
  list_employers.set_org_id(a_);
  mv1::ListEmployersResponse employers;
  status = Call(registrar(), &Stub::ListEmployers, list_employers, &employers);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(employers.employers_size(), 2);

  mv1::GetMemberRequest get;
  get.set_member_id(ma_.member_id());
  mv1::GetMemberResponse member;
  status = Call(registrar(), &Stub::GetMember, get, &member);
  ASSERT_TRUE(status.ok()) << status.error_message();
  // A registrar reads national IDs in full.
  EXPECT_EQ(member.member().national_id(), ma_.national_id());

  mv1::LookupMemberRequest lookup;
  lookup.set_national_id(ma_.national_id());
  mv1::LookupMemberResponse found;
  status = Call(registrar(), &Stub::LookupMember, lookup, &found);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(found.member().member_id(), ma_.member_id());

  mv1::GetMemberHistoryRequest history;
  history.set_member_id(ma_.member_id());
  mv1::GetMemberHistoryResponse entries;
  EXPECT_TRUE(
      Call(registrar(), &Stub::GetMemberHistory, history, &entries).ok());
}

TEST_F(MembershipSecurityScopeTest, RegistrarUpdatesAndTransfersWithinScope) {
  mv1::UpdateMemberRequest update;
  update.set_request_id(NewRequestId());
  update.mutable_member()->set_member_id(ma_.member_id());
  update.mutable_member()->set_mobile("13912345678");
  update.mutable_update_mask()->add_paths("mobile");
  mv1::UpdateMemberResponse updated;
  grpc::Status status =
      Call(registrar(), &Stub::UpdateMember, update, &updated);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(updated.member().mobile(), "13912345678");

  mv1::TransferMemberRequest transfer;
  transfer.set_request_id(NewRequestId());
  transfer.set_member_id(ma_.member_id());
  transfer.set_to_org_id(ga2_);
  mv1::TransferMemberResponse moved;
  status = Call(registrar(), &Stub::TransferMember, transfer, &moved);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(moved.member().org_id(), ga2_);

  mv1::CreateOrgResponse created;
  status = Call(registrar(), &Stub::CreateOrg,
                GrassrootsRequest(a_, "城关食品厂工会", 4, 30), &created);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(created.org().parent_id(), a_);

  EXPECT_EQ(
      AuditRows(server_, kRegistrarA, MembershipMethod("UpdateMember"), "OK"),
      1);
  EXPECT_EQ(
      AuditRows(server_, kRegistrarA, MembershipMethod("TransferMember"), "OK"),
      1);
  EXPECT_EQ(
      AuditRows(server_, kRegistrarA, MembershipMethod("CreateOrg"), "OK"), 1);
}

// ------------------------------------------------------- outside A: members

TEST_F(MembershipSecurityScopeTest, JoinIntoAnOrgOfBIsRefused) {
  const std::string before = StateFingerprint(server_);
  mv1::JoinMemberResponse resp;
  grpc::Status status =
      Call(registrar(), &Stub::JoinMember, JoinRequest(Person(gb1_, 3)), &resp);
  ExpectRefused(status, before, "JoinMember", /*write=*/true);
  EXPECT_FALSE(resp.has_member());
}

TEST_F(MembershipSecurityScopeTest, ReadingAMemberOfBIsRefused) {
  const std::string before = StateFingerprint(server_);
  mv1::GetMemberRequest get;
  get.set_member_id(mb_.member_id());
  mv1::GetMemberResponse member;
  ExpectRefused(Call(registrar(), &Stub::GetMember, get, &member), before,
                "GetMember", false);
  EXPECT_FALSE(member.has_member());

  mv1::GetMemberHistoryRequest history;
  history.set_member_id(mb_.member_id());
  mv1::GetMemberHistoryResponse entries;
  ExpectRefused(Call(registrar(), &Stub::GetMemberHistory, history, &entries),
                before, "GetMemberHistory", false);
  EXPECT_EQ(entries.entries_size(), 0);
}

TEST_F(MembershipSecurityScopeTest, LookupOfAPersonInBIsRefused) {
  const std::string before = StateFingerprint(server_);
  mv1::LookupMemberRequest by_id;
  by_id.set_national_id(mb_.national_id());
  mv1::LookupMemberResponse found;
  grpc::Status status = Call(registrar(), &Stub::LookupMember, by_id, &found);
  ExpectRefused(status, before, "LookupMember", false);
  EXPECT_FALSE(found.has_member());
  EXPECT_THAT(status.error_message(), Not(HasSubstr(mb_.national_id())));
  EXPECT_THAT(status.error_message(), Not(HasSubstr("王营")));

  mv1::LookupMemberRequest by_card;
  by_card.set_card_number(mb_.card_number());
  found.Clear();
  ExpectRefused(Call(registrar(), &Stub::LookupMember, by_card, &found), before,
                "LookupMember", false);
  EXPECT_FALSE(found.has_member());
}

TEST_F(MembershipSecurityScopeTest, ChangingTheStatusOfAMemberOfBIsRefused) {
  const std::string before = StateFingerprint(server_);
  mv1::ChangeMemberStatusResponse resp;
  ExpectRefused(
      Call(registrar(), &Stub::ChangeMemberStatus,
           StatusRequest(mb_.member_id(), mv1::MEMBER_STATUS_LEFT), &resp),
      before, "ChangeMemberStatus", true);
  EXPECT_EQ(MustGetMember(server_, mb_.member_id()).status(),
            mv1::MEMBER_STATUS_ACTIVE);
}

TEST_F(MembershipSecurityScopeTest, UpdatingAMemberOfBIsRefused) {
  const std::string before = StateFingerprint(server_);
  mv1::UpdateMemberRequest update;
  update.set_request_id(NewRequestId());
  update.mutable_member()->set_member_id(mb_.member_id());
  update.mutable_member()->set_mobile("13912345678");
  update.mutable_update_mask()->add_paths("mobile");
  mv1::UpdateMemberResponse resp;
  ExpectRefused(Call(registrar(), &Stub::UpdateMember, update, &resp), before,
                "UpdateMember", true);
}

TEST_F(MembershipSecurityScopeTest, TransferFromAToBIsRefused) {
  const std::string before = StateFingerprint(server_);
  mv1::TransferMemberRequest transfer;
  transfer.set_request_id(NewRequestId());
  transfer.set_member_id(ma_.member_id());
  transfer.set_to_org_id(gb1_);
  mv1::TransferMemberResponse resp;
  ExpectRefused(Call(registrar(), &Stub::TransferMember, transfer, &resp),
                before, "TransferMember", true);
  EXPECT_EQ(MustGetMember(server_, ma_.member_id()).org_id(), ga1_);
}

TEST_F(MembershipSecurityScopeTest, TransferFromBIntoAIsRefused) {
  const std::string before = StateFingerprint(server_);
  mv1::TransferMemberRequest transfer;
  transfer.set_request_id(NewRequestId());
  transfer.set_member_id(mb_.member_id());
  transfer.set_to_org_id(ga1_);
  mv1::TransferMemberResponse resp;
  ExpectRefused(Call(registrar(), &Stub::TransferMember, transfer, &resp),
                before, "TransferMember", true);
  EXPECT_EQ(MustGetMember(server_, mb_.member_id()).org_id(), gb1_);
}

TEST_F(MembershipSecurityScopeTest,
       ListingMembersOfTheWholeTreeOrOfBIsRefused) {
  const std::string before = StateFingerprint(server_);
  for (int64_t org : {int64_t{0}, b_, county_, city_}) {
    mv1::ListMembersRequest list;
    list.set_org_id(org);
    mv1::ListMembersResponse resp;
    ExpectRefused(Call(registrar(), &Stub::ListMembers, list, &resp), before,
                  absl::StrCat("ListMembers org ", org), false);
    EXPECT_EQ(resp.members_size(), 0);
  }
}

// ---------------------------------------------------------- outside A: orgs

TEST_F(MembershipSecurityScopeTest, CreatingARootOrAnOrgInBIsRefused) {
  const std::string before = StateFingerprint(server_);
  mv1::CreateOrgResponse resp;
  ExpectRefused(
      Call(registrar(), &Stub::CreateOrg,
           OrgRequest(mv1::ORG_TYPE_COUNTY_FEDERATION, 0, "新县总工会"), &resp),
      before, "CreateOrg", true);
  ExpectRefused(Call(registrar(), &Stub::CreateOrg,
                     GrassrootsRequest(b_, "王营食品厂工会", 4, 30), &resp),
                before, "CreateOrg", false);
  EXPECT_EQ(AuditRows(server_, kRegistrarA, MembershipMethod("CreateOrg"),
                      "PERMISSION_DENIED"),
            2);
}

TEST_F(MembershipSecurityScopeTest, ReadingOrgsAboveOrBesideAIsRefused) {
  const std::string before = StateFingerprint(server_);
  for (int64_t org : {b_, gb1_, county_, city_}) {
    mv1::GetOrgRequest get;
    get.set_org_id(org);
    mv1::GetOrgResponse resp;
    ExpectRefused(Call(registrar(), &Stub::GetOrg, get, &resp), before,
                  absl::StrCat("GetOrg ", org), false);
  }
  for (int64_t parent : {int64_t{0}, county_, b_}) {
    mv1::ListOrgsRequest list;
    list.set_parent_id(parent);
    mv1::ListOrgsResponse resp;
    ExpectRefused(Call(registrar(), &Stub::ListOrgs, list, &resp), before,
                  absl::StrCat("ListOrgs parent ", parent), false);
  }
  for (int64_t org : {int64_t{0}, county_, b_}) {
    mv1::GetCoverageRequest coverage;
    coverage.set_org_id(org);
    mv1::GetCoverageResponse figures;
    ExpectRefused(Call(registrar(), &Stub::GetCoverage, coverage, &figures),
                  before, absl::StrCat("GetCoverage ", org), false);
    mv1::ListEmployersRequest list;
    list.set_org_id(org);
    mv1::ListEmployersResponse employers;
    ExpectRefused(Call(registrar(), &Stub::ListEmployers, list, &employers),
                  before, absl::StrCat("ListEmployers ", org), false);
  }
}

TEST_F(MembershipSecurityScopeTest, ChangingOrgsOfBIsRefused) {
  const std::string before = StateFingerprint(server_);
  mv1::UpdateOrgRequest rename;
  rename.set_request_id(NewRequestId());
  rename.mutable_org()->set_org_id(b_);
  rename.mutable_org()->set_name("改名镇");
  rename.mutable_update_mask()->add_paths("name");
  mv1::UpdateOrgResponse updated;
  ExpectRefused(Call(registrar(), &Stub::UpdateOrg, rename, &updated), before,
                "UpdateOrg", false);

  // Moving an org of A under B would take it out of scope.
  mv1::UpdateOrgRequest move;
  move.set_request_id(NewRequestId());
  move.mutable_org()->set_org_id(ga1_);
  move.mutable_org()->set_parent_id(b_);
  move.mutable_update_mask()->add_paths("parent_id");
  ExpectRefused(Call(registrar(), &Stub::UpdateOrg, move, &updated), before,
                "UpdateOrg", false);
  EXPECT_EQ(AuditRows(server_, kRegistrarA, MembershipMethod("UpdateOrg"),
                      "PERMISSION_DENIED"),
            2);

  mv1::DissolveOrgRequest dissolve;
  dissolve.set_request_id(NewRequestId());
  dissolve.set_org_id(gb1_);
  mv1::DissolveOrgResponse dissolved;
  ExpectRefused(Call(registrar(), &Stub::DissolveOrg, dissolve, &dissolved),
                before, "DissolveOrg", true);

  mv1::CreateEmployerRequest employer;
  employer.set_request_id(NewRequestId());
  *employer.mutable_employer() = EmployerRecord("王营未建会企业", 5, 40, b_);
  mv1::CreateEmployerResponse created;
  ExpectRefused(Call(registrar(), &Stub::CreateEmployer, employer, &created),
                before, "CreateEmployer", true);
}

// A registrar whose scope is a county must not be able to lift the county
// out of its city's tree: parent_id 0 means "the whole tree", which only an
// unscoped caller may act on (as CreateOrg with parent 0 is refused).
TEST_F(MembershipSecurityScopeTest,
       ScopedRegistrarCannotMoveTheirOrgToTheRoot) {
  std::unique_ptr<Stub> county_registrar = server_.StubWithToken(
      MintTestToken({"registrar"}, county_, "registrar-county"));
  const std::string before = StateFingerprint(server_);
  mv1::UpdateOrgRequest move;
  move.set_request_id(NewRequestId());
  move.mutable_org()->set_org_id(county_);
  move.mutable_org()->set_parent_id(0);
  move.mutable_update_mask()->add_paths("parent_id");
  mv1::UpdateOrgResponse resp;
  grpc::Status status = Call(*county_registrar, &Stub::UpdateOrg, move, &resp);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED)
      << "a county-scoped registrar's move of the county to the root was not "
         "refused by scope; got "
      << status.error_code() << ": " << status.error_message();
  EXPECT_EQ(StateFingerprint(server_), before);
  EXPECT_EQ(MustGetOrg(server_, county_).parent_id(), city_);
}

// The control case: an unscoped registrar may make a county a root (a
// county may run its own deployment), so the refusal above is about scope.
TEST_F(MembershipSecurityScopeTest, UnscopedRegistrarMayMoveACountyToTheRoot) {
  std::unique_ptr<Stub> registrar =
      server_.StubWithToken(MintTestToken({"registrar"}, 0, "registrar-all"));
  mv1::UpdateOrgRequest move;
  move.set_request_id(NewRequestId());
  move.mutable_org()->set_org_id(county_);
  move.mutable_org()->set_parent_id(0);
  move.mutable_update_mask()->add_paths("parent_id");
  mv1::UpdateOrgResponse resp;
  grpc::Status status = Call(*registrar, &Stub::UpdateOrg, move, &resp);
  ASSERT_TRUE(status.ok()) << status.error_code() << ": "
                           << status.error_message();
  EXPECT_EQ(resp.org().parent_id(), 0);
  EXPECT_TRUE(resp.org().ancestor_ids().empty());
  EXPECT_EQ(MustGetOrg(server_, a_).ancestor_ids_size(), 1);
}

// ------------------------------------------------------- global and streams

TEST_F(MembershipSecurityScopeTest, WatchEventsIsRefusedToAScopedToken) {
  // Even an admin token limited to A: the feed covers the whole system.
  for (const std::string role : {"registrar", "admin", "service"}) {
    std::unique_ptr<Stub> stub =
        server_.StubWithToken(MintTestToken({role}, a_, "scoped-" + role));
    grpc::ClientContext context;
    context.set_deadline(Deadline(15));
    mv1::WatchEventsRequest request;
    auto reader = stub->WatchEvents(&context, request);
    mv1::WatchEventsResponse event;
    EXPECT_FALSE(reader->Read(&event))
        << role << " got " << event.DebugString();
    EXPECT_EQ(reader->Finish().error_code(),
              grpc::StatusCode::PERMISSION_DENIED)
        << role;
  }
}

TEST_F(MembershipSecurityScopeTest, ScopedAdminIsStillLimitedToTheScope) {
  std::unique_ptr<Stub> admin_a =
      server_.StubWithToken(MintTestToken({"admin"}, a_, "admin-a"));
  mv1::GetMemberRequest get;
  get.set_member_id(mb_.member_id());
  mv1::GetMemberResponse member;
  EXPECT_EQ(Call(*admin_a, &Stub::GetMember, get, &member).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  get.set_member_id(ma_.member_id());
  EXPECT_TRUE(Call(*admin_a, &Stub::GetMember, get, &member).ok());

  std::unique_ptr<cv1::AuditTrailService::Stub> audit =
      cv1::AuditTrailService::NewStub(
          server_.Channel(MintTestToken({"auditor"}, a_, "auditor-a")));
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  cv1::ListAuditTrailRequest req;
  cv1::ListAuditTrailResponse resp;
  EXPECT_EQ(audit->ListAuditTrail(&context, req, &resp).error_code(),
            grpc::StatusCode::PERMISSION_DENIED)
      << "the audit trail is global: a scoped auditor may not read it";
  EXPECT_EQ(resp.records_size(), 0);
}

TEST_F(MembershipSecurityScopeTest, ImportRejectsTheRowsOfBAndJoinsThoseOfA) {
  const std::string mb_before =
      Count(server_, "members", absl::StrCat("org_id = ", gb1_));
  mv1::ImportHeader header;
  header.set_request_id(NewRequestId());
  header.set_default_org_id(ga1_);
  mv1::Member in_b1 = Person(gb1_, 11);
  mv1::Member in_a_default = Person(0, 12);
  mv1::Member in_a2 = Person(ga2_, 13);
  mv1::Member in_b2 = Person(gb1_, 14);
  mv1::ImportMembersResponse resp;
  grpc::Status status =
      Import(registrar(), header, {in_b1, in_a_default, in_a2, in_b2}, &resp);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(resp.results_size(), 4) << resp.DebugString();
  EXPECT_EQ(resp.rows_joined(), 2);
  EXPECT_EQ(resp.rows_rejected(), 2);
  for (int row : {0, 3}) {
    const mv1::ImportRowResult& r = resp.results(row);
    EXPECT_EQ(r.outcome(), mv1::IMPORT_OUTCOME_REJECTED) << r.DebugString();
    EXPECT_EQ(r.error_code(), "PERMISSION_DENIED") << r.DebugString();
    EXPECT_THAT(r.bad_fields(), Contains("member.org_id"));
    EXPECT_EQ(r.member_id(), 0);
  }
  for (int row : {1, 2}) {
    const mv1::ImportRowResult& r = resp.results(row);
    EXPECT_EQ(r.outcome(), mv1::IMPORT_OUTCOME_JOINED) << r.DebugString();
    EXPECT_GT(r.member_id(), 0);
  }
  EXPECT_EQ(MustGetMember(server_, resp.results(1).member_id()).org_id(), ga1_);
  EXPECT_EQ(MustGetMember(server_, resp.results(2).member_id()).org_id(), ga2_);
  // Nobody joined B.
  EXPECT_EQ(Count(server_, "members", absl::StrCat("org_id = ", gb1_)),
            mb_before);
  for (const mv1::Member& person : {in_b1, in_b2}) {
    mv1::LookupMemberRequest lookup;
    lookup.set_national_id(person.national_id());
    mv1::LookupMemberResponse found;
    EXPECT_EQ(
        Call(server_.stub(), &Stub::LookupMember, lookup, &found).error_code(),
        grpc::StatusCode::NOT_FOUND);
  }
  EXPECT_EQ(
      AuditRows(server_, kRegistrarA, MembershipMethod("ImportMembers"), "OK"),
      1);
}

TEST_F(MembershipSecurityScopeTest, ImportIntoADefaultOrgOfBIsRefused) {
  const std::string before = StateFingerprint(server_);
  mv1::ImportHeader header;
  header.set_request_id(NewRequestId());
  header.set_default_org_id(gb1_);
  mv1::ImportMembersResponse resp;
  grpc::Status status =
      Import(registrar(), header, {Person(0, 11), Person(0, 12)}, &resp);
  ExpectRefused(status, before, "ImportMembers", true);
  EXPECT_EQ(resp.rows_joined(), 0);
}

TEST_F(MembershipSecurityScopeTest, TokenScopedToAMissingOrgIsRefused) {
  std::unique_ptr<Stub> nowhere = server_.StubWithToken(
      MintTestToken({"registrar"}, 987654, "registrar-nowhere"));
  const std::string before = StateFingerprint(server_);
  mv1::GetOrgRequest get;
  get.set_org_id(ga1_);
  mv1::GetOrgResponse org;
  grpc::Status status = Call(*nowhere, &Stub::GetOrg, get, &org);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED)
      << status.error_message();
  EXPECT_FALSE(org.has_org());

  mv1::JoinMemberResponse joined;
  status =
      Call(*nowhere, &Stub::JoinMember, JoinRequest(Person(ga1_, 3)), &joined);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED)
      << status.error_message();
  EXPECT_EQ(StateFingerprint(server_), before);
  EXPECT_EQ(AuditRows(server_, "registrar-nowhere",
                      MembershipMethod("JoinMember"), "PERMISSION_DENIED"),
            1);
}

// One person, one membership: joining someone already ACTIVE in B is refused
// either way, but the refusal must not tell a registrar of A where in B the
// person is (org name, org id, member id): a lookup of the same person is
// PERMISSION_DENIED for exactly that reason.
TEST_F(MembershipSecurityScopeTest,
       JoiningAPersonActiveInBRevealsNothingAboutB) {
  const std::string before = StateFingerprint(server_);
  mv1::Member again = Person(ga1_, 2);
  ASSERT_EQ(again.national_id(), mb_.national_id());
  mv1::JoinMemberResponse resp;
  grpc::Status status =
      Call(registrar(), &Stub::JoinMember, JoinRequest(again), &resp);
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(StateFingerprint(server_), before);
  EXPECT_FALSE(resp.has_member());
  EXPECT_THAT(status.error_message(), Not(HasSubstr("王营砖瓦厂工会")));
  EXPECT_THAT(status.error_message(),
              Not(HasSubstr(absl::StrCat("org ", gb1_))));
  EXPECT_THAT(status.error_message(),
              Not(HasSubstr(absl::StrCat("member ", mb_.member_id()))));

  // The same through a collective registration.
  mv1::ImportHeader header;
  header.set_request_id(NewRequestId());
  header.set_default_org_id(ga1_);
  mv1::ImportMembersResponse imported;
  status = Import(registrar(), header, {Person(0, 2)}, &imported);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(imported.results_size(), 1);
  const mv1::ImportRowResult& row = imported.results(0);
  EXPECT_EQ(row.outcome(), mv1::IMPORT_OUTCOME_REJECTED);
  EXPECT_THAT(row.error_message(), Not(HasSubstr("王营砖瓦厂工会")));
  EXPECT_THAT(row.error_message(), Not(HasSubstr(absl::StrCat("org ", gb1_))));
  EXPECT_THAT(row.error_message(),
              Not(HasSubstr(absl::StrCat("member ", mb_.member_id()))));
}

}  // namespace
}  // namespace unionhub::testing
