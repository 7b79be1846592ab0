// Union funds, the preparation fund, expenses and budgets of the generated
// province, with their subtree rollups.
#include <array>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/core/dates.h"
#include "services/finance/domain/audit_figures.h"
#include "services/finance/domain/funds.h"
#include "tools/gen_finance/bulk_insert.h"
#include "tools/gen_finance/province.h"

namespace unionhub::gen {
namespace {

namespace domain = ::unionhub::finance::domain;

constexpr int kGrassroots = 7;  // membership.v1.OrgType
constexpr int64_t kUnionFunds = 1, kPreparationFund = 2;  // FundKind
constexpr int64_t kTaxCollected = 2;                      // CollectionChannel
constexpr int kCategories = 15;                           // SpendingCategory

// The figures of funds_employer_month and funds_rollup, in column order.
using FundsCell = std::array<int64_t, 7>;

domain::AllocationTable Table(const Options& options) {
  domain::AllocationTable table;
  table.province_code = options.province_code;
  table.effective_from = options.first_month;
  table.shares = {{"national", 1250},
                  {"provincial", 2500},
                  {"city", 3125},
                  {"county", 3125}};
  return table;
}

std::string SharesJson(
    const std::vector<std::pair<std::string, int64_t>>& shares) {
  std::vector<std::string> parts;
  for (const auto& [level, value] : shares) {
    parts.push_back(absl::StrCat("[\"", level, "\",", value, "]"));
  }
  return absl::StrCat("[", absl::StrJoin(parts, ","), "]");
}

}  // namespace

absl::Status WriteFunds(db::Pool& pool, const Options& options,
                        std::mt19937_64& rng, Generated& out) {
  const Tree& tree = out.tree;
  const int months = options.months;
  const int per = options.rows_per_statement;
  const domain::AllocationTable table = Table(options);
  const size_t levels = table.shares.size();
  {
    BulkInserter tables(pool,
                        "allocation_tables (province_code, effective_from, "
                        "shares_json)",
                        3, 1);
    absl::Status s = tables.Add({options.province_code,
                                 dates::FormatMonth(options.first_month),
                                 SharesJson(table.shares)});
    if (s.ok()) s = tables.Finish();
    if (!s.ok()) return s;
  }
  BulkInserter declarations(pool,
                            "payroll_declarations (declaration_id, "
                            "employer_id, month, total_payroll_fen, "
                            "appropriation_fen, fund, org_id, org_path, "
                            "collected_fen, entry_id)",
                            10, per);
  BulkInserter collections(
      pool,
      "funds_collections (collection_id, declaration_id, employer_id, month, "
      "amount_fen, channel, fund, received_on, province_code, returned_fen, "
      "refund_bonus_fen, upward_json, upward_fen, preparation_held_fen, "
      "released, release_entry_id, entry_id)",
      17, per);
  BulkInserter employer_months(
      pool,
      "funds_employer_month (employer_id, month, org_id, org_path, "
      "declared_payroll_fen, appropriation_fen, collected_fen, returned_fen, "
      "upward_fen, preparation_held_fen, preparation_returned_fen)",
      11, per);
  std::vector<FundsCell> rollup(tree.orgs.size() * months, FundsCell{});
  std::vector<int64_t> upward_rollup(tree.orgs.size() * months * levels, 0);
  std::uniform_real_distribution<double> chance(0, 1);

  auto record = [&](int64_t employer_id, int64_t org_id, int k, int64_t payroll,
                    bool preparation) -> absl::Status {
    const int64_t appropriation = domain::Appropriation(payroll);
    const double r = chance(rng);
    const int64_t collected = r < 0.92   ? appropriation
                              : r < 0.97 ? appropriation / 2
                                         : 0;
    const std::string& month = out.months[k];
    const std::string& path = tree.at(org_id).path;
    const int64_t declaration_id = ++out.declarations;
    absl::Status s = declarations.Add(
        {declaration_id, employer_id, month, payroll, appropriation,
         preparation ? kPreparationFund : kUnionFunds, org_id, path, collected,
         int64_t{0}});
    if (!s.ok()) return s;
    FundsCell cell{payroll, appropriation, collected, 0, 0, 0, 0};
    std::vector<std::pair<std::string, int64_t>> upward;
    if (collected > 0) {
      if (preparation) {
        cell[5] = collected;  // held whole until a union is established
      } else {
        absl::StatusOr<domain::FundsSplit> split =
            domain::SplitCollectedFunds(collected, table);
        if (!split.ok()) return split.status();
        cell[3] = split->grassroots_return;
        upward = split->upward;
        for (const auto& level : upward) cell[4] += level.second;
      }
      s = collections.Add({++out.collections, declaration_id, employer_id,
                           month, collected, kTaxCollected,
                           preparation ? kPreparationFund : kUnionFunds,
                           absl::StrCat(month, "-20"), options.province_code,
                           cell[3], int64_t{0}, SharesJson(upward), cell[4],
                           cell[5], false, int64_t{0}, int64_t{0}});
      if (!s.ok()) return s;
    }
    s = employer_months.Add({employer_id, month, org_id, path, cell[0], cell[1],
                             cell[2], cell[3], cell[4], cell[5], cell[6]});
    if (!s.ok()) return s;
    for (int64_t id : tree.Path(org_id)) {
      const size_t at = static_cast<size_t>(id - 1) * months + k;
      for (size_t c = 0; c < cell.size(); ++c) rollup[at][c] += cell[c];
      for (size_t l = 0; l < upward.size(); ++l) {
        upward_rollup[at * levels + l] += upward[l].second;
      }
    }
    return absl::OkStatus();
  };

  std::uniform_int_distribution<int64_t> markup(110, 140);  // % of wages
  for (size_t i = 0; i < tree.unions.size(); ++i) {
    const Org& u = tree.at(tree.unions[i]);
    const int64_t payroll = u.wages_fen * markup(rng) / 100;
    for (int k = 0; k < months; ++k) {
      if (absl::Status s = record(UnionEmployerId(i), u.id, k, payroll, false);
          !s.ok()) {
        return s;
      }
    }
  }
  std::uniform_int_distribution<int64_t> gap_payroll(20000000, 200000000);
  for (size_t t = 0; t < tree.townships.size(); ++t) {
    const int64_t payroll = gap_payroll(rng);
    for (int k = 0; k < months; ++k) {
      if (absl::Status s = record(GapEmployerId(tree, t), tree.townships[t], k,
                                  payroll, true);
          !s.ok()) {
        return s;
      }
    }
  }
  for (BulkInserter* b : {&declarations, &collections, &employer_months}) {
    if (absl::Status s = b->Finish(); !s.ok()) return s;
  }

  BulkInserter funds_rows(pool,
                          "funds_rollup (org_id, month, "
                          "declared_payroll_fen, appropriation_fen, "
                          "collected_fen, returned_fen, upward_fen, "
                          "preparation_held_fen, preparation_returned_fen)",
                          9, per);
  BulkInserter upward_rows(
      pool, "funds_upward_rollup (org_id, month, level, amount_fen)", 4, per);
  for (const Org& org : tree.orgs) {
    for (int k = 0; k < months; ++k) {
      const size_t at = static_cast<size_t>(org.id - 1) * months + k;
      const FundsCell& c = rollup[at];
      if (c[0] == 0 && c[2] == 0) continue;
      absl::Status s = funds_rows.Add(
          {org.id, out.months[k], c[0], c[1], c[2], c[3], c[4], c[5], c[6]});
      for (size_t l = 0; s.ok() && l < levels; ++l) {
        if (upward_rollup[at * levels + l] == 0) continue;
        s = upward_rows.Add({org.id, out.months[k], table.shares[l].first,
                             upward_rollup[at * levels + l]});
      }
      if (!s.ok()) return s;
    }
  }
  absl::Status s = funds_rows.Finish();
  if (s.ok()) s = upward_rows.Finish();
  out.rollup_rows += funds_rows.rows_written() + upward_rows.rows_written();
  return s;
}

absl::Status WriteSpending(db::Pool& pool, const Options& options,
                           std::mt19937_64& rng, Generated& out) {
  const Tree& tree = out.tree;
  const int months = options.months;
  const int per = options.rows_per_statement;
  BulkInserter expenses(pool,
                        "expenses (org_id, org_path, category, amount_fen, "
                        "front_line, payee, approval_reference, spent_on, "
                        "description, entry_id, request_id)",
                        11, per);
  // Per org, month and category: amount, front-line amount, count.
  std::vector<std::array<int64_t, 3>> rollup(
      tree.orgs.size() * months * kCategories, std::array<int64_t, 3>{});
  // Weights of categories 1..15; hospitality and rating contests are rare.
  std::discrete_distribution<int> category(
      {10, 8, 8, 12, 10, 6, 4, 8, 8, 6, 4, 6, 1, 1, 6});
  std::uniform_real_distribution<double> chance(0, 1);
  std::uniform_int_distribution<int64_t> amount(50000, 5000000);
  std::uniform_int_distribution<int> day(1, 28);
  std::uniform_int_distribution<int> count(1, 3);
  for (const Org& org : tree.orgs) {
    const double p = org.type == kGrassroots ? 0.15 : 0.8;
    for (int k = 0; k < months; ++k) {
      if (chance(rng) >= p) continue;
      for (int n = count(rng); n > 0; --n) {
        const int c = category(rng) + 1;
        const int64_t fen = amount(rng);
        const bool front_line = chance(rng) < 0.6;
        const absl::CivilDay spent =
            absl::CivilDay(options.first_month + k) + (day(rng) - 1);
        absl::Status s =
            expenses.Add({org.id, org.path, static_cast<int64_t>(c), fen,
                          front_line, std::string("合成供应商"),
                          absl::StrFormat("SP-%d-%d", org.id, out.expenses + 1),
                          dates::FormatDate(spent), std::string("合成支出"),
                          int64_t{0}, std::string("gen-finance")});
        if (!s.ok()) return s;
        ++out.expenses;
        for (int64_t id : tree.Path(org.id)) {
          auto& cell =
              rollup[(static_cast<size_t>(id - 1) * months + k) * kCategories +
                     (c - 1)];
          cell[0] += fen;
          cell[1] += front_line ? fen : 0;
          cell[2] += 1;
        }
      }
    }
  }
  if (absl::Status s = expenses.Finish(); !s.ok()) return s;

  BulkInserter rows(pool,
                    "spending_rollup (org_id, month, category, amount_fen, "
                    "front_line_fen, expenses)",
                    6, per);
  for (const Org& org : tree.orgs) {
    for (int k = 0; k < months; ++k) {
      for (int c = 0; c < kCategories; ++c) {
        const auto& cell =
            rollup[(static_cast<size_t>(org.id - 1) * months + k) *
                       kCategories +
                   c];
        if (cell[2] == 0) continue;
        absl::Status s =
            rows.Add({org.id, out.months[k], static_cast<int64_t>(c + 1),
                      cell[0], cell[1], cell[2]});
        if (!s.ok()) return s;
      }
    }
  }
  if (absl::Status s = rows.Finish(); !s.ok()) return s;
  out.rollup_rows += rows.rows_written();

  BulkInserter budgets(pool, "budgets (org_id, year, category, amount_fen)", 4,
                       per);
  std::uniform_int_distribution<int64_t> budget(1000000, 50000000);
  for (int year : domain::YearsCovered(options.first_month,
                                       options.first_month + (months - 1))) {
    for (const Org& org : tree.orgs) {
      for (int64_t c : {1, 4, 9, 13}) {
        absl::Status s =
            budgets.Add({org.id, static_cast<int64_t>(year), c, budget(rng)});
        if (!s.ok()) return s;
      }
    }
  }
  return budgets.Finish();
}

}  // namespace unionhub::gen
