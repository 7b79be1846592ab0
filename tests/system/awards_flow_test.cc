// The three service binaries as processes: a member joins, dues are
// assessed and paid, the member is nominated, found eligible, reviewed,
// published, approved and honoured; another with dues in arrears is found
// ineligible with the reason; with finance stopped a submission is
// UNAVAILABLE and changes nothing, and succeeds once finance is back. The
// awards process is restarted with --today past the publicity period
// instead of waiting for it. And one unionctl command is followed through
// the three services' logs by its trace id.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/core/dates.h"
#include "tests/support/membership_fixture.h"
#include "tests/system/system_fixture.h"
#include "unionhub/awards/v1/awards.grpc.pb.h"
#include "unionhub/finance/v1/finance.grpc.pb.h"

namespace unionhub::testing {
namespace {

namespace av1 = ::unionhub::awards::v1;
namespace fv1 = ::unionhub::finance::v1;
using ::testing::HasSubstr;

template <typename Stub, typename Req, typename Resp>
grpc::Status Call(Stub& stub,
                  grpc::Status (Stub::*method)(grpc::ClientContext*, const Req&,
                                               Resp*),
                  const Req& request, Resp* response) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(60));
  return (stub.*method)(&context, request, response);
}

class AwardsSystemTest : public MembershipSystemTest {
 protected:
  void SetUp() override {
    MembershipSystemTest::SetUp();
    finance_db_ = std::make_unique<TestDatabase>("sysawf", 1);
    awards_db_ = std::make_unique<TestDatabase>("sysawa", 1);
    token_file_ = logs_.path() + "/service.token";
    std::ofstream(token_file_)
        << MintTestToken({"service"}, 0, "peer", absl::Hours(2));
  }

  std::unique_ptr<MembershipProcess> Peer(const std::string& name,
                                          const TestDatabase& db,
                                          std::vector<std::string> args) {
    MembershipProcess::Options options;
    options.db = db.config();
    options.log_dir = logs_.path();
    options.name = name;
    options.binary =
        absl::StrCat(BuildDir(), "/services/", name, "/unionhub-", name);
    options.keep_port = true;
    args.push_back(
        absl::StrCat("--membership_ca_file=", SecretsDir(), "/ca.pem"));
    args.push_back(absl::StrCat("--membership_token_file=", token_file_));
    options.extra_args = std::move(args);
    return std::make_unique<MembershipProcess>(options);
  }

  // A grassroots union "<employer>工会" of a new employer under `parent`;
  // its id, or 0 (with a test failure).
  int64_t CreateGrassroots(mv1::MembershipService::Stub& m, int64_t parent,
                           const std::string& request_id,
                           const std::string& employer, int code) {
    mv1::CreateOrgRequest grassroots;
    grassroots.set_request_id(request_id);
    grassroots.mutable_org()->set_type(mv1::ORG_TYPE_GRASSROOTS_UNION);
    grassroots.mutable_org()->set_parent_id(parent);
    grassroots.mutable_org()->set_name(employer + "工会");
    grassroots.mutable_org()->mutable_employer()->set_name(employer);
    grassroots.mutable_org()->mutable_employer()->set_credit_code(
        MakeCreditCode(code));
    grassroots.mutable_org()->mutable_employer()->set_ownership(
        mv1::OWNERSHIP_NON_PUBLIC);
    grassroots.mutable_org()->mutable_employer()->set_headcount(200);
    grassroots.mutable_org()->mutable_employer()->set_address(
        "清河县工业路8号");
    mv1::CreateOrgResponse created;
    grpc::Status s =
        Call(m, &mv1::MembershipService::Stub::CreateOrg, grassroots, &created);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return created.org().org_id();
  }

  // Waits until finance's roster has every membership event so far.
  void WaitForFinanceRoster(MembershipProcess& finance) {
    const int64_t head = QueryInt("SELECT MAX(sequence) FROM events");
    for (int i = 0; i < 300 && FinanceCursor() < head; ++i) {
      absl::SleepFor(absl::Milliseconds(200));
    }
    ASSERT_GE(FinanceCursor(), head) << finance.ReadLog();
  }

  // A county programme with `org` nominating, open from five days before
  // `today`: 12 months of tenure and no arrears; its id (0 on failure).
  int64_t OpenProgram(av1::AwardsService::Stub& a, const std::string& prefix,
                      int64_t organizer, int64_t org, absl::CivilDay today) {
    av1::CreateProgramRequest create;
    create.set_request_id(prefix + "-program");
    av1::Program* p = create.mutable_program();
    p->set_title("最美职工");
    p->set_level(av1::AWARD_LEVEL_COUNTY);
    p->set_year(static_cast<int32_t>(today.year()));
    p->set_subject_type(av1::SUBJECT_TYPE_INDIVIDUAL);
    p->set_organizer_org_id(organizer);
    p->set_total_quota(10);
    p->add_allocations()->set_org_id(org);
    p->mutable_allocations(0)->set_quota(5);
    p->set_nomination_opens_on(dates::FormatDate(today - 5));
    p->set_nomination_closes_on(dates::FormatDate(today + 30));
    p->mutable_eligibility()->set_min_tenure_months(12);
    p->mutable_eligibility()->set_max_arrears_months(0);
    av1::CreateProgramResponse program;
    grpc::Status s =
        Call(a, &av1::AwardsService::Stub::CreateProgram, create, &program);
    EXPECT_TRUE(s.ok()) << s.error_message();
    av1::OpenNominationsRequest open;
    open.set_request_id(prefix + "-open");
    open.set_program_id(program.program().program_id());
    av1::OpenNominationsResponse opened;
    s = Call(a, &av1::AwardsService::Stub::OpenNominations, open, &opened);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return program.program().program_id();
  }

  // A draft nomination of `member` by `org`; its id (0 on failure).
  int64_t Nominate(av1::AwardsService::Stub& a, const std::string& request_id,
                   int64_t program_id, int64_t org, int64_t member) {
    av1::CreateNominationRequest req;
    req.set_request_id(request_id);
    req.mutable_nomination()->set_program_id(program_id);
    req.mutable_nomination()->set_nominating_org_id(org);
    req.mutable_nomination()->set_member_id(member);
    req.mutable_nomination()->set_citation("扎根一线二十年。");
    av1::CreateNominationResponse created;
    grpc::Status s =
        Call(a, &av1::AwardsService::Stub::CreateNomination, req, &created);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return created.nomination().nomination_id();
  }

  int64_t FinanceCursor() {
    const std::string v =
        finance_db_->QueryValue("SELECT last_sequence FROM roster_cursor");
    return v.empty() ? -1 : std::stoll(v);
  }

  std::unique_ptr<TestDatabase> finance_db_, awards_db_;
  TempDir logs_;
  std::string token_file_;
};

TEST_F(AwardsSystemTest, MemberIsNominatedReviewedPublishedAndHonoured) {
  MembershipProcess& membership = NewProcess("membership");
  ASSERT_TRUE(membership.StartAndWaitServing().ok());
  auto finance =
      Peer("finance", *finance_db_,
           {absl::StrCat("--membership_address=", membership.target())});
  ASSERT_TRUE(finance->StartAndWaitServing().ok()) << finance->ReadLog();
  auto awards_args = [&](const std::string& today) {
    std::vector<std::string> args = {
        absl::StrCat("--membership_address=", membership.target()),
        absl::StrCat("--finance_address=", finance->target()),
        "--peer_attempts=2", "--peer_deadline_ms=3000"};
    if (!today.empty()) args.push_back("--today=" + today);
    return args;
  };
  auto awards = Peer("awards", *awards_db_, awards_args(""));
  ASSERT_TRUE(awards->StartAndWaitServing().ok()) << awards->ReadLog();

  auto m = StubFor(membership);
  auto f = fv1::FinanceService::NewStub(finance->NewChannel(admin_token()));
  auto a = av1::AwardsService::NewStub(awards->NewChannel(admin_token()));

  const absl::CivilDay today = dates::TodayInChina();
  const mv1::Org county =
      CreateOrg(*m, mv1::ORG_TYPE_COUNTY_FEDERATION, 0, "清河县总工会");
  const int64_t org =
      CreateGrassroots(*m, county.org_id(), "sys-aw-g1", "清河机械厂", 7);
  ASSERT_NE(org, 0);

  // Three members who joined two years ago.
  std::vector<mv1::Member> members;
  for (int i = 0; i < 3; ++i) {
    mv1::JoinMemberRequest join;
    join.set_request_id(absl::StrCat("sys-aw-join-", i));
    mv1::Member* p = join.mutable_member();
    p->set_name(i == 0 ? "李秀英" : i == 1 ? "张伟" : "王芳");
    p->set_national_id(MakeNationalId("19880506", 10 + i));
    p->set_mobile(absl::StrCat("1390000000", i));
    p->set_wage_base_fen(600000);
    p->set_front_line(true);
    p->set_org_id(org);
    join.set_joined_on(dates::FormatDate(today - 730));
    mv1::JoinMemberResponse joined;
    ASSERT_TRUE(
        Call(*m, &mv1::MembershipService::Stub::JoinMember, join, &joined)
            .ok());
    members.push_back(joined.member());
  }
  // Finance follows the feed; wait until it knows everyone.
  WaitForFinanceRoster(*finance);
  if (HasFatalFailure()) return;

  // Dues for last month: assessed for all, paid by members 0 and 2 only.
  const std::string last_month =
      dates::FormatMonth(absl::CivilMonth(today) - 1);
  fv1::SetDuesPolicyRequest policy;
  policy.set_request_id("sys-aw-policy");
  policy.mutable_policy()->set_scope_org_id(county.org_id());
  policy.mutable_policy()->set_effective_from(
      dates::FormatMonth(absl::CivilMonth(today) - 24));
  policy.mutable_policy()->set_rate_bp(50);
  fv1::SetDuesPolicyResponse policy_set;
  ASSERT_TRUE(
      Call(*f, &fv1::FinanceService::Stub::SetDuesPolicy, policy, &policy_set)
          .ok());
  fv1::AssessDuesRequest assess;
  assess.set_request_id("sys-aw-assess");
  assess.set_org_id(county.org_id());
  assess.set_month(last_month);
  fv1::AssessDuesResponse assessed;
  grpc::Status assessed_status =
      Call(*f, &fv1::FinanceService::Stub::AssessDues, assess, &assessed);
  ASSERT_TRUE(assessed_status.ok()) << assessed_status.error_message();
  for (int i : {0, 2}) {
    fv1::RecordDuesPaymentRequest pay;
    pay.set_request_id(absl::StrCat("sys-aw-pay-", i));
    pay.set_member_id(members[i].member_id());
    pay.set_amount_fen(3000);  // 0.5 % of 6000 yuan
    pay.set_method(fv1::PAYMENT_METHOD_CASH);
    pay.set_paid_on(dates::FormatDate(today));
    fv1::RecordDuesPaymentResponse paid;
    grpc::Status s =
        Call(*f, &fv1::FinanceService::Stub::RecordDuesPayment, pay, &paid);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  // The programme, open now.
  const int64_t program_id =
      OpenProgram(*a, "sys-aw", county.org_id(), org, today);
  ASSERT_NE(program_id, 0);
  std::vector<int64_t> nominations;
  for (int i = 0; i < 3; ++i) {
    nominations.push_back(Nominate(*a, absl::StrCat("sys-aw-nominate-", i),
                                   program_id, org, members[i].member_id()));
    ASSERT_NE(nominations.back(), 0);
  }
  auto submit = [&](int i, const std::string& request_id,
                    av1::SubmitNominationResponse* out) {
    av1::SubmitNominationRequest req;
    req.set_request_id(request_id);
    req.set_nomination_id(nominations[i]);
    return Call(*a, &av1::AwardsService::Stub::SubmitNomination, req, out);
  };

  // Paid up: eligible, with the evidence.
  av1::SubmitNominationResponse eligible;
  grpc::Status s = submit(0, "sys-aw-submit-0", &eligible);
  ASSERT_TRUE(s.ok()) << s.error_message() << awards->ReadLog();
  EXPECT_EQ(eligible.nomination().status(), av1::NOMINATION_STATUS_UNDER_REVIEW)
      << eligible.nomination().status_reason();
  EXPECT_EQ(eligible.nomination().evidence().months_in_arrears(), 0);
  EXPECT_EQ(eligible.nomination().evidence().org_name(), "清河机械厂工会");

  // In arrears: ineligible, with the reason.
  av1::SubmitNominationResponse arrears;
  ASSERT_TRUE(submit(1, "sys-aw-submit-1", &arrears).ok());
  EXPECT_EQ(arrears.nomination().status(), av1::NOMINATION_STATUS_INELIGIBLE);
  EXPECT_THAT(arrears.nomination().status_reason(),
              HasSubstr("dues are 1 months in arrears"));
  EXPECT_THAT(arrears.nomination().status_reason(), HasSubstr(last_month));

  // Finance stopped: UNAVAILABLE and the nomination unchanged.
  ASSERT_TRUE(finance->process().Signal(SIGTERM));
  ASSERT_TRUE(finance->process().WaitForExit(absl::Seconds(30)).has_value());
  av1::SubmitNominationResponse down;
  grpc::Status unavailable = submit(2, "sys-aw-submit-2", &down);
  EXPECT_EQ(unavailable.error_code(), grpc::StatusCode::UNAVAILABLE)
      << unavailable.error_message();
  EXPECT_THAT(unavailable.error_message(), HasSubstr("finance"));
  av1::GetNominationRequest get;
  get.set_nomination_id(nominations[2]);
  av1::GetNominationResponse unchanged;
  ASSERT_TRUE(
      Call(*a, &av1::AwardsService::Stub::GetNomination, get, &unchanged).ok());
  EXPECT_EQ(unchanged.nomination().status(), av1::NOMINATION_STATUS_DRAFT);
  EXPECT_FALSE(unchanged.nomination().has_evidence());
  // Back: the same request succeeds.
  ASSERT_TRUE(finance->StartAndWaitServing().ok()) << finance->ReadLog();
  av1::SubmitNominationResponse back;
  s = submit(2, "sys-aw-submit-2", &back);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(back.nomination().status(), av1::NOMINATION_STATUS_UNDER_REVIEW)
      << back.nomination().status_reason();

  // Review: one reviewer approves both; shortlist; publish.
  av1::CloseNominationsRequest close;
  close.set_request_id("sys-aw-close");
  close.set_program_id(program_id);
  av1::CloseNominationsResponse closed;
  ASSERT_TRUE(
      Call(*a, &av1::AwardsService::Stub::CloseNominations, close, &closed)
          .ok());
  av1::AssignReviewersRequest assign;
  assign.set_request_id("sys-aw-assign");
  assign.set_program_id(program_id);
  assign.add_reviewers()->set_subject("reviewer-1");
  assign.mutable_reviewers(0)->set_name("评审一");
  assign.mutable_reviewers(0)->set_org_id(county.org_id());
  av1::AssignReviewersResponse assigned;
  ASSERT_TRUE(
      Call(*a, &av1::AwardsService::Stub::AssignReviewers, assign, &assigned)
          .ok());
  auto reviewer = av1::AwardsService::NewStub(
      awards->NewChannel(MintTestToken({"reviewer"}, 0, "reviewer-1")));
  for (int i : {0, 2}) {
    av1::CastVoteRequest vote;
    vote.set_request_id(absl::StrCat("sys-aw-vote-", i));
    vote.set_nomination_id(nominations[i]);
    vote.set_choice(av1::VOTE_CHOICE_APPROVE);
    av1::CastVoteResponse voted;
    s = Call(*reviewer, &av1::AwardsService::Stub::CastVote, vote, &voted);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  av1::CloseReviewRequest review;
  review.set_request_id("sys-aw-review");
  review.set_program_id(program_id);
  av1::CloseReviewResponse reviewed;
  ASSERT_TRUE(
      Call(*a, &av1::AwardsService::Stub::CloseReview, review, &reviewed).ok());
  EXPECT_EQ(reviewed.shortlisted_ids_size(), 2);
  av1::StartPublicityRequest publish;
  publish.set_request_id("sys-aw-publish");
  publish.set_program_id(program_id);
  av1::StartPublicityResponse published;
  ASSERT_TRUE(
      Call(*a, &av1::AwardsService::Stub::StartPublicity, publish, &published)
          .ok());
  EXPECT_EQ(published.nominations(), 2);
  const std::string ends_on = published.program().publicity_ends_on();

  // After the publicity period (awards restarted with that day as today).
  ASSERT_TRUE(awards->process().Signal(SIGTERM));
  ASSERT_TRUE(awards->process().WaitForExit(absl::Seconds(30)).has_value());
  const absl::CivilDay after = *dates::ParseDate(ends_on) + 1;
  auto later =
      Peer("awards", *awards_db_, awards_args(dates::FormatDate(after)));
  ASSERT_TRUE(later->StartAndWaitServing().ok()) << later->ReadLog();
  a = av1::AwardsService::NewStub(later->NewChannel(admin_token()));
  av1::FinalizeProgramRequest finalize;
  finalize.set_request_id("sys-aw-finalize");
  finalize.set_program_id(program_id);
  av1::FinalizeProgramResponse finalized;
  s = Call(*a, &av1::AwardsService::Stub::FinalizeProgram, finalize,
           &finalized);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(finalized.program().status(), av1::PROGRAM_STATUS_FINALIZED);
  EXPECT_EQ(finalized.honours_size(), 2);
  av1::ListHonoursRequest honours;
  honours.set_member_id(members[0].member_id());
  av1::ListHonoursResponse listed;
  ASSERT_TRUE(
      Call(*a, &av1::AwardsService::Stub::ListHonours, honours, &listed).ok());
  ASSERT_EQ(listed.honours_size(), 1);
  EXPECT_EQ(listed.honours(0).title(), "最美职工");
  EXPECT_EQ(listed.honours(0).subject_name(), "李秀英");
  EXPECT_EQ(listed.honours(0).awarded_on(), dates::FormatDate(after));
}

// One request followed across the three logs: unionctl submits a nomination
// with --trace and prints its trace id; awards' log, membership's (GetMember
// for the nominee) and finance's (GetDuesStanding) each name it.
TEST_F(AwardsSystemTest, OneUnionctlCommandIsFoundInAllThreeLogs) {
  MembershipProcess& membership = NewProcess("membership");
  ASSERT_TRUE(membership.StartAndWaitServing().ok());
  auto finance =
      Peer("finance", *finance_db_,
           {absl::StrCat("--membership_address=", membership.target())});
  ASSERT_TRUE(finance->StartAndWaitServing().ok()) << finance->ReadLog();
  auto awards =
      Peer("awards", *awards_db_,
           {absl::StrCat("--membership_address=", membership.target()),
            absl::StrCat("--finance_address=", finance->target())});
  ASSERT_TRUE(awards->StartAndWaitServing().ok()) << awards->ReadLog();
  auto m = StubFor(membership);
  auto a = av1::AwardsService::NewStub(awards->NewChannel(admin_token()));

  const absl::CivilDay today = dates::TodayInChina();
  const mv1::Org county =
      CreateOrg(*m, mv1::ORG_TYPE_COUNTY_FEDERATION, 0, "清河县总工会");
  const int64_t org =
      CreateGrassroots(*m, county.org_id(), "sys-trace-g1", "清河纺织厂", 8);
  ASSERT_NE(org, 0);
  mv1::JoinMemberRequest join;
  join.set_request_id("sys-trace-join");
  join.mutable_member()->set_name("李秀英");
  join.mutable_member()->set_national_id(MakeNationalId("19880506", 20));
  join.mutable_member()->set_mobile("13900000020");
  join.mutable_member()->set_wage_base_fen(600000);
  join.mutable_member()->set_org_id(org);
  join.set_joined_on(dates::FormatDate(today - 730));
  mv1::JoinMemberResponse joined;
  grpc::Status s =
      Call(*m, &mv1::MembershipService::Stub::JoinMember, join, &joined);
  ASSERT_TRUE(s.ok()) << s.error_message();
  WaitForFinanceRoster(*finance);
  if (HasFatalFailure()) return;
  const int64_t program_id =
      OpenProgram(*a, "sys-trace", county.org_id(), org, today);
  ASSERT_NE(program_id, 0);
  const int64_t nomination = Nominate(*a, "sys-trace-nominate", program_id, org,
                                      joined.member().member_id());
  ASSERT_NE(nomination, 0);

  const std::string out = logs_.path() + "/unionctl.out";
  ChildProcess unionctl(absl::StrCat(BuildDir(), "/tools/unionctl/unionctl"),
                        {"--trace", "awards", "submit",
                         absl::StrCat("--nomination_id=", nomination),
                         "--request_id=sys-trace-submit"},
                        {{"UNIONHUB_AWARDS_ADDRESS", awards->target()},
                         {"UNIONHUB_TOKEN", admin_token()},
                         {"UNIONHUB_CA_FILE", SecretsDir() + "/ca.pem"}},
                        out);
  ASSERT_TRUE(unionctl.Start().ok());
  std::optional<ExitStatus> exit = unionctl.WaitForExit(absl::Seconds(60));
  ASSERT_TRUE(exit.has_value() && exit->CleanExit()) << unionctl.ReadLog();
  const std::string printed = unionctl.ReadLog();
  const size_t at = printed.find("trace ");
  ASSERT_NE(at, std::string::npos) << printed;
  const std::string trace_id = printed.substr(at + 6, 32);
  ASSERT_EQ(trace_id.find_first_not_of("0123456789abcdef"), std::string::npos)
      << printed;

  const std::string traced = absl::StrCat("\"trace\":\"", trace_id, "\"");
  auto traced_call = [&](const std::string& log, const std::string& method) {
    for (absl::string_view line : absl::StrSplit(log, '\n')) {
      if (absl::StrContains(line, traced) &&
          absl::StrContains(line, absl::StrCat("\"method\":\"/", method))) {
        return true;
      }
    }
    return false;
  };
  EXPECT_TRUE(traced_call(awards->ReadLog(),
                          "unionhub.awards.v1.AwardsService/SubmitNomination"))
      << LastLines(awards->ReadLog(), 20);
  EXPECT_TRUE(traced_call(membership.ReadLog(),
                          "unionhub.membership.v1.MembershipService/GetMember"))
      << LastLines(membership.ReadLog(), 20);
  EXPECT_TRUE(traced_call(finance->ReadLog(),
                          "unionhub.finance.v1.FinanceService/GetDuesStanding"))
      << LastLines(finance->ReadLog(), 20);
}

}  // namespace
}  // namespace unionhub::testing
