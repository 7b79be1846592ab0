// Shared by the competition service tests: a small county with members,
// a contest builder, judges' stubs (role "judge", one subject each) and
// "must succeed" shortcuts that record a test failure (never abort).
#ifndef UNIONHUB_TESTS_SERVICE_AWARDS_COMPETITION_HELPERS_H_
#define UNIONHUB_TESTS_SERVICE_AWARDS_COMPETITION_HELPERS_H_

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/core/dates.h"
#include "tests/service/finance_helpers.h"
#include "tests/support/awards_fixture.h"

namespace unionhub::testing {

using CStub = av1::CompetitionService::Stub;
using AStub = av1::AwardsService::Stub;

inline std::string JudgeSubject(int i) { return "judge-" + std::to_string(i); }

// Judges' stubs, made once per subject.
class Judges {
 public:
  explicit Judges(AwardsServer& server) : server_(server) {}
  CStub& operator[](const std::string& subject) {
    std::unique_ptr<CStub>& stub = stubs_[subject];
    if (stub == nullptr) {
      stub =
          server_.CompetitionsWithToken(MintTestToken({"judge"}, 0, subject));
    }
    return *stub;
  }

 private:
  AwardsServer& server_;
  std::map<std::string, std::unique_ptr<CStub>> stubs_;
};

// A skills contest of `county` with the given events (equal weights) and
// judges judge-1..judge-<judges>.
inline av1::Competition ContestSpec(int64_t organizer, int judges,
                                    const std::vector<std::string>& events,
                                    int64_t linked_program = 0) {
  av1::Competition c;
  c.set_kind(av1::COMPETITION_KIND_SKILLS);
  c.set_name("职工技能大赛");
  c.set_organizer_org_id(organizer);
  c.set_year(2025);
  c.set_linked_program_id(linked_program);
  for (const std::string& name : events) c.add_events()->set_name(name);
  for (int i = 1; i <= judges; ++i) {
    av1::Judge* j = c.add_judges();
    j->set_subject(JudgeSubject(i));
    j->set_name("评委" + std::to_string(i));
  }
  return c;
}

inline av1::Competition MustCreateContest(AwardsServer& server,
                                          const av1::Competition& spec) {
  av1::CreateCompetitionRequest req;
  req.set_request_id(NewRequestId());
  *req.mutable_competition() = spec;
  return MustRpc(server.competitions(), &CStub::CreateCompetition, req,
                 "CreateCompetition")
      .competition();
}

inline av1::Entrant MustRegisterMember(AwardsServer& server,
                                       int64_t competition_id,
                                       int64_t member_id) {
  av1::RegisterEntrantRequest req;
  req.set_request_id(NewRequestId());
  req.mutable_entrant()->set_competition_id(competition_id);
  req.mutable_entrant()->set_member_id(member_id);
  return MustRpc(server.competitions(), &CStub::RegisterEntrant, req,
                 "RegisterEntrant")
      .entrant();
}

inline av1::SubmitScoreRequest ScoreRequest(int64_t competition_id,
                                            int64_t entrant_id,
                                            int64_t event_id,
                                            int64_t points_centi) {
  av1::SubmitScoreRequest req;
  req.set_request_id(NewRequestId());
  req.mutable_score()->set_competition_id(competition_id);
  req.mutable_score()->set_entrant_id(entrant_id);
  req.mutable_score()->set_event_id(event_id);
  req.mutable_score()->set_points_centi(points_centi);
  return req;
}

inline grpc::Status SubmitScore(CStub& judge, int64_t competition_id,
                                int64_t entrant_id, int64_t event_id,
                                int64_t points_centi,
                                av1::SubmitScoreResponse* out = nullptr) {
  av1::SubmitScoreResponse resp;
  return Rpc(judge, &CStub::SubmitScore,
             ScoreRequest(competition_id, entrant_id, event_id, points_centi),
             out != nullptr ? out : &resp);
}

// judge-(i+1) gives points[i] to the entrant on the event.
inline void MustJudge(Judges& judges, int64_t competition_id,
                      int64_t entrant_id, int64_t event_id,
                      const std::vector<int64_t>& points) {
  for (size_t i = 0; i < points.size(); ++i) {
    grpc::Status s =
        SubmitScore(judges[JudgeSubject(static_cast<int>(i) + 1)],
                    competition_id, entrant_id, event_id, points[i]);
    EXPECT_TRUE(s.ok()) << "score by " << JudgeSubject(i + 1) << " of "
                        << entrant_id << ": " << s.error_message();
  }
}

inline grpc::Status Finish(AwardsServer& server, int64_t competition_id,
                           av1::FinishCompetitionResponse* out = nullptr) {
  av1::FinishCompetitionRequest req;
  req.set_request_id(NewRequestId());
  req.set_competition_id(competition_id);
  av1::FinishCompetitionResponse resp;
  return Rpc(server.competitions(), &CStub::FinishCompetition, req,
             out != nullptr ? out : &resp);
}

inline av1::GetLeaderboardResponse MustLeaderboard(AwardsServer& server,
                                                   int64_t competition_id) {
  av1::GetLeaderboardRequest req;
  req.set_competition_id(competition_id);
  return MustRpc(server.competitions(), &CStub::GetLeaderboard, req,
                 "GetLeaderboard");
}

// An individual county programme taking nominations from `organizer`
// (allocation `quota`) today, whose window is the fixture's today +- 10.
inline av1::Program MustOpenProgram(AwardsServer& server, int64_t organizer,
                                    int quota) {
  av1::CreateProgramRequest create;
  create.set_request_id(NewRequestId());
  av1::Program& p = *create.mutable_program();
  p.set_title("县级五一劳动奖章");
  p.set_level(av1::AWARD_LEVEL_COUNTY);
  p.set_year(2025);
  p.set_subject_type(av1::SUBJECT_TYPE_INDIVIDUAL);
  p.set_organizer_org_id(organizer);
  p.set_total_quota(quota);
  av1::Allocation* a = p.add_allocations();
  a->set_org_id(organizer);
  a->set_quota(quota);
  p.set_nomination_opens_on(dates::FormatDate(server.Today() - 10));
  p.set_nomination_closes_on(dates::FormatDate(server.Today() + 10));
  const av1::Program created =
      MustRpc(server.awards(), &AStub::CreateProgram, create, "CreateProgram")
          .program();
  av1::OpenNominationsRequest open;
  open.set_request_id(NewRequestId());
  open.set_program_id(created.program_id());
  return MustRpc(server.awards(), &AStub::OpenNominations, open,
                 "OpenNominations")
      .program();
}

}  // namespace unionhub::testing

#endif  // UNIONHUB_TESTS_SERVICE_AWARDS_COMPETITION_HELPERS_H_
