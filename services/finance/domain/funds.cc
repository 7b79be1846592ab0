#include "services/finance/domain/funds.h"

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/core/money.h"
#include "common/core/violations.h"

namespace unionhub::finance::domain {
namespace {

constexpr int64_t kFullBasisPoints = 10000;

}  // namespace

Fen Appropriation(Fen total_payroll) {
  // |payroll * 200 / 10000| < |payroll|, so ApplyRate cannot fail here.
  absl::StatusOr<Fen> fen = money::ApplyRate(total_payroll, kAppropriationBp);
  return fen.ok() ? *fen : 0;
}

FundKind KindFor(bool has_established_union) {
  return has_established_union ? FundKind::kUnionFunds
                               : FundKind::kPreparationFund;
}

Violations ValidateAllocationTable(const AllocationTable& table) {
  Violations v;
  if (table.province_code.empty()) {
    v.Add("province_code", "must not be empty");
  }
  if (table.shares.empty()) {
    v.Add("shares", "must list at least one level");
    return v;
  }
  std::set<std::string> seen;
  int64_t sum = 0;
  bool all_in_range = true;
  for (size_t i = 0; i < table.shares.size(); ++i) {
    const auto& [level, bp] = table.shares[i];
    const std::string field = absl::StrCat("shares[", i, "]");
    if (level.empty()) {
      v.Add(field + ".level", "must not be empty");
    } else if (!seen.insert(level).second) {
      v.Add(field + ".level",
            absl::StrCat("level \"", level, "\" is listed more than once"));
    }
    if (bp < 0 || bp > kFullBasisPoints) {
      v.Add(field + ".bp", "must be between 0 and 10000 basis points");
      all_in_range = false;
    } else {
      sum += bp;  // each term <= 10000: cannot overflow
    }
  }
  if (all_in_range && sum != kFullBasisPoints) {
    v.Add("shares", absl::StrCat("must sum to 10000 basis points of the "
                                 "upward 40 %, got ",
                                 sum));
  }
  return v;
}

absl::StatusOr<FundsSplit> SplitCollectedFunds(Fen collected,
                                               const AllocationTable& table) {
  if (collected < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("collected must be >= 0 fen, got ", collected));
  }
  if (Violations v = ValidateAllocationTable(table); !v.empty()) {
    return v.ToStatus();
  }
  // Floor, so the grassroots union keeps the fractional fen; the product
  // needs 128 bits for amounts near the int64 limit.
  const Fen upward = static_cast<Fen>(static_cast<__int128>(collected) *
                                      kUpwardBp / kFullBasisPoints);
  std::vector<int64_t> weights;
  weights.reserve(table.shares.size());
  for (const auto& share : table.shares) weights.push_back(share.second);
  absl::StatusOr<std::vector<Fen>> parts =
      money::SplitByBasisPoints(upward, weights);
  if (!parts.ok()) return parts.status();

  FundsSplit split;
  split.grassroots_return = collected - upward;
  split.upward.reserve(parts->size());
  for (size_t i = 0; i < parts->size(); ++i) {
    split.upward.emplace_back(table.shares[i].first, (*parts)[i]);
  }
  return split;
}

const AllocationTable* TableFor(const std::vector<AllocationTable>& tables,
                                const std::string& province_code,
                                absl::CivilMonth month) {
  const AllocationTable* best = nullptr;
  for (const AllocationTable& t : tables) {
    if (t.province_code != province_code || t.effective_from > month) {
      continue;
    }
    if (best == nullptr || t.effective_from >= best->effective_from) {
      best = &t;
    }
  }
  return best;
}

Violations ValidateRefundPolicy(const RefundPolicy& policy) {
  Violations v;
  if (policy.to < policy.from) {
    v.Add("to", "must not be before from");
  }
  if (policy.refund_bp < 0 || policy.refund_bp > kFullBasisPoints) {
    v.Add("refund_bp", "must be between 0 and 10000 basis points");
  }
  return v;
}

Fen RefundFor(Fen collected, const std::vector<RefundPolicy>& policies,
              absl::CivilMonth month, bool small_micro) {
  for (const RefundPolicy& p : policies) {
    if (month < p.from || month > p.to) continue;
    if (p.small_micro_only && !small_micro) continue;
    const int64_t bp = std::clamp<int64_t>(p.refund_bp, 0, kFullBasisPoints);
    absl::StatusOr<Fen> refund = money::ApplyRate(collected, bp);
    return refund.ok() ? *refund : 0;  // cannot fail: bp <= 10000
  }
  return 0;
}

absl::StatusOr<CollectionSplit> SplitWithRefund(Fen collected,
                                                const AllocationTable& table,
                                                Fen refund) {
  absl::StatusOr<FundsSplit> normal = SplitCollectedFunds(collected, table);
  if (!normal.ok()) return normal.status();
  if (refund < 0 || refund > collected) {
    return absl::InvalidArgumentError(
        absl::StrCat("refund must be between 0 and the collected ", collected,
                     " fen, got ", refund));
  }
  CollectionSplit split;
  if (refund <= normal->grassroots_return) {
    split.grassroots_return = normal->grassroots_return;
    split.upward = std::move(normal->upward);
    return split;
  }
  std::vector<int64_t> weights;
  weights.reserve(table.shares.size());
  for (const auto& share : table.shares) weights.push_back(share.second);
  absl::StatusOr<std::vector<Fen>> parts =
      money::SplitByBasisPoints(collected - refund, weights);
  if (!parts.ok()) return parts.status();
  split.grassroots_return = refund;
  split.refund_bonus = refund - normal->grassroots_return;
  split.upward.reserve(parts->size());
  for (size_t i = 0; i < parts->size(); ++i) {
    split.upward.emplace_back(table.shares[i].first, (*parts)[i]);
  }
  return split;
}

}  // namespace unionhub::finance::domain
