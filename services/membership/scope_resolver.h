// Organisation paths for the authorisation gate's scope checks.
#ifndef UNIONHUB_SERVICES_MEMBERSHIP_SCOPE_RESOLVER_H_
#define UNIONHUB_SERVICES_MEMBERSHIP_SCOPE_RESOLVER_H_

#include "common/db/pool.h"
#include "common/rpc/gate.h"

namespace unionhub::membership {

class MembershipScopeResolver final : public rpc::ScopeResolver {
 public:
  explicit MembershipScopeResolver(db::Pool& pool) : pool_(pool) {}
  absl::StatusOr<std::string> OrgPath(int64_t org_id) override;
  absl::StatusOr<std::string> MemberOrgPath(int64_t member_id) override;

 private:
  db::Pool& pool_;
};

}  // namespace unionhub::membership

#endif  // UNIONHUB_SERVICES_MEMBERSHIP_SCOPE_RESOLVER_H_
