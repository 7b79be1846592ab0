#include "services/finance/domain/settlement.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/core/dates.h"

namespace unionhub::finance::domain {
namespace {

absl::Status CheckCharges(const std::vector<OpenCharge>& sorted) {
  for (size_t i = 0; i < sorted.size(); ++i) {
    const OpenCharge& c = sorted[i];
    const std::string month = dates::FormatMonth(c.month);
    if (c.due < 0 || c.paid < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("charge for ", month, ": due and paid must be >= 0"));
    }
    if (i > 0 && sorted[i - 1].month == c.month) {
      return absl::InvalidArgumentError(
          absl::StrCat("charge for ", month, " is given more than once"));
    }
  }
  return absl::OkStatus();
}

// Both are >= 0 after CheckCharges, so the difference cannot overflow.
Fen Outstanding(const OpenCharge& c) {
  return c.due > c.paid ? c.due - c.paid : 0;
}

}  // namespace

absl::StatusOr<SettlementResult> Settle(
    Fen amount, std::vector<OpenCharge> open,
    std::optional<absl::CivilMonth> named_month) {
  if (amount <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("amount must be > 0 fen, got ", amount));
  }
  std::stable_sort(open.begin(), open.end(),
                   [](const OpenCharge& a, const OpenCharge& b) {
                     return a.month < b.month;
                   });
  if (absl::Status s = CheckCharges(open); !s.ok()) return s;

  SettlementResult result;
  Fen remaining = amount;
  auto pay = [&](OpenCharge& c) {
    const Fen take = std::min(remaining, Outstanding(c));
    if (take <= 0) return;
    result.allocations.push_back({c.month, take});
    c.paid += take;  // <= due, so no overflow
    remaining -= take;
  };

  if (named_month.has_value()) {
    auto it = std::find_if(open.begin(), open.end(), [&](const OpenCharge& c) {
      return c.month == *named_month;
    });
    if (it == open.end() || Outstanding(*it) == 0) {
      return absl::FailedPreconditionError(
          absl::StrCat("month ", dates::FormatMonth(*named_month),
                       " has nothing open to pay"));
    }
    pay(*it);
  }
  for (OpenCharge& c : open) {
    if (remaining == 0) break;
    pay(c);  // the named month, if any, is now settled and takes nothing
  }
  result.credit = remaining;
  return result;
}

absl::StatusOr<SettlementResult> ApplyCredit(Fen credit,
                                             std::vector<OpenCharge> open) {
  if (credit < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("credit must be >= 0 fen, got ", credit));
  }
  if (credit == 0) return SettlementResult{};
  return Settle(credit, std::move(open), std::nullopt);
}

}  // namespace unionhub::finance::domain
