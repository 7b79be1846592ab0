// ListOrgs over real gRPC: children against the whole subtree, filters and
// keyset pagination whose tokens are bound to their filter.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "tests/service/membership_helpers.h"
#include "tests/support/membership_fixture.h"

namespace unionhub::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::IsEmpty;

class OrgListTest : public ::testing::Test {
 protected:
  OrgListTest() : server_("orglist") {}

  grpc::Status List(const mv1::ListOrgsRequest& req,
                    mv1::ListOrgsResponse* resp) {
    return Call(server_.stub(), &Stub::ListOrgs, req, resp);
  }

  std::vector<int64_t> ListIds(
      int64_t parent, bool recursive,
      mv1::OrgType type = mv1::ORG_TYPE_UNSPECIFIED,
      mv1::OrgStatus status = mv1::ORG_STATUS_UNSPECIFIED) {
    mv1::ListOrgsRequest req;
    req.set_parent_id(parent);
    req.set_recursive(recursive);
    req.set_type(type);
    req.set_status(status);
    mv1::ListOrgsResponse resp;
    grpc::Status s = List(req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    EXPECT_EQ(resp.next_page_token(), "");
    return OrgIds(resp);
  }

  MembershipServer server_;
};

TEST_F(OrgListTest, ChildrenAgainstRecursiveWithFilters) {
  mv1::Org c = MustCreateOrg(server_, mv1::ORG_TYPE_COUNTY_FEDERATION, 0,
                             "清河县总工会");
  mv1::Org t1 =
      MustCreateOrg(server_, mv1::ORG_TYPE_TOWNSHIP_UNION, c.org_id(), "甲镇");
  mv1::Org t2 =
      MustCreateOrg(server_, mv1::ORG_TYPE_TOWNSHIP_UNION, c.org_id(), "乙镇");
  mv1::Org g1 = MustCreateGrassroots(server_, t1.org_id(), "一厂工会", 1, 10);
  mv1::CreateOrgRequest preparing =
      GrassrootsRequest(t1.org_id(), "二厂筹备组", 2, 20);
  preparing.set_preparing(true);
  mv1::Org g2 = MustCreate(server_, preparing);
  mv1::Org g3 = MustCreateGrassroots(server_, c.org_id(), "县直工会", 3, 30);
  mv1::Org b = MustCreateOrg(server_, mv1::ORG_TYPE_BRANCH_UNION, g1.org_id(),
                             "一厂分工会");
  mv1::Org other =
      MustCreateOrg(server_, mv1::ORG_TYPE_COUNTY_FEDERATION, 0, "邻县总工会");

  EXPECT_THAT(ListIds(0, false), ElementsAre(c.org_id(), other.org_id()));
  EXPECT_THAT(ListIds(c.org_id(), false),
              ElementsAre(t1.org_id(), t2.org_id(), g3.org_id()));
  EXPECT_THAT(ListIds(t1.org_id(), false),
              ElementsAre(g1.org_id(), g2.org_id()));
  EXPECT_THAT(ListIds(c.org_id(), true),
              ElementsAre(t1.org_id(), t2.org_id(), g1.org_id(), g2.org_id(),
                          g3.org_id(), b.org_id()));
  EXPECT_THAT(ListIds(t2.org_id(), true), IsEmpty());
  EXPECT_THAT(
      ListIds(0, true),
      ElementsAre(c.org_id(), t1.org_id(), t2.org_id(), g1.org_id(),
                  g2.org_id(), g3.org_id(), b.org_id(), other.org_id()));
  EXPECT_THAT(ListIds(c.org_id(), true, mv1::ORG_TYPE_GRASSROOTS_UNION),
              ElementsAre(g1.org_id(), g2.org_id(), g3.org_id()));
  EXPECT_THAT(ListIds(c.org_id(), false, mv1::ORG_TYPE_GRASSROOTS_UNION),
              ElementsAre(g3.org_id()));
  EXPECT_THAT(ListIds(c.org_id(), true, mv1::ORG_TYPE_UNSPECIFIED,
                      mv1::ORG_STATUS_PREPARING),
              ElementsAre(g2.org_id()));
  EXPECT_THAT(ListIds(c.org_id(), true, mv1::ORG_TYPE_GRASSROOTS_UNION,
                      mv1::ORG_STATUS_ESTABLISHED),
              ElementsAre(g1.org_id(), g3.org_id()));

  mv1::ListOrgsRequest missing;
  missing.set_parent_id(999);
  mv1::ListOrgsResponse resp;
  EXPECT_EQ(List(missing, &resp).error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(OrgListTest, PagesOfTwoHaveNoDuplicatesOrGaps) {
  mv1::Org c = MustCreateOrg(server_, mv1::ORG_TYPE_COUNTY_FEDERATION, 0,
                             "清河县总工会");
  std::vector<int64_t> expected;
  const char* const names[] = {"一镇", "二镇", "三镇", "四镇",
                               "五镇", "六镇", "七镇"};
  for (const char* name : names) {
    expected.push_back(
        MustCreateOrg(server_, mv1::ORG_TYPE_TOWNSHIP_UNION, c.org_id(), name)
            .org_id());
  }
  // A grassroots union deeper down: in the recursive listing only.
  mv1::Org g = MustCreateGrassroots(server_, expected[0], "一厂工会", 1, 10);

  mv1::ListOrgsRequest req;
  req.set_parent_id(c.org_id());
  req.set_page_size(2);
  std::vector<int64_t> seen;
  std::vector<int> page_sizes;
  std::string first_token;
  for (int page = 0; page < 10; ++page) {
    mv1::ListOrgsResponse resp;
    grpc::Status status = List(req, &resp);
    ASSERT_TRUE(status.ok()) << status.error_message();
    page_sizes.push_back(resp.orgs_size());
    for (int64_t id : OrgIds(resp)) seen.push_back(id);
    if (page == 0) first_token = resp.next_page_token();
    if (resp.next_page_token().empty()) break;
    req.set_page_token(resp.next_page_token());
  }
  EXPECT_THAT(page_sizes, ElementsAre(2, 2, 2, 1));
  EXPECT_THAT(seen, ElementsAreArray(expected));
  EXPECT_EQ(std::set<int64_t>(seen.begin(), seen.end()).size(), 7u);

  // Recursive pages of 3 include the grassroots union exactly once.
  mv1::ListOrgsRequest rec;
  rec.set_parent_id(c.org_id());
  rec.set_recursive(true);
  rec.set_page_size(3);
  std::vector<int64_t> all;
  for (int page = 0; page < 10; ++page) {
    mv1::ListOrgsResponse resp;
    ASSERT_TRUE(List(rec, &resp).ok());
    for (int64_t id : OrgIds(resp)) all.push_back(id);
    if (resp.next_page_token().empty()) break;
    rec.set_page_token(resp.next_page_token());
  }
  std::vector<int64_t> expected_all = expected;
  expected_all.push_back(g.org_id());
  EXPECT_THAT(all, ElementsAreArray(expected_all));

  // A token only works with the filter it was issued for.
  ASSERT_FALSE(first_token.empty());
  mv1::ListOrgsRequest other;
  other.set_parent_id(c.org_id());
  other.set_type(mv1::ORG_TYPE_GRASSROOTS_UNION);
  other.set_page_size(2);
  other.set_page_token(first_token);
  mv1::ListOrgsResponse resp;
  grpc::Status status = List(other, &resp);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadFields(status), ElementsAre("page_token"));

  other.set_type(mv1::ORG_TYPE_UNSPECIFIED);
  other.set_recursive(true);
  EXPECT_THAT(BadFields(List(other, &resp)), ElementsAre("page_token"));

  other.set_recursive(false);
  other.set_page_token("not-a-token");
  EXPECT_THAT(BadFields(List(other, &resp)), ElementsAre("page_token"));

  other.set_page_token("");
  other.set_page_size(-1);
  EXPECT_THAT(BadFields(List(other, &resp)), ElementsAre("page_size"));
}

TEST_F(OrgListTest, EmployersPageToo) {
  mv1::Org c = MustCreateOrg(server_, mv1::ORG_TYPE_COUNTY_FEDERATION, 0,
                             "清河县总工会");
  std::vector<int64_t> expected;
  for (int i = 1; i <= 5; ++i) {
    expected.push_back(
        MustCreateEmployer(server_, c.org_id(), "小微企业", i, 10 * i)
            .employer_id());
  }
  mv1::ListEmployersRequest req;
  req.set_org_id(c.org_id());
  req.set_without_union_only(true);
  req.set_page_size(2);
  std::vector<int64_t> seen;
  std::string first_token;
  for (int page = 0; page < 10; ++page) {
    mv1::ListEmployersResponse resp;
    grpc::Status status =
        Call(server_.stub(), &Stub::ListEmployers, req, &resp);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_LE(resp.employers_size(), 2);
    for (const mv1::Employer& e : resp.employers()) {
      seen.push_back(e.employer_id());
    }
    if (page == 0) first_token = resp.next_page_token();
    if (resp.next_page_token().empty()) break;
    req.set_page_token(resp.next_page_token());
  }
  EXPECT_THAT(seen, ElementsAreArray(expected));

  req.set_without_union_only(false);
  req.set_page_token(first_token);
  mv1::ListEmployersResponse resp;
  EXPECT_THAT(BadFields(Call(server_.stub(), &Stub::ListEmployers, req, &resp)),
              ElementsAre("page_token"));
}

}  // namespace
}  // namespace unionhub::testing
