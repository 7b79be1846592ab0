// Each service binary, run as scripts/up runs it: migrated by root with
// `--migrate_only --grant_to`, then serving as its own account. That account
// is refused by the database itself everything beyond its rows: DDL,
// triggers (the audit trail's append-only guards), rewriting append-only
// tables or the migration record, locking tables; what the service does
// works. The account starts with the ALL on its schema an older scripts/up
// gave membership and awards, which --grant_to takes away.
#include <cppconn/connection.h>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/awards/store/append_only.h"
#include "services/finance/store/append_only.h"
#include "services/membership/store/append_only.h"
#include "tests/support/test_env.h"
#include "tests/system/db_account.h"
#include "tests/system/process.h"
#include "unionhub/awards/v1/awards.grpc.pb.h"
#include "unionhub/finance/v1/finance.grpc.pb.h"
#include "unionhub/membership/v1/membership.grpc.pb.h"

namespace unionhub::testing {
namespace {

namespace av1 = ::unionhub::awards::v1;
namespace fv1 = ::unionhub::finance::v1;
namespace mv1 = ::unionhub::membership::v1;

absl::Status RunSql(db::Pool& pool, const std::string& sql) {
  return pool.Run([&](db::Connection& conn) {
    std::unique_ptr<sql::Statement> statement(conn.raw().createStatement());
    if (absl::StartsWith(sql, "SELECT")) {
      // Read to the end, or the session is out of sync.
      std::unique_ptr<sql::ResultSet> rows(statement->executeQuery(sql));
      while (rows->next()) {
      }
    } else {
      statement->execute(sql);
    }
    return absl::OkStatus();
  });
}

std::string BinaryOf(const std::string& service) {
  return absl::StrCat(BuildDir(), "/services/", service, "/unionhub-", service);
}

class ServiceDbGrantsTest : public ::testing::Test {
 protected:
  // Migrates `service`'s schema as root and grants a fresh account that
  // held ALL on the schema before.
  void SetUpAccount(const std::string& service) {
    service_ = service;
    ASSERT_EQ(access(BinaryOf(service).c_str(), X_OK), 0) << BinaryOf(service);
    database_ = std::make_unique<TestDatabase>(absl::StrCat("gr", service), 1);
    absl::StatusOr<std::unique_ptr<ServiceDbAccount>> account =
        ServiceDbAccount::Create(database_->config());
    ASSERT_TRUE(account.ok()) << account.status();
    account_ = std::move(*account);
    ASSERT_TRUE(
        account_
            ->AdminExecForEachHost(absl::StrCat(
                "GRANT ALL ON `", database_->schema(), "`.* TO {grantee}"))
            .ok());
    absl::Status granted = account_->MigrateAndGrant(
        BinaryOf(service), absl::StrCat(logs_.path(), "/migrate.log"));
    ASSERT_TRUE(granted.ok()) << granted;
    runtime_ = std::make_unique<db::Pool>(account_->config());
  }

  std::vector<std::string> Tables() {
    std::vector<std::string> tables;
    absl::Status listed = database_->pool().Run([&](db::Connection& conn) {
      auto rs = db::Query(conn,
                          "SELECT table_name AS t FROM "
                          "information_schema.tables WHERE table_schema "
                          "= DATABASE() ORDER BY table_name");
      while (rs->next()) tables.push_back(db::GetString(*rs, "t"));
      return absl::OkStatus();
    });
    EXPECT_TRUE(listed.ok()) << listed;
    return tables;
  }

  std::string FirstColumn(const std::string& table) {
    return database_->QueryValue(
        "SELECT column_name FROM information_schema.columns WHERE "
        "table_schema = DATABASE() AND table_name = ? ORDER BY "
        "ordinal_position LIMIT 1",
        table);
  }

  void ExpectDenied(const std::string& sql) {
    absl::Status refused = RunSql(*runtime_, sql);
    EXPECT_FALSE(refused.ok()) << service_ << ": " << sql;
    EXPECT_NE(refused.message().find("denied"), std::string::npos)
        << service_ << ": " << sql << ": " << refused;
  }

  void ExpectAllowed(const std::string& sql) {
    absl::Status done = RunSql(*runtime_, sql);
    EXPECT_TRUE(done.ok()) << service_ << ": " << sql << ": " << done;
  }

  // The schema and the append-only tables are out of the account's reach;
  // every other table is fully its own.
  void ExpectConfined(const std::vector<std::string>& append_only) {
    const std::string schema = database_->schema();
    ExpectDenied("DROP TRIGGER audit_trail_no_update");
    ExpectDenied("DROP TRIGGER audit_trail_no_delete");
    ExpectDenied(
        "CREATE TRIGGER grants_probe BEFORE INSERT ON audit_trail FOR EACH "
        "ROW SET NEW.detail = ''");
    ExpectDenied("ALTER TABLE audit_trail ADD COLUMN grants_probe INT");
    ExpectDenied("ALTER TABLE audit_trail ENGINE=InnoDB");
    ExpectDenied("CREATE TABLE grants_probe (id INT)");
    ExpectDenied("DROP TABLE audit_trail");
    ExpectDenied("TRUNCATE TABLE audit_trail");
    ExpectDenied("RENAME TABLE audit_trail TO grants_probe");
    ExpectDenied("CREATE INDEX grants_probe ON audit_trail (id)");
    ExpectDenied("CREATE VIEW grants_probe AS SELECT 1");
    ExpectDenied("CREATE PROCEDURE grants_probe() SELECT 1");
    ExpectDenied("LOCK TABLES audit_trail WRITE");
    ExpectDenied(absl::StrCat("GRANT SELECT ON `", schema, "`.* TO '",
                              account_->config().user, "'@'%'"));
    ExpectDenied("UPDATE schema_migrations SET sha256 = sha256");
    ExpectDenied("DELETE FROM schema_migrations");
    ExpectDenied(
        "INSERT INTO schema_migrations (version, name, sha256) VALUES "
        "(9999, 'x', 'x')");
    for (const std::string& table : append_only) {
      const std::string column = FirstColumn(table);
      ASSERT_FALSE(column.empty()) << table;
      ExpectDenied(absl::StrCat("UPDATE ", table, " SET ", column, " = ",
                                column, " WHERE 1 = 0"));
      ExpectDenied(absl::StrCat("DELETE FROM ", table, " WHERE 1 = 0"));
      ExpectDenied(absl::StrCat("DROP TABLE ", table));
      ExpectAllowed(absl::StrCat("SELECT COUNT(*) FROM ", table));
    }
    ExpectAllowed(
        "INSERT INTO audit_trail (actor, roles, method, target, request_id, "
        "result, detail) VALUES ('grants-test', '', 'probe', '', '', 'OK', "
        "'')");
    ExpectAllowed("SELECT COUNT(*) FROM schema_migrations");
    const std::set<std::string> guarded(append_only.begin(), append_only.end());
    for (const std::string& table : Tables()) {
      if (guarded.count(table) > 0 || table == "schema_migrations") continue;
      const std::string column = FirstColumn(table);
      ExpectAllowed(absl::StrCat("UPDATE ", table, " SET ", column, " = ",
                                 column, " WHERE 1 = 0"));
      ExpectAllowed(absl::StrCat("DELETE FROM ", table, " WHERE 1 = 0"));
    }
    // Nothing the account tried changed the schema.
    EXPECT_EQ(database_->QueryValue(
                  "SELECT COUNT(*) FROM information_schema.triggers WHERE "
                  "trigger_schema = DATABASE() AND event_object_table = "
                  "'audit_trail'"),
              "2");
    EXPECT_EQ(database_->QueryValue(
                  "SELECT COUNT(*) FROM information_schema.tables WHERE "
                  "table_schema = DATABASE() AND table_name = 'grants_probe'"),
              "0");
  }

  // The binary serving as the account (its start-up migration check only
  // reads); `extra_args` for peers it need not reach.
  std::unique_ptr<MembershipProcess> Serve(
      std::vector<std::string> extra_args = {}) {
    MembershipProcess::Options options;
    options.db = account_->config();
    options.own_db_account = false;
    options.log_dir = logs_.path();
    options.name = service_;
    options.binary = BinaryOf(service_);
    options.db_pool_size = 2;
    options.rpc_threads = 4;
    options.extra_args = std::move(extra_args);
    auto process = std::make_unique<MembershipProcess>(options);
    absl::Status serving = process->StartAndWaitServing();
    EXPECT_TRUE(serving.ok()) << serving;
    return process;
  }

  int64_t AuditRows() {
    return std::stoll(
        database_->QueryValue("SELECT COUNT(*) FROM audit_trail"));
  }

  void TearDown() override {
    if (HasFailure()) logs_.Keep();
    runtime_.reset();
    account_.reset();
  }

  std::string service_;
  TempDir logs_;
  std::unique_ptr<TestDatabase> database_;
  std::unique_ptr<ServiceDbAccount> account_;
  std::unique_ptr<db::Pool> runtime_;
};

template <typename Stub, typename Req, typename Resp>
grpc::Status Call(Stub& stub,
                  grpc::Status (Stub::*method)(grpc::ClientContext*, const Req&,
                                               Resp*),
                  const Req& request) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(30));
  Resp response;
  return (stub.*method)(&context, request, &response);
}

TEST_F(ServiceDbGrantsTest, MembershipAccountHasOnlyItsRows) {
  ASSERT_NO_FATAL_FAILURE(SetUpAccount("membership"));
  ExpectConfined(membership::store::AppendOnlyTables());

  std::unique_ptr<MembershipProcess> process = Serve();
  auto admin = mv1::MembershipService::NewStub(
      process->NewChannel(MintTestToken({"admin"}, 0, "grants-test")));
  mv1::CreateOrgRequest request;
  request.set_request_id("grants-county");
  request.mutable_org()->set_type(mv1::ORG_TYPE_COUNTY_FEDERATION);
  request.mutable_org()->set_name("清河县总工会");
  // Orgs, counters, the outbox, idempotency keys and the audit trail.
  grpc::Status created =
      Call(*admin, &mv1::MembershipService::Stub::CreateOrg, request);
  EXPECT_TRUE(created.ok()) << created.error_message();
  EXPECT_EQ(database_->QueryValue("SELECT COUNT(*) FROM events"), "1");
  const int64_t audited = AuditRows();
  auto reviewer = mv1::MembershipService::NewStub(
      process->NewChannel(MintTestToken({"reviewer"}, 0, "grants-test")));
  request.set_request_id("grants-denied");
  EXPECT_EQ(Call(*reviewer, &mv1::MembershipService::Stub::CreateOrg, request)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(AuditRows(), audited + 1);
}

TEST_F(ServiceDbGrantsTest, FinanceAccountHasOnlyItsRows) {
  ASSERT_NO_FATAL_FAILURE(SetUpAccount("finance"));
  ExpectConfined(finance::store::AppendOnlyTables());

  std::unique_ptr<MembershipProcess> process =
      Serve({"--membership_address=127.0.0.1:1"});
  const int64_t audited = AuditRows();
  auto reviewer = fv1::FinanceService::NewStub(
      process->NewChannel(MintTestToken({"reviewer"}, 0, "grants-test")));
  fv1::SetDuesPolicyRequest request;
  request.set_request_id("grants-denied");
  EXPECT_EQ(Call(*reviewer, &fv1::FinanceService::Stub::SetDuesPolicy, request)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(AuditRows(), audited + 1);
}

TEST_F(ServiceDbGrantsTest, AwardsAccountHasOnlyItsRows) {
  ASSERT_NO_FATAL_FAILURE(SetUpAccount("awards"));
  ExpectConfined(awards::store::AppendOnlyTables());

  std::unique_ptr<MembershipProcess> process = Serve(
      {"--membership_address=127.0.0.1:1", "--finance_address=127.0.0.1:1",
       "--peer_attempts=1", "--peer_deadline_ms=500"});
  const int64_t audited = AuditRows();
  auto reviewer = av1::AwardsService::NewStub(
      process->NewChannel(MintTestToken({"reviewer"}, 0, "grants-test")));
  av1::CreateProgramRequest request;
  request.set_request_id("grants-denied");
  EXPECT_FALSE(
      Call(*reviewer, &av1::AwardsService::Stub::CreateProgram, request).ok());
  EXPECT_EQ(AuditRows(), audited + 1);
}

}  // namespace
}  // namespace unionhub::testing
