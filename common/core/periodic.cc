#include "common/core/periodic.h"

#include <utility>

namespace unionhub {

Periodic::Periodic(absl::Duration interval, std::function<void()> tick)
    : interval_(interval), tick_(std::move(tick)) {}

Periodic::~Periodic() { Stop(); }

void Periodic::Start() {
  if (thread_.joinable()) return;
  {
    absl::MutexLock lock(&mu_);
    stopping_ = false;
  }
  thread_ = std::thread([this] {
    while (true) {
      tick_();
      absl::MutexLock lock(&mu_);
      auto stopping = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return stopping_;
      };
      if (mu_.AwaitWithTimeout(absl::Condition(&stopping), interval_)) return;
    }
  });
}

void Periodic::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

}  // namespace unionhub
