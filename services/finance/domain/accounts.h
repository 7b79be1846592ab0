// Finance's chart of accounts: every kind of ledger account the service
// posts to, with its accounting nature and whose account it is. A ledger
// account name is "<code>:<owner>", the owner "org/<id>", "employer/<id>" or
// "province/<code>/<level>"; the names are stored in ledger_postings and
// covered by the seal hashes, so they never change once used.
#ifndef UNIONHUB_SERVICES_FINANCE_DOMAIN_ACCOUNTS_H_
#define UNIONHUB_SERVICES_FINANCE_DOMAIN_ACCOUNTS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "services/finance/domain/ledger.h"
#include "unionhub/finance/v1/finance.pb.h"

namespace unionhub::finance::domain {

// Debit-normal (asset, expense) or credit-normal (liability, income).
enum class AccountKind { kAsset, kLiability, kIncome, kExpense };

enum class AccountOwner { kOrg, kEmployer, kProvinceLevel };

struct AccountType {
  absl::string_view code;
  AccountKind kind;
  AccountOwner owner;
};

namespace accounts {

inline constexpr AccountType kCash{"cash", AccountKind::kAsset,
                                   AccountOwner::kOrg};
// Dues charged and not yet paid.
inline constexpr AccountType kDuesReceivable{
    "dues_receivable", AccountKind::kAsset, AccountOwner::kOrg};
inline constexpr AccountType kDuesIncome{"dues_income", AccountKind::kIncome,
                                         AccountOwner::kOrg};
// Dues paid ahead: owed back to the members until a charge uses it.
inline constexpr AccountType kMemberCredit{
    "member_credit", AccountKind::kLiability, AccountOwner::kOrg};
// Payroll money received for no identifiable charge, until resolved.
inline constexpr AccountType kDuesSuspense{
    "dues_suspense", AccountKind::kLiability, AccountOwner::kOrg};
// Suspense money discarded: to be returned to the employer.
inline constexpr AccountType kPayableToEmployer{
    "payable_to_employer", AccountKind::kLiability, AccountOwner::kOrg};
// The 2 % union funds an employer declared and has not yet paid.
inline constexpr AccountType kFundsReceivable{
    "funds_receivable", AccountKind::kAsset, AccountOwner::kEmployer};
inline constexpr AccountType kFundsRevenue{
    "funds_revenue", AccountKind::kIncome, AccountOwner::kOrg};
// Funds declared for a union still being prepared: owed to the union it
// becomes.
inline constexpr AccountType kPreparationFund{
    "preparation_fund", AccountKind::kLiability, AccountOwner::kOrg};
// Preparation funds collected and held until the union is established.
inline constexpr AccountType kPreparationFundHeld{
    "preparation_fund_held", AccountKind::kAsset, AccountOwner::kOrg};
// The upper levels' shares of collected funds, per province and level.
inline constexpr AccountType kFundsUpward{"funds_upward", AccountKind::kAsset,
                                          AccountOwner::kProvinceLevel};

}  // namespace accounts

// Every account type: the ones above, then one expense account per
// spending category ("expense.<category>", e.g. "expense.hardship_aid").
const std::vector<AccountType>& ChartOfAccounts();

// "<code>:org/<id>" or "<code>:employer/<id>" as `type.owner` says; a
// province-level type has its own builder.
std::string AccountName(const AccountType& type, int64_t owner_id);

// "funds_upward:province/<province_code>/<level>".
std::string UpwardAccount(absl::string_view province_code,
                          absl::string_view level);

// The org's expense account for `category` (a v1::SpendingCategory; an
// unknown number gets "expense.<number>", which is not in the chart).
std::string ExpenseAccount(int category, int64_t org_id);

// The chart entry of a full account name whose owner has the form its type
// requires; nullopt for anything else.
std::optional<AccountType> AccountTypeOf(absl::string_view account);

// INTERNAL naming the first posting whose account is not in the chart: the
// service only ever builds names from the chart, so one that is not is a
// bug, and the ledger is append-only.
absl::Status CheckChartAccounts(const Entry& entry);

}  // namespace unionhub::finance::domain

#endif  // UNIONHUB_SERVICES_FINANCE_DOMAIN_ACCOUNTS_H_
