// Masked national IDs cannot be reversed (issue 11, item 2). A role that
// may not read the ID in full (nominator, finance clerk) receives only its
// last 4 characters and no birth date from every member read, so neither
// the region code nor the birth date can be recovered; a registrar still
// reads both in full.
//
//   county ─ township A ─ g1 (20 members born on different days)
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "tests/service/membership_helpers.h"
#include "tests/support/membership_fixture.h"

namespace unionhub::testing {
namespace {

constexpr int kPeople = 20;

// YYYYMMDD of person `i`: a different year, month and day each.
std::string BirthOf(int i) {
  return absl::StrFormat("%04d%02d%02d", 1966 + i, 1 + i % 12, 1 + i);
}

std::string Dashed(const std::string& yyyymmdd) {
  return absl::StrCat(yyyymmdd.substr(0, 4), "-", yyyymmdd.substr(4, 2), "-",
                      yyyymmdd.substr(6, 2));
}

std::string LastFourOnly(const std::string& id) {
  return absl::StrCat(std::string(14, '*'), id.substr(14));
}

class MembershipSecurityMaskingSampleTest : public ::testing::Test {
 protected:
  MembershipSecurityMaskingSampleTest() : server_("secmask") {
    county_ = MustCreateOrg(server_, mv1::ORG_TYPE_COUNTY_FEDERATION, 0,
                            "清河县总工会")
                  .org_id();
    a_ = MustCreateOrg(server_, mv1::ORG_TYPE_TOWNSHIP_UNION, county_, "城关镇")
             .org_id();
    g1_ = MustCreateGrassroots(server_, a_, "城关机械厂工会", 1, 100).org_id();
    for (int i = 0; i < kPeople; ++i) {
      people_.push_back(
          MustJoin(server_, Person(g1_, i + 1, BirthOf(i)), "2024-01-10"));
    }
  }

  std::unique_ptr<Stub> StubFor(const std::string& role, int64_t scope) {
    return server_.StubWithToken(
        MintTestToken({role}, scope, absl::StrCat("mask-", role)));
  }

  // Every member read `stub` may make: GetMember, LookupMember by ID and
  // by card, and ListMembers of the township.
  std::vector<mv1::Member> ReadEverything(Stub& stub) {
    std::vector<mv1::Member> seen;
    for (const mv1::Member& person : people_) {
      mv1::GetMemberRequest get;
      get.set_member_id(person.member_id());
      mv1::GetMemberResponse got;
      grpc::Status status = Call(stub, &Stub::GetMember, get, &got);
      EXPECT_TRUE(status.ok()) << status.error_message();
      seen.push_back(got.member());

      mv1::LookupMemberRequest by_id;
      by_id.set_national_id(person.national_id());
      mv1::LookupMemberResponse found;
      status = Call(stub, &Stub::LookupMember, by_id, &found);
      EXPECT_TRUE(status.ok()) << status.error_message();
      seen.push_back(found.member());

      mv1::LookupMemberRequest by_card;
      by_card.set_card_number(person.card_number());
      found.Clear();
      status = Call(stub, &Stub::LookupMember, by_card, &found);
      EXPECT_TRUE(status.ok()) << status.error_message();
      seen.push_back(found.member());
    }
    mv1::ListMembersRequest list;
    list.set_org_id(a_);
    list.set_page_size(100);
    mv1::ListMembersResponse listed;
    grpc::Status status = Call(stub, &Stub::ListMembers, list, &listed);
    EXPECT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(listed.members_size(), kPeople);
    for (const mv1::Member& m : listed.members()) seen.push_back(m);
    return seen;
  }

  const mv1::Member& PersonWithId(int64_t member_id) const {
    for (const mv1::Member& p : people_) {
      if (p.member_id() == member_id) return p;
    }
    ADD_FAILURE() << "no member " << member_id;
    return people_.front();
  }

  MembershipServer server_;
  int64_t county_ = 0, a_ = 0, g1_ = 0;
  std::vector<mv1::Member> people_;
};

TEST_F(MembershipSecurityMaskingSampleTest,
       NominatorAndFinanceClerkSeeOnlyTheLastFourAndNoBirthDate) {
  struct Reader {
    std::string role;
    int64_t scope;
  };
  for (const Reader& reader :
       {Reader{"nominator", a_}, Reader{"nominator", 0},
        Reader{"finance_clerk", a_}, Reader{"finance_clerk", 0}}) {
    SCOPED_TRACE(absl::StrCat(reader.role, " scoped to ", reader.scope));
    std::unique_ptr<Stub> stub = StubFor(reader.role, reader.scope);
    const std::vector<mv1::Member> seen = ReadEverything(*stub);
    ASSERT_EQ(seen.size(), 3u * kPeople + kPeople);
    for (const mv1::Member& m : seen) {
      const mv1::Member& person = PersonWithId(m.member_id());
      EXPECT_EQ(m.national_id(), LastFourOnly(person.national_id()));
      EXPECT_EQ(m.national_id().size(), 18u);
      EXPECT_EQ(m.birth_date(), "");
      // What the role works with is all still there.
      EXPECT_EQ(m.name(), person.name());
      EXPECT_EQ(m.card_number(), person.card_number());
      EXPECT_EQ(m.sex(), person.sex());
      EXPECT_EQ(m.joined_on(), "2024-01-10");
    }
  }
}

TEST_F(MembershipSecurityMaskingSampleTest, RegistrarStillSeesBothInFull) {
  for (int64_t scope : {a_, int64_t{0}}) {
    std::unique_ptr<Stub> stub = StubFor("registrar", scope);
    for (const mv1::Member& m : ReadEverything(*stub)) {
      const mv1::Member& person = PersonWithId(m.member_id());
      EXPECT_EQ(m.national_id(), person.national_id());
      EXPECT_EQ(m.birth_date(), person.birth_date());
      EXPECT_EQ(m.birth_date().size(), 10u);
    }
  }
}

// The attack of the review: from what a nominator reads, recover the
// national ID. Nothing it receives holds the region code or a birth date
// (in either spelling), and no ID field holds more than 4 digits.
TEST_F(MembershipSecurityMaskingSampleTest,
       MaskedResponsesCannotBeMatchedBackToTheId) {
  std::unique_ptr<Stub> stub = StubFor("nominator", a_);
  std::string everything;
  for (const mv1::Member& m : ReadEverything(*stub)) {
    absl::StrAppend(&everything, m.DebugString(), "\n");
    EXPECT_FALSE(std::regex_search(m.national_id(), std::regex("[0-9]{5}")))
        << m.national_id();
  }
  EXPECT_EQ(everything.find("320924"), std::string::npos);
  for (int i = 0; i < kPeople; ++i) {
    const std::string birth = BirthOf(i);
    EXPECT_EQ(everything.find(birth), std::string::npos) << birth;
    EXPECT_EQ(everything.find(Dashed(birth)), std::string::npos) << birth;
    // Nor the birth year: it is withheld with the rest of the date.
    EXPECT_EQ(everything.find(absl::StrCat("\"", birth.substr(0, 4))),
              std::string::npos)
        << birth;
  }
}

}  // namespace
}  // namespace unionhub::testing
