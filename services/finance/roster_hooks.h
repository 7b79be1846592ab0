// What the rest of finance does when the roster changes. The roster
// consumer calls these inside the transaction that applies the membership
// event and moves the cursor, so a replayed event never repeats them.
#ifndef UNIONHUB_SERVICES_FINANCE_ROSTER_HOOKS_H_
#define UNIONHUB_SERVICES_FINANCE_ROSTER_HOOKS_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "common/db/pool.h"

namespace unionhub::finance {

// The employer's union `union_org_id` was established: every preparation
// fund the employer paid and that is still held is returned (split as union
// funds, the grassroots part to the new union). `request_id` identifies the
// event ("membership-event-<sequence>") in the ledger.
absl::Status OnUnionEstablished(db::Connection& conn, int64_t employer_id,
                                int64_t union_org_id,
                                const std::string& request_id);

}  // namespace unionhub::finance

#endif  // UNIONHUB_SERVICES_FINANCE_ROSTER_HOOKS_H_
