// unionhub-finance: flags/env -> wiring -> serve (common/rpc/service_host.h).
#include "absl/flags/flag.h"
#include "common/rpc/service_host.h"
#include "services/finance/register.h"
#include "services/finance/store/ledger_key.h"

ABSL_FLAG(std::string, ledger_hmac_key, "",
          "base64 key (>= 32 bytes) of the ledger's keyed hash chain; keep "
          "it with the service's secrets, never in the database (prefer the "
          "env)");
ABSL_FLAG(int, ledger_seal_stall_seconds, 600,
          "VerifyLedger reports the ledger not intact when an entry has "
          "waited longer than this for its seal");
ABSL_FLAG(int, ledger_seal_interval_ms, 2000,
          "how often committed ledger entries are sealed into the chain");

int main(int argc, char** argv) {
  using namespace unionhub;
  std::unique_ptr<rpc::ServiceHost> host =
      rpc::ServiceHost::FromFlags(argc, argv, finance::FinanceSpec());
  if (host == nullptr) return 1;
  if (host->migrate_only()) return host->MigrateOnly();
  if (absl::Status key = finance::store::InstallLedgerKeyBase64(
          absl::GetFlag(FLAGS_ledger_hmac_key));
      !key.ok()) {
    return host->Fail("ledger key (--ledger_hmac_key)", key);
  }
  finance::FinanceDeps deps;
  deps.seal_stall_after =
      absl::Seconds(absl::GetFlag(FLAGS_ledger_seal_stall_seconds));
  deps.seal_interval =
      absl::Milliseconds(absl::GetFlag(FLAGS_ledger_seal_interval_ms));
  absl::StatusOr<finance::FinanceParts> wired =
      finance::RegisterFinance(*host, deps);
  return wired.ok() ? host->Run() : host->Fail("wiring", wired.status());
}
