// Shared by the funds handlers and the preparation-fund release: how a
// collection of union funds is split, and how held preparation funds are
// released to a new union (preparation_release.cc).
//
// Reconciliation. For every org and month of funds_rollup (and every
// employer and month of funds_employer_month):
//   collected = returned + upward + preparation_held - preparation_returned
// A union-funds collection adds `collected` and its split (returned +
// upward); a preparation-fund collection adds `collected` and
// `preparation_held`; a release adds `preparation_returned` and the split
// of the released amount (returned + upward). A release is booked, in the
// month of the collection it releases, once on every org of the union of
// two paths: the holding org's (where the money was collected) and the new
// union's (where the grassroots part goes), so every subtree balances: the
// new union shows the released preparation fund it received as
// preparation_returned without a matching preparation_held, and where the
// union sits outside the holding org's subtree the holding side shows the
// money released and returned although the union is not below it.
#ifndef UNIONHUB_SERVICES_FINANCE_FUNDS_RELEASE_H_
#define UNIONHUB_SERVICES_FINANCE_FUNDS_RELEASE_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "common/db/pool.h"
#include "services/finance/domain/funds.h"
#include "services/finance/store/funds_store.h"

namespace unionhub::finance {

// Refund policies marked small_micro_only apply to employers not above the
// designated size and with fewer than 100 workers.
bool IsSmallMicro(const store::RosterEmployer& employer);

// The split of `collected` union funds of `employer` for `month`: the
// province's allocation table in force that month and the refund policies.
// FAILED_PRECONDITION naming the province and month when no table applies.
absl::StatusOr<domain::CollectionSplit> SplitUnionFunds(
    db::Connection& conn, const std::string& province_code,
    const std::string& month, int64_t collected,
    const store::RosterEmployer& employer);

// Releases every held preparation-fund collection of the employer to the
// grassroots union `union_org_id`, in one ledger entry, and marks them
// released. A collection whose month has no allocation table for the
// union's province stays held (logged); SetAllocationTable retries it.
// Returns the release entry's id, 0 when nothing was released.
absl::StatusOr<int64_t> ReleaseHeldPreparation(db::Connection& conn,
                                               int64_t employer_id,
                                               int64_t union_org_id,
                                               const std::string& request_id);

}  // namespace unionhub::finance

#endif  // UNIONHUB_SERVICES_FINANCE_FUNDS_RELEASE_H_
