// CompetitionService end to end over real servers: a skills contest with
// five judges from creation to nominations, finishing rules, and
// idempotency of every mutation.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/service/awards_competition_helpers.h"

namespace unionhub::testing {
namespace {

using ::testing::HasSubstr;

std::vector<int64_t> Ranks(
    const google::protobuf::RepeatedPtrField<av1::LeaderboardRow>& rows) {
  std::vector<int64_t> out;
  for (const av1::LeaderboardRow& r : rows) out.push_back(r.rank());
  return out;
}

std::vector<int64_t> EntrantIds(
    const google::protobuf::RepeatedPtrField<av1::LeaderboardRow>& rows) {
  std::vector<int64_t> out;
  for (const av1::LeaderboardRow& r : rows) out.push_back(r.entrant_id());
  return out;
}

TEST(Competition, SkillsContestFromCreationToNominations) {
  AwardsServer server("contest_flow");
  server.SetToday(absl::CivilDay(2025, 6, 2));
  const SmallCounty county = BuildSmallCounty(server.finance_server(),
                                              {500000, 500000, 500000, 500000});
  const int64_t county_id = county.county.org_id();
  const av1::Program program = MustOpenProgram(server, county_id, 5);
  const av1::Competition contest = MustCreateContest(
      server, ContestSpec(county_id, 5, {"手工点钞", "机器点钞"},
                          program.program_id()));
  ASSERT_GT(contest.competition_id(), 0);
  EXPECT_EQ(contest.status(), av1::COMPETITION_STATUS_OPEN);
  EXPECT_EQ(contest.max_points_centi(), 10000);
  ASSERT_EQ(contest.events_size(), 2);
  EXPECT_EQ(contest.events(0).name(), "手工点钞");
  EXPECT_GT(contest.events(0).event_id(), 0);
  EXPECT_EQ(contest.judges_size(), 5);
  const int64_t id = contest.competition_id();
  const int64_t manual = contest.events(0).event_id();
  const int64_t machine = contest.events(1).event_id();

  std::vector<av1::Entrant> entrants;
  for (const mv1::Member& m : county.members) {
    entrants.push_back(MustRegisterMember(server, id, m.member_id()));
  }
  ASSERT_EQ(entrants.size(), 4u);
  EXPECT_EQ(entrants[0].name(), county.members[0].name());
  EXPECT_EQ(entrants[0].employer_org_id(), county.members[0].org_id());
  EXPECT_EQ(entrants[0].employer_name(), county.union_a1.name());

  Judges judges(server);
  const int64_t e0 = entrants[0].entrant_id(), e1 = entrants[1].entrant_id(),
                e2 = entrants[2].entrant_id(), e3 = entrants[3].entrant_id();
  // e0 and e1 reach 90.00 on the manual event through different spreads
  // (the extremes dropped) and tie overall on 170.00.
  MustJudge(judges, id, e0, manual, {9000, 9000, 9000, 10000, 5000});
  MustJudge(judges, id, e1, manual, {8900, 9000, 9100, 9900, 8000});
  MustJudge(judges, id, e2, manual, {8000, 8000, 8000, 8000, 8000});
  MustJudge(judges, id, e3, manual, {7000, 7000, 7000, 7000, 7000});
  MustJudge(judges, id, e0, machine, {8000, 8000, 8000, 8000, 8000});
  MustJudge(judges, id, e1, machine, {8000, 8000, 8000, 8000, 8000});
  // 85.00 after dropping one 86.00 and one 85.00.
  MustJudge(judges, id, e2, machine, {8500, 8500, 8500, 8500, 8600});
  MustJudge(judges, id, e3, machine, {7000, 7000, 7000, 7000, 7000});

  av1::GetLeaderboardResponse board = MustLeaderboard(server, id);
  EXPECT_EQ(board.status(), av1::COMPETITION_STATUS_OPEN);
  ASSERT_EQ(board.events_size(), 2);
  EXPECT_EQ(board.events(0).event_name(), "手工点钞");
  EXPECT_EQ(Ranks(board.events(0).rows()), (std::vector<int64_t>{1, 1, 3, 4}));
  EXPECT_EQ(board.events(0).rows(0).scores_counted(), 3);
  EXPECT_EQ(board.events(0).rows(0).scores_dropped(), 2);
  EXPECT_EQ(Ranks(board.overall()), (std::vector<int64_t>{1, 1, 3, 4}));
  EXPECT_EQ(EntrantIds(board.overall()),
            (std::vector<int64_t>{e0, e1, e2, e3}));
  EXPECT_EQ(board.overall(0).points_centi(), 17000);
  EXPECT_EQ(board.overall(1).points_centi(), 17000);
  EXPECT_EQ(board.overall(2).points_centi(), 16500);
  EXPECT_EQ(board.overall(3).points_centi(), 14000);
  EXPECT_EQ(board.overall(0).member_id(), county.members[0].member_id());

  // Results are not final yet: no nominations.
  av1::NominateFromCompetitionRequest nominate;
  nominate.set_request_id(NewRequestId());
  nominate.set_competition_id(id);
  nominate.set_top_n(1);
  nominate.set_citation("在全县职工技能大赛中表现突出");
  av1::NominateFromCompetitionResponse nominated;
  grpc::Status early =
      Rpc(server.competitions(), &CStub::NominateFromCompetition, nominate,
          &nominated);
  EXPECT_EQ(early.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(early.error_message(), HasSubstr("OPEN"));

  av1::FinishCompetitionResponse finished;
  ASSERT_TRUE(Finish(server, id, &finished).ok());
  EXPECT_EQ(finished.competition().status(), av1::COMPETITION_STATUS_FINISHED);
  EXPECT_EQ(finished.competition().finished_on(), "2025-06-02");
  EXPECT_EQ(finished.competition().entrant_count(), 4);
  EXPECT_EQ(MustLeaderboard(server, id).status(),
            av1::COMPETITION_STATUS_FINISHED);

  // Finished: scores and entrants are frozen, finishing again is refused.
  grpc::Status late =
      SubmitScore(judges[JudgeSubject(1)], id, e3, manual, 9999);
  EXPECT_EQ(late.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  av1::RegisterEntrantRequest again;
  again.set_request_id(NewRequestId());
  again.mutable_entrant()->set_competition_id(id);
  again.mutable_entrant()->set_team_name("迟到队");
  again.mutable_entrant()->set_employer_org_id(county.union_a1.org_id());
  av1::RegisterEntrantResponse registered;
  EXPECT_EQ(
      Rpc(server.competitions(), &CStub::RegisterEntrant, again, &registered)
          .error_code(),
      grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Finish(server, id).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  // Top 1 with a tie on first place brings both.
  nominate.set_request_id(NewRequestId());
  ASSERT_TRUE(Rpc(server.competitions(), &CStub::NominateFromCompetition,
                  nominate, &nominated)
                  .ok());
  ASSERT_EQ(nominated.nomination_ids_size(), 2);
  EXPECT_EQ(EntrantIds(nominated.nominated()), (std::vector<int64_t>{e0, e1}));
  for (int i = 0; i < 2; ++i) {
    av1::GetNominationRequest get;
    get.set_nomination_id(nominated.nomination_ids(i));
    const av1::Nomination n =
        MustRpc(server.awards(), &AStub::GetNomination, get, "GetNomination")
            .nomination();
    EXPECT_EQ(n.status(), av1::NOMINATION_STATUS_DRAFT);
    EXPECT_EQ(n.program_id(), program.program_id());
    EXPECT_EQ(n.nominating_org_id(), county_id);
    EXPECT_EQ(n.member_id(), county.members[i].member_id());
    EXPECT_EQ(n.subject_name(), county.members[i].name());
    EXPECT_THAT(n.citation(), HasSubstr("在全县职工技能大赛中表现突出"));
    EXPECT_THAT(n.citation(), HasSubstr("第1名，总分170.00"));
  }

  // The same request again: the same nominations, nothing new.
  av1::NominateFromCompetitionResponse replay;
  ASSERT_TRUE(Rpc(server.competitions(), &CStub::NominateFromCompetition,
                  nominate, &replay)
                  .ok());
  EXPECT_EQ(replay.nomination_ids(0), nominated.nomination_ids(0));
  EXPECT_EQ(replay.nomination_ids(1), nominated.nomination_ids(1));
  // A new request for the top 3 would nominate them again: refused whole.
  nominate.set_request_id(NewRequestId());
  nominate.set_top_n(3);
  grpc::Status twice =
      Rpc(server.competitions(), &CStub::NominateFromCompetition, nominate,
          &nominated);
  EXPECT_EQ(twice.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(twice.error_message(), HasSubstr("already nominated"));
  av1::ListNominationsRequest list;
  list.set_program_id(program.program_id());
  EXPECT_EQ(
      MustRpc(server.awards(), &AStub::ListNominations, list, "ListNominations")
          .nominations_size(),
      2);
}

TEST(Competition, FinishingNeedsEveryScoreAndAnEntrant) {
  AwardsServer server("contest_finish");
  const SmallCounty county =
      BuildSmallCounty(server.finance_server(), {500000, 500000});
  const av1::Competition contest = MustCreateContest(
      server, ContestSpec(county.county.org_id(), 2, {"理论", "实操"}));
  const int64_t id = contest.competition_id();
  grpc::Status empty = Finish(server, id);
  EXPECT_EQ(empty.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(empty.error_message(), HasSubstr("no entrants"));

  const av1::Entrant a =
      MustRegisterMember(server, id, county.members[0].member_id());
  const av1::Entrant b =
      MustRegisterMember(server, id, county.members[1].member_id());
  Judges judges(server);
  const int64_t theory = contest.events(0).event_id();
  const int64_t practice = contest.events(1).event_id();
  MustJudge(judges, id, a.entrant_id(), theory, {9000, 9100});
  MustJudge(judges, id, a.entrant_id(), practice, {9000, 9100});
  MustJudge(judges, id, b.entrant_id(), theory, {8000, 8100});
  MustJudge(judges, id, b.entrant_id(), practice, {8000});  // judge-2 absent
  grpc::Status incomplete = Finish(server, id);
  EXPECT_EQ(incomplete.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(incomplete.error_message(), HasSubstr("lacks 1 score"));
  EXPECT_THAT(incomplete.error_message(), HasSubstr("实操 by judge-2"));
  EXPECT_EQ(MustLeaderboard(server, id).status(), av1::COMPETITION_STATUS_OPEN);

  ASSERT_TRUE(
      SubmitScore(judges["judge-2"], id, b.entrant_id(), practice, 8051).ok());
  EXPECT_TRUE(Finish(server, id).ok());
  // Two judges: nothing dropped, means rounded half up: 90.50 + 90.50, and
  // 80.50 + 80.255 -> 80.26 = 160.76 for the second.
  const av1::GetLeaderboardResponse board = MustLeaderboard(server, id);
  ASSERT_EQ(board.overall_size(), 2);
  EXPECT_EQ(board.overall(0).points_centi(), 18100);
  EXPECT_EQ(board.overall(1).points_centi(), 16076);
  EXPECT_EQ(board.overall(1).scores_dropped(), 0);
}

TEST(Competition, EveryMutationIsIdempotent) {
  AwardsServer server("contest_idem");
  const SmallCounty county =
      BuildSmallCounty(server.finance_server(), {500000});
  av1::CreateCompetitionRequest create;
  create.set_request_id(NewRequestId());
  *create.mutable_competition() =
      ContestSpec(county.county.org_id(), 1, {"安全知识"});
  create.mutable_competition()->set_kind(av1::COMPETITION_KIND_SAFETY);
  const av1::CreateCompetitionResponse first = MustRpc(
      server.competitions(), &CStub::CreateCompetition, create, "create");
  const av1::CreateCompetitionResponse second = MustRpc(
      server.competitions(), &CStub::CreateCompetition, create, "replay");
  EXPECT_EQ(first.competition().competition_id(),
            second.competition().competition_id());
  av1::ListCompetitionsRequest list;
  list.set_organizer_org_id(county.county.org_id());
  EXPECT_EQ(
      MustRpc(server.competitions(), &CStub::ListCompetitions, list, "list")
          .competitions_size(),
      1);
  // The same request_id for another body is refused.
  create.mutable_competition()->set_name("另一个比赛");
  av1::CreateCompetitionResponse other;
  EXPECT_EQ(
      Rpc(server.competitions(), &CStub::CreateCompetition, create, &other)
          .error_code(),
      grpc::StatusCode::INVALID_ARGUMENT);

  const int64_t id = first.competition().competition_id();
  const int64_t event = first.competition().events(0).event_id();
  av1::RegisterEntrantRequest reg;
  reg.set_request_id(NewRequestId());
  reg.mutable_entrant()->set_competition_id(id);
  reg.mutable_entrant()->set_member_id(county.members[0].member_id());
  const av1::RegisterEntrantResponse r1 =
      MustRpc(server.competitions(), &CStub::RegisterEntrant, reg, "register");
  const av1::RegisterEntrantResponse r2 =
      MustRpc(server.competitions(), &CStub::RegisterEntrant, reg, "replay");
  EXPECT_EQ(r1.entrant().entrant_id(), r2.entrant().entrant_id());
  // A new request for the same member is a duplicate registration.
  reg.set_request_id(NewRequestId());
  av1::RegisterEntrantResponse dup;
  EXPECT_EQ(Rpc(server.competitions(), &CStub::RegisterEntrant, reg, &dup)
                .error_code(),
            grpc::StatusCode::ALREADY_EXISTS);

  Judges judges(server);
  const av1::SubmitScoreRequest score =
      ScoreRequest(id, r1.entrant().entrant_id(), event, 8800);
  const av1::SubmitScoreResponse s1 =
      MustRpc(judges["judge-1"], &CStub::SubmitScore, score, "score");
  const av1::SubmitScoreResponse s2 =
      MustRpc(judges["judge-1"], &CStub::SubmitScore, score, "replay");
  EXPECT_EQ(s1.score().judge(), "judge-1");
  EXPECT_EQ(s1.score().revision(), 1);
  EXPECT_EQ(s2.score().revision(), 1);
  // A correction (a new request) replaces the score.
  const av1::SubmitScoreResponse s3 = MustRpc(
      judges["judge-1"], &CStub::SubmitScore,
      ScoreRequest(id, r1.entrant().entrant_id(), event, 9150), "correct");
  EXPECT_EQ(s3.score().revision(), 2);
  av1::GetLeaderboardResponse board = MustLeaderboard(server, id);
  ASSERT_EQ(board.overall_size(), 1);
  EXPECT_EQ(board.overall(0).points_centi(), 9150);
  EXPECT_EQ(board.overall(0).scores_counted(), 1);

  av1::FinishCompetitionRequest finish;
  finish.set_request_id(NewRequestId());
  finish.set_competition_id(id);
  const av1::FinishCompetitionResponse f1 =
      MustRpc(server.competitions(), &CStub::FinishCompetition, finish, "fin");
  const av1::FinishCompetitionResponse f2 = MustRpc(
      server.competitions(), &CStub::FinishCompetition, finish, "fin replay");
  EXPECT_EQ(f2.competition().status(), av1::COMPETITION_STATUS_FINISHED);
  EXPECT_EQ(f1.competition().finished_on(), f2.competition().finished_on());
}

}  // namespace
}  // namespace unionhub::testing
