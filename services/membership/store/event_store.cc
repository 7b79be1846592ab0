// The transactional outbox behind WatchEvents.
#include <cppconn/resultset.h>

#include <map>

#include "absl/strings/str_cat.h"
#include "common/crypto/pii_global.h"
#include "common/db/sql.h"
#include "common/db/timestamps.h"
#include "services/membership/store/rows.h"
#include "services/membership/store/store.h"

namespace unionhub::membership::store {

int64_t EventBatch::Flush(Connection& conn, const std::string& request_id) {
  if (events_.empty()) return 0;
  const int n = static_cast<int>(events_.size());
  // Taking the block locks the counter row until commit: later writers wait
  // here, so sequence order is commit order.
  db::Execute(conn,
              "UPDATE counters SET value = LAST_INSERT_ID(value + ?) WHERE "
              "name = 'event_sequence'",
              static_cast<int64_t>(n));
  const int64_t last = db::LastInsertId(conn);
  int64_t sequence = last - n + 1;
  sql::PreparedStatement& ps = conn.Prepare(
      absl::StrCat("INSERT INTO events (sequence, type, payload) VALUES ",
                   db::Placeholders(n, 3)));
  db::Binder binder(ps);
  std::vector<std::string> payloads;
  payloads.reserve(events_.size());
  for (v1::Event& event : events_) {
    event.set_sequence(sequence++);
    event.set_request_id(request_id);
    // Personal data stays out of the outbox; ReadEvents puts it back.
    if (event.has_member()) event.mutable_member()->clear_national_id();
    payloads.push_back(event.SerializeAsString());
    binder.Add(event.sequence())
        .Add(static_cast<int64_t>(event.type()))
        .Add(db::Bytes{payloads.back()});
  }
  ps.executeUpdate();
  events_.clear();
  return last;
}

std::vector<v1::Event> ReadEvents(Connection& conn, int64_t after_sequence,
                                  int limit) {
  auto rs = db::Query(conn,
                      "SELECT sequence, payload, recorded_at FROM events WHERE "
                      "sequence > ? ORDER BY sequence LIMIT ?",
                      after_sequence, static_cast<int64_t>(limit));
  std::vector<v1::Event> events;
  while (rs->next()) {
    v1::Event event;
    event.ParseFromString(db::GetBytes(*rs, "payload"));
    event.set_sequence(rs->getInt64("sequence"));
    db::SetFromDbTimestamp(db::GetString(*rs, "recorded_at"),
                           event.mutable_record_time());
    events.push_back(std::move(event));
  }
  // National IDs never change, so the member's current one is the one the
  // event was about.
  std::vector<int64_t> member_ids;
  for (const v1::Event& event : events) {
    if (event.has_member()) member_ids.push_back(event.member().member_id());
  }
  if (!member_ids.empty()) {
    sql::PreparedStatement& ps = conn.Prepare(
        absl::StrCat("SELECT id, national_id_sealed FROM members WHERE id IN (",
                     db::InList(static_cast<int>(member_ids.size())), ")"));
    db::Binder binder(ps);
    for (int64_t id : member_ids) binder.Add(id);
    std::unique_ptr<sql::ResultSet> ids(ps.executeQuery());
    std::map<int64_t, std::string> national_ids;
    while (ids->next()) {
      absl::StatusOr<std::string> plain = crypto::Pii().Open(
          db::GetBytes(*ids, "national_id_sealed"), crypto::kNationalIdContext);
      if (plain.ok()) national_ids[ids->getInt64("id")] = *plain;
    }
    for (v1::Event& event : events) {
      if (!event.has_member()) continue;
      auto it = national_ids.find(event.member().member_id());
      if (it != national_ids.end()) {
        event.mutable_member()->set_national_id(it->second);
      }
    }
  }
  return events;
}

int64_t LastEventSequence(Connection& conn) {
  auto rs =
      db::Query(conn, "SELECT COALESCE(MAX(sequence), 0) AS s FROM events");
  rs->next();
  return rs->getInt64("s");
}

}  // namespace unionhub::membership::store
