// Awards reads members and orgs from membership with its own service token,
// which sees the whole tree. Whatever it reads on a caller's behalf must be
// checked against that caller's scope (and, for a nomination, against the
// nominating org's subtree) before any of it is returned or stored; and a
// refusal must tell a scoped caller nothing about what lies outside its
// scope (absent and out of scope read the same). Also the bounds on the
// programme's repeated fields.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "tests/service/awards_competition_helpers.h"
#include "tests/service/awards_helpers.h"

namespace unionhub::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

// county -> township A (A1, A2), township B (B1); members[0] in A1,
// members[1] in A2, members[2] in B1 (BuildSmallCounty).
class AwardsSecurityScopeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new AwardsServer("awards_secscope");
    server_->SetToday(TestToday());
    county_ = new SmallCounty(BuildSmallCounty(
        server_->finance_server(), {500000, 500000, 500000}, "2024-01-10"));
    const SmallCounty& c = *county_;
    program_ =
        MustCreateProgram(
            *server_, BasicProgram(c.county.org_id(),
                                   {c.union_a1.org_id(), c.union_b1.org_id(),
                                    c.township_a.org_id()}))
            .program_id();
  }
  static void TearDownTestSuite() {
    delete county_;
    delete server_;
  }
  AwardsServer& server() { return *server_; }
  const SmallCounty& county() { return *county_; }

  std::unique_ptr<AStub> Nominator(int64_t scope) {
    return server().AwardsWithToken(
        MintTestToken({"nominator"}, scope, "sec-nominator"));
  }
  int Rows(const std::string& table) {
    return std::stoi(server().database().QueryValue(
        absl::StrCat("SELECT COUNT(*) FROM ", table)));
  }
  // The gate's refusal of an id outside the caller's scope.
  static std::string Outside(const std::string& what, int64_t id) {
    return absl::StrCat(what, " ", id,
                        " is not within your organisation scope");
  }

  static AwardsServer* server_;
  static SmallCounty* county_;
  static int64_t program_;
};
AwardsServer* AwardsSecurityScopeTest::server_ = nullptr;
SmallCounty* AwardsSecurityScopeTest::county_ = nullptr;
int64_t AwardsSecurityScopeTest::program_ = 0;

// A nominator of township B nominates a member of township A: membership
// refuses it GetMember of that member, so awards must not hand over the
// name (nor store a nomination) either.
TEST_F(AwardsSecurityScopeTest, NomineeOutsideTheCallersScopeIsRefused) {
  const SmallCounty& c = county();
  const mv1::Member& other = c.members[0];  // A1
  std::unique_ptr<mv1::MembershipService::Stub> direct =
      server().membership().StubWithToken(
          MintTestToken({"nominator"}, c.township_b.org_id(), "sec-nom"));
  mv1::GetMemberRequest get;
  get.set_member_id(other.member_id());
  mv1::GetMemberResponse got;
  ASSERT_EQ(Call(*direct, &mv1::MembershipService::Stub::GetMember, get, &got)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  const int before = Rows("nominations");
  av1::CreateNominationResponse resp;
  grpc::Status status =
      Rpc(*Nominator(c.township_b.org_id()), &AStub::CreateNomination,
          NominationRequest(program_, c.union_b1.org_id(), other.member_id()),
          &resp);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(status.error_message(), Outside("member", other.member_id()));
  EXPECT_THAT(status.error_message(), Not(HasSubstr(other.name())));
  EXPECT_FALSE(resp.has_nomination());
  EXPECT_EQ(Rows("nominations"), before) << "a refused nomination was stored";
}

// The first member ever joined (id 1, as demo member 1) from a scope that
// does not hold it; and an id nobody has reads exactly the same.
TEST_F(AwardsSecurityScopeTest, MemberOneAndAnAbsentMemberReadTheSame) {
  const SmallCounty& c = county();
  ASSERT_EQ(c.members[0].member_id(), 1);
  const int before = Rows("nominations");
  for (int64_t member : {int64_t{1}, int64_t{987654}}) {
    av1::CreateNominationResponse resp;
    grpc::Status status =
        Rpc(*Nominator(c.township_b.org_id()), &AStub::CreateNomination,
            NominationRequest(program_, c.union_b1.org_id(), member), &resp);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED)
        << member;
    EXPECT_EQ(status.error_message(), Outside("member", member));
  }
  EXPECT_EQ(Rows("nominations"), before);
}

// A nominating org nominates only from its own subtree, whoever calls:
// township A's nominator (who may see A2) for A1 nominating an A2 member,
// and an unscoped admin for B1 nominating an A1 member.
TEST_F(AwardsSecurityScopeTest, NomineeMustBeUnderTheNominatingOrg) {
  const SmallCounty& c = county();
  const int before = Rows("nominations");
  av1::CreateNominationResponse resp;
  grpc::Status scoped =
      Rpc(*Nominator(c.township_a.org_id()), &AStub::CreateNomination,
          NominationRequest(program_, c.union_a1.org_id(),
                            c.members[1].member_id()),
          &resp);
  EXPECT_EQ(scoped.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  grpc::Status admin = Rpc(server().awards(), &AStub::CreateNomination,
                           NominationRequest(program_, c.union_b1.org_id(),
                                             c.members[0].member_id()),
                           &resp);
  EXPECT_EQ(admin.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(admin.error_message(), Not(HasSubstr(c.members[0].name())));
  EXPECT_EQ(Rows("nominations"), before);
  // Township A nominating its own A2 member is fine.
  const av1::Nomination ok =
      MustRpc(*Nominator(c.township_a.org_id()), &AStub::CreateNomination,
              NominationRequest(program_, c.township_a.org_id(),
                                c.members[1].member_id()),
              "in scope")
          .nomination();
  EXPECT_EQ(ok.subject_name(), c.members[1].name());
}

// A nominee who moved out of the nominating org's subtree after the draft:
// submitting must not store (or return) evidence of the new org.
TEST_F(AwardsSecurityScopeTest, SubmitStoresNoEvidenceOfAMemberNowOutside) {
  const SmallCounty& c = county();
  mv1::Member mover = MustJoinPerson(server(), c.union_a1.org_id(), 40);
  server().Sync();
  const av1::Nomination draft =
      MustRpc(
          *Nominator(c.township_a.org_id()), &AStub::CreateNomination,
          NominationRequest(program_, c.union_a1.org_id(), mover.member_id()),
          "draft")
          .nomination();
  mv1::TransferMemberRequest move;
  move.set_request_id(NewRequestId());
  move.set_member_id(mover.member_id());
  move.set_to_org_id(c.union_b1.org_id());
  move.set_reason("调动");
  mv1::TransferMemberResponse moved;
  ASSERT_TRUE(Call(server().membership().stub(),
                   &mv1::MembershipService::Stub::TransferMember, move, &moved)
                  .ok());
  server().Sync();

  av1::SubmitNominationRequest submit;
  submit.set_request_id(NewRequestId());
  submit.set_nomination_id(draft.nomination_id());
  av1::SubmitNominationResponse resp;
  grpc::Status status = Rpc(*Nominator(c.township_a.org_id()),
                            &AStub::SubmitNomination, submit, &resp);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(status.error_message(), Outside("member", mover.member_id()));
  EXPECT_FALSE(resp.has_nomination());
  const av1::Nomination after =
      MustGetNomination(server(), draft.nomination_id());
  EXPECT_EQ(after.status(), av1::NOMINATION_STATUS_DRAFT);
  EXPECT_FALSE(after.has_evidence()) << after.evidence().DebugString();
  EXPECT_EQ(server().database().QueryValue(
                "SELECT COUNT(*) FROM nominations WHERE id = ? AND "
                "(LENGTH(evidence) > 0 OR LENGTH(national_id_sealed) > 0)",
                draft.nomination_id()),
            "0");
}

// Contest entrants are read for the caller too: a committee member of
// township B registers neither an A1 member nor a team of A2 in a county
// contest, and learns nothing of them.
TEST_F(AwardsSecurityScopeTest, EntrantOutsideTheCallersScopeIsRefused) {
  const SmallCounty& c = county();
  const av1::Competition contest =
      MustCreateContest(server(), ContestSpec(c.county.org_id(), 1, {"理论"}));
  std::unique_ptr<CStub> committee = server().CompetitionsWithToken(
      MintTestToken({"award_committee"}, c.township_b.org_id(), "sec-com"));
  const int before = Rows("competition_entrants");

  av1::RegisterEntrantRequest member;
  member.set_request_id(NewRequestId());
  member.mutable_entrant()->set_competition_id(contest.competition_id());
  member.mutable_entrant()->set_member_id(c.members[0].member_id());
  av1::RegisterEntrantResponse resp;
  // The committee of B may not even see the county's contest.
  grpc::Status status = Rpc(*committee, &CStub::RegisterEntrant, member, &resp);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);

  // A contest of township B itself, still no A1 member and no A2 team.
  const av1::Competition ours = MustCreateContest(
      server(), ContestSpec(c.township_b.org_id(), 1, {"理论"}));
  member.set_request_id(NewRequestId());
  member.mutable_entrant()->set_competition_id(ours.competition_id());
  status = Rpc(*committee, &CStub::RegisterEntrant, member, &resp);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(status.error_message(),
            Outside("member", c.members[0].member_id()));
  EXPECT_THAT(status.error_message(), Not(HasSubstr(c.members[0].name())));

  av1::RegisterEntrantRequest team;
  team.set_request_id(NewRequestId());
  team.mutable_entrant()->set_competition_id(ours.competition_id());
  team.mutable_entrant()->set_team_name("纺织厂安全班组");
  team.mutable_entrant()->set_employer_org_id(c.union_a2.org_id());
  status = Rpc(*committee, &CStub::RegisterEntrant, team, &resp);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(status.error_message(), Outside("org", c.union_a2.org_id()));
  EXPECT_THAT(status.error_message(), Not(HasSubstr(c.union_a2.name())));
  EXPECT_EQ(Rows("competition_entrants"), before);

  // Its own member enters.
  member.set_request_id(NewRequestId());
  member.mutable_entrant()->set_member_id(c.members[2].member_id());
  EXPECT_TRUE(Rpc(*committee, &CStub::RegisterEntrant, member, &resp).ok());
}

// Issue 11 item 8: GetProgram's refusal named the organiser's org, and an
// absent programme was NOT_FOUND; a scoped caller now cannot tell the two
// apart, nor learn the org. The same for nominations and competitions.
TEST_F(AwardsSecurityScopeTest, OutOfScopeAndAbsentReadTheSame) {
  const SmallCounty& c = county();
  const int64_t theirs =
      MustCreateProgram(
          server(), BasicProgram(c.township_a.org_id(), {c.union_a1.org_id()}))
          .program_id();
  std::unique_ptr<AStub> b = Nominator(c.township_b.org_id());
  for (int64_t id : {theirs, int64_t{987654}}) {
    av1::GetProgramRequest req;
    req.set_program_id(id);
    av1::GetProgramResponse resp;
    grpc::Status status = Rpc(*b, &AStub::GetProgram, req, &resp);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << id;
    EXPECT_EQ(status.error_message(), Outside("programme", id));
    EXPECT_THAT(status.error_message(), Not(HasSubstr("org ")));
  }
  const av1::Nomination nomination = MustNominate(
      server(), theirs, c.union_a1.org_id(),
      MustJoinPerson(server(), c.union_a1.org_id(), 41).member_id());
  for (int64_t id : {nomination.nomination_id(), int64_t{987654}}) {
    av1::GetNominationRequest req;
    req.set_nomination_id(id);
    av1::GetNominationResponse resp;
    grpc::Status status = Rpc(*b, &AStub::GetNomination, req, &resp);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << id;
    EXPECT_EQ(status.error_message(), Outside("nomination", id));
  }
  const av1::Competition contest = MustCreateContest(
      server(), ContestSpec(c.township_a.org_id(), 1, {"理论"}));
  std::unique_ptr<CStub> committee = server().CompetitionsWithToken(
      MintTestToken({"award_committee"}, c.township_b.org_id(), "sec-com"));
  for (int64_t id : {contest.competition_id(), int64_t{987654}}) {
    av1::GetCompetitionRequest req;
    req.set_competition_id(id);
    av1::GetCompetitionResponse resp;
    grpc::Status status = Rpc(*committee, &CStub::GetCompetition, req, &resp);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << id;
    EXPECT_EQ(status.error_message(), Outside("competition", id));
  }
  // An unscoped caller still learns that a programme does not exist.
  av1::GetProgramRequest absent;
  absent.set_program_id(987654);
  av1::GetProgramResponse resp;
  EXPECT_EQ(
      Rpc(server().awards(), &AStub::GetProgram, absent, &resp).error_code(),
      grpc::StatusCode::NOT_FOUND);
}

// Issue 11 item 13: 2,001 allocations once cost one membership call each
// (seconds) and then more violations than fit in gRPC's trailers.
TEST_F(AwardsSecurityScopeTest, TooManyAllocationsAreRefusedAtOnce) {
  const SmallCounty& c = county();
  av1::CreateProgramRequest req;
  req.set_request_id(NewRequestId());
  *req.mutable_program() = BasicProgram(c.county.org_id(), {});
  for (int i = 0; i < 2001; ++i) {
    av1::Allocation* a = req.mutable_program()->add_allocations();
    a->set_org_id(1000000 + i);
    a->set_quota(1);
  }
  const int before = Rows("programs");
  const absl::Time start = absl::Now();
  av1::CreateProgramResponse resp;
  grpc::Status status =
      Rpc(server().awards(), &AStub::CreateProgram, req, &resp);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
      << status.error_message();
  EXPECT_THAT(BadFields(status), ElementsAre("program.allocations"));
  EXPECT_LT(absl::Now() - start, absl::Seconds(1));
  EXPECT_EQ(Rows("programs"), before);
}

// Hundreds of bad entries within the bounds: still INVALID_ARGUMENT with
// the first violations and a count of the rest, not RESOURCE_EXHAUSTED.
TEST_F(AwardsSecurityScopeTest, ThousandsOfViolationsStayInvalidArgument) {
  const SmallCounty& c = county();
  av1::CreateProgramRequest req;
  req.set_request_id(NewRequestId());
  *req.mutable_program() = BasicProgram(c.county.org_id(), {});
  for (int i = 0; i < 500; ++i) {
    av1::Allocation* a = req.mutable_program()->add_allocations();
    a->set_org_id(0);
    a->set_quota(0);
  }
  for (int i = 0; i < 366; ++i) {
    req.mutable_program()->add_holidays("2026-02-30");
    req.mutable_program()->add_makeup_working_days("not a day");
  }
  av1::CreateProgramResponse resp;
  grpc::Status status =
      Rpc(server().awards(), &AStub::CreateProgram, req, &resp);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
      << status.error_message();
  const std::vector<std::string> fields = BadFields(status);
  ASSERT_FALSE(fields.empty());
  EXPECT_EQ(fields.front(), "program.allocations[0].org_id");
  EXPECT_EQ(fields.back(), "...");
}

// Every other repeated field of the awards requests has its bound too.
TEST_F(AwardsSecurityScopeTest, RepeatedFieldsAreBounded) {
  const SmallCounty& c = county();
  av1::CreateProgramRequest program;
  program.set_request_id(NewRequestId());
  *program.mutable_program() =
      BasicProgram(c.county.org_id(), {c.union_a1.org_id()});
  for (int i = 0; i < 21; ++i) {
    av1::CompositionRule* rule =
        program.mutable_program()->add_composition_rules();
    rule->set_category(av1::COMPOSITION_CATEGORY_WOMEN);
    rule->set_bound(av1::COMPOSITION_BOUND_MIN_COUNT);
    rule->set_count(1);
  }
  for (int i = 0; i < 367; ++i) {
    program.mutable_program()->add_holidays("2026-05-01");
    program.mutable_program()->add_makeup_working_days("2026-05-09");
  }
  av1::CreateProgramResponse created;
  grpc::Status status =
      Rpc(server().awards(), &AStub::CreateProgram, program, &created);
  EXPECT_THAT(BadFields(status),
              ::testing::UnorderedElementsAre("program.composition_rules",
                                              "program.holidays",
                                              "program.makeup_working_days"));

  av1::AssignReviewersRequest reviewers;
  reviewers.set_request_id(NewRequestId());
  reviewers.set_program_id(program_);
  for (int i = 0; i < 101; ++i) {
    av1::Reviewer* r = reviewers.add_reviewers();
    r->set_subject(absl::StrCat("reviewer-", i));
    r->set_name("评委");
    r->set_org_id(c.county.org_id());
  }
  av1::AssignReviewersResponse assigned;
  status =
      Rpc(server().awards(), &AStub::AssignReviewers, reviewers, &assigned);
  EXPECT_THAT(BadFields(status), ElementsAre("reviewers"));

  av1::CreateCompetitionRequest contest;
  contest.set_request_id(NewRequestId());
  std::vector<std::string> events;
  for (int i = 0; i < 51; ++i) events.push_back(absl::StrCat("项目", i));
  *contest.mutable_competition() = ContestSpec(c.county.org_id(), 101, events);
  av1::CreateCompetitionResponse made;
  status =
      Rpc(server().competitions(), &CStub::CreateCompetition, contest, &made);
  EXPECT_THAT(BadFields(status),
              ::testing::UnorderedElementsAre("competition.events",
                                              "competition.judges"));
}

}  // namespace
}  // namespace unionhub::testing
