// "Today" in membership comes from the clock injected through
// RegisterMembership (MembershipDeps::clock), not from the wall clock: a
// fixture pins it years in the past and the date rules follow it.
#include <gtest/gtest.h>

#include "tests/service/membership_helpers.h"
#include "tests/support/membership_fixture.h"

namespace unionhub::testing {
namespace {

TEST(MembershipClock, DateRulesUseTheInjectedToday) {
  MembershipServer server("clock_today");
  server.clock().SetToday(absl::CivilDay(2020, 1, 15));
  const mv1::Org county =
      MustCreateOrg(server, mv1::ORG_TYPE_COUNTY_FEDERATION, 0, "示范县总工会");
  const mv1::Org factory =
      MustCreateGrassroots(server, county.org_id(), "机械厂工会", 1, 120);

  // An empty joined_on means the clock's today.
  EXPECT_EQ(MustJoin(server, Person(factory.org_id(), 1)).joined_on(),
            "2020-01-15");

  // The day after the clock's today is in the future, although the wall
  // clock is years later.
  mv1::JoinMemberResponse resp;
  grpc::Status status =
      Call(server.stub(), &Stub::JoinMember,
           JoinRequest(Person(factory.org_id(), 3), "2020-01-16"), &resp);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFields(status), std::vector<std::string>{"joined_on"});

  // Move the clock on a day: the same date is now today.
  server.clock().SetToday(absl::CivilDay(2020, 1, 16));
  EXPECT_EQ(
      MustJoin(server, Person(factory.org_id(), 3), "2020-01-16").joined_on(),
      "2020-01-16");
}

}  // namespace
}  // namespace unionhub::testing
