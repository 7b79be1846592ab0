// What the auditors' dues and spending reports must say, recomputed from
// the raw rows only (dues_charges, roster_members, roster_orgs, expenses,
// budgets), never from the rollups the reports read. Shared by the report
// tests on seeded data (finance_reports_test.cc, finance_reports_funds_
// test.cc) and the end-to-end test on data made by the real writers
// (finance_reports_e2e_test.cc).
#ifndef UNIONHUB_TESTS_SERVICE_FINANCE_REPORTS_RECOMPUTE_H_
#define UNIONHUB_TESTS_SERVICE_FINANCE_REPORTS_RECOMPUTE_H_

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "tests/service/finance_helpers.h"
#include "tests/service/finance_reports_seed.h"

namespace unionhub::testing {

struct CollectionFiguresRaw {
  int64_t due = 0, paid = 0, charged = 0, fully_paid = 0;
  bool operator==(const CollectionFiguresRaw& o) const {
    return due == o.due && paid == o.paid && charged == o.charged &&
           fully_paid == o.fully_paid;
  }
};

inline std::ostream& operator<<(std::ostream& os,
                                const CollectionFiguresRaw& f) {
  return os << "{due " << f.due << " paid " << f.paid << " charged "
            << f.charged << " paid members " << f.fully_paid << "}";
}

inline CollectionFiguresRaw Of(const fv1::CollectionFigures& f) {
  return {f.due_fen(), f.paid_fen(), f.members_charged(), f.members_paid()};
}

// Per month of the raw charges in `from`..`to` of the subtree at `path`
// (own_only: of the org `org_id` itself).
inline std::map<std::string, CollectionFiguresRaw> RawByMonth(
    ReportSeeder& seed, const std::string& path, int64_t org_id, bool own_only,
    const std::string& from, const std::string& to) {
  std::map<std::string, CollectionFiguresRaw> out;
  for (const auto& row : seed.Rows(
           "SELECT month, SUM(due_fen), SUM(paid_fen), COUNT(*), "
           "SUM(paid_fen >= due_fen) FROM dues_charges WHERE (? AND org_id "
           "= ? OR NOT ? AND org_path LIKE CONCAT(?, '%')) AND month "
           "BETWEEN ? AND ? GROUP BY month",
           own_only, org_id, own_only, path, from, to)) {
    out[row[0]] = {std::stoll(row[1]), std::stoll(row[2]), std::stoll(row[3]),
                   std::stoll(row[4])};
  }
  return out;
}

inline CollectionFiguresRaw Sum(
    const std::map<std::string, CollectionFiguresRaw>& by_month) {
  CollectionFiguresRaw s;
  for (const auto& [month, f] : by_month) {
    s.due += f.due;
    s.paid += f.paid;
    s.charged += f.charged;
    s.fully_paid += f.fully_paid;
  }
  return s;
}

inline int64_t Rate(const CollectionFiguresRaw& f) {
  return f.due == 0 ? 0 : (f.paid * 10000 * 2 + f.due) / (2 * f.due);
}

inline fv1::GetCollectionReportResponse MustCollectionReport(
    FinanceServer& server, int64_t org, const std::string& from,
    const std::string& to) {
  fv1::GetCollectionReportRequest req;
  req.set_org_id(org);
  req.set_from_month(from);
  req.set_to_month(to);
  return MustRpc(server.audit(), &fv1::AuditService::Stub::GetCollectionReport,
                 req, "GetCollectionReport");
}

// by_month, total, every direct child (by_child, by_child_month) and own.
inline void ExpectReportMatchesRaw(
    ReportSeeder& seed, int64_t org, const std::string& from,
    const std::string& to, const fv1::GetCollectionReportResponse& report) {
  SCOPED_TRACE(absl::StrCat("org ", org, " ", from, "..", to));
  const std::string path = seed.PathOf(org);
  const auto subtree = RawByMonth(seed, path, org, false, from, to);
  ASSERT_EQ(report.by_month_size(), static_cast<int>(subtree.size()));
  for (const fv1::CollectionFigures& m : report.by_month()) {
    ASSERT_EQ(subtree.count(m.month()), 1u) << m.month();
    EXPECT_EQ(Of(m), subtree.at(m.month())) << m.month();
    EXPECT_EQ(m.collection_rate_bp(), Rate(Of(m)));
    EXPECT_EQ(m.org_id(), 0);
  }
  EXPECT_EQ(Of(report.total()), Sum(subtree));
  EXPECT_EQ(report.total().collection_rate_bp(), Rate(Sum(subtree)));
  EXPECT_TRUE(report.total().month().empty());

  // Every direct child, with its name; its months from its own subtree.
  const auto children = seed.Rows(
      "SELECT org_id, name, path FROM roster_orgs WHERE parent_id = ? "
      "ORDER BY org_id",
      org);
  ASSERT_EQ(report.by_child_size(), static_cast<int>(children.size()));
  int child_months = 0;
  for (size_t i = 0; i < children.size(); ++i) {
    const fv1::CollectionFigures& child = report.by_child(static_cast<int>(i));
    EXPECT_EQ(child.org_id(), std::stoll(children[i][0]));
    EXPECT_EQ(child.org_name(), children[i][1]);
    const auto raw = RawByMonth(seed, children[i][2], 0, false, from, to);
    EXPECT_EQ(Of(child), Sum(raw)) << child.org_name();
    EXPECT_EQ(child.collection_rate_bp(), Rate(Sum(raw)));
    for (const fv1::CollectionFigures& cm : report.by_child_month()) {
      if (cm.org_id() != child.org_id()) continue;
      ++child_months;
      ASSERT_EQ(raw.count(cm.month()), 1u);
      EXPECT_EQ(Of(cm), raw.at(cm.month()));
      EXPECT_EQ(cm.org_name(), child.org_name());
      EXPECT_EQ(cm.collection_rate_bp(), Rate(Of(cm)));
    }
  }
  EXPECT_EQ(child_months, report.by_child_month_size());

  const auto own = RawByMonth(seed, path, org, true, from, to);
  ASSERT_EQ(report.own_by_month_size(), static_cast<int>(own.size()));
  for (const fv1::CollectionFigures& m : report.own_by_month()) {
    ASSERT_EQ(own.count(m.month()), 1u);
    EXPECT_EQ(Of(m), own.at(m.month()));
    EXPECT_EQ(m.org_id(), org);
  }
}

// What ListArrears must say, recomputed from the raw charges: per member
// with past charges in the subtree, the unsettled months, their sum, the
// longest run of unsettled charged months and whether the run ending at
// the latest past charge is six or more.
inline std::vector<fv1::ArrearsEntry> RawArrears(ReportSeeder& seed,
                                                 const std::string& path,
                                                 const std::string& current,
                                                 int min_months,
                                                 bool lapse_only) {
  std::map<int64_t, fv1::ArrearsEntry> by_member;
  std::map<int64_t, int> run;
  for (const auto& row : seed.Rows(
           "SELECT c.member_id, c.month, c.org_id, c.due_fen, c.paid_fen, "
           "m.name FROM dues_charges c JOIN roster_members m ON m.member_id "
           "= c.member_id WHERE c.org_path LIKE CONCAT(?, '%') AND c.month "
           "< ? ORDER BY c.member_id, c.month",
           path, current)) {
    const int64_t member = std::stoll(row[0]);
    fv1::ArrearsEntry& e = by_member[member];
    e.set_member_id(member);
    e.set_name(row[5]);
    e.set_org_id(std::stoll(row[2]));
    const int64_t due = std::stoll(row[3]);
    const int64_t paid = std::stoll(row[4]);
    if (due > paid) {
      e.set_months_in_arrears(e.months_in_arrears() + 1);
      e.set_outstanding_fen(e.outstanding_fen() + due - paid);
      if (e.oldest_open_month().empty()) e.set_oldest_open_month(row[1]);
      ++run[member];
      e.set_longest_consecutive_unpaid(
          std::max(e.longest_consecutive_unpaid(), run[member]));
    } else {
      run[member] = 0;
    }
    e.set_lapse_candidate(run[member] >= 6);
  }
  std::vector<fv1::ArrearsEntry> out;
  for (auto& [member, e] : by_member) {
    if (e.months_in_arrears() < min_months) continue;
    if (lapse_only && !e.lapse_candidate()) continue;
    out.push_back(e);
  }
  return out;
}

inline void ExpectSameEntries(const std::vector<fv1::ArrearsEntry>& got,
                              const std::vector<fv1::ArrearsEntry>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].SerializeAsString(), want[i].SerializeAsString())
        << "got " << got[i].ShortDebugString() << "\nwant "
        << want[i].ShortDebugString();
  }
}

// Every page of ListArrears (of ListLapseCandidates when `lapse`).
inline std::vector<fv1::ArrearsEntry> AllArrears(FinanceServer& server,
                                                 int64_t org, int min_months,
                                                 int page_size, int* pages,
                                                 bool lapse = false) {
  std::vector<fv1::ArrearsEntry> all;
  *pages = 0;
  std::string token;
  do {
    google::protobuf::RepeatedPtrField<fv1::ArrearsEntry> entries;
    if (lapse) {
      fv1::ListLapseCandidatesRequest req;
      req.set_org_id(org);
      req.set_page_size(page_size);
      req.set_page_token(token);
      fv1::ListLapseCandidatesResponse resp =
          MustRpc(server.audit(), &fv1::AuditService::Stub::ListLapseCandidates,
                  req, "ListLapseCandidates");
      entries = resp.entries();
      token = resp.next_page_token();
    } else {
      fv1::ListArrearsRequest req;
      req.set_org_id(org);
      req.set_min_months(min_months);
      req.set_page_size(page_size);
      req.set_page_token(token);
      fv1::ListArrearsResponse resp =
          MustRpc(server.audit(), &fv1::AuditService::Stub::ListArrears, req,
                  "ListArrears");
      entries = resp.entries();
      token = resp.next_page_token();
    }
    ++*pages;
    EXPECT_LE(entries.size(), page_size);
    for (const auto& e : entries) all.push_back(e);
  } while (!token.empty() && *pages <= 100);
  return all;
}

// GetSpendingReport for the subtree and months equals the raw expenses
// (by category: amount, front-line part, count; flagged 13 and 14) and
// the subtree's budgets of the years the months touch.
inline fv1::GetSpendingReportResponse ExpectSpendingMatchesRaw(
    FinanceServer& server, ReportSeeder& seed, int64_t org,
    const std::string& from, const std::string& to) {
  SCOPED_TRACE(absl::StrCat("spending of org ", org, " ", from, "..", to));
  struct Spent {
    int64_t amount = 0, front_line = 0, count = 0, budget = 0;
  };
  const std::string path = seed.PathOf(org);
  std::map<int, Spent> want;
  for (const auto& row : seed.Rows(
           "SELECT category, SUM(amount_fen), SUM(IF(front_line, amount_fen, "
           "0)), COUNT(*) FROM expenses WHERE org_path LIKE CONCAT(?, '%') "
           "AND spent_on BETWEEN CONCAT(?, '-01') AND LAST_DAY(CONCAT(?, "
           "'-01')) GROUP BY category",
           path, from, to)) {
    Spent& s = want[std::stoi(row[0])];
    s.amount = std::stoll(row[1]);
    s.front_line = std::stoll(row[2]);
    s.count = std::stoll(row[3]);
  }
  for (const auto& row : seed.Rows(
           "SELECT b.category, SUM(b.amount_fen) FROM budgets b JOIN "
           "roster_orgs o ON o.org_id = b.org_id WHERE o.path LIKE CONCAT(?, "
           "'%') AND b.year BETWEEN ? AND ? GROUP BY b.category",
           path, std::stoi(from.substr(0, 4)), std::stoi(to.substr(0, 4)))) {
    want[std::stoi(row[0])].budget = std::stoll(row[1]);
  }
  fv1::GetSpendingReportRequest req;
  req.set_org_id(org);
  req.set_from_month(from);
  req.set_to_month(to);
  fv1::GetSpendingReportResponse resp =
      MustRpc(server.audit(), &fv1::AuditService::Stub::GetSpendingReport, req,
              "GetSpendingReport");
  EXPECT_EQ(resp.by_category_size(), static_cast<int>(want.size()));
  if (resp.by_category_size() != static_cast<int>(want.size())) return resp;
  Spent total, flagged;
  int i = 0;
  for (const auto& [category, s] : want) {
    const fv1::SpendingFigures& f = resp.by_category(i++);
    EXPECT_EQ(f.category(), category);
    EXPECT_EQ(f.amount_fen(), s.amount) << category;
    EXPECT_EQ(f.front_line_fen(), s.front_line) << category;
    EXPECT_EQ(f.expenses(), s.count) << category;
    EXPECT_EQ(f.budget_fen(), s.budget) << category;
    EXPECT_EQ(f.flagged(), category == 13 || category == 14) << category;
    total.amount += s.amount;
    total.front_line += s.front_line;
    if (f.flagged()) {
      flagged.amount += s.amount;
      flagged.count += s.count;
    }
  }
  EXPECT_EQ(resp.total_fen(), total.amount);
  EXPECT_EQ(resp.front_line_fen(), total.front_line);
  EXPECT_EQ(resp.front_line_share_bp(),
            total.amount == 0 ? 0
                              : (total.front_line * 20000 + total.amount) /
                                    (2 * total.amount));
  EXPECT_EQ(resp.flagged_fen(), flagged.amount);
  EXPECT_EQ(resp.flagged_expenses(), flagged.count);
  return resp;
}

}  // namespace unionhub::testing

#endif  // UNIONHUB_TESTS_SERVICE_FINANCE_REPORTS_RECOMPUTE_H_
