// Seals committed ledger entries into the SHA-256 chain in the background,
// in batches, without making writers wait for each other (see ledger_gate in
// migrations/0001_init.sql).
#ifndef UNIONHUB_SERVICES_FINANCE_LEDGER_SEALER_H_
#define UNIONHUB_SERVICES_FINANCE_LEDGER_SEALER_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/core/periodic.h"
#include "common/db/lease.h"
#include "common/db/pool.h"
#include "common/rpc/metrics.h"

namespace unionhub::finance {

// Seals every entry committed since the latest seal (at most
// `max_entries`, 0 = no limit) as one new seal. Returns how many entries
// were sealed (0 when there was nothing new). Safe to run from several
// replicas at once: a seal racing another for the same range is dropped.
// With `fence`, the seal is written only while this replica holds the
// sealer's lease (FAILED_PRECONDITION otherwise).
absl::StatusOr<int64_t> SealOnce(db::Pool& pool, int64_t max_entries = 0,
                                 const db::Fence* fence = nullptr);

// unionhub_ledger_unsealed_entries, unionhub_ledger_last_seal_timestamp_seconds
// and unionhub_ledger_oldest_unsealed_age_seconds of `pool`'s ledger, read
// on the metrics' refresher (every replica reports them, whichever seals).
void TrackSealProgress(rpc::Metrics& metrics, db::Pool& pool);

class LedgerSealer {
 public:
  LedgerSealer(db::Pool& pool, absl::Duration interval,
               const db::Fence* fence = nullptr);
  ~LedgerSealer();  // stops
  // May start again after Stop (a singleton worker regaining its lease).
  void Start() { thread_.Start(); }
  void Stop() { thread_.Stop(); }

 private:
  void SealAndLog();

  db::Pool& pool_;
  const db::Fence* fence_;
  Periodic thread_;
};

}  // namespace unionhub::finance

#endif  // UNIONHUB_SERVICES_FINANCE_LEDGER_SEALER_H_
