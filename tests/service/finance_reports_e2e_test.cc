// The auditors' reports on data made by the real writers only: a county
// built through membership (a transfer and a status change mid-period, a
// 筹备组 later established), then dues (policies, assessments, payroll
// files with good, partial and unmatched rows, cash with credit, suspense
// resolved both ways), funds (both channels, an allocation table, a refund
// policy for a small employer, a preparation fund released on
// establishment), spending with budgets and flagged categories, and a
// reversal, all through FinanceService. Every report, at every level,
// equals a recomputation from the raw rows the writers keep; the ledger
// sums to zero and verifies after sealing.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/core/dates.h"
#include "services/finance/ledger_sealer.h"
#include "tests/service/finance_dues_helpers.h"
#include "tests/service/finance_funds_helpers.h"
#include "tests/service/finance_reports_funds_recompute.h"
#include "tests/service/finance_reports_recompute.h"

namespace unionhub::testing {
namespace {

// Past months M0..M7 (2026-03..2026-10) are assessed; the arrears are as
// of the current month, so the test needs today to be after them.
const std::vector<std::string> kMonths = {"2026-03", "2026-04", "2026-05",
                                          "2026-06", "2026-07", "2026-08",
                                          "2026-09", "2026-10"};
constexpr int kMembers = 24;
constexpr char kPaidOn[] = "2026-11-02";

std::string IdOf(int seq) { return MakeNationalId("19900101", seq); }

struct World {
  FundsCounty c;
  std::vector<mv1::Member> members;  // member i in A1, A2, B1 by i % 3
  mv1::Org new_union;                // the 筹备组, later established
};

// The dues due of member i (fen) at 50 bp: wage bases from 9.99 yuan (no
// dues) up to about 9,000 yuan.
int64_t WageOf(int i) { return i == 5 ? 999 : 300000 + 25013 * i; }

fv1::ImportPayrollDeductionsResponse MustImport(
    FinanceServer& server, int64_t employer,
    const std::vector<fv1::PayrollRow>& rows) {
  fv1::PayrollHeader header = Header(employer);
  header.set_paid_on(kPaidOn);
  fv1::ImportPayrollDeductionsResponse resp;
  grpc::Status status = ImportDeductions(server.finance(), header, rows, &resp);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return resp;
}

int64_t DueOf(FinanceServer& server, int64_t member, const std::string& month) {
  return SqlInt(server,
                "SELECT due_fen FROM dues_charges WHERE member_id = ? AND "
                "month = ?",
                member, month);
}

void Pay(FinanceServer& server, int64_t member, int64_t amount,
         const std::string& month = "") {
  fv1::RecordDuesPaymentRequest req = PaymentRequest(member, amount, month);
  req.set_paid_on(kPaidOn);
  MustRpc(server.finance(), &FStub::RecordDuesPayment, req,
          absl::StrCat("RecordDuesPayment ", member));
}

void Dues(FinanceServer& server, World& w) {
  const FundsCounty& c = w.c;
  MustSetPolicy(server, Policy(c.county.org_id(), "2026-01", 50));
  // Township B raises its rate from July: the more specific scope wins.
  MustSetPolicy(server, Policy(c.township_b.org_id(), "2026-07", 60));
  for (int k = 0; k < 3; ++k) Assess(server, c.county.org_id(), kMonths[k]);

  // A1's payroll file: full, partial, a month already paid, an unknown
  // national ID and a member of another union (both parked).
  std::vector<fv1::PayrollRow> rows;
  for (int i = 0; i < kMembers; i += 3) {
    if (i % 4 == 0) continue;  // 0, 12: never paid by the employer
    const int64_t member = w.members[i].member_id();
    rows.push_back(
        RowById(IdOf(i), kMonths[0], DueOf(server, member, kMonths[0])));
    rows.push_back(
        RowById(IdOf(i), kMonths[1], DueOf(server, member, kMonths[1]) / 2));
  }
  rows.push_back(RowById(IdOf(3), kMonths[0], 700));     // already paid
  rows.push_back(RowById(IdOf(900), kMonths[0], 1500));  // nobody
  rows.push_back(RowById(IdOf(2), kMonths[0], 1600));    // B1, not A1
  fv1::ImportPayrollDeductionsResponse a1 =
      MustImport(server, c.employer_a1, rows);
  EXPECT_EQ(a1.rows_suspended(), 3);
  EXPECT_GT(a1.rows_applied(), 6);
  std::vector<int64_t> suspense;
  for (const fv1::PayrollRowResult& r : a1.results()) {
    if (r.suspense_id() != 0) suspense.push_back(r.suspense_id());
  }
  ASSERT_EQ(suspense.size(), 3u);
  // The unknown ID was member 9's: applied to them; the B1 row goes back.
  fv1::ResolveSuspenseRequest resolve;
  resolve.set_request_id(NewRequestId());
  resolve.set_suspense_id(suspense[1]);
  resolve.set_member_id(w.members[9].member_id());
  MustRpc(server.finance(), &FStub::ResolveSuspense, resolve, "apply");
  resolve.set_request_id(NewRequestId());
  resolve.set_suspense_id(suspense[2]);
  resolve.set_member_id(0);
  resolve.set_discard(true);
  resolve.set_note("非本单位职工，退回单位");
  MustRpc(server.finance(), &FStub::ResolveSuspense, resolve, "discard");

  // Cash: member 1 pays a named month; member 4 pays far ahead (credit
  // that later assessments consume); member 7 pays a little.
  Pay(server, w.members[1].member_id(),
      DueOf(server, w.members[1].member_id(), kMonths[1]), kMonths[1]);
  Pay(server, w.members[4].member_id(), 100000);
  Pay(server, w.members[7].member_id(), 333);

  // Mid-period: member 6 moves from A1 to B1 in June; member 10 (A2)
  // retires in July; member 13 (A2) leaves in August.
  mv1::TransferMemberRequest transfer;
  transfer.set_request_id(NewRequestId());
  transfer.set_member_id(w.members[6].member_id());
  transfer.set_to_org_id(c.union_b1.org_id());
  transfer.set_effective_on("2026-06-15");
  transfer.set_reason("调动");
  mv1::TransferMemberResponse moved;
  grpc::Status status =
      Call(server.membership().stub(), &Stub::TransferMember, transfer, &moved);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_TRUE(ChangeStatus(server.membership(), w.members[10].member_id(),
                           mv1::MEMBER_STATUS_RETAINED, "2026-07-20",
                           mv1::RETAINED_REASON_RETIRED)
                  .ok());
  ASSERT_TRUE(ChangeStatus(server.membership(), w.members[13].member_id(),
                           mv1::MEMBER_STATUS_LEFT, "2026-08-05")
                  .ok());
  server.SyncRoster();
  for (int k = 3; k < 8; ++k) Assess(server, c.county.org_id(), kMonths[k]);
  // Re-running an assessment creates nothing new.
  Assess(server, c.county.org_id(), kMonths[5]);

  // B1's file for June..August (member 6 now in B1 included), members
  // 2 and 5 (no dues) partly.
  rows.clear();
  for (int i = 2; i < kMembers; i += 3) {
    if (i == 14) continue;  // never pays: a lapse candidate
    for (int k = 3; k < 6; ++k) {
      const int64_t due = DueOf(server, w.members[i].member_id(), kMonths[k]);
      if (due > 0) rows.push_back(RowById(IdOf(i), kMonths[k], due - i));
    }
  }
  rows.push_back(RowById(IdOf(6), kMonths[3],
                         DueOf(server, w.members[6].member_id(), kMonths[3])));
  rows.push_back(RowByCard("NO-SUCH-CARD", kMonths[3], 2500));  // parked
  MustImport(server, c.employer_b1, rows);
}

void Funds(FinanceServer& server, World& w) {
  const FundsCounty& c = w.c;
  MustSetTable(server, "320000", "2020-01");
  fv1::SetRefundPolicyRequest refund;
  refund.set_request_id(NewRequestId());
  refund.mutable_policy()->set_from_month("2026-03");
  refund.mutable_policy()->set_to_month("2026-04");
  refund.mutable_policy()->set_small_micro_only(true);
  refund.mutable_policy()->set_refund_bp(8000);
  refund.mutable_policy()->set_description("小微企业返还 80%");
  MustRpc(server.finance(), &FStub::SetRefundPolicy, refund, "refund policy");

  const int64_t employers[] = {c.employer_a1, c.employer_a2, c.employer_b1,
                               c.without_union.employer_id()};
  for (int e = 0; e < 4; ++e) {
    for (int k = 0; k < 4; ++k) {
      const int64_t payroll = 3000000 + 100003 * e + 7777 * k;
      fv1::PayrollDeclaration d =
          MustDeclare(server, employers[e], kMonths[k], payroll);
      if (e == 3 && k != 1) continue;  // the preparation fund: April only
      if (e == 0 && k == 3) continue;  // not collected yet
      const int64_t amount =
          k == 2 ? d.appropriation_fen() / 3 : d.appropriation_fen();
      fv1::RecordFundsCollectionRequest req = CollectRequest(
          employers[e], kMonths[k], amount,
          (e + k) % 2 == 0 ? fv1::COLLECTION_CHANNEL_TAX_COLLECTED
                           : fv1::COLLECTION_CHANNEL_EMPLOYER_REMITTED);
      MustRpc(server.finance(), &FStub::RecordFundsCollection, req,
              absl::StrCat("collect ", e, " ", k));
    }
  }

  // The logistics firm's 筹备组, established in November: its April
  // preparation fund goes to the new union; later months are union funds.
  mv1::CreateOrgRequest create =
      OrgRequest(mv1::ORG_TYPE_GRASSROOTS_UNION, c.township_b.org_id(),
                 "新桥物流有限公司工会");
  create.set_existing_employer_id(c.without_union.employer_id());
  create.set_preparing(true);
  w.new_union = MustCreate(server.membership(), create);
  server.SyncRoster();
  mv1::EstablishOrgRequest establish;
  establish.set_request_id(NewRequestId());
  establish.set_org_id(w.new_union.org_id());
  MustRpc(server.membership().stub(), &Stub::EstablishOrg, establish,
          "EstablishOrg");
  server.SyncRoster();
  EXPECT_EQ(
      Sql(server, "SELECT COUNT(*) FROM funds_collections WHERE released"),
      "1");
  for (int k = 4; k < 6; ++k) {
    fv1::PayrollDeclaration d = MustDeclare(
        server, c.without_union.employer_id(), kMonths[k], 2500000 + k);
    EXPECT_EQ(d.fund(), fv1::FUND_KIND_UNION_FUNDS);
    EXPECT_EQ(d.org_id(), w.new_union.org_id());
  }
  MustRpc(server.finance(), &FStub::RecordFundsCollection,
          CollectRequest(c.without_union.employer_id(), kMonths[4], 40001),
          "collect new union");
}

void Spending(FinanceServer& server, World& w) {
  const FundsCounty& c = w.c;
  const int64_t orgs[] = {c.county.org_id(), c.township_a.org_id(),
                          c.union_a1.org_id(), c.union_b1.org_id(),
                          w.new_union.org_id()};
  std::vector<int64_t> entries;
  for (int i = 0; i < 20; ++i) {
    const auto category = static_cast<fv1::SpendingCategory>(1 + (i * 4) % 15);
    fv1::RecordExpenseRequest req = ExpenseRequest(
        orgs[i % 5], 20000 + 311 * i, category,
        kMonths[i % 8] + "-1" + std::to_string(i % 10), i % 3 != 0);
    entries.push_back(MustRpc(server.finance(), &FStub::RecordExpense, req,
                              absl::StrCat("RecordExpense ", i))
                          .expense()
                          .entry_id());
  }
  for (int64_t org : orgs) {
    for (auto category :
         {fv1::SPENDING_CATEGORY_HARDSHIP_AID, fv1::SPENDING_CATEGORY_MEETINGS,
          fv1::SPENDING_CATEGORY_HOSPITALITY}) {
      for (int64_t amount : {500000 + org, 600000 + org}) {  // replaced
        fv1::SetBudgetRequest req;
        req.set_request_id(NewRequestId());
        req.set_org_id(org);
        req.set_year(2026);
        req.set_category(category);
        req.set_amount_fen(amount);
        MustRpc(server.finance(), &FStub::SetBudget, req, "SetBudget");
      }
    }
  }
  fv1::ReverseTransactionRequest reverse;
  reverse.set_request_id(NewRequestId());
  reverse.set_entry_id(entries[3]);
  reverse.set_reason("误记：发票重复报销");
  MustRpc(server.finance(), &FStub::ReverseTransaction, reverse, "reverse");
}

World BuildWorld(FinanceServer& server) {
  World w;
  w.c = BuildFundsCounty(server);
  const int64_t orgs[] = {w.c.union_a1.org_id(), w.c.union_a2.org_id(),
                          w.c.union_b1.org_id()};
  for (int i = 0; i < kMembers; ++i) {
    mv1::Member person = Person(orgs[i % 3], i);
    // Distinct names (no digits allowed), so arrears show whose they are.
    const char* surnames[] = {"张", "王", "李", "赵", "刘", "陈", "杨", "黄"};
    const char* given[] = {"建国", "秀英", "志强"};
    person.set_name(absl::StrCat(surnames[i % 8], given[i / 8]));
    person.set_wage_base_fen(WageOf(i));
    w.members.push_back(MustJoin(server.membership(), person, "2026-02-10"));
  }
  server.SyncRoster();
  Dues(server, w);
  Funds(server, w);
  Spending(server, w);
  return w;
}

TEST(FinanceReportsE2e, ReportsEqualRecomputationOnDataMadeByTheWriters) {
  FinanceServer server("reports_e2e");
  World w = BuildWorld(server);
  if (::testing::Test::HasFatalFailure()) return;
  ReportSeeder raw(server);
  const FundsCounty& c = w.c;
  const std::vector<int64_t> levels = {
      c.county.org_id(),   c.township_a.org_id(), c.township_b.org_id(),
      c.union_a1.org_id(), c.union_a2.org_id(),   c.union_b1.org_id(),
      w.new_union.org_id()};

  // Something of everything happened.
  EXPECT_GT(SqlInt(server,
                   "SELECT COUNT(*) FROM dues_charges WHERE "
                   "paid_fen > 0 AND paid_fen < due_fen"),
            0);
  EXPECT_GT(SqlInt(server,
                   "SELECT COUNT(DISTINCT org_id) FROM dues_charges "
                   "WHERE member_id = ?",
                   w.members[6].member_id()),
            1);
  EXPECT_GT(SqlInt(server,
                   "SELECT credit_fen FROM roster_members WHERE "
                   "member_id = ?",
                   w.members[4].member_id()),
            0);
  EXPECT_GT(SqlInt(server,
                   "SELECT SUM(refund_bonus_fen) FROM "
                   "funds_collections"),
            0);
  EXPECT_EQ(SqlInt(server,
                   "SELECT COUNT(DISTINCT channel) FROM "
                   "funds_collections"),
            2);

  const std::string first = kMonths.front(), last = kMonths.back();
  for (int64_t org : levels) {
    ExpectReportMatchesRaw(raw, org, first, last,
                           MustCollectionReport(server, org, first, last));
    ExpectReportMatchesRaw(
        raw, org, kMonths[3], kMonths[5],
        MustCollectionReport(server, org, kMonths[3], kMonths[5]));
  }

  const std::string current =
      dates::FormatMonth(absl::CivilMonth(dates::TodayInChina()));
  ASSERT_GT(current, last) << "the months of this test are not past yet";
  for (int64_t org : levels) {
    SCOPED_TRACE(absl::StrCat("arrears of org ", org));
    const std::string path = raw.PathOf(org);
    int pages = 0;
    ExpectSameEntries(AllArrears(server, org, 0, 2, &pages),
                      RawArrears(raw, path, current, 1, false));
    ExpectSameEntries(AllArrears(server, org, 3, 1, &pages),
                      RawArrears(raw, path, current, 3, false));
    ExpectSameEntries(AllArrears(server, org, 0, 1, &pages, true),
                      RawArrears(raw, path, current, 1, true));
  }
  // The summary ListArrears pages over, kept by every writer above.
  ExpectArrearsSummaryMatchesCharges(server);
  EXPECT_GT(SqlInt(server, "SELECT COUNT(*) FROM dues_arrears_summary"), 0);
  int pages = 0;
  EXPECT_GE(AllArrears(server, c.county.org_id(), 0, 2, &pages).size(), 6u);
  EXPECT_GE(pages, 3);
  EXPECT_GE(AllArrears(server, c.county.org_id(), 0, 1, &pages, true).size(),
            2u);
  EXPECT_GE(pages, 2);

  for (int64_t org : levels) {
    ExpectFundsMatchRaw(server, raw, org, first, last, 2);
    ExpectFundsMatchRaw(server, raw, org, kMonths[1], kMonths[1], 1);
    for (const auto& [from, to] :
         {std::make_pair(first, last), std::make_pair(kMonths[2], kMonths[6]),
          std::make_pair(std::string("2026-01"), std::string("2026-12"))}) {
      ExpectSpendingMatchesRaw(server, raw, org, from, to);
    }
  }
  const fv1::GetSpendingReportResponse county =
      ExpectSpendingMatchesRaw(server, raw, c.county.org_id(), first, last);
  EXPECT_GT(county.flagged_fen(), 0);
  EXPECT_GT(county.front_line_fen(), 0);
  EXPECT_LT(county.front_line_fen(), county.total_fen());

  // The ledger: balanced everywhere, sealed by the sealer, and intact.
  ExpectLedgerBalanced(server);
  absl::StatusOr<int64_t> sealed = finance::SealOnce(server.database().pool());
  ASSERT_TRUE(sealed.ok()) << sealed.status();
  EXPECT_EQ(*sealed, SqlInt(server, "SELECT COUNT(*) FROM ledger_entries"));
  fv1::VerifyLedgerResponse verified =
      MustRpc(server.audit(), &AStub::VerifyLedger, fv1::VerifyLedgerRequest(),
              "VerifyLedger");
  EXPECT_TRUE(verified.intact()) << verified.reason();
  EXPECT_TRUE(verified.ledger_balanced());
  EXPECT_EQ(verified.unsealed_entries(), 0);
  EXPECT_EQ(verified.entries_checked(), *sealed);
}

}  // namespace
}  // namespace unionhub::testing
