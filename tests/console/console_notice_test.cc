// The 公示 notice PDF downloaded from the console for a programme brought
// into publicity on real membership, finance and awards servers, read back
// with pdftotext: the programme, the dates, the names with masked IDs, and
// nowhere a full ID.
#include <grpcpp/create_channel.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "services/console/console_server.h"
#include "tests/service/awards_helpers.h"

namespace unionhub::testing {
namespace {

std::string PdfText(const std::string& pdf) {
  std::string path = "/tmp/console-notice-XXXXXX";
  const int fd = mkstemp(path.data());
  if (fd < 0) return "";
  close(fd);
  std::ofstream(path, std::ios::binary) << pdf;
  const std::string out =
      CommandOutput(absl::StrCat("pdftotext -enc UTF-8 ", path, " -"));
  unlink(path.c_str());
  return out;
}

TEST(ConsoleNoticeTest, NoticePdfHoldsTheNamesWithMaskedIdsOnly) {
  AwardsServer server("console_notice");
  server.SetToday(TestToday());
  MembershipServer& m = server.membership();
  const mv1::Org county =
      MustCreateOrg(m, mv1::ORG_TYPE_COUNTY_FEDERATION, 0, "清河县总工会");
  const mv1::Org g1 =
      MustCreateGrassroots(m, county.org_id(), "机械厂工会", 1, 120);
  std::vector<mv1::Member> people;
  for (int i : {42, 43})
    people.push_back(MustJoinPerson(server, g1.org_id(), i));
  server.Sync();
  const av1::Program program =
      MustCreateProgram(server, BasicProgram(county.org_id(), {g1.org_id()}));
  std::vector<int64_t> nominations;
  for (const mv1::Member& person : people) {
    av1::CreateNominationResponse created =
        MustRpc(server.awards(), &AStub::CreateNomination,
                NominationRequest(program.program_id(), g1.org_id(),
                                  person.member_id()),
                "CreateNomination");
    av1::SubmitNominationRequest submit;
    submit.set_request_id(NewRequestId());
    submit.set_nomination_id(created.nomination().nomination_id());
    MustRpc(server.awards(), &AStub::SubmitNomination, submit,
            "SubmitNomination");
    nominations.push_back(created.nomination().nomination_id());
  }
  MustRpc(server.awards(), &AStub::CloseNominations,
          WithProgram<av1::CloseNominationsRequest>(program.program_id()),
          "CloseNominations");
  av1::AssignReviewersRequest assign =
      WithProgram<av1::AssignReviewersRequest>(program.program_id());
  for (const char* subject : {"nrev-1", "nrev-2", "nrev-3"}) {
    av1::Reviewer* r = assign.add_reviewers();
    r->set_subject(subject);
    r->set_name(subject);
    r->set_org_id(county.org_id());
  }
  MustRpc(server.awards(), &AStub::AssignReviewers, assign, "AssignReviewers");
  for (const char* subject : {"nrev-1", "nrev-2", "nrev-3"}) {
    auto reviewer =
        server.AwardsWithToken(MintTestToken({"reviewer"}, 0, subject));
    for (int64_t id : nominations) {
      ASSERT_TRUE(Vote(*reviewer, id, av1::VOTE_CHOICE_APPROVE).ok());
    }
  }
  MustRpc(server.awards(), &AStub::CloseReview,
          WithProgram<av1::CloseReviewRequest>(program.program_id()),
          "CloseReview");
  MustRpc(server.awards(), &AStub::StartPublicity,
          WithProgram<av1::StartPublicityRequest>(program.program_id()),
          "StartPublicity");
  av1::GetPublicityNoticeRequest notice_req;
  notice_req.set_program_id(program.program_id());
  const av1::GetPublicityNoticeResponse notice =
      MustRpc(server.awards(), &AStub::GetPublicityNotice, notice_req,
              "GetPublicityNotice");
  ASSERT_EQ(notice.entries_size(), 2);

  console::ConsoleConfig config;
  config.tls_cert_file = SecretsDir() + "/server.pem";
  config.tls_key_file = SecretsDir() + "/server.key";
  config.gateway.channels["awards"] =
      grpc::CreateChannel(server.target(), TestChannelCredentials(""));
  console::ConsoleServer console(std::move(config));
  ASSERT_TRUE(console.Start().ok());
  httplib::SSLClient client("127.0.0.1", console.port());
  client.set_ca_cert_path((SecretsDir() + "/ca.pem").c_str());
  client.enable_server_certificate_verification(true);
  client.set_read_timeout(120, 0);
  // A committee member's session, as the browser sends it.
  const std::string path = absl::StrCat(
      "/api/download/publicity-notice.pdf?program_id=", program.program_id());
  httplib::Result r = client.Get(
      path.c_str(), {{"Cookie", absl::StrCat("uh_session=",
                                             MintTestToken({"award_committee"},
                                                           county.org_id()))}});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/pdf");
  ASSERT_EQ(r->body.rfind("%PDF-", 0), 0u);

  // Kept for people to look at (scripts/test sets UNIONHUB_BUILD_DIR).
  if (const char* build = std::getenv("UNIONHUB_BUILD_DIR")) {
    const std::string dir = absl::StrCat(build, "/test-artifacts/console-pdf");
    std::filesystem::create_directories(dir);
    std::ofstream(dir + "/publicity-notice.pdf", std::ios::binary) << r->body;
  }
  const std::string text = PdfText(r->body);
  EXPECT_NE(text.find("拟表彰人选公示"), std::string::npos) << text;
  EXPECT_NE(text.find(notice.title()), std::string::npos) << text;
  EXPECT_NE(text.find(notice.starts_on()), std::string::npos) << text;
  EXPECT_NE(text.find(notice.ends_on()), std::string::npos) << text;
  EXPECT_NE(text.find("异议"), std::string::npos) << text;
  EXPECT_NE(text.find(notice.organizer()), std::string::npos) << text;
  for (int i = 0; i < 2; ++i) {
    const std::string& id = people[i].national_id();
    ASSERT_EQ(id.size(), 18u);
    EXPECT_NE(text.find(notice.entries(i).name()), std::string::npos) << text;
    EXPECT_NE(text.find(absl::StrCat(std::string(14, '*'), id.substr(14))),
              std::string::npos)
        << text;
    EXPECT_EQ(text.find(id), std::string::npos) << text;
    EXPECT_EQ(text.find(id.substr(0, 14)), std::string::npos) << text;
  }

  // Without a session the service refuses and no PDF is sent.
  httplib::Result anonymous = client.Get(path.c_str());
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401);
  EXPECT_NE(anonymous->get_header_value("Content-Type"), "application/pdf");
  console.Stop();
}

}  // namespace
}  // namespace unionhub::testing
