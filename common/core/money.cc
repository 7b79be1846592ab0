#include "common/core/money.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <numeric>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"

namespace unionhub::money {
namespace {

// 128-bit intermediates: the product of two int64 values always fits
// (|a * b| <= 2^126 < 2^127), so overflow is only possible when narrowing
// back to int64, which is checked explicitly.
using Wide = __int128;

constexpr int64_t kFullBasisPoints = 10000;
constexpr Wide kInt64Max = std::numeric_limits<int64_t>::max();
constexpr Wide kInt64Min = std::numeric_limits<int64_t>::min();

bool FitsInt64(Wide v) { return v >= kInt64Min && v <= kInt64Max; }

// n / d rounded half away from zero; d > 0.
Wide DivideRoundHalfAwayFromZero(Wide n, Wide d) {
  Wide q = n / d;  // truncates toward zero
  Wide r = n % d;  // same sign as n
  if (r < 0) r = -r;
  if (2 * r >= d) q += (n < 0) ? -1 : 1;
  return q;
}

}  // namespace

void CheckAmount(Fen amount, Fen min_fen, Fen max_fen, absl::string_view field,
                 Violations& violations) {
  if (amount < min_fen || amount > max_fen) {
    violations.Add(
        field,
        absl::StrFormat("must be between %d and %d fen", min_fen, max_fen),
        reasons::kAmountOutOfRange);
  }
}

absl::StatusOr<Fen> CheckedAdd(Fen a, Fen b, absl::string_view what) {
  Fen sum;
  if (__builtin_add_overflow(a, b, &sum)) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "%s would exceed the largest amount that can be represented", what));
  }
  return sum;
}

bool AddTo(Fen* total, Fen amount) {
  Fen sum;
  if (__builtin_add_overflow(*total, amount, &sum)) return false;
  *total = sum;
  return true;
}

absl::StatusOr<Fen> ApplyRate(Fen amount, BasisPoints bp) {
  const Wide result = DivideRoundHalfAwayFromZero(
      static_cast<Wide>(amount) * bp, kFullBasisPoints);
  if (!FitsInt64(result)) {
    return absl::OutOfRangeError(absl::StrFormat(
        "applying %d basis points overflows the amount in fen", bp));
  }
  return static_cast<Fen>(result);
}

// The header requires both arguments to be >= 0 and the signature cannot
// report errors, so out-of-contract inputs are handled deterministically
// rather than rejected: a zero (or negative) denominator gives 0, a negative
// numerator rounds half away from zero (the mirror of half-up), and a result
// beyond int64 saturates.
int64_t RatioBasisPoints(int64_t numerator, int64_t denominator) {
  if (denominator <= 0) return 0;
  const Wide result = DivideRoundHalfAwayFromZero(
      static_cast<Wide>(numerator) * kFullBasisPoints, denominator);
  if (result > kInt64Max) return std::numeric_limits<int64_t>::max();
  if (result < kInt64Min) return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(result);
}

// Negative totals (refunds, reversals): the absolute value is split and each
// part negated, so Split(-t, w) == -Split(t, w) element by element and the
// extra fen of a negative split go to the same parts as for the positive one.
// Weights must each be >= 0 and sum to exactly 10000; zero weights are
// allowed and always receive 0 (a leftover fen only goes to a part with a
// non-zero remainder, and there are always more of those than leftover fen).
absl::StatusOr<std::vector<Fen>> SplitByBasisPoints(
    Fen total, const std::vector<BasisPoints>& weights_bp) {
  if (weights_bp.empty()) {
    return absl::InvalidArgumentError("split: no weights given");
  }
  BasisPoints sum = 0;
  for (BasisPoints w : weights_bp) {
    if (w < 0) {
      return absl::InvalidArgumentError(
          absl::StrFormat("split: weight %d basis points is negative", w));
    }
    if (w > kFullBasisPoints) {
      return absl::InvalidArgumentError(
          absl::StrFormat("split: weight %d basis points exceeds 10000", w));
    }
    sum += w;  // cannot overflow: every term is in [0, 10000]
  }
  if (sum != kFullBasisPoints) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "split: weights sum to %d basis points, expected 10000", sum));
  }

  const bool negative = total < 0;
  // |INT64_MIN| does not fit in int64, hence the wide type.
  const Wide magnitude = negative ? -static_cast<Wide>(total) : total;

  const size_t n = weights_bp.size();
  std::vector<Wide> parts(n);
  std::vector<int64_t> remainders(n);
  Wide allocated = 0;
  for (size_t i = 0; i < n; ++i) {
    const Wide product = magnitude * weights_bp[i];
    parts[i] = product / kFullBasisPoints;
    remainders[i] = static_cast<int64_t>(product % kFullBasisPoints);
    allocated += parts[i];
  }
  // leftover = sum(remainders) / 10000 < n.
  const Wide leftover = magnitude - allocated;

  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return remainders[a] > remainders[b];
  });
  for (Wide k = 0; k < leftover; ++k) {
    parts[order[static_cast<size_t>(k)]] += 1;
  }

  // Every part is in [0, |total|], so after negation it fits in int64 (the
  // largest magnitude, 2^63, only occurs for INT64_MIN itself).
  std::vector<Fen> result(n);
  for (size_t i = 0; i < n; ++i) {
    result[i] = static_cast<Fen>(negative ? -parts[i] : parts[i]);
  }
  return result;
}

std::string FormatYuan(Fen amount) {
  // Work on the unsigned magnitude so INT64_MIN formats correctly.
  const bool negative = amount < 0;
  const uint64_t magnitude = negative
                                 ? uint64_t{0} - static_cast<uint64_t>(amount)
                                 : static_cast<uint64_t>(amount);
  return absl::StrFormat("%s%d.%02d", negative ? "-" : "", magnitude / 100,
                         magnitude % 100);
}

// Grammar: '-'? DIGIT+ ( '.' DIGIT DIGIT? )?
// No '+', no whitespace, no grouping separators, no exponent, no bare "." or
// trailing "."; leading zeros are accepted ("007.50"). "-0" parses as 0.
// Values outside int64 fen are OUT_OF_RANGE.
absl::StatusOr<Fen> ParseYuan(absl::string_view text) {
  const absl::Status invalid = absl::InvalidArgumentError(
      "amount must look like 1234, 1234.5 or 1234.50 (yuan, optional leading "
      "'-', at most two decimals)");
  absl::string_view rest = text;
  const bool negative = !rest.empty() && rest.front() == '-';
  if (negative) rest.remove_prefix(1);

  const size_t dot = rest.find('.');
  const absl::string_view integer_part = rest.substr(0, dot);
  const absl::string_view fraction_part = dot == absl::string_view::npos
                                              ? absl::string_view()
                                              : rest.substr(dot + 1);
  if (integer_part.empty()) return invalid;
  if (dot != absl::string_view::npos &&
      (fraction_part.empty() || fraction_part.size() > 2)) {
    return invalid;
  }

  // The limit on the magnitude: 2^63 for negatives, 2^63 - 1 otherwise.
  const Wide limit = negative ? -kInt64Min : kInt64Max;
  const absl::Status too_large =
      absl::OutOfRangeError("amount is too large to represent in fen");
  Wide yuan = 0;
  for (char c : integer_part) {
    if (c < '0' || c > '9') return invalid;
    yuan = yuan * 10 + (c - '0');
    // Once yuan alone exceeds the limit, keep validating syntax but stop
    // growing so the accumulator cannot overflow on very long inputs.
    if (yuan > limit) yuan = limit + 1;
  }
  Wide fen = 0;
  for (size_t i = 0; i < 2; ++i) {
    fen *= 10;
    if (i < fraction_part.size()) {
      const char c = fraction_part[i];
      if (c < '0' || c > '9') return invalid;
      fen += c - '0';
    }
  }
  const Wide magnitude = yuan * 100 + fen;
  if (magnitude > limit) return too_large;
  return static_cast<Fen>(negative ? -magnitude : magnitude);
}

}  // namespace unionhub::money
