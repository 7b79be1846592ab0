// Review, publicity and finalisation: recusal, shortlisting by the
// threshold, the publicity period in working days, an upheld objection
// changing the approved set, finalisation refusing with every broken rule
// named (and nothing changed), honours and their revocation, and a
// programme's honours as callers limited to a subtree see them.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "common/rpc/generic_call.h"
#include "tests/service/awards_helpers.h"

namespace unionhub::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

class AwardsReviewTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new AwardsServer("awards_rev");
    server_->SetToday(TestToday());
    MembershipServer& m = server_->membership();
    county_ =
        MustCreateOrg(m, mv1::ORG_TYPE_COUNTY_FEDERATION, 0, "清河县总工会");
    town_ = MustCreateOrg(m, mv1::ORG_TYPE_TOWNSHIP_UNION, county_.org_id(),
                          "城关镇总工会");
    g1_ = MustCreateGrassroots(m, town_.org_id(), "机械厂工会", 1, 120);
    g2_ = MustCreateGrassroots(m, county_.org_id(), "纺织厂工会", 2, 40);
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override { server_->SetToday(TestToday()); }
  AwardsServer& server() { return *server_; }

  // A programme with `nominees` (seq numbers: even = women) from g1 and g2
  // alternately, submitted, and three reviewers: one from the township
  // (must recuse for g1's nominees), two from g2's sister org... see below.
  struct Flow {
    av1::Program program;
    std::vector<av1::Nomination> nominations;
  };
  Flow Nominate(const av1::Program& spec, const std::vector<int>& seqs) {
    Flow flow;
    std::vector<int64_t> members;
    for (size_t i = 0; i < seqs.size(); ++i) {
      members.push_back(MustJoinPerson(server(),
                                       i % 2 == 0 ? g1_.org_id() : g2_.org_id(),
                                       seqs[i])
                            .member_id());
    }
    server().Sync();
    flow.program = MustCreateProgram(server(), spec);
    for (size_t i = 0; i < members.size(); ++i) {
      const int64_t org = i % 2 == 0 ? g1_.org_id() : g2_.org_id();
      av1::Nomination n =
          MustNominate(server(), flow.program.program_id(), org, members[i]);
      flow.nominations.push_back(MustSubmit(server(), n.nomination_id()));
    }
    MustRpc(
        server().awards(), &AStub::CloseNominations,
        WithProgram<av1::CloseNominationsRequest>(flow.program.program_id()),
        "CloseNominations");
    av1::AssignReviewersRequest assign =
        WithProgram<av1::AssignReviewersRequest>(flow.program.program_id());
    for (const char* subject : {"rev-1", "rev-2", "rev-3"}) {
      av1::Reviewer* r = assign.add_reviewers();
      r->set_subject(subject);
      r->set_name(subject);
      r->set_org_id(county_.org_id());
    }
    MustRpc(server().awards(), &AStub::AssignReviewers, assign,
            "AssignReviewers");
    return flow;
  }
  void ApproveAll(const Flow& flow) {
    for (const char* subject : {"rev-1", "rev-2", "rev-3"}) {
      auto stub =
          server().AwardsWithToken(MintTestToken({"reviewer"}, 0, subject));
      for (const av1::Nomination& n : flow.nominations) {
        grpc::Status s =
            Vote(*stub, n.nomination_id(), av1::VOTE_CHOICE_APPROVE);
        EXPECT_TRUE(s.ok()) << s.error_message();
      }
    }
  }
  av1::CloseReviewResponse CloseReview(const Flow& flow) {
    return MustRpc(
        server().awards(), &AStub::CloseReview,
        WithProgram<av1::CloseReviewRequest>(flow.program.program_id()),
        "CloseReview");
  }
  av1::Program Publish(const Flow& flow) {
    return MustRpc(server().awards(), &AStub::StartPublicity,
                   WithProgram<av1::StartPublicityRequest>(
                       flow.program.program_id()),
                   "StartPublicity")
        .program();
  }
  grpc::Status Finalize(const Flow& flow, av1::FinalizeProgramResponse* out) {
    return Rpc(
        server().awards(), &AStub::FinalizeProgram,
        WithProgram<av1::FinalizeProgramRequest>(flow.program.program_id()),
        out);
  }

  static AwardsServer* server_;
  static mv1::Org county_, town_, g1_, g2_;
};
AwardsServer* AwardsReviewTest::server_ = nullptr;
mv1::Org AwardsReviewTest::county_, AwardsReviewTest::town_,
    AwardsReviewTest::g1_, AwardsReviewTest::g2_;

// The committee as stored, so a console that reloads can show it again: to
// the organiser's committee in full, to another county's committee not at
// all.
TEST_F(AwardsReviewTest, ListReviewersGivesTheWholeCommittee) {
  Flow flow = Nominate(BasicProgram(county_.org_id(), {g1_.org_id()}), {20});
  av1::ListReviewersRequest req;
  req.set_program_id(flow.program.program_id());
  auto own = server().AwardsWithToken(
      MintTestToken({"award_committee"}, county_.org_id(), "committee-own"));
  av1::ListReviewersResponse listed =
      MustRpc(*own, &AStub::ListReviewers, req, "ListReviewers");
  std::vector<std::tuple<std::string, std::string, int64_t>> seen;
  for (const av1::Reviewer& r : listed.reviewers()) {
    seen.emplace_back(r.subject(), r.name(), r.org_id());
  }
  const int64_t c = county_.org_id();
  EXPECT_THAT(seen, ::testing::ElementsAre(std::tuple("rev-1", "rev-1", c),
                                           std::tuple("rev-2", "rev-2", c),
                                           std::tuple("rev-3", "rev-3", c)));
  const mv1::Org other = MustCreateOrg(
      server().membership(), mv1::ORG_TYPE_COUNTY_FEDERATION, 0, "邻县总工会");
  auto outsider = server().AwardsWithToken(
      MintTestToken({"award_committee"}, other.org_id(), "committee-other"));
  av1::ListReviewersResponse refused;
  EXPECT_FALSE(Rpc(*outsider, &AStub::ListReviewers, req, &refused).ok());
  EXPECT_EQ(refused.reviewers_size(), 0);
  // A programme nobody reviews yet has an empty committee, not an error.
  const av1::Program bare = MustCreateProgram(
      server(), BasicProgram(county_.org_id(), {g2_.org_id()}));
  req.set_program_id(bare.program_id());
  EXPECT_EQ(MustRpc(*own, &AStub::ListReviewers, req, "ListReviewers")
                .reviewers_size(),
            0);
}

TEST_F(AwardsReviewTest, ReviewerInTheNomineesChainMustRecuse) {
  Flow flow = Nominate(
      BasicProgram(county_.org_id(), {g1_.org_id(), g2_.org_id()}), {10, 11});
  av1::AssignReviewersRequest assign =
      WithProgram<av1::AssignReviewersRequest>(flow.program.program_id());
  av1::Reviewer* r = assign.add_reviewers();
  r->set_subject("rev-town");
  r->set_name("城关镇 reviewer");
  r->set_org_id(town_.org_id());
  MustRpc(server().awards(), &AStub::AssignReviewers, assign,
          "AssignReviewers");
  auto town =
      server().AwardsWithToken(MintTestToken({"reviewer"}, 0, "rev-town"));
  // g1 is under the township: conflict. g2 is not.
  grpc::Status refused = Vote(*town, flow.nominations[0].nomination_id(),
                              av1::VOTE_CHOICE_APPROVE);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(refused.error_message(), HasSubstr("recuse"));
  const std::vector<PreconditionViolation> recusal =
      rpc::PreconditionViolations(refused.error_details());
  ASSERT_EQ(recusal.size(), 1u);
  EXPECT_EQ(recusal[0].type, "recusal");
  EXPECT_EQ(MustGetNomination(server(), flow.nominations[0].nomination_id())
                .tally()
                .approve(),
            0);
  EXPECT_TRUE(
      Vote(*town, flow.nominations[1].nomination_id(), av1::VOTE_CHOICE_APPROVE)
          .ok());
  // Reviewers from the organiser itself are everyone's ancestor: no conflict.
  auto county =
      server().AwardsWithToken(MintTestToken({"reviewer"}, 0, "rev-1"));
  EXPECT_TRUE(Vote(*county, flow.nominations[0].nomination_id(),
                   av1::VOTE_CHOICE_APPROVE)
                  .ok());
  // Someone not on the committee may not vote at all.
  auto outsider =
      server().AwardsWithToken(MintTestToken({"reviewer"}, 0, "nobody"));
  EXPECT_EQ(Vote(*outsider, flow.nominations[1].nomination_id(),
                 av1::VOTE_CHOICE_APPROVE)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(AwardsReviewTest, ShortlistByTwoThirdsOfVotesCast) {
  Flow flow =
      Nominate(BasicProgram(county_.org_id(), {g1_.org_id(), g2_.org_id()}),
               {20, 21, 22});
  auto r1 = server().AwardsWithToken(MintTestToken({"reviewer"}, 0, "rev-1"));
  auto r2 = server().AwardsWithToken(MintTestToken({"reviewer"}, 0, "rev-2"));
  auto r3 = server().AwardsWithToken(MintTestToken({"reviewer"}, 0, "rev-3"));
  const int64_t a = flow.nominations[0].nomination_id();
  const int64_t b = flow.nominations[1].nomination_id();
  const int64_t c = flow.nominations[2].nomination_id();
  // a: 2 approve, 1 reject -> 2/3 exactly: shortlisted.
  ASSERT_TRUE(Vote(*r1, a, av1::VOTE_CHOICE_APPROVE).ok());
  ASSERT_TRUE(Vote(*r2, a, av1::VOTE_CHOICE_APPROVE).ok());
  ASSERT_TRUE(Vote(*r3, a, av1::VOTE_CHOICE_REJECT).ok());
  // b: 1 approve, 1 abstain -> 1/2: rejected (abstentions are votes cast).
  ASSERT_TRUE(Vote(*r1, b, av1::VOTE_CHOICE_APPROVE).ok());
  ASSERT_TRUE(Vote(*r2, b, av1::VOTE_CHOICE_ABSTAIN).ok());
  // c: a change of mind replaces the vote; comments are not votes.
  ASSERT_TRUE(Vote(*r1, c, av1::VOTE_CHOICE_REJECT).ok());
  ASSERT_TRUE(Vote(*r1, c, av1::VOTE_CHOICE_APPROVE).ok());
  av1::CastVoteRequest comment;
  comment.set_request_id(NewRequestId());
  comment.set_nomination_id(c);
  comment.set_choice(av1::VOTE_CHOICE_COMMENT);
  comment.set_comment("事迹材料翔实");
  av1::CastVoteResponse commented;
  ASSERT_TRUE(Rpc(*r2, &AStub::CastVote, comment, &commented).ok());
  EXPECT_EQ(commented.nomination().tally().approve(), 1);
  EXPECT_EQ(commented.nomination().tally().reject(), 0);
  EXPECT_EQ(commented.nomination().tally().comments(), 1);
  const av1::CloseReviewResponse closed = CloseReview(flow);
  EXPECT_THAT(closed.shortlisted_ids(), UnorderedElementsAre(a, c));
  EXPECT_THAT(closed.rejected_ids(), UnorderedElementsAre(b));
  EXPECT_THAT(MustGetNomination(server(), b).status_reason(),
              HasSubstr("1 of 2 votes cast"));
  EXPECT_EQ(ReasonOf(MustGetNomination(server(), b).status_reason_code()),
            "REJECTED_BY_VOTE approve=1 cast=2 denominator=3 numerator=2");
  EXPECT_EQ(ReasonOf(MustGetNomination(server(), a).status_reason_code()),
            "SHORTLISTED approve=2 cast=3");
  EXPECT_EQ(MustGetNomination(server(), a).status_reason(),
            "2 of 3 votes cast approve");
}

TEST_F(AwardsReviewTest, PublicityEndsFiveWorkingDaysLaterSkippingHolidays) {
  av1::Program spec =
      BasicProgram(county_.org_id(), {g1_.org_id(), g2_.org_id()});
  spec.add_holidays("2026-03-06");  // the Friday of the first week
  Flow flow = Nominate(spec, {30});
  ApproveAll(flow);
  CloseReview(flow);
  server().SetToday(absl::CivilDay(2026, 3, 4));  // a Wednesday
  const av1::Program published = Publish(flow);
  // Wed 4 (1), Thu 5 (2), Fri 6 holiday, Mon 9 (3), Tue 10 (4), Wed 11 (5).
  EXPECT_EQ(published.publicity_starts_on(), "2026-03-04");
  EXPECT_EQ(published.publicity_ends_on(), "2026-03-11");
  const int64_t nominee = flow.nominations[0].nomination_id();
  EXPECT_EQ(ReasonOf(MustGetNomination(server(), nominee).status_reason_code()),
            "IN_PUBLICITY until=2026-03-11");
  av1::GetPublicityNoticeRequest notice_req;
  notice_req.set_program_id(flow.program.program_id());
  auto committee = server().AwardsWithToken(
      MintTestToken({"award_committee"}, 0, "committee"));
  av1::GetPublicityNoticeResponse notice;
  ASSERT_TRUE(
      Rpc(*committee, &AStub::GetPublicityNotice, notice_req, &notice).ok());
  ASSERT_EQ(notice.entries_size(), 1);
  EXPECT_EQ(notice.organizer(), "清河县总工会");
  EXPECT_EQ(notice.entries(0).organization(), "机械厂工会");
  EXPECT_EQ(notice.entries(0).title(), "最美职工");
  EXPECT_THAT(notice.entries(0).national_id(), HasSubstr("***"));
  // Masked for an administrator too: a notice is public.
  av1::GetPublicityNoticeResponse admin_notice;
  ASSERT_TRUE(Rpc(server().awards(), &AStub::GetPublicityNotice, notice_req,
                  &admin_notice)
                  .ok());
  ASSERT_EQ(admin_notice.entries_size(), 1);
  EXPECT_THAT(admin_notice.entries(0).national_id(), HasSubstr("***"));
  // Not before the last day has passed.
  server().SetToday(absl::CivilDay(2026, 3, 11));
  av1::FinalizeProgramResponse finalized;
  grpc::Status early = Finalize(flow, &finalized);
  EXPECT_EQ(early.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(early.error_message(), HasSubstr("runs until 2026-03-11"));
  server().SetToday(absl::CivilDay(2026, 3, 12));
  ASSERT_TRUE(Finalize(flow, &finalized).ok());
  ASSERT_EQ(finalized.honours_size(), 1);
  EXPECT_EQ(finalized.honours(0).awarded_on(), "2026-03-12");
  EXPECT_EQ(ReasonOf(MustGetNomination(server(), nominee).status_reason_code()),
            "APPROVED day=2026-03-12");
  EXPECT_EQ(MustGetNomination(server(), nominee).status_reason(),
            "approved on 2026-03-12");
}

TEST_F(AwardsReviewTest, FinalizeNamesEveryBrokenRuleAndChangesNothing) {
  av1::Program spec = BasicProgram(
      county_.org_id(), {g1_.org_id(), g2_.org_id()}, 5, /*total_quota=*/2);
  auto add_rule = [&](av1::CompositionCategory category,
                      av1::CompositionBound bound, int32_t value) {
    av1::CompositionRule* rule = spec.add_composition_rules();
    rule->set_category(category);
    rule->set_bound(bound);
    if (bound == av1::COMPOSITION_BOUND_MIN_SHARE ||
        bound == av1::COMPOSITION_BOUND_MAX_SHARE) {
      rule->set_share_bp(value);
    } else {
      rule->set_count(value);
    }
  };
  add_rule(av1::COMPOSITION_CATEGORY_WOMEN, av1::COMPOSITION_BOUND_MIN_SHARE,
           5000);
  add_rule(av1::COMPOSITION_CATEGORY_MIGRANT_WORKER,
           av1::COMPOSITION_BOUND_MIN_COUNT, 1);
  add_rule(av1::COMPOSITION_CATEGORY_FRONT_LINE,
           av1::COMPOSITION_BOUND_MIN_SHARE, 6000);  // satisfied
  // Three men (odd seq), all front-line, none migrant: quota 2 exceeded,
  // women 0 of 3 (needs 2), migrant workers 0 (needs 1).
  Flow flow = Nominate(spec, {41, 43, 45});
  ApproveAll(flow);
  CloseReview(flow);
  Publish(flow);
  // An objection filed and left open is a further reason.
  av1::FileObjectionRequest objection;
  objection.set_request_id(NewRequestId());
  objection.set_nomination_id(flow.nominations[0].nomination_id());
  objection.set_grounds("事迹不实");
  av1::FileObjectionResponse filed;
  ASSERT_TRUE(
      Rpc(server().awards(), &AStub::FileObjection, objection, &filed).ok());
  server().SetToday(TestToday() + 30);
  av1::FinalizeProgramResponse out;
  grpc::Status refused = Finalize(flow, &out);
  ASSERT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  const std::string message = refused.error_message();
  EXPECT_THAT(message, HasSubstr("objections: 1 still OPEN"));
  EXPECT_THAT(message, HasSubstr("total quota: 3 to approve, at most 2"));
  EXPECT_THAT(message,
              HasSubstr("women >= 50.00 %: 0 of 3 approved, at least 2"));
  EXPECT_THAT(message,
              HasSubstr("migrant workers >= 1: 0 of 3 approved, at least 1"));
  EXPECT_THAT(message, ::testing::Not(HasSubstr("front-line")));
  // The same rules, structured in the error details with their figures
  // (what the console's finalisation page shows), in the order above.
  std::vector<std::tuple<std::string, std::string, int64_t, int64_t>> rules;
  for (const PreconditionViolation& v :
       rpc::PreconditionViolations(refused.error_details())) {
    rules.emplace_back(v.type, v.subject, v.actual, v.required);
  }
  EXPECT_THAT(
      rules, ::testing::ElementsAre(
                 std::make_tuple("objections", "objections", 1, 0),
                 std::make_tuple("quota", "total_quota", 3, 2),
                 std::make_tuple("composition", "composition_rules[0]", 0, 2),
                 std::make_tuple("composition", "composition_rules[1]", 0, 1)));
  // Nothing changed.
  EXPECT_EQ(MustGetProgram(server(), flow.program.program_id()).status(),
            av1::PROGRAM_STATUS_IN_PUBLICITY);
  for (const av1::Nomination& n : flow.nominations) {
    EXPECT_EQ(MustGetNomination(server(), n.nomination_id()).status(),
              av1::NOMINATION_STATUS_IN_PUBLICITY);
  }
  av1::ListHonoursRequest honours_req;
  honours_req.set_program_id(flow.program.program_id());
  av1::ListHonoursResponse honours;
  ASSERT_TRUE(
      Rpc(server().awards(), &AStub::ListHonours, honours_req, &honours).ok());
  EXPECT_EQ(honours.honours_size(), 0);
}

TEST_F(AwardsReviewTest, UpheldObjectionChangesTheApprovedSet) {
  av1::Program spec = BasicProgram(
      county_.org_id(), {g1_.org_id(), g2_.org_id()}, 5, /*total_quota=*/2);
  av1::CompositionRule* women = spec.add_composition_rules();
  women->set_category(av1::COMPOSITION_CATEGORY_WOMEN);
  women->set_bound(av1::COMPOSITION_BOUND_MIN_COUNT);
  women->set_count(1);
  // Two women and a man: three is over the quota of two.
  Flow flow = Nominate(spec, {50, 51, 52});
  ApproveAll(flow);
  CloseReview(flow);
  Publish(flow);
  const int64_t man = flow.nominations[1].nomination_id();
  const int64_t dismissed_target = flow.nominations[0].nomination_id();
  auto file = [&](int64_t nomination) {
    av1::FileObjectionRequest req;
    req.set_request_id(NewRequestId());
    req.set_nomination_id(nomination);
    req.set_grounds("群众反映");
    return MustRpc(server().awards(), &AStub::FileObjection, req,
                   "FileObjection")
        .objection();
  };
  auto resolve = [&](int64_t objection, av1::ObjectionStatus outcome) {
    av1::ResolveObjectionRequest req;
    req.set_request_id(NewRequestId());
    req.set_objection_id(objection);
    req.set_outcome(outcome);
    req.set_resolution("经核实");
    return MustRpc(server().awards(), &AStub::ResolveObjection, req,
                   "ResolveObjection");
  };
  const av1::Objection upheld = file(man);
  const av1::Objection dismissed = file(dismissed_target);
  const auto after_upheld =
      resolve(upheld.objection_id(), av1::OBJECTION_STATUS_UPHELD);
  EXPECT_EQ(after_upheld.nomination().status(),
            av1::NOMINATION_STATUS_WITHDRAWN);
  EXPECT_THAT(after_upheld.nomination().status_reason(), HasSubstr("upheld"));
  EXPECT_EQ(after_upheld.nomination().status_reason_code().code(),
            "OBJECTION_UPHELD");
  EXPECT_EQ(after_upheld.nomination().status_reason_code().params().at(
                "objection_id"),
            std::to_string(upheld.objection_id()));
  const auto after_dismissed =
      resolve(dismissed.objection_id(), av1::OBJECTION_STATUS_DISMISSED);
  EXPECT_EQ(after_dismissed.nomination().status(),
            av1::NOMINATION_STATUS_IN_PUBLICITY);
  server().SetToday(TestToday() + 30);
  av1::FinalizeProgramResponse out;
  grpc::Status finalized = Finalize(flow, &out);
  ASSERT_TRUE(finalized.ok()) << finalized.error_message();
  std::vector<int64_t> honoured;
  for (const av1::Honour& h : out.honours())
    honoured.push_back(h.nomination_id());
  EXPECT_THAT(honoured,
              UnorderedElementsAre(flow.nominations[0].nomination_id(),
                                   flow.nominations[2].nomination_id()));
  EXPECT_EQ(out.program().status(), av1::PROGRAM_STATUS_FINALIZED);
  EXPECT_EQ(MustGetNomination(server(), man).status(),
            av1::NOMINATION_STATUS_WITHDRAWN);

  // Honours by member; a revocation keeps its reason.
  av1::ListHonoursRequest by_member;
  by_member.set_member_id(flow.nominations[0].member_id());
  av1::ListHonoursResponse listed;
  ASSERT_TRUE(
      Rpc(server().awards(), &AStub::ListHonours, by_member, &listed).ok());
  ASSERT_EQ(listed.honours_size(), 1);
  av1::RevokeHonourRequest revoke;
  revoke.set_request_id(NewRequestId());
  revoke.set_honour_id(listed.honours(0).honour_id());
  revoke.set_reason("弄虚作假");
  const av1::Honour revoked =
      MustRpc(server().awards(), &AStub::RevokeHonour, revoke, "RevokeHonour")
          .honour();
  EXPECT_EQ(revoked.status(), av1::HONOUR_STATUS_REVOKED);
  EXPECT_EQ(revoked.revoked_reason(), "弄虚作假");
  revoke.set_request_id(NewRequestId());
  av1::RevokeHonourResponse again;
  EXPECT_EQ(
      Rpc(server().awards(), &AStub::RevokeHonour, revoke, &again).error_code(),
      grpc::StatusCode::FAILED_PRECONDITION);
}

// A programme's honours asked for by programme by callers limited to a
// subtree (the committee or auditor of a township, a union's nominator):
// each gets the honours whose org lies in its subtree and none of the
// others, not a refusal; a scope holding none of them gets an empty list.
// Asking by a member or org outside the scope is still refused.
TEST_F(AwardsReviewTest, ScopedCallersListAProgrammesHonoursInTheirSubtree) {
  // g1 (under the township) nominates seq 70, g2 (under the county) 71.
  Flow flow = Nominate(
      BasicProgram(county_.org_id(), {g1_.org_id(), g2_.org_id()}), {70, 71});
  ApproveAll(flow);
  CloseReview(flow);
  Publish(flow);
  server().SetToday(TestToday() + 30);
  av1::FinalizeProgramResponse finalized;
  ASSERT_TRUE(Finalize(flow, &finalized).ok());
  ASSERT_EQ(finalized.honours_size(), 2);
  std::map<int64_t, int64_t> honour_of_org;
  for (const av1::Honour& h : finalized.honours()) {
    honour_of_org[h.org_id()] = h.honour_id();
  }
  const int64_t in_g1 = honour_of_org.at(g1_.org_id());
  const int64_t in_g2 = honour_of_org.at(g2_.org_id());
  const mv1::Org elsewhere = MustCreateOrg(
      server().membership(), mv1::ORG_TYPE_COUNTY_FEDERATION, 0, "邻县总工会");

  // Every page of the programme's honours as `role` scoped to `scope` sees
  // them (page_size 1, so a page left empty by the scope still pages on).
  auto listed = [&](const std::string& role, int64_t scope) {
    auto stub = server().AwardsWithToken(
        MintTestToken({role}, scope, absl::StrCat("honours-", role)));
    std::vector<int64_t> ids;
    av1::ListHonoursRequest req;
    req.set_program_id(flow.program.program_id());
    req.set_page_size(1);
    for (int pages = 0; pages < 10; ++pages) {
      av1::ListHonoursResponse resp;
      grpc::Status s = Rpc(*stub, &AStub::ListHonours, req, &resp);
      EXPECT_TRUE(s.ok()) << role << "@" << scope << ": " << s.error_message();
      if (!s.ok()) break;
      for (const av1::Honour& h : resp.honours()) ids.push_back(h.honour_id());
      if (resp.next_page_token().empty()) break;
      req.set_page_token(resp.next_page_token());
    }
    return ids;
  };
  EXPECT_THAT(listed("award_committee", county_.org_id()),
              UnorderedElementsAre(in_g1, in_g2));
  EXPECT_THAT(listed("award_committee", town_.org_id()),
              UnorderedElementsAre(in_g1));
  EXPECT_THAT(listed("reviewer", town_.org_id()), UnorderedElementsAre(in_g1));
  EXPECT_THAT(listed("nominator", g2_.org_id()), UnorderedElementsAre(in_g2));
  EXPECT_THAT(listed("nominator", g1_.org_id()), UnorderedElementsAre(in_g1));
  EXPECT_TRUE(listed("award_committee", elsewhere.org_id()).empty());
  EXPECT_THAT(listed("admin", 0), UnorderedElementsAre(in_g1, in_g2));

  // By member or org outside the scope: the gate's refusal, as before.
  auto town = server().AwardsWithToken(
      MintTestToken({"award_committee"}, town_.org_id(), "honours-town"));
  av1::ListHonoursRequest by_member;
  by_member.set_member_id(flow.nominations[1].member_id());  // in g2
  av1::ListHonoursResponse refused;
  grpc::Status member_status =
      Rpc(*town, &AStub::ListHonours, by_member, &refused);
  EXPECT_EQ(member_status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(member_status.error_message(),
            absl::StrCat("member ", flow.nominations[1].member_id(),
                         " is not within your organisation scope"));
  av1::ListHonoursRequest by_org;
  by_org.set_org_id(g2_.org_id());
  grpc::Status org_status = Rpc(*town, &AStub::ListHonours, by_org, &refused);
  EXPECT_EQ(org_status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(refused.honours_size(), 0);
  // And within it: g1's member and org.
  by_member.set_member_id(flow.nominations[0].member_id());
  av1::ListHonoursResponse own;
  ASSERT_TRUE(Rpc(*town, &AStub::ListHonours, by_member, &own).ok());
  ASSERT_EQ(own.honours_size(), 1);
  EXPECT_EQ(own.honours(0).honour_id(), in_g1);
  // (g1's honours of the other tests' programmes too.)
  by_org.set_org_id(g1_.org_id());
  av1::ListHonoursResponse of_org;
  ASSERT_TRUE(Rpc(*town, &AStub::ListHonours, by_org, &of_org).ok());
  std::vector<int64_t> ids;
  for (const av1::Honour& h : of_org.honours()) {
    EXPECT_EQ(h.org_id(), g1_.org_id());
    ids.push_back(h.honour_id());
  }
  EXPECT_THAT(ids, ::testing::Contains(in_g1));
}

}  // namespace
}  // namespace unionhub::testing
