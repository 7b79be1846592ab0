// unionhub-awards: flags/env -> wiring -> serve (common/rpc/service_host.h).
#include "common/rpc/service_host.h"
#include "services/awards/register.h"

int main(int argc, char** argv) {
  using namespace unionhub;
  std::unique_ptr<rpc::ServiceHost> host =
      rpc::ServiceHost::FromFlags(argc, argv, awards::AwardsSpec());
  if (host == nullptr) return 1;
  if (host->migrate_only()) return host->MigrateOnly();
  absl::StatusOr<awards::AwardsParts> wired = awards::RegisterAwards(*host);
  return wired.ok() ? host->Run() : host->Fail("wiring", wired.status());
}
