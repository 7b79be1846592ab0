// Spending and budgets: expenses with their ledger entries and subtree
// rollups, budgets per org, year and category, and the org's own budget
// execution.
#include <gtest/gtest.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "tests/service/finance_funds_helpers.h"

namespace unionhub::testing {
namespace {

fv1::SetBudgetRequest BudgetRequest(int64_t org, int year,
                                    fv1::SpendingCategory category,
                                    int64_t amount_fen) {
  fv1::SetBudgetRequest req;
  req.set_request_id(NewRequestId());
  req.set_org_id(org);
  req.set_year(year);
  req.set_category(category);
  req.set_amount_fen(amount_fen);
  return req;
}

fv1::GetBudgetExecutionResponse Execution(FinanceServer& server, int64_t org,
                                          int year) {
  fv1::GetBudgetExecutionRequest req;
  req.set_org_id(org);
  req.set_year(year);
  return MustRpc(server.finance(), &FStub::GetBudgetExecution, req,
                 "GetBudgetExecution");
}

const fv1::BudgetLine* LineOf(const fv1::GetBudgetExecutionResponse& resp,
                              fv1::SpendingCategory category) {
  for (const fv1::BudgetLine& line : resp.lines()) {
    if (line.category() == category) return &line;
  }
  return nullptr;
}

std::vector<std::string> SortedBadFields(const grpc::Status& status) {
  std::vector<std::string> fields = BadFields(status);
  std::sort(fields.begin(), fields.end());
  return fields;
}

TEST(FinanceSpending, ExpensesPostToTheLedgerAndTheSubtreeRollup) {
  FinanceServer server("spending_record");
  FundsCounty c = BuildFundsCounty(server);
  fv1::RecordExpenseRequest req =
      ExpenseRequest(c.union_a1.org_id(), 300000,
                     fv1::SPENDING_CATEGORY_HARDSHIP_AID, "2025-01-20", true);
  fv1::RecordExpenseResponse first =
      MustRpc(server.finance(), &FStub::RecordExpense, req, "expense");
  const fv1::Expense& e = first.expense();
  EXPECT_GT(e.expense_id(), 0);
  EXPECT_EQ(e.spent_on(), "2025-01-20");
  EXPECT_EQ(e.payee(), "困难职工张某");
  EXPECT_TRUE(e.has_create_time());
  const fv1::LedgerEntry entry = MustGetEntry(server, e.entry_id());
  EXPECT_EQ(entry.kind(), "EXPENSE");
  EXPECT_EQ(PostingOf(entry, absl::StrCat("expense.hardship_aid:org/",
                                          c.union_a1.org_id())),
            300000);
  EXPECT_EQ(PostingOf(entry, absl::StrCat("cash:org/", c.union_a1.org_id())),
            -300000);

  // A retry: the same answer, nothing new.
  EXPECT_EQ(MustRpc(server.finance(), &FStub::RecordExpense, req, "retry")
                .SerializeAsString(),
            first.SerializeAsString());
  EXPECT_EQ(Sql(server, "SELECT COUNT(*) FROM expenses"), "1");
  EXPECT_EQ(Sql(server, "SELECT COUNT(*) FROM ledger_entries"), "1");

  // Hospitality at the township, not for front-line workers.
  MustRpc(
      server.finance(), &FStub::RecordExpense,
      ExpenseRequest(c.township_a.org_id(), 8800,
                     fv1::SPENDING_CATEGORY_HOSPITALITY, "2025-01-31", false),
      "hospitality");
  MustRpc(
      server.finance(), &FStub::RecordExpense,
      ExpenseRequest(c.union_a1.org_id(), 1000,
                     fv1::SPENDING_CATEGORY_HARDSHIP_AID, "2025-02-01", false),
      "february");
  auto rollup = [&](int64_t org, const std::string& month, int category,
                    const std::string& column) {
    // `column` is a column name written in this file, never data.
    return SqlInt(server,
                  absl::StrCat("SELECT ", column,
                               " FROM spending_rollup WHERE org_id = ? AND "
                               "month = ? AND category = ?"),
                  org, month, category);
  };
  const int aid = fv1::SPENDING_CATEGORY_HARDSHIP_AID;
  const int hospitality = fv1::SPENDING_CATEGORY_HOSPITALITY;
  for (int64_t org :
       {c.union_a1.org_id(), c.township_a.org_id(), c.county.org_id()}) {
    EXPECT_EQ(rollup(org, "2025-01", aid, "amount_fen"), 300000);
    EXPECT_EQ(rollup(org, "2025-01", aid, "front_line_fen"), 300000);
    EXPECT_EQ(rollup(org, "2025-01", aid, "expenses"), 1);
    EXPECT_EQ(rollup(org, "2025-02", aid, "amount_fen"), 1000);
    EXPECT_EQ(rollup(org, "2025-02", aid, "front_line_fen"), 0);
  }
  EXPECT_EQ(rollup(c.union_a1.org_id(), "2025-01", hospitality, "expenses"), 0);
  EXPECT_EQ(rollup(c.township_a.org_id(), "2025-01", hospitality, "amount_fen"),
            8800);
  EXPECT_EQ(rollup(c.county.org_id(), "2025-01", hospitality, "expenses"), 1);
  EXPECT_EQ(rollup(c.township_b.org_id(), "2025-01", aid, "expenses"), 0);
  ExpectLedgerBalanced(server);
}

TEST(FinanceSpending, ExpenseValidationNamesEveryField) {
  FinanceServer server("spending_invalid");
  FundsCounty c = BuildFundsCounty(server);
  fv1::RecordExpenseRequest bad;
  bad.set_amount_fen(0);
  bad.set_spent_on("2999-12-31");
  bad.set_description(std::string(513, 'x'));
  fv1::RecordExpenseResponse resp;
  grpc::Status status =
      Rpc(server.finance(), &FStub::RecordExpense, bad, &resp);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(SortedBadFields(status),
            (std::vector<std::string>{"amount_fen", "approval_reference",
                                      "category", "description", "org_id",
                                      "payee", "request_id", "spent_on"}));
  fv1::RecordExpenseRequest req = ExpenseRequest(c.union_a1.org_id(), 100);
  req.set_spent_on("2025-02-30");
  req.set_payee(std::string(129, 'p'));
  req.set_category(static_cast<fv1::SpendingCategory>(99));
  status = Rpc(server.finance(), &FStub::RecordExpense, req, &resp);
  EXPECT_EQ(SortedBadFields(status),
            (std::vector<std::string>{"category", "payee", "spent_on"}));
  // 128 Chinese characters are 128 characters, not 384 bytes.
  req = ExpenseRequest(c.union_a1.org_id(), 100);
  std::string payee;
  for (int i = 0; i < 128; ++i) payee += "工";
  req.set_payee(payee);
  req.clear_spent_on();  // today
  fv1::RecordExpenseResponse ok =
      MustRpc(server.finance(), &FStub::RecordExpense, req, "long payee");
  EXPECT_EQ(ok.expense().payee(), payee);
  EXPECT_FALSE(ok.expense().spent_on().empty());
  // An org finance has not heard of.
  status = Rpc(server.finance(), &FStub::RecordExpense,
               ExpenseRequest(987654, 100), &resp);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Sql(server, "SELECT COUNT(*) FROM expenses"), "1");
}

TEST(FinanceSpending, BudgetExecutionIsTheOrgsOwn) {
  FinanceServer server("spending_budget");
  FundsCounty c = BuildFundsCounty(server);
  const int64_t a1 = c.union_a1.org_id();

  fv1::SetBudgetResponse resp;
  grpc::Status status = Rpc(
      server.finance(), &FStub::SetBudget,
      BudgetRequest(0, 1999, fv1::SPENDING_CATEGORY_UNSPECIFIED, -1), &resp);
  EXPECT_EQ(
      SortedBadFields(status),
      (std::vector<std::string>{"amount_fen", "category", "org_id", "year"}));
  EXPECT_EQ(Rpc(server.finance(), &FStub::SetBudget,
                BudgetRequest(987654, 2025, fv1::SPENDING_CATEGORY_TRAINING, 1),
                &resp)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);

  // Budgets: aid 3 yuan then replaced by 300 yuan; training 1,000 yuan;
  // culture 0.
  MustRpc(server.finance(), &FStub::SetBudget,
          BudgetRequest(a1, 2025, fv1::SPENDING_CATEGORY_HARDSHIP_AID, 300),
          "aid");
  fv1::SetBudgetRequest replace =
      BudgetRequest(a1, 2025, fv1::SPENDING_CATEGORY_HARDSHIP_AID, 30000);
  fv1::SetBudgetResponse replaced =
      MustRpc(server.finance(), &FStub::SetBudget, replace, "aid again");
  EXPECT_EQ(replaced.amount_fen(), 30000);
  EXPECT_EQ(MustRpc(server.finance(), &FStub::SetBudget, replace, "retry")
                .SerializeAsString(),
            replaced.SerializeAsString());
  MustRpc(server.finance(), &FStub::SetBudget,
          BudgetRequest(a1, 2025, fv1::SPENDING_CATEGORY_TRAINING, 100000),
          "training");
  MustRpc(server.finance(), &FStub::SetBudget,
          BudgetRequest(a1, 2025, fv1::SPENDING_CATEGORY_STAFF_CULTURE, 0),
          "culture");
  MustRpc(server.finance(), &FStub::SetBudget,
          BudgetRequest(a1, 2024, fv1::SPENDING_CATEGORY_TRAINING, 999),
          "last year");
  EXPECT_EQ(Sql(server, "SELECT COUNT(*) FROM budgets"), "4");

  // Spending: aid 100 + 200 + 45.67 yuan (overspent), training 333.33
  // yuan, meetings without a budget; the parent township's spending and
  // another year's do not count.
  auto spend = [&](int64_t org, fv1::SpendingCategory category, int64_t amount,
                   const std::string& on) {
    MustRpc(server.finance(), &FStub::RecordExpense,
            ExpenseRequest(org, amount, category, on), "spend");
  };
  spend(a1, fv1::SPENDING_CATEGORY_HARDSHIP_AID, 10000, "2025-01-05");
  spend(a1, fv1::SPENDING_CATEGORY_HARDSHIP_AID, 20000, "2025-06-30");
  spend(a1, fv1::SPENDING_CATEGORY_HARDSHIP_AID, 4567, "2025-07-01");
  spend(a1, fv1::SPENDING_CATEGORY_TRAINING, 33333, "2025-03-03");
  spend(a1, fv1::SPENDING_CATEGORY_MEETINGS, 5000, "2025-04-04");
  spend(a1, fv1::SPENDING_CATEGORY_TRAINING, 77777, "2024-12-31");
  spend(c.township_a.org_id(), fv1::SPENDING_CATEGORY_TRAINING, 55555,
        "2025-03-03");

  fv1::GetBudgetExecutionResponse exec = Execution(server, a1, 2025);
  EXPECT_EQ(exec.org_id(), a1);
  EXPECT_EQ(exec.year(), 2025);
  ASSERT_EQ(exec.lines_size(), 4);  // culture, aid, training, meetings
  const fv1::BudgetLine* aid =
      LineOf(exec, fv1::SPENDING_CATEGORY_HARDSHIP_AID);
  ASSERT_NE(aid, nullptr);
  EXPECT_EQ(aid->budget_fen(), 30000);
  EXPECT_EQ(aid->actual_fen(), 34567);
  EXPECT_EQ(aid->remaining_fen(), -4567);
  EXPECT_EQ(aid->execution_bp(), 11522);  // 115.2233 %
  const fv1::BudgetLine* training =
      LineOf(exec, fv1::SPENDING_CATEGORY_TRAINING);
  ASSERT_NE(training, nullptr);
  EXPECT_EQ(training->actual_fen(), 33333);
  EXPECT_EQ(training->remaining_fen(), 66667);
  EXPECT_EQ(training->execution_bp(), 3333);
  const fv1::BudgetLine* meetings =
      LineOf(exec, fv1::SPENDING_CATEGORY_MEETINGS);
  ASSERT_NE(meetings, nullptr);
  EXPECT_EQ(meetings->budget_fen(), 0);
  EXPECT_EQ(meetings->execution_bp(), 0);
  EXPECT_EQ(meetings->remaining_fen(), -5000);
  const fv1::BudgetLine* culture =
      LineOf(exec, fv1::SPENDING_CATEGORY_STAFF_CULTURE);
  ASSERT_NE(culture, nullptr);
  EXPECT_EQ(culture->actual_fen(), 0);
  EXPECT_EQ(exec.total().budget_fen(), 130000);
  EXPECT_EQ(exec.total().actual_fen(), 72900);
  EXPECT_EQ(exec.total().remaining_fen(), 57100);
  EXPECT_EQ(exec.total().execution_bp(), 5608);  // 56.0769 %
  // Lines come in category order.
  for (int i = 1; i < exec.lines_size(); ++i) {
    EXPECT_LT(exec.lines(i - 1).category(), exec.lines(i).category());
  }

  fv1::GetBudgetExecutionResponse last = Execution(server, a1, 2024);
  ASSERT_EQ(last.lines_size(), 1);
  EXPECT_EQ(last.lines(0).actual_fen(), 77777);
  EXPECT_EQ(last.lines(0).execution_bp(), 778549);  // 7785.485 %
  EXPECT_EQ(Execution(server, c.township_b.org_id(), 2025).lines_size(), 0);

  fv1::GetBudgetExecutionRequest bad;
  bad.set_year(2101);
  fv1::GetBudgetExecutionResponse bad_resp;
  EXPECT_EQ(SortedBadFields(Rpc(server.finance(), &FStub::GetBudgetExecution,
                                bad, &bad_resp)),
            (std::vector<std::string>{"org_id", "year"}));
}

}  // namespace
}  // namespace unionhub::testing
