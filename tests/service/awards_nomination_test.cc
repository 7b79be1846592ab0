// Programmes and nominations: validation, allocation, the eligibility check
// against real membership and finance with its evidence snapshot, and the
// withdrawal of a nominee who leaves the union (membership's change feed).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "common/core/violations.h"
#include "common/rpc/status.h"
#include "tests/service/awards_helpers.h"
#include "tests/service/finance_dues_helpers.h"

namespace unionhub::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::IsSupersetOf;

class AwardsNominationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new AwardsServer("awards_nom");
    server_->SetToday(TestToday());
    MembershipServer& m = server_->membership();
    county_ =
        MustCreateOrg(m, mv1::ORG_TYPE_COUNTY_FEDERATION, 0, "清河县总工会");
    g1_ = MustCreateGrassroots(m, county_.org_id(), "机械厂工会", 1, 120);
    g2_ = MustCreateGrassroots(m, county_.org_id(), "纺织厂工会", 2, 40);
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  AwardsServer& server() { return *server_; }

  static AwardsServer* server_;
  static mv1::Org county_, g1_, g2_;
};
AwardsServer* AwardsNominationTest::server_ = nullptr;
mv1::Org AwardsNominationTest::county_, AwardsNominationTest::g1_,
    AwardsNominationTest::g2_;

TEST_F(AwardsNominationTest, CreateProgramNamesEveryBadField) {
  av1::CreateProgramRequest req;
  req.set_request_id(NewRequestId());
  av1::Program* p = req.mutable_program();
  p->set_year(1900);
  p->set_nomination_opens_on("2026-02-30");
  p->set_nomination_closes_on("2026-03-01");
  av1::CompositionRule* rule = p->add_composition_rules();
  rule->set_category(av1::COMPOSITION_CATEGORY_WOMEN);
  rule->set_bound(av1::COMPOSITION_BOUND_MIN_SHARE);
  rule->set_share_bp(0);
  p->add_holidays("2026-13-01");
  av1::CreateProgramResponse resp;
  grpc::Status status =
      Rpc(server().awards(), &AStub::CreateProgram, req, &resp);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadFields(status),
              IsSupersetOf({"program.title", "program.level", "program.year",
                            "program.subject_type", "program.organizer_org_id",
                            "program.total_quota", "program.allocations",
                            "program.nomination_opens_on",
                            "program.composition_rules[0].share_bp",
                            "program.holidays[0]"}));
  av1::ListProgramsRequest list;
  av1::ListProgramsResponse listed;
  ASSERT_TRUE(Rpc(server().awards(), &AStub::ListPrograms, list, &listed).ok());
  for (const av1::Program& p : listed.programs()) {
    EXPECT_NE(p.year(), 1900) << "a rejected programme was stored";
  }
}

// A window that closes before it opens carries a stable reason, so the
// console words it in the reader's language (not the English description).
TEST_F(AwardsNominationTest, ReversedNominationWindowHasAStableReason) {
  av1::CreateProgramRequest req;
  req.set_request_id(NewRequestId());
  *req.mutable_program() = BasicProgram(county_.org_id(), {g1_.org_id()});
  req.mutable_program()->set_nomination_opens_on("2026-03-31");
  req.mutable_program()->set_nomination_closes_on("2026-02-01");
  av1::CreateProgramResponse resp;
  grpc::Status status =
      Rpc(server().awards(), &AStub::CreateProgram, req, &resp);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  std::vector<FieldViolation> found = ViolationsOf(rpc::FromGrpcStatus(status));
  ASSERT_EQ(found.size(), 1u) << status.error_message();
  EXPECT_EQ(found[0].field, "program.nomination_closes_on");
  EXPECT_EQ(found[0].reason, reasons::kDateRangeReversed);
}

// A programme's nominating organisations are the organiser's or below it.
TEST_F(AwardsNominationTest, AllocationsOutsideTheOrganiserAreRefused) {
  MembershipServer& m = server().membership();
  const mv1::Org other_county =
      MustCreateOrg(m, mv1::ORG_TYPE_COUNTY_FEDERATION, 0, "邻县总工会");
  const mv1::Org outside =
      MustCreateGrassroots(m, other_county.org_id(), "邻县化工厂工会", 7, 60);
  av1::CreateProgramRequest req;
  req.set_request_id(NewRequestId());
  *req.mutable_program() = BasicProgram(
      county_.org_id(), {g1_.org_id(), outside.org_id(), 987654321});
  av1::CreateProgramResponse resp;
  grpc::Status status =
      Rpc(server().awards(), &AStub::CreateProgram, req, &resp);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFields(status),
            (std::vector<std::string>{"program.allocations[1].org_id",
                                      "program.allocations[2].org_id"}));
  EXPECT_THAT(status.error_message(), HasSubstr("outside the organiser"));
}

TEST_F(AwardsNominationTest, DefaultsAndIdempotentCreate) {
  av1::Program spec = BasicProgram(county_.org_id(), {g1_.org_id()});
  spec.set_publicity_working_days(0);
  av1::CreateProgramRequest req;
  req.set_request_id(NewRequestId());
  *req.mutable_program() = spec;
  av1::CreateProgramResponse first, second;
  ASSERT_TRUE(Rpc(server().awards(), &AStub::CreateProgram, req, &first).ok());
  ASSERT_TRUE(Rpc(server().awards(), &AStub::CreateProgram, req, &second).ok());
  EXPECT_EQ(first.program().program_id(), second.program().program_id());
  EXPECT_EQ(first.program().publicity_working_days(), 5);
  EXPECT_EQ(first.program().shortlist_numerator(), 2);
  EXPECT_EQ(first.program().shortlist_denominator(), 3);
  EXPECT_EQ(first.program().status(), av1::PROGRAM_STATUS_DRAFT);
}

TEST_F(AwardsNominationTest, EligibleWithEvidenceSnapshot) {
  const mv1::Member woman = MustJoinPerson(server(), g1_.org_id(), 42);
  server().Sync();
  av1::Program program = MustCreateProgram(
      server(), BasicProgram(county_.org_id(), {g1_.org_id()}));
  av1::Nomination n = MustNominate(server(), program.program_id(), g1_.org_id(),
                                   woman.member_id());
  EXPECT_EQ(n.status(), av1::NOMINATION_STATUS_DRAFT);
  EXPECT_EQ(n.subject_name(), woman.name());
  n = MustSubmit(server(), n.nomination_id());
  EXPECT_EQ(n.status(), av1::NOMINATION_STATUS_UNDER_REVIEW)
      << n.status_reason();
  // The reason as a code for clients, and in English as before.
  EXPECT_EQ(ReasonOf(n.status_reason_code()), "ELIGIBLE");
  EXPECT_EQ(n.status_reason(), "eligible");
  const av1::EligibilityEvidence& e = n.evidence();
  EXPECT_TRUE(e.eligible());
  EXPECT_TRUE(e.reasons().empty());
  EXPECT_TRUE(e.reason_codes().empty());
  EXPECT_EQ(e.member_status(), mv1::MEMBER_STATUS_ACTIVE);
  EXPECT_EQ(e.joined_on(), "2024-01-15");
  EXPECT_EQ(e.tenure_months(), 25);
  EXPECT_EQ(e.checked_on(), "2026-03-02");
  EXPECT_TRUE(e.female());
  EXPECT_TRUE(e.front_line());
  EXPECT_EQ(e.months_in_arrears(), 0);
  EXPECT_FALSE(e.dues_as_of_month().empty());
  EXPECT_EQ(e.org_id(), g1_.org_id());
  EXPECT_EQ(e.org_name(), "机械厂工会");
  EXPECT_THAT(
      std::vector<int64_t>(e.ancestor_ids().begin(), e.ancestor_ids().end()),
      ::testing::ElementsAre(county_.org_id()));
  ASSERT_GE(e.checks_size(), 3);
  for (const av1::EligibilityCheck& check : e.checks()) {
    EXPECT_TRUE(check.passed()) << check.rule();
  }
  // Stored, not recomputed: reading it back gives the same snapshot.
  const av1::Nomination read = MustGetNomination(server(), n.nomination_id());
  EXPECT_EQ(read.evidence().SerializeAsString(), e.SerializeAsString());
  // An admin reads the national ID in full, a nominator masked.
  EXPECT_EQ(read.national_id(), woman.national_id());
  auto nominator = server().AwardsWithToken(
      MintTestToken({"nominator"}, g1_.org_id(), "nominator-g1"));
  av1::GetNominationRequest get;
  get.set_nomination_id(n.nomination_id());
  av1::GetNominationResponse masked;
  ASSERT_TRUE(Rpc(*nominator, &AStub::GetNomination, get, &masked).ok());
  EXPECT_NE(masked.nomination().national_id(), woman.national_id());
  EXPECT_THAT(masked.nomination().national_id(), HasSubstr("*"));
}

// `n` Chinese characters: three UTF-8 bytes each.
std::string Han(int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += "劳";
  return out;
}

// Awards counts free text in characters, as its VARCHAR columns and the
// other services do. Before the common text rule it counted bytes, so a
// Chinese title of 128 characters (384 bytes) or a reason of 500 (1500
// bytes) was refused.
TEST_F(AwardsNominationTest, ChineseTextIsCountedInCharacters) {
  av1::Program spec = BasicProgram(county_.org_id(), {g1_.org_id()});
  spec.set_title(Han(129));
  av1::CreateProgramRequest req;
  req.set_request_id(NewRequestId());
  *req.mutable_program() = spec;
  av1::CreateProgramResponse resp;
  grpc::Status status =
      Rpc(server().awards(), &AStub::CreateProgram, req, &resp);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFields(status), std::vector<std::string>{"program.title"});
  EXPECT_THAT(status.error_message(), HasSubstr("at most 128 characters"));

  spec.set_title(Han(128));
  const av1::Program program = MustCreateProgram(server(), spec);
  EXPECT_EQ(program.title(), Han(128));

  const mv1::Member member = MustJoinPerson(server(), g1_.org_id(), 311);
  server().Sync();
  const av1::Nomination n = MustNominate(server(), program.program_id(),
                                         g1_.org_id(), member.member_id());
  av1::WithdrawNominationRequest withdraw;
  withdraw.set_request_id(NewRequestId());
  withdraw.set_nomination_id(n.nomination_id());
  withdraw.set_reason(Han(501));
  av1::WithdrawNominationResponse withdrawn;
  status =
      Rpc(server().awards(), &AStub::WithdrawNomination, withdraw, &withdrawn);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFields(status), std::vector<std::string>{"reason"});
  EXPECT_EQ(MustGetNomination(server(), n.nomination_id()).status(),
            av1::NOMINATION_STATUS_DRAFT);

  withdraw.set_request_id(NewRequestId());
  withdraw.set_reason(Han(500));
  status =
      Rpc(server().awards(), &AStub::WithdrawNomination, withdraw, &withdrawn);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(withdrawn.nomination().status(), av1::NOMINATION_STATUS_WITHDRAWN);
  EXPECT_EQ(withdrawn.nomination().status_reason(), Han(500));
  EXPECT_EQ(ReasonOf(withdrawn.nomination().status_reason_code()),
            "WITHDRAWN reason=" + Han(500));
}

// AIP-158: a page_size above the maximum (1000) is cut to the maximum, not
// refused. Before the shared page helper ListPrograms answered
// INVALID_ARGUMENT naming page_size.
TEST_F(AwardsNominationTest, AnOverMaxPageSizeReturnsAFullPageOfTheMaximum) {
  MembershipServer& m = server().membership();
  const mv1::Org organizer =
      MustCreateOrg(m, mv1::ORG_TYPE_COUNTY_FEDERATION, 0, "页县总工会");
  const av1::Program first = MustCreateProgram(
      server(), BasicProgram(organizer.org_id(), {organizer.org_id()}), false);
  // 1000 more copies of it, written directly: 1001 in all.
  server().database().Exec(
      "INSERT INTO programs (organizer_org_id, title, level, year, status, "
      "spec) SELECT p.organizer_org_id, p.title, p.level, p.year, p.status, "
      "p.spec FROM programs p JOIN (WITH RECURSIVE seq (n) AS (SELECT 1 "
      "UNION ALL SELECT n + 1 FROM seq WHERE n < 1000) SELECT n FROM seq) s "
      "WHERE p.id = ?",
      first.program_id());

  av1::ListProgramsRequest list;
  list.set_organizer_org_id(organizer.org_id());
  list.set_page_size(5000);
  av1::ListProgramsResponse page;
  grpc::Status status =
      Rpc(server().awards(), &AStub::ListPrograms, list, &page);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(page.programs_size(), 1000);
  ASSERT_NE(page.next_page_token(), "");
  list.set_page_token(page.next_page_token());
  av1::ListProgramsResponse rest;
  status = Rpc(server().awards(), &AStub::ListPrograms, list, &rest);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(rest.programs_size(), 1);
  EXPECT_EQ(rest.next_page_token(), "");
}

TEST_F(AwardsNominationTest, IneligibleWithEveryReason) {
  // Joined two months before "today" and three months of dues unpaid.
  mv1::Member person = Person(g2_.org_id(), 77);
  const mv1::Member newcomer =
      MustJoin(server().membership(), person, "2025-09-20");
  server().Sync();
  MustSetPolicy(server().finance_server(),
                Policy(county_.org_id(), "2025-09", 50));
  for (const char* month : {"2025-10", "2025-11", "2025-12"}) {
    Assess(server().finance_server(), g2_.org_id(), month);
  }
  av1::Program program = MustCreateProgram(
      server(), BasicProgram(county_.org_id(), {g2_.org_id()}));
  av1::Nomination n = MustNominate(server(), program.program_id(), g2_.org_id(),
                                   newcomer.member_id());
  n = MustSubmit(server(), n.nomination_id());
  EXPECT_EQ(n.status(), av1::NOMINATION_STATUS_INELIGIBLE);
  EXPECT_FALSE(n.evidence().eligible());
  EXPECT_GE(n.evidence().months_in_arrears(), 3);
  EXPECT_EQ(n.evidence().reasons_size(), 2) << n.status_reason();
  EXPECT_THAT(n.status_reason(), HasSubstr("tenure is 5 months"));
  EXPECT_THAT(n.status_reason(), HasSubstr("months in arrears"));
  EXPECT_THAT(n.status_reason(), HasSubstr("unpaid since 2025-10"));
  // The same as codes with their figures: the failed rules by name, and
  // each rule's reason beside its English sentence.
  EXPECT_EQ(ReasonOf(n.status_reason_code()),
            "INELIGIBLE rules=tenure,dues_arrears");
  ASSERT_EQ(n.evidence().reason_codes_size(), 2);
  EXPECT_EQ(ReasonOf(n.evidence().reason_codes(0)),
            "TENURE_TOO_SHORT joined_on=2025-09-20 required=12 tenure=5");
  const av1::Reason& dues = n.evidence().reason_codes(1);
  EXPECT_EQ(dues.code(), "DUES_IN_ARREARS");
  EXPECT_EQ(dues.params().at("since"), "2025-10");
  EXPECT_EQ(dues.params().at("months"),
            std::to_string(n.evidence().months_in_arrears()));
  EXPECT_EQ(dues.params().at("outstanding_fen"),
            std::to_string(n.evidence().outstanding_fen()));
}

TEST_F(AwardsNominationTest, AllocationAndDuplicatesAreRefused) {
  const mv1::Member a = MustJoinPerson(server(), g1_.org_id(), 101);
  const mv1::Member b = MustJoinPerson(server(), g1_.org_id(), 103);
  server().Sync();
  av1::Program program = MustCreateProgram(
      server(), BasicProgram(county_.org_id(), {g1_.org_id()}, 1));
  MustNominate(server(), program.program_id(), g1_.org_id(), a.member_id());
  av1::CreateNominationResponse resp;
  grpc::Status full =
      Rpc(server().awards(), &AStub::CreateNomination,
          NominationRequest(program.program_id(), g1_.org_id(), b.member_id()),
          &resp);
  EXPECT_EQ(full.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(full.error_message(), HasSubstr("1 of 1"));
  grpc::Status no_allocation =
      Rpc(server().awards(), &AStub::CreateNomination,
          NominationRequest(program.program_id(), g2_.org_id(), b.member_id()),
          &resp);
  EXPECT_EQ(no_allocation.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  av1::CreateNominationRequest bad =
      NominationRequest(program.program_id(), g1_.org_id(), 0);
  bad.mutable_nomination()->set_citation("");
  grpc::Status invalid =
      Rpc(server().awards(), &AStub::CreateNomination, bad, &resp);
  ASSERT_EQ(invalid.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadFields(invalid),
              IsSupersetOf({"nomination.member_id", "nomination.citation"}));
}

TEST_F(AwardsNominationTest, NomineeWhoIsExpelledIsWithdrawn) {
  const mv1::Member member = MustJoinPerson(server(), g1_.org_id(), 205);
  server().Sync();
  av1::Program program = MustCreateProgram(
      server(), BasicProgram(county_.org_id(), {g1_.org_id()}));
  av1::Nomination n = MustNominate(server(), program.program_id(), g1_.org_id(),
                                   member.member_id());
  MustSubmit(server(), n.nomination_id());
  mv1::ChangeMemberStatusRequest change;
  change.set_request_id(NewRequestId());
  change.set_member_id(member.member_id());
  change.set_status(mv1::MEMBER_STATUS_EXPELLED);
  change.set_reason("严重违纪");
  mv1::ChangeMemberStatusResponse changed;
  ASSERT_TRUE(Call(server().membership().stub(),
                   &mv1::MembershipService::Stub::ChangeMemberStatus, change,
                   &changed)
                  .ok());
  server().Sync();
  const av1::Nomination after = MustGetNomination(server(), n.nomination_id());
  EXPECT_EQ(after.status(), av1::NOMINATION_STATUS_WITHDRAWN);
  EXPECT_THAT(after.status_reason(), HasSubstr("membership event"));
  EXPECT_THAT(after.status_reason(), HasSubstr("expelled"));
  EXPECT_THAT(after.status_reason(), HasSubstr("严重违纪"));
  const av1::Reason& code = after.status_reason_code();
  EXPECT_EQ(code.code(), "NOMINEE_EXPELLED");
  EXPECT_EQ(code.params().at("note"), "严重违纪");
  EXPECT_THAT(after.status_reason(),
              HasSubstr("membership event " + code.params().at("sequence")));
  EXPECT_THAT(after.status_reason(), HasSubstr(code.params().at("on")));
}

// An INELIGIBLE nomination holds no subject, so the subject may be
// nominated again; resubmitting the old one must then not bring back a
// second live nomination of the same person. Before the lifecycle table
// the resubmission was accepted.
TEST_F(AwardsNominationTest, IneligibleIsNotResubmittedBesideANewerOne) {
  const mv1::Member newcomer =
      MustJoin(server().membership(), Person(g1_.org_id(), 313), "2025-12-01");
  server().Sync();
  av1::Program program = MustCreateProgram(
      server(), BasicProgram(county_.org_id(), {g1_.org_id()}));
  const av1::Nomination first = MustNominate(
      server(), program.program_id(), g1_.org_id(), newcomer.member_id());
  ASSERT_EQ(MustSubmit(server(), first.nomination_id()).status(),
            av1::NOMINATION_STATUS_INELIGIBLE);
  const av1::Nomination second = MustNominate(
      server(), program.program_id(), g1_.org_id(), newcomer.member_id());
  EXPECT_EQ(second.status(), av1::NOMINATION_STATUS_DRAFT);

  av1::Nomination out;
  const grpc::Status again = Submit(server(), first.nomination_id(), &out);
  EXPECT_EQ(again.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_THAT(again.error_message(),
              HasSubstr(absl::StrCat("nomination ", second.nomination_id())));
  EXPECT_EQ(MustGetNomination(server(), first.nomination_id()).status(),
            av1::NOMINATION_STATUS_INELIGIBLE);
  // The newer one is submitted as usual.
  EXPECT_EQ(MustSubmit(server(), second.nomination_id()).status(),
            av1::NOMINATION_STATUS_INELIGIBLE);
}

}  // namespace
}  // namespace unionhub::testing
