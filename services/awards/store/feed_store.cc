#include "services/awards/store/feed_store.h"

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

int64_t WithdrawMemberNominations(db::Connection& conn, int64_t member_id,
                                  const StatusReason& reason) {
  namespace v1 = ::unionhub::awards::v1;
  return db::Execute(
      conn,
      "UPDATE nominations SET status = ?, status_reason = ?, "
      "status_reason_code = ?, updated_at = "
      "CURRENT_TIMESTAMP(6) WHERE member_id = ? AND status NOT "
      "IN (?, ?, ?)",
      v1::NOMINATION_STATUS_WITHDRAWN, text::Prefix(reason.text, 512),
      db::Bytes{reason.code.SerializeAsString()}, member_id,
      v1::NOMINATION_STATUS_APPROVED, v1::NOMINATION_STATUS_REJECTED,
      v1::NOMINATION_STATUS_WITHDRAWN);
}

}  // namespace unionhub::awards::store
