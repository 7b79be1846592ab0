// Expenses, the spending rollup and budgets in SQL.
#ifndef UNIONHUB_SERVICES_FINANCE_STORE_SPENDING_STORE_H_
#define UNIONHUB_SERVICES_FINANCE_STORE_SPENDING_STORE_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "common/db/pool.h"

namespace unionhub::finance::store {

struct ExpenseRow {
  int64_t expense_id = 0;
  int64_t org_id = 0;
  std::string org_path;
  int category = 0;
  int64_t amount_fen = 0;
  bool front_line = false;
  std::string payee;
  std::string approval_reference;
  std::string spent_on;  // YYYY-MM-DD
  std::string description;
  int64_t entry_id = 0;
  std::string request_id;
  std::string created_at;
};

// Sets expense_id and created_at.
void InsertExpense(db::Connection& conn, ExpenseRow& expense);

// Adds one expense to (org, month, category) for every org in `org_ids`.
void AddToSpendingRollup(db::Connection& conn,
                         const std::vector<int64_t>& org_ids,
                         const std::string& month, int category,
                         int64_t amount_fen, bool front_line);

// Inserts or replaces the figure.
void UpsertBudget(db::Connection& conn, int64_t org_id, int year, int category,
                  int64_t amount_fen);

// category -> amount, of the org itself (not its subtree).
std::map<int, int64_t> BudgetsOf(db::Connection& conn, int64_t org_id,
                                 int year);
std::map<int, int64_t> SpendingOf(db::Connection& conn, int64_t org_id,
                                  int year);

}  // namespace unionhub::finance::store

#endif  // UNIONHUB_SERVICES_FINANCE_STORE_SPENDING_STORE_H_
