// A database out of space under concurrent joins and payments. The private
// MariaDB keeps every table in a system tablespace capped at 64 MB
// (innodb_data_file_path ...:autoextend:max:64M, file_per_table off): no
// mount or root-only trick, the same on a laptop and in CI. A ballast table
// fills it until InnoDB refuses ("table is full", 1114), the way a full
// disk refuses an extension; then the ballast is dropped, as an operator
// frees space. Calls made meanwhile fail UNAVAILABLE (never INTERNAL or a
// driver's text), nothing half-written stays, and once space returns the
// same requests, retried with their request_ids, succeed exactly once.
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "tests/fault/dues_load.h"
#include "tests/fault/fault_fixture.h"

namespace unionhub::testing {
namespace {

namespace mv1 = ::unionhub::membership::v1;
namespace fv1 = ::unionhub::finance::v1;

using FaultDiskFullTest = FaultTest;

// Fills the tablespace: rows of 3,000 bytes, doubled until refused, then
// added 64 and then one at a time until refused again.
void FillTheTablespace(PrivateMariaDb& db) {
  EXPECT_TRUE(db.Exec("CREATE DATABASE ballast").ok());
  EXPECT_TRUE(db.Exec("CREATE TABLE ballast.pad (id BIGINT AUTO_INCREMENT "
                      "PRIMARY KEY, pad VARCHAR(3000) NOT NULL)")
                  .ok());
  EXPECT_TRUE(
      db.Exec("INSERT INTO ballast.pad (pad) VALUES (REPEAT('x', 3000))").ok());
  for (int i = 0; i < 30; ++i) {
    if (!db.Exec("INSERT INTO ballast.pad (pad) SELECT pad FROM ballast.pad")
             .ok()) {
      break;
    }
  }
  for (int i = 0; i < 2000; ++i) {
    if (!db.Exec("INSERT INTO ballast.pad (pad) SELECT pad FROM ballast.pad "
                 "LIMIT 64")
             .ok()) {
      break;
    }
  }
  for (int i = 0; i < 2000; ++i) {
    if (!db.Exec("INSERT INTO ballast.pad (pad) VALUES (REPEAT('y', 3000))")
             .ok()) {
      break;
    }
  }
}

TEST_F(FaultDiskFullTest, FullDatabaseRefusesCleanlyAndRecovers) {
  // Restarted with the capped tablespace (the data so far fits in it).
  ASSERT_TRUE(database().Stop().ok());
  absl::Status capped = database().Start(
      {"--innodb-file-per-table=0",
       "--innodb-data-file-path=ibdata1:12M:autoextend:max:64M"});
  ASSERT_TRUE(capped.ok()) << capped;
  DuesLoadEnv env = StartDuesServices();
  ASSERT_FALSE(HasFailure());
  env.tag = "full";
  DuesLoad load(env);
  ASSERT_TRUE(load.Prepare());
  load.Start();
  absl::SleepFor(absl::Seconds(2));

  FillTheTablespace(database());
  const absl::Time full = absl::Now();
  const int64_t acked_when_full = load.Acknowledged();
  const int64_t retried_when_full = load.Retried();
  // The services' own pages fill up within moments: calls start failing.
  EXPECT_TRUE(WaitFor([&] { return load.Retried() > retried_when_full + 10; },
                      absl::Seconds(60)))
      << "no call failed with the tablespace full";
  absl::SleepFor(absl::Seconds(3));
  const int64_t acked_while_full = load.Acknowledged() - acked_when_full;
  const int64_t failed_while_full = load.Retried() - retried_when_full;

  // Space returns.
  ASSERT_TRUE(database().Exec("DROP DATABASE ballast").ok());
  const absl::Time freed = absl::Now();
  const absl::Duration recovery =
      load.UntilNextAcknowledgement(absl::Seconds(60));
  absl::SleepFor(absl::Seconds(3));
  load.Stop();
  const DuesOutcome out = load.Check();
  // Only UNAVAILABLE, a deadline should a retry run long, or ABORTED (a
  // deadlock the pool's retries did not get past: the concurrent writers'
  // known contention, docs/performance.md): a clear "try again", never
  // INTERNAL.
  for (const auto& [code, n] : out.retried_codes) {
    EXPECT_TRUE(code == grpc::StatusCode::UNAVAILABLE ||
                code == grpc::StatusCode::DEADLINE_EXCEEDED ||
                code == grpc::StatusCode::ABORTED)
        << n << " failures with code " << code;
  }
  EXPECT_EQ(out.retried_codes.count(grpc::StatusCode::UNAVAILABLE), 1u);
  Report(absl::StrFormat(
      "acknowledged %d (joins %d, payments %d), lost %d, duplicated %d; "
      "full for %.1f s: %d calls failed (codes [%s]), %d acknowledged "
      "meanwhile (room left in pages already there); first acknowledgement "
      "%.2f s after space returned; ledger %d entries intact",
      out.acknowledged, out.joins, out.payments, out.lost, out.duplicated,
      absl::ToDoubleSeconds(freed - full), failed_while_full, out.retried,
      acked_while_full, absl::ToDoubleSeconds(recovery), out.ledger_entries));
}

}  // namespace
}  // namespace unionhub::testing
