#include "services/awards/store/feed_store.h"

#include "absl/strings/str_cat.h"
#include "common/core/text.h"
#include "common/db/sql.h"
#include "unionhub/awards/v1/awards.pb.h"

namespace unionhub::awards::store {

int64_t FeedCursor(db::Connection& conn) {
  auto rs =
      db::Query(conn, "SELECT last_sequence FROM feed_cursor WHERE id = 1");
  return rs->next() ? db::GetInt64(*rs, "last_sequence") : 0;
}

void SetFeedCursor(db::Connection& conn, int64_t sequence) {
  // Never backwards: a replayed batch must not rewind the cursor.
  db::Execute(conn,
              "UPDATE feed_cursor SET last_sequence = GREATEST(last_sequence, "
              "?) WHERE id = 1",
              sequence);
}

int64_t WithdrawMemberNominations(
    db::Connection& conn, int64_t member_id,
    const std::vector<v1::NominationStatus>& undecided,
    const StatusReason& reason) {
  if (undecided.empty()) return 0;
  sql::PreparedStatement& ps = conn.Prepare(
      absl::StrCat("UPDATE nominations SET status = ?, status_reason = ?, "
                   "status_reason_code = ?, updated_at = CURRENT_TIMESTAMP(6) "
                   "WHERE member_id = ? AND status IN (",
                   db::InList(static_cast<int>(undecided.size())), ")"));
  db::Binder bind(ps);
  bind.Add(static_cast<int>(v1::NOMINATION_STATUS_WITHDRAWN))
      .Add(text::Prefix(reason.text, 512))
      .Add(db::Bytes{reason.code.SerializeAsString()})
      .Add(member_id);
  for (v1::NominationStatus status : undecided) {
    bind.Add(static_cast<int>(status));
  }
  return ps.executeUpdate();
}

}  // namespace unionhub::awards::store
