// Claiming a request_id (common/db/idempotency.h) against the real test
// MariaDB: a claim locks only its own key, so requests with different ids
// never wait for each other on idempotency_keys (the gap-lock starvation
// of docs/performance.md), while a second request with the same id waits
// for the first and gets its stored answer: exactly once.
#include <gtest/gtest.h>

#include <atomic>
#include <optional>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/db/idempotency.h"
#include "common/db/sql.h"
#include "tests/support/test_env.h"

namespace unionhub::testing {
namespace {

using db::ClaimIdempotencyKey;
using db::StoreIdempotentResponse;

constexpr char kMethod[] = "RecordDuesPayment";
const std::string kFingerprint(64, 'a');

class IdempotencyClaimTest : public ::testing::Test {
 protected:
  void SetUp() override {
    database_ = std::make_unique<TestDatabase>("idem_claim");
    database_->Migrate({});  // the common tables, idempotency_keys among them
  }

  // A pool of its own, as a concurrent caller (or replica) has.
  std::unique_ptr<db::Pool> NewPool() {
    return std::make_unique<db::Pool>(database_->config());
  }

  // Claims `id` and, when the claim is new, stores `answer`, in one
  // transaction; gives back what the claim found (nullopt: claimed here).
  // A short lock wait, so a wait that should not happen fails fast.
  static absl::StatusOr<std::optional<std::string>> ClaimAndAnswer(
      db::Pool& pool, const std::string& id, const std::string& answer,
      const std::string& fingerprint = kFingerprint) {
    std::optional<std::string> found;
    absl::Status status = pool.InTransaction([&](db::Connection& conn) {
      db::Execute(conn, "SET SESSION innodb_lock_wait_timeout = 5");
      absl::StatusOr<std::optional<std::string>> claim =
          ClaimIdempotencyKey(conn, id, kMethod, fingerprint);
      if (!claim.ok()) return claim.status();
      found = *claim;
      if (!found.has_value()) StoreIdempotentResponse(conn, id, answer);
      return absl::OkStatus();
    });
    if (!status.ok()) return status;
    return found;
  }

  // Rows for `request_id`, and those of them holding `response` when given.
  std::string Count(const std::string& request_id,
                    const std::optional<std::string>& response = {}) {
    int64_t count = -1;
    absl::Status read = database_->pool().Run([&](db::Connection& conn) {
      auto rs = response.has_value()
                    ? db::Query(conn,
                                "SELECT COUNT(*) AS n FROM idempotency_keys "
                                "WHERE request_id = ? AND response = ?",
                                request_id, *response)
                    : db::Query(conn,
                                "SELECT COUNT(*) AS n FROM idempotency_keys "
                                "WHERE request_id = ?",
                                request_id);
      if (rs->next()) count = db::GetInt64(*rs, "n");
      return absl::OkStatus();
    });
    EXPECT_TRUE(read.ok()) << read;
    return std::to_string(count);
  }

  std::unique_ptr<TestDatabase> database_;
};

TEST_F(IdempotencyClaimTest, ANewKeyIsClaimedAndItsAnswerStored) {
  absl::StatusOr<std::optional<std::string>> first =
      ClaimAndAnswer(database_->pool(), "client-1", "answer-1");
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_FALSE(first->has_value());
  absl::StatusOr<std::optional<std::string>> again =
      ClaimAndAnswer(database_->pool(), "client-1", "other");
  ASSERT_TRUE(again.ok()) << again.status();
  ASSERT_TRUE(again->has_value());
  EXPECT_EQ(**again, "answer-1");
  EXPECT_EQ(Count("client-1", "answer-1"), "1");
}

TEST_F(IdempotencyClaimTest, ClaimsOfNearbyNewKeysDoNotWaitForEachOther) {
  // The first request keeps its transaction open after claiming client-10;
  // under the old locking read of a missing key it held the gap where
  // client-11 and client-12 go, and their inserts waited for it.
  std::unique_ptr<db::Pool> first_pool = NewPool();
  absl::Notification claimed;
  absl::Notification release;
  std::thread first([&] {
    absl::Status status = first_pool->InTransaction([&](db::Connection& conn) {
      absl::StatusOr<std::optional<std::string>> claim =
          ClaimIdempotencyKey(conn, "client-10", kMethod, kFingerprint);
      if (!claim.ok()) return claim.status();
      StoreIdempotentResponse(conn, "client-10", "answer-10");
      claimed.Notify();
      release.WaitForNotificationWithTimeout(absl::Seconds(60));
      return absl::OkStatus();
    });
    EXPECT_TRUE(status.ok()) << status;
  });
  ASSERT_TRUE(claimed.WaitForNotificationWithTimeout(absl::Seconds(60)));
  for (const char* id : {"client-11", "client-12", "client-09"}) {
    absl::StatusOr<std::optional<std::string>> other =
        ClaimAndAnswer(database_->pool(), id, "answer");
    ASSERT_TRUE(other.ok()) << id << ": " << other.status();
    EXPECT_FALSE(other->has_value()) << id;
  }
  // All three committed while the first was still open.
  EXPECT_FALSE(release.HasBeenNotified());
  for (const char* neighbour : {"client-09", "client-11", "client-12"}) {
    EXPECT_EQ(Count(neighbour), "1") << neighbour;
  }
  release.Notify();
  first.join();
  EXPECT_EQ(Count("client-10", "answer-10"), "1");
}

TEST_F(IdempotencyClaimTest, ASecondClaimOfAnOpenKeyWaitsForTheFirstsAnswer) {
  std::unique_ptr<db::Pool> first_pool = NewPool();
  absl::Notification claimed;
  absl::Notification release;
  std::atomic<bool> first_committing{false};
  std::thread first([&] {
    absl::Status status = first_pool->InTransaction([&](db::Connection& conn) {
      absl::StatusOr<std::optional<std::string>> claim =
          ClaimIdempotencyKey(conn, "req-1", kMethod, kFingerprint);
      if (!claim.ok()) return claim.status();
      EXPECT_FALSE(claim->has_value());
      claimed.Notify();
      release.WaitForNotificationWithTimeout(absl::Seconds(60));
      StoreIdempotentResponse(conn, "req-1", "the first answer");
      first_committing = true;
      return absl::OkStatus();
    });
    EXPECT_TRUE(status.ok()) << status;
  });
  ASSERT_TRUE(claimed.WaitForNotificationWithTimeout(absl::Seconds(60)));
  absl::StatusOr<std::optional<std::string>> second;
  std::atomic<bool> second_done{false};
  std::thread retry([&] {
    std::unique_ptr<db::Pool> pool = NewPool();
    second = ClaimAndAnswer(*pool, "req-1", "a second answer");
    second_done = true;
  });
  absl::SleepFor(absl::Milliseconds(500));
  EXPECT_FALSE(second_done) << "the retry did not wait for the first claim";
  release.Notify();
  first.join();
  retry.join();
  EXPECT_TRUE(first_committing);
  ASSERT_TRUE(second.ok()) << second.status();
  ASSERT_TRUE(second->has_value());
  EXPECT_EQ(**second, "the first answer");
  EXPECT_EQ(Count("req-1"), "1");
}

TEST_F(IdempotencyClaimTest, ARolledBackClaimLeavesTheKeyFree) {
  absl::Status refused =
      database_->pool().InTransaction([&](db::Connection& conn) {
        absl::StatusOr<std::optional<std::string>> claim =
            ClaimIdempotencyKey(conn, "req-2", kMethod, kFingerprint);
        if (!claim.ok()) return claim.status();
        return absl::FailedPreconditionError("refused by the rules");
      });
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Count("req-2"), "0");
  absl::StatusOr<std::optional<std::string>> next =
      ClaimAndAnswer(database_->pool(), "req-2", "answer-2");
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_FALSE(next->has_value());
}

TEST_F(IdempotencyClaimTest, AnIdReusedForAnotherRequestIsRefused) {
  ASSERT_TRUE(ClaimAndAnswer(database_->pool(), "req-3", "answer-3").ok());
  absl::StatusOr<std::optional<std::string>> other = ClaimAndAnswer(
      database_->pool(), "req-3", "answer", std::string(64, 'b'));
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(std::string(other.status().message()).find("request_id"),
            std::string::npos)
      << other.status();
  EXPECT_EQ(Count("req-3", "answer-3"), "1");
}

}  // namespace
}  // namespace unionhub::testing
