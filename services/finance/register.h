// Finance's object graph on a ServiceHost: the one wiring its main.cc and
// the test fixture (tests/support/finance_fixture.cc) both use.
#ifndef UNIONHUB_SERVICES_FINANCE_REGISTER_H_
#define UNIONHUB_SERVICES_FINANCE_REGISTER_H_

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/core/clock.h"
#include "common/rpc/service_host.h"

namespace unionhub::finance {

class RosterConsumer;

struct FinanceDeps {
  // What "today" is; the host's clock (system, or --today) when null.
  const Clock* clock = nullptr;
  // VerifyLedger reports the ledger not intact once an entry has waited
  // longer than this for its seal.
  absl::Duration seal_stall_after = absl::Minutes(10);
  // How often the background sealer seals committed ledger entries; zero
  // runs no sealer (tests that look at unsealed entries seal with SealOnce).
  absl::Duration seal_interval = absl::Seconds(2);
  // Reconnection backoff of the roster consumer on membership's feed.
  absl::Duration feed_initial_backoff = absl::Milliseconds(200);
  absl::Duration feed_max_backoff = absl::Seconds(10);
};

// The singleton workers, also the names of their leases (table leases).
inline constexpr const char* kRosterWorker = "roster consumer";
inline constexpr const char* kSealerWorker = "ledger sealer";

// What the wiring made that a caller may want to watch.
struct FinanceParts {
  RosterConsumer* roster = nullptr;
};

// Listen port, database user and schema, migrations, append-only tables,
// and the membership peer.
rpc::ServiceSpec FinanceSpec();

// Adds FinanceService, AuditService and the audit trail service (with their
// scope resolver and gate) to `host`, and as workers the roster consumer on
// membership's change feed (the host's "membership" peer) and the ledger
// sealer.
absl::StatusOr<FinanceParts> RegisterFinance(rpc::ServiceHost& host,
                                             const FinanceDeps& deps = {});

}  // namespace unionhub::finance

#endif  // UNIONHUB_SERVICES_FINANCE_REGISTER_H_
