// Organisation paths for the authorisation gate's scope checks. Awards
// keeps no roster, so it asks membership (the tree is small and these calls
// are only made for callers limited to a subtree).
#ifndef UNIONHUB_SERVICES_AWARDS_SCOPE_RESOLVER_H_
#define UNIONHUB_SERVICES_AWARDS_SCOPE_RESOLVER_H_

#include "common/rpc/gate.h"
#include "services/awards/peers.h"

namespace unionhub::awards {

// "/1/5/23/" from an org's ancestors and its own id.
std::string PathOf(const mv1::Org& org);

class AwardsScopeResolver final : public rpc::ScopeResolver {
 public:
  explicit AwardsScopeResolver(Peers& peers) : peers_(peers) {}
  absl::StatusOr<std::string> OrgPath(int64_t org_id) override;
  absl::StatusOr<std::string> MemberOrgPath(int64_t member_id) override;

 private:
  Peers& peers_;
};

}  // namespace unionhub::awards

#endif  // UNIONHUB_SERVICES_AWARDS_SCOPE_RESOLVER_H_
