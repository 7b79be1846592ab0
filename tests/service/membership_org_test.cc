#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/support/membership_fixture.h"

namespace unionhub::testing {
namespace {

using ::testing::Contains;

class OrgServiceTest : public ::testing::Test {
 protected:
  OrgServiceTest() : server_("org") {}

  mv1::Org CreateOrg(mv1::OrgType type, int64_t parent, const std::string& name) {
    mv1::CreateOrgRequest req;
    req.set_request_id(NewRequestId());
    req.mutable_org()->set_type(type);
    req.mutable_org()->set_parent_id(parent);
    req.mutable_org()->set_name(name);
    mv1::CreateOrgResponse resp;
    grpc::ClientContext ctx;
    grpc::Status status = server_.stub().CreateOrg(&ctx, req, &resp);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return resp.org();
  }

  MembershipServer server_;
};

TEST_F(OrgServiceTest, CreatesAChainAndReadsItBack) {
  mv1::Org county = CreateOrg(mv1::ORG_TYPE_COUNTY_FEDERATION, 0, "清河县总工会");
  mv1::Org town = CreateOrg(mv1::ORG_TYPE_TOWNSHIP_UNION, county.org_id(), "城关镇");
  EXPECT_EQ(town.parent_id(), county.org_id());
  EXPECT_THAT(town.ancestor_ids(), Contains(county.org_id()));
  EXPECT_EQ(town.status(), mv1::ORG_STATUS_ESTABLISHED);

  mv1::GetOrgRequest get;
  get.set_org_id(town.org_id());
  mv1::GetOrgResponse got;
  grpc::ClientContext ctx;
  ASSERT_TRUE(server_.stub().GetOrg(&ctx, get, &got).ok());
  EXPECT_EQ(got.org().name(), "城关镇");
}

TEST_F(OrgServiceTest, BadInputNamesEveryFieldAndWritesNothing) {
  mv1::CreateOrgRequest req;  // no request_id, no type, no name
  req.mutable_org()->set_region_code("12");
  mv1::CreateOrgResponse resp;
  grpc::ClientContext ctx;
  grpc::Status status = server_.stub().CreateOrg(&ctx, req, &resp);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  std::vector<std::string> fields = BadFields(status);
  EXPECT_THAT(fields, Contains("request_id"));
  EXPECT_THAT(fields, Contains("org.type"));
  EXPECT_THAT(fields, Contains("org.name"));
  EXPECT_THAT(fields, Contains("org.region_code"));
  EXPECT_EQ(server_.database().QueryValue("SELECT COUNT(*) FROM orgs"), "0");
}

}  // namespace
}  // namespace unionhub::testing
