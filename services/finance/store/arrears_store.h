// The per-member arrears summary (dues_arrears_summary, migration 0006):
// for each member and org path, how many of their charges there are
// unsettled. dues_store.cc calls these in the same statement sequence that
// writes dues_charges, so the summary commits or rolls back with the
// charges; report_store.cc pages ListArrears and ListLapseCandidates over
// it. It counts unsettled charges only: whether a month is in arrears (a
// past month) is decided when the list is read, and each listed member's
// figures still come from their charges through domain::Evaluate.
#ifndef UNIONHUB_SERVICES_FINANCE_STORE_ARREARS_STORE_H_
#define UNIONHUB_SERVICES_FINANCE_STORE_ARREARS_STORE_H_

#include <string>
#include <vector>

#include "common/db/pool.h"
#include "services/finance/store/dues_store.h"

namespace unionhub::finance::store {

// Counts `inserted` (charges just inserted, every one of them new) that are
// not settled.
void CountNewCharges(db::Connection& conn, const std::vector<Charge>& inserted);

// Counts the change in unsettled charges that UpdateChargePayments makes
// (charges already locked by the caller).
void CountSettlementChanges(db::Connection& conn,
                            const std::vector<PaidCharge>& changed);

}  // namespace unionhub::finance::store

#endif  // UNIONHUB_SERVICES_FINANCE_STORE_ARREARS_STORE_H_
