#include "services/membership/event_poller.h"

#include <string>

#include "common/core/log.h"
#include "services/membership/store/store.h"

namespace unionhub::membership {

EventPoller::EventPoller(db::Pool& pool, EventNotifier& notifier,
                         absl::Duration interval)
    : pool_(pool), notifier_(notifier), thread_(interval, [this] { Poll(); }) {}

EventPoller::~EventPoller() { Stop(); }

void EventPoller::Poll() {
  int64_t head = 0;
  absl::Status read = pool_.Run([&](db::Connection& conn) {
    head = store::LastEventSequence(conn);
    return absl::OkStatus();
  });
  if (!read.ok()) {
    // Streams cannot read either; they pick up where they were once the
    // database is back. Said once per outage.
    if (!failing_) {
      log::Warn("event poller cannot read the feed's head",
                {{"error", std::string(read.message())}});
    }
    failing_ = true;
    return;
  }
  failing_ = false;
  if (head > seen_) {
    // The first read too: a stream that opened before it may have missed
    // an event committed elsewhere. Waking a stream that has everything
    // costs it one read.
    notifier_.Notify();
    seen_ = head;
  }
}

}  // namespace unionhub::membership
