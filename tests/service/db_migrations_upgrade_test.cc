// audit_trail and idempotency_keys moved from the three services' migrations
// to common/db/migrations/. A schema left by the binaries before the move
// (cc3e7af's files, kept in migrations_cc3e7af/) must keep working under
// the new migration list, and a fresh schema must get exactly its tables.
#include <cppconn/connection.h>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>
#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/db/migrations.h"
#include "tests/support/test_env.h"

namespace unionhub::db {
const std::vector<MigrationFile>& MembershipMigrations();
const std::vector<MigrationFile>& FinanceMigrations();
const std::vector<MigrationFile>& AwardsMigrations();
const std::vector<MigrationFile>& MembershipMigrationsAtCc3e7af();
const std::vector<MigrationFile>& FinanceMigrationsAtCc3e7af();
const std::vector<MigrationFile>& AwardsMigrationsAtCc3e7af();
}  // namespace unionhub::db

namespace unionhub::testing {
namespace {

// `current` with the files that changed since cc3e7af put back as they were.
std::vector<db::MigrationFile> AsAtCc3e7af(
    const std::vector<db::MigrationFile>& current,
    const std::vector<db::MigrationFile>& old_copies) {
  std::vector<db::MigrationFile> files = current;
  for (db::MigrationFile& file : files) {
    for (const db::MigrationFile& old : old_copies) {
      if (old.name == file.name) file.sql = old.sql;
    }
  }
  return files;
}

// Every table's definition and every trigger of the schema, by name
// (schema_migrations aside: it records how the schema got there).
std::map<std::string, std::string> Describe(TestDatabase& database) {
  std::map<std::string, std::string> out;
  absl::Status status = database.pool().Run([&](db::Connection& conn) {
    std::unique_ptr<sql::Statement> statement(conn.raw().createStatement());
    std::vector<std::string> tables;
    {
      std::unique_ptr<sql::ResultSet> rs(statement->executeQuery(
          "SELECT table_name FROM information_schema.tables WHERE "
          "table_schema = DATABASE() AND table_name <> 'schema_migrations'"));
      while (rs->next()) tables.push_back(rs->getString(1).asStdString());
    }
    const std::regex auto_increment(" AUTO_INCREMENT=[0-9]+");
    for (const std::string& table : tables) {
      std::unique_ptr<sql::ResultSet> rs(statement->executeQuery(
          absl::StrCat("SHOW CREATE TABLE `", table, "`")));
      if (rs->next()) {
        out["table " + table] = std::regex_replace(
            rs->getString(2).asStdString(), auto_increment, "");
      }
    }
    std::unique_ptr<sql::ResultSet> rs(statement->executeQuery(
        "SELECT trigger_name, event_object_table, action_timing, "
        "event_manipulation, action_statement, action_order FROM "
        "information_schema.triggers WHERE trigger_schema = DATABASE()"));
    while (rs->next()) {
      out["trigger " + rs->getString(1).asStdString()] = absl::StrCat(
          rs->getString(2).asStdString(), " ", rs->getString(3).asStdString(),
          " ", rs->getString(4).asStdString(), " ",
          rs->getString(5).asStdString(), " ", rs->getString(6).asStdString());
    }
    return absl::OkStatus();
  });
  EXPECT_TRUE(status.ok()) << status;
  return out;
}

void ExpectUpgradeKeepsSchema(const std::string& tag,
                              const std::vector<db::MigrationFile>& current,
                              const std::vector<db::MigrationFile>& old) {
  TestDatabase upgraded(tag + "_up", 2);
  // What the binaries at cc3e7af left behind.
  absl::Status status = db::ApplyMigrationsWithoutCommon(
      upgraded.pool(), AsAtCc3e7af(current, old));
  ASSERT_TRUE(status.ok()) << status;
  const std::map<std::string, std::string> before = Describe(upgraded);
  ASSERT_GT(before.count("table audit_trail"), 0u);
  ASSERT_GT(before.count("table idempotency_keys"), 0u);

  // The new binary starts on it, twice (a restart changes nothing).
  status = db::ApplyMigrations(upgraded.pool(), current);
  ASSERT_TRUE(status.ok()) << status;
  status = db::ApplyMigrations(upgraded.pool(), current);
  ASSERT_TRUE(status.ok()) << status;
  // Unchanged but for what common migrations added since (leases).
  const std::map<std::string, std::string> after = Describe(upgraded);
  std::map<std::string, std::string> kept = after;
  EXPECT_EQ(kept.erase("table leases"), 1u);
  EXPECT_EQ(kept, before);
  EXPECT_EQ(upgraded.QueryValue(absl::StrCat(
                "SELECT COUNT(*) FROM schema_migrations WHERE version > ",
                db::kCommonVersionBase)),
            std::to_string(db::CommonMigrations().size()));
  // Both common tables still work, and the trail is still append-only.
  upgraded.Exec(
      "INSERT INTO audit_trail (actor, roles, method, target, request_id, "
      "result, detail) VALUES ('t', '', 'm', '', '', 'OK', '')");
  upgraded.Exec(
      "INSERT INTO idempotency_keys (request_id, method, fingerprint, "
      "response) VALUES ('r', 'm', REPEAT('0', 64), '')");
  absl::Status rewrite = upgraded.pool().Run([](db::Connection& conn) {
    db::Execute(conn, "UPDATE audit_trail SET detail = 'x'");
    return absl::OkStatus();
  });
  EXPECT_FALSE(rewrite.ok());

  // A fresh schema gets exactly the same tables and triggers.
  TestDatabase fresh(tag + "_fresh", 2);
  status = db::ApplyMigrations(fresh.pool(), current);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(Describe(fresh), after);
}

TEST(MigrationsUpgrade, MembershipSchemaFromBeforeTheCommonSetKeepsWorking) {
  ExpectUpgradeKeepsSchema("mig_membership", db::MembershipMigrations(),
                           db::MembershipMigrationsAtCc3e7af());
}

TEST(MigrationsUpgrade, FinanceSchemaFromBeforeTheCommonSetKeepsWorking) {
  {
    TestDatabase probe("mig_finance_probe", 1);
    if (probe.QueryValue("SELECT @@wsrep_on") == "1") {
      // That schema had a cached ledger sequence, which Galera refuses to
      // create (0005 exists for schemas moved onto a cluster later), so
      // such a schema never existed on one.
      GTEST_SKIP() << "a finance schema from before 0005 cannot be made on "
                      "a Galera cluster";
    }
  }
  ExpectUpgradeKeepsSchema("mig_finance", db::FinanceMigrations(),
                           db::FinanceMigrationsAtCc3e7af());
}

TEST(MigrationsUpgrade, AwardsSchemaFromBeforeTheCommonSetKeepsWorking) {
  ExpectUpgradeKeepsSchema("mig_awards", db::AwardsMigrations(),
                           db::AwardsMigrationsAtCc3e7af());
}

TEST(MigrationsUpgrade, AnyOtherChangeToAnAppliedFileIsStillRefused) {
  TestDatabase database("mig_tamper", 2);
  database.Migrate(db::MembershipMigrations());
  database.Exec(
      "UPDATE schema_migrations SET sha256 = REPEAT('1', 64) WHERE version = "
      "1");
  absl::Status status =
      db::ApplyMigrations(database.pool(), db::MembershipMigrations());
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << status;
  EXPECT_NE(status.message().find("0001_init.sql was changed"),
            std::string::npos)
      << status;
}

TEST(MigrationsUpgrade, ACommonFileChangedAfterItWasAppliedIsRefused) {
  TestDatabase database("mig_common", 2);
  database.Migrate(db::AwardsMigrations());
  database.Exec(absl::StrCat(
      "UPDATE schema_migrations SET sha256 = REPEAT('1', 64) WHERE version = ",
      db::kCommonVersionBase + 1));
  absl::Status status =
      db::ApplyMigrations(database.pool(), db::AwardsMigrations());
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << status;
  EXPECT_NE(status.message().find("common/0001_audit_trail.sql was changed"),
            std::string::npos)
      << status;
}

TEST(MigrationsUpgrade, SupersededChecksumsAreReadFromTheirCommentLines) {
  const std::string hex(64, 'a');
  EXPECT_EQ(db::SupersededChecksums(absl::StrCat(
                "-- note\n-- supersedes sha256 ", hex,
                "\nCREATE TABLE t (id INT);\n-- supersedes sha256 short\n")),
            std::vector<std::string>{hex});
  EXPECT_TRUE(db::SupersededChecksums("CREATE TABLE t (id INT);").empty());
}

}  // namespace
}  // namespace unionhub::testing
