// The time and the business day a service works with, injected so that a
// test (or a demo run with --today) can decide what "today" is instead of
// the wall clock. Services take a `const Clock&` and never call absl::Now()
// or dates::TodayInChina() for a business date.
#ifndef UNIONHUB_COMMON_CORE_CLOCK_H_
#define UNIONHUB_COMMON_CORE_CLOCK_H_

#include <optional>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace unionhub {

class Clock {
 public:
  virtual ~Clock() = default;

  virtual absl::Time Now() const = 0;

  // The union's business day: the date of Now() in China Standard Time
  // (dates::DayInChina), so Now() and Today() never disagree.
  absl::CivilDay Today() const;
};

// The wall clock.
class SystemClock final : public Clock {
 public:
  absl::Time Now() const override { return absl::Now(); }

  // One shared instance: it has no state.
  static const SystemClock& Get();
};

// A clock a test (or --today) sets. It follows the wall clock until Set or
// SetToday pins it; a pinned clock stands still until set again.
// Thread-safe: handlers read it while the test moves it.
class SettableClock final : public Clock {
 public:
  SettableClock() = default;
  explicit SettableClock(absl::Time pinned) : pinned_(pinned) {}

  absl::Time Now() const override;

  void Set(absl::Time now);
  // Noon of `day` in China Standard Time, far from either midnight.
  void SetToday(absl::CivilDay day);
  // Moves a pinned clock by `delta` (a following clock is pinned first).
  void Advance(absl::Duration delta);

 private:
  mutable absl::Mutex mu_;
  std::optional<absl::Time> pinned_ ABSL_GUARDED_BY(mu_);
};

}  // namespace unionhub

#endif  // UNIONHUB_COMMON_CORE_CLOCK_H_
