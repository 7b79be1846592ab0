#include "common/rpc/fault_hook.h"

#include <signal.h>

#include <atomic>
#include <cstdlib>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/core/log.h"

namespace unionhub::rpc {
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

void AnnounceFaultHooks() {
  if (const CrashHook* hook = Hook()) {
    log::Error("TEST FAULT ARMED: this process kills itself after a commit",
               {{"variable", kCrashAfterCommitVariable},
                {"method", hook->method},
                {"after_calls", absl::StrCat(hook->after)}});
  }
}

void MaybeCrashAfterCommit(const std::string& method) {
  CrashHook* hook = Hook();
  if (hook == nullptr || method != hook->method) return;
  if (hook->seen.fetch_add(1) + 1 != hook->after) return;
  log::Error("TEST FAULT: killing the process after a committed call",
             {{"method", method}});
  raise(SIGKILL);
}

}  // namespace unionhub::rpc
