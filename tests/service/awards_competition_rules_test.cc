// CompetitionService refusals: every bad field named, judges' permissions
// (a judge scores but cannot create), state conflicts, entrants' rules, and
// the drop rule applied at four versus five judges through the API.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/service/awards_competition_helpers.h"

namespace unionhub::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

TEST(CompetitionRules, CreateNamesEveryBadField) {
  AwardsServer server("contest_validate");
  av1::CreateCompetitionRequest req;  // no request_id
  av1::Competition& c = *req.mutable_competition();
  c.set_year(1800);
  c.set_max_points_centi(-1);
  c.set_linked_program_id(-3);
  c.add_events()->set_name("手工点钞");
  c.add_events()->set_name("手工点钞");
  c.mutable_events(0)->set_weight_bp(6000);  // the other has none
  av1::Judge* j = c.add_judges();
  j->set_subject("judge-1");
  j->set_name("评委甲");
  av1::Judge* twin = c.add_judges();
  twin->set_subject("judge-1");
  av1::CreateCompetitionResponse resp;
  grpc::Status s =
      Rpc(server.competitions(), &CStub::CreateCompetition, req, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(
      BadFields(s),
      UnorderedElementsAre(
          "request_id", "competition.kind", "competition.name",
          "competition.organizer_org_id", "competition.year",
          "competition.linked_program_id", "competition.max_points_centi",
          "competition.events[1].name", "competition.events[1].weight_bp",
          "competition.judges[1].subject", "competition.judges[1].name"));

  // Weights given everywhere must add up to 100 %.
  const SmallCounty county = BuildSmallCounty(server.finance_server(), {});
  av1::CreateCompetitionRequest weighted;
  weighted.set_request_id(NewRequestId());
  *weighted.mutable_competition() =
      ContestSpec(county.county.org_id(), 1, {"理论", "实操"});
  weighted.mutable_competition()->mutable_events(0)->set_weight_bp(3000);
  weighted.mutable_competition()->mutable_events(1)->set_weight_bp(6000);
  s = Rpc(server.competitions(), &CStub::CreateCompetition, weighted, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadFields(s), UnorderedElementsAre("competition.events"));
  EXPECT_THAT(s.error_message(), HasSubstr("9000"));
  // No events and no judges.
  weighted.mutable_competition()->clear_events();
  weighted.mutable_competition()->clear_judges();
  s = Rpc(server.competitions(), &CStub::CreateCompetition, weighted, &resp);
  EXPECT_THAT(BadFields(s),
              UnorderedElementsAre("competition.events", "competition.judges"));
  // A linked programme that does not exist, an organiser that does not.
  av1::CreateCompetitionRequest unknown;
  unknown.set_request_id(NewRequestId());
  *unknown.mutable_competition() =
      ContestSpec(county.county.org_id(), 1, {"理论"}, 987654);
  EXPECT_EQ(
      Rpc(server.competitions(), &CStub::CreateCompetition, unknown, &resp)
          .error_code(),
      grpc::StatusCode::NOT_FOUND);
  unknown.set_request_id(NewRequestId());
  *unknown.mutable_competition() = ContestSpec(987654, 1, {"理论"});
  EXPECT_EQ(
      Rpc(server.competitions(), &CStub::CreateCompetition, unknown, &resp)
          .error_code(),
      grpc::StatusCode::NOT_FOUND);
  av1::ListCompetitionsRequest list;
  EXPECT_EQ(
      MustRpc(server.competitions(), &CStub::ListCompetitions, list, "list")
          .competitions_size(),
      0);
}

TEST(CompetitionRules, EntrantsAndScoresNameEveryBadField) {
  AwardsServer server("contest_validate2");
  av1::RegisterEntrantRequest reg;
  reg.mutable_entrant()->set_employer_org_id(-1);
  av1::RegisterEntrantResponse reg_resp;
  grpc::Status s =
      Rpc(server.competitions(), &CStub::RegisterEntrant, reg, &reg_resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(
      BadFields(s),
      UnorderedElementsAre("request_id", "entrant.competition_id",
                           "entrant.member_id", "entrant.employer_org_id"));
  reg.set_request_id(NewRequestId());
  reg.mutable_entrant()->set_competition_id(1);
  reg.mutable_entrant()->set_member_id(5);
  reg.mutable_entrant()->set_team_name("青年突击队");
  reg.mutable_entrant()->set_employer_org_id(0);
  s = Rpc(server.competitions(), &CStub::RegisterEntrant, reg, &reg_resp);
  EXPECT_THAT(BadFields(s), UnorderedElementsAre("entrant.team_name",
                                                 "entrant.employer_org_id"));

  Judges judges(server);
  av1::SubmitScoreRequest score;
  score.mutable_score()->set_points_centi(-5);
  score.mutable_score()->set_judge("someone-else");
  av1::SubmitScoreResponse score_resp;
  s = Rpc(judges["judge-1"], &CStub::SubmitScore, score, &score_resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadFields(s),
              UnorderedElementsAre("request_id", "score.competition_id",
                                   "score.entrant_id", "score.event_id",
                                   "score.points_centi", "score.judge"));

  av1::NominateFromCompetitionRequest nominate;
  nominate.set_top_n(0);
  av1::NominateFromCompetitionResponse nominated;
  s = Rpc(server.competitions(), &CStub::NominateFromCompetition, nominate,
          &nominated);
  EXPECT_THAT(BadFields(s),
              UnorderedElementsAre("request_id", "competition_id", "top_n"));
}

TEST(CompetitionRules, JudgesScoreButDoNotRun) {
  AwardsServer server("contest_judges");
  const SmallCounty county =
      BuildSmallCounty(server.finance_server(), {500000, 500000});
  Judges judges(server);
  // A judge cannot create a competition or register entrants.
  av1::CreateCompetitionRequest create;
  create.set_request_id(NewRequestId());
  *create.mutable_competition() =
      ContestSpec(county.county.org_id(), 5, {"手工点钞"});
  av1::CreateCompetitionResponse created;
  EXPECT_EQ(Rpc(judges["judge-1"], &CStub::CreateCompetition, create, &created)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  const av1::Competition contest =
      MustCreateContest(server, create.competition());
  const int64_t id = contest.competition_id();
  const int64_t event = contest.events(0).event_id();
  av1::RegisterEntrantRequest reg;
  reg.set_request_id(NewRequestId());
  reg.mutable_entrant()->set_competition_id(id);
  reg.mutable_entrant()->set_member_id(county.members[0].member_id());
  av1::RegisterEntrantResponse registered;
  EXPECT_EQ(Rpc(judges["judge-1"], &CStub::RegisterEntrant, reg, &registered)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  const av1::Entrant entrant =
      MustRegisterMember(server, id, county.members[0].member_id());

  // A listed judge scores; one not on the list, and the admin (whose
  // subject is not a judge's), are refused; a reviewer lacks the permission.
  av1::SubmitScoreResponse scored;
  ASSERT_TRUE(SubmitScore(judges["judge-3"], id, entrant.entrant_id(), event,
                          9425, &scored)
                  .ok());
  EXPECT_EQ(scored.score().judge(), "judge-3");
  grpc::Status stranger =
      SubmitScore(judges["judge-9"], id, entrant.entrant_id(), event, 9000);
  EXPECT_EQ(stranger.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(stranger.error_message(), HasSubstr("not a judge"));
  EXPECT_EQ(
      SubmitScore(server.competitions(), id, entrant.entrant_id(), event, 9000)
          .error_code(),
      grpc::StatusCode::FAILED_PRECONDITION);
  std::unique_ptr<CStub> reviewer =
      server.CompetitionsWithToken(MintTestToken({"reviewer"}, 0, "judge-2"));
  EXPECT_EQ(SubmitScore(*reviewer, id, entrant.entrant_id(), event, 9000)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  // Out of range, an unknown event, another competition's entrant.
  grpc::Status high =
      SubmitScore(judges["judge-1"], id, entrant.entrant_id(), event, 10001);
  EXPECT_EQ(high.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadFields(high), UnorderedElementsAre("score.points_centi"));
  EXPECT_EQ(SubmitScore(judges["judge-1"], id, entrant.entrant_id(),
                        event + 1000, 9000)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);
  const av1::Competition other =
      MustCreateContest(server, create.competition());
  const av1::Entrant elsewhere = MustRegisterMember(
      server, other.competition_id(), county.members[1].member_id());
  EXPECT_EQ(
      SubmitScore(judges["judge-1"], id, elsewhere.entrant_id(), event, 9000)
          .error_code(),
      grpc::StatusCode::NOT_FOUND);

  // Judges read the board; it shows only the one score given.
  av1::GetLeaderboardRequest board_req;
  board_req.set_competition_id(id);
  const av1::GetLeaderboardResponse board = MustRpc(
      judges["judge-1"], &CStub::GetLeaderboard, board_req, "judge board");
  ASSERT_EQ(board.overall_size(), 1);
  EXPECT_EQ(board.overall(0).points_centi(), 9425);
  // A judge cannot finish the competition.
  av1::FinishCompetitionRequest finish;
  finish.set_request_id(NewRequestId());
  finish.set_competition_id(id);
  av1::FinishCompetitionResponse finished;
  EXPECT_EQ(Rpc(judges["judge-1"], &CStub::FinishCompetition, finish, &finished)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST(CompetitionRules, DropRuleAppliesFromTheFifthJudge) {
  AwardsServer server("contest_drop");
  const SmallCounty county =
      BuildSmallCounty(server.finance_server(), {500000});
  Judges judges(server);
  const av1::Competition four =
      MustCreateContest(server, ContestSpec(county.county.org_id(), 4, {"A"}));
  const av1::Competition five =
      MustCreateContest(server, ContestSpec(county.county.org_id(), 5, {"A"}));
  const av1::Entrant in_four = MustRegisterMember(
      server, four.competition_id(), county.members[0].member_id());
  const av1::Entrant in_five = MustRegisterMember(
      server, five.competition_id(), county.members[0].member_id());
  MustJudge(judges, four.competition_id(), in_four.entrant_id(),
            four.events(0).event_id(), {9000, 8000, 7000, 10000});
  MustJudge(judges, five.competition_id(), in_five.entrant_id(),
            five.events(0).event_id(), {9000, 8000, 7000, 10000, 1000});
  const av1::LeaderboardRow kept =
      MustLeaderboard(server, four.competition_id()).overall(0);
  EXPECT_EQ(kept.points_centi(), 8500);
  EXPECT_EQ(kept.scores_counted(), 4);
  EXPECT_EQ(kept.scores_dropped(), 0);
  const av1::LeaderboardRow trimmed =
      MustLeaderboard(server, five.competition_id()).overall(0);
  EXPECT_EQ(trimmed.points_centi(), 8000);  // (90 + 80 + 70) / 3
  EXPECT_EQ(trimmed.scores_counted(), 3);
  EXPECT_EQ(trimmed.scores_dropped(), 2);
}

TEST(CompetitionRules, EntrantsMustBeActiveAndUnderTheOrganiser) {
  AwardsServer server("contest_entrants");
  const SmallCounty county =
      BuildSmallCounty(server.finance_server(), {500000, 500000, 500000});
  // Organised by township A: members of A1 and A2 may enter, B1's may not.
  const av1::Competition contest = MustCreateContest(
      server, ContestSpec(county.township_a.org_id(), 1, {"安全知识"}));
  const int64_t id = contest.competition_id();
  av1::RegisterEntrantRequest reg;
  reg.set_request_id(NewRequestId());
  reg.mutable_entrant()->set_competition_id(id);
  reg.mutable_entrant()->set_member_id(county.members[2].member_id());  // B1
  av1::RegisterEntrantResponse resp;
  grpc::Status outside =
      Rpc(server.competitions(), &CStub::RegisterEntrant, reg, &resp);
  EXPECT_EQ(outside.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(outside.error_message(), HasSubstr("not under the organiser"));
  // The employer given must be the member's own org.
  reg.set_request_id(NewRequestId());
  reg.mutable_entrant()->set_member_id(county.members[0].member_id());  // A1
  reg.mutable_entrant()->set_employer_org_id(county.union_a2.org_id());
  EXPECT_EQ(Rpc(server.competitions(), &CStub::RegisterEntrant, reg, &resp)
                .error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  // A member who has left cannot enter.
  ASSERT_TRUE(ChangeStatus(server.membership(), county.members[1].member_id(),
                           mv1::MEMBER_STATUS_LEFT)
                  .ok());
  reg.set_request_id(NewRequestId());
  reg.mutable_entrant()->set_member_id(county.members[1].member_id());
  reg.mutable_entrant()->set_employer_org_id(0);
  grpc::Status left =
      Rpc(server.competitions(), &CStub::RegisterEntrant, reg, &resp);
  EXPECT_EQ(left.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(left.error_message(), HasSubstr("LEFT"));
  // An unknown member.
  reg.set_request_id(NewRequestId());
  reg.mutable_entrant()->set_member_id(987654);
  EXPECT_EQ(Rpc(server.competitions(), &CStub::RegisterEntrant, reg, &resp)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);
  // A team of A2.
  av1::RegisterEntrantRequest team;
  team.set_request_id(NewRequestId());
  team.mutable_entrant()->set_competition_id(id);
  team.mutable_entrant()->set_team_name("纺织厂安全班组");
  team.mutable_entrant()->set_employer_org_id(county.union_a2.org_id());
  const av1::Entrant registered =
      MustRpc(server.competitions(), &CStub::RegisterEntrant, team, "team")
          .entrant();
  EXPECT_EQ(registered.name(), "纺织厂安全班组");
  EXPECT_EQ(registered.member_id(), 0);
  EXPECT_EQ(registered.employer_name(), county.union_a2.name());
  av1::ListEntrantsRequest list;
  list.set_competition_id(id);
  EXPECT_EQ(MustRpc(server.competitions(), &CStub::ListEntrants, list, "list")
                .entrants_size(),
            1);

  // Nominating needs a linked programme.
  ASSERT_TRUE(
      SubmitScore(
          *server.CompetitionsWithToken(MintTestToken({"judge"}, 0, "judge-1")),
          id, registered.entrant_id(), contest.events(0).event_id(), 9000)
          .ok());
  ASSERT_TRUE(Finish(server, id).ok());
  av1::NominateFromCompetitionRequest nominate;
  nominate.set_request_id(NewRequestId());
  nominate.set_competition_id(id);
  nominate.set_top_n(3);
  av1::NominateFromCompetitionResponse nominated;
  grpc::Status unlinked =
      Rpc(server.competitions(), &CStub::NominateFromCompetition, nominate,
          &nominated);
  EXPECT_EQ(unlinked.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(unlinked.error_message(), HasSubstr("not linked"));
}

}  // namespace
}  // namespace unionhub::testing
