// A thread that runs one function every so often: background work such as
// the ledger sealer or the change feed's poller.
#ifndef UNIONHUB_COMMON_CORE_PERIODIC_H_
#define UNIONHUB_COMMON_CORE_PERIODIC_H_

#include <functional>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace unionhub {

class Periodic {
 public:
  // `tick` runs at once on Start() and then `interval` after each run ends.
  Periodic(absl::Duration interval, std::function<void()> tick);
  ~Periodic();  // stops
  Periodic(const Periodic&) = delete;
  Periodic& operator=(const Periodic&) = delete;

  // No-op while running; may start again after Stop() (a singleton worker
  // regaining its lease).
  void Start();
  // Waits for a tick in progress to end.
  void Stop();

 private:
  const absl::Duration interval_;
  const std::function<void()> tick_;
  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace unionhub

#endif  // UNIONHUB_COMMON_CORE_PERIODIC_H_
