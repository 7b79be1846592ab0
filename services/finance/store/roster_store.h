// Finance's copy of the membership roster: applying membership's change
// feed events, with the cursor, in the caller's transaction.
#ifndef UNIONHUB_SERVICES_FINANCE_STORE_ROSTER_STORE_H_
#define UNIONHUB_SERVICES_FINANCE_STORE_ROSTER_STORE_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/db/pool.h"
#include "unionhub/membership/v1/membership.pb.h"

namespace unionhub::finance::store {

// An employer as finance's roster knows it.
struct RosterEmployer {
  int64_t employer_id = 0;
  std::string name;
  int64_t union_org_id = 0;
  int64_t area_org_id = 0;
  bool union_established = false;
  int64_t headcount = 0;
  bool above_designated_size = false;
};

// NOT_FOUND naming the employer when finance's roster does not know it.
absl::StatusOr<RosterEmployer> GetRosterEmployer(db::Connection& conn,
                                                 int64_t employer_id);

// The sequence of the last applied event (0 before the first).
int64_t RosterCursor(db::Connection& conn);

// Applies the events whose sequence is above the cursor, in order, and
// moves the cursor to the last one; events at or below it (a replay after
// a restart) are skipped; an event that does not follow the cursor (a gap)
// is OUT_OF_RANGE and nothing is applied. Locks the cursor row first, so two
// consumers (two replicas) never apply the same event twice. Returns the new
// cursor. `on_union_established(conn, employer_id, union_org_id, request_id)`
// runs in the same transaction when an employer's union becomes established.
using UnionEstablishedHook = std::function<absl::Status(
    db::Connection&, int64_t, int64_t, const std::string&)>;
absl::StatusOr<int64_t> ApplyRosterEvents(
    db::Connection& conn, const std::vector<membership::v1::Event>& events,
    const UnionEstablishedHook& on_union_established);

}  // namespace unionhub::finance::store

#endif  // UNIONHUB_SERVICES_FINANCE_STORE_ROSTER_STORE_H_
