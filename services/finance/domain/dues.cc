#include "services/finance/domain/dues.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/time/civil_time.h"
#include "common/core/money.h"
#include "common/core/violations.h"

namespace unionhub::finance::domain {
namespace {

constexpr int64_t kFullBasisPoints = 10000;

// True when `a` should be preferred over `b` for the same member and month.
bool MoreSpecific(const DuesPolicy& a, const DuesPolicy& b) {
  if (a.scope_path.size() != b.scope_path.size()) {
    return a.scope_path.size() > b.scope_path.size();
  }
  if (a.effective_from != b.effective_from) {
    return a.effective_from > b.effective_from;
  }
  return a.policy_id > b.policy_id;
}

}  // namespace

Fen WageBase(Fen wage, const DuesPolicy& policy) {
  if (wage <= 0) return 0;
  const int64_t unit = policy.ignore_below_fen;
  if (unit <= 1) return wage;
  // wage > 0 and unit > 1: truncation is floor and the product <= wage.
  return wage / unit * unit;
}

Fen MonthlyDues(Fen wage, const DuesPolicy& policy) {
  const int64_t rate = std::clamp<int64_t>(policy.rate_bp, 0, kFullBasisPoints);
  // base <= INT64_MAX and rate <= 10000, so the result <= base: no overflow.
  absl::StatusOr<Fen> dues = money::ApplyRate(WageBase(wage, policy), rate);
  return dues.ok() ? *dues : 0;
}

bool IsWellFormedOrgPath(const std::string& path) {
  if (path.empty() || path.front() != '/' || path.back() != '/') return false;
  bool segment_empty = true;
  for (size_t i = 1; i < path.size(); ++i) {
    const char c = path[i];
    if (c == '/') {
      if (segment_empty) return false;  // "//"
      segment_empty = true;
    } else if (c >= '0' && c <= '9') {
      segment_empty = false;
    } else {
      return false;
    }
  }
  return true;  // "/" alone (the whole tree) is allowed
}

const DuesPolicy* PolicyFor(const std::vector<DuesPolicy>& policies,
                            const std::string& member_org_path,
                            absl::CivilMonth month) {
  const DuesPolicy* best = nullptr;
  for (const DuesPolicy& p : policies) {
    // A scope without its trailing '/' would let "/1/5" match "/1/55/".
    if (!IsWellFormedOrgPath(p.scope_path)) continue;
    if (!absl::StartsWith(member_org_path, p.scope_path)) continue;
    if (p.effective_from > month) continue;
    if (best == nullptr || MoreSpecific(p, *best)) best = &p;
  }
  return best;
}

DuesPolicy NationalDefaultPolicy() {
  DuesPolicy policy;
  policy.policy_id = 0;
  policy.scope_path = "/";
  policy.effective_from = absl::CivilMonth(1900, 1);
  policy.rate_bp = kDefaultDuesRateBp;
  policy.ignore_below_fen = kDefaultIgnoreBelowFen;
  return policy;
}

DuesCharge DuesFor(const std::vector<DuesPolicy>& stored,
                   const DuesPayer& payer, absl::CivilMonth month) {
  static const DuesPolicy* const kDefault =
      new DuesPolicy(NationalDefaultPolicy());
  const DuesPolicy* policy = PolicyFor(stored, payer.org_path, month);
  if (policy == nullptr) policy = kDefault;
  return {policy->policy_id, policy->rate_bp, MonthlyDues(payer.wage, *policy)};
}

Violations ValidatePolicy(const DuesPolicy& policy) {
  Violations v;
  if (policy.scope_path.empty()) {
    v.Add("scope_path", "must not be empty");
  } else if (!IsWellFormedOrgPath(policy.scope_path)) {
    v.Add("scope_path",
          "must be an org path like \"/1/5/\" (numeric segments, leading "
          "and trailing '/')");
  }
  if (policy.rate_bp < 0 || policy.rate_bp > kFullBasisPoints) {
    v.Add("rate_bp", "must be between 0 and 10000 basis points");
  }
  // The ignored part of a wage is a member's amount: the same cap applies.
  money::CheckAmount(policy.ignore_below_fen, 0, money::kMaxMemberAmountFen,
                     "ignore_below_fen", v);
  return v;
}

}  // namespace unionhub::finance::domain
