#include "services/membership/event_poller.h"

#include <string>

#include "common/core/log.h"
#include "services/membership/store/store.h"

namespace unionhub::membership {

EventPoller::EventPoller(db::Pool& pool, EventNotifier& notifier,
                         absl::Duration interval)
    : pool_(pool), notifier_(notifier), interval_(interval) {}

EventPoller::~EventPoller() { Stop(); }

void EventPoller::Start() {
  if (thread_.joinable()) return;
  {
    absl::MutexLock lock(&mu_);
    stopping_ = false;
  }
  thread_ = std::thread([this] { Loop(); });
}

void EventPoller::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void EventPoller::Loop() {
  int64_t seen = -1;
  bool failing = false;
  while (true) {
    int64_t head = 0;
    absl::Status read = pool_.Run([&](db::Connection& conn) {
      head = store::LastEventSequence(conn);
      return absl::OkStatus();
    });
    if (!read.ok()) {
      // Streams cannot read either; they pick up where they were once the
      // database is back. Said once per outage.
      if (!failing) {
        log::Warn("event poller cannot read the feed's head",
                  {{"error", std::string(read.message())}});
      }
      failing = true;
    } else {
      failing = false;
      if (head > seen) {
        // The first read too: a stream that opened before it may have
        // missed an event committed elsewhere. Waking a stream that has
        // everything costs it one read.
        notifier_.Notify();
        seen = head;
      }
    }
    absl::MutexLock lock(&mu_);
    auto stopping = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return stopping_;
    };
    if (mu_.AwaitWithTimeout(absl::Condition(&stopping), interval_)) return;
  }
}

}  // namespace unionhub::membership
