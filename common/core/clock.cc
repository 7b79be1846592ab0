#include "common/core/clock.h"

#include "common/core/dates.h"

namespace unionhub {

absl::CivilDay Clock::Today() const { return dates::DayInChina(Now()); }

const SystemClock& SystemClock::Get() {
  static const SystemClock* const clock = new SystemClock();
  return *clock;
}

absl::Time SettableClock::Now() const {
  absl::MutexLock lock(&mu_);
  return pinned_.has_value() ? *pinned_ : absl::Now();
}

void SettableClock::Set(absl::Time now) {
  absl::MutexLock lock(&mu_);
  pinned_ = now;
}

void SettableClock::SetToday(absl::CivilDay day) {
  Set(dates::NoonInChina(day));
}

void SettableClock::Advance(absl::Duration delta) {
  absl::MutexLock lock(&mu_);
  pinned_ = (pinned_.has_value() ? *pinned_ : absl::Now()) + delta;
}

}  // namespace unionhub
