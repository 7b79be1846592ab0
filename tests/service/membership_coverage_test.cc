// GetCoverage (入会率 / 建会率) over real gRPC on a small tree whose every
// figure is known, today and as of earlier dates.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/service/membership_helpers.h"
#include "tests/support/membership_fixture.h"

namespace unionhub::testing {
namespace {

using ::testing::ElementsAre;

struct Figures {
  int64_t org_id;
  int64_t workers;
  int64_t members;
  int64_t employers;
  int64_t employers_with_union;
  int32_t membership_rate_bp;
  int32_t unionisation_rate_bp;
};

void ExpectFigures(const mv1::CoverageFigures& got, const Figures& want,
                   const std::string& what) {
  SCOPED_TRACE(what);
  EXPECT_EQ(got.org_id(), want.org_id);
  EXPECT_EQ(got.workers(), want.workers);
  EXPECT_EQ(got.members(), want.members);
  EXPECT_EQ(got.employers(), want.employers);
  EXPECT_EQ(got.employers_with_union(), want.employers_with_union);
  EXPECT_EQ(got.membership_rate_bp(), want.membership_rate_bp);
  EXPECT_EQ(got.unionisation_rate_bp(), want.unionisation_rate_bp);
}

// The tree (headcounts in brackets):
//
//   county C
//   ├── township T1
//   │   ├── G1 grassroots [100], established 2023-01-01
//   │   │     3 ACTIVE (joined 2024-01-10), 1 ACTIVE (joined 2024-06-01),
//   │   │     1 RETAINED since 2024-02-01, 1 LEFT since 2024-03-01
//   │   ├── G2 grassroots 筹备组 (PREPARING) [40]: 2 ACTIVE
//   │   └── E1 employer without a union [60]
//   ├── township T2
//   │   ├── G3 grassroots [12], established 2023-01-01: 4 ACTIVE
//   │   ├── E2 employer without a union [20]
//   │   └── 1 ACTIVE member held by T2 itself
//   ├── G4 grassroots [18], established 2024-04-01: no members
//   └── E3 employer without a union [50], located in C itself
//
// All members not otherwise dated joined on 2024-01-10.
class CoverageTest : public ::testing::Test {
 protected:
  CoverageTest() : server_("coverage") {
    c_ = MustCreateOrg(server_, mv1::ORG_TYPE_COUNTY_FEDERATION, 0,
                       "清河县总工会");
    t1_ = MustCreateOrg(server_, mv1::ORG_TYPE_TOWNSHIP_UNION, c_.org_id(),
                        "城关镇");
    t2_ = MustCreateOrg(server_, mv1::ORG_TYPE_TOWNSHIP_UNION, c_.org_id(),
                        "王营镇");
    g1_ = Grassroots(t1_.org_id(), "机械厂工会", 1, 100, false, "2023-01-01");
    g2_ = Grassroots(t1_.org_id(), "纺织厂筹备组", 2, 40, true, "");
    MustCreateEmployer(server_, t1_.org_id(), "五金店", 3, 60);
    g3_ = Grassroots(t2_.org_id(), "食品厂工会", 4, 12, false, "2023-01-01");
    MustCreateEmployer(server_, t2_.org_id(), "饭店", 5, 20);
    g4_ = Grassroots(c_.org_id(), "县医院工会", 6, 18, false, "2024-04-01");
    MustCreateEmployer(server_, c_.org_id(), "县直物流公司", 7, 50);

    int seq = 1;
    for (int i = 0; i < 3; ++i) Join(g1_, seq++, "2024-01-10");
    Join(g1_, seq++, "2024-06-01");
    mv1::Member retired = Join(g1_, seq++, "2024-01-10");
    EXPECT_TRUE(ChangeStatus(server_, retired.member_id(),
                             mv1::MEMBER_STATUS_RETAINED, "2024-02-01",
                             mv1::RETAINED_REASON_RETIRED)
                    .ok());
    mv1::Member left = Join(g1_, seq++, "2024-01-10");
    EXPECT_TRUE(ChangeStatus(server_, left.member_id(), mv1::MEMBER_STATUS_LEFT,
                             "2024-03-01")
                    .ok());
    for (int i = 0; i < 2; ++i) Join(g2_, seq++, "2024-01-10");
    for (int i = 0; i < 4; ++i) Join(g3_, seq++, "2024-01-10");
    Join(t2_, seq++, "2024-01-10");
  }

  mv1::Org Grassroots(int64_t parent, const std::string& name, int code,
                      int headcount, bool preparing,
                      const std::string& established_on) {
    mv1::CreateOrgRequest req =
        GrassrootsRequest(parent, name, code, headcount);
    req.set_preparing(preparing);
    req.set_established_on(established_on);
    return MustCreate(server_, req);
  }

  mv1::Member Join(const mv1::Org& org, int seq, const std::string& on) {
    return MustJoin(server_, Person(org.org_id(), seq), on);
  }

  grpc::Status Coverage(int64_t org_id, const std::string& as_of,
                        mv1::GetCoverageResponse* resp) {
    mv1::GetCoverageRequest req;
    req.set_org_id(org_id);
    req.set_as_of(as_of);
    return Call(server_.stub(), &Stub::GetCoverage, req, resp);
  }

  std::vector<int64_t> ChildIds(const mv1::GetCoverageResponse& resp) {
    std::vector<int64_t> ids;
    for (const auto& child : resp.children()) ids.push_back(child.org_id());
    return ids;
  }

  MembershipServer server_;
  mv1::Org c_, t1_, t2_, g1_, g2_, g3_, g4_;
};

TEST_F(CoverageTest, TodayForTheCountyAndEachDirectChild) {
  mv1::GetCoverageResponse resp;
  grpc::Status status = Coverage(c_.org_id(), "", &resp);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_FALSE(resp.as_of().empty());
  EXPECT_EQ(resp.total().org_name(), "清河县总工会");
  // 11 / 300 = 366.67 bp; 3 / 7 = 4285.71 bp.
  ExpectFigures(resp.total(), {c_.org_id(), 300, 11, 7, 3, 367, 4286}, "total");
  ASSERT_THAT(ChildIds(resp),
              ElementsAre(t1_.org_id(), t2_.org_id(), g4_.org_id()));
  EXPECT_EQ(resp.children(0).org_name(), "城关镇");
  // 6 / 200 = 300 bp; 1 / 3 = 3333.33 bp (the 筹备组 is not established).
  ExpectFigures(resp.children(0), {t1_.org_id(), 200, 6, 3, 1, 300, 3333},
                "T1");
  // 5 / 32 = 1562.5 bp, rounded half up; 1 / 2 = 5000 bp.
  ExpectFigures(resp.children(1), {t2_.org_id(), 32, 5, 2, 1, 1563, 5000},
                "T2");
  ExpectFigures(resp.children(2), {g4_.org_id(), 18, 0, 1, 1, 0, 10000}, "G4");
}

TEST_F(CoverageTest, ASubtreeRootedAtATownship) {
  mv1::GetCoverageResponse resp;
  ASSERT_TRUE(Coverage(t1_.org_id(), "", &resp).ok());
  ExpectFigures(resp.total(), {t1_.org_id(), 200, 6, 3, 1, 300, 3333},
                "T1 total");
  ASSERT_THAT(ChildIds(resp), ElementsAre(g1_.org_id(), g2_.org_id()));
  ExpectFigures(resp.children(0), {g1_.org_id(), 100, 4, 1, 1, 400, 10000},
                "G1");
  ExpectFigures(resp.children(1), {g2_.org_id(), 40, 2, 1, 0, 500, 0}, "G2");

  // T2 holds a member itself and has an employer located in it directly:
  // both count in its total though under none of its children.
  ASSERT_TRUE(Coverage(t2_.org_id(), "", &resp).ok());
  ExpectFigures(resp.total(), {t2_.org_id(), 32, 5, 2, 1, 1563, 5000},
                "T2 total");
  ASSERT_THAT(ChildIds(resp), ElementsAre(g3_.org_id()));
  ExpectFigures(resp.children(0), {g3_.org_id(), 12, 4, 1, 1, 3333, 10000},
                "G3");

  // A grassroots union on its own: no children, 0 rates when nothing counts.
  ASSERT_TRUE(Coverage(g4_.org_id(), "", &resp).ok());
  ExpectFigures(resp.total(), {g4_.org_id(), 18, 0, 1, 1, 0, 10000}, "G4");
  EXPECT_EQ(resp.children_size(), 0);
}

TEST_F(CoverageTest, AsOfAnEarlierDateGivesTheEarlierCounts) {
  // 2024-01-20: the RETAINED and the LEFT member were still ACTIVE, the
  // June joiner not yet; G4 was not established yet.
  mv1::GetCoverageResponse resp;
  grpc::Status status = Coverage(c_.org_id(), "2024-01-20", &resp);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(resp.as_of(), "2024-01-20");
  // 12 / 300 = 400 bp; 2 / 7 = 2857.14 bp.
  ExpectFigures(resp.total(), {c_.org_id(), 300, 12, 7, 2, 400, 2857}, "total");
  ASSERT_EQ(resp.children_size(), 3);
  // 7 / 200 = 350 bp.
  ExpectFigures(resp.children(0), {t1_.org_id(), 200, 7, 3, 1, 350, 3333},
                "T1");
  ExpectFigures(resp.children(1), {t2_.org_id(), 32, 5, 2, 1, 1563, 5000},
                "T2");
  ExpectFigures(resp.children(2), {g4_.org_id(), 18, 0, 1, 0, 0, 0}, "G4");

  // 2024-02-15: the RETAINED member no longer counts, the LEFT one still.
  ASSERT_TRUE(Coverage(t1_.org_id(), "2024-02-15", &resp).ok());
  ExpectFigures(resp.children(0), {g1_.org_id(), 100, 4, 1, 1, 400, 10000},
                "G1 in February");

  // Before anyone joined, and before any union was established.
  ASSERT_TRUE(Coverage(c_.org_id(), "2024-01-09", &resp).ok());
  ExpectFigures(resp.total(), {c_.org_id(), 300, 0, 7, 2, 0, 2857},
                "total before the joins");
  ASSERT_TRUE(Coverage(c_.org_id(), "2022-12-31", &resp).ok());
  ExpectFigures(resp.total(), {c_.org_id(), 300, 0, 7, 0, 0, 0},
                "total before any union");
}

TEST_F(CoverageTest, TransfersAndMovesShiftTheCounts) {
  // A G3 member moves to G1 on 2024-05-01: T2 loses one, T1 gains one.
  mv1::ListMembersRequest list;
  list.set_org_id(g3_.org_id());
  mv1::ListMembersResponse g3_members;
  ASSERT_TRUE(Call(server_.stub(), &Stub::ListMembers, list, &g3_members).ok());
  ASSERT_EQ(g3_members.members_size(), 4);
  mv1::TransferMemberRequest transfer;
  transfer.set_request_id(NewRequestId());
  transfer.set_member_id(g3_members.members(0).member_id());
  transfer.set_to_org_id(g1_.org_id());
  transfer.set_effective_on("2024-05-01");
  mv1::TransferMemberResponse moved;
  ASSERT_TRUE(
      Call(server_.stub(), &Stub::TransferMember, transfer, &moved).ok());

  mv1::GetCoverageResponse resp;
  ASSERT_TRUE(Coverage(c_.org_id(), "", &resp).ok());
  ASSERT_EQ(resp.children_size(), 3);
  EXPECT_EQ(resp.children(0).members(), 7);
  EXPECT_EQ(resp.children(1).members(), 4);
  EXPECT_EQ(resp.total().members(), 11);
  ASSERT_TRUE(Coverage(c_.org_id(), "2024-04-30", &resp).ok());
  EXPECT_EQ(resp.children(0).members(), 5);  // the June joiner not yet
  EXPECT_EQ(resp.children(1).members(), 5);

  // Moving G3 (with its employer and members) under T1.
  mv1::UpdateOrgRequest move;
  move.set_request_id(NewRequestId());
  move.mutable_org()->set_org_id(g3_.org_id());
  move.mutable_org()->set_parent_id(t1_.org_id());
  move.mutable_update_mask()->add_paths("parent_id");
  mv1::UpdateOrgResponse updated;
  ASSERT_TRUE(Call(server_.stub(), &Stub::UpdateOrg, move, &updated).ok());
  ASSERT_TRUE(Coverage(c_.org_id(), "", &resp).ok());
  // T1: 200 + 12 workers, 7 + 3 members, 4 employers of which 2 unionised.
  ExpectFigures(resp.children(0), {t1_.org_id(), 212, 10, 4, 2, 472, 5000},
                "T1 after the move");
  // T2: E2 and the member held by the township.
  ExpectFigures(resp.children(1), {t2_.org_id(), 20, 1, 1, 0, 500, 0},
                "T2 after the move");
  ExpectFigures(resp.total(), {c_.org_id(), 300, 11, 7, 3, 367, 4286},
                "total after the move");
}

TEST_F(CoverageTest, ADissolvedUnionCountsUntilItsDissolution) {
  mv1::DissolveOrgRequest req;
  req.set_request_id(NewRequestId());
  req.set_org_id(g4_.org_id());
  req.set_dissolved_on("2024-06-30");
  mv1::DissolveOrgResponse dissolved;
  grpc::Status status =
      Call(server_.stub(), &Stub::DissolveOrg, req, &dissolved);
  ASSERT_TRUE(status.ok()) << status.error_message();

  mv1::GetCoverageResponse resp;
  ASSERT_TRUE(Coverage(c_.org_id(), "", &resp).ok());
  // The employer is still there, now without an established union.
  ExpectFigures(resp.total(), {c_.org_id(), 300, 11, 7, 2, 367, 2857},
                "total today");
  ASSERT_TRUE(Coverage(c_.org_id(), "2024-06-29", &resp).ok());
  EXPECT_EQ(resp.total().employers_with_union(), 3);
  EXPECT_EQ(resp.total().unionisation_rate_bp(), 4286);
  ASSERT_TRUE(Coverage(c_.org_id(), "2024-06-30", &resp).ok());
  EXPECT_EQ(resp.total().employers_with_union(), 2);
}

TEST_F(CoverageTest, BadRequests) {
  mv1::GetCoverageResponse resp;
  EXPECT_EQ(Coverage(999, "", &resp).error_code(), grpc::StatusCode::NOT_FOUND);
  grpc::Status status = Coverage(0, "2024-13-01", &resp);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadFields(status),
              ::testing::UnorderedElementsAre("org_id", "as_of"));
}

}  // namespace
}  // namespace unionhub::testing
