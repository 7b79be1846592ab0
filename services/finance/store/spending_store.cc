#include "services/finance/store/spending_store.h"

#include "absl/strings/str_cat.h"
#include "common/db/sql.h"

namespace unionhub::finance::store {

void InsertExpense(db::Connection& conn, ExpenseRow& e) {
  db::Execute(conn,
              "INSERT INTO expenses (org_id, org_path, category, amount_fen, "
              "front_line, payee, approval_reference, spent_on, description, "
              "entry_id, request_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
              e.org_id, e.org_path, e.category, e.amount_fen, e.front_line,
              e.payee, e.approval_reference, e.spent_on, e.description,
              e.entry_id, e.request_id);
  e.expense_id = db::LastInsertId(conn);
  auto rs =
      db::Query(conn, "SELECT created_at FROM expenses WHERE expense_id = ?",
                e.expense_id);
  if (rs->next()) e.created_at = db::GetString(*rs, "created_at");
}

void AddToSpendingRollup(db::Connection& conn,
                         const std::vector<int64_t>& org_ids,
                         const std::string& month, int category,
                         int64_t amount_fen, bool front_line) {
  if (org_ids.empty()) return;
  sql::PreparedStatement& ps = conn.Prepare(absl::StrCat(
      "INSERT INTO spending_rollup (org_id, month, category, amount_fen, "
      "front_line_fen, expenses) VALUES ",
      db::Placeholders(static_cast<int>(org_ids.size()), 6),
      " ON DUPLICATE KEY UPDATE amount_fen = amount_fen + VALUES(amount_fen), "
      "front_line_fen = front_line_fen + VALUES(front_line_fen), "
      "expenses = expenses + VALUES(expenses)"));
  db::Binder binder(ps);
  for (int64_t id : org_ids) {
    binder.Add(id)
        .Add(month)
        .Add(category)
        .Add(amount_fen)
        .Add(front_line ? amount_fen : int64_t{0})
        .Add(int64_t{1});
  }
  ps.executeUpdate();
}

void UpsertBudget(db::Connection& conn, int64_t org_id, int year, int category,
                  int64_t amount_fen) {
  db::Execute(conn,
              "INSERT INTO budgets (org_id, year, category, amount_fen) "
              "VALUES (?, ?, ?, ?) ON DUPLICATE KEY UPDATE "
              "amount_fen = VALUES(amount_fen), "
              "updated_at = CURRENT_TIMESTAMP(6)",
              org_id, year, category, amount_fen);
}

std::map<int, int64_t> BudgetsOf(db::Connection& conn, int64_t org_id,
                                 int year) {
  std::map<int, int64_t> out;
  auto rs = db::Query(conn,
                      "SELECT category, amount_fen FROM budgets "
                      "WHERE org_id = ? AND year = ?",
                      org_id, year);
  while (rs->next()) {
    out[static_cast<int>(db::GetInt64(*rs, "category"))] =
        db::GetInt64(*rs, "amount_fen");
  }
  return out;
}

std::map<int, int64_t> SpendingOf(db::Connection& conn, int64_t org_id,
                                  int year) {
  std::map<int, int64_t> out;
  // The index (org_id, spent_on) bounds this to the org's own year.
  auto rs = db::Query(
      conn,
      "SELECT category, CAST(SUM(amount_fen) AS SIGNED) AS total "
      "FROM expenses WHERE org_id = ? AND spent_on BETWEEN ? AND ? "
      "GROUP BY category",
      org_id, absl::StrCat(year, "-01-01"), absl::StrCat(year, "-12-31"));
  while (rs->next()) {
    out[static_cast<int>(db::GetInt64(*rs, "category"))] =
        db::GetInt64(*rs, "total");
  }
  return out;
}

}  // namespace unionhub::finance::store
