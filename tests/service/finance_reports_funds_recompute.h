// What GetFundsReconciliation must say, recomputed from the raw rows the
// funds writers keep (payroll_declarations, funds_collections and, for a
// released preparation fund, the release's ledger postings), never from
// the rollups. A release is counted, in its collection's month, on the
// holding org's path and on the new union's path (funds_release.h), so
// each raw event carries the paths it counts on.
#ifndef UNIONHUB_TESTS_SERVICE_FINANCE_REPORTS_FUNDS_RECOMPUTE_H_
#define UNIONHUB_TESTS_SERVICE_FINANCE_REPORTS_FUNDS_RECOMPUTE_H_

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "tests/service/finance_helpers.h"
#include "tests/service/finance_reports_seed.h"

namespace unionhub::testing {

// declared, appropriation, collected, returned, upward, held, prep_returned
using FundsVector = std::vector<int64_t>;

inline FundsVector FundsOf(const fv1::FundsFigures& f) {
  return {f.declared_payroll_fen(),    f.appropriation_fen(),
          f.collected_fen(),           f.returned_fen(),
          f.allocated_upward_fen(),    f.preparation_held_fen(),
          f.preparation_returned_fen()};
}

struct FundsEvent {
  std::vector<std::string> paths;  // counted in the subtree of their orgs
  std::string employer_path;       // where funds_employer_month keeps it
  int64_t employer_id = 0, org_id = 0;
  std::string month;
  FundsVector f = FundsVector(7, 0);
  std::map<std::string, int64_t> levels;

  bool In(const std::string& subtree) const {
    for (const std::string& p : paths) {
      if (absl::StartsWith(p, subtree)) return true;
    }
    return false;
  }
};

inline std::vector<FundsEvent> RawFundsEvents(ReportSeeder& seed) {
  std::vector<FundsEvent> events;
  for (const auto& row : seed.Rows(
           "SELECT employer_id, month, org_id, org_path, total_payroll_fen, "
           "appropriation_fen FROM payroll_declarations")) {
    FundsEvent& e = events.emplace_back();
    e.employer_id = std::stoll(row[0]);
    e.month = row[1];
    e.org_id = std::stoll(row[2]);
    e.paths = {row[3]};
    e.employer_path = row[3];
    e.f[0] = std::stoll(row[4]);
    e.f[1] = std::stoll(row[5]);
  }
  std::map<int64_t, std::map<std::string, int64_t>> levels;
  for (const auto& row : seed.Rows(
           "SELECT fc.collection_id, j.level, j.amount FROM "
           "funds_collections fc, JSON_TABLE(fc.upward_json, '$[*]' COLUMNS "
           "(level VARCHAR(32) PATH '$[0]', amount BIGINT PATH '$[1]')) j")) {
    levels[std::stoll(row[0])][row[1]] += std::stoll(row[2]);
  }
  for (const auto& row : seed.Rows(
           "SELECT fc.collection_id, fc.employer_id, fc.month, d.org_id, "
           "d.org_path, fc.amount_fen, fc.returned_fen, fc.upward_fen, "
           "fc.preparation_held_fen, fc.released, fc.release_entry_id, "
           "(SELECT COUNT(*) FROM funds_collections o WHERE "
           "o.release_entry_id = fc.release_entry_id) FROM funds_collections "
           "fc JOIN payroll_declarations d ON d.declaration_id = "
           "fc.declaration_id")) {
    const int64_t collection_id = std::stoll(row[0]);
    FundsEvent& e = events.emplace_back();
    e.employer_id = std::stoll(row[1]);
    e.month = row[2];
    e.org_id = std::stoll(row[3]);
    e.paths = {row[4]};
    e.employer_path = row[4];
    e.f[2] = std::stoll(row[5]);
    e.f[3] = std::stoll(row[6]);
    e.f[4] = std::stoll(row[7]);
    e.f[5] = std::stoll(row[8]);
    e.levels = levels[collection_id];
    if (row[9] != "1") continue;

    // The release: its split is in the ledger only, so one release entry
    // must release one collection for the split to be this collection's.
    EXPECT_EQ(row[11], "1")
        << "release entry " << row[10] << " releases several collections";
    FundsEvent release = e;
    release.f = FundsVector(7, 0);
    release.f[6] = e.f[2];
    release.levels.clear();
    for (const auto& posting :
         seed.Rows("SELECT account, amount_fen FROM ledger_postings WHERE "
                   "entry_id = ?",
                   std::stoll(row[10]))) {
      const std::string& account = posting[0];
      const int64_t amount = std::stoll(posting[1]);
      if (absl::StartsWith(account, "cash:org/")) {
        release.f[3] += amount;
        const std::string union_path = seed.PathOf(
            std::stoll(std::string(absl::StripPrefix(account, "cash:org/"))));
        EXPECT_FALSE(union_path.empty()) << account;
        release.paths.push_back(union_path);
      } else if (absl::StartsWith(account, "funds_upward:")) {
        const std::vector<std::string> parts = absl::StrSplit(account, '/');
        release.levels[parts.back()] += amount;
        release.f[4] += amount;
      }
    }
    events.push_back(release);
  }
  return events;
}

inline bool InRange(const FundsEvent& e, const std::string& from,
                    const std::string& to) {
  return e.month >= from && e.month <= to;
}

inline void AddFunds(FundsVector& sum, const FundsVector& f) {
  for (size_t i = 0; i < f.size(); ++i) sum[i] += f[i];
}

// Every figure of the reconciliation of `org` over `from`..`to`: totals,
// months, upward levels, every employer across pages of `page_size`.
inline void ExpectFundsMatchRaw(FinanceServer& server, ReportSeeder& seed,
                                int64_t org, const std::string& from,
                                const std::string& to, int page_size) {
  SCOPED_TRACE(absl::StrCat("funds of org ", org, " ", from, "..", to));
  const std::string path = seed.PathOf(org);
  const std::vector<FundsEvent> events = RawFundsEvents(seed);
  FundsVector total(7, 0);
  std::map<std::string, FundsVector> by_month;
  std::map<std::string, int64_t> levels;
  std::map<int64_t, FundsVector> by_employer;
  std::map<int64_t, std::pair<std::string, int64_t>> employer_org;
  for (const FundsEvent& e : events) {
    if (!InRange(e, from, to)) continue;
    if (e.In(path)) {
      AddFunds(total, e.f);
      by_month.try_emplace(e.month, FundsVector(7, 0));
      AddFunds(by_month[e.month], e.f);
      for (const auto& [level, amount] : e.levels) levels[level] += amount;
    }
    if (absl::StartsWith(e.employer_path, path)) {
      by_employer.try_emplace(e.employer_id, FundsVector(7, 0));
      AddFunds(by_employer[e.employer_id], e.f);
      auto& latest = employer_org[e.employer_id];
      if (e.month >= latest.first) latest = {e.month, e.org_id};
    }
  }

  fv1::GetFundsReconciliationRequest req;
  req.set_org_id(org);
  req.set_from_month(from);
  req.set_to_month(to);
  req.set_page_size(page_size);
  std::vector<fv1::FundsFigures> employers;
  int pages = 0;
  fv1::GetFundsReconciliationResponse first;
  do {
    fv1::GetFundsReconciliationResponse resp = MustRpc(
        server.audit(), &fv1::AuditService::Stub::GetFundsReconciliation, req,
        "GetFundsReconciliation");
    if (pages++ == 0) first = resp;
    EXPECT_LE(resp.employers_size(), page_size);
    for (const auto& e : resp.employers()) employers.push_back(e);
    req.set_page_token(resp.next_page_token());
  } while (!req.page_token().empty() && pages < 100);

  EXPECT_EQ(FundsOf(first.total()), total);
  EXPECT_EQ(first.total().outstanding_fen(),
            first.total().appropriation_fen() - first.total().collected_fen());
  // Every subtree accounts for every fen it collected.
  EXPECT_EQ(total[2], total[3] + total[4] + total[5] - total[6]);
  EXPECT_TRUE(first.balanced());
  ASSERT_EQ(first.by_month_size(), static_cast<int>(by_month.size()));
  for (const fv1::FundsFigures& m : first.by_month()) {
    ASSERT_EQ(by_month.count(m.month()), 1u) << m.month();
    EXPECT_EQ(FundsOf(m), by_month.at(m.month())) << m.month();
    EXPECT_EQ(m.org_id(), org);
  }
  std::map<std::string, int64_t> got_levels;
  for (const fv1::UpwardShare& s : first.upward_by_level()) {
    got_levels[s.level()] = s.amount_fen();
  }
  // A level whose shares net to nothing may or may not be listed.
  for (auto it = levels.begin(); it != levels.end();) {
    it = it->second == 0 && got_levels.count(it->first) == 0 ? levels.erase(it)
                                                             : ++it;
  }
  EXPECT_EQ(got_levels, levels);

  ASSERT_EQ(employers.size(), by_employer.size());
  // The last full page may or may not be followed by an empty one.
  const int full_pages =
      static_cast<int>((by_employer.size() + page_size - 1) / page_size);
  EXPECT_GE(pages, std::max(1, full_pages));
  EXPECT_LE(pages, full_pages + 1);
  for (size_t i = 0; i < employers.size(); ++i) {
    const fv1::FundsFigures& e = employers[i];
    if (i > 0) {
      EXPECT_GT(e.employer_id(), employers[i - 1].employer_id());
    }
    ASSERT_EQ(by_employer.count(e.employer_id()), 1u) << e.employer_id();
    EXPECT_EQ(FundsOf(e), by_employer.at(e.employer_id())) << e.employer_id();
    EXPECT_EQ(e.org_id(), employer_org.at(e.employer_id()).second);
    EXPECT_EQ(e.outstanding_fen(), e.appropriation_fen() - e.collected_fen());
    EXPECT_EQ(e.employer_name(),
              seed.Rows("SELECT name FROM roster_employers WHERE "
                        "employer_id = ?",
                        e.employer_id())[0][0]);
  }
}

}  // namespace unionhub::testing

#endif  // UNIONHUB_TESTS_SERVICE_FINANCE_REPORTS_FUNDS_RECOMPUTE_H_
