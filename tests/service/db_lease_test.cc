// Leases for singleton work (common/db/lease.h) and the migration lock
// (common/db/migrations.cc) against the real test MariaDB: one holder at a
// time, expiry by the database's clock, renewal, fencing of a stale token,
// the keeper handing a worker over, and two migrators at once.
#include <cppconn/connection.h>
#include <cppconn/statement.h>
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/synchronization/notification.h"
#include "common/db/lease.h"
#include "common/db/migrations.h"
#include "common/db/sql.h"
#include "tests/support/test_env.h"

namespace unionhub::testing {
namespace {

using db::CheckLeaseToken;
using db::ReleaseLease;
using db::RenewLease;
using db::TryAcquireLease;

class LeaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    database_ = std::make_unique<TestDatabase>("lease");
    database_->Migrate({});  // the common tables, leases among them
    database_->Exec(
        "CREATE TABLE fenced_probe (id INT NOT NULL AUTO_INCREMENT PRIMARY "
        "KEY, token BIGINT NOT NULL)");
  }

  db::Pool& pool() { return database_->pool(); }

  // A pool of its own, as another replica would have.
  std::unique_ptr<db::Pool> NewPool() {
    return std::make_unique<db::Pool>(database_->config());
  }

  int64_t Int(const std::string& sql) {
    int64_t value = -1;
    if (!absl::SimpleAtoi(database_->QueryValue(sql), &value)) return -1;
    return value;
  }

  // Ends the lease now, by the database's clock, as if its holder had
  // stopped renewing it long ago.
  void Expire(const std::string& name) {
    database_->Exec(
        "UPDATE leases SET expires_at = NOW(6) - INTERVAL 1 SECOND WHERE "
        "name = ?",
        name);
  }

  // A write fenced by `token`, as a singleton worker makes it.
  absl::Status FencedWrite(int64_t token) {
    return pool().InTransaction([&](db::Connection& conn) {
      if (absl::Status fenced = CheckLeaseToken(conn, "job", token);
          !fenced.ok()) {
        return fenced;
      }
      db::Execute(conn, "INSERT INTO fenced_probe (token) VALUES (?)", token);
      return absl::OkStatus();
    });
  }

  std::unique_ptr<TestDatabase> database_;
};

TEST_F(LeaseTest, OnlyOneOfTwoHoldersAcquires) {
  auto a = TryAcquireLease(pool(), "job", "a", absl::Seconds(30));
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_TRUE(a->has_value());
  EXPECT_EQ(**a, 1);
  auto b = TryAcquireLease(pool(), "job", "b", absl::Seconds(30));
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_FALSE(b->has_value());
  EXPECT_EQ(database_->QueryValue("SELECT holder FROM leases"), "a");
  // Another lease name is another lease.
  auto other = TryAcquireLease(pool(), "other job", "b", absl::Seconds(30));
  ASSERT_TRUE(other.ok() && other->has_value());
}

TEST_F(LeaseTest, ManyConcurrentAcquirersOneWins) {
  std::vector<std::unique_ptr<db::Pool>> pools;
  for (int i = 0; i < 6; ++i) pools.push_back(NewPool());
  std::atomic<int> won{0};
  std::atomic<int> failed{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&, i] {
      auto got = TryAcquireLease(*pools[i], "job", "h" + std::to_string(i),
                                 absl::Seconds(30));
      if (!got.ok()) {
        ++failed;
      } else if (got->has_value()) {
        ++won;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(won.load(), 1);
  EXPECT_EQ(Int("SELECT token FROM leases WHERE name = 'job'"), 1);
}

TEST_F(LeaseTest, ExpiredLeaseIsTakenOverWithAHigherToken) {
  // Really expiring, by the database's clock.
  auto a = TryAcquireLease(pool(), "job", "a", absl::Milliseconds(300));
  ASSERT_TRUE(a.ok() && a->has_value());
  absl::SleepFor(absl::Seconds(1));
  auto b = TryAcquireLease(pool(), "job", "b", absl::Seconds(30));
  ASSERT_TRUE(b.ok()) << b.status();
  ASSERT_TRUE(b->has_value());
  EXPECT_EQ(**b, **a + 1);
  // The old holder finds out when it renews.
  auto renewed = RenewLease(pool(), "job", "a", **a, absl::Seconds(30));
  ASSERT_TRUE(renewed.ok());
  EXPECT_FALSE(*renewed);
  EXPECT_EQ(database_->QueryValue("SELECT holder FROM leases"), "b");
}

TEST_F(LeaseTest, RenewKeepsTheLeaseFromOthers) {
  auto a = TryAcquireLease(pool(), "job", "a", absl::Seconds(1));
  ASSERT_TRUE(a.ok() && a->has_value());
  auto renewed = RenewLease(pool(), "job", "a", **a, absl::Seconds(60));
  ASSERT_TRUE(renewed.ok());
  EXPECT_TRUE(*renewed);
  EXPECT_GT(Int("SELECT TIMESTAMPDIFF(SECOND, NOW(6), expires_at) FROM "
                "leases"),
            30);
  absl::SleepFor(absl::Milliseconds(1500));  // past the first expiry
  auto b = TryAcquireLease(pool(), "job", "b", absl::Seconds(30));
  ASSERT_TRUE(b.ok());
  EXPECT_FALSE(b->has_value());
  // Only the holder renews, and only with its token.
  EXPECT_FALSE(*RenewLease(pool(), "job", "b", **a, absl::Seconds(60)));
  EXPECT_FALSE(*RenewLease(pool(), "job", "a", **a + 1, absl::Seconds(60)));
}

TEST_F(LeaseTest, FencingRejectsAStaleTokenAndWritesNothing) {
  auto a = TryAcquireLease(pool(), "job", "a", absl::Seconds(30));
  ASSERT_TRUE(a.ok() && a->has_value());
  ASSERT_TRUE(FencedWrite(**a).ok());
  // a pauses past its expiry; b takes over.
  Expire("job");
  auto b = TryAcquireLease(pool(), "job", "b", absl::Seconds(30));
  ASSERT_TRUE(b.ok() && b->has_value());
  // a wakes up and writes as if it still led: refused, nothing written.
  absl::Status stale = FencedWrite(**a);
  EXPECT_EQ(stale.code(), absl::StatusCode::kFailedPrecondition) << stale;
  EXPECT_NE(stale.message().find("lease lost"), std::string::npos);
  EXPECT_TRUE(FencedWrite(**b).ok());
  EXPECT_EQ(Int("SELECT COUNT(*) FROM fenced_probe"), 2);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM fenced_probe WHERE token = " +
                std::to_string(**a)),
            1);
  // No token at all is never current.
  EXPECT_FALSE(FencedWrite(0).ok());
  db::Fence unheld("job");
  EXPECT_FALSE(pool()
                   .InTransaction(
                       [&](db::Connection& conn) { return unheld.Check(conn); })
                   .ok());
}

TEST_F(LeaseTest, AnExpiredLeaseNobodyTookStillFencesForItsHolder) {
  auto a = TryAcquireLease(pool(), "job", "a", absl::Seconds(30));
  ASSERT_TRUE(a.ok() && a->has_value());
  Expire("job");
  // Nobody else wrote in between: the token proves it.
  EXPECT_TRUE(FencedWrite(**a).ok());
  auto renewed = RenewLease(pool(), "job", "a", **a, absl::Seconds(30));
  ASSERT_TRUE(renewed.ok());
  EXPECT_TRUE(*renewed);
}

TEST_F(LeaseTest, ReleaseFreesTheLeaseAtOnceButOnlyForItsHolder) {
  auto a = TryAcquireLease(pool(), "job", "a", absl::Seconds(60));
  ASSERT_TRUE(a.ok() && a->has_value());
  ASSERT_TRUE(ReleaseLease(pool(), "job", "b", **a).ok());
  ASSERT_TRUE(ReleaseLease(pool(), "job", "a", **a + 1).ok());
  EXPECT_EQ(database_->QueryValue("SELECT holder FROM leases"), "a");
  ASSERT_TRUE(ReleaseLease(pool(), "job", "a", **a).ok());
  auto b = TryAcquireLease(pool(), "job", "b", absl::Seconds(60));
  ASSERT_TRUE(b.ok() && b->has_value());
  EXPECT_EQ(**b, 2);
}

// A worker that counts how many copies of it run at once.
struct CountingWorker {
  std::atomic<int>* running;
  std::atomic<int>* most;
  std::atomic<int> starts{0};
  void Start() {
    ++starts;
    const int now = ++*running;
    int seen = most->load();
    while (now > seen && !most->compare_exchange_weak(seen, now)) {
    }
  }
  void Stop() { --*running; }
};

TEST_F(LeaseTest, KeepersRunOneWorkerAtATimeAndHandOver) {
  std::atomic<int> running{0};
  std::atomic<int> most{0};
  CountingWorker one{&running, &most};
  CountingWorker two{&running, &most};
  db::LeaseTiming timing;
  timing.ttl = absl::Seconds(5);
  auto pool_one = NewPool();
  auto pool_two = NewPool();
  db::Fence fence_one("job");
  db::Fence fence_two("job");
  auto keeper_one = std::make_unique<db::LeaseKeeper>(
      *pool_one, fence_one, "one", timing, [&] { one.Start(); },
      [&] { one.Stop(); });
  db::LeaseKeeper keeper_two(
      *pool_two, fence_two, "two", timing, [&] { two.Start(); },
      [&] { two.Stop(); });
  keeper_one->Start();
  ASSERT_TRUE(keeper_one->WaitUntilHolding(true, absl::Seconds(10)));
  keeper_two.Start();
  // Several renewals later, still one worker, still the first.
  absl::SleepFor(absl::Seconds(3));
  EXPECT_TRUE(keeper_one->holding());
  EXPECT_FALSE(keeper_two.holding());
  EXPECT_EQ(running.load(), 1);
  EXPECT_GT(fence_one.token(), 0);
  EXPECT_EQ(fence_two.token(), 0);

  // The leader stops (released): the other takes over well within the TTL.
  const absl::Time stopped = absl::Now();
  keeper_one.reset();
  ASSERT_TRUE(keeper_two.WaitUntilHolding(true, absl::Seconds(10)));
  EXPECT_LT(absl::Now() - stopped, timing.ttl);
  EXPECT_EQ(two.starts.load(), 1);
  EXPECT_EQ(running.load(), 1);
  EXPECT_EQ(most.load(), 1);
  EXPECT_EQ(fence_two.token(), 2);
  keeper_two.Stop();
  EXPECT_EQ(running.load(), 0);
  EXPECT_EQ(database_->QueryValue("SELECT holder FROM leases"), "");
}

TEST_F(LeaseTest, KeeperStopsItsWorkerPromptlyOnceTheLeaseIsTaken) {
  std::atomic<int> running{0};
  std::atomic<int> most{0};
  CountingWorker worker{&running, &most};
  db::LeaseTiming timing;
  timing.ttl = absl::Seconds(3);
  db::Fence fence("job");
  db::LeaseKeeper keeper(
      pool(), fence, "one", timing, [&] { worker.Start(); },
      [&] { worker.Stop(); });
  keeper.Start();
  ASSERT_TRUE(keeper.WaitUntilHolding(true, absl::Seconds(10)));
  const int64_t token = fence.token();
  // Another replica takes the lease (as after this one paused past it).
  database_->Exec(
      "UPDATE leases SET holder = 'thief', token = token + 1, expires_at = "
      "NOW(6) + INTERVAL 1 MINUTE WHERE name = 'job'");
  ASSERT_TRUE(keeper.WaitUntilHolding(false, absl::Seconds(10)));
  EXPECT_EQ(running.load(), 0);
  EXPECT_EQ(fence.token(), 0);
  EXPECT_FALSE(FencedWrite(token).ok());
  keeper.Stop();
  // The thief's lease is left alone.
  EXPECT_EQ(database_->QueryValue("SELECT holder FROM leases"), "thief");
}

// --- the migration lock ---

class MigrationLockTest : public ::testing::Test {
 protected:
  void SetUp() override {
    database_ = std::make_unique<TestDatabase>("miglock");
  }

  int64_t Int(const std::string& sql) {
    int64_t value = -1;
    if (!absl::SimpleAtoi(database_->QueryValue(sql), &value)) return -1;
    return value;
  }

  // Not idempotent on purpose: a file applied twice fails ("table
  // exists"); the sleep keeps the first migrator inside the lock a while.
  const std::vector<db::MigrationFile> files_ = {
      {"0001_slow.sql",
       "CREATE TABLE lock_probe (id INT PRIMARY KEY);\nDO SLEEP(1.5);\n"},
      {"0002_more.sql", "CREATE TABLE lock_probe_two (id INT PRIMARY KEY);\n"},
  };

  std::unique_ptr<TestDatabase> database_;
};

TEST_F(MigrationLockTest, TwoMigratorsAtOnceApplyEachFileOnce) {
  db::Pool first(database_->config());
  db::Pool second(database_->config());
  absl::Status one;
  absl::Status two;
  std::thread a([&] { one = db::ApplyMigrations(first, files_); });
  std::thread b([&] { two = db::ApplyMigrations(second, files_); });
  a.join();
  b.join();
  EXPECT_TRUE(one.ok()) << one;
  EXPECT_TRUE(two.ok()) << two;
  EXPECT_EQ(Int("SELECT COUNT(*) FROM schema_migrations WHERE version < 100"),
            2);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM schema_migrations"),
            2 + static_cast<int64_t>(db::CommonMigrations().size()));
  // Free again, taken once (the second found everything applied, or
  // waited and then found it).
  EXPECT_EQ(database_->QueryValue("SELECT holder FROM schema_migration_lock"),
            "");
  EXPECT_GE(Int("SELECT token FROM schema_migration_lock"), 1);
}

TEST_F(MigrationLockTest, WaitsForAHeldLockThenFindsEverythingApplied) {
  ASSERT_TRUE(db::ApplyMigrations(database_->pool(), {}).ok());
  // Another migrator holds the lock (alive: it would renew it).
  database_->Exec(
      "INSERT INTO schema_migration_lock (name, holder, token, expires_at) "
      "VALUES ('migrations', 'other', 7, NOW(6) + INTERVAL 1 MINUTE) ON "
      "DUPLICATE KEY UPDATE holder = 'other', token = 7, expires_at = NOW(6) "
      "+ INTERVAL 1 MINUTE");
  db::Pool waiting(database_->config());
  absl::Notification done;
  absl::Status status;
  std::thread migrator([&] {
    status = db::ApplyMigrations(waiting, files_);
    done.Notify();
  });
  EXPECT_FALSE(done.WaitForNotificationWithTimeout(absl::Seconds(2)));
  EXPECT_EQ(Int("SELECT COUNT(*) FROM information_schema.tables WHERE "
                "table_schema = DATABASE() AND table_name = 'lock_probe'"),
            0);
  // The other applies the files itself and releases the lock. Two calls:
  // the release can deadlock with the waiting migrator's attempt (its
  // INSERT IGNORE holds a share lock on the row it then updates), and
  // Pool::Run retries a deadlocked call whole, which must not run the
  // non-repeatable DDL a second time.
  db::Pool other(database_->config());
  const absl::Status applied_by_other = other.Run([&](db::Connection& conn) {
    std::unique_ptr<sql::Statement> ddl(conn.raw().createStatement());
    ddl->execute("CREATE TABLE lock_probe (id INT PRIMARY KEY)");
    ddl->execute("CREATE TABLE lock_probe_two (id INT PRIMARY KEY)");
    for (const db::MigrationFile& file : files_) {
      db::Execute(conn,
                  "INSERT INTO schema_migrations (version, "
                  "name, sha256) VALUES (?, ?, ?)",
                  std::stoi(std::string(file.name.substr(0, 4))), file.name,
                  db::Sha256Hex(file.sql));
    }
    return absl::OkStatus();
  });
  ASSERT_TRUE(applied_by_other.ok()) << applied_by_other;
  const absl::Status released_by_other = other.Run([&](db::Connection& conn) {
    db::Execute(conn,
                "UPDATE schema_migration_lock SET holder = '', "
                "expires_at = NOW(6)");
    return absl::OkStatus();
  });
  ASSERT_TRUE(released_by_other.ok()) << released_by_other;
  ASSERT_TRUE(done.WaitForNotificationWithTimeout(absl::Seconds(30)));
  migrator.join();
  EXPECT_TRUE(status.ok()) << status;  // nothing applied twice
  EXPECT_EQ(Int("SELECT token FROM schema_migration_lock"), 8);
}

TEST_F(MigrationLockTest, ALockWhoseHolderDiedExpires) {
  ASSERT_TRUE(db::ApplyMigrations(database_->pool(), {}).ok());
  database_->Exec(
      "UPDATE schema_migration_lock SET holder = 'dead', token = 41, "
      "expires_at = NOW(6) - INTERVAL 1 SECOND");
  EXPECT_TRUE(db::ApplyMigrations(database_->pool(), files_).ok());
  EXPECT_EQ(Int("SELECT token FROM schema_migration_lock"), 42);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM schema_migrations WHERE version < 100"),
            2);
}

TEST_F(MigrationLockTest, NothingPendingTakesNoLock) {
  ASSERT_TRUE(db::ApplyMigrations(database_->pool(), files_).ok());
  const int64_t token = Int("SELECT token FROM schema_migration_lock");
  // Held by someone else: a replica with nothing to apply does not wait.
  database_->Exec(
      "UPDATE schema_migration_lock SET holder = 'other', expires_at = "
      "NOW(6) + INTERVAL 1 MINUTE");
  const absl::Time begin = absl::Now();
  EXPECT_TRUE(db::ApplyMigrations(database_->pool(), files_).ok());
  EXPECT_LT(absl::Now() - begin, absl::Seconds(30));
  EXPECT_EQ(Int("SELECT token FROM schema_migration_lock"), token);
}

}  // namespace
}  // namespace unionhub::testing
