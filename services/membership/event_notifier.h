// Wakes WatchEvents streams when this process commits events, so followers
// see changes at once; the EventPoller calls Notify too, for events other
// replicas committed.
#ifndef UNIONHUB_SERVICES_MEMBERSHIP_EVENT_NOTIFIER_H_
#define UNIONHUB_SERVICES_MEMBERSHIP_EVENT_NOTIFIER_H_

#include <cstdint>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace unionhub::membership {

class EventNotifier {
 public:
  // A token to pass to WaitAfter: read it before querying for events so a
  // commit between the query and the wait is not missed.
  int64_t Version() {
    absl::MutexLock lock(&mu_);
    return version_;
  }

  void Notify() {
    absl::MutexLock lock(&mu_);
    ++version_;
  }

  // Returns once Notify was called after `version` was read, on Shutdown,
  // or after `timeout`.
  void WaitAfter(int64_t version, absl::Duration timeout) {
    absl::MutexLock lock(&mu_);
    auto changed = [this, version]() {
      mu_.AssertHeld();
      return version_ != version || shutdown_;
    };
    mu_.AwaitWithTimeout(absl::Condition(&changed), timeout);
  }

  void Shutdown() {
    absl::MutexLock lock(&mu_);
    shutdown_ = true;
  }

  bool shutting_down() {
    absl::MutexLock lock(&mu_);
    return shutdown_;
  }

 private:
  absl::Mutex mu_;
  int64_t version_ ABSL_GUARDED_BY(mu_) = 0;
  bool shutdown_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace unionhub::membership

#endif  // UNIONHUB_SERVICES_MEMBERSHIP_EVENT_NOTIFIER_H_
