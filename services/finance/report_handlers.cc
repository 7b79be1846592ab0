// The auditors' reports: collection, arrears and lapse candidates, funds
// reconciliation, spending. Read-only. Each report reads in one
// transaction so its parts (months, children, totals) come from the same
// snapshot. Subtree totals come from the rollups only (store/report_store.h).
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/core/dates.h"
#include "common/core/field_checks.h"
#include "common/core/money.h"
#include "common/db/sql.h"
#include "common/rpc/page_token.h"
#include "common/rpc/violations.h"
#include "services/finance/domain/arrears.h"
#include "services/finance/domain/audit_figures.h"
#include "services/finance/finance_service.h"
#include "services/finance/store/paths.h"
#include "services/finance/store/report_store.h"

namespace unionhub::finance {
namespace {

// Report totals add figures read from the rollups: a sum beyond int64 is
// refused (FAILED_PRECONDITION) rather than wrapped into a negative total.
struct CheckedSum {
  bool overflow = false;
  int64_t operator()(int64_t a, int64_t b) {
    if (!money::AddTo(&a, b)) overflow = true;
    return a;
  }
  absl::Status status() const {
    return overflow ? absl::FailedPreconditionError(
                          "a report total exceeds the largest amount that "
                          "can be represented")
                    : absl::OkStatus();
  }
};

using db::Connection;

// A report spans at most ten years: enough for any audit period, and it
// bounds the rows one call reads.
constexpr int kMaxMonthsAfterFrom = 120;

// Lapse candidates are found among members with at least this many open
// past charges, then confirmed by the arrears rule; one call examines at
// most this many of them before returning a (possibly short) page.
constexpr int kLapseScanBudget = 5000;
constexpr int kLapseBatch = 1000;

struct MonthRange {
  absl::CivilMonth from;
  absl::CivilMonth to;
  std::string from_text;
  std::string to_text;
};

MonthRange CheckMonthRange(const std::string& from, const std::string& to,
                           Violations& violations) {
  MonthRange range;
  bool ok = true;
  for (auto [text, field, out] :
       {std::make_tuple(&from, "from_month", &range.from),
        std::make_tuple(&to, "to_month", &range.to)}) {
    if (std::optional<absl::CivilMonth> month =
            fields::CheckMonth(*text, field, violations)) {
      *out = *month;
    } else {
      ok = false;
    }
  }
  if (ok && range.to < range.from) {
    violations.Add("to_month", "must not be before from_month",
                   reasons::kRangeReversed);
  } else if (ok && range.to - range.from > kMaxMonthsAfterFrom) {
    violations.Add("to_month",
                   absl::StrCat("must be at most ", kMaxMonthsAfterFrom,
                                " months after from_month"),
                   reasons::kRangeTooLong);
  }
  range.from_text = dates::FormatMonth(range.from);
  range.to_text = dates::FormatMonth(range.to);
  return range;
}

struct OrgRef {
  std::string path;
  std::string name;
};

absl::StatusOr<OrgRef> LoadOrg(Connection& conn, int64_t org_id) {
  absl::StatusOr<std::string> path = store::OrgPath(conn, org_id);
  if (!path.ok()) return path.status();
  OrgRef ref{*path, ""};
  auto rs =
      db::Query(conn, "SELECT name FROM roster_orgs WHERE org_id = ?", org_id);
  if (rs->next()) ref.name = db::GetString(*rs, "name");
  return ref;
}

void SetRate(v1::CollectionFigures& f) {
  f.set_collection_rate_bp(domain::CollectionRateBp(f.paid_fen(), f.due_fen()));
}

// The standing of each of `member_ids` (ascending) from their past charges
// in the subtree, in the same order. The lists answer "what is owed to this
// subtree", so charges a member ran up elsewhere before a transfer are not
// counted here (GetDuesStanding gives the member's whole standing).
std::vector<v1::ArrearsEntry> EvaluateMembers(
    Connection& conn, const std::vector<int64_t>& member_ids,
    const std::string& pattern, absl::CivilMonth current) {
  const std::string before = dates::FormatMonth(current);
  std::vector<store::ChargeRow> charges =
      store::SubtreeCharges(conn, member_ids, pattern, before);
  std::map<int64_t, std::string> names = store::MemberNames(conn, member_ids);
  std::vector<v1::ArrearsEntry> out;
  size_t next = 0;
  for (int64_t member_id : member_ids) {
    std::vector<domain::MonthStanding> months;
    v1::ArrearsEntry entry;
    entry.set_member_id(member_id);
    auto name = names.find(member_id);
    if (name != names.end()) entry.set_name(name->second);
    for (; next < charges.size() && charges[next].member_id == member_id;
         ++next) {
      const store::ChargeRow& c = charges[next];
      absl::StatusOr<absl::CivilMonth> month = dates::ParseMonth(c.month);
      if (!month.ok()) continue;
      months.push_back({*month, c.due, c.paid});
      entry.set_org_id(c.org_id);  // charges are in month order: the latest
      if (c.due > c.paid && entry.oldest_open_month().empty()) {
        entry.set_oldest_open_month(c.month);
      }
    }
    const domain::Standing standing = domain::Evaluate(months, current);
    entry.set_months_in_arrears(standing.months_in_arrears);
    entry.set_longest_consecutive_unpaid(standing.longest_consecutive_unpaid);
    entry.set_outstanding_fen(standing.outstanding);
    entry.set_lapse_candidate(standing.lapse_candidate);
    out.push_back(std::move(entry));
  }
  return out;
}

}  // namespace

absl::Status AuditServiceImpl::DoGetCollectionReport(
    const rpc::Caller&, const v1::GetCollectionReportRequest& req,
    v1::GetCollectionReportResponse* resp) {
  Violations violations;
  fields::CheckOrgId(req.org_id(), violations);
  const MonthRange range =
      CheckMonthRange(req.from_month(), req.to_month(), violations);
  if (!violations.empty()) return violations.ToStatus();

  return pool_.InTransaction([&](Connection& conn) -> absl::Status {
    resp->Clear();
    absl::StatusOr<OrgRef> org = LoadOrg(conn, req.org_id());
    if (!org.ok()) return org.status();
    resp->set_org_id(req.org_id());
    resp->set_org_name(org->name);
    store::CollectionRows rows = store::LoadCollectionRows(
        conn, req.org_id(), org->name, range.from_text, range.to_text);
    v1::CollectionFigures* total = resp->mutable_total();
    CheckedSum add;
    for (v1::CollectionFigures& m : rows.by_month) {
      total->set_due_fen(add(total->due_fen(), m.due_fen()));
      total->set_paid_fen(add(total->paid_fen(), m.paid_fen()));
      total->set_members_charged(
          add(total->members_charged(), m.members_charged()));
      total->set_members_paid(add(total->members_paid(), m.members_paid()));
      SetRate(m);
      *resp->add_by_month() = std::move(m);
    }
    if (!add.overflow) SetRate(*total);
    if (absl::Status sum = add.status(); !sum.ok()) return sum;
    for (v1::CollectionFigures& f : rows.by_child) {
      SetRate(f);
      *resp->add_by_child() = std::move(f);
    }
    for (v1::CollectionFigures& f : rows.by_child_month) {
      SetRate(f);
      *resp->add_by_child_month() = std::move(f);
    }
    for (v1::CollectionFigures& f : rows.own_by_month) {
      SetRate(f);
      *resp->add_own_by_month() = std::move(f);
    }
    return absl::OkStatus();
  });
}

absl::Status AuditServiceImpl::DoListArrears(const rpc::Caller&,
                                             const v1::ListArrearsRequest& req,
                                             v1::ListArrearsResponse* resp) {
  Violations violations;
  fields::CheckOrgId(req.org_id(), violations);
  if (req.min_months() < 0) {
    violations.Add("min_months", "must be >= 0 (0 means the default of 1)");
  }
  const rpc::Page page = rpc::ReadPage(req, violations);
  if (!violations.empty()) return violations.ToStatus();
  const int64_t min_months = req.min_months() == 0 ? 1 : req.min_months();
  const absl::CivilMonth current(clock_.Today());

  return pool_.InTransaction([&](Connection& conn) -> absl::Status {
    resp->Clear();
    resp->set_as_of_month(dates::FormatMonth(current));
    absl::StatusOr<std::string> subtree =
        store::SubtreePatternOf(conn, req.org_id());
    if (!subtree.ok()) return subtree.status();
    const std::string& pattern = *subtree;
    std::vector<int64_t> ids = store::MembersWithOpenCharges(
        conn, pattern, dates::FormatMonth(current), page.after, min_months,
        page.fetch());
    const bool more = page.Trim(ids);
    for (v1::ArrearsEntry& e : EvaluateMembers(conn, ids, pattern, current)) {
      *resp->add_entries() = std::move(e);
    }
    if (more) {
      resp->set_next_page_token(page.NextToken(ids.back()));
    }
    return absl::OkStatus();
  });
}

// Candidates are members with at least six open past charges in the
// subtree; the arrears rule then keeps those whose latest run is six or
// more (six unpaid months broken by a paid one are arrears, not a lapse).
// So a page may be shorter than page_size, even empty, and still carry a
// next_page_token: one call examines at most kLapseScanBudget candidates.
// The list has ended only when next_page_token is empty.
absl::Status AuditServiceImpl::DoListLapseCandidates(
    const rpc::Caller&, const v1::ListLapseCandidatesRequest& req,
    v1::ListLapseCandidatesResponse* resp) {
  Violations violations;
  fields::CheckOrgId(req.org_id(), violations);
  const rpc::Page page = rpc::ReadPage(req, violations);
  if (!violations.empty()) return violations.ToStatus();
  const absl::CivilMonth current(clock_.Today());
  // Each batch is one pass over the subtree's open charges (about half a
  // second for a whole province of a million members), so batches are
  // large: a page usually needs one.
  const int batch = std::max(page.fetch(), kLapseBatch);

  return pool_.InTransaction([&](Connection& conn) -> absl::Status {
    resp->Clear();
    resp->set_as_of_month(dates::FormatMonth(current));
    absl::StatusOr<std::string> subtree =
        store::SubtreePatternOf(conn, req.org_id());
    if (!subtree.ok()) return subtree.status();
    const std::string& pattern = *subtree;
    int64_t cursor = page.after;  // the last candidate examined
    int examined = 0;
    bool exhausted = false;
    while (resp->entries_size() < page.size && examined < kLapseScanBudget) {
      std::vector<int64_t> ids = store::MembersWithOpenCharges(
          conn, pattern, dates::FormatMonth(current), cursor,
          domain::kLapseAfterUnpaidMonths, batch);
      if (ids.empty()) {
        exhausted = true;
        break;
      }
      for (v1::ArrearsEntry& e : EvaluateMembers(conn, ids, pattern, current)) {
        if (resp->entries_size() == page.size) break;
        cursor = e.member_id();
        ++examined;
        if (e.lapse_candidate()) *resp->add_entries() = std::move(e);
      }
      if (static_cast<int>(ids.size()) < batch && cursor == ids.back()) {
        exhausted = true;
        break;
      }
    }
    if (!exhausted) {
      resp->set_next_page_token(page.NextToken(cursor));
    }
    return absl::OkStatus();
  });
}

absl::Status AuditServiceImpl::DoGetFundsReconciliation(
    const rpc::Caller&, const v1::GetFundsReconciliationRequest& req,
    v1::GetFundsReconciliationResponse* resp) {
  Violations violations;
  fields::CheckOrgId(req.org_id(), violations);
  const MonthRange range =
      CheckMonthRange(req.from_month(), req.to_month(), violations);
  const rpc::Page page = rpc::ReadPage(req, violations);
  if (!violations.empty()) return violations.ToStatus();

  return pool_.InTransaction([&](Connection& conn) -> absl::Status {
    resp->Clear();
    absl::StatusOr<std::string> pattern =
        store::SubtreePatternOf(conn, req.org_id());
    if (!pattern.ok()) return pattern.status();
    domain::FundsTotals sum;
    CheckedSum add;
    for (v1::FundsFigures& m : store::FundsByMonth(
             conn, req.org_id(), range.from_text, range.to_text)) {
      const domain::FundsTotals t = store::ToTotals(m);
      sum.declared_payroll = add(sum.declared_payroll, t.declared_payroll);
      sum.appropriation = add(sum.appropriation, t.appropriation);
      sum.collected = add(sum.collected, t.collected);
      sum.returned = add(sum.returned, t.returned);
      sum.upward = add(sum.upward, t.upward);
      sum.preparation_held = add(sum.preparation_held, t.preparation_held);
      sum.preparation_returned =
          add(sum.preparation_returned, t.preparation_returned);
      m.set_outstanding_fen(domain::Outstanding(t));
      *resp->add_by_month() = std::move(m);
    }
    if (absl::Status total = add.status(); !total.ok()) return total;
    v1::FundsFigures* total = resp->mutable_total();
    total->set_org_id(req.org_id());
    total->set_declared_payroll_fen(sum.declared_payroll);
    total->set_appropriation_fen(sum.appropriation);
    total->set_collected_fen(sum.collected);
    total->set_returned_fen(sum.returned);
    total->set_allocated_upward_fen(sum.upward);
    total->set_preparation_held_fen(sum.preparation_held);
    total->set_preparation_returned_fen(sum.preparation_returned);
    total->set_outstanding_fen(domain::Outstanding(sum));
    resp->set_balanced(domain::FundsBalanced(sum));
    for (v1::UpwardShare& s : store::UpwardByLevel(
             conn, req.org_id(), range.from_text, range.to_text)) {
      *resp->add_upward_by_level() = std::move(s);
    }
    std::vector<v1::FundsFigures> employers =
        store::FundsByEmployer(conn, *pattern, range.from_text, range.to_text,
                               page.after, page.fetch());
    const bool more = page.Trim(employers);
    for (v1::FundsFigures& e : employers) {
      e.set_outstanding_fen(domain::Outstanding(store::ToTotals(e)));
      *resp->add_employers() = std::move(e);
    }
    if (more) {
      resp->set_next_page_token(page.NextToken(
          resp->employers(resp->employers_size() - 1).employer_id()));
    }
    return absl::OkStatus();
  });
}

// Budgets count whole years: a report over 2025-03..2025-05 compares with
// the 2025 budgets of every org in the subtree.
absl::Status AuditServiceImpl::DoGetSpendingReport(
    const rpc::Caller&, const v1::GetSpendingReportRequest& req,
    v1::GetSpendingReportResponse* resp) {
  Violations violations;
  fields::CheckOrgId(req.org_id(), violations);
  const MonthRange range =
      CheckMonthRange(req.from_month(), req.to_month(), violations);
  if (!violations.empty()) return violations.ToStatus();

  return pool_.InTransaction([&](Connection& conn) -> absl::Status {
    resp->Clear();
    absl::StatusOr<std::string> pattern =
        store::SubtreePatternOf(conn, req.org_id());
    if (!pattern.ok()) return pattern.status();
    std::map<int, v1::SpendingFigures> by_category;
    for (const store::SpendingRow& row : store::SpendingByCategory(
             conn, req.org_id(), range.from_text, range.to_text)) {
      v1::SpendingFigures& f = by_category[row.category];
      f.set_amount_fen(row.amount);
      f.set_front_line_fen(row.front_line);
      f.set_expenses(row.expenses);
    }
    const std::vector<int> years = domain::YearsCovered(range.from, range.to);
    for (const auto& [category, budget] :
         store::SubtreeBudgets(conn, *pattern, years.front(), years.back())) {
      by_category[category].set_budget_fen(budget);
    }
    CheckedSum add;
    for (auto& [category, f] : by_category) {
      f.set_category(static_cast<v1::SpendingCategory>(category));
      f.set_flagged(domain::IsFlaggedCategory(category));
      resp->set_total_fen(add(resp->total_fen(), f.amount_fen()));
      resp->set_front_line_fen(add(resp->front_line_fen(), f.front_line_fen()));
      if (f.flagged()) {
        resp->set_flagged_fen(add(resp->flagged_fen(), f.amount_fen()));
        resp->set_flagged_expenses(add(resp->flagged_expenses(), f.expenses()));
      }
      *resp->add_by_category() = std::move(f);
    }
    if (absl::Status total = add.status(); !total.ok()) return total;
    resp->set_front_line_share_bp(
        domain::ShareBp(resp->front_line_fen(), resp->total_fen()));
    return absl::OkStatus();
  });
}

}  // namespace unionhub::finance
