// Union funds (工会经费) and the preparation fund (筹备金), DOMAIN §4: the 2 %
// appropriation, the 60/40 split of tax-collected funds with the upward 40 %
// shared by an effective-dated per-province table, and refund policies.
//
// Allocation tables express each level's share of the UPWARD 40 %, not of
// the total, so a table always sums to 10000 bp regardless of the 60/40
// rule. "National 5 % of the total" is therefore 5 / 40 = 1250 bp of the
// upward part. In general a share of the total s_bp becomes s_bp * 5 / 2 bp
// of the upward part, exact when s_bp is even. A level then receives its
// share of the total to within about a fen: the 40 % floor costs under
// 1 fen of the upward part (under 1/8 fen of national's 1250 bp), the
// level's own floor under 1 fen, and a largest-remainder fen can add one
// back (for national 5 %: -1.125 < error <= 1 fen).
//
// Rounding, so that every fen is traceable and the parts sum exactly:
// - upward = floor(collected * 40 %); the grassroots return is
//   collected - upward, so any fen left over by the 60/40 split stay with
//   the grassroots union that the money came from;
// - the upward part is split by money::SplitByBasisPoints: floor per level,
//   leftover fen one each to the largest remainders, earlier levels in the
//   table first on equal remainders.
#ifndef UNIONHUB_SERVICES_FINANCE_DOMAIN_FUNDS_H_
#define UNIONHUB_SERVICES_FINANCE_DOMAIN_FUNDS_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "common/core/money.h"
#include "common/core/violations.h"

namespace unionhub::finance::domain {

using money::Fen;

inline constexpr int64_t kAppropriationBp = 200;      // 2 % of payroll
inline constexpr int64_t kGrassrootsReturnBp = 6000;  // 60 % returned
inline constexpr int64_t kUpwardBp = 4000;            // 40 % shared upward

// 2 % of the monthly total payroll, rounded half up (away from zero).
// Saturates instead of overflowing (2 % of any int64 fits anyway).
Fen Appropriation(Fen total_payroll);

// The same 2 % is due either way; only the fund it goes to differs: an
// employer without an established union pays the preparation fund, held
// by the upper union until a union is established.
enum class FundKind { kUnionFunds, kPreparationFund };
FundKind KindFor(bool has_established_union);

struct AllocationTable {
  std::string province_code;
  absl::CivilMonth effective_from;
  // (level, bp of the upward 40 %), e.g. {"national", 1250}. Order matters
  // only for ties in the largest-remainder split (earlier first).
  std::vector<std::pair<std::string, int64_t>> shares;
};

// province_code non-empty; at least one share; every level non-empty and
// distinct; every share in 0..10000; the shares sum to exactly 10000.
Violations ValidateAllocationTable(const AllocationTable& table);

struct FundsSplit {
  Fen grassroots_return = 0;
  // In the table's order; sums exactly to collected - grassroots_return.
  std::vector<std::pair<std::string, Fen>> upward;
};

// collected must be >= 0 (corrections are ledger reversals, not negative
// collections) and the table valid, else INVALID_ARGUMENT.
absl::StatusOr<FundsSplit> SplitCollectedFunds(Fen collected,
                                               const AllocationTable& table);

// The table of `province_code` with the latest effective_from <= month; on
// equal effective_from the later element of `tables` wins (a re-issued
// table supersedes). nullptr when none.
const AllocationTable* TableFor(const std::vector<AllocationTable>& tables,
                                const std::string& province_code,
                                absl::CivilMonth month);

struct RefundPolicy {
  absl::CivilMonth from;  // inclusive
  absl::CivilMonth to;    // inclusive
  bool small_micro_only = false;
  int64_t refund_bp = 0;
};

// from <= to; refund_bp in 0..10000.
Violations ValidateRefundPolicy(const RefundPolicy& policy);

// The refund due on `collected` for `month`, by the FIRST policy in the
// list whose period covers the month and whose small_micro_only condition
// the employer meets (so order the list by precedence). 0 when none
// applies. Rounded half up; refund_bp is clamped to 0..10000 so a refund
// never exceeds what was collected.
Fen RefundFor(Fen collected, const std::vector<RefundPolicy>& policies,
              absl::CivilMonth month, bool small_micro);

// A collection split with a refund policy applied (DOMAIN §4). `refund` is
// what RefundFor returned for the collection (0..collected, else
// INVALID_ARGUMENT). When the refund is larger than the normal grassroots
// return of SplitCollectedFunds, the grassroots union gets the refund
// instead, and only the rest (collected - refund) goes upward, split by the
// table's shares (money::SplitByBasisPoints, as for the normal 40 %).
// A refund at or below the normal return changes nothing: a refund policy
// never lowers what the grassroots union would have had anyway.
struct CollectionSplit {
  Fen grassroots_return = 0;  // refund included
  Fen refund_bonus = 0;       // grassroots_return - the normal return
  // In the table's order; sums exactly to collected - grassroots_return.
  std::vector<std::pair<std::string, Fen>> upward;
};
absl::StatusOr<CollectionSplit> SplitWithRefund(Fen collected,
                                                const AllocationTable& table,
                                                Fen refund);

}  // namespace unionhub::finance::domain

#endif  // UNIONHUB_SERVICES_FINANCE_DOMAIN_FUNDS_H_
