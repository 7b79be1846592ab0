// What the auditors' reports read. Subtree totals come only from the
// rollups (collection_rollup, funds_rollup, funds_upward_rollup,
// spending_rollup), whose row for an org already holds its whole subtree,
// so a province-wide report reads a few hundred rows whatever the number
// of members. The arrears lists are per member by nature and page over
// the per-member arrears summary (arrears_store.h), then read the page's
// members' charges; the employer page of the
// funds reconciliation reads funds_employer_month (per employer and month,
// never per member).
//
// Months are "YYYY-MM" text (they order as text); ranges are inclusive.
#ifndef UNIONHUB_SERVICES_FINANCE_STORE_REPORT_STORE_H_
#define UNIONHUB_SERVICES_FINANCE_STORE_REPORT_STORE_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/db/pool.h"
#include "services/finance/domain/audit_figures.h"
#include "unionhub/finance/v1/finance.pb.h"

namespace unionhub::finance::store {

namespace v1 = ::unionhub::finance::v1;

// ------------------------------------------------------------ collection

// Collection figures without rates (the handler computes them).
struct CollectionRows {
  // The org's subtree per month (org_id 0), months with a rollup row only.
  std::vector<v1::CollectionFigures> by_month;
  // Charges made at the org itself per month, months with such charges.
  std::vector<v1::CollectionFigures> own_by_month;
  // Every direct child (roster_orgs.parent_id = org) over the range, in
  // org_id order, with zeros for a child that has no charge in the range.
  std::vector<v1::CollectionFigures> by_child;
  // Child x month, only pairs with a rollup row; by child, then month.
  std::vector<v1::CollectionFigures> by_child_month;
};

CollectionRows LoadCollectionRows(db::Connection& conn, int64_t org_id,
                                  const std::string& org_name,
                                  const std::string& from_month,
                                  const std::string& to_month);

// ---------------------------------------------------------------- arrears

// Members with at least `min_open` unsettled charges before `before_month`
// whose charge was made in the subtree `subtree_pattern` (a LIKE pattern
// from SubtreePattern), member_id > `after_member`, ascending, at most
// `limit`. Reads the arrears summary (store/arrears_store.h).
std::vector<int64_t> MembersWithOpenCharges(db::Connection& conn,
                                            const std::string& subtree_pattern,
                                            const std::string& before_month,
                                            int64_t after_member,
                                            int64_t min_open, int limit);

struct ChargeRow {
  int64_t member_id = 0;
  std::string month;
  int64_t org_id = 0;
  domain::Fen due = 0;
  domain::Fen paid = 0;
};

// Every charge (settled or not) of `member_ids` made in the subtree before
// `before_month`, by member then month.
std::vector<ChargeRow> SubtreeCharges(db::Connection& conn,
                                      const std::vector<int64_t>& member_ids,
                                      const std::string& subtree_pattern,
                                      const std::string& before_month);

// Names from the roster copy; members finance has not heard of are absent.
std::map<int64_t, std::string> MemberNames(
    db::Connection& conn, const std::vector<int64_t>& member_ids);

// ------------------------------------------------------------------ funds

// The org's subtree per month from funds_rollup (employer_id 0, org_id set).
std::vector<v1::FundsFigures> FundsByMonth(db::Connection& conn, int64_t org_id,
                                           const std::string& from_month,
                                           const std::string& to_month);

// Range totals per employer of the subtree (funds_employer_month rows whose
// org_path is in it), employer_id > `after_employer`, ascending, at most
// `limit`. org_id is the employer's org in the latest month of the range
// it has figures for; the name comes from roster_employers.
std::vector<v1::FundsFigures> FundsByEmployer(
    db::Connection& conn, const std::string& subtree_pattern,
    const std::string& from_month, const std::string& to_month,
    int64_t after_employer, int limit);

// The upward 40 % received by each level from the subtree's collections,
// by level name.
std::vector<v1::UpwardShare> UpwardByLevel(db::Connection& conn, int64_t org_id,
                                           const std::string& from_month,
                                           const std::string& to_month);

domain::FundsTotals ToTotals(const v1::FundsFigures& f);

// --------------------------------------------------------------- spending

struct SpendingRow {
  int category = 0;
  domain::Fen amount = 0;
  domain::Fen front_line = 0;
  int64_t expenses = 0;
};

// The org's subtree per category from spending_rollup over the range.
std::vector<SpendingRow> SpendingByCategory(db::Connection& conn,
                                            int64_t org_id,
                                            const std::string& from_month,
                                            const std::string& to_month);

// Budgets of every org of the subtree (by their current roster path) for
// years from_year..to_year, per category. Budgets are a few rows per org
// and year, so this joins roster_orgs by path instead of keeping a rollup.
std::map<int, domain::Fen> SubtreeBudgets(db::Connection& conn,
                                          const std::string& subtree_pattern,
                                          int from_year, int to_year);

}  // namespace unionhub::finance::store

#endif  // UNIONHUB_SERVICES_FINANCE_STORE_REPORT_STORE_H_
