// A membership over time, over real gRPC: transfers, the status state
// machine with its effective dates, and listing members with filters and
// stable pagination.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/core/violations.h"
#include "common/rpc/status.h"
#include "tests/service/membership_helpers.h"
#include "tests/support/membership_fixture.h"

namespace unionhub::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

class MemberLifecycleTest : public ::testing::Test {
 protected:
  MemberLifecycleTest() : server_("lifecycle") {
    county_ = MustCreateOrg(server_, mv1::ORG_TYPE_COUNTY_FEDERATION, 0,
                            "清河县总工会");
    town_ = MustCreateOrg(server_, mv1::ORG_TYPE_TOWNSHIP_UNION,
                          county_.org_id(), "城关镇");
    g1_ = MustCreateGrassroots(server_, town_.org_id(), "机械厂工会", 1, 100);
    g2_ = MustCreateGrassroots(server_, town_.org_id(), "纺织厂工会", 2, 80);
  }

  grpc::Status Transfer(int64_t member_id, int64_t to_org,
                        mv1::TransferMemberResponse* resp,
                        const std::string& effective_on = "") {
    mv1::TransferMemberRequest req;
    req.set_request_id(NewRequestId());
    req.set_member_id(member_id);
    req.set_to_org_id(to_org);
    req.set_effective_on(effective_on);
    req.set_reason("调动工作");
    return Call(server_.stub(), &Stub::TransferMember, req, resp);
  }

  mv1::MemberStatus StatusOf(int64_t member_id) {
    return MustGetMember(server_, member_id).status();
  }

  MembershipServer server_;
  mv1::Org county_, town_, g1_, g2_;
};

TEST_F(MemberLifecycleTest, TransferKeepsJoinDateAndCard) {
  mv1::Member m = MustJoin(server_, Person(g1_.org_id(), 1), "2024-01-10");
  mv1::TransferMemberResponse resp;
  grpc::Status status =
      Transfer(m.member_id(), g2_.org_id(), &resp, "2024-05-01");
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(resp.member().org_id(), g2_.org_id());
  EXPECT_EQ(resp.member().joined_on(), "2024-01-10");
  EXPECT_EQ(resp.member().card_number(), m.card_number());
  EXPECT_EQ(resp.member().member_id(), m.member_id());
  EXPECT_EQ(resp.member().status(), mv1::MEMBER_STATUS_ACTIVE);
  EXPECT_EQ(MustGetMember(server_, m.member_id()).org_id(), g2_.org_id());

  mv1::GetMemberHistoryRequest hreq;
  hreq.set_member_id(m.member_id());
  mv1::GetMemberHistoryResponse history;
  ASSERT_TRUE(
      Call(server_.stub(), &Stub::GetMemberHistory, hreq, &history).ok());
  ASSERT_EQ(history.entries_size(), 2);
  const mv1::HistoryEntry& moved = history.entries(1);
  EXPECT_EQ(moved.kind(), mv1::HISTORY_KIND_TRANSFERRED);
  EXPECT_EQ(moved.from_org_id(), g1_.org_id());
  EXPECT_EQ(moved.to_org_id(), g2_.org_id());
  EXPECT_EQ(moved.effective_on(), "2024-05-01");
  EXPECT_EQ(moved.reason(), "调动工作");

  // Refusals change nothing.
  EXPECT_EQ(Transfer(m.member_id(), county_.org_id(), &resp).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Transfer(m.member_id(), g2_.org_id(), &resp).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Transfer(m.member_id(), 999, &resp).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Transfer(999, g1_.org_id(), &resp).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(
      Transfer(m.member_id(), g1_.org_id(), &resp, "2024-04-01").error_code(),
      grpc::StatusCode::FAILED_PRECONDITION);  // before the last change
  mv1::TransferMemberRequest empty;
  grpc::Status bad = Call(server_.stub(), &Stub::TransferMember, empty, &resp);
  EXPECT_THAT(BadFields(bad),
              UnorderedElementsAre("request_id", "member_id", "to_org_id"));
  EXPECT_EQ(MustGetMember(server_, m.member_id()).org_id(), g2_.org_id());
  EXPECT_EQ(Count(server_, "member_history"), "2");

  // The township holds a member whose new employer has no union.
  status = Transfer(m.member_id(), town_.org_id(), &resp, "2024-06-01");
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(resp.member().org_id(), town_.org_id());
  EXPECT_EQ(resp.member().joined_on(), "2024-01-10");
}

TEST_F(MemberLifecycleTest, RetainedNeedsAReason) {
  mv1::Member m = MustJoin(server_, Person(g1_.org_id(), 1), "2024-01-10");
  grpc::Status status =
      ChangeStatus(server_, m.member_id(), mv1::MEMBER_STATUS_RETAINED);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadFields(status), ElementsAre("retained_reason"));
  // ... and a reason only goes with RETAINED.
  status = ChangeStatus(server_, m.member_id(), mv1::MEMBER_STATUS_LEFT, "",
                        mv1::RETAINED_REASON_RETIRED);
  EXPECT_THAT(BadFields(status), ElementsAre("retained_reason"));
  EXPECT_EQ(StatusOf(m.member_id()), mv1::MEMBER_STATUS_ACTIVE);

  mv1::ChangeMemberStatusResponse resp;
  status = ChangeStatus(server_, m.member_id(), mv1::MEMBER_STATUS_RETAINED,
                        "2024-03-01", mv1::RETAINED_REASON_RETIRED, &resp);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(resp.member().status(), mv1::MEMBER_STATUS_RETAINED);
  EXPECT_EQ(resp.member().retained_reason(), mv1::RETAINED_REASON_RETIRED);
  EXPECT_EQ(resp.member().status_since(), "2024-03-01");
  EXPECT_EQ(resp.member().card_number(), m.card_number());
}

TEST_F(MemberLifecycleTest, TheStateMachineIsEnforced) {
  mv1::Member a = MustJoin(server_, Person(g1_.org_id(), 1), "2024-01-10");
  mv1::Member b = MustJoin(server_, Person(g1_.org_id(), 3), "2024-01-10");
  const auto code = [&](int64_t id, mv1::MemberStatus to,
                        mv1::RetainedReason reason =
                            mv1::RETAINED_REASON_UNSPECIFIED) {
    return ChangeStatus(server_, id, to, "", reason).error_code();
  };
  const grpc::StatusCode kOk = grpc::StatusCode::OK;
  const grpc::StatusCode kRefused = grpc::StatusCode::FAILED_PRECONDITION;

  EXPECT_EQ(code(a.member_id(), mv1::MEMBER_STATUS_ACTIVE), kRefused);
  EXPECT_EQ(code(a.member_id(), mv1::MEMBER_STATUS_RETAINED,
                 mv1::RETAINED_REASON_LAID_OFF),
            kOk);
  EXPECT_EQ(code(a.member_id(), mv1::MEMBER_STATUS_LAPSED), kRefused);
  EXPECT_EQ(code(a.member_id(), mv1::MEMBER_STATUS_ACTIVE), kOk);
  EXPECT_EQ(code(a.member_id(), mv1::MEMBER_STATUS_LAPSED), kOk);
  EXPECT_EQ(code(a.member_id(), mv1::MEMBER_STATUS_RETAINED,
                 mv1::RETAINED_REASON_UNEMPLOYED),
            kRefused);
  EXPECT_EQ(code(a.member_id(), mv1::MEMBER_STATUS_LEFT), kOk);
  EXPECT_EQ(code(a.member_id(), mv1::MEMBER_STATUS_ACTIVE), kRefused);
  EXPECT_EQ(code(a.member_id(), mv1::MEMBER_STATUS_EXPELLED), kRefused);
  EXPECT_EQ(StatusOf(a.member_id()), mv1::MEMBER_STATUS_LEFT);

  EXPECT_EQ(code(b.member_id(), mv1::MEMBER_STATUS_DECEASED), kOk);
  for (mv1::MemberStatus to :
       {mv1::MEMBER_STATUS_ACTIVE, mv1::MEMBER_STATUS_LEFT,
        mv1::MEMBER_STATUS_EXPELLED, mv1::MEMBER_STATUS_LAPSED}) {
    EXPECT_EQ(code(b.member_id(), to), kRefused) << to;
  }
  EXPECT_EQ(StatusOf(b.member_id()), mv1::MEMBER_STATUS_DECEASED);
  // A deceased member's record is closed to transfers and updates too.
  mv1::TransferMemberResponse moved;
  EXPECT_EQ(Transfer(b.member_id(), g2_.org_id(), &moved).error_code(),
            kRefused);

  EXPECT_EQ(code(999, mv1::MEMBER_STATUS_LEFT), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(code(a.member_id(), mv1::MEMBER_STATUS_UNSPECIFIED),
            grpc::StatusCode::INVALID_ARGUMENT);

  // Every accepted change is in the history, oldest first.
  EXPECT_THAT(
      HistoryKinds(server_, a.member_id()),
      ElementsAre(mv1::HISTORY_KIND_JOINED, mv1::HISTORY_KIND_STATUS_CHANGED,
                  mv1::HISTORY_KIND_STATUS_CHANGED,
                  mv1::HISTORY_KIND_STATUS_CHANGED,
                  mv1::HISTORY_KIND_STATUS_CHANGED));
}

TEST_F(MemberLifecycleTest, EffectiveOnBeforeTheLastChangeIsRefused) {
  mv1::Member m = MustJoin(server_, Person(g1_.org_id(), 1), "2024-01-10");
  EXPECT_EQ(ChangeStatus(server_, m.member_id(), mv1::MEMBER_STATUS_LEFT,
                         "2024-01-05")
                .error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  ASSERT_TRUE(ChangeStatus(server_, m.member_id(), mv1::MEMBER_STATUS_RETAINED,
                           "2024-03-01", mv1::RETAINED_REASON_RETIRED)
                  .ok());
  EXPECT_EQ(ChangeStatus(server_, m.member_id(), mv1::MEMBER_STATUS_ACTIVE,
                         "2024-02-29")
                .error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  mv1::Member after = MustGetMember(server_, m.member_id());
  EXPECT_EQ(after.status(), mv1::MEMBER_STATUS_RETAINED);
  EXPECT_EQ(after.status_since(), "2024-03-01");
  // A date in the future is invalid input, not a precondition.
  grpc::Status future = ChangeStatus(server_, m.member_id(),
                                     mv1::MEMBER_STATUS_ACTIVE, "2999-01-01");
  EXPECT_THAT(BadFields(future), ElementsAre("effective_on"));
  EXPECT_EQ(Count(server_, "member_history"), "2");
}

TEST_F(MemberLifecycleTest, ListFiltersBySubtreeStatusAndCategory) {
  mv1::Org branch = MustCreateOrg(server_, mv1::ORG_TYPE_BRANCH_UNION,
                                  g1_.org_id(), "一车间分工会");
  mv1::Member p1 = Person(g1_.org_id(), 1);
  p1.set_front_line(true);
  mv1::Member a = MustJoin(server_, p1, "2024-01-10");
  mv1::Member b = MustJoin(server_, Person(g1_.org_id(), 2), "2024-01-10");
  mv1::Member p3 = Person(branch.org_id(), 3);
  p3.set_migrant_worker(true);
  p3.set_front_line(true);
  p3.set_model_worker_level(mv1::MODEL_WORKER_LEVEL_COUNTY);
  mv1::Member c = MustJoin(server_, p3, "2024-01-10");
  mv1::Member p4 = Person(g2_.org_id(), 4);
  p4.set_enterprise_leader(true);
  p4.set_model_worker_level(mv1::MODEL_WORKER_LEVEL_PROVINCIAL);
  mv1::Member d = MustJoin(server_, p4, "2024-01-10");
  mv1::Member e = MustJoin(server_, Person(town_.org_id(), 5), "2024-01-10");
  ASSERT_TRUE(ChangeStatus(server_, b.member_id(), mv1::MEMBER_STATUS_LEFT,
                           "2024-02-01")
                  .ok());

  const auto list = [&](mv1::ListMembersRequest req) {
    mv1::ListMembersResponse resp;
    grpc::Status status = Call(server_.stub(), &Stub::ListMembers, req, &resp);
    EXPECT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(resp.next_page_token(), "");
    return MemberIds(resp);
  };
  mv1::ListMembersRequest req;
  req.set_org_id(g1_.org_id());
  EXPECT_THAT(list(req),
              ElementsAre(a.member_id(), b.member_id(), c.member_id()));
  req.set_direct_only(true);
  EXPECT_THAT(list(req), ElementsAre(a.member_id(), b.member_id()));
  req.set_status(mv1::MEMBER_STATUS_ACTIVE);
  EXPECT_THAT(list(req), ElementsAre(a.member_id()));

  mv1::ListMembersRequest all;
  all.set_org_id(county_.org_id());
  EXPECT_THAT(list(all),
              ElementsAre(a.member_id(), b.member_id(), c.member_id(),
                          d.member_id(), e.member_id()));
  mv1::ListMembersRequest town_only = all;
  town_only.set_org_id(town_.org_id());
  town_only.set_direct_only(true);
  EXPECT_THAT(list(town_only), ElementsAre(e.member_id()));
  mv1::ListMembersRequest left = all;
  left.set_status(mv1::MEMBER_STATUS_LEFT);
  EXPECT_THAT(list(left), ElementsAre(b.member_id()));
  mv1::ListMembersRequest front = all;
  front.set_front_line_only(true);
  EXPECT_THAT(list(front), ElementsAre(a.member_id(), c.member_id()));
  mv1::ListMembersRequest migrant = all;
  migrant.set_migrant_worker_only(true);
  EXPECT_THAT(list(migrant), ElementsAre(c.member_id()));
  mv1::ListMembersRequest leader = all;
  leader.set_enterprise_leader_only(true);
  EXPECT_THAT(list(leader), ElementsAre(d.member_id()));
  mv1::ListMembersRequest model = all;
  model.set_min_model_worker_level(mv1::MODEL_WORKER_LEVEL_COUNTY);
  EXPECT_THAT(list(model), ElementsAre(c.member_id(), d.member_id()));
  model.set_min_model_worker_level(mv1::MODEL_WORKER_LEVEL_CITY);
  EXPECT_THAT(list(model), ElementsAre(d.member_id()));
  mv1::ListMembersRequest g2_members = all;
  g2_members.set_org_id(g2_.org_id());
  g2_members.set_front_line_only(true);
  EXPECT_THAT(list(g2_members), IsEmpty());

  mv1::ListMembersRequest missing;
  missing.set_org_id(999);
  mv1::ListMembersResponse resp;
  EXPECT_EQ(
      Call(server_.stub(), &Stub::ListMembers, missing, &resp).error_code(),
      grpc::StatusCode::NOT_FOUND);
}

TEST_F(MemberLifecycleTest, ListFiltersByNamePrefixWithinTheOrg) {
  const auto join = [&](int64_t org, int seq, const std::string& name) {
    mv1::Member p = Person(org, seq);
    p.set_name(name);
    return MustJoin(server_, p, "2024-01-10");
  };
  mv1::Member a = join(g1_.org_id(), 1, "王建国");
  mv1::Member b = join(g1_.org_id(), 2, "王芳");
  mv1::Member c = join(g2_.org_id(), 3, "王建军");
  join(g1_.org_id(), 4, "李娜");
  mv1::Member e = join(g1_.org_id(), 5, "汪%伟");
  const auto list = [&](int64_t org, const std::string& name) {
    mv1::ListMembersRequest req;
    req.set_org_id(org);
    req.set_name(name);
    mv1::ListMembersResponse resp;
    grpc::Status status = Call(server_.stub(), &Stub::ListMembers, req, &resp);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return MemberIds(resp);
  };
  EXPECT_THAT(list(town_.org_id(), "王"),
              ElementsAre(a.member_id(), b.member_id(), c.member_id()));
  EXPECT_THAT(list(town_.org_id(), "王建"),
              ElementsAre(a.member_id(), c.member_id()));
  // Only inside the org asked for (the gate holds that org to the
  // caller's scope).
  EXPECT_THAT(list(g1_.org_id(), "王"),
              ElementsAre(a.member_id(), b.member_id()));
  EXPECT_THAT(list(g2_.org_id(), "王芳"), IsEmpty());
  // A whole name is its own prefix; LIKE's wildcards are plain text.
  EXPECT_THAT(list(town_.org_id(), "王芳"), ElementsAre(b.member_id()));
  EXPECT_THAT(list(town_.org_id(), "%"), IsEmpty());
  EXPECT_THAT(list(town_.org_id(), "_"), IsEmpty());
  EXPECT_THAT(list(town_.org_id(), "汪%"), ElementsAre(e.member_id()));

  // A name with digits, or longer than a name can be, is refused by the
  // name rule, with its reason for clients to translate.
  for (const std::string& bad : {std::string("王1"), std::string(51, 'x')}) {
    mv1::ListMembersRequest req;
    req.set_org_id(town_.org_id());
    req.set_name(bad);
    mv1::ListMembersResponse resp;
    grpc::Status status = Call(server_.stub(), &Stub::ListMembers, req, &resp);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    std::vector<FieldViolation> v = ViolationsOf(rpc::FromGrpcStatus(status));
    ASSERT_EQ(v.size(), 1u);
    EXPECT_EQ(v[0].field, "name");
    EXPECT_EQ(v[0].reason, bad.size() > 50 ? "TEXT_TOO_LONG" : "TEXT_DIGITS");
  }
}

TEST_F(MemberLifecycleTest, PagesConcatenateToTheWholeList) {
  for (int i = 0; i < 7; ++i) {
    MustJoin(server_, Person(i % 2 == 0 ? g1_.org_id() : g2_.org_id(), i + 1));
  }
  mv1::ListMembersRequest big;
  big.set_org_id(town_.org_id());
  big.set_page_size(100);
  mv1::ListMembersResponse whole;
  ASSERT_TRUE(Call(server_.stub(), &Stub::ListMembers, big, &whole).ok());
  ASSERT_EQ(whole.members_size(), 7);
  EXPECT_EQ(whole.next_page_token(), "");

  mv1::ListMembersRequest req;
  req.set_org_id(town_.org_id());
  req.set_page_size(3);
  std::vector<int64_t> paged;
  std::vector<int> sizes;
  std::string first_token;
  for (int page = 0; page < 10; ++page) {
    mv1::ListMembersResponse resp;
    grpc::Status status = Call(server_.stub(), &Stub::ListMembers, req, &resp);
    ASSERT_TRUE(status.ok()) << status.error_message();
    sizes.push_back(resp.members_size());
    for (int64_t id : MemberIds(resp)) paged.push_back(id);
    if (page == 0) first_token = resp.next_page_token();
    if (resp.next_page_token().empty()) break;
    req.set_page_token(resp.next_page_token());
  }
  EXPECT_THAT(sizes, ElementsAre(3, 3, 1));
  EXPECT_THAT(paged, ElementsAreArray(MemberIds(whole)));

  // Members joining while a client pages do not shift the pages: nothing
  // is repeated or skipped, and the newcomers come last.
  mv1::ListMembersRequest again;
  again.set_org_id(town_.org_id());
  again.set_page_size(3);
  mv1::ListMembersResponse page1;
  ASSERT_TRUE(Call(server_.stub(), &Stub::ListMembers, again, &page1).ok());
  mv1::Member late1 = MustJoin(server_, Person(g1_.org_id(), 21));
  mv1::Member late2 = MustJoin(server_, Person(g2_.org_id(), 23));
  std::vector<int64_t> during = MemberIds(page1);
  again.set_page_token(page1.next_page_token());
  for (int page = 0; page < 10 && !again.page_token().empty(); ++page) {
    mv1::ListMembersResponse resp;
    ASSERT_TRUE(Call(server_.stub(), &Stub::ListMembers, again, &resp).ok());
    for (int64_t id : MemberIds(resp)) during.push_back(id);
    again.set_page_token(resp.next_page_token());
  }
  std::vector<int64_t> expected = MemberIds(whole);
  expected.push_back(late1.member_id());
  expected.push_back(late2.member_id());
  EXPECT_THAT(during, ElementsAreArray(expected));

  // A page token from one filter is refused under another.
  mv1::ListMembersRequest other;
  other.set_org_id(town_.org_id());
  other.set_status(mv1::MEMBER_STATUS_ACTIVE);
  other.set_page_size(3);
  other.set_page_token(first_token);
  mv1::ListMembersResponse resp;
  grpc::Status status = Call(server_.stub(), &Stub::ListMembers, other, &resp);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadFields(status), ElementsAre("page_token"));
  other.set_status(mv1::MEMBER_STATUS_UNSPECIFIED);
  other.set_org_id(g1_.org_id());
  EXPECT_THAT(BadFields(Call(server_.stub(), &Stub::ListMembers, other, &resp)),
              ElementsAre("page_token"));
  // direct_only needs an org.
  mv1::ListMembersRequest direct;
  direct.set_direct_only(true);
  EXPECT_THAT(
      BadFields(Call(server_.stub(), &Stub::ListMembers, direct, &resp)),
      ElementsAre("direct_only"));
}

}  // namespace
}  // namespace unionhub::testing
