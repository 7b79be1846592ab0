// Masked national IDs cannot be reversed through awards either (issue 11,
// item 2): a nomination's ID (from the evidence snapshot membership gave)
// shows a nominator only its last 4 characters, the evidence carries no
// birth date, and the publicity notice, public by nature, shows every
// caller (an administrator too) only the last 4.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "absl/strings/str_cat.h"
#include "tests/service/awards_helpers.h"

namespace unionhub::testing {
namespace {

std::string LastFourOnly(const std::string& id) {
  return absl::StrCat(std::string(14, '*'), id.substr(14));
}

// Nothing in `text` gives the region code or the birth date of `person`.
void ExpectNothingToMatchBack(const std::string& text,
                              const mv1::Member& person) {
  const std::string& id = person.national_id();
  EXPECT_EQ(text.find(id.substr(0, 6)), std::string::npos) << text;
  EXPECT_EQ(text.find(id.substr(6, 8)), std::string::npos) << text;
  EXPECT_EQ(text.find(person.birth_date()), std::string::npos) << text;
}

class AwardsSecurityMaskingTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new AwardsServer("awards_mask");
    server_->SetToday(TestToday());
    MembershipServer& m = server_->membership();
    county_ =
        MustCreateOrg(m, mv1::ORG_TYPE_COUNTY_FEDERATION, 0, "清河县总工会");
    g1_ = MustCreateGrassroots(m, county_.org_id(), "机械厂工会", 1, 120);
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  AwardsServer& server() { return *server_; }

  static AwardsServer* server_;
  static mv1::Org county_, g1_;
};
AwardsServer* AwardsSecurityMaskingTest::server_ = nullptr;
mv1::Org AwardsSecurityMaskingTest::county_, AwardsSecurityMaskingTest::g1_;

TEST_F(AwardsSecurityMaskingTest, NominationAndPublicityShowOnlyTheLastFour) {
  const mv1::Member person = MustJoinPerson(server(), g1_.org_id(), 42);
  ASSERT_EQ(person.national_id().size(), 18u);
  ASSERT_EQ(person.birth_date(), "1990-01-01");  // read by an admin
  server().Sync();
  const av1::Program program = MustCreateProgram(
      server(), BasicProgram(county_.org_id(), {g1_.org_id()}));

  // A nominator of g1 nominates and submits: every answer is masked.
  auto nominator = server().AwardsWithToken(
      MintTestToken({"nominator"}, g1_.org_id(), "nominator-mask"));
  av1::CreateNominationResponse created;
  grpc::Status status = Rpc(
      *nominator, &AStub::CreateNomination,
      NominationRequest(program.program_id(), g1_.org_id(), person.member_id()),
      &created);
  ASSERT_TRUE(status.ok()) << status.error_message();
  const int64_t id = created.nomination().nomination_id();
  av1::SubmitNominationRequest submit;
  submit.set_request_id(NewRequestId());
  submit.set_nomination_id(id);
  av1::SubmitNominationResponse submitted;
  status = Rpc(*nominator, &AStub::SubmitNomination, submit, &submitted);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(submitted.nomination().status(),
            av1::NOMINATION_STATUS_UNDER_REVIEW)
      << submitted.nomination().status_reason();
  EXPECT_EQ(submitted.nomination().national_id(),
            LastFourOnly(person.national_id()));
  ExpectNothingToMatchBack(submitted.DebugString(), person);

  av1::GetNominationRequest get;
  get.set_nomination_id(id);
  av1::GetNominationResponse read;
  ASSERT_TRUE(Rpc(*nominator, &AStub::GetNomination, get, &read).ok());
  EXPECT_EQ(read.nomination().national_id(),
            LastFourOnly(person.national_id()));
  ExpectNothingToMatchBack(read.DebugString(), person);

  av1::ListNominationsRequest list;
  list.set_program_id(program.program_id());
  av1::ListNominationsResponse listed;
  status = Rpc(*nominator, &AStub::ListNominations, list, &listed);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(listed.nominations_size(), 1);
  EXPECT_EQ(listed.nominations(0).national_id(),
            LastFourOnly(person.national_id()));
  ExpectNothingToMatchBack(listed.DebugString(), person);

  // The stored snapshot keeps the full ID (sealed) for those who may read
  // it: an administrator.
  EXPECT_EQ(MustGetNomination(server(), id).national_id(),
            person.national_id());

  // Through review to the publicity notice.
  MustRpc(server().awards(), &AStub::CloseNominations,
          WithProgram<av1::CloseNominationsRequest>(program.program_id()),
          "CloseNominations");
  av1::AssignReviewersRequest assign =
      WithProgram<av1::AssignReviewersRequest>(program.program_id());
  for (const char* subject : {"mrev-1", "mrev-2", "mrev-3"}) {
    av1::Reviewer* r = assign.add_reviewers();
    r->set_subject(subject);
    r->set_name(subject);
    r->set_org_id(county_.org_id());
  }
  MustRpc(server().awards(), &AStub::AssignReviewers, assign,
          "AssignReviewers");
  for (const char* subject : {"mrev-1", "mrev-2", "mrev-3"}) {
    auto reviewer =
        server().AwardsWithToken(MintTestToken({"reviewer"}, 0, subject));
    ASSERT_TRUE(Vote(*reviewer, id, av1::VOTE_CHOICE_APPROVE).ok());
  }
  MustRpc(server().awards(), &AStub::CloseReview,
          WithProgram<av1::CloseReviewRequest>(program.program_id()),
          "CloseReview");
  MustRpc(server().awards(), &AStub::StartPublicity,
          WithProgram<av1::StartPublicityRequest>(program.program_id()),
          "StartPublicity");

  av1::GetPublicityNoticeRequest notice_req;
  notice_req.set_program_id(program.program_id());
  auto anyone = server().AwardsWithToken(
      MintTestToken({"nominator"}, 0, "nominator-all"));
  for (AStub* stub : {anyone.get(), &server().awards()}) {
    av1::GetPublicityNoticeResponse notice;
    status = Rpc(*stub, &AStub::GetPublicityNotice, notice_req, &notice);
    ASSERT_TRUE(status.ok()) << status.error_message();
    ASSERT_EQ(notice.entries_size(), 1);
    EXPECT_EQ(notice.entries(0).national_id(),
              LastFourOnly(person.national_id()));
    ExpectNothingToMatchBack(notice.DebugString(), person);
  }
}

}  // namespace
}  // namespace unionhub::testing
