// Spending (expenses by the union accounting categories) and budgets.
#include <set>

#include "absl/strings/str_cat.h"
#include "common/core/dates.h"
#include "common/core/field_checks.h"
#include "common/core/money.h"
#include "common/core/text.h"
#include "common/db/timestamps.h"
#include "common/rpc/idempotent.h"
#include "common/rpc/violations.h"
#include "services/finance/domain/accounts.h"
#include "services/finance/finance_service.h"
#include "services/finance/store/ledger_store.h"
#include "services/finance/store/paths.h"
#include "services/finance/store/spending_store.h"

namespace unionhub::finance {
namespace {

using db::Connection;

constexpr text::TextRule kPayeeRule{.min_chars = 1, .max_chars = 128};
constexpr text::TextRule kReferenceRule{.min_chars = 1, .max_chars = 128};
constexpr text::TextRule kDescriptionRule{
    .min_chars = 0, .max_chars = 512, .allow_newlines = true};

void CheckCategory(v1::SpendingCategory category, absl::string_view field,
                   Violations& violations) {
  if (category == v1::SPENDING_CATEGORY_UNSPECIFIED ||
      !v1::SpendingCategory_IsValid(category)) {
    violations.Add(field, "required: one of the spending categories");
  }
}

v1::BudgetLine Line(v1::SpendingCategory category, int64_t budget,
                    int64_t actual) {
  v1::BudgetLine line;
  line.set_category(category);
  line.set_budget_fen(budget);
  line.set_actual_fen(actual);
  line.set_remaining_fen(budget - actual);
  line.set_execution_bp(budget > 0 ? money::RatioBasisPoints(actual, budget)
                                   : 0);
  return line;
}

}  // namespace

absl::Status FinanceServiceImpl::DoRecordExpense(
    const rpc::Caller&, const v1::RecordExpenseRequest& req,
    v1::RecordExpenseResponse* resp) {
  Violations violations;
  rpc::CheckRequestId(req.request_id(), violations);
  fields::CheckId(req.org_id(), "org_id", violations);
  CheckCategory(req.category(), "category", violations);
  money::CheckAmount(req.amount_fen(), 1, money::kMaxAmountFen, "amount_fen",
                     violations);
  text::Check(req.payee(), "payee", kPayeeRule, violations);
  text::Check(req.approval_reference(), "approval_reference", kReferenceRule,
              violations);
  text::Check(req.description(), "description", kDescriptionRule, violations);
  const absl::CivilDay today = clock_.Today();
  const absl::CivilDay spent_on = fields::CheckPastDateOrToday(
      req.spent_on(), "spent_on", today, violations);
  if (!violations.empty()) return violations.ToStatus();

  return rpc::RunIdempotent<v1::RecordExpenseResponse>(
      pool_, "RecordExpense", req.request_id(), req, resp,
      [&](Connection& conn, v1::RecordExpenseResponse* out) -> absl::Status {
        absl::StatusOr<std::string> path = store::OrgPath(conn, req.org_id());
        if (!path.ok()) return path.status();
        store::ExpenseRow e;
        e.org_id = req.org_id();
        e.org_path = *path;
        e.category = req.category();
        e.amount_fen = req.amount_fen();
        e.front_line = req.front_line_beneficiary();
        e.payee = req.payee();
        e.approval_reference = req.approval_reference();
        e.spent_on = dates::FormatDate(spent_on);
        e.description = req.description();
        e.request_id = req.request_id();

        store::AddToSpendingRollup(
            conn, store::PathIds(*path),
            dates::FormatMonth(absl::CivilMonth(spent_on)), e.category,
            e.amount_fen, e.front_line);
        domain::Entry entry;
        entry.kind = store::kExpense;
        entry.memo = absl::StrCat(v1::SpendingCategory_Name(req.category()),
                                  " paid to ", e.payee, " on ", e.spent_on,
                                  " (approval ", e.approval_reference, ")");
        entry.postings = {
            {domain::ExpenseAccount(e.category, e.org_id), e.amount_fen},
            {domain::AccountName(domain::accounts::kCash, e.org_id),
             -e.amount_fen}};
        absl::StatusOr<domain::Entry> posted =
            store::PostEntry(conn, std::move(entry), req.request_id());
        if (!posted.ok()) return posted.status();
        e.entry_id = posted->entry_id;
        store::InsertExpense(conn, e);

        v1::Expense* x = out->mutable_expense();
        x->set_expense_id(e.expense_id);
        x->set_org_id(e.org_id);
        x->set_category(req.category());
        x->set_amount_fen(e.amount_fen);
        x->set_front_line_beneficiary(e.front_line);
        x->set_payee(e.payee);
        x->set_approval_reference(e.approval_reference);
        x->set_spent_on(e.spent_on);
        x->set_description(e.description);
        x->set_entry_id(e.entry_id);
        db::SetFromDbTimestamp(e.created_at, x->mutable_create_time());
        return absl::OkStatus();
      });
}

absl::Status FinanceServiceImpl::DoSetBudget(const rpc::Caller&,
                                             const v1::SetBudgetRequest& req,
                                             v1::SetBudgetResponse* resp) {
  Violations violations;
  rpc::CheckRequestId(req.request_id(), violations);
  fields::CheckId(req.org_id(), "org_id", violations);
  if (req.year() < 2000 || req.year() > 2100) {
    violations.Add("year", "must be between 2000 and 2100");
  }
  CheckCategory(req.category(), "category", violations);
  money::CheckAmount(req.amount_fen(), 0, money::kMaxAmountFen, "amount_fen",
                     violations);
  if (!violations.empty()) return violations.ToStatus();

  return rpc::RunIdempotent<v1::SetBudgetResponse>(
      pool_, "SetBudget", req.request_id(), req, resp,
      [&](Connection& conn, v1::SetBudgetResponse* out) -> absl::Status {
        absl::StatusOr<std::string> path = store::OrgPath(conn, req.org_id());
        if (!path.ok()) return path.status();
        store::UpsertBudget(conn, req.org_id(), req.year(), req.category(),
                            req.amount_fen());
        out->set_org_id(req.org_id());
        out->set_year(req.year());
        out->set_category(req.category());
        out->set_amount_fen(req.amount_fen());
        return absl::OkStatus();
      });
}

absl::Status FinanceServiceImpl::DoGetBudgetExecution(
    const rpc::Caller&, const v1::GetBudgetExecutionRequest& req,
    v1::GetBudgetExecutionResponse* resp) {
  Violations violations;
  fields::CheckId(req.org_id(), "org_id", violations);
  if (req.year() < 2000 || req.year() > 2100) {
    violations.Add("year", "must be between 2000 and 2100");
  }
  if (!violations.empty()) return violations.ToStatus();

  return pool_.Run([&](Connection& conn) -> absl::Status {
    absl::StatusOr<std::string> path = store::OrgPath(conn, req.org_id());
    if (!path.ok()) return path.status();
    const std::map<int, int64_t> budgets =
        store::BudgetsOf(conn, req.org_id(), req.year());
    const std::map<int, int64_t> actuals =
        store::SpendingOf(conn, req.org_id(), req.year());
    std::set<int> categories;
    for (const auto& [category, amount] : budgets) categories.insert(category);
    for (const auto& [category, amount] : actuals) categories.insert(category);
    resp->set_org_id(req.org_id());
    resp->set_year(req.year());
    int64_t total_budget = 0;
    int64_t total_actual = 0;
    for (int category : categories) {
      auto b = budgets.find(category);
      auto a = actuals.find(category);
      const int64_t budget = b == budgets.end() ? 0 : b->second;
      const int64_t actual = a == actuals.end() ? 0 : a->second;
      if (!money::AddTo(&total_budget, budget) ||
          !money::AddTo(&total_actual, actual)) {
        return absl::FailedPreconditionError(
            "the year's total budget or spending exceeds the largest amount "
            "that can be represented");
      }
      *resp->add_lines() =
          Line(static_cast<v1::SpendingCategory>(category), budget, actual);
    }
    *resp->mutable_total() =
        Line(v1::SPENDING_CATEGORY_UNSPECIFIED, total_budget, total_actual);
    return absl::OkStatus();
  });
}

}  // namespace unionhub::finance
