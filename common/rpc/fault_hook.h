// A test-only fault: UNIONHUB_TEST_CRASH_AFTER_COMMIT=<full method>[:<n>]
// in a service's environment makes the process kill itself (SIGKILL) right
// after the n-th (default first) successful call of that method returned
// from its handler, i.e. after its transaction committed and before the
// reply is sent. The fault suite uses it to make "the commit lands, the
// reply is lost" happen deterministically (tests/fault).
//
// The hook exists only in builds configured with UNIONHUB_TEST_HOOKS=ON
// (the default, for development and tests). Release builds and the images
// (scripts/image configures with OFF) do not contain it, and a service of
// such a build refuses to start when the variable is set: a deployment
// that sets it is misconfigured, and starting as if it were not set would
// hide that. In a build with the hook, a set variable is logged as an
// error at start-up so it cannot go unnoticed.
#ifndef UNIONHUB_COMMON_RPC_FAULT_HOOK_H_
#define UNIONHUB_COMMON_RPC_FAULT_HOOK_H_

#include <string>

#include "absl/status/status.h"

namespace unionhub::rpc {

inline constexpr char kCrashAfterCommitVariable[] =
    "UNIONHUB_TEST_CRASH_AFTER_COMMIT";

// Whether this build was configured with UNIONHUB_TEST_HOOKS=ON.
bool FaultHooksCompiledIn();

// The start-up rule, apart from the environment so both kinds of build
// are tested in one: `value` is the variable's value (null when unset).
// FAILED_PRECONDITION when it is set and the hooks are not compiled in.
absl::Status CheckFaultHookVariable(const char* value, bool compiled_in);

// Applies that rule to this process' environment and this build, and logs
// an armed hook as an error. Called first thing at start-up; the service
// exits when it fails.
absl::Status CheckFaultHooks();

// Called by the gate after a call of `method` succeeded; does not return
// when the hook says this is the call to die after. Does nothing in a
// build without the hooks.
void MaybeCrashAfterCommit(const std::string& method);

}  // namespace unionhub::rpc

#endif  // UNIONHUB_COMMON_RPC_FAULT_HOOK_H_
