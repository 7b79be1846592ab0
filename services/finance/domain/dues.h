// Member dues (会费): the wage base, the monthly amount, and which
// effective-dated, subtree-scoped policy applies to a member in a month.
// Pure rules: the service loads the policies and the member's org path.
#ifndef UNIONHUB_SERVICES_FINANCE_DOMAIN_DUES_H_
#define UNIONHUB_SERVICES_FINANCE_DOMAIN_DUES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "common/core/money.h"
#include "common/core/violations.h"

namespace unionhub::finance::domain {

using money::Fen;

// The national default: 0.5 % of the wage, the part below 10 yuan ignored.
inline constexpr int64_t kDefaultDuesRateBp = 50;
inline constexpr Fen kDefaultIgnoreBelowFen = 1000;

struct DuesPolicy {
  int64_t policy_id = 0;
  // Materialised path of the org subtree the policy covers, "/1/5/". The
  // trailing '/' is what makes prefix matching respect whole segments.
  std::string scope_path;
  absl::CivilMonth effective_from;
  int64_t rate_bp = kDefaultDuesRateBp;
  // 1000 = the part of the wage below 10 yuan is not counted.
  int64_t ignore_below_fen = kDefaultIgnoreBelowFen;
};

// floor(wage / ignore_below) * ignore_below; ignore_below <= 1 counts every
// fen. A wage <= 0 has a base of 0: nobody owes dues on a negative wage.
Fen WageBase(Fen wage, const DuesPolicy& policy);

// round_half_up(base * rate_bp / 10000). The rate is clamped to 0..10000
// (what ValidatePolicy accepts) so the dues never exceed the wage and the
// computation cannot overflow even for an unvalidated policy.
Fen MonthlyDues(Fen wage, const DuesPolicy& policy);

// The policy for a member whose org has `member_org_path` in `month`:
// among policies whose scope_path is a whole-segment prefix of the member's
// path and whose effective_from <= month, the most specific scope (longest
// path) wins, so a provincial override beats the national default even if
// the default was changed later; within one scope the latest effective_from
// wins; on a full tie the highest policy_id (the later correction) wins.
// Malformed scope paths never match. nullptr when nothing applies.
const DuesPolicy* PolicyFor(const std::vector<DuesPolicy>& policies,
                            const std::string& member_org_path,
                            absl::CivilMonth month);

// The national default (DOMAIN §3) as a policy: on the whole tree ("/"),
// in force since before any stored policy (1900-01), policy_id 0 (never a
// stored one's). A stored policy replaces it wherever its scope and
// effective_from apply, so every member always has a policy.
DuesPolicy NationalDefaultPolicy();

// What the dues rules know of a member for a month. A rule for a category
// of members (a reduced rate for retirees, say) adds the fact here and
// decides in DuesFor; store::AssessmentCandidates reads it from the roster
// and AssessDues passes it on untouched.
struct DuesPayer {
  std::string org_path;  // the member's org on the month's last day
  Fen wage = 0;          // the wage base then
};

struct DuesCharge {
  int64_t policy_id = 0;  // 0: the national default
  int64_t rate_bp = 0;
  Fen due = 0;
};

// The one place deciding what `payer` owes for `month`: the policy
// PolicyFor picks among `stored`, else NationalDefaultPolicy(), applied by
// MonthlyDues.
DuesCharge DuesFor(const std::vector<DuesPolicy>& stored,
                   const DuesPayer& payer, absl::CivilMonth month);

// Whether `path` is a materialised org path: "/" or "/<id>/.../<id>/"
// with each id a decimal number.
bool IsWellFormedOrgPath(const std::string& path);

// rate_bp in 0..10000, ignore_below_fen >= 0, scope_path well formed.
Violations ValidatePolicy(const DuesPolicy& policy);

}  // namespace unionhub::finance::domain

#endif  // UNIONHUB_SERVICES_FINANCE_DOMAIN_DUES_H_
