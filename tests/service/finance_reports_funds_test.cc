// The auditors' funds reconciliation and spending report over a seeded
// county: totals, months, employers (across pages) and upward levels equal
// a recomputation from the raw declarations and collections; a fen missing
// from the rollups turns `balanced` false; spending by category, front-line
// share, flagged categories and the subtree's budgets equal a
// recomputation from the raw expenses and budgets.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/core/money.h"
#include "tests/service/finance_helpers.h"
#include "tests/service/finance_reports_recompute.h"
#include "tests/service/finance_reports_seed.h"

namespace unionhub::testing {
namespace {

using AuditStub = fv1::AuditService::Stub;
using Levels = std::vector<std::pair<std::string, int64_t>>;

const std::vector<std::string> kMonths = {"2025-04", "2025-05", "2025-06"};

Levels UpwardSplit(int64_t amount) {
  const int64_t upward = amount * 40 / 100;
  absl::StatusOr<std::vector<int64_t>> parts =
      money::SplitByBasisPoints(upward, {1250, 2500, 3125, 3125});
  EXPECT_TRUE(parts.ok());
  return {{"national", (*parts)[0]},
          {"provincial", (*parts)[1]},
          {"city", (*parts)[2]},
          {"county", (*parts)[3]}};
}

struct Employer {
  int64_t id;
  int64_t org;  // the union, or the area org holding the preparation fund
  bool preparation;
};

// The county's three union employers, its employer without a union, and
// eight synthetic employers (four with unions at A1/A2/B1, four without in
// townships A and B), each declaring three months.
std::vector<Employer> SeedFunds(FinanceServer& server, const SmallCounty& c) {
  ReportSeeder seed(server);
  std::vector<Employer> employers;
  for (const auto& row :
       seed.Rows("SELECT employer_id, union_org_id, area_org_id FROM "
                 "roster_employers ORDER BY employer_id")) {
    const int64_t union_org = std::stoll(row[1]);
    employers.push_back({std::stoll(row[0]),
                         union_org != 0 ? union_org : std::stoll(row[2]),
                         union_org == 0});
  }
  EXPECT_EQ(employers.size(), 4u);
  const int64_t unions[] = {c.union_a1.org_id(), c.union_a2.org_id(),
                            c.union_b1.org_id()};
  const int64_t areas[] = {c.township_a.org_id(), c.township_b.org_id()};
  for (int i = 0; i < 8; ++i) {
    const int64_t id = 5000001 + i;
    const bool preparation = i % 2 == 1;
    const int64_t org = preparation ? areas[i % 4 == 1 ? 0 : 1] : unions[i % 3];
    seed.Employer(id, absl::StrCat("合成单位", i), preparation ? 0 : org,
                  preparation ? org : c.township_a.org_id());
    employers.push_back({id, org, preparation});
  }
  bool released_one = false;
  for (size_t e = 0; e < employers.size(); ++e) {
    const Employer& emp = employers[e];
    for (size_t m = 0; m < kMonths.size(); ++m) {
      const int64_t payroll = 1000000 + 10000 * static_cast<int64_t>(e) +
                              137 * static_cast<int64_t>(m);
      const int64_t declaration =
          seed.Declare(emp.id, kMonths[m], emp.org, payroll, emp.preparation);
      const int64_t due = (payroll * 2 + 50) / 100;
      if (e % 4 == 0 && m == 2) continue;  // nothing collected yet
      const int64_t amount = (e % 3 == 1 && m == 1) ? due / 2 : due;
      const int64_t collection =
          seed.Collect(declaration, emp.id, kMonths[m], emp.org, amount,
                       emp.preparation, UpwardSplit(amount));
      if (emp.preparation && !released_one && m == 0) {
        seed.Release(collection, emp.id, kMonths[m], emp.org, amount,
                     UpwardSplit(amount));
        released_one = true;
      }
    }
  }
  return employers;
}

// Raw figures of the declarations in the subtree, grouped by `key`
// (a column of payroll_declarations d, or '' for one total).
std::map<std::string, std::vector<int64_t>> RawFunds(ReportSeeder& seed,
                                                     const std::string& path,
                                                     const std::string& key,
                                                     const std::string& from,
                                                     const std::string& to) {
  // `key` is one of a fixed list of column names chosen by the test.
  const std::string group = key.empty() ? "''" : absl::StrCat("d.", key);
  const std::string where =
      "d.org_path LIKE CONCAT(?, '%') AND d.month BETWEEN ? AND ?";
  std::map<std::string, std::vector<int64_t>> out;
  for (const auto& row : seed.Rows(
           absl::StrCat(
               "SELECT ", group,
               ", SUM(d.total_payroll_fen), SUM(d.appropriation_fen) FROM "
               "payroll_declarations d WHERE ",
               where, " GROUP BY 1"),
           path, from, to)) {
    out[row[0]] = {std::stoll(row[1]), std::stoll(row[2]), 0, 0, 0, 0, 0};
  }
  for (const auto& row : seed.Rows(
           absl::StrCat(
               "SELECT ", group,
               ", SUM(fc.amount_fen), SUM(fc.returned_fen), "
               "SUM(fc.upward_fen), "
               "SUM(fc.preparation_held_fen), SUM(IF(fc.released, "
               "fc.preparation_held_fen, 0)) FROM funds_collections fc JOIN "
               "payroll_declarations d ON d.declaration_id = fc.declaration_id "
               "WHERE ",
               where, " GROUP BY 1"),
           path, from, to)) {
    std::vector<int64_t>& f = out[row[0]];
    for (int i = 0; i < 5; ++i) f[2 + i] = std::stoll(row[1 + i]);
  }
  return out;
}

std::vector<int64_t> Of(const fv1::FundsFigures& f) {
  return {f.declared_payroll_fen(),    f.appropriation_fen(),
          f.collected_fen(),           f.returned_fen(),
          f.allocated_upward_fen(),    f.preparation_held_fen(),
          f.preparation_returned_fen()};
}

std::vector<fv1::FundsFigures> AllEmployers(
    FinanceServer& server, fv1::GetFundsReconciliationRequest req,
    int page_size, int* pages) {
  std::vector<fv1::FundsFigures> all;
  req.set_page_size(page_size);
  *pages = 0;
  do {
    fv1::GetFundsReconciliationResponse resp =
        MustRpc(server.audit(), &AuditStub::GetFundsReconciliation, req,
                "GetFundsReconciliation");
    ++*pages;
    EXPECT_LE(resp.employers_size(), page_size);
    for (const auto& e : resp.employers()) all.push_back(e);
    req.set_page_token(resp.next_page_token());
  } while (!req.page_token().empty() && *pages < 100);
  return all;
}

TEST(FinanceReportsFunds, ReconciliationEqualsRawCollections) {
  FinanceServer server("reports_funds");
  SmallCounty c = BuildSmallCounty(server, {});
  std::vector<Employer> employers = SeedFunds(server, c);
  ReportSeeder seed(server);
  for (int64_t org : {c.county.org_id(), c.township_a.org_id(),
                      c.township_b.org_id(), c.union_a1.org_id()}) {
    for (const auto& [from, to] : {std::make_pair(kMonths[0], kMonths[2]),
                                   std::make_pair(kMonths[1], kMonths[1])}) {
      SCOPED_TRACE(absl::StrCat("org ", org, " ", from, "..", to));
      const std::string path = seed.PathOf(org);
      fv1::GetFundsReconciliationRequest req;
      req.set_org_id(org);
      req.set_from_month(from);
      req.set_to_month(to);
      fv1::GetFundsReconciliationResponse resp =
          MustRpc(server.audit(), &AuditStub::GetFundsReconciliation, req,
                  "GetFundsReconciliation");
      const auto total = RawFunds(seed, path, "", from, to);
      ASSERT_EQ(total.size(), 1u);
      EXPECT_EQ(Of(resp.total()), total.begin()->second);
      EXPECT_EQ(
          resp.total().outstanding_fen(),
          resp.total().appropriation_fen() - resp.total().collected_fen());
      EXPECT_TRUE(resp.balanced());
      EXPECT_EQ(resp.total().collected_fen(),
                resp.total().returned_fen() +
                    resp.total().allocated_upward_fen() +
                    resp.total().preparation_held_fen() -
                    resp.total().preparation_returned_fen());

      const auto by_month = RawFunds(seed, path, "month", from, to);
      ASSERT_EQ(resp.by_month_size(), static_cast<int>(by_month.size()));
      for (const fv1::FundsFigures& m : resp.by_month()) {
        EXPECT_EQ(Of(m), by_month.at(m.month())) << m.month();
        EXPECT_EQ(m.org_id(), org);
      }

      int pages = 0;
      std::vector<fv1::FundsFigures> got = AllEmployers(server, req, 3, &pages);
      const auto by_employer = RawFunds(seed, path, "employer_id", from, to);
      ASSERT_EQ(got.size(), by_employer.size());
      EXPECT_EQ(pages, static_cast<int>((by_employer.size() + 2) / 3));
      for (size_t i = 0; i < got.size(); ++i) {
        const fv1::FundsFigures& e = got[i];
        if (i > 0) {
          EXPECT_GT(e.employer_id(), got[i - 1].employer_id());
        }
        ASSERT_EQ(by_employer.count(absl::StrCat(e.employer_id())), 1u);
        EXPECT_EQ(Of(e), by_employer.at(absl::StrCat(e.employer_id())));
        EXPECT_EQ(e.outstanding_fen(),
                  e.appropriation_fen() - e.collected_fen());
        EXPECT_FALSE(e.employer_name().empty());
        EXPECT_EQ(e.org_id(), std::stoll(seed.Rows(
                                  "SELECT org_id FROM payroll_declarations "
                                  "WHERE employer_id = ? LIMIT 1",
                                  e.employer_id())[0][0]));
      }

      std::map<std::string, int64_t> levels;
      for (const auto& row : seed.Rows(
               "SELECT j.level, SUM(j.amount) FROM funds_collections fc "
               "JOIN payroll_declarations d ON d.declaration_id = "
               "fc.declaration_id, JSON_TABLE(fc.upward_json, '$[*]' COLUMNS "
               "(level VARCHAR(32) PATH '$[0]', amount BIGINT PATH '$[1]')) "
               "j WHERE d.org_path LIKE CONCAT(?, '%') AND d.month BETWEEN ? "
               "AND ? GROUP BY j.level",
               path, from, to)) {
        levels[row[0]] = std::stoll(row[1]);
      }
      ASSERT_EQ(resp.upward_by_level_size(), static_cast<int>(levels.size()));
      int64_t upward = 0;
      for (const fv1::UpwardShare& s : resp.upward_by_level()) {
        EXPECT_EQ(s.amount_fen(), levels[s.level()]) << s.level();
        upward += s.amount_fen();
      }
      EXPECT_EQ(upward, resp.total().allocated_upward_fen());
    }
  }
  // Something of everything happened in the county.
  fv1::GetFundsReconciliationRequest req;
  req.set_org_id(c.county.org_id());
  req.set_from_month(kMonths[0]);
  req.set_to_month(kMonths[2]);
  fv1::GetFundsReconciliationResponse county = MustRpc(
      server.audit(), &AuditStub::GetFundsReconciliation, req, "county");
  EXPECT_GT(county.total().preparation_held_fen(),
            county.total().preparation_returned_fen());
  EXPECT_GT(county.total().preparation_returned_fen(), 0);
  EXPECT_GT(county.total().outstanding_fen(), 0);
  EXPECT_EQ(county.upward_by_level_size(), 4);
  int pages = 0;
  EXPECT_EQ(AllEmployers(server, req, 5, &pages).size(), employers.size());
  EXPECT_EQ(pages, 3);
}

TEST(FinanceReportsFunds, AFenMissingFromTheRollupsIsUnbalanced) {
  FinanceServer server("reports_funds_unbalanced");
  SmallCounty c = BuildSmallCounty(server, {});
  SeedFunds(server, c);
  ReportSeeder seed(server);
  fv1::GetFundsReconciliationRequest req;
  req.set_org_id(c.county.org_id());
  req.set_from_month(kMonths[0]);
  req.set_to_month(kMonths[2]);
  EXPECT_TRUE(
      MustRpc(server.audit(), &AuditStub::GetFundsReconciliation, req, "before")
          .balanced());
  seed.Exec(
      "UPDATE funds_rollup SET upward_fen = upward_fen - 1 WHERE org_id = ? "
      "AND month = ?",
      c.county.org_id(), kMonths[1]);
  EXPECT_FALSE(
      MustRpc(server.audit(), &AuditStub::GetFundsReconciliation, req, "after")
          .balanced());
  req.set_org_id(c.township_a.org_id());  // its rows are untouched
  EXPECT_TRUE(MustRpc(server.audit(), &AuditStub::GetFundsReconciliation, req,
                      "township")
                  .balanced());
}

TEST(FinanceReportsFunds, ReconciliationValidatesEveryFieldAndScope) {
  FinanceServer server("reports_funds_bad");
  SmallCounty c = BuildSmallCounty(server, {});
  fv1::GetFundsReconciliationRequest req;
  req.set_from_month("2025/04");
  req.set_page_size(-1);  // above the maximum is clamped, not refused
  req.set_page_token("not-a-token");
  fv1::GetFundsReconciliationResponse resp;
  grpc::Status status =
      Rpc(server.audit(), &AuditStub::GetFundsReconciliation, req, &resp);
  EXPECT_EQ(BadFields(status),
            (std::vector<std::string>{"org_id", "from_month", "to_month",
                                      "page_size", "page_token"}));
  req = fv1::GetFundsReconciliationRequest();
  req.set_org_id(c.township_b.org_id());
  req.set_from_month(kMonths[0]);
  req.set_to_month(kMonths[2]);
  auto auditor_a = server.AuditWithToken(
      MintTestToken({"auditor"}, c.township_a.org_id(), "sj-a"));
  EXPECT_EQ(Rpc(*auditor_a, &AuditStub::GetFundsReconciliation, req, &resp)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  req.set_org_id(c.township_a.org_id());
  EXPECT_TRUE(
      Rpc(*auditor_a, &AuditStub::GetFundsReconciliation, req, &resp).ok());
}

TEST(FinanceReportsFunds, SpendingReportEqualsRawExpensesAndBudgets) {
  FinanceServer server("reports_spending");
  SmallCounty c = BuildSmallCounty(server, {});
  ReportSeeder seed(server);
  const int64_t orgs[] = {c.county.org_id(), c.township_a.org_id(),
                          c.union_a1.org_id(), c.union_b1.org_id()};
  const char* days[] = {"2024-12-20", "2025-01-05", "2025-03-31", "2025-06-30",
                        "2025-07-01"};
  for (int i = 0; i < 40; ++i) {
    const int category = 1 + (i * 7) % 15;  // every category, 13 and 14 too
    seed.Expense(orgs[i % 4], category, 10000 + 137 * i, i % 3 != 0,
                 days[i % 5]);
  }
  for (int year : {2024, 2025, 2026}) {
    for (int64_t org : orgs) {
      for (int category : {1, 4, 9, 13}) {
        seed.Budget(org, year, category, org % 1000 * 100 + year + category);
      }
    }
  }
  struct Case {
    int64_t org;
    std::string from, to;
  };
  for (const Case& k : {Case{c.county.org_id(), "2025-01", "2025-06"},
                        Case{c.county.org_id(), "2024-11", "2025-02"},
                        Case{c.township_a.org_id(), "2024-01", "2025-12"},
                        Case{c.union_b1.org_id(), "2025-07", "2025-07"},
                        Case{c.township_b.org_id(), "2023-01", "2023-02"}}) {
    const fv1::GetSpendingReportResponse resp =
        ExpectSpendingMatchesRaw(server, seed, k.org, k.from, k.to);
    if (k.org == c.county.org_id()) {
      EXPECT_GT(resp.flagged_fen(), 0);
      EXPECT_GT(resp.front_line_fen(), 0);
      EXPECT_LT(resp.front_line_fen(), resp.total_fen());
    }
  }

  fv1::GetSpendingReportRequest bad;
  bad.set_org_id(-3);
  bad.set_from_month("2025-02");
  bad.set_to_month("2025-0");
  fv1::GetSpendingReportResponse resp;
  EXPECT_EQ(
      BadFields(Rpc(server.audit(), &AuditStub::GetSpendingReport, bad, &resp)),
      (std::vector<std::string>{"org_id", "to_month"}));
}

}  // namespace
}  // namespace unionhub::testing
