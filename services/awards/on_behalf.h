// Membership reads made for a caller. Awards asks membership with its own
// service token, which sees the whole tree; a caller limited to a subtree
// must not get, through awards, a name or an evidence snapshot it could not
// read from membership itself. Every member or org awards reads on a
// caller's behalf goes through here, and is checked against the current
// caller's scope (rpc::CurrentCaller) before anything of it is returned or
// stored.
#ifndef UNIONHUB_SERVICES_AWARDS_ON_BEHALF_H_
#define UNIONHUB_SERVICES_AWARDS_ON_BEHALF_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/rpc/gate.h"
#include "services/awards/peers.h"

namespace unionhub::awards {

// The gate's refusal for an id outside the caller's scope
// (rpc::NotWithinScope), so awards' and the gate's cannot be told apart.
absl::Status OutsideScope(absl::string_view what, int64_t id);

// True when `path` ("/1/5/23/") lies in the caller's scope.
bool InScope(const rpc::Caller& caller, absl::string_view path);

// The outcome of looking up `what` `id` (a programme, a nomination, a
// member) and checking the org behind it, as the caller may see it: a
// refusal names only the id the caller gave, never the org behind it, and
// to a scoped caller an absent one reads like one outside its scope.
// Anything else (OK, UNAVAILABLE, ...) is kept.
absl::Status SeenBy(const rpc::Caller& caller, absl::Status status,
                    absl::string_view what, int64_t id);

struct MemberRead {
  mv1::Member member;
  mv1::Org org;  // the member's org
};

class OnBehalf {
 public:
  explicit OnBehalf(Peers& peers) : peers_(peers) {}

  // The member and its org when that org lies in the current caller's scope
  // and, when `within_org` is non-zero, is `within_org` or below it (a
  // nominating org acts only for its own subtree). Otherwise the gate's
  // out-of-scope refusal; to a scoped caller an absent member reads the
  // same. Nothing of a refused member is returned.
  absl::StatusOr<MemberRead> Member(int64_t member_id, int64_t within_org = 0);

  // The same for an org.
  absl::StatusOr<mv1::Org> Org(int64_t org_id, int64_t within_org = 0);

 private:
  absl::Status Check(const rpc::Caller& caller, const mv1::Org& org,
                     int64_t within_org, absl::string_view what, int64_t id);

  Peers& peers_;
};

}  // namespace unionhub::awards

#endif  // UNIONHUB_SERVICES_AWARDS_ON_BEHALF_H_
