// The stream limits a server accepts: defaults derived from the thread
// pool, and refusal of limits that would leave no thread for unary calls.
#include "common/rpc/stream_limits.h"

#include <gtest/gtest.h>

namespace unionhub::rpc {
namespace {

TEST(ResolveStreamLimits, DefaultsToHalfTheThreads) {
  absl::StatusOr<StreamLimitsConfig> limits =
      ResolveStreamLimits(StreamLimitsConfig(), 32);
  ASSERT_TRUE(limits.ok()) << limits.status();
  EXPECT_EQ(limits->max_streams, 16);
  EXPECT_EQ(limits->max_streams_per_caller, 4);
}

TEST(ResolveStreamLimits, KeepsThreadsForUnaryCalls) {
  StreamLimitsConfig config;
  config.max_streams = 31;
  absl::StatusOr<StreamLimitsConfig> limits = ResolveStreamLimits(config, 32);
  ASSERT_FALSE(limits.ok());
  EXPECT_EQ(limits.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(limits.status().message().find("rpc_max_streams"),
            std::string::npos);
  config.max_streams = 30;
  EXPECT_TRUE(ResolveStreamLimits(config, 32).ok());
}

TEST(ResolveStreamLimits, PerCallerCapNeverExceedsTheGlobalOne) {
  StreamLimitsConfig config;
  config.max_streams = 2;
  config.max_streams_per_caller = 10;
  absl::StatusOr<StreamLimitsConfig> limits = ResolveStreamLimits(config, 8);
  ASSERT_TRUE(limits.ok()) << limits.status();
  EXPECT_EQ(limits->max_streams_per_caller, 2);
}

TEST(ResolveStreamLimits, RefusesNonPositiveSettings) {
  StreamLimitsConfig config;
  config.max_streams_per_caller = 0;
  EXPECT_FALSE(ResolveStreamLimits(config, 32).ok());
  config = StreamLimitsConfig();
  config.idle_timeout = absl::ZeroDuration();
  EXPECT_FALSE(ResolveStreamLimits(config, 32).ok());
  config = StreamLimitsConfig();
  config.max_duration = absl::Seconds(-1);
  EXPECT_FALSE(ResolveStreamLimits(config, 32).ok());
  config = StreamLimitsConfig();
  config.max_streams = -1;
  EXPECT_FALSE(ResolveStreamLimits(config, 32).ok());
}

}  // namespace
}  // namespace unionhub::rpc
