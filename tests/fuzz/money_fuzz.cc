// Money typed by people: ParseYuan (common/core) and unionctl's own yuan
// parsing (YuanToFen, and SetField's `x_yuan` flags and CSV columns that set
// `x_fen`). Inputs of 16+ bytes also drive the fen arithmetic (ApplyRate,
// RatioBasisPoints, SplitByBasisPoints) with the integers they spell.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "common/core/money.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/stream_input.h"
#include "tools/unionctl/fields.h"
#include "tools/unionctl/text.h"
#include "unionhub/finance/v1/finance.pb.h"

namespace money = ::unionhub::money;
namespace unionctl = ::unionhub::unionctl;

namespace {

void Parsers(absl::string_view input) {
  absl::StatusOr<money::Fen> fen = money::ParseYuan(input);
  if (fen.ok()) {
    // Formatting and parsing again gives the same amount.
    const std::string text = money::FormatYuan(*fen);
    absl::StatusOr<money::Fen> again = money::ParseYuan(text);
    FUZZ_CHECK(again.ok() && *again == *fen);
  } else {
    FUZZ_CHECK(fen.status().code() == absl::StatusCode::kInvalidArgument ||
               fen.status().code() == absl::StatusCode::kOutOfRange);
  }

  const std::optional<int64_t> cli = unionctl::YuanToFen(input);
  if (cli.has_value()) {
    FUZZ_CHECK(unionctl::FenToYuan(*cli) == money::FormatYuan(*cli));
    const std::optional<int64_t> again =
        unionctl::YuanToFen(unionctl::FenToYuan(*cli));
    FUZZ_CHECK(again.has_value() && *again == *cli);
    // Where both grammars accept the text they agree on the amount.
    if (fen.ok()) FUZZ_CHECK(*fen == *cli);
  }

  // `--amount_yuan=...` and a CSV column amount_yuan set amount_fen.
  unionhub::finance::v1::PayrollRow row;
  absl::Status set = unionctl::SetField(&row, "amount_yuan", input);
  if (set.ok()) {
    FUZZ_CHECK(cli.has_value() && row.amount_fen() == *cli);
  } else {
    FUZZ_CHECK(set.code() == absl::StatusCode::kInvalidArgument);
  }
}

int64_t Int64At(const uint8_t* data) {
  int64_t v;
  std::memcpy(&v, data, sizeof(v));
  return v;
}

void Arithmetic(const uint8_t* data, size_t size) {
  const money::Fen amount = Int64At(data);
  const int64_t other = Int64At(data + 8);
  FUZZ_CHECK(unionctl::FenToYuan(amount) == money::FormatYuan(amount));
  absl::StatusOr<money::Fen> formatted =
      money::ParseYuan(money::FormatYuan(amount));
  FUZZ_CHECK(formatted.ok() && *formatted == amount);

  absl::StatusOr<money::Fen> applied = money::ApplyRate(amount, other);
  if (!applied.ok()) {
    FUZZ_CHECK(applied.status().code() == absl::StatusCode::kOutOfRange);
  }
  money::RatioBasisPoints(amount, other);

  // Weights from the remaining bytes, two per weight, then topped up (or
  // not) so some sum to 10000 and are accepted.
  std::vector<money::BasisPoints> weights;
  money::BasisPoints sum = 0;
  for (size_t i = 16; i + 1 < size && weights.size() < 64; i += 2) {
    const money::BasisPoints w = (data[i] | (data[i + 1] << 8)) % 10001;
    if (sum + w > 10000) break;
    weights.push_back(w);
    sum += w;
  }
  if ((size & 1) == 0 && sum < 10000) weights.push_back(10000 - sum);
  absl::StatusOr<std::vector<money::Fen>> parts =
      money::SplitByBasisPoints(amount, weights);
  if (!parts.ok()) {
    FUZZ_CHECK(parts.status().code() == absl::StatusCode::kInvalidArgument);
    return;
  }
  FUZZ_CHECK(parts->size() == weights.size());
  __int128 total = 0;
  for (size_t i = 0; i < parts->size(); ++i) {
    const money::Fen p = (*parts)[i];
    FUZZ_CHECK(amount >= 0 ? p >= 0 : p <= 0);
    if (weights[i] == 0) FUZZ_CHECK(p == 0);
    total += p;
  }
  FUZZ_CHECK(total == amount);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  unionhub::fuzz::QuietProtobufLogs();
  Parsers(absl::string_view(reinterpret_cast<const char*>(data), size));
  if (size >= 16) Arithmetic(data, size);
  return 0;
}
