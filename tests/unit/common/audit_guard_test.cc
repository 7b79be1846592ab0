#include "common/rpc/audit_guard.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>

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

}  // namespace
}  // namespace unionhub::rpc
