// Money is int64 fen (1 yuan = 100 fen); rates are basis points
// (1 bp = 0.01 %). Never floating point.
#ifndef UNIONHUB_COMMON_CORE_MONEY_H_
#define UNIONHUB_COMMON_CORE_MONEY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/core/violations.h"

namespace unionhub::money {

using Fen = int64_t;
using BasisPoints = int64_t;

// Upper bounds on every money amount a caller sends (the README's Security
// section and the proto comments quote them). They are far above any real
// figure yet small enough that no realistic number of items can overflow an
// int64 running total (9.2e18 fen): a bound per item is what keeps one
// hostile request from poisoning every rollup above it.
//
// One organisational amount: an employer's monthly payroll, a funds
// collection, an expense, a budget line, an audit finding. 10^12 fen is
// 10 billion yuan.
inline constexpr Fen kMaxAmountFen = 1'000'000'000'000;
// One member's amount: a dues payment, a payroll deduction row, a dues
// policy's ignore-below threshold. 10^8 fen is 1 million yuan, decades of
// dues at any wage.
inline constexpr Fen kMaxMemberAmountFen = 100'000'000;

// Adds to `violations` under `field` unless min_fen <= amount <= max_fen.
void CheckAmount(Fen amount, Fen min_fen, Fen max_fen, absl::string_view field,
                 Violations& violations);

// a + b, or FAILED_PRECONDITION naming `what` when the sum leaves int64: a
// total that cannot be represented is a state problem, never INTERNAL.
absl::StatusOr<Fen> CheckedAdd(Fen a, Fen b, absl::string_view what = "total");

// `*total += amount` unless that overflows; then `*total` is unchanged and
// the result is false.
[[nodiscard]] bool AddTo(Fen* total, Fen amount);

// amount * bp / 10000, rounded half away from zero. Fails with
// OUT_OF_RANGE instead of overflowing.
absl::StatusOr<Fen> ApplyRate(Fen amount, BasisPoints bp);

// numerator / denominator in basis points, rounded half up; 0 when the
// denominator is 0. Both must be >= 0.
int64_t RatioBasisPoints(int64_t numerator, int64_t denominator);

// Splits `total` by `weights_bp` (which must sum to 10000) so the parts sum
// exactly to `total`: each part is floor(total * w / 10000), and the fen left
// over go one each to the parts with the largest remainders, earlier parts
// first on equal remainders (largest-remainder method).
absl::StatusOr<std::vector<Fen>> SplitByBasisPoints(
    Fen total, const std::vector<BasisPoints>& weights_bp);

// "1234.50" style, with a leading '-' for negatives; no grouping.
std::string FormatYuan(Fen amount);

// Parses "1234", "1234.5", "1234.50" (and a leading '-') into fen; more than
// two decimals or anything else is INVALID_ARGUMENT.
absl::StatusOr<Fen> ParseYuan(absl::string_view text);

}  // namespace unionhub::money

#endif  // UNIONHUB_COMMON_CORE_MONEY_H_
