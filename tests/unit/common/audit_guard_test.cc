#include "common/rpc/audit_guard.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace unionhub::rpc {
namespace {

const std::string kFffd = "\xEF\xBF\xBD";

TEST(SanitizeAuditText, KeepsPrintableTextAndChinese) {
  EXPECT_EQ(SanitizeAuditText("req-1:a.b_c", 80), "req-1:a.b_c");
  EXPECT_EQ(SanitizeAuditText("王营镇 工会", 80), "王营镇 工会");
  EXPECT_EQ(SanitizeAuditText("", 80), "");
}

TEST(SanitizeAuditText, ReplacesControlsAndTerminalEscapes) {
  EXPECT_EQ(SanitizeAuditText("a\x1b[31mb", 80), "a" + kFffd + "[31mb");
  EXPECT_EQ(SanitizeAuditText(std::string("x\0y\n\r\t\x7f", 7), 80),
            "x" + kFffd + "y" + kFffd + kFffd + kFffd + kFffd);
  // C1 controls (U+009B is CSI) and bidirectional overrides.
  EXPECT_EQ(SanitizeAuditText("a\xC2\x9B"
                              "2Jb",
                              80),
            "a" + kFffd + "2Jb");
  EXPECT_EQ(SanitizeAuditText("a\xE2\x80\xAE"
                              "b\xE2\x81\xA6",
                              80),
            "a" + kFffd + "b" + kFffd);
}

TEST(SanitizeAuditText, ReplacesInvalidUtf8) {
  EXPECT_EQ(SanitizeAuditText("a\xff"
                              "b",
                              80),
            "a" + kFffd + "b");
  EXPECT_EQ(SanitizeAuditText("\xE4\xB8", 80), kFffd + kFffd);  // truncated
  EXPECT_EQ(SanitizeAuditText("\xC0\x9B", 80), kFffd + kFffd);  // overlong
  EXPECT_EQ(SanitizeAuditText("\xED\xA0\x80", 80),
            kFffd + kFffd + kFffd);  // a surrogate
}

TEST(SanitizeAuditText, BoundsByCharactersNeverSplittingOne) {
  std::string wide;
  for (int i = 0; i < 100; ++i) wide += "中";
  const std::string kept = SanitizeAuditText(wide, 80);
  EXPECT_EQ(kept.size(), 80u * 3);
  EXPECT_EQ(SanitizeAuditText(kept, 1000), kept);
  EXPECT_EQ(SanitizeAuditText(std::string(1000, 'a'), 5), "aaaaa");
}

class FakeClock {
 public:
  absl::Time now = absl::FromUnixSeconds(1'700'000'000);
  std::function<absl::Time()> Fn() {
    return [this] { return now; };
  }
};

TEST(RefusalThrottle, OneRowPerKeyPerWindowCarryingTheCount) {
  FakeClock clock;
  RefusalThrottle throttle(absl::Minutes(1), 16, clock.Fn());
  int64_t suppressed = -1;
  EXPECT_TRUE(throttle.ShouldRecord("Join", &suppressed));
  EXPECT_EQ(suppressed, 0);
  for (int i = 0; i < 499; ++i) {
    clock.now += absl::Milliseconds(10);
    EXPECT_FALSE(throttle.ShouldRecord("Join", &suppressed));
  }
  // Another method has its own first row.
  EXPECT_TRUE(throttle.ShouldRecord("Update", &suppressed));
  EXPECT_EQ(suppressed, 0);
  clock.now += absl::Minutes(1);
  EXPECT_TRUE(throttle.ShouldRecord("Join", &suppressed));
  EXPECT_EQ(suppressed, 499);
  clock.now += absl::Seconds(1);
  EXPECT_FALSE(throttle.ShouldRecord("Join", &suppressed));
  clock.now += absl::Minutes(1);
  EXPECT_TRUE(throttle.ShouldRecord("Join", &suppressed));
  EXPECT_EQ(suppressed, 1);
}

TEST(RefusalThrottle, MemoryIsBoundedByKeys) {
  FakeClock clock;
  RefusalThrottle throttle(absl::Minutes(1), 4, clock.Fn());
  int64_t suppressed = 0;
  int recorded = 0;
  for (int i = 0; i < 1000; ++i) {
    if (throttle.ShouldRecord(std::to_string(i), &suppressed)) ++recorded;
  }
  // Three keys of their own, then one shared overflow entry.
  EXPECT_EQ(recorded, 4);
  clock.now += absl::Minutes(1);
  EXPECT_TRUE(throttle.ShouldRecord("another", &suppressed));
  EXPECT_EQ(suppressed, 996);
}

// A database that is down until `up` is set, remembering what it took.
class FlakyTable {
 public:
  AuditSpool::Writer Writer() {
    return [this](const std::vector<AuditRow>& rows) {
      absl::MutexLock lock(&mu_);
      ++attempts_;
      if (!up_) return absl::UnavailableError("database down");
      for (const AuditRow& row : rows) stored_.push_back(row);
      return absl::OkStatus();
    };
  }
  void SetUp(bool up) {
    absl::MutexLock lock(&mu_);
    up_ = up;
  }
  std::vector<AuditRow> stored() {
    absl::MutexLock lock(&mu_);
    return stored_;
  }
  int attempts() {
    absl::MutexLock lock(&mu_);
    return attempts_;
  }

 private:
  absl::Mutex mu_;
  bool up_ = true;
  int attempts_ = 0;
  std::vector<AuditRow> stored_;
};

AuditRow Row(const std::string& request_id) {
  AuditRow row;
  row.recorded_at = absl::Now();
  row.method = "unionhub.membership.v1.MembershipService.CreateOrg";
  row.request_id = request_id;
  row.result = "UNAVAILABLE";
  return row;
}

bool Eventually(const std::function<bool()>& done) {
  const absl::Time deadline = absl::Now() + absl::Seconds(20);
  while (!done()) {
    if (absl::Now() > deadline) return false;
    absl::SleepFor(absl::Milliseconds(5));
  }
  return true;
}

TEST(AuditSpool, WritesAtOnceWhileTheDatabaseTakesRows) {
  FlakyTable table;
  AuditSpool spool(table.Writer());
  spool.Record(Row("a"));
  ASSERT_EQ(table.stored().size(), 1u);
  EXPECT_EQ(spool.pending(), 0u);
}

TEST(AuditSpool, HoldsRowsWhileDownAndWritesThemInOrderWhenBack) {
  FlakyTable table;
  AuditSpool spool(table.Writer(), 100, absl::Milliseconds(10));
  table.SetUp(false);
  for (int i = 0; i < 5; ++i) spool.Record(Row(std::to_string(i)));
  EXPECT_EQ(spool.pending(), 5u);
  EXPECT_TRUE(table.stored().empty());
  table.SetUp(true);
  // A row recorded now queues behind the held ones.
  spool.Record(Row("5"));
  ASSERT_TRUE(Eventually([&] { return spool.pending() == 0; }));
  std::vector<AuditRow> stored = table.stored();
  ASSERT_EQ(stored.size(), 6u);
  for (int i = 0; i < 6; ++i)
    EXPECT_EQ(stored[i].request_id, std::to_string(i));
  EXPECT_EQ(spool.dropped(), 0);
}

TEST(AuditSpool, CapDropsTheExcessAndRecordsTheLoss) {
  FlakyTable table;
  AuditSpool spool(table.Writer(), 3, absl::Milliseconds(10));
  table.SetUp(false);
  for (int i = 0; i < 10; ++i) spool.Record(Row(std::to_string(i)));
  EXPECT_EQ(spool.pending(), 3u);
  EXPECT_EQ(spool.dropped(), 7);
  table.SetUp(true);
  ASSERT_TRUE(Eventually([&] { return table.stored().size() == 4u; }));
  std::vector<AuditRow> stored = table.stored();
  EXPECT_EQ(stored[0].request_id, "0");
  EXPECT_EQ(stored[2].request_id, "2");
  EXPECT_EQ(stored[3].method, AuditSpool::kOverflowMethod);
  EXPECT_EQ(stored[3].result, "DATA_LOSS");
  EXPECT_NE(stored[3].detail.find("7 audit records"), std::string::npos)
      << stored[3].detail;
}

TEST(AuditSpool, RetriesAtItsPaceAndStopsWhenDestroyed) {
  FlakyTable table;
  table.SetUp(false);
  {
    AuditSpool spool(table.Writer(), 100, absl::Milliseconds(50));
    spool.Record(Row("held"));
    absl::SleepFor(absl::Milliseconds(300));
  }
  // One direct attempt, then a retry every 50 ms (each a batch), plus the
  // last one at destruction: bounded, not a busy loop.
  EXPECT_GE(table.attempts(), 3);
  EXPECT_LE(table.attempts(), 12);
  EXPECT_TRUE(table.stored().empty());
}

}  // namespace
}  // namespace unionhub::rpc
