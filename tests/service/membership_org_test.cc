// Organisations over real gRPC against a real MariaDB: the tree's shape,
// employer records, idempotent creation, establishment and dissolution.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/service/membership_helpers.h"
#include "tests/support/membership_fixture.h"

namespace unionhub::testing {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

class OrgServiceTest : public ::testing::Test {
 protected:
  OrgServiceTest() : server_("org") {}

  mv1::Org CreateOrg(mv1::OrgType type, int64_t parent,
                     const std::string& name) {
    return MustCreateOrg(server_, type, parent, name);
  }

  grpc::Status TryCreate(const mv1::CreateOrgRequest& req,
                         mv1::CreateOrgResponse* resp = nullptr) {
    mv1::CreateOrgResponse ignored;
    return Call(server_.stub(), &Stub::CreateOrg, req,
                resp != nullptr ? resp : &ignored);
  }

  grpc::Status Dissolve(int64_t org_id, mv1::DissolveOrgResponse* resp) {
    mv1::DissolveOrgRequest req;
    req.set_request_id(NewRequestId());
    req.set_org_id(org_id);
    req.set_dissolved_on("2024-06-30");
    req.set_reason("企业关闭");
    return Call(server_.stub(), &Stub::DissolveOrg, req, resp);
  }

  MembershipServer server_;
};

TEST_F(OrgServiceTest, CreatesAChainAndReadsItBack) {
  mv1::Org county =
      CreateOrg(mv1::ORG_TYPE_COUNTY_FEDERATION, 0, "清河县总工会");
  mv1::Org town =
      CreateOrg(mv1::ORG_TYPE_TOWNSHIP_UNION, county.org_id(), "城关镇");
  EXPECT_EQ(town.parent_id(), county.org_id());
  EXPECT_THAT(Ancestors(town), ElementsAre(county.org_id()));
  EXPECT_EQ(town.status(), mv1::ORG_STATUS_ESTABLISHED);

  mv1::Org got = MustGetOrg(server_, town.org_id());
  EXPECT_EQ(got.name(), "城关镇");
  EXPECT_EQ(got.type(), mv1::ORG_TYPE_TOWNSHIP_UNION);
  EXPECT_EQ(got.parent_id(), county.org_id());
}

TEST_F(OrgServiceTest, BadInputNamesEveryFieldAndWritesNothing) {
  mv1::CreateOrgRequest req;  // no request_id, no type, no name
  req.mutable_org()->set_region_code("12");
  grpc::Status status = TryCreate(req);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  std::vector<std::string> fields = BadFields(status);
  EXPECT_THAT(fields, Contains("request_id"));
  EXPECT_THAT(fields, Contains("org.type"));
  EXPECT_THAT(fields, Contains("org.name"));
  EXPECT_THAT(fields, Contains("org.region_code"));
  EXPECT_EQ(Count(server_, "orgs"), "0");
  EXPECT_EQ(Count(server_, "events"), "0");
}

TEST_F(OrgServiceTest, ParentTypeRulesAreFailedPrecondition) {
  mv1::Org city = CreateOrg(mv1::ORG_TYPE_CITY_FEDERATION, 0, "某市总工会");
  mv1::Org county =
      CreateOrg(mv1::ORG_TYPE_COUNTY_FEDERATION, city.org_id(), "清河县总工会");
  mv1::Org town =
      CreateOrg(mv1::ORG_TYPE_TOWNSHIP_UNION, county.org_id(), "城关镇");
  ASSERT_EQ(Count(server_, "orgs"), "3");

  // A township cannot be a root, nor sit under a township or a city.
  EXPECT_EQ(TryCreate(OrgRequest(mv1::ORG_TYPE_TOWNSHIP_UNION, 0, "孤立镇"))
                .error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(TryCreate(OrgRequest(mv1::ORG_TYPE_TOWNSHIP_UNION, town.org_id(),
                                 "镇中镇"))
                .error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(TryCreate(OrgRequest(mv1::ORG_TYPE_TOWNSHIP_UNION, city.org_id(),
                                 "越级镇"))
                .error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  // A branch union only sits under a grassroots union.
  grpc::Status branch = TryCreate(
      OrgRequest(mv1::ORG_TYPE_BRANCH_UNION, county.org_id(), "车间分工会"));
  EXPECT_EQ(branch.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(branch.error_message(), HasSubstr("GRASSROOTS_UNION"));
  EXPECT_EQ(Count(server_, "orgs"), "3");

  // The allowed combinations succeed.
  mv1::Org grassroots =
      MustCreateGrassroots(server_, town.org_id(), "机械厂工会", 1, 120);
  mv1::Org branch_ok = CreateOrg(mv1::ORG_TYPE_BRANCH_UNION,
                                 grassroots.org_id(), "一车间分工会");
  mv1::Org group =
      CreateOrg(mv1::ORG_TYPE_UNION_GROUP, branch_ok.org_id(), "甲班工会小组");
  EXPECT_THAT(Ancestors(group),
              ElementsAre(city.org_id(), county.org_id(), town.org_id(),
                          grassroots.org_id(), branch_ok.org_id()));
  EXPECT_EQ(Count(server_, "orgs"), "6");
}

TEST_F(OrgServiceTest, UnknownParentIsNotFound) {
  grpc::Status status =
      TryCreate(OrgRequest(mv1::ORG_TYPE_TOWNSHIP_UNION, 999, "城关镇"));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Count(server_, "orgs"), "0");

  mv1::GetOrgRequest get;
  get.set_org_id(999);
  mv1::GetOrgResponse got;
  EXPECT_EQ(Call(server_.stub(), &Stub::GetOrg, get, &got).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(OrgServiceTest, GrassrootsRequiresAnEmployerAndReturnsIt) {
  mv1::Org county =
      CreateOrg(mv1::ORG_TYPE_COUNTY_FEDERATION, 0, "清河县总工会");
  grpc::Status missing = TryCreate(
      OrgRequest(mv1::ORG_TYPE_GRASSROOTS_UNION, county.org_id(), "无单位"));
  EXPECT_EQ(missing.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadFields(missing), Contains("org.employer"));

  mv1::CreateOrgRequest bad =
      GrassrootsRequest(county.org_id(), "纺织厂工会", 2, 80);
  std::string wrong_check = MakeCreditCode(2);
  wrong_check.back() = wrong_check.back() == '0' ? '1' : '0';
  bad.mutable_org()->mutable_employer()->set_credit_code(wrong_check);
  bad.mutable_org()->mutable_employer()->set_headcount(-1);
  grpc::Status invalid = TryCreate(bad);
  EXPECT_EQ(invalid.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadFields(invalid), Contains("org.employer.credit_code"));
  EXPECT_THAT(BadFields(invalid), Contains("org.employer.headcount"));
  EXPECT_EQ(Count(server_, "orgs"), "1");
  EXPECT_EQ(Count(server_, "employers"), "0");

  mv1::Org g =
      MustCreateGrassroots(server_, county.org_id(), "纺织厂工会", 2, 80);
  ASSERT_TRUE(g.has_employer());
  EXPECT_GT(g.employer().employer_id(), 0);
  EXPECT_EQ(g.employer().name(), "纺织厂工会单位");
  EXPECT_EQ(g.employer().credit_code(), MakeCreditCode(2));
  EXPECT_EQ(g.employer().headcount(), 80);
  EXPECT_EQ(g.employer().ownership(), mv1::OWNERSHIP_NON_PUBLIC);
  EXPECT_EQ(g.employer().union_org_id(), g.org_id());
  EXPECT_EQ(MustGetOrg(server_, g.org_id()).employer().employer_id(),
            g.employer().employer_id());
  EXPECT_EQ(Count(server_, "employers"), "1");

  // A non-grassroots org must not carry an employer record.
  mv1::CreateOrgRequest town =
      OrgRequest(mv1::ORG_TYPE_TOWNSHIP_UNION, county.org_id(), "城关镇");
  *town.mutable_org()->mutable_employer() = EmployerRecord("镇政府", 3, 10);
  grpc::Status stray = TryCreate(town);
  EXPECT_EQ(stray.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadFields(stray), Contains("org.employer"));
}

TEST_F(OrgServiceTest, DuplicateCreditCodeIsAlreadyExists) {
  mv1::Org county =
      CreateOrg(mv1::ORG_TYPE_COUNTY_FEDERATION, 0, "清河县总工会");
  MustCreateGrassroots(server_, county.org_id(), "机械厂工会", 7, 100);
  EXPECT_EQ(TryCreate(GrassrootsRequest(county.org_id(), "另一工会", 7, 50))
                .error_code(),
            grpc::StatusCode::ALREADY_EXISTS);

  mv1::CreateEmployerRequest req;
  req.set_request_id(NewRequestId());
  *req.mutable_employer() = EmployerRecord("同码企业", 7, 30, county.org_id());
  mv1::CreateEmployerResponse resp;
  EXPECT_EQ(
      Call(server_.stub(), &Stub::CreateEmployer, req, &resp).error_code(),
      grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(Count(server_, "employers"), "1");
  EXPECT_EQ(Count(server_, "orgs"), "2");
}

TEST_F(OrgServiceTest, CreateEmployerAndListWithoutUnionOnly) {
  mv1::Org county =
      CreateOrg(mv1::ORG_TYPE_COUNTY_FEDERATION, 0, "清河县总工会");
  mv1::Org town =
      CreateOrg(mv1::ORG_TYPE_TOWNSHIP_UNION, county.org_id(), "城关镇");
  mv1::Employer in_county =
      MustCreateEmployer(server_, county.org_id(), "县直企业", 11, 40);
  mv1::Employer in_town =
      MustCreateEmployer(server_, town.org_id(), "镇上小厂", 12, 25);
  mv1::Org g =
      MustCreateGrassroots(server_, town.org_id(), "机械厂工会", 13, 90);
  EXPECT_EQ(in_town.area_org_id(), town.org_id());
  EXPECT_EQ(in_town.union_org_id(), 0);
  EXPECT_EQ(in_town.headcount(), 25);
  EXPECT_EQ(in_town.credit_code(), MakeCreditCode(12));

  auto list = [&](int64_t org_id, bool without_union) {
    mv1::ListEmployersRequest req;
    req.set_org_id(org_id);
    req.set_without_union_only(without_union);
    mv1::ListEmployersResponse resp;
    grpc::Status status =
        Call(server_.stub(), &Stub::ListEmployers, req, &resp);
    EXPECT_TRUE(status.ok()) << status.error_message();
    std::vector<int64_t> ids;
    for (const mv1::Employer& e : resp.employers()) {
      ids.push_back(e.employer_id());
    }
    return ids;
  };
  const int64_t own = g.employer().employer_id();
  EXPECT_THAT(list(0, false),
              ElementsAre(in_county.employer_id(), in_town.employer_id(), own));
  EXPECT_THAT(list(0, true),
              ElementsAre(in_county.employer_id(), in_town.employer_id()));
  EXPECT_THAT(list(town.org_id(), false),
              ElementsAre(in_town.employer_id(), own));
  EXPECT_THAT(list(town.org_id(), true), ElementsAre(in_town.employer_id()));
  EXPECT_THAT(list(g.org_id(), true), IsEmpty());

  // Validation and placement.
  mv1::CreateEmployerRequest req;
  req.set_request_id(NewRequestId());
  *req.mutable_employer() = EmployerRecord("", 14, -5, 0);
  mv1::CreateEmployerResponse resp;
  grpc::Status bad = Call(server_.stub(), &Stub::CreateEmployer, req, &resp);
  EXPECT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadFields(bad), Contains("employer.name"));
  EXPECT_THAT(BadFields(bad), Contains("employer.headcount"));
  EXPECT_THAT(BadFields(bad), Contains("employer.area_org_id"));
  *req.mutable_employer() = EmployerRecord("厂中厂", 15, 5, g.org_id());
  req.set_request_id(NewRequestId());
  EXPECT_EQ(
      Call(server_.stub(), &Stub::CreateEmployer, req, &resp).error_code(),
      grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Count(server_, "employers"), "3");
}

TEST_F(OrgServiceTest, AdoptsAnExistingEmployer) {
  mv1::Org county =
      CreateOrg(mv1::ORG_TYPE_COUNTY_FEDERATION, 0, "清河县总工会");
  mv1::Org town =
      CreateOrg(mv1::ORG_TYPE_TOWNSHIP_UNION, county.org_id(), "城关镇");
  mv1::Employer e =
      MustCreateEmployer(server_, town.org_id(), "食品厂", 21, 60);

  mv1::CreateOrgRequest both =
      OrgRequest(mv1::ORG_TYPE_GRASSROOTS_UNION, town.org_id(), "食品厂工会");
  both.set_existing_employer_id(e.employer_id());
  *both.mutable_org()->mutable_employer() = EmployerRecord("食品厂", 22, 60);
  grpc::Status twice = TryCreate(both);
  EXPECT_EQ(twice.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadFields(twice), Contains("org.employer"));

  mv1::CreateOrgRequest unknown =
      OrgRequest(mv1::ORG_TYPE_GRASSROOTS_UNION, town.org_id(), "食品厂工会");
  unknown.set_existing_employer_id(999);
  EXPECT_EQ(TryCreate(unknown).error_code(), grpc::StatusCode::NOT_FOUND);

  mv1::CreateOrgRequest adopt =
      OrgRequest(mv1::ORG_TYPE_GRASSROOTS_UNION, town.org_id(), "食品厂工会");
  adopt.set_existing_employer_id(e.employer_id());
  mv1::Org g = MustCreate(server_, adopt);
  EXPECT_EQ(g.employer().employer_id(), e.employer_id());
  EXPECT_EQ(g.employer().name(), "食品厂");
  EXPECT_EQ(g.employer().headcount(), 60);
  EXPECT_EQ(g.employer().union_org_id(), g.org_id());
  EXPECT_EQ(Count(server_, "employers"), "1");

  mv1::ListEmployersRequest list;
  list.set_without_union_only(true);
  mv1::ListEmployersResponse listed;
  ASSERT_TRUE(Call(server_.stub(), &Stub::ListEmployers, list, &listed).ok());
  EXPECT_EQ(listed.employers_size(), 0);

  mv1::CreateOrgRequest again =
      OrgRequest(mv1::ORG_TYPE_GRASSROOTS_UNION, town.org_id(), "第二工会");
  again.set_existing_employer_id(e.employer_id());
  EXPECT_EQ(TryCreate(again).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Count(server_, "orgs"), "3");
}

// A union can be dissolved and a new one set up later at the same employer
// (the employer record and its credit code stay unique).
TEST_F(OrgServiceTest, AnEmployerWhoseUnionWasDissolvedCanHaveANewOne) {
  mv1::Org county =
      CreateOrg(mv1::ORG_TYPE_COUNTY_FEDERATION, 0, "清河县总工会");
  mv1::Org old_union =
      MustCreateGrassroots(server_, county.org_id(), "食品厂工会", 23, 60);
  const int64_t employer_id = old_union.employer().employer_id();
  mv1::DissolveOrgResponse dissolved;
  grpc::Status status = Dissolve(old_union.org_id(), &dissolved);
  ASSERT_TRUE(status.ok()) << status.error_message();

  // Back in the organising gap...
  mv1::ListEmployersRequest list;
  list.set_without_union_only(true);
  mv1::ListEmployersResponse listed;
  ASSERT_TRUE(Call(server_.stub(), &Stub::ListEmployers, list, &listed).ok());
  std::vector<int64_t> gap;
  for (const mv1::Employer& e : listed.employers()) {
    gap.push_back(e.employer_id());
  }
  EXPECT_THAT(gap, ElementsAre(employer_id));

  // ... and a new union can adopt the employer.
  mv1::CreateOrgRequest adopt = OrgRequest(mv1::ORG_TYPE_GRASSROOTS_UNION,
                                           county.org_id(), "食品厂新工会");
  adopt.set_existing_employer_id(employer_id);
  mv1::CreateOrgResponse created;
  status = TryCreate(adopt, &created);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(created.org().employer().employer_id(), employer_id);
  EXPECT_EQ(created.org().employer().union_org_id(), created.org().org_id());
  EXPECT_EQ(Count(server_, "employers"), "1");
}

TEST_F(OrgServiceTest, CreateOrgIsIdempotentByRequestId) {
  mv1::CreateOrgRequest req =
      OrgRequest(mv1::ORG_TYPE_COUNTY_FEDERATION, 0, "清河县总工会");
  mv1::CreateOrgResponse first;
  mv1::CreateOrgResponse second;
  ASSERT_TRUE(TryCreate(req, &first).ok());
  ASSERT_TRUE(TryCreate(req, &second).ok());
  EXPECT_EQ(second.org().org_id(), first.org().org_id());
  EXPECT_EQ(second.SerializeAsString(), first.SerializeAsString());
  EXPECT_EQ(Count(server_, "orgs"), "1");
  EXPECT_EQ(Count(server_, "events"), "1");

  req.mutable_org()->set_name("另一个县总工会");
  grpc::Status reused = TryCreate(req);
  EXPECT_EQ(reused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadFields(reused), ElementsAre("request_id"));
  EXPECT_EQ(Count(server_, "orgs"), "1");
}

TEST_F(OrgServiceTest, EstablishesAPreparingUnionOnce) {
  mv1::Org county =
      CreateOrg(mv1::ORG_TYPE_COUNTY_FEDERATION, 0, "清河县总工会");
  mv1::CreateOrgRequest req =
      GrassrootsRequest(county.org_id(), "新厂筹备组", 51, 30);
  req.set_preparing(true);
  req.set_established_on("2024-01-01");  // a 筹备组 is not established yet
  grpc::Status contradictory = TryCreate(req);
  EXPECT_EQ(contradictory.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadFields(contradictory), ElementsAre("established_on"));
  req.clear_established_on();
  mv1::Org g = MustCreate(server_, req);
  EXPECT_EQ(g.status(), mv1::ORG_STATUS_PREPARING);
  EXPECT_EQ(g.established_on(), "");

  mv1::EstablishOrgRequest establish;
  establish.set_request_id(NewRequestId());
  establish.set_org_id(g.org_id());
  establish.set_established_on("2024-03-01");
  mv1::EstablishOrgResponse resp;
  grpc::Status status =
      Call(server_.stub(), &Stub::EstablishOrg, establish, &resp);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(resp.org().status(), mv1::ORG_STATUS_ESTABLISHED);
  EXPECT_EQ(resp.org().established_on(), "2024-03-01");
  EXPECT_EQ(MustGetOrg(server_, g.org_id()).status(),
            mv1::ORG_STATUS_ESTABLISHED);

  // A retry of the same request is answered again, not refused.
  mv1::EstablishOrgResponse retried;
  ASSERT_TRUE(
      Call(server_.stub(), &Stub::EstablishOrg, establish, &retried).ok());
  EXPECT_EQ(retried.SerializeAsString(), resp.SerializeAsString());

  establish.set_request_id(NewRequestId());
  EXPECT_EQ(
      Call(server_.stub(), &Stub::EstablishOrg, establish, &resp).error_code(),
      grpc::StatusCode::FAILED_PRECONDITION);
  establish.set_org_id(999);
  establish.set_request_id(NewRequestId());
  EXPECT_EQ(
      Call(server_.stub(), &Stub::EstablishOrg, establish, &resp).error_code(),
      grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Count(server_, "events", "type = 13"), "1");
}

TEST_F(OrgServiceTest, DissolveIsRefusedWhileMembersOrChildrenAreLive) {
  mv1::Org county =
      CreateOrg(mv1::ORG_TYPE_COUNTY_FEDERATION, 0, "清河县总工会");
  mv1::Org town =
      CreateOrg(mv1::ORG_TYPE_TOWNSHIP_UNION, county.org_id(), "城关镇");
  mv1::Org g =
      MustCreateGrassroots(server_, town.org_id(), "机械厂工会", 61, 50);
  mv1::Member m = MustJoin(server_, Person(g.org_id(), 1), "2024-01-10");

  mv1::DissolveOrgResponse resp;
  EXPECT_EQ(Dissolve(town.org_id(), &resp).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Dissolve(g.org_id(), &resp).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(MustGetOrg(server_, g.org_id()).status(),
            mv1::ORG_STATUS_ESTABLISHED);

  ASSERT_TRUE(ChangeStatus(server_, m.member_id(), mv1::MEMBER_STATUS_LEFT,
                           "2024-05-01")
                  .ok());
  grpc::Status status = Dissolve(g.org_id(), &resp);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(resp.org().status(), mv1::ORG_STATUS_DISSOLVED);
  EXPECT_EQ(resp.org().dissolved_on(), "2024-06-30");
  EXPECT_EQ(resp.org().dissolved_reason(), "企业关闭");
  EXPECT_EQ(Dissolve(g.org_id(), &resp).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  // A dissolved union takes no members and no child orgs.
  mv1::JoinMemberResponse joined;
  EXPECT_EQ(Call(server_.stub(), &Stub::JoinMember,
                 JoinRequest(Person(g.org_id(), 3)), &joined)
                .error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(TryCreate(OrgRequest(mv1::ORG_TYPE_BRANCH_UNION, g.org_id(),
                                 "车间分工会"))
                .error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  status = Dissolve(town.org_id(), &resp);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(MustGetOrg(server_, town.org_id()).status(),
            mv1::ORG_STATUS_DISSOLVED);
}

}  // namespace
}  // namespace unionhub::testing
