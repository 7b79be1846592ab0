// The audit trail under abuse: anyone can send calls without a token, and
// each refused write used to add a row to the undeletable table (225 rows
// a second from one client), with the caller's request_id stored raw
// (terminal escape sequences included). Refusals without a valid token are
// now folded into one row per method per --audit_refusal_window that
// counts them, and every stored text is bounded, valid UTF-8 without
// control characters.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/rpc/audit_guard.h"
#include "tests/service/membership_helpers.h"
#include "tests/service/membership_security_helpers.h"
#include "tests/support/membership_fixture.h"

ABSL_DECLARE_FLAG(absl::Duration, audit_refusal_window);

namespace unionhub::testing {
namespace {

using ::testing::HasSubstr;

constexpr absl::Duration kWindow = absl::Seconds(3);

// Set before the server (and so its gate) is made.
class WindowFlag {
 public:
  WindowFlag() { absl::SetFlag(&FLAGS_audit_refusal_window, kWindow); }
};

// True when `text` is valid UTF-8 holding no C0/C1 control and no DEL.
bool Clean(const std::string& text) {
  return rpc::SanitizeAuditText(text, text.size()) == text;
}

class MembershipSecurityFloodTest : public ::testing::Test {
 protected:
  MembershipSecurityFloodTest() : server_("secflood") {
    const int64_t county =
        MustCreateOrg(server_, mv1::ORG_TYPE_COUNTY_FEDERATION, 0,
                      "清河县总工会")
            .org_id();
    org_ = MustCreateGrassroots(server_, county, "城关机械厂工会", 1, 100)
               .org_id();
  }

  std::vector<std::string> Column(const std::string& column,
                                  const std::string& where) {
    std::vector<std::string> out;
    const int n = std::stoi(server_.database().QueryValue(
        absl::StrCat("SELECT COUNT(*) FROM audit_trail WHERE ", where)));
    for (int i = 0; i < n; ++i) {
      out.push_back(server_.database().QueryValue(
          absl::StrCat("SELECT ", column, " FROM audit_trail WHERE ", where,
                       " ORDER BY id LIMIT 1 OFFSET ", i)));
    }
    return out;
  }

  WindowFlag window_;
  MembershipServer server_;
  int64_t org_ = 0;
};

// How many refusals a row stands for: itself and those it says were
// folded into it.
int64_t RefusalsIn(const std::string& detail) {
  static const std::regex kFolded(R"(^\[\+(\d+) earlier refusals)");
  std::smatch m;
  int64_t folded = 0;
  if (std::regex_search(detail, m, kFolded)) {
    EXPECT_TRUE(absl::SimpleAtoi(m[1].str(), &folded));
  }
  return 1 + folded;
}

TEST_F(MembershipSecurityFloodTest, TokenlessWritesAreCountedNotEachStored) {
  std::unique_ptr<Stub> nobody = server_.StubWithToken("");
  std::unique_ptr<Stub> forged = server_.StubWithToken("e30.e30.AAAA");
  const std::string join = MembershipMethod("JoinMember");
  const std::string anonymous =
      "actor = 'anonymous' AND method = '" + join + "'";
  const std::string before = StateFingerprint(server_);

  const absl::Time start = absl::Now();
  constexpr int kCalls = 500;
  for (int i = 0; i < kCalls; ++i) {
    mv1::JoinMemberResponse resp;
    const grpc::Status status =
        Call(i % 5 == 0 ? *forged : *nobody, &Stub::JoinMember,
             JoinRequest(Person(org_, i % 900)), &resp);
    ASSERT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  }
  const absl::Duration took = absl::Now() - start;
  const int rows = AuditRows(server_, "anonymous", join, "UNAUTHENTICATED");
  EXPECT_GE(rows, 1) << "the first refusal is recorded";
  EXPECT_LE(rows, 2 + took / kWindow)
      << kCalls << " tokenless calls in " << took << " wrote " << rows
      << " audit rows";

  // Once the window has passed, the next refusal's row carries the count
  // of those folded into it: no refusal is lost from the record.
  absl::SleepFor(kWindow + absl::Milliseconds(200));
  mv1::JoinMemberResponse resp;
  ASSERT_EQ(
      Call(*nobody, &Stub::JoinMember, JoinRequest(Person(org_, 901)), &resp)
          .error_code(),
      grpc::StatusCode::UNAUTHENTICATED);
  const std::vector<std::string> details = Column("detail", anonymous);
  ASSERT_GE(details.size(), 2u);
  int64_t total = 0;
  for (const std::string& d : details) total += RefusalsIn(d);
  EXPECT_EQ(total, kCalls + 1);
  EXPECT_THAT(details.back(), HasSubstr("recorded singly"));
  EXPECT_LE(details.size(), static_cast<size_t>(3 + took / kWindow));

  // Each method has its own first row; nothing else was written.
  mv1::UpdateMemberRequest update;
  update.set_request_id(NewRequestId());
  update.mutable_member()->set_member_id(1);
  update.mutable_update_mask()->add_paths("mobile");
  mv1::UpdateMemberResponse updated;
  EXPECT_EQ(Call(*nobody, &Stub::UpdateMember, update, &updated).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(AuditRows(server_, "anonymous", MembershipMethod("UpdateMember"),
                      "UNAUTHENTICATED"),
            1);
  EXPECT_EQ(StateFingerprint(server_), before);
}

// A caller with a valid token is accountable by name: every refusal of
// theirs still has a row.
TEST_F(MembershipSecurityFloodTest, RefusalsOfIdentifiedCallersAreAllStored) {
  std::unique_ptr<Stub> reviewer =
      server_.StubWithToken(MintTestToken({"reviewer"}, 0, "reviewer-1"));
  for (int i = 0; i < 20; ++i) {
    mv1::JoinMemberResponse resp;
    EXPECT_EQ(
        Call(*reviewer, &Stub::JoinMember, JoinRequest(Person(org_, i)), &resp)
            .error_code(),
        grpc::StatusCode::PERMISSION_DENIED);
  }
  EXPECT_EQ(AuditRows(server_, "reviewer-1", MembershipMethod("JoinMember"),
                      "PERMISSION_DENIED"),
            20);
}

TEST_F(MembershipSecurityFloodTest, StoredTextIsBoundedAndHasNoControls) {
  const std::string join = MembershipMethod("JoinMember");
  // Without a token: the request_id is stored as sent, minus its escapes.
  std::unique_ptr<Stub> nobody = server_.StubWithToken("");
  mv1::JoinMemberRequest evil = JoinRequest(Person(org_, 1));
  evil.set_request_id("evil\x1b[31mred\x07\xC2\x9B");
  mv1::JoinMemberResponse resp;
  EXPECT_EQ(Call(*nobody, &Stub::JoinMember, evil, &resp).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);

  // With a token whose subject carries escapes, and a long request_id of
  // three-byte characters (cut by bytes it used to be invalid UTF-8, and
  // the database refused the whole audit row).
  std::unique_ptr<Stub> mallory = server_.StubWithToken(
      MintTestToken({"reviewer"}, 0, "mallory\x1b]0;owned\x07\xe2\x80\xae"));
  mv1::JoinMemberRequest wide = JoinRequest(Person(org_, 2));
  std::string long_id;
  for (int i = 0; i < 300; ++i) long_id += "中";
  wide.set_request_id(long_id);
  EXPECT_EQ(Call(*mallory, &Stub::JoinMember, wide, &resp).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  // A registrar's own bad request_id is INVALID_ARGUMENT, and audited
  // clean too.
  std::unique_ptr<Stub> registrar =
      server_.StubWithToken(MintTestToken({"registrar"}, 0, "registrar-1"));
  mv1::JoinMemberRequest bad = JoinRequest(Person(org_, 3));
  bad.set_request_id("x\x1b[2Jy");
  EXPECT_EQ(Call(*registrar, &Stub::JoinMember, bad, &resp).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  const std::string where = "method = '" + join + "'";
  const std::vector<std::string> ids = Column("request_id", where);
  ASSERT_EQ(ids.size(), 3u) << "every one of the three calls is recorded";
  EXPECT_EQ(ids[0], "evil\xEF\xBF\xBD[31mred\xEF\xBF\xBD\xEF\xBF\xBD");
  std::string long_kept;
  for (int i = 0; i < 80; ++i) long_kept += "中";
  EXPECT_EQ(ids[1], long_kept);
  EXPECT_EQ(ids[2], "x\xEF\xBF\xBD[2Jy");
  for (const char* column :
       {"actor", "roles", "method", "target", "request_id", "detail"}) {
    for (const std::string& value : Column(column, where)) {
      EXPECT_TRUE(Clean(value)) << column << ": " << value;
    }
  }
  const std::vector<std::string> actors = Column("actor", where);
  EXPECT_EQ(actors[1], "mallory\xEF\xBF\xBD]0;owned\xEF\xBF\xBD\xEF\xBF\xBD");
}

}  // namespace
}  // namespace unionhub::testing
