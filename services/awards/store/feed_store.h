// Awards' position in membership's change feed.
#ifndef UNIONHUB_SERVICES_AWARDS_STORE_FEED_STORE_H_
#define UNIONHUB_SERVICES_AWARDS_STORE_FEED_STORE_H_

#include <cstdint>
#include <string>

#include "common/db/pool.h"
#include "services/awards/domain/reasons.h"

namespace unionhub::awards::store {

int64_t FeedCursor(db::Connection& conn);
void SetFeedCursor(db::Connection& conn, int64_t sequence);

// Withdraws every nomination of `member_id` not yet decided (anything but
// APPROVED, REJECTED, WITHDRAWN) with `reason`; returns how many.
int64_t WithdrawMemberNominations(db::Connection& conn, int64_t member_id,
                                  const StatusReason& reason);

}  // namespace unionhub::awards::store

#endif  // UNIONHUB_SERVICES_AWARDS_STORE_FEED_STORE_H_
