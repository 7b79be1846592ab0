// The start-up rule of the test-only fault hook (common/rpc/fault_hook.h):
// a build without the hooks refuses the variable; a build with them, and
// any build without the variable, starts. The release binary's refusal
// itself is checked on the image by scripts/test-images.
#include "common/rpc/fault_hook.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>

namespace unionhub::rpc {
namespace {

using ::testing::HasSubstr;

TEST(FaultHookStartup, ReleaseBuildRefusesTheVariable) {
  absl::Status refused =
      CheckFaultHookVariable("unionhub.x.v1.S/Method:1", false);
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(refused.message()),
              HasSubstr("UNIONHUB_TEST_CRASH_AFTER_COMMIT is set"));
  EXPECT_THAT(std::string(refused.message()),
              HasSubstr("UNIONHUB_TEST_HOOKS=OFF"));
}

TEST(FaultHookStartup, UnsetOrEmptyVariableStartsEitherBuild) {
  for (bool compiled_in : {false, true}) {
    EXPECT_TRUE(CheckFaultHookVariable(nullptr, compiled_in).ok());
    EXPECT_TRUE(CheckFaultHookVariable("", compiled_in).ok());
  }
}

TEST(FaultHookStartup, TestBuildArmsTheVariable) {
  EXPECT_TRUE(CheckFaultHookVariable("unionhub.x.v1.S/Method", true).ok());
}

// The tests run the development build, which has the hooks (the fault
// suite depends on them), and this process does not set the variable.
TEST(FaultHookStartup, ThisBuildHasTheHooksAndStarts) {
  EXPECT_TRUE(FaultHooksCompiledIn());
  ASSERT_EQ(std::getenv(kCrashAfterCommitVariable), nullptr);
  EXPECT_TRUE(CheckFaultHooks().ok());
}

}  // namespace
}  // namespace unionhub::rpc
