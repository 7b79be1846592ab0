// Existence oracle: a token limited to a subtree must not learn what exists
// outside it. For every path a registrar scoped to township A can name an
// id or key on, asking for something that exists in township B and asking
// for something that exists nowhere give the same code (PERMISSION_DENIED)
// and the same text (up to the id the caller itself sent), naming nothing
// of B. An unscoped caller still gets NOT_FOUND for what does not exist.
//
//   city ─ county ─┬─ township A ─┬─ ga1 (member ma)
//                  │              └─ ga2
//                  └─ township B ─── gb1 (members mb, and others)
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "tests/service/membership_helpers.h"
#include "tests/service/membership_security_helpers.h"
#include "tests/service/membership_two_townships.h"
#include "tests/support/membership_fixture.h"

namespace unionhub::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr int64_t kAbsent = 987654321;

class MembershipSecurityOracleTest : public TwoTownshipsTest {
 protected:
  MembershipSecurityOracleTest()
      : TwoTownshipsTest("secoracle", "registrar-a") {}

  // `call` made for an id that exists outside the scope and for one that
  // exists nowhere: refused alike, with nothing of B in the text.
  void ExpectSameRefusal(const std::string& what,
                         const std::function<grpc::Status(int64_t)>& call,
                         int64_t elsewhere, int64_t absent = kAbsent) {
    SCOPED_TRACE(what);
    const std::string before = StateFingerprint(server_);
    const grpc::Status out = call(elsewhere);
    const grpc::Status none = call(absent);
    EXPECT_EQ(out.error_code(), grpc::StatusCode::PERMISSION_DENIED)
        << out.error_message();
    EXPECT_EQ(none.error_code(), out.error_code())
        << "absent: " << none.error_message()
        << "\nelsewhere: " << out.error_message();
    // The only difference allowed is the id the caller sent.
    EXPECT_EQ(absl::StrReplaceAll(none.error_message(),
                                  {{absl::StrCat(absent), "<id>"}}),
              absl::StrReplaceAll(out.error_message(),
                                  {{absl::StrCat(elsewhere), "<id>"}}));
    ExpectNothingOfB(out.error_message(), elsewhere);
    EXPECT_EQ(StateFingerprint(server_), before);
  }

  // Names, and org ids other than the one the caller sent, of B's side.
  void ExpectNothingOfB(const std::string& message, int64_t sent = 0) {
    EXPECT_THAT(message, Not(HasSubstr("王营")));
    for (int64_t id : {b_, gb1_, county_, city_}) {
      if (id == sent) continue;
      EXPECT_THAT(message, Not(HasSubstr(absl::StrCat("org ", id))));
    }
    EXPECT_THAT(message, Not(HasSubstr(mb_.national_id())));
  }
};

TEST_F(MembershipSecurityOracleTest, MemberIdsOutsideOrAbsentLookAlike) {
  ExpectSameRefusal(
      "GetMember",
      [&](int64_t id) {
        mv1::GetMemberRequest req;
        req.set_member_id(id);
        mv1::GetMemberResponse resp;
        return Call(registrar(), &Stub::GetMember, req, &resp);
      },
      mb_.member_id());
  ExpectSameRefusal(
      "GetMemberHistory",
      [&](int64_t id) {
        mv1::GetMemberHistoryRequest req;
        req.set_member_id(id);
        mv1::GetMemberHistoryResponse resp;
        return Call(registrar(), &Stub::GetMemberHistory, req, &resp);
      },
      mb_.member_id());
  ExpectSameRefusal(
      "UpdateMember",
      [&](int64_t id) {
        mv1::UpdateMemberRequest req;
        req.set_request_id(NewRequestId());
        req.mutable_member()->set_member_id(id);
        req.mutable_member()->set_mobile("13912345678");
        req.mutable_update_mask()->add_paths("mobile");
        mv1::UpdateMemberResponse resp;
        return Call(registrar(), &Stub::UpdateMember, req, &resp);
      },
      mb_.member_id());
  ExpectSameRefusal(
      "ChangeMemberStatus",
      [&](int64_t id) {
        mv1::ChangeMemberStatusResponse resp;
        return Call(registrar(), &Stub::ChangeMemberStatus,
                    StatusRequest(id, mv1::MEMBER_STATUS_LEFT), &resp);
      },
      mb_.member_id());
  ExpectSameRefusal(
      "TransferMember (member)",
      [&](int64_t id) {
        mv1::TransferMemberRequest req;
        req.set_request_id(NewRequestId());
        req.set_member_id(id);
        req.set_to_org_id(ga2_);
        mv1::TransferMemberResponse resp;
        return Call(registrar(), &Stub::TransferMember, req, &resp);
      },
      mb_.member_id());
}

TEST_F(MembershipSecurityOracleTest, OrgIdsOutsideOrAbsentLookAlike) {
  ExpectSameRefusal(
      "TransferMember (to_org_id)",
      [&](int64_t id) {
        mv1::TransferMemberRequest req;
        req.set_request_id(NewRequestId());
        req.set_member_id(ma_.member_id());
        req.set_to_org_id(id);
        mv1::TransferMemberResponse resp;
        return Call(registrar(), &Stub::TransferMember, req, &resp);
      },
      gb1_);
  ExpectSameRefusal(
      "JoinMember",
      [&](int64_t id) {
        mv1::JoinMemberResponse resp;
        return Call(registrar(), &Stub::JoinMember, JoinRequest(Person(id, 30)),
                    &resp);
      },
      gb1_);
  ExpectSameRefusal(
      "ListMembers",
      [&](int64_t id) {
        mv1::ListMembersRequest req;
        req.set_org_id(id);
        mv1::ListMembersResponse resp;
        return Call(registrar(), &Stub::ListMembers, req, &resp);
      },
      b_);
  ExpectSameRefusal(
      "GetOrg",
      [&](int64_t id) {
        mv1::GetOrgRequest req;
        req.set_org_id(id);
        mv1::GetOrgResponse resp;
        return Call(registrar(), &Stub::GetOrg, req, &resp);
      },
      gb1_);
  ExpectSameRefusal(
      "ListOrgs",
      [&](int64_t id) {
        mv1::ListOrgsRequest req;
        req.set_parent_id(id);
        mv1::ListOrgsResponse resp;
        return Call(registrar(), &Stub::ListOrgs, req, &resp);
      },
      b_);
  ExpectSameRefusal(
      "GetCoverage",
      [&](int64_t id) {
        mv1::GetCoverageRequest req;
        req.set_org_id(id);
        mv1::GetCoverageResponse resp;
        return Call(registrar(), &Stub::GetCoverage, req, &resp);
      },
      b_);
  ExpectSameRefusal(
      "ListEmployers",
      [&](int64_t id) {
        mv1::ListEmployersRequest req;
        req.set_org_id(id);
        mv1::ListEmployersResponse resp;
        return Call(registrar(), &Stub::ListEmployers, req, &resp);
      },
      b_);
  ExpectSameRefusal(
      "UpdateOrg",
      [&](int64_t id) {
        mv1::UpdateOrgRequest req;
        req.set_request_id(NewRequestId());
        req.mutable_org()->set_org_id(id);
        req.mutable_org()->set_name("改名镇");
        req.mutable_update_mask()->add_paths("name");
        mv1::UpdateOrgResponse resp;
        return Call(registrar(), &Stub::UpdateOrg, req, &resp);
      },
      gb1_);
  ExpectSameRefusal(
      "UpdateOrg (parent_id)",
      [&](int64_t id) {
        mv1::UpdateOrgRequest req;
        req.set_request_id(NewRequestId());
        req.mutable_org()->set_org_id(ga2_);
        req.mutable_org()->set_parent_id(id);
        req.mutable_update_mask()->add_paths("parent_id");
        mv1::UpdateOrgResponse resp;
        return Call(registrar(), &Stub::UpdateOrg, req, &resp);
      },
      b_);
  ExpectSameRefusal(
      "EstablishOrg",
      [&](int64_t id) {
        mv1::EstablishOrgRequest req;
        req.set_request_id(NewRequestId());
        req.set_org_id(id);
        mv1::EstablishOrgResponse resp;
        return Call(registrar(), &Stub::EstablishOrg, req, &resp);
      },
      gb1_);
  ExpectSameRefusal(
      "DissolveOrg",
      [&](int64_t id) {
        mv1::DissolveOrgRequest req;
        req.set_request_id(NewRequestId());
        req.set_org_id(id);
        mv1::DissolveOrgResponse resp;
        return Call(registrar(), &Stub::DissolveOrg, req, &resp);
      },
      gb1_);
  ExpectSameRefusal(
      "CreateOrg",
      [&](int64_t id) {
        mv1::CreateOrgResponse resp;
        return Call(registrar(), &Stub::CreateOrg,
                    GrassrootsRequest(id, "新厂工会", 40, 30), &resp);
      },
      b_);
  ExpectSameRefusal(
      "CreateEmployer",
      [&](int64_t id) {
        mv1::CreateEmployerRequest req;
        req.set_request_id(NewRequestId());
        *req.mutable_employer() = EmployerRecord("未建会企业", 41, 40, id);
        mv1::CreateEmployerResponse resp;
        return Call(registrar(), &Stub::CreateEmployer, req, &resp);
      },
      b_);
}

// A lookup by national ID or card number: "no such member" and "a member
// of B" were NOT_FOUND and PERMISSION_DENIED ("org N is outside ..."), so
// any reader learnt who is a member and where.
TEST_F(MembershipSecurityOracleTest, LookupOfPeopleOutsideOrAbsentLooksAlike) {
  const std::string before = StateFingerprint(server_);
  auto lookup = [&](const mv1::LookupMemberRequest& req) {
    mv1::LookupMemberResponse resp;
    grpc::Status status = Call(registrar(), &Stub::LookupMember, req, &resp);
    EXPECT_FALSE(resp.has_member());
    return status;
  };
  mv1::LookupMemberRequest in_b, nobody;
  in_b.set_national_id(mb_.national_id());
  nobody.set_national_id(Person(0, 77).national_id());
  grpc::Status out = lookup(in_b);
  grpc::Status none = lookup(nobody);
  EXPECT_EQ(out.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(none.error_code(), out.error_code()) << none.error_message();
  EXPECT_EQ(none.error_message(), out.error_message());
  ExpectNothingOfB(out.error_message());

  in_b.set_card_number(mb_.card_number());
  nobody.set_card_number("00000000000000");
  out = lookup(in_b);
  none = lookup(nobody);
  EXPECT_EQ(out.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(none.error_code(), out.error_code()) << none.error_message();
  EXPECT_EQ(none.error_message(), out.error_message());
  ExpectNothingOfB(out.error_message());
  EXPECT_EQ(StateFingerprint(server_), before);

  // Inside the scope the lookup still works.
  mv1::LookupMemberRequest in_a;
  in_a.set_card_number(ma_.card_number());
  mv1::LookupMemberResponse found;
  ASSERT_TRUE(Call(registrar(), &Stub::LookupMember, in_a, &found).ok());
  EXPECT_EQ(found.member().member_id(), ma_.member_id());
}

// Joining someone already registered in B cannot succeed, but the refusal
// is one text whatever their status there (ACTIVE, DECEASED and EXPELLED
// were three different answers), and names nothing of B.
TEST_F(MembershipSecurityOracleTest, JoiningAPersonOfBRevealsNotTheirStatus) {
  const mv1::Member dead = MustJoin(server_, Person(gb1_, 3), "2024-01-10");
  const mv1::Member expelled = MustJoin(server_, Person(gb1_, 5), "2024-01-10");
  ASSERT_TRUE(
      ChangeStatus(server_, dead.member_id(), mv1::MEMBER_STATUS_DECEASED)
          .ok());
  ASSERT_TRUE(
      ChangeStatus(server_, expelled.member_id(), mv1::MEMBER_STATUS_EXPELLED)
          .ok());
  const std::string before = StateFingerprint(server_);
  std::vector<grpc::Status> refusals;
  for (int seq : {2, 3, 5}) {
    mv1::JoinMemberResponse resp;
    refusals.push_back(Call(registrar(), &Stub::JoinMember,
                            JoinRequest(Person(ga1_, seq)), &resp));
    EXPECT_FALSE(resp.has_member());
  }
  for (const grpc::Status& s : refusals) {
    EXPECT_EQ(s.error_code(), refusals[0].error_code()) << s.error_message();
    EXPECT_EQ(s.error_message(), refusals[0].error_message());
    ExpectNothingOfB(s.error_message());
    EXPECT_THAT(s.error_message(), Not(HasSubstr("DECEASED")));
    EXPECT_THAT(s.error_message(), Not(HasSubstr("EXPELLED")));
    EXPECT_THAT(s.error_message(), Not(HasSubstr("ACTIVE")));
  }
  EXPECT_EQ(refusals[0].error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(StateFingerprint(server_), before);
}

// Collective registration: a row naming an org of B and one naming no org
// at all are rejected alike; so is a header default org of either kind.
TEST_F(MembershipSecurityOracleTest, ImportRowsOutsideOrAbsentLookAlike) {
  mv1::ImportHeader header;
  header.set_request_id(NewRequestId());
  header.set_default_org_id(ga1_);
  mv1::ImportMembersResponse resp;
  grpc::Status status = Import(registrar(), header,
                               {Person(gb1_, 21), Person(kAbsent, 22)}, &resp);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(resp.results_size(), 2) << resp.DebugString();
  const mv1::ImportRowResult& out = resp.results(0);
  const mv1::ImportRowResult& none = resp.results(1);
  EXPECT_EQ(out.error_code(), "PERMISSION_DENIED");
  EXPECT_EQ(none.error_code(), out.error_code()) << none.DebugString();
  EXPECT_EQ(
      absl::StrReplaceAll(none.error_message(),
                          {{absl::StrCat(kAbsent), "<id>"}}),
      absl::StrReplaceAll(out.error_message(), {{absl::StrCat(gb1_), "<id>"}}));
  EXPECT_EQ(resp.rows_joined(), 0);

  ExpectSameRefusal(
      "ImportMembers (default_org_id)",
      [&](int64_t id) {
        mv1::ImportHeader h;
        h.set_request_id(NewRequestId());
        h.set_default_org_id(id);
        mv1::ImportMembersResponse r;
        return Import(registrar(), h, {Person(0, 23)}, &r);
      },
      gb1_);
}

// The rule is for scoped callers: an unscoped one is told what is missing.
TEST_F(MembershipSecurityOracleTest, UnscopedCallersStillGetNotFound) {
  std::unique_ptr<Stub> everywhere =
      server_.StubWithToken(MintTestToken({"registrar"}, 0, "registrar-all"));
  mv1::GetMemberRequest get;
  get.set_member_id(kAbsent);
  mv1::GetMemberResponse member;
  EXPECT_EQ(Call(*everywhere, &Stub::GetMember, get, &member).error_code(),
            grpc::StatusCode::NOT_FOUND);
  mv1::GetOrgRequest org;
  org.set_org_id(kAbsent);
  mv1::GetOrgResponse got;
  EXPECT_EQ(Call(*everywhere, &Stub::GetOrg, org, &got).error_code(),
            grpc::StatusCode::NOT_FOUND);
  mv1::LookupMemberRequest lookup;
  lookup.set_national_id(Person(0, 77).national_id());
  mv1::LookupMemberResponse found;
  EXPECT_EQ(Call(*everywhere, &Stub::LookupMember, lookup, &found).error_code(),
            grpc::StatusCode::NOT_FOUND);
  // What is inside the scope reads as before.
  get.set_member_id(ma_.member_id());
  EXPECT_TRUE(Call(registrar(), &Stub::GetMember, get, &member).ok());
}

}  // namespace
}  // namespace unionhub::testing
