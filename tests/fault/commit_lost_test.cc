// A COMMIT that never lands must not be reported as a success. Connector/C++
// 1.1.12's Connection::commit() ignores the server's answer (its
// disassembly: checkClosed, then a tail call to the wrapper's commit, the
// result dropped), so a COMMIT lost with its connection -- the database
// killed while the COMMIT was on its way, or the session killed -- came
// back as success: in 1 of 4 runs of the MariaDB-kill test two
// acknowledged writes (a join and a payment, each with its audit row) were
// absent after the restart, rolled back by crash recovery. db::Pool now
// sends COMMIT as a statement, whose failure throws.
//
// Both cases are made deterministic here: the work itself kills its own
// session (KILL CONNECTION from another one), or the server (kill -9),
// after its last statement and before the pool commits.
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "common/db/pool.h"
#include "common/db/probe.h"
#include "common/db/sql.h"
#include "tests/fault/fault_fixture.h"

namespace unionhub::testing {
namespace {

using FaultCommitLostTest = FaultTest;

constexpr char kSchema[] = "fault_membership";

void CreateTable(PrivateMariaDb& db) {
  ASSERT_TRUE(db.Exec("CREATE TABLE fault_membership.writes (id BIGINT "
                      "PRIMARY KEY, note VARCHAR(40) NOT NULL)")
                  .ok());
}

int64_t SessionId(db::Connection& conn) {
  auto rs = db::Query(conn, "SELECT CONNECTION_ID() AS id");
  rs->next();
  return db::GetInt64(*rs, "id");
}

// The session is killed between the transaction's last statement and its
// COMMIT: the pool must see the COMMIT fail and do the work again (it was
// rolled back), so the row exists exactly once and the caller is told OK
// only then.
TEST_F(FaultCommitLostTest, CommitLostWithItsSessionIsRetriedNotReported) {
  CreateTable(database());
  db::Pool pool(database().RootConfig(kSchema));
  int attempts = 0;
  absl::Status status = pool.InTransaction([&](db::Connection& conn) {
    ++attempts;
    db::Execute(conn, "INSERT INTO writes (id, note) VALUES (1, ?)",
                absl::StrCat("attempt ", attempts));
    if (attempts == 1) {
      const absl::Status killed =
          database().Exec(absl::StrCat("KILL CONNECTION ", SessionId(conn)));
      if (!killed.ok()) return killed;
    }
    return absl::OkStatus();
  });
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(attempts, 2) << "the lost COMMIT was taken for a success";
  EXPECT_EQ(QueryInt(kSchema, "SELECT COUNT(*) FROM writes"), 1);
  EXPECT_EQ(QueryRows(kSchema, "SELECT note FROM writes"),
            (std::vector<std::vector<std::string>>{{"attempt 2"}}));
}

// The incident itself: the database dies (kill -9) after the last
// statement, so the COMMIT is lost and every retry finds no server. The
// caller must get UNAVAILABLE (and retry with its request_id), never OK for
// a write crash recovery then rolls back.
TEST_F(FaultCommitLostTest, CommitLostAsTheDatabaseDiesIsUnavailable) {
  CreateTable(database());
  db::DbConfig config = database().RootConfig(kSchema);
  config.max_attempts = 3;  // the server stays down: no need to wait long
  db::Pool pool(config);
  int attempts = 0;
  absl::Status status = pool.InTransaction([&](db::Connection& conn) {
    ++attempts;
    db::Execute(conn, "INSERT INTO writes (id, note) VALUES (1, 'x')");
    if (attempts == 1) database().Kill();
    return absl::OkStatus();
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable) << status;
  EXPECT_EQ(attempts, 1) << "no retry reaches a dead server's data";
  ASSERT_TRUE(database().Start().ok());
  // Crash recovery rolled the transaction back: what the caller was told
  // (not OK) matches what is there (nothing).
  EXPECT_EQ(QueryInt(kSchema, "SELECT COUNT(*) FROM writes"), 0);
}

}  // namespace
}  // namespace unionhub::testing
