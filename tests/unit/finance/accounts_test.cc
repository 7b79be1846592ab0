// The chart of accounts: account names are stored in the ledger and covered
// by its seal hashes, so the table pins them exactly.
#include "services/finance/domain/accounts.h"

#include <set>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/finance/domain/postings.h"

namespace unionhub::finance::domain {
namespace {

using ::testing::HasSubstr;

TEST(ChartOfAccountsTest, CodesAreUniqueAndPlain) {
  std::set<std::string> codes;
  for (const AccountType& type : ChartOfAccounts()) {
    EXPECT_TRUE(codes.insert(std::string(type.code)).second) << type.code;
    EXPECT_FALSE(type.code.empty());
    EXPECT_EQ(type.code.find_first_of(":/ "), absl::string_view::npos)
        << type.code;
  }
}

// The names the ledger already holds; renaming one would orphan its
// history.
TEST(ChartOfAccountsTest, NamesAreTheOnesTheLedgerHolds) {
  EXPECT_EQ(AccountName(accounts::kCash, 9), "cash:org/9");
  EXPECT_EQ(AccountName(accounts::kDuesReceivable, 7), "dues_receivable:org/7");
  EXPECT_EQ(AccountName(accounts::kDuesIncome, 7), "dues_income:org/7");
  EXPECT_EQ(AccountName(accounts::kMemberCredit, 7), "member_credit:org/7");
  EXPECT_EQ(AccountName(accounts::kDuesSuspense, 7), "dues_suspense:org/7");
  EXPECT_EQ(AccountName(accounts::kPayableToEmployer, 7),
            "payable_to_employer:org/7");
  EXPECT_EQ(AccountName(accounts::kFundsReceivable, 12),
            "funds_receivable:employer/12");
  EXPECT_EQ(AccountName(accounts::kFundsRevenue, 7), "funds_revenue:org/7");
  EXPECT_EQ(AccountName(accounts::kPreparationFund, 7),
            "preparation_fund:org/7");
  EXPECT_EQ(AccountName(accounts::kPreparationFundHeld, 7),
            "preparation_fund_held:org/7");
  EXPECT_EQ(UpwardAccount("320000", "national"),
            "funds_upward:province/320000/national");
  EXPECT_EQ(ExpenseAccount(v1::SPENDING_CATEGORY_HARDSHIP_AID, 23),
            "expense.hardship_aid:org/23");
}

TEST(ChartOfAccountsTest, EveryNameBuiltFromTheChartIsKnownWithItsKind) {
  for (const AccountType& type : ChartOfAccounts()) {
    const std::string name = type.owner == AccountOwner::kProvinceLevel
                                 ? UpwardAccount("110000", "municipal")
                                 : AccountName(type, 42);
    std::optional<AccountType> parsed = AccountTypeOf(name);
    ASSERT_TRUE(parsed.has_value()) << name;
    EXPECT_EQ(parsed->code, type.code);
    EXPECT_EQ(parsed->kind, type.kind) << name;
    EXPECT_EQ(parsed->owner, type.owner) << name;
  }
}

TEST(ChartOfAccountsTest, EverySpendingCategoryHasAnExpenseAccount) {
  const auto* categories = v1::SpendingCategory_descriptor();
  for (int i = 0; i < categories->value_count(); ++i) {
    const int number = categories->value(i)->number();
    std::optional<AccountType> type = AccountTypeOf(ExpenseAccount(number, 5));
    if (number == v1::SPENDING_CATEGORY_UNSPECIFIED) {
      EXPECT_FALSE(type.has_value());
      continue;
    }
    ASSERT_TRUE(type.has_value()) << categories->value(i)->name();
    EXPECT_EQ(type->kind, AccountKind::kExpense);
  }
  EXPECT_FALSE(AccountTypeOf(ExpenseAccount(999, 5)).has_value());
}

TEST(ChartOfAccountsTest, UnknownCodesAndWrongOwnersAreNotAccounts) {
  for (const char* name :
       {"", "cash", "cash:", "cash:org/", "cash:org/0", "cash:org/-1",
        "cash:org/+1", "cash:org/ 1", "cash:org/1x", "cash:employer/1",
        "funds_receivable:org/1", "funds_upward:org/1",
        "funds_upward:province/320000", "funds_upward:province//national",
        "funds_upward:province/320000/a/b", "other:org/1", "Cash:org/1",
        "expense.hospitality:employer/1", "expense.:org/1"}) {
    EXPECT_FALSE(AccountTypeOf(name).has_value()) << name;
  }
}

TEST(CheckChartAccountsTest, AssessmentPostingsBalanceOnKnownAccounts) {
  PostingSet set;
  set.Debit(AccountName(accounts::kDuesReceivable, 7), 2835);
  set.Credit(AccountName(accounts::kDuesIncome, 7), 2835);
  set.Debit(AccountName(accounts::kMemberCredit, 7), 100);
  set.Credit(AccountName(accounts::kDuesReceivable, 7), 100);
  Entry entry;
  entry.kind = "DUES_ASSESSED";
  entry.postings = set.Postings();
  EXPECT_TRUE(CheckBalanced(entry).ok());
  EXPECT_TRUE(CheckChartAccounts(entry).ok());
}

TEST(CheckChartAccountsTest, RefusesANameOutsideTheChart) {
  Entry entry;
  entry.kind = "TEST";
  entry.postings = {{"cash:org/1", 1}, {"other:org/1", -1}};
  ASSERT_TRUE(CheckBalanced(entry).ok());
  absl::Status status = CheckChartAccounts(entry);
  EXPECT_EQ(status.code(), absl::StatusCode::kInternal);
  EXPECT_THAT(std::string(status.message()), HasSubstr("\"other:org/1\""));
}

}  // namespace
}  // namespace unionhub::finance::domain
