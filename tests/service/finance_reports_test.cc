// The auditors' dues reports over a seeded county: the collection report
// (per month, per child, child x month, own charges, totals, rates) equals a
// recomputation from the raw charges; the arrears and lapse-candidate lists
// equal a recomputation from the raw charges, across pages; validation
// names every bad field; auditors read reports but write no finance data;
// a scoped auditor sees only their subtree.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/core/dates.h"
#include "tests/service/finance_helpers.h"
#include "tests/service/finance_reports_recompute.h"
#include "tests/service/finance_reports_seed.h"

namespace unionhub::testing {
namespace {

using AuditStub = fv1::AuditService::Stub;

constexpr int kMembers = 40;
constexpr int64_t kFirstMember = 7000001;
constexpr int kPastMonths = 8;

// Member i's month k (0 = oldest, kPastMonths = the current month) by
// pattern i % 10. The current month is always unpaid (not late yet).
int64_t PaidFor(int i, int k, int64_t due) {
  if (k == kPastMonths) return 0;
  switch (i % 10) {
    case 0:  // never paid: a run of 8, a lapse candidate
      return 0;
    case 1:  // six unpaid, then paid: arrears, no lapse
      return k < 6 ? 0 : due;
    case 2:  // two half-paid months
      return (k == 2 || k == 5) ? due / 2 : due;
    case 3:  // one missed month
      return k == 4 ? 0 : due;
    case 4:  // unpaid since month 1: a run of 7
      return k >= 1 ? 0 : due;
    case 5:  // exactly six unpaid at the end
      return k >= 2 ? 0 : due;
    case 6:  // five unpaid at the end: arrears, not even a candidate
      return k >= 3 ? 0 : due;
    case 7:  // six unpaid in two runs of three: a candidate, no lapse
      return (k <= 2 || k >= 5) ? 0 : due;
    default:
      return due;
  }
}

struct County {
  SmallCounty c;
  absl::CivilMonth current;
  std::vector<std::string> months;  // oldest first; the last is current
};

County SeedCounty(FinanceServer& server) {
  County county;
  county.c = BuildSmallCounty(server, {});
  ReportSeeder seed(server);
  county.current = absl::CivilMonth(dates::TodayInChina());
  for (int k = kPastMonths; k >= 0; --k) {
    county.months.push_back(dates::FormatMonth(county.current - k));
  }
  // Township A holds members of firms without a union itself.
  const int64_t orgs[] = {
      county.c.union_a1.org_id(), county.c.union_a2.org_id(),
      county.c.union_b1.org_id(), county.c.township_a.org_id()};
  for (int i = 0; i < kMembers; ++i) {
    const int64_t member = kFirstMember + i;
    const int64_t org = orgs[i % 4];
    seed.Member(member, absl::StrCat("会员", i), org);
    const int64_t due = 2000 + 10 * i;
    for (int k = 0; k <= kPastMonths; ++k) {
      seed.Charge(member, county.months[k], org, due, PaidFor(i, k, due));
    }
  }
  return county;
}

TEST(FinanceReports, CollectionReportEqualsRawChargesForEveryLevel) {
  FinanceServer server("reports_collection");
  County county = SeedCounty(server);
  ReportSeeder seed(server);
  const std::string first = county.months.front();
  const std::string last = county.months.back();
  for (int64_t org :
       {county.c.county.org_id(), county.c.township_a.org_id(),
        county.c.township_b.org_id(), county.c.union_a1.org_id()}) {
    ExpectReportMatchesRaw(seed, org, first, last,
                           MustCollectionReport(server, org, first, last));
  }
  // A sub-range, and a range reaching past the data.
  ExpectReportMatchesRaw(
      seed, county.c.county.org_id(), county.months[2], county.months[4],
      MustCollectionReport(server, county.c.county.org_id(), county.months[2],
                           county.months[4]));
  const std::string earlier = dates::FormatMonth(county.current - 60);
  const std::string later = dates::FormatMonth(county.current + 30);
  fv1::GetCollectionReportResponse wide =
      MustCollectionReport(server, county.c.county.org_id(), earlier, later);
  ExpectReportMatchesRaw(seed, county.c.county.org_id(), earlier, later, wide);
  EXPECT_EQ(wide.by_month_size(), kPastMonths + 1);

  // The report names the org; township A's own members show as own.
  fv1::GetCollectionReportResponse a =
      MustCollectionReport(server, county.c.township_a.org_id(), first, last);
  EXPECT_EQ(a.org_name(), "城关镇总工会");
  EXPECT_EQ(a.own_by_month_size(), kPastMonths + 1);
  EXPECT_EQ(a.by_child_size(), 2);
  fv1::GetCollectionReportResponse b1 =
      MustCollectionReport(server, county.c.union_b1.org_id(), first, last);
  EXPECT_EQ(b1.by_child_size(), 0);
  EXPECT_GT(b1.total().due_fen(), 0);

  // A child with no charges at all is listed, with zeros.
  mv1::Org township_c =
      MustCreateOrg(server.membership(), mv1::ORG_TYPE_TOWNSHIP_UNION,
                    county.c.county.org_id(), "东湖镇总工会");
  server.SyncRoster();
  fv1::GetCollectionReportResponse c =
      MustCollectionReport(server, county.c.county.org_id(), first, last);
  ExpectReportMatchesRaw(seed, county.c.county.org_id(), first, last, c);
  EXPECT_EQ(c.own_by_month_size(), 0);
  EXPECT_EQ(c.total().members_charged(), kMembers * (kPastMonths + 1));
  ASSERT_EQ(c.by_child_size(), 3);
  EXPECT_EQ(c.by_child(2).org_id(), township_c.org_id());
  EXPECT_EQ(c.by_child(2).org_name(), "东湖镇总工会");
  EXPECT_EQ(c.by_child(2).due_fen(), 0);
  EXPECT_EQ(c.by_child(2).collection_rate_bp(), 0);
}

TEST(FinanceReports, CollectionReportValidatesEveryField) {
  FinanceServer server("reports_collection_bad");
  SmallCounty c = BuildSmallCounty(server, {});
  fv1::GetCollectionReportRequest req;
  req.set_from_month("2025-13");
  fv1::GetCollectionReportResponse resp;
  grpc::Status status =
      Rpc(server.audit(), &AuditStub::GetCollectionReport, req, &resp);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFields(status),
            (std::vector<std::string>{"org_id", "from_month", "to_month"}));

  req.set_org_id(c.county.org_id());
  req.set_from_month("2025-06");
  req.set_to_month("2025-05");
  status = Rpc(server.audit(), &AuditStub::GetCollectionReport, req, &resp);
  EXPECT_EQ(BadFields(status), std::vector<std::string>{"to_month"});
  req.set_from_month("2015-01");
  req.set_to_month("2025-02");  // 121 months after
  status = Rpc(server.audit(), &AuditStub::GetCollectionReport, req, &resp);
  EXPECT_EQ(BadFields(status), std::vector<std::string>{"to_month"});
  req.set_to_month("2025-01");  // exactly 120 months after: allowed
  status = Rpc(server.audit(), &AuditStub::GetCollectionReport, req, &resp);
  EXPECT_TRUE(status.ok()) << status.error_message();

  req.set_org_id(987654321);
  status = Rpc(server.audit(), &AuditStub::GetCollectionReport, req, &resp);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_NE(status.error_message().find("987654321"), std::string::npos);
}

TEST(FinanceReports, ArrearsEqualRecomputationAcrossPages) {
  FinanceServer server("reports_arrears");
  County county = SeedCounty(server);
  ReportSeeder seed(server);
  const std::string current = dates::FormatMonth(county.current);
  struct Case {
    int64_t org;
    int min_months;
    int page_size;
  };
  for (const Case& k : {Case{county.c.county.org_id(), 0, 4},
                        Case{county.c.county.org_id(), 3, 5},
                        Case{county.c.township_a.org_id(), 6, 3},
                        Case{county.c.township_b.org_id(), 1, 100},
                        Case{county.c.union_a2.org_id(), 2, 1}}) {
    SCOPED_TRACE(absl::StrCat("org ", k.org, " min ", k.min_months));
    int pages = 0;
    std::vector<fv1::ArrearsEntry> got =
        AllArrears(server, k.org, k.min_months, k.page_size, &pages);
    std::vector<fv1::ArrearsEntry> want =
        RawArrears(seed, seed.PathOf(k.org), current,
                   k.min_months == 0 ? 1 : k.min_months, false);
    ExpectSameEntries(got, want);
    EXPECT_GE(pages, static_cast<int>(want.size()) / k.page_size);
  }
  // The county's 40 members: patterns 0..7 owe something (32 members).
  int pages = 0;
  EXPECT_EQ(AllArrears(server, county.c.county.org_id(), 1, 7, &pages).size(),
            32u);
  EXPECT_EQ(pages, 5);

  fv1::ListArrearsRequest req;
  req.set_org_id(county.c.county.org_id());
  req.set_page_size(1);
  fv1::ListArrearsResponse first =
      MustRpc(server.audit(), &AuditStub::ListArrears, req, "ListArrears");
  EXPECT_EQ(first.as_of_month(), current);
  ASSERT_EQ(first.entries_size(), 1);
  // A page token belongs to its filter.
  req.set_page_token(first.next_page_token());
  req.set_min_months(3);
  fv1::ListArrearsResponse resp;
  grpc::Status status =
      Rpc(server.audit(), &AuditStub::ListArrears, req, &resp);
  EXPECT_EQ(BadFields(status), std::vector<std::string>{"page_token"});
  req.set_min_months(-1);
  req.set_page_size(-5);
  req.set_org_id(0);
  status = Rpc(server.audit(), &AuditStub::ListArrears, req, &resp);
  EXPECT_EQ(BadFields(status),
            (std::vector<std::string>{"org_id", "min_months", "page_size",
                                      "page_token"}));
}

TEST(FinanceReports, LapseCandidatesAreTheRunsOfSixEndingLatest) {
  FinanceServer server("reports_lapse");
  County county = SeedCounty(server);
  ReportSeeder seed(server);
  const std::string current = dates::FormatMonth(county.current);
  for (int page_size : {1, 2, 50}) {
    std::vector<fv1::ArrearsEntry> got;
    fv1::ListLapseCandidatesRequest req;
    req.set_org_id(county.c.county.org_id());
    req.set_page_size(page_size);
    int pages = 0;
    do {
      fv1::ListLapseCandidatesResponse resp =
          MustRpc(server.audit(), &AuditStub::ListLapseCandidates, req,
                  "ListLapseCandidates");
      EXPECT_EQ(resp.as_of_month(), current);
      EXPECT_LE(resp.entries_size(), page_size);
      for (const auto& e : resp.entries()) got.push_back(e);
      req.set_page_token(resp.next_page_token());
    } while (!req.page_token().empty() && ++pages < 100);
    std::vector<fv1::ArrearsEntry> want = RawArrears(
        seed, seed.PathOf(county.c.county.org_id()), current, 1, true);
    ExpectSameEntries(got, want);
    // Patterns 0, 4 and 5 of 40 members: 12; pattern 7 (two runs of
    // three) is examined and left out.
    EXPECT_EQ(got.size(), 12u);
    for (const auto& e : got) {
      EXPECT_TRUE(e.lapse_candidate());
      EXPECT_GE(e.longest_consecutive_unpaid(), 6);
      const int pattern = static_cast<int>(e.member_id() - kFirstMember) % 10;
      EXPECT_TRUE(pattern == 0 || pattern == 4 || pattern == 5) << pattern;
    }
  }
  // Township B (union B1 only): members 2, 6, 10, ... of which patterns
  // 0 and 4 are lapse candidates.
  fv1::ListLapseCandidatesRequest req;
  req.set_org_id(county.c.township_b.org_id());
  fv1::ListLapseCandidatesResponse b =
      MustRpc(server.audit(), &AuditStub::ListLapseCandidates, req, "lapse B");
  ExpectSameEntries({b.entries().begin(), b.entries().end()},
                    RawArrears(seed, seed.PathOf(county.c.township_b.org_id()),
                               current, 1, true));
  EXPECT_TRUE(b.next_page_token().empty());
}

TEST(FinanceReports, AuditorsReadReportsButWriteNoFinanceData) {
  FinanceServer server("reports_auditor");
  County county = SeedCounty(server);
  auto auditor = server.AuditWithToken(MintTestToken({"auditor"}, 0, "sj-1"));
  auto auditor_finance =
      server.FinanceWithToken(MintTestToken({"auditor"}, 0, "sj-1"));
  fv1::GetCollectionReportRequest report;
  report.set_org_id(county.c.county.org_id());
  report.set_from_month(county.months.front());
  report.set_to_month(county.months.back());
  fv1::GetCollectionReportResponse collected;
  EXPECT_TRUE(
      Rpc(*auditor, &AuditStub::GetCollectionReport, report, &collected).ok());
  fv1::ListArrearsRequest arrears;
  arrears.set_org_id(county.c.county.org_id());
  fv1::ListArrearsResponse arrears_resp;
  EXPECT_TRUE(
      Rpc(*auditor, &AuditStub::ListArrears, arrears, &arrears_resp).ok());

  fv1::SetDuesPolicyRequest policy;
  policy.set_request_id(NewRequestId());
  policy.mutable_policy()->set_scope_org_id(county.c.county.org_id());
  policy.mutable_policy()->set_effective_from("2025-01");
  policy.mutable_policy()->set_rate_bp(50);
  policy.mutable_policy()->set_ignore_below_fen(1000);
  fv1::SetDuesPolicyResponse policy_resp;
  EXPECT_EQ(Rpc(*auditor_finance, &fv1::FinanceService::Stub::SetDuesPolicy,
                policy, &policy_resp)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  fv1::RecordExpenseRequest expense;
  expense.set_request_id(NewRequestId());
  expense.set_org_id(county.c.county.org_id());
  expense.set_category(fv1::SPENDING_CATEGORY_MEETINGS);
  expense.set_amount_fen(100);
  fv1::RecordExpenseResponse expense_resp;
  EXPECT_EQ(Rpc(*auditor_finance, &fv1::FinanceService::Stub::RecordExpense,
                expense, &expense_resp)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // Someone without audit permissions cannot read the reports.
  auto reviewer = server.AuditWithToken(MintTestToken({"reviewer"}));
  EXPECT_EQ(Rpc(*reviewer, &AuditStub::GetCollectionReport, report, &collected)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST(FinanceReports, ScopedAuditorReadsOnlyTheirSubtree) {
  FinanceServer server("reports_scope");
  County county = SeedCounty(server);
  auto auditor_a = server.AuditWithToken(
      MintTestToken({"auditor"}, county.c.township_a.org_id(), "sj-a"));
  fv1::GetCollectionReportRequest report;
  report.set_from_month(county.months.front());
  report.set_to_month(county.months.back());
  fv1::GetCollectionReportResponse resp;
  for (int64_t org :
       {county.c.township_a.org_id(), county.c.union_a1.org_id()}) {
    report.set_org_id(org);
    grpc::Status status =
        Rpc(*auditor_a, &AuditStub::GetCollectionReport, report, &resp);
    EXPECT_TRUE(status.ok()) << org << ": " << status.error_message();
  }
  for (int64_t org : {county.c.township_b.org_id(), county.c.union_b1.org_id(),
                      county.c.county.org_id()}) {
    report.set_org_id(org);
    EXPECT_EQ(Rpc(*auditor_a, &AuditStub::GetCollectionReport, report, &resp)
                  .error_code(),
              grpc::StatusCode::PERMISSION_DENIED)
        << org;
  }
  fv1::ListArrearsRequest arrears;
  arrears.set_org_id(county.c.township_b.org_id());
  fv1::ListArrearsResponse arrears_resp;
  EXPECT_EQ(Rpc(*auditor_a, &AuditStub::ListArrears, arrears, &arrears_resp)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  fv1::ListLapseCandidatesRequest lapse;
  lapse.set_org_id(county.c.township_b.org_id());
  fv1::ListLapseCandidatesResponse lapse_resp;
  EXPECT_EQ(Rpc(*auditor_a, &AuditStub::ListLapseCandidates, lapse, &lapse_resp)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

}  // namespace
}  // namespace unionhub::testing
