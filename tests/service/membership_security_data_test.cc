// Personal data and accountability: after joins, imports, updates, transfers
// and status changes no raw table holds a national ID in plain text (nor its
// first 17 digits); the audit trail names who did what, allowed or refused,
// cannot be changed, and ListAuditTrail filters and pages through it; and
// the service's logs of a whole run hold neither national IDs nor tokens.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/auth/jwt.h"
#include "common/core/log.h"
#include "common/db/sql.h"
#include "tests/service/membership_helpers.h"
#include "tests/service/membership_security_helpers.h"
#include "tests/support/membership_fixture.h"
#include "unionhub/common/v1/audit_trail.grpc.pb.h"

namespace unionhub::testing {
namespace {

namespace cv1 = ::unionhub::common::v1;
using AuditStub = cv1::AuditTrailService::Stub;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

constexpr char kMembership[] = "unionhub.membership.v1.MembershipService.";

// A national ID with the right shape but a wrong check character.
std::string WithBadCheck(const std::string& id) {
  std::string bad = id;
  bad.back() = id.back() == '0' ? '1' : '0';
  return bad;
}

// Everything that would reveal `id`: the number as stored, as typed with a
// lower-case x, and its first 17 digits (the check character is derived).
std::vector<std::string> Needles(const std::string& id) {
  std::vector<std::string> needles = {id, id.substr(0, 17)};
  const std::string lower = absl::AsciiStrToLower(id);
  if (lower != id) needles.push_back(lower);
  return needles;
}

std::unique_ptr<AuditStub> AuditStubFor(MembershipServer& server,
                                        const std::string& token) {
  return cv1::AuditTrailService::NewStub(server.Channel(token));
}

grpc::Status ListAudit(AuditStub& stub, const cv1::ListAuditTrailRequest& req,
                       cv1::ListAuditTrailResponse* resp) {
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  return stub.ListAuditTrail(&context, req, resp);
}

mv1::Org CreateWith(Stub& stub, const mv1::CreateOrgRequest& req) {
  mv1::CreateOrgResponse resp;
  grpc::Status status = Call(stub, &Stub::CreateOrg, req, &resp);
  EXPECT_TRUE(status.ok()) << req.org().name() << ": "
                           << status.error_message();
  return resp.org();
}

grpc::Status JoinWith(Stub& stub, const mv1::Member& person,
                      mv1::JoinMemberResponse* resp = nullptr) {
  mv1::JoinMemberResponse ignored;
  return Call(stub, &Stub::JoinMember, JoinRequest(person),
              resp != nullptr ? resp : &ignored);
}

grpc::Status Lookup(Stub& stub, const std::string& national_id) {
  mv1::LookupMemberRequest req;
  req.set_national_id(national_id);
  mv1::LookupMemberResponse resp;
  return Call(stub, &Stub::LookupMember, req, &resp);
}

// ------------------------------------------------------------- bad tokens

// ------------------------------------------------------------ the fixture

class MembershipSecurityDataTest : public ::testing::Test {
 protected:
  MembershipSecurityDataTest() : server_("secdata") {
    county_ = MustCreateOrg(server_, mv1::ORG_TYPE_COUNTY_FEDERATION, 0,
                            "清河县总工会")
                  .org_id();
    town_ =
        MustCreateOrg(server_, mv1::ORG_TYPE_TOWNSHIP_UNION, county_, "城关镇")
            .org_id();
    g1_ = MustCreateGrassroots(server_, town_, "机械厂工会", 1, 100).org_id();
    g2_ = MustCreateGrassroots(server_, town_, "纺织厂工会", 2, 80).org_id();
  }

  // The first column of the first row, with `args` bound to the ?s.
  template <typename... Args>
  std::string Value(const std::string& sql, const Args&... args) {
    return server_.database().QueryValue(sql, args...);
  }
  template <typename... Args>
  int64_t Number(const std::string& sql, const Args&... args) {
    return std::stoll(Value(sql, args...));
  }

  // Every table of the schema with all its columns, as one binary string
  // per row, searched for each needle. Returns "table: needle" findings.
  std::vector<std::string> FindInRawTables(
      const std::vector<std::string>& needles) {
    std::vector<std::string> findings;
    const std::vector<std::string> tables = absl::StrSplit(
        Value("SELECT GROUP_CONCAT(table_name ORDER BY table_name) FROM "
              "information_schema.tables WHERE table_schema = DATABASE()"),
        ',', absl::SkipEmpty());
    EXPECT_GE(tables.size(), 8u);
    for (const std::string& table : tables) {
      const std::string columns = Value(
          "SELECT GROUP_CONCAT(CONCAT('CAST(`', column_name, '` AS BINARY)') "
          "ORDER BY ordinal_position SEPARATOR ',') FROM "
          "information_schema.columns WHERE table_schema = DATABASE() AND "
          "table_name = ?",
          table);
      // Table and column names come from information_schema; the needle is
      // bound (as bytes, so no character set conversion can hide it).
      const std::string row = absl::StrCat("CONCAT_WS(X'7C', ", columns, ")");
      for (const std::string& needle : needles) {
        const int64_t hits =
            Number(absl::StrCat("SELECT COUNT(*) FROM `", table,
                                "` WHERE LOCATE(UNHEX(?), ", row, ") > 0"),
                   absl::BytesToHexString(needle));
        if (hits > 0) {
          findings.push_back(
              absl::StrCat(table, ": ", needle, " (", hits, " rows)"));
        }
      }
    }
    return findings;
  }

  MembershipServer server_;
  int64_t county_ = 0, town_ = 0, g1_ = 0, g2_ = 0;
};

// ---------------------------------------------------------- data at rest

TEST_F(MembershipSecurityDataTest, RawTablesHoldNoPlaintextNationalId) {
  std::unique_ptr<Stub> registrar =
      server_.StubWithToken(MintTestToken({"registrar"}, 0, "registrar-1"));
  std::unique_ptr<Stub> scoped =
      server_.StubWithToken(MintTestToken({"registrar"}, g2_, "registrar-g2"));
  std::unique_ptr<Stub> reviewer =
      server_.StubWithToken(MintTestToken({"reviewer"}, 0, "reviewer-1"));
  std::unique_ptr<Stub> anonymous = server_.StubWithToken("");
  std::vector<std::string> ids;  // every ID this test sends

  // Joins: one typed with a lower-case x, one by a registrar, one retried.
  mv1::Member p1 = Person(g1_, 8);  // ...008X
  ids.push_back(p1.national_id());
  p1.set_national_id(absl::AsciiStrToLower(p1.national_id()));
  mv1::JoinMemberResponse joined1;
  ASSERT_TRUE(JoinWith(server_.stub(), p1, &joined1).ok());
  mv1::Member p2 = Person(g1_, 16);  // ...016X
  ids.push_back(p2.national_id());
  mv1::JoinMemberResponse joined2;
  ASSERT_TRUE(JoinWith(*registrar, p2, &joined2).ok());
  mv1::Member p3 = Person(g1_, 20);
  ids.push_back(p3.national_id());
  mv1::JoinMemberRequest join3 = JoinRequest(p3);
  mv1::JoinMemberResponse joined3, retried3;
  ASSERT_TRUE(Call(server_.stub(), &Stub::JoinMember, join3, &joined3).ok());
  ASSERT_TRUE(Call(server_.stub(), &Stub::JoinMember, join3, &retried3).ok());
  EXPECT_EQ(retried3.member().member_id(), joined3.member().member_id());
  EXPECT_EQ(retried3.member().national_id(), p3.national_id());

  // A collective registration with a duplicate and a bad row.
  mv1::Member p4 = Person(0, 21), p5 = Person(0, 22), bad = Person(0, 23);
  ids.push_back(p4.national_id());
  ids.push_back(p5.national_id());
  bad.set_national_id(WithBadCheck(bad.national_id()));
  ids.push_back(bad.national_id());
  mv1::ImportHeader header;
  header.set_request_id(NewRequestId());
  header.set_default_org_id(g2_);
  mv1::ImportMembersResponse imported;
  ASSERT_TRUE(Import(*registrar, header, {p4, p5, p4, bad}, &imported).ok());
  EXPECT_EQ(imported.rows_joined(), 2);
  EXPECT_EQ(imported.rows_rejected(), 2);

  // Updates, a transfer, leaving and rejoining.
  mv1::UpdateMemberRequest update;
  update.set_request_id(NewRequestId());
  update.mutable_member()->set_member_id(joined1.member().member_id());
  update.mutable_member()->set_mobile("13912345678");
  update.mutable_member()->set_wage_base_fen(612300);
  update.mutable_update_mask()->add_paths("mobile");
  update.mutable_update_mask()->add_paths("wage_base_fen");
  mv1::UpdateMemberResponse updated;
  ASSERT_TRUE(Call(*registrar, &Stub::UpdateMember, update, &updated).ok());
  mv1::TransferMemberRequest transfer;
  transfer.set_request_id(NewRequestId());
  transfer.set_member_id(joined2.member().member_id());
  transfer.set_to_org_id(g2_);
  mv1::TransferMemberResponse moved;
  ASSERT_TRUE(Call(*registrar, &Stub::TransferMember, transfer, &moved).ok());
  ASSERT_TRUE(ChangeStatus(server_, joined3.member().member_id(),
                           mv1::MEMBER_STATUS_LEFT)
                  .ok());
  mv1::JoinMemberResponse rejoined;
  ASSERT_TRUE(JoinWith(*registrar, p3, &rejoined).ok());
  EXPECT_TRUE(rejoined.reactivated());

  // Refused and failed joins, each with its own number.
  mv1::Member p6 = Person(g1_, 30), p7 = Person(g1_, 31), p8 = Person(g1_, 32),
              p9 = Person(987654, 33);
  for (const mv1::Member& p : {p6, p7, p8, p9}) ids.push_back(p.national_id());
  EXPECT_EQ(JoinWith(*reviewer, p6).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(JoinWith(*anonymous, p7).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(JoinWith(*scoped, p8).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(JoinWith(server_.stub(), p9).error_code(),
            grpc::StatusCode::NOT_FOUND);
  mv1::Member invalid = Person(g1_, 34);
  invalid.set_national_id(WithBadCheck(invalid.national_id()));
  ids.push_back(invalid.national_id());
  EXPECT_EQ(JoinWith(server_.stub(), invalid).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(JoinWith(*registrar, Person(g2_, 8)).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
  // Lookups of members and of strangers.
  EXPECT_TRUE(Lookup(*registrar, ids[0]).ok());
  const std::string stranger = MakeNationalId("19850606", 41);
  ids.push_back(stranger);
  EXPECT_EQ(Lookup(*registrar, stranger).error_code(),
            grpc::StatusCode::NOT_FOUND);

  // The tables the brief names all took part, so the scan is not vacuous.
  for (const char* table : {"members", "events", "idempotency_keys",
                            "member_history", "audit_trail"}) {
    EXPECT_GT(std::stoi(Count(server_, table)), 0) << table;
  }
  // The scan does find plain text that is stored: a mobile number.
  EXPECT_THAT(FindInRawTables({"13912345678"}), Not(IsEmpty()));

  std::vector<std::string> needles;
  for (const std::string& id : ids) {
    for (const std::string& needle : Needles(id)) needles.push_back(needle);
  }
  EXPECT_THAT(FindInRawTables(needles), IsEmpty());

  // The index is a keyed hash: not the plain SHA-256 of the number, which
  // anyone could compute for every possible ID.
  for (int seq : {8, 16, 20}) {
    const std::string id = MakeNationalId("19900101", seq);
    EXPECT_EQ(Number("SELECT COUNT(*) FROM members WHERE LOWER(HEX("
                     "national_id_index)) = SHA2(?, 256)",
                     id),
              0);
  }
  // Each member's sealed number is distinct, even for the same birth date.
  EXPECT_EQ(Number("SELECT COUNT(DISTINCT national_id_sealed) FROM members"),
            Number("SELECT COUNT(*) FROM members"));
  // While the service still answers with the full number to those who may.
  EXPECT_EQ(MustGetMember(server_, joined1.member().member_id()).national_id(),
            ids[0]);
}

// ------------------------------------------------------------ audit trail

TEST_F(MembershipSecurityDataTest, AuditTrailRecordsAllowedAndRefusedWrites) {
  std::unique_ptr<Stub> registrar =
      server_.StubWithToken(MintTestToken({"registrar"}, town_, "registrar-t"));
  std::unique_ptr<Stub> reviewer =
      server_.StubWithToken(MintTestToken({"reviewer"}, 0, "reviewer-1"));
  std::unique_ptr<Stub> anonymous = server_.StubWithToken("");
  const int64_t other_county =
      MustCreateOrg(server_, mv1::ORG_TYPE_COUNTY_FEDERATION, 0, "邻县总工会")
          .org_id();
  const int64_t outside =
      MustCreateGrassroots(server_, other_county, "邻县机械厂工会", 9, 50)
          .org_id();
  const int64_t before = Number("SELECT COALESCE(MAX(id), 0) FROM audit_trail");

  mv1::JoinMemberRequest ok = JoinRequest(Person(g1_, 1));
  mv1::JoinMemberRequest out_of_scope = JoinRequest(Person(outside, 2));
  mv1::JoinMemberRequest by_reviewer = JoinRequest(Person(g1_, 3));
  mv1::JoinMemberRequest by_nobody = JoinRequest(Person(g1_, 4));
  mv1::Member invalid = Person(g1_, 5);
  invalid.set_national_id(WithBadCheck(invalid.national_id()));
  mv1::JoinMemberRequest bad = JoinRequest(invalid);
  mv1::JoinMemberResponse resp;
  EXPECT_TRUE(Call(*registrar, &Stub::JoinMember, ok, &resp).ok());
  const int64_t member_id = resp.member().member_id();
  EXPECT_EQ(
      Call(*registrar, &Stub::JoinMember, out_of_scope, &resp).error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Call(*reviewer, &Stub::JoinMember, by_reviewer, &resp).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Call(*anonymous, &Stub::JoinMember, by_nobody, &resp).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Call(*registrar, &Stub::JoinMember, bad, &resp).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  // Reads are not audited.
  EXPECT_EQ(MustGetMember(server_, member_id).member_id(), member_id);

  std::unique_ptr<AuditStub> auditor =
      AuditStubFor(server_, MintTestToken({"auditor"}, 0, "auditor-1"));
  cv1::ListAuditTrailRequest req;
  req.set_method(absl::StrCat(kMembership, "JoinMember"));
  cv1::ListAuditTrailResponse trail;
  grpc::Status status = ListAudit(*auditor, req, &trail);
  ASSERT_TRUE(status.ok()) << status.error_message();
  std::vector<cv1::AuditRecord> records;
  for (const cv1::AuditRecord& r : trail.records()) {
    if (r.record_id() > before) records.push_back(r);
  }
  ASSERT_EQ(records.size(), 5u) << trail.DebugString();
  // Newest first.
  const cv1::AuditRecord& r_bad = records[0];
  const cv1::AuditRecord& r_nobody = records[1];
  const cv1::AuditRecord& r_reviewer = records[2];
  const cv1::AuditRecord& r_scope = records[3];
  const cv1::AuditRecord& r_ok = records[4];

  EXPECT_EQ(r_ok.actor(), "registrar-t");
  EXPECT_THAT(r_ok.roles(), ElementsAre("registrar"));
  EXPECT_EQ(r_ok.result(), "OK");
  EXPECT_EQ(r_ok.request_id(), ok.request_id());
  EXPECT_EQ(r_ok.target(), absl::StrCat("member.org_id=", g1_));
  EXPECT_EQ(r_ok.detail(), "");
  EXPECT_GT(r_ok.record_time().seconds(), 0);

  EXPECT_EQ(r_scope.actor(), "registrar-t");
  EXPECT_EQ(r_scope.result(), "PERMISSION_DENIED");
  EXPECT_EQ(r_scope.request_id(), out_of_scope.request_id());
  EXPECT_EQ(r_scope.target(), absl::StrCat("member.org_id=", outside));
  EXPECT_THAT(r_scope.detail(), Not(IsEmpty()));

  EXPECT_EQ(r_reviewer.actor(), "reviewer-1");
  EXPECT_THAT(r_reviewer.roles(), ElementsAre("reviewer"));
  EXPECT_EQ(r_reviewer.result(), "PERMISSION_DENIED");
  EXPECT_EQ(r_reviewer.request_id(), by_reviewer.request_id());

  EXPECT_EQ(r_nobody.actor(), "anonymous");
  EXPECT_THAT(r_nobody.roles(), IsEmpty());
  EXPECT_EQ(r_nobody.result(), "UNAUTHENTICATED");
  EXPECT_EQ(r_nobody.request_id(), by_nobody.request_id());

  EXPECT_EQ(r_bad.actor(), "registrar-t");
  EXPECT_EQ(r_bad.result(), "INVALID_ARGUMENT");
  EXPECT_THAT(r_bad.detail(), HasSubstr("national_id"));
  EXPECT_THAT(r_bad.detail(),
              Not(HasSubstr(invalid.national_id().substr(0, 17))));

  for (const cv1::AuditRecord& r : records) {
    EXPECT_EQ(r.method(), absl::StrCat(kMembership, "JoinMember"));
  }
  EXPECT_EQ(Number("SELECT COUNT(*) FROM audit_trail WHERE id > ?", before), 5)
      << "nothing but the five joins is audited";
}

TEST_F(MembershipSecurityDataTest, AuditTrailIsAppendOnlyEvenForRoot) {
  std::unique_ptr<Stub> reviewer =
      server_.StubWithToken(MintTestToken({"reviewer"}, 0, "reviewer-1"));
  EXPECT_EQ(JoinWith(*reviewer, Person(g1_, 1)).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  const std::string snapshot = Value(
      "SELECT GROUP_CONCAT(CONCAT_WS(':', id, actor, method, result, detail) "
      "ORDER BY id) FROM audit_trail");
  const int64_t rows = Number("SELECT COUNT(*) FROM audit_trail");
  ASSERT_GT(rows, 0);

  for (const std::string sql :
       {"UPDATE audit_trail SET result = 'OK' WHERE result = "
        "'PERMISSION_DENIED'",
        "UPDATE audit_trail SET actor = 'someone-else'",
        "DELETE FROM audit_trail WHERE actor = 'reviewer-1'",
        "DELETE FROM audit_trail"}) {
    // The test database's pool connects as root.
    absl::Status changed = server_.database().pool().Run(
        [&](db::Connection& conn) -> absl::Status {
          db::Execute(conn, sql);
          return absl::OkStatus();
        });
    EXPECT_FALSE(changed.ok()) << "root could run: " << sql;
    EXPECT_THAT(std::string(changed.message()), HasSubstr("append-only"))
        << sql;
  }
  EXPECT_EQ(Number("SELECT COUNT(*) FROM audit_trail"), rows);
  EXPECT_EQ(Value("SELECT GROUP_CONCAT(CONCAT_WS(':', id, actor, method, "
                  "result, detail) ORDER BY id) FROM audit_trail"),
            snapshot);
}

TEST_F(MembershipSecurityDataTest, ListAuditTrailFiltersAndPaginates) {
  // The fixture's four CreateOrg calls by test-admin are in the trail too.
  std::unique_ptr<Stub> registrar =
      server_.StubWithToken(MintTestToken({"registrar"}, 0, "registrar-1"));
  std::unique_ptr<Stub> reviewer =
      server_.StubWithToken(MintTestToken({"reviewer"}, 0, "reviewer-1"));
  for (int seq : {1, 2, 3}) {
    EXPECT_TRUE(JoinWith(*registrar, Person(g1_, seq)).ok());
  }
  for (int seq : {4, 5}) {
    EXPECT_EQ(JoinWith(*reviewer, Person(g1_, seq)).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
  EXPECT_EQ(JoinWith(*server_.StubWithToken(""), Person(g1_, 6)).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  const int64_t total = Number("SELECT COUNT(*) FROM audit_trail");
  ASSERT_EQ(total, 10);

  std::unique_ptr<AuditStub> auditor =
      AuditStubFor(server_, MintTestToken({"auditor"}, 0, "auditor-1"));
  auto list = [&](const std::string& actor, const std::string& method,
                  const std::string& result) {
    cv1::ListAuditTrailRequest req;
    req.set_actor(actor);
    req.set_method(method.empty() ? "" : absl::StrCat(kMembership, method));
    req.set_result(result);
    cv1::ListAuditTrailResponse resp;
    grpc::Status status = ListAudit(*auditor, req, &resp);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return std::vector<cv1::AuditRecord>(resp.records().begin(),
                                         resp.records().end());
  };
  auto actors = [](const std::vector<cv1::AuditRecord>& records) {
    std::set<std::string> set;
    for (const auto& r : records) set.insert(r.actor());
    return set;
  };
  auto results = [](const std::vector<cv1::AuditRecord>& records) {
    std::set<std::string> set;
    for (const auto& r : records) set.insert(r.result());
    return set;
  };

  std::vector<cv1::AuditRecord> by_reviewer = list("reviewer-1", "", "");
  EXPECT_EQ(by_reviewer.size(), 2u);
  EXPECT_EQ(results(by_reviewer), std::set<std::string>{"PERMISSION_DENIED"});
  std::vector<cv1::AuditRecord> creates = list("", "CreateOrg", "");
  EXPECT_EQ(creates.size(), 4u);
  EXPECT_EQ(actors(creates), std::set<std::string>{"test-admin"});
  EXPECT_EQ(list("", "", "PERMISSION_DENIED").size(), 2u);
  EXPECT_EQ(list("", "", "UNAUTHENTICATED").size(), 1u);
  EXPECT_EQ(list("anonymous", "JoinMember", "UNAUTHENTICATED").size(), 1u);
  std::vector<cv1::AuditRecord> joins = list("registrar-1", "JoinMember", "OK");
  EXPECT_EQ(joins.size(), 3u);
  EXPECT_TRUE(list("registrar-1", "CreateOrg", "").empty());
  EXPECT_TRUE(list("nobody", "", "").empty());

  // A time window before everything holds nothing.
  cv1::ListAuditTrailRequest old;
  old.mutable_until()->set_seconds(946684800);  // 2000-01-01
  cv1::ListAuditTrailResponse none;
  ASSERT_TRUE(ListAudit(*auditor, old, &none).ok());
  EXPECT_EQ(none.records_size(), 0);

  // Pages of three, newest first, every record exactly once.
  std::vector<int64_t> ids;
  std::vector<int> page_sizes;
  cv1::ListAuditTrailRequest req;
  req.set_page_size(3);
  std::string last_token;
  for (int page = 0; page < 10; ++page) {
    cv1::ListAuditTrailResponse resp;
    grpc::Status status = ListAudit(*auditor, req, &resp);
    ASSERT_TRUE(status.ok()) << status.error_message();
    page_sizes.push_back(resp.records_size());
    for (const auto& r : resp.records()) ids.push_back(r.record_id());
    if (resp.next_page_token().empty()) break;
    last_token = resp.next_page_token();
    req.set_page_token(resp.next_page_token());
  }
  EXPECT_THAT(page_sizes, ElementsAre(3, 3, 3, 1));
  ASSERT_EQ(static_cast<int64_t>(ids.size()), total);
  for (size_t i = 1; i < ids.size(); ++i) EXPECT_LT(ids[i], ids[i - 1]);

  // A token is bound to its filters.
  cv1::ListAuditTrailRequest other;
  other.set_page_size(3);
  other.set_actor("reviewer-1");
  other.set_page_token(last_token);
  cv1::ListAuditTrailResponse refused;
  EXPECT_EQ(ListAudit(*auditor, other, &refused).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  // Only auditors and admins read the trail.
  for (const std::string role : {"registrar", "service", "finance_clerk"}) {
    std::unique_ptr<AuditStub> stub =
        AuditStubFor(server_, MintTestToken({role}, 0, "x-" + role));
    cv1::ListAuditTrailResponse resp;
    EXPECT_EQ(
        ListAudit(*stub, cv1::ListAuditTrailRequest(), &resp).error_code(),
        grpc::StatusCode::PERMISSION_DENIED)
        << role;
    EXPECT_EQ(resp.records_size(), 0);
  }
}

// ------------------------------------------------------------------ logs

// Points this process's stderr (where the in-process service logs) at a
// temporary file until Stop().
class StderrCapture {
 public:
  StderrCapture() {
    std::fflush(stderr);
    std::cerr.flush();
    char path[] = "/tmp/unionhub-security-log-XXXXXX";
    fd_ = mkstemp(path);
    path_ = path;
    saved_ = dup(STDERR_FILENO);
    dup2(fd_, STDERR_FILENO);
  }
  ~StderrCapture() { Stop(); }

  std::string Stop() {
    if (saved_ < 0) return text_;
    std::fflush(stderr);
    std::cerr.flush();
    dup2(saved_, STDERR_FILENO);
    close(saved_);
    saved_ = -1;
    lseek(fd_, 0, SEEK_SET);
    char buffer[65536];
    ssize_t n;
    while ((n = read(fd_, buffer, sizeof(buffer))) > 0) {
      text_.append(buffer, static_cast<size_t>(n));
    }
    close(fd_);
    unlink(path_.c_str());
    return text_;
  }

 private:
  int fd_ = -1;
  int saved_ = -1;
  std::string path_;
  std::string text_;
};

TEST(MembershipSecurityLogTest, ServiceLogsHoldNoNationalIdsOrTokens) {
  std::vector<std::string> ids;
  std::vector<std::string> tokens;
  auto token = [&](const std::string& t) {
    tokens.push_back(t);
    return t;
  };
  const std::string signing_key = ReadSecret("jwt-signing.pem");
  const std::string admin_token =
      token(Mint(GoodClaims("admin", "log-admin"), signing_key));
  const std::string registrar_token =
      token(MintTestToken({"registrar"}, 0, "log-registrar"));
  const std::string clerk_token =
      token(MintTestToken({"finance_clerk"}, 0, "log-clerk"));
  const std::string reviewer_token =
      token(MintTestToken({"reviewer"}, 0, "log-reviewer"));
  auth::Claims expired_claims = GoodClaims("admin", "log-expired");
  expired_claims.issued_at = absl::Now() - absl::Hours(2);
  expired_claims.expires_at = absl::Now() - absl::Hours(1);
  const std::string expired = token(Mint(expired_claims, signing_key));
  const std::string foreign =
      token(Mint(GoodClaims("admin", "log-foreign"), OtherPrivateKeyPem()));
  auth::Claims audience_claims = GoodClaims("admin", "log-audience");
  audience_claims.audience = "unionhub-finance";
  const std::string wrong_audience = token(Mint(audience_claims, signing_key));
  std::vector<std::string> parts = absl::StrSplit(reviewer_token, '.');
  std::string payload;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(parts[1], &payload));
  const std::string tampered =
      token(absl::StrCat(parts[0], ".",
                         absl::WebSafeBase64Escape(absl::StrReplaceAll(
                             payload, {{"\"reviewer\"", "\"admin\""}})),
                         ".", parts[2]));

  log::SetMinLevel(log::Level::kDebug);
  StderrCapture capture;
  {
    // The whole life of a server: start, calls, shutdown.
    MembershipServer server("seclog");
    std::unique_ptr<Stub> admin = server.StubWithToken(admin_token);
    std::unique_ptr<Stub> registrar = server.StubWithToken(registrar_token);
    std::unique_ptr<Stub> clerk = server.StubWithToken(clerk_token);
    std::unique_ptr<Stub> reviewer = server.StubWithToken(reviewer_token);
    const int64_t county =
        CreateWith(*admin, OrgRequest(mv1::ORG_TYPE_COUNTY_FEDERATION, 0,
                                      "清河县总工会"))
            .org_id();
    const int64_t g1 =
        CreateWith(*admin, GrassrootsRequest(county, "机械厂工会", 1, 100))
            .org_id();

    // Joins with IDs, one typed with a lower-case x.
    for (int seq : {8, 16, 20, 21}) {
      mv1::Member person = Person(g1, seq);
      ids.push_back(person.national_id());
      if (seq == 8) person.set_national_id(absl::AsciiStrToLower(ids.back()));
      EXPECT_TRUE(JoinWith(*registrar, person).ok()) << seq;
    }
    // A collective registration, with a duplicate and a bad number.
    mv1::Member p1 = Person(0, 30), p2 = Person(0, 31), bad = Person(0, 32);
    ids.push_back(p1.national_id());
    ids.push_back(p2.national_id());
    bad.set_national_id(WithBadCheck(bad.national_id()));
    ids.push_back(bad.national_id());
    mv1::ImportHeader header;
    header.set_request_id(NewRequestId());
    header.set_default_org_id(g1);
    mv1::ImportMembersResponse imported;
    EXPECT_TRUE(Import(*registrar, header, {p1, p2, p1, bad}, &imported).ok());

    // Lookups by ID: found (full and masked), unknown, malformed.
    EXPECT_TRUE(Lookup(*registrar, ids[0]).ok());
    EXPECT_TRUE(Lookup(*clerk, ids[1]).ok());
    const std::string stranger = MakeNationalId("19850606", 41);
    ids.push_back(stranger);
    EXPECT_EQ(Lookup(*registrar, stranger).error_code(),
              grpc::StatusCode::NOT_FOUND);
    const std::string malformed = WithBadCheck(MakeNationalId("19770303", 42));
    ids.push_back(malformed);
    EXPECT_EQ(Lookup(*registrar, malformed).error_code(),
              grpc::StatusCode::INVALID_ARGUMENT);

    // Failed joins: bad check character, born in the future, under 16,
    // already a member, unknown org, refused roles and tokens.
    mv1::Member invalid = Person(g1, 43);
    invalid.set_national_id(WithBadCheck(invalid.national_id()));
    ids.push_back(invalid.national_id());
    EXPECT_EQ(JoinWith(*registrar, invalid).error_code(),
              grpc::StatusCode::INVALID_ARGUMENT);
    mv1::Member future = Person(g1, 44, "20990101");
    ids.push_back(future.national_id());
    EXPECT_EQ(JoinWith(*registrar, future).error_code(),
              grpc::StatusCode::INVALID_ARGUMENT);
    mv1::Member child = Person(g1, 45, "20200101");
    ids.push_back(child.national_id());
    EXPECT_EQ(JoinWith(*registrar, child).error_code(),
              grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(JoinWith(*registrar, Person(g1, 16)).error_code(),
              grpc::StatusCode::ALREADY_EXISTS);
    mv1::Member nowhere = Person(987654, 46);
    ids.push_back(nowhere.national_id());
    EXPECT_EQ(JoinWith(*registrar, nowhere).error_code(),
              grpc::StatusCode::NOT_FOUND);
    mv1::Member refused = Person(g1, 47);
    ids.push_back(refused.national_id());
    EXPECT_EQ(JoinWith(*reviewer, refused).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
    for (const std::string& bad_token :
         {expired, foreign, wrong_audience, tampered, std::string("garbage")}) {
      std::unique_ptr<Stub> stub = server.StubWithToken(bad_token);
      EXPECT_EQ(JoinWith(*stub, refused).error_code(),
                grpc::StatusCode::UNAUTHENTICATED);
      EXPECT_EQ(Lookup(*stub, ids[0]).error_code(),
                grpc::StatusCode::UNAUTHENTICATED);
    }
    EXPECT_EQ(JoinWith(*server.StubWithToken(""), refused).error_code(),
              grpc::StatusCode::UNAUTHENTICATED);
  }
  const std::string logs = capture.Stop();
  log::SetMinLevel(log::Level::kInfo);

  // The capture worked: the calls were logged.
  EXPECT_THAT(logs, HasSubstr("/unionhub.membership.v1.MembershipService/"
                              "JoinMember"));
  EXPECT_THAT(logs, HasSubstr("/unionhub.membership.v1.MembershipService/"
                              "LookupMember"));
  EXPECT_THAT(logs, HasSubstr("/unionhub.membership.v1.MembershipService/"
                              "ImportMembers"));
  ASSERT_GE(ids.size(), 14u);
  ASSERT_EQ(tokens.size(), 8u);
  for (const std::string& id : ids) {
    for (const std::string& needle : Needles(id)) {
      EXPECT_THAT(logs, Not(HasSubstr(needle))) << "national ID " << id;
    }
  }
  for (const std::string& t : tokens) {
    ASSERT_FALSE(t.empty());
    EXPECT_THAT(logs, Not(HasSubstr(t))) << "a token is in the logs";
    const std::vector<std::string> segments = absl::StrSplit(t, '.');
    ASSERT_EQ(segments.size(), 3u);
    EXPECT_THAT(logs, Not(HasSubstr(segments[2])))
        << "a token signature is in the logs";
  }
  if (HasFailure()) std::cout << "captured log:\n" << logs << "\n";
}

}  // namespace
}  // namespace unionhub::testing
