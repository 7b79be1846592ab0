// Awards' position in membership's change feed.
#ifndef UNIONHUB_SERVICES_AWARDS_STORE_FEED_STORE_H_
#define UNIONHUB_SERVICES_AWARDS_STORE_FEED_STORE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "common/db/pool.h"
#include "services/awards/domain/reasons.h"
#include "unionhub/awards/v1/awards.pb.h"

namespace unionhub::awards::store {

namespace v1 = ::unionhub::awards::v1;

int64_t FeedCursor(db::Connection& conn);
void SetFeedCursor(db::Connection& conn, int64_t sequence);

// Withdraws every nomination of `member_id` whose status is one of
// `undecided` (the withdraw action's sources, domain/lifecycle.h) with
// `reason`; returns how many.
int64_t WithdrawMemberNominations(
    db::Connection& conn, int64_t member_id,
    const std::vector<v1::NominationStatus>& undecided,
    const StatusReason& reason);

}  // namespace unionhub::awards::store

#endif  // UNIONHUB_SERVICES_AWARDS_STORE_FEED_STORE_H_
