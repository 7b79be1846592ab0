// UpdateOrg over real gRPC: field masks, renames, moving a subtree (with
// its employers) and the moves that are refused.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/service/membership_helpers.h"
#include "tests/support/membership_fixture.h"

namespace unionhub::testing {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

class OrgUpdateTest : public ::testing::Test {
 protected:
  OrgUpdateTest() : server_("orgupdate") {}

  mv1::Org CreateOrg(mv1::OrgType type, int64_t parent,
                     const std::string& name) {
    return MustCreateOrg(server_, type, parent, name);
  }

  grpc::Status Update(const mv1::UpdateOrgRequest& req,
                      mv1::UpdateOrgResponse* resp) {
    return Call(server_.stub(), &Stub::UpdateOrg, req, resp);
  }

  mv1::UpdateOrgRequest UpdateRequest(int64_t org_id,
                                      const std::vector<std::string>& paths) {
    mv1::UpdateOrgRequest req;
    req.set_request_id(NewRequestId());
    req.mutable_org()->set_org_id(org_id);
    for (const std::string& p : paths) req.mutable_update_mask()->add_paths(p);
    return req;
  }

  MembershipServer server_;
};

TEST_F(OrgUpdateTest, UpdateOrgRenamesOnlyTheMaskedFields) {
  mv1::Org county =
      CreateOrg(mv1::ORG_TYPE_COUNTY_FEDERATION, 0, "清河县总工会");
  mv1::CreateOrgRequest with_region =
      OrgRequest(mv1::ORG_TYPE_TOWNSHIP_UNION, county.org_id(), "城关镇");
  with_region.mutable_org()->set_region_code("320924");
  mv1::Org town = MustCreate(server_, with_region);

  mv1::UpdateOrgRequest req = UpdateRequest(town.org_id(), {"name"});
  req.mutable_org()->set_name("城关街道工会");
  req.mutable_org()->set_region_code("");  // not in the mask: kept
  mv1::UpdateOrgResponse resp;
  grpc::Status status = Update(req, &resp);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(resp.org().name(), "城关街道工会");
  EXPECT_EQ(resp.org().region_code(), "320924");
  mv1::Org got = MustGetOrg(server_, town.org_id());
  EXPECT_EQ(got.name(), "城关街道工会");
  EXPECT_EQ(got.region_code(), "320924");
  EXPECT_EQ(got.parent_id(), county.org_id());
}

TEST_F(OrgUpdateTest, UpdateOrgRejectsUnknownMaskPaths) {
  mv1::Org county =
      CreateOrg(mv1::ORG_TYPE_COUNTY_FEDERATION, 0, "清河县总工会");
  for (const char* path : {"nickname", "status", "type"}) {
    mv1::UpdateOrgRequest req = UpdateRequest(county.org_id(), {"name", path});
    req.mutable_org()->set_name("改名县总工会");
    mv1::UpdateOrgResponse resp;
    grpc::Status status = Update(req, &resp);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << path;
    EXPECT_THAT(BadFields(status), ElementsAre("update_mask")) << path;
  }
  mv1::UpdateOrgRequest empty = UpdateRequest(county.org_id(), {});
  mv1::UpdateOrgResponse resp;
  EXPECT_THAT(BadFields(Update(empty, &resp)), Contains("update_mask"));
  EXPECT_EQ(MustGetOrg(server_, county.org_id()).name(), "清河县总工会");

  mv1::UpdateOrgRequest missing = UpdateRequest(999, {"name"});
  missing.mutable_org()->set_name("不存在");
  EXPECT_EQ(Update(missing, &resp).error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(OrgUpdateTest, UpdateOrgMovesTheWholeSubtree) {
  mv1::Org c1 = CreateOrg(mv1::ORG_TYPE_COUNTY_FEDERATION, 0, "甲县总工会");
  mv1::Org c2 = CreateOrg(mv1::ORG_TYPE_COUNTY_FEDERATION, 0, "乙县总工会");
  mv1::Org town =
      CreateOrg(mv1::ORG_TYPE_TOWNSHIP_UNION, c1.org_id(), "城关镇");
  mv1::Org g =
      MustCreateGrassroots(server_, town.org_id(), "机械厂工会", 31, 50);
  mv1::Org branch =
      CreateOrg(mv1::ORG_TYPE_BRANCH_UNION, g.org_id(), "一车间分工会");
  ASSERT_THAT(Ancestors(branch),
              ElementsAre(c1.org_id(), town.org_id(), g.org_id()));

  mv1::UpdateOrgRequest req = UpdateRequest(town.org_id(), {"parent_id"});
  req.mutable_org()->set_parent_id(c2.org_id());
  mv1::UpdateOrgResponse resp;
  grpc::Status status = Update(req, &resp);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(resp.org().parent_id(), c2.org_id());
  EXPECT_THAT(Ancestors(resp.org()), ElementsAre(c2.org_id()));
  EXPECT_EQ(resp.org().name(), "城关镇");
  EXPECT_THAT(Ancestors(MustGetOrg(server_, g.org_id())),
              ElementsAre(c2.org_id(), town.org_id()));
  EXPECT_THAT(Ancestors(MustGetOrg(server_, branch.org_id())),
              ElementsAre(c2.org_id(), town.org_id(), g.org_id()));

  auto subtree = [&](int64_t root) {
    mv1::ListOrgsRequest list;
    list.set_parent_id(root);
    list.set_recursive(true);
    mv1::ListOrgsResponse listed;
    EXPECT_TRUE(Call(server_.stub(), &Stub::ListOrgs, list, &listed).ok());
    return OrgIds(listed);
  };
  EXPECT_THAT(subtree(c1.org_id()), IsEmpty());
  EXPECT_THAT(subtree(c2.org_id()),
              ElementsAre(town.org_id(), g.org_id(), branch.org_id()));

  // The employer's coverage moves with its union.
  mv1::ListEmployersRequest employers;
  employers.set_org_id(c2.org_id());
  mv1::ListEmployersResponse in_c2;
  ASSERT_TRUE(
      Call(server_.stub(), &Stub::ListEmployers, employers, &in_c2).ok());
  ASSERT_EQ(in_c2.employers_size(), 1);
  EXPECT_EQ(in_c2.employers(0).employer_id(), g.employer().employer_id());
  employers.set_org_id(c1.org_id());
  mv1::ListEmployersResponse in_c1;
  ASSERT_TRUE(
      Call(server_.stub(), &Stub::ListEmployers, employers, &in_c1).ok());
  EXPECT_EQ(in_c1.employers_size(), 0);
}

TEST_F(OrgUpdateTest, MovingUnderItselfOrADescendantIsRefused) {
  mv1::Org county =
      CreateOrg(mv1::ORG_TYPE_COUNTY_FEDERATION, 0, "清河县总工会");
  mv1::Org town =
      CreateOrg(mv1::ORG_TYPE_TOWNSHIP_UNION, county.org_id(), "城关镇");
  mv1::Org g =
      MustCreateGrassroots(server_, town.org_id(), "机械厂工会", 41, 50);
  for (int64_t target : {g.org_id(), town.org_id()}) {
    mv1::UpdateOrgRequest req =
        UpdateRequest(town.org_id(), {"name", "parent_id"});
    req.mutable_org()->set_name("改名镇");
    req.mutable_org()->set_parent_id(target);
    mv1::UpdateOrgResponse resp;
    EXPECT_EQ(Update(req, &resp).error_code(),
              grpc::StatusCode::FAILED_PRECONDITION)
        << target;
  }
  // Nothing changed, not even the name that came with the refused move.
  mv1::Org after = MustGetOrg(server_, town.org_id());
  EXPECT_EQ(after.name(), "城关镇");
  EXPECT_EQ(after.parent_id(), county.org_id());
  EXPECT_THAT(Ancestors(MustGetOrg(server_, g.org_id())),
              ElementsAre(county.org_id(), town.org_id()));
  // A township cannot become a root either.
  mv1::UpdateOrgRequest root = UpdateRequest(town.org_id(), {"parent_id"});
  mv1::UpdateOrgResponse resp;
  EXPECT_EQ(Update(root, &resp).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(MustGetOrg(server_, town.org_id()).parent_id(), county.org_id());
}

TEST_F(OrgUpdateTest, UpdatesTheEmployerRecordOfAGrassrootsUnion) {
  mv1::Org county =
      CreateOrg(mv1::ORG_TYPE_COUNTY_FEDERATION, 0, "清河县总工会");
  mv1::Org g =
      MustCreateGrassroots(server_, county.org_id(), "机械厂工会", 1, 50);
  mv1::UpdateOrgRequest req =
      UpdateRequest(g.org_id(), {"employer.headcount", "employer.name"});
  req.mutable_org()->mutable_employer()->set_headcount(75);
  req.mutable_org()->mutable_employer()->set_name("机械集团");
  mv1::UpdateOrgResponse resp;
  grpc::Status status = Update(req, &resp);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(resp.org().employer().headcount(), 75);
  EXPECT_EQ(resp.org().employer().name(), "机械集团");
  EXPECT_EQ(resp.org().employer().credit_code(), MakeCreditCode(1));
  EXPECT_EQ(resp.org().name(), "机械厂工会");
  mv1::GetCoverageRequest coverage;
  coverage.set_org_id(county.org_id());
  mv1::GetCoverageResponse figures;
  ASSERT_TRUE(
      Call(server_.stub(), &Stub::GetCoverage, coverage, &figures).ok());
  EXPECT_EQ(figures.total().workers(), 75);

  // A retry answers the same; a bad value is named; a township has no
  // employer record to update.
  mv1::UpdateOrgResponse again;
  ASSERT_TRUE(Update(req, &again).ok());
  EXPECT_EQ(again.SerializeAsString(), resp.SerializeAsString());
  mv1::UpdateOrgRequest bad =
      UpdateRequest(g.org_id(), {"employer.headcount", "name"});
  bad.mutable_org()->mutable_employer()->set_headcount(-3);
  bad.mutable_org()->set_name("");
  EXPECT_THAT(
      BadFields(Update(bad, &resp)),
      ::testing::UnorderedElementsAre("org.employer.headcount", "org.name"));
  mv1::Org town =
      CreateOrg(mv1::ORG_TYPE_TOWNSHIP_UNION, county.org_id(), "城关镇");
  mv1::UpdateOrgRequest no_employer =
      UpdateRequest(town.org_id(), {"employer.headcount"});
  no_employer.mutable_org()->mutable_employer()->set_headcount(10);
  grpc::Status refused = Update(no_employer, &resp);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadFields(refused), Contains("update_mask"));
  EXPECT_EQ(MustGetOrg(server_, g.org_id()).employer().headcount(), 75);
}

}  // namespace
}  // namespace unionhub::testing
