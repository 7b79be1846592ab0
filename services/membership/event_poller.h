// Wakes this replica's WatchEvents streams when any replica commits events.
// The replica that commits them wakes its own streams at once through the
// EventNotifier (the fast path); events written through another replica
// are seen here: one cheap query of the feed's head (MAX(sequence), the
// last entry of the primary key) every `interval` per replica, however many
// streams are open, instead of each stream polling the database.
#ifndef UNIONHUB_SERVICES_MEMBERSHIP_EVENT_POLLER_H_
#define UNIONHUB_SERVICES_MEMBERSHIP_EVENT_POLLER_H_

#include <cstdint>

#include "absl/time/time.h"
#include "common/core/periodic.h"
#include "common/db/pool.h"
#include "services/membership/event_notifier.h"

namespace unionhub::membership {

class EventPoller {
 public:
  EventPoller(db::Pool& pool, EventNotifier& notifier, absl::Duration interval);
  ~EventPoller();  // stops
  EventPoller(const EventPoller&) = delete;
  EventPoller& operator=(const EventPoller&) = delete;

  void Start() { thread_.Start(); }
  void Stop() { thread_.Stop(); }

 private:
  void Poll();

  db::Pool& pool_;
  EventNotifier& notifier_;
  int64_t seen_ = -1;  // the head at the last poll (the poller's thread)
  bool failing_ = false;
  Periodic thread_;
};

}  // namespace unionhub::membership

#endif  // UNIONHUB_SERVICES_MEMBERSHIP_EVENT_POLLER_H_
