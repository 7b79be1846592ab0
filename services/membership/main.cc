// unionhub-membership: flags/env -> wiring -> serve
// (common/rpc/service_host.h).
#include "common/rpc/service_host.h"
#include "services/membership/register.h"

int main(int argc, char** argv) {
  using namespace unionhub;
  std::unique_ptr<rpc::ServiceHost> host =
      rpc::ServiceHost::FromFlags(argc, argv, membership::MembershipSpec());
  if (host == nullptr) return 1;
  if (host->migrate_only()) return host->MigrateOnly();
  absl::Status wired = membership::RegisterMembership(*host);
  return wired.ok() ? host->Run() : host->Fail("wiring", wired);
}
