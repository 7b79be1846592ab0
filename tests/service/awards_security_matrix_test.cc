// The authorisation matrix of the awards service binary: every RPC of
// AwardsService and CompetitionService x every role (judge included), with
// unscoped tokens, against one seeded county. The expectations are written
// out by hand below from the product's intent; they are deliberately NOT
// derived from the proto declarations or from common/auth/roles.cc, which
// the gate itself reads.
//
// A refused call must be PERMISSION_DENIED and write nothing (the awards
// tables are fingerprinted before and after); a refused write leaves one
// audit_trail row with the refusal. An allowed call must get past the gate:
// the roles of one RPC share one seeded state, so an allowed call may meet a
// FAILED_PRECONDITION or NOT_FOUND of the workflow, never a refusal.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "tests/service/awards_competition_helpers.h"
#include "tests/service/awards_helpers.h"

namespace unionhub::testing {
namespace {

const char* const kRoles[] = {"admin",     "registrar",       "finance_clerk",
                              "auditor",   "award_committee", "reviewer",
                              "nominator", "judge",           "service"};
constexpr int kRoleCount = 9;

struct Expectation {
  const char* service;  // "A" AwardsService, "C" CompetitionService
  const char* rpc;
  bool writes;
  // One column per role in kRoles order, every fourth character:
  // 'Y' allowed, '.' refused.
  const char* allowed;
};

// Written by hand from the product's intent:
//  - admin may do everything;
//  - award_committee runs programmes and contests end to end, and alone
//    sees a programme's reviewers (nobody who could lobby them does);
//  - reviewer reads programmes, nominations and honours, votes and files
//    objections;
//  - nominator reads programmes, nominations, honours and contests,
//    nominates (create, submit, withdraw) and files objections;
//  - judge reads contests and scores them, nothing of the programmes;
//  - registrar, finance_clerk, auditor and service have no part in awards.
// clang-format off
constexpr Expectation kExpected[] = {
    // svc rpc                       writes  adm reg fin aud awd rev nom jdg svc
    {"A", "CreateProgram",           true,  "Y   .   .   .   Y   .   .   .   ."},
    {"A", "GetProgram",              false, "Y   .   .   .   Y   Y   Y   .   ."},
    {"A", "ListPrograms",            false, "Y   .   .   .   Y   Y   Y   .   ."},
    {"A", "OpenNominations",         true,  "Y   .   .   .   Y   .   .   .   ."},
    {"A", "CreateNomination",        true,  "Y   .   .   .   Y   .   Y   .   ."},
    {"A", "SubmitNomination",        true,  "Y   .   .   .   Y   .   Y   .   ."},
    {"A", "GetNomination",           false, "Y   .   .   .   Y   Y   Y   .   ."},
    {"A", "ListNominations",         false, "Y   .   .   .   Y   Y   Y   .   ."},
    {"A", "AssignReviewers",         true,  "Y   .   .   .   Y   .   .   .   ."},
    {"A", "ListReviewers",           false, "Y   .   .   .   Y   .   .   .   ."},
    {"A", "CastVote",                true,  "Y   .   .   .   Y   Y   .   .   ."},
    {"A", "FileObjection",           true,  "Y   .   .   .   Y   Y   Y   .   ."},
    {"A", "ListObjections",          false, "Y   .   .   .   Y   Y   Y   .   ."},
    {"A", "ResolveObjection",        true,  "Y   .   .   .   Y   .   .   .   ."},
    {"A", "GetPublicityNotice",      false, "Y   .   .   .   Y   Y   Y   .   ."},
    {"A", "ListHonours",             false, "Y   .   .   .   Y   Y   Y   .   ."},
    {"A", "RevokeHonour",            true,  "Y   .   .   .   Y   .   .   .   ."},
    {"A", "WithdrawNomination",      true,  "Y   .   .   .   Y   .   Y   .   ."},
    {"A", "CloseNominations",        true,  "Y   .   .   .   Y   .   .   .   ."},
    {"A", "CloseReview",             true,  "Y   .   .   .   Y   .   .   .   ."},
    {"A", "StartPublicity",          true,  "Y   .   .   .   Y   .   .   .   ."},
    {"A", "FinalizeProgram",         true,  "Y   .   .   .   Y   .   .   .   ."},
    {"C", "CreateCompetition",       true,  "Y   .   .   .   Y   .   .   .   ."},
    {"C", "GetCompetition",          false, "Y   .   .   .   Y   .   Y   Y   ."},
    {"C", "ListCompetitions",        false, "Y   .   .   .   Y   .   Y   Y   ."},
    {"C", "RegisterEntrant",         true,  "Y   .   .   .   Y   .   .   .   ."},
    {"C", "ListEntrants",            false, "Y   .   .   .   Y   .   Y   Y   ."},
    {"C", "SubmitScore",             true,  "Y   .   .   .   Y   .   .   Y   ."},
    {"C", "GetLeaderboard",          false, "Y   .   .   .   Y   .   Y   Y   ."},
    {"C", "FinishCompetition",       true,  "Y   .   .   .   Y   .   .   .   ."},
    {"C", "NominateFromCompetition", true,  "Y   .   .   .   Y   .   .   .   ."},
};
// clang-format on
constexpr int kRpcCount = sizeof(kExpected) / sizeof(kExpected[0]);

std::string Subject(const std::string& role) { return "sec-" + role; }

// What the calls act on, made once by admin.
struct Seed {
  SmallCounty county;
  int64_t program = 0;
  int64_t nomination = 0;
  int64_t competition = 0;
  int64_t entrant = 0;
  int64_t event = 0;
};

// One test per RPC (ctest runs each in its own process on a fresh seed),
// trying every role in turn.
class AwardsSecurityMatrixTest : public ::testing::TestWithParam<int> {
 protected:
  static void SetUpTestSuite() {
    server_ = new AwardsServer("awards_secmatrix");
    server_->SetToday(TestToday());
    seed_ = new Seed;
    Seed& s = *seed_;
    s.county = BuildSmallCounty(server_->finance_server(),
                                {500000, 500000, 500000}, "2024-01-10");
    const SmallCounty& c = s.county;
    s.program =
        MustCreateProgram(
            *server_, BasicProgram(c.county.org_id(),
                                   {c.union_a1.org_id(), c.union_b1.org_id()}))
            .program_id();
    s.nomination = MustNominate(*server_, s.program, c.union_a1.org_id(),
                                c.members[0].member_id())
                       .nomination_id();
    av1::AssignReviewersRequest reviewers =
        WithProgram<av1::AssignReviewersRequest>(s.program);
    for (const char* role : {"admin", "award_committee", "reviewer"}) {
      av1::Reviewer* r = reviewers.add_reviewers();
      r->set_subject(Subject(role));
      r->set_name(role);
      r->set_org_id(c.county.org_id());
    }
    MustRpc(server_->awards(), &AStub::AssignReviewers, reviewers,
            "AssignReviewers");
    av1::Competition spec = ContestSpec(c.county.org_id(), 0, {"理论"});
    for (const char* role : {"admin", "award_committee", "judge"}) {
      av1::Judge* j = spec.add_judges();
      j->set_subject(Subject(role));
      j->set_name(role);
    }
    const av1::Competition contest = MustCreateContest(*server_, spec);
    s.competition = contest.competition_id();
    s.event = contest.events(0).event_id();
    s.entrant =
        MustRegisterMember(*server_, s.competition, c.members[2].member_id())
            .entrant_id();
  }
  static void TearDownTestSuite() {
    delete seed_;
    delete server_;
  }

  // Rows of every awards table and the state of each programme,
  // nomination and competition.
  static std::string Fingerprint() {
    TestDatabase& db = server_->database();
    std::string out;
    for (const char* table :
         {"programs", "nominations", "reviewers", "votes", "vote_comments",
          "objections", "honours", "competitions", "competition_events",
          "competition_judges", "competition_entrants", "competition_scores",
          "competition_nominations"}) {
      absl::StrAppend(
          &out, table, "=",
          db.QueryValue(absl::StrCat("SELECT COUNT(*) FROM ", table)), " ");
    }
    absl::StrAppend(&out,
                    db.QueryValue("SELECT COALESCE(GROUP_CONCAT(status ORDER "
                                  "BY id), '') FROM programs"),
                    " ",
                    db.QueryValue("SELECT COALESCE(GROUP_CONCAT(status ORDER "
                                  "BY id), '') FROM nominations"),
                    " ",
                    db.QueryValue("SELECT COALESCE(GROUP_CONCAT(status ORDER "
                                  "BY id), '') FROM competitions"));
    return out;
  }

  static int AuditRows(const std::string& actor, const std::string& method,
                       const std::string& result) {
    return std::stoi(server_->database().QueryValue(
        "SELECT COUNT(*) FROM audit_trail WHERE actor = ? AND method = ? AND "
        "result = ?",
        actor, method, result));
  }

  static AwardsServer* server_;
  static Seed* seed_;
};
AwardsServer* AwardsSecurityMatrixTest::server_ = nullptr;
Seed* AwardsSecurityMatrixTest::seed_ = nullptr;

// One call of `rpc` with a request that is valid on the seeded state.
grpc::Status CallRpc(const std::string& rpc, AwardsServer& server,
                     const std::string& token, const Seed& s) {
  std::unique_ptr<AStub> a = server.AwardsWithToken(token);
  std::unique_ptr<CStub> c = server.CompetitionsWithToken(token);
  const SmallCounty& county = s.county;
  if (rpc == "CreateProgram") {
    av1::CreateProgramRequest req;
    req.set_request_id(NewRequestId());
    *req.mutable_program() =
        BasicProgram(county.county.org_id(), {county.union_a2.org_id()});
    av1::CreateProgramResponse resp;
    return Rpc(*a, &AStub::CreateProgram, req, &resp);
  }
  if (rpc == "GetProgram") {
    av1::GetProgramRequest req;
    req.set_program_id(s.program);
    av1::GetProgramResponse resp;
    return Rpc(*a, &AStub::GetProgram, req, &resp);
  }
  if (rpc == "ListPrograms") {
    av1::ListProgramsRequest req;
    av1::ListProgramsResponse resp;
    return Rpc(*a, &AStub::ListPrograms, req, &resp);
  }
  if (rpc == "OpenNominations") {
    av1::OpenNominationsResponse resp;
    return Rpc(*a, &AStub::OpenNominations,
               WithProgram<av1::OpenNominationsRequest>(s.program), &resp);
  }
  if (rpc == "CloseNominations") {
    av1::CloseNominationsResponse resp;
    return Rpc(*a, &AStub::CloseNominations,
               WithProgram<av1::CloseNominationsRequest>(s.program), &resp);
  }
  if (rpc == "CreateNomination") {
    av1::CreateNominationResponse resp;
    return Rpc(*a, &AStub::CreateNomination,
               NominationRequest(s.program, county.union_b1.org_id(),
                                 county.members[2].member_id()),
               &resp);
  }
  if (rpc == "SubmitNomination" || rpc == "WithdrawNomination" ||
      rpc == "GetNomination" || rpc == "CastVote" || rpc == "FileObjection") {
    if (rpc == "SubmitNomination") {
      av1::SubmitNominationRequest req;
      req.set_request_id(NewRequestId());
      req.set_nomination_id(s.nomination);
      av1::SubmitNominationResponse resp;
      return Rpc(*a, &AStub::SubmitNomination, req, &resp);
    }
    if (rpc == "WithdrawNomination") {
      av1::WithdrawNominationRequest req;
      req.set_request_id(NewRequestId());
      req.set_nomination_id(s.nomination);
      req.set_reason("本人申请撤回");
      av1::WithdrawNominationResponse resp;
      return Rpc(*a, &AStub::WithdrawNomination, req, &resp);
    }
    if (rpc == "GetNomination") {
      av1::GetNominationRequest req;
      req.set_nomination_id(s.nomination);
      av1::GetNominationResponse resp;
      return Rpc(*a, &AStub::GetNomination, req, &resp);
    }
    if (rpc == "CastVote") {
      return Vote(*a, s.nomination, av1::VOTE_CHOICE_APPROVE);
    }
    av1::FileObjectionRequest req;
    req.set_request_id(NewRequestId());
    req.set_nomination_id(s.nomination);
    req.set_grounds("事迹材料与实际不符");
    av1::FileObjectionResponse resp;
    return Rpc(*a, &AStub::FileObjection, req, &resp);
  }
  if (rpc == "ListNominations") {
    av1::ListNominationsRequest req;
    req.set_program_id(s.program);
    av1::ListNominationsResponse resp;
    return Rpc(*a, &AStub::ListNominations, req, &resp);
  }
  if (rpc == "AssignReviewers") {
    av1::AssignReviewersRequest req =
        WithProgram<av1::AssignReviewersRequest>(s.program);
    av1::Reviewer* r = req.add_reviewers();
    r->set_subject("extra-reviewer");
    r->set_name("评委");
    r->set_org_id(county.county.org_id());
    av1::AssignReviewersResponse resp;
    return Rpc(*a, &AStub::AssignReviewers, req, &resp);
  }
  if (rpc == "ListReviewers") {
    av1::ListReviewersRequest req;
    req.set_program_id(s.program);
    av1::ListReviewersResponse resp;
    return Rpc(*a, &AStub::ListReviewers, req, &resp);
  }
  if (rpc == "CloseReview") {
    av1::CloseReviewResponse resp;
    return Rpc(*a, &AStub::CloseReview,
               WithProgram<av1::CloseReviewRequest>(s.program), &resp);
  }
  if (rpc == "StartPublicity") {
    av1::StartPublicityResponse resp;
    return Rpc(*a, &AStub::StartPublicity,
               WithProgram<av1::StartPublicityRequest>(s.program), &resp);
  }
  if (rpc == "GetPublicityNotice") {
    av1::GetPublicityNoticeRequest req;
    req.set_program_id(s.program);
    av1::GetPublicityNoticeResponse resp;
    return Rpc(*a, &AStub::GetPublicityNotice, req, &resp);
  }
  if (rpc == "ResolveObjection") {
    av1::ResolveObjectionRequest req;
    req.set_request_id(NewRequestId());
    req.set_objection_id(1);
    req.set_outcome(av1::OBJECTION_STATUS_DISMISSED);
    req.set_resolution("经核实，材料属实");
    av1::ResolveObjectionResponse resp;
    return Rpc(*a, &AStub::ResolveObjection, req, &resp);
  }
  if (rpc == "ListObjections") {
    av1::ListObjectionsRequest req;
    req.set_program_id(s.program);
    av1::ListObjectionsResponse resp;
    return Rpc(*a, &AStub::ListObjections, req, &resp);
  }
  if (rpc == "FinalizeProgram") {
    av1::FinalizeProgramResponse resp;
    return Rpc(*a, &AStub::FinalizeProgram,
               WithProgram<av1::FinalizeProgramRequest>(s.program), &resp);
  }
  if (rpc == "ListHonours") {
    av1::ListHonoursRequest req;
    req.set_program_id(s.program);
    av1::ListHonoursResponse resp;
    return Rpc(*a, &AStub::ListHonours, req, &resp);
  }
  if (rpc == "RevokeHonour") {
    av1::RevokeHonourRequest req;
    req.set_request_id(NewRequestId());
    req.set_honour_id(1);
    req.set_reason("弄虚作假");
    av1::RevokeHonourResponse resp;
    return Rpc(*a, &AStub::RevokeHonour, req, &resp);
  }
  if (rpc == "CreateCompetition") {
    av1::CreateCompetitionRequest req;
    req.set_request_id(NewRequestId());
    *req.mutable_competition() =
        ContestSpec(county.county.org_id(), 1, {"实操"});
    av1::CreateCompetitionResponse resp;
    return Rpc(*c, &CStub::CreateCompetition, req, &resp);
  }
  if (rpc == "GetCompetition") {
    av1::GetCompetitionRequest req;
    req.set_competition_id(s.competition);
    av1::GetCompetitionResponse resp;
    return Rpc(*c, &CStub::GetCompetition, req, &resp);
  }
  if (rpc == "ListCompetitions") {
    av1::ListCompetitionsRequest req;
    av1::ListCompetitionsResponse resp;
    return Rpc(*c, &CStub::ListCompetitions, req, &resp);
  }
  if (rpc == "RegisterEntrant") {
    av1::RegisterEntrantRequest req;
    req.set_request_id(NewRequestId());
    req.mutable_entrant()->set_competition_id(s.competition);
    req.mutable_entrant()->set_member_id(county.members[1].member_id());
    av1::RegisterEntrantResponse resp;
    return Rpc(*c, &CStub::RegisterEntrant, req, &resp);
  }
  if (rpc == "ListEntrants") {
    av1::ListEntrantsRequest req;
    req.set_competition_id(s.competition);
    av1::ListEntrantsResponse resp;
    return Rpc(*c, &CStub::ListEntrants, req, &resp);
  }
  if (rpc == "SubmitScore") {
    return SubmitScore(*c, s.competition, s.entrant, s.event, 9000);
  }
  if (rpc == "GetLeaderboard") {
    av1::GetLeaderboardRequest req;
    req.set_competition_id(s.competition);
    av1::GetLeaderboardResponse resp;
    return Rpc(*c, &CStub::GetLeaderboard, req, &resp);
  }
  if (rpc == "FinishCompetition") {
    av1::FinishCompetitionRequest req;
    req.set_request_id(NewRequestId());
    req.set_competition_id(s.competition);
    av1::FinishCompetitionResponse resp;
    return Rpc(*c, &CStub::FinishCompetition, req, &resp);
  }
  if (rpc == "NominateFromCompetition") {
    av1::NominateFromCompetitionRequest req;
    req.set_request_id(NewRequestId());
    req.set_competition_id(s.competition);
    req.set_top_n(1);
    av1::NominateFromCompetitionResponse resp;
    return Rpc(*c, &CStub::NominateFromCompetition, req, &resp);
  }
  ADD_FAILURE() << "no call written for " << rpc;
  return grpc::Status(grpc::StatusCode::UNIMPLEMENTED, rpc);
}

std::string RpcName(const ::testing::TestParamInfo<int>& info) {
  return kExpected[info.param].rpc;
}

TEST_P(AwardsSecurityMatrixTest, EveryRoleMayCallItExactlyAsTheTableSays) {
  const Expectation& expected = kExpected[GetParam()];
  ASSERT_EQ(std::string(expected.allowed).size(), 4u * kRoleCount - 3)
      << "malformed row for " << expected.rpc;
  const std::string method =
      absl::StrCat("unionhub.awards.v1.",
                   std::string(expected.service) == "A" ? "AwardsService."
                                                        : "CompetitionService.",
                   expected.rpc);
  // Refused roles first, so each meets the seed as it was made; then the
  // allowed ones (admin last), whose calls may change it.
  std::vector<int> order;
  for (int pass = 0; pass < 2; ++pass) {
    for (int role = kRoleCount - 1; role >= 0; --role) {
      const bool allowed = expected.allowed[role * 4] == 'Y';
      if (allowed == (pass == 1)) order.push_back(role);
    }
  }
  for (int r : order) {
    const std::string role = kRoles[r];
    const bool allowed = expected.allowed[r * 4] == 'Y';
    SCOPED_TRACE(absl::StrCat(expected.rpc, " as ", role));
    const std::string before = Fingerprint();
    const int denied_before =
        AuditRows(Subject(role), method, "PERMISSION_DENIED");
    grpc::Status status =
        CallRpc(expected.rpc, *server_, MintTestToken({role}, 0, Subject(role)),
                *seed_);
    if (allowed) {
      EXPECT_NE(status.error_code(), grpc::StatusCode::PERMISSION_DENIED)
          << role << " must be allowed " << expected.rpc << ": "
          << status.error_message();
      EXPECT_NE(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
      continue;
    }
    EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED)
        << role << " must be refused " << expected.rpc << ": "
        << status.error_message();
    EXPECT_EQ(Fingerprint(), before)
        << "a refused " << expected.rpc << " changed the tables";
    if (expected.writes) {
      EXPECT_EQ(AuditRows(Subject(role), method, "PERMISSION_DENIED"),
                denied_before + 1)
          << "a refused write must be in the audit trail";
    } else {
      EXPECT_EQ(AuditRows(Subject(role), method, "PERMISSION_DENIED"),
                denied_before)
          << "reads are not audited";
    }
  }
}

INSTANTIATE_TEST_SUITE_P(SecurityMatrix, AwardsSecurityMatrixTest,
                         ::testing::Range(0, kRpcCount), RpcName);

// Every method of both services has a row, so a new one cannot be added
// without deciding who may call it.
TEST(AwardsSecurityMatrix, EveryMethodHasARow) {
  std::vector<std::string> rows;
  for (const Expectation& e : kExpected) rows.push_back(e.rpc);
  std::vector<std::string> methods;
  for (const google::protobuf::ServiceDescriptor* service :
       {av1::Program::descriptor()->file()->FindServiceByName("AwardsService"),
        av1::Competition::descriptor()->file()->FindServiceByName(
            "CompetitionService")}) {
    ASSERT_NE(service, nullptr);
    for (int i = 0; i < service->method_count(); ++i) {
      methods.push_back(service->method(i)->name());
    }
  }
  EXPECT_THAT(rows, ::testing::UnorderedElementsAreArray(methods));
}

}  // namespace
}  // namespace unionhub::testing
