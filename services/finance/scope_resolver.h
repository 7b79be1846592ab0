// Organisation paths for the authorisation gate's scope checks, from
// finance's own roster.
#ifndef UNIONHUB_SERVICES_FINANCE_SCOPE_RESOLVER_H_
#define UNIONHUB_SERVICES_FINANCE_SCOPE_RESOLVER_H_

#include "common/db/pool.h"
#include "common/rpc/gate.h"

namespace unionhub::finance {

class FinanceScopeResolver final : public rpc::ScopeResolver {
 public:
  explicit FinanceScopeResolver(db::Pool& pool) : pool_(pool) {}
  absl::StatusOr<std::string> OrgPath(int64_t org_id) override;
  absl::StatusOr<std::string> MemberOrgPath(int64_t member_id) override;

 private:
  db::Pool& pool_;
};

}  // namespace unionhub::finance

#endif  // UNIONHUB_SERVICES_FINANCE_SCOPE_RESOLVER_H_
