#include "common/rpc/fault_hook.h"

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "common/core/log.h"

// Set by common/CMakeLists.txt on this file only (from the
// UNIONHUB_TEST_HOOKS option), so switching it recompiles one file.
#ifndef UNIONHUB_TEST_HOOKS
#error "UNIONHUB_TEST_HOOKS must be defined to 0 or 1 (common/CMakeLists.txt)"
#endif

#if UNIONHUB_TEST_HOOKS
#include <signal.h>

#include <atomic>

#include "absl/strings/numbers.h"
#endif

namespace unionhub::rpc {

bool FaultHooksCompiledIn() { return UNIONHUB_TEST_HOOKS != 0; }

absl::Status CheckFaultHookVariable(const char* value, bool compiled_in) {
  if (value == nullptr || *value == '\0' || compiled_in) {
    return absl::OkStatus();
  }
  return absl::FailedPreconditionError(absl::StrCat(
      kCrashAfterCommitVariable,
      " is set, but this build has no test hooks (configured with "
      "UNIONHUB_TEST_HOOKS=OFF, as release builds and images are): the "
      "variable is for the fault tests only; unset it"));
}

#if UNIONHUB_TEST_HOOKS
namespace {

struct CrashHook {
  std::string method;
  int64_t after = 1;
  std::atomic<int64_t> seen{0};
};

// Null when the variable is unset (the normal case).
CrashHook* Hook() {
  static CrashHook* const hook = []() -> CrashHook* {
    const char* value = std::getenv(kCrashAfterCommitVariable);
    if (value == nullptr || *value == '\0') return nullptr;
    auto* parsed = new CrashHook;
    std::string text(value);
    const size_t colon = text.rfind(':');
    int64_t n = 0;
    if (colon != std::string::npos &&
        absl::SimpleAtoi(text.substr(colon + 1), &n) && n > 0) {
      parsed->after = n;
      text.resize(colon);
    }
    parsed->method = text;
    return parsed;
  }();
  return hook;
}

}  // namespace

absl::Status CheckFaultHooks() {
  if (const CrashHook* hook = Hook()) {
    log::Error("TEST FAULT ARMED: this process kills itself after a commit",
               {{"variable", kCrashAfterCommitVariable},
                {"method", hook->method},
                {"after_calls", absl::StrCat(hook->after)}});
  }
  return absl::OkStatus();
}

void MaybeCrashAfterCommit(const std::string& method) {
  CrashHook* hook = Hook();
  if (hook == nullptr || method != hook->method) return;
  if (hook->seen.fetch_add(1) + 1 != hook->after) return;
  log::Error("TEST FAULT: killing the process after a committed call",
             {{"method", method}});
  raise(SIGKILL);
}

#else  // no test hooks: nothing to arm, nothing to crash

absl::Status CheckFaultHooks() {
  return CheckFaultHookVariable(std::getenv(kCrashAfterCommitVariable), false);
}

void MaybeCrashAfterCommit(const std::string&) {}

#endif

}  // namespace unionhub::rpc
