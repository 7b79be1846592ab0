// A test-only fault: UNIONHUB_TEST_CRASH_AFTER_COMMIT=<full method>[:<n>]
// in a service's environment makes the process kill itself (SIGKILL) right
// after the n-th (default first) successful call of that method returned
// from its handler, i.e. after its transaction committed and before the
// reply is sent. The fault suite uses it to make "the commit lands, the
// reply is lost" happen deterministically (tests/fault). Nothing sets it
// in scripts/up or the Kubernetes manifests; when set, the service logs
// an error at start-up so it cannot go unnoticed.
#ifndef UNIONHUB_COMMON_RPC_FAULT_HOOK_H_
#define UNIONHUB_COMMON_RPC_FAULT_HOOK_H_

#include <string>

namespace unionhub::rpc {

inline constexpr char kCrashAfterCommitVariable[] =
    "UNIONHUB_TEST_CRASH_AFTER_COMMIT";

// Logs once whether the hook is armed (called at start-up).
void AnnounceFaultHooks();

// Called by the gate after a call of `method` succeeded; does not return
// when the hook says this is the call to die after.
void MaybeCrashAfterCommit(const std::string& method);

}  // namespace unionhub::rpc

#endif  // UNIONHUB_COMMON_RPC_FAULT_HOOK_H_
