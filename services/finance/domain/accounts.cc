#include "services/finance/domain/accounts.h"

#include <deque>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace unionhub::finance::domain {
namespace {

constexpr absl::string_view kExpensePrefix = "expense.";

std::string ExpenseCode(int category) {
  std::string name;
  if (v1::SpendingCategory_IsValid(category)) {
    name = std::string(absl::StripPrefix(
        v1::SpendingCategory_Name(static_cast<v1::SpendingCategory>(category)),
        "SPENDING_CATEGORY_"));
  }
  if (name.empty()) name = absl::StrCat(category);
  return absl::StrCat(kExpensePrefix, absl::AsciiStrToLower(name));
}

bool IsPositiveId(absl::string_view text) {
  for (char c : text) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  int64_t id = 0;
  return absl::SimpleAtoi(text, &id) && id > 0;
}

bool OwnerMatches(AccountOwner owner, absl::string_view text) {
  switch (owner) {
    case AccountOwner::kOrg:
      return absl::ConsumePrefix(&text, "org/") && IsPositiveId(text);
    case AccountOwner::kEmployer:
      return absl::ConsumePrefix(&text, "employer/") && IsPositiveId(text);
    case AccountOwner::kProvinceLevel: {
      if (!absl::ConsumePrefix(&text, "province/")) return false;
      std::vector<absl::string_view> parts = absl::StrSplit(text, '/');
      return parts.size() == 2 && !parts[0].empty() && !parts[1].empty();
    }
  }
  return false;
}

}  // namespace

const std::vector<AccountType>& ChartOfAccounts() {
  static const auto* chart = [] {
    auto* types = new std::vector<AccountType>{
        accounts::kCash,
        accounts::kDuesReceivable,
        accounts::kDuesIncome,
        accounts::kMemberCredit,
        accounts::kDuesSuspense,
        accounts::kPayableToEmployer,
        accounts::kFundsReceivable,
        accounts::kFundsRevenue,
        accounts::kPreparationFund,
        accounts::kPreparationFundHeld,
        accounts::kFundsUpward,
    };
    // Codes outlive the chart's string_views: a deque never moves them.
    static auto* codes = new std::deque<std::string>;
    const auto* categories = v1::SpendingCategory_descriptor();
    for (int i = 0; i < categories->value_count(); ++i) {
      const int number = categories->value(i)->number();
      if (number == v1::SPENDING_CATEGORY_UNSPECIFIED) continue;
      codes->push_back(ExpenseCode(number));
      types->push_back(
          {codes->back(), AccountKind::kExpense, AccountOwner::kOrg});
    }
    return types;
  }();
  return *chart;
}

std::string AccountName(const AccountType& type, int64_t owner_id) {
  return absl::StrCat(
      type.code, type.owner == AccountOwner::kEmployer ? ":employer/" : ":org/",
      owner_id);
}

std::string UpwardAccount(absl::string_view province_code,
                          absl::string_view level) {
  return absl::StrCat(accounts::kFundsUpward.code, ":province/", province_code,
                      "/", level);
}

std::string ExpenseAccount(int category, int64_t org_id) {
  return absl::StrCat(ExpenseCode(category), ":org/", org_id);
}

std::optional<AccountType> AccountTypeOf(absl::string_view account) {
  const size_t colon = account.find(':');
  if (colon == absl::string_view::npos) return std::nullopt;
  const absl::string_view code = account.substr(0, colon);
  for (const AccountType& type : ChartOfAccounts()) {
    if (type.code != code) continue;
    if (!OwnerMatches(type.owner, account.substr(colon + 1))) break;
    return type;
  }
  return std::nullopt;
}

absl::Status CheckChartAccounts(const Entry& entry) {
  for (const Posting& posting : entry.postings) {
    if (!AccountTypeOf(posting.account).has_value()) {
      return absl::InternalError(
          absl::StrCat("ledger account \"", absl::CEscape(posting.account),
                       "\" is not in finance's chart of accounts"));
    }
  }
  return absl::OkStatus();
}

}  // namespace unionhub::finance::domain
