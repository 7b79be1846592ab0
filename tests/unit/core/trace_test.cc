// W3C traceparent parsing and formatting at the edges the spec names, the
// per-thread current context, and log lines carrying its trace id.
#include "common/core/trace.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <thread>
#include <vector>

#include "common/core/log.h"

namespace unionhub::trace {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kTrace[] = "4bf92f3577b34da6a3ce929d0e0e4736";
constexpr char kSpan[] = "00f067aa0ba902b7";
constexpr char kValid[] =
    "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

TEST(TraceParse, TheSpecExample) {
  std::optional<Context> c = Parse(kValid);
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->trace_id, kTrace);
  EXPECT_EQ(c->span_id, kSpan);
  EXPECT_EQ(c->flags, 0x01);
  EXPECT_EQ(Format(*c), kValid);
}

TEST(TraceParse, FlagsAreKeptInVersion00) {
  std::optional<Context> c =
      Parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00");
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->flags, 0x00);
  c = Parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-03");
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(Format(*c),
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-03");
}

TEST(TraceParse, RefusesWhatTheSpecCallsInvalid) {
  const std::vector<std::string> invalid = {
      "",
      "00",
      // All-zero ids.
      "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
      // Upper-case hex.
      "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00F067AA0BA902B7-01",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0A",
      "0A-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
      // Version ff is forbidden.
      "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
      // Wrong lengths and separators.
      "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",
      "00-4bf92f3577b34da6a3ce929d0e0e47366-00f067aa0ba902b7-01",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b-01",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1",
      "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01 ",
      // Version 00 allows nothing after the flags.
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
      // Non-hex.
      "00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902bz-01",
      // A later version must still be "-"-delimited after the flags.
      "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x",
  };
  for (const std::string& value : invalid) {
    EXPECT_FALSE(Parse(value).has_value()) << value;
  }
}

TEST(TraceParse, ALaterVersionIsReadForItsIdsAndSampledBit) {
  std::optional<Context> c = Parse(
      "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-03-what-comes");
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->trace_id, kTrace);
  EXPECT_EQ(c->span_id, kSpan);
  EXPECT_EQ(c->flags, 0x01);  // only the sampled bit is known
  c = Parse("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00");
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->flags, 0x00);
  // We answer in the version we speak.
  EXPECT_EQ(Format(*c).substr(0, 3), "00-");
}

TEST(TraceIds, AreLowerHexOfTheRightLengthAndDistinct) {
  std::set<std::string> traces, spans;
  for (int i = 0; i < 1000; ++i) {
    const Context c = NewTrace();
    std::optional<Context> back = Parse(Format(c));
    ASSERT_TRUE(back.has_value()) << Format(c);
    EXPECT_EQ(back->trace_id, c.trace_id);
    EXPECT_EQ(c.flags, kSampled);
    traces.insert(c.trace_id);
    spans.insert(c.span_id);
  }
  EXPECT_EQ(traces.size(), 1000u);
  EXPECT_EQ(spans.size(), 1000u);
}

TEST(TraceContinue, KeepsTheTraceUnderANewSpanOrStartsANewTrace) {
  const Context c = Continue(kValid, "rojo=00f067aa0ba902b7");
  EXPECT_EQ(c.trace_id, kTrace);
  EXPECT_NE(c.span_id, kSpan);
  EXPECT_EQ(c.flags, 0x01);
  EXPECT_EQ(c.tracestate, "rojo=00f067aa0ba902b7");

  for (const char* bad :
       {"", "garbage",
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01"}) {
    const Context fresh = Continue(bad, "rojo=00f067aa0ba902b7");
    EXPECT_NE(fresh.trace_id, kTrace);
    EXPECT_TRUE(Parse(Format(fresh)).has_value());
    // A tracestate without a valid traceparent is discarded.
    EXPECT_EQ(fresh.tracestate, "") << bad;
  }
  // An oversized tracestate is dropped, the trace kept.
  const Context big = Continue(kValid, std::string(600, 'a'));
  EXPECT_EQ(big.trace_id, kTrace);
  EXPECT_EQ(big.tracestate, "");
}

TEST(TraceScope, NestsAndIsPerThread) {
  EXPECT_EQ(Current(), nullptr);
  EXPECT_EQ(CurrentTraceId(), "");
  {
    Scope outer(*Parse(kValid));
    EXPECT_EQ(CurrentTraceId(), kTrace);
    std::string seen_elsewhere = "unset";
    std::thread([&] { seen_elsewhere = CurrentTraceId(); }).join();
    EXPECT_EQ(seen_elsewhere, "");
    {
      Scope inner(NewTrace());
      EXPECT_NE(CurrentTraceId(), kTrace);
    }
    EXPECT_EQ(CurrentTraceId(), kTrace);
  }
  EXPECT_EQ(Current(), nullptr);
}

TEST(TraceLog, LinesCarryTheCurrentTraceId) {
  std::vector<std::string> lines;
  log::SetObserver([&](absl::string_view line) { lines.emplace_back(line); });
  log::Info("before");
  {
    Scope scope(*Parse(kValid));
    log::Info("during", {{"k", "v"}});
  }
  log::Info("after");
  log::SetObserver(nullptr);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_THAT(lines[0], Not(HasSubstr("\"trace\"")));
  EXPECT_THAT(lines[1], HasSubstr(std::string("\"trace\":\"") + kTrace + "\""));
  EXPECT_THAT(lines[1], HasSubstr("\"k\":\"v\""));
  EXPECT_THAT(lines[2], Not(HasSubstr("\"trace\"")));
}

}  // namespace
}  // namespace unionhub::trace
