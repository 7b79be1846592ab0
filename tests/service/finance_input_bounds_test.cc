// Issue 11 items 5, 12 and 8 (finance): every money input is capped at a
// documented maximum (common/core/money.h) and a refused amount writes
// nothing; finance free text follows the one text rule (common/core/
// text.h); a scoped clerk learns nothing about other subtrees from roster
// counts.
#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/core/money.h"
#include "tests/service/finance_dues_helpers.h"
#include "tests/service/finance_funds_helpers.h"

namespace unionhub::testing {
namespace {

constexpr int64_t kAbove = money::kMaxAmountFen + 1;
constexpr int64_t kMemberAbove = money::kMaxMemberAmountFen + 1;

// Rows of the tables a money or text refusal could touch.
std::string Written(FinanceServer& server) {
  return Sql(server,
             "SELECT CONCAT_WS('|', (SELECT COUNT(*) FROM ledger_entries), "
             "(SELECT COUNT(*) FROM expenses), (SELECT COUNT(*) FROM "
             "spending_rollup), (SELECT COUNT(*) FROM budgets), (SELECT "
             "COUNT(*) FROM payroll_declarations), (SELECT COUNT(*) FROM "
             "dues_payments), (SELECT COUNT(*) FROM dues_policies), (SELECT "
             "COUNT(*) FROM idempotency_keys))");
}

// INVALID_ARGUMENT naming `field`.
void ExpectRefused(const grpc::Status& status, const std::string& field) {
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
      << field << ": " << status.error_message();
  EXPECT_NE(status.error_message().find(field), std::string::npos)
      << status.error_message();
}

TEST(FinanceInputBounds, AHugeExpenseByAScopedClerkIsRefusedAndWritesNothing) {
  FinanceServer server("bounds_huge");
  SmallCounty c = BuildSmallCounty(server, {500000});
  auto clerk = server.FinanceWithToken(
      MintTestToken({"finance_clerk"}, c.township_a.org_id(), "clerk-a"));
  const std::string before = Written(server);
  fv1::RecordExpenseResponse resp;
  grpc::Status status =
      Rpc(*clerk, &FStub::RecordExpense,
          ExpenseRequest(c.union_a1.org_id(),
                         std::numeric_limits<int64_t>::max() - 10),
          &resp);
  ExpectRefused(status, "amount_fen");
  EXPECT_EQ(Written(server), before);
  // The ancestors' bookings still work.
  MustRpc(*clerk, &FStub::RecordExpense,
          ExpenseRequest(c.township_a.org_id(), 5000), "RecordExpense");
}

TEST(FinanceInputBounds, EveryCappedAmountIsAcceptedAtItsMaximumOnly) {
  FinanceServer server("bounds_caps");
  SmallCounty c = BuildSmallCounty(server, {500000});
  const int64_t org = c.union_a1.org_id();
  const int64_t member = c.members[0].member_id();
  const int64_t employer = c.union_a1.employer().employer_id();

  // RecordExpense.amount_fen
  fv1::RecordExpenseResponse expense;
  std::string before = Written(server);
  ExpectRefused(Rpc(server.finance(), &FStub::RecordExpense,
                    ExpenseRequest(org, kAbove), &expense),
                "amount_fen");
  EXPECT_EQ(Written(server), before);
  EXPECT_TRUE(Rpc(server.finance(), &FStub::RecordExpense,
                  ExpenseRequest(org, money::kMaxAmountFen), &expense)
                  .ok());

  // SetBudget.amount_fen
  fv1::SetBudgetRequest budget;
  budget.set_org_id(org);
  budget.set_year(2025);
  budget.set_category(fv1::SPENDING_CATEGORY_TRAINING);
  budget.set_request_id(NewRequestId());
  budget.set_amount_fen(kAbove);
  fv1::SetBudgetResponse budget_resp;
  before = Written(server);
  ExpectRefused(Rpc(server.finance(), &FStub::SetBudget, budget, &budget_resp),
                "amount_fen");
  EXPECT_EQ(Written(server), before);
  budget.set_request_id(NewRequestId());
  budget.set_amount_fen(money::kMaxAmountFen);
  EXPECT_TRUE(
      Rpc(server.finance(), &FStub::SetBudget, budget, &budget_resp).ok());

  // DeclarePayroll.total_payroll_fen
  fv1::DeclarePayrollRequest declare;
  declare.set_request_id(NewRequestId());
  declare.set_employer_id(employer);
  declare.set_month("2025-01");
  declare.set_total_payroll_fen(kAbove);
  fv1::DeclarePayrollResponse declared;
  before = Written(server);
  ExpectRefused(
      Rpc(server.finance(), &FStub::DeclarePayroll, declare, &declared),
      "total_payroll_fen");
  EXPECT_EQ(Written(server), before);
  declare.set_request_id(NewRequestId());
  declare.set_total_payroll_fen(money::kMaxAmountFen);
  EXPECT_TRUE(
      Rpc(server.finance(), &FStub::DeclarePayroll, declare, &declared).ok());

  // RecordFundsCollection.amount_fen: above the cap is refused as input;
  // at it, only the declaration's outstanding amount stands in the way.
  fv1::RecordFundsCollectionRequest collect;
  collect.set_request_id(NewRequestId());
  collect.set_employer_id(employer);
  collect.set_month("2025-01");
  collect.set_channel(fv1::COLLECTION_CHANNEL_EMPLOYER_REMITTED);
  collect.set_amount_fen(kAbove);
  fv1::RecordFundsCollectionResponse collected;
  ExpectRefused(
      Rpc(server.finance(), &FStub::RecordFundsCollection, collect, &collected),
      "amount_fen");
  collect.set_request_id(NewRequestId());
  collect.set_amount_fen(money::kMaxAmountFen);
  EXPECT_NE(
      Rpc(server.finance(), &FStub::RecordFundsCollection, collect, &collected)
          .error_code(),
      grpc::StatusCode::INVALID_ARGUMENT);

  // RecordDuesPayment.amount_fen (a member's amount)
  fv1::RecordDuesPaymentResponse paid;
  before = Written(server);
  ExpectRefused(Rpc(server.finance(), &FStub::RecordDuesPayment,
                    PaymentRequest(member, kMemberAbove), &paid),
                "amount_fen");
  EXPECT_EQ(Written(server), before);
  EXPECT_TRUE(Rpc(server.finance(), &FStub::RecordDuesPayment,
                  PaymentRequest(member, money::kMaxMemberAmountFen), &paid)
                  .ok());

  // SetDuesPolicy.policy.ignore_below_fen
  fv1::SetDuesPolicyRequest policy;
  policy.set_request_id(NewRequestId());
  *policy.mutable_policy() = Policy(org, "2025-01", 50, kMemberAbove);
  fv1::SetDuesPolicyResponse policy_resp;
  ExpectRefused(
      Rpc(server.finance(), &FStub::SetDuesPolicy, policy, &policy_resp),
      "policy.ignore_below_fen");
  policy.set_request_id(NewRequestId());
  policy.mutable_policy()->set_ignore_below_fen(money::kMaxMemberAmountFen);
  EXPECT_TRUE(
      Rpc(server.finance(), &FStub::SetDuesPolicy, policy, &policy_resp).ok());

  // AddFinding.amount_fen
  auto auditor = server.AuditWithToken(MintTestToken({"auditor"}));
  fv1::OpenEngagementRequest open;
  open.set_request_id(NewRequestId());
  open.set_org_id(org);
  open.set_type(fv1::ENGAGEMENT_TYPE_ANNUAL);
  open.set_title("年度审查");
  open.set_period_from("2025-01");
  open.set_period_to("2025-03");
  const int64_t engagement =
      MustRpc(*auditor, &AStub::OpenEngagement, open, "OpenEngagement")
          .engagement()
          .engagement_id();
  fv1::AdvanceEngagementRequest advance;
  advance.set_request_id(NewRequestId());
  advance.set_engagement_id(engagement);
  advance.set_status(fv1::ENGAGEMENT_STATUS_FIELDWORK);
  MustRpc(*auditor, &AStub::AdvanceEngagement, advance, "AdvanceEngagement");
  fv1::AddFindingRequest finding;
  finding.set_request_id(NewRequestId());
  finding.set_engagement_id(engagement);
  finding.set_severity(fv1::FINDING_SEVERITY_LOW);
  finding.set_category("会费");
  finding.set_description("金额");
  finding.set_amount_fen(kAbove);
  fv1::AddFindingResponse found;
  ExpectRefused(Rpc(*auditor, &AStub::AddFinding, finding, &found),
                "amount_fen");
  finding.set_request_id(NewRequestId());
  finding.set_amount_fen(money::kMaxAmountFen);
  grpc::Status at_max = Rpc(*auditor, &AStub::AddFinding, finding, &found);
  EXPECT_TRUE(at_max.ok()) << at_max.error_message();
}

TEST(FinanceInputBounds, AnOversizedPayrollRowIsParkedWithoutMoney) {
  FinanceServer server("bounds_payroll");
  SmallCounty c = BuildSmallCounty(server, {500000});
  const std::string entries_before =
      Sql(server, "SELECT COUNT(*) FROM ledger_entries");
  fv1::ImportPayrollDeductionsResponse resp;
  ASSERT_TRUE(ImportDeductions(
                  server.finance(), Header(c.union_a1.employer().employer_id()),
                  {RowByCard(c.members[0].card_number(), "2025-01",
                             std::numeric_limits<int64_t>::max() - 10)},
                  &resp)
                  .ok());
  ASSERT_EQ(resp.results_size(), 1);
  EXPECT_EQ(resp.results(0).outcome(), fv1::PAYROLL_ROW_OUTCOME_SUSPENSE);
  EXPECT_NE(resp.results(0).reason().find("amount_fen"), std::string::npos);
  EXPECT_EQ(resp.suspended_fen(), 0);
  EXPECT_EQ(Sql(server, "SELECT COUNT(*) FROM ledger_entries"), entries_before);
}

// ------------------------------------------------------------------ text

constexpr char kEscape[] = "\x1b[2J\x1b[31mFAKE";

TEST(FinanceText, ControlCharactersAreRefusedInEveryFieldFamily) {
  FinanceServer server("text_control");
  SmallCounty c = BuildSmallCounty(server, {500000});
  const int64_t org = c.union_a1.org_id();
  const std::string before = Written(server);

  // Spending: payee, approval reference, description (multi-line: a line
  // feed is fine, an escape is not).
  for (const char* field : {"payee", "approval_reference", "description"}) {
    fv1::RecordExpenseRequest req = ExpenseRequest(org, 1000);
    const auto* f = req.GetDescriptor()->FindFieldByName(field);
    req.GetReflection()->SetString(&req, f, absl::StrCat("张三", kEscape));
    fv1::RecordExpenseResponse resp;
    ExpectRefused(Rpc(server.finance(), &FStub::RecordExpense, req, &resp),
                  field);
  }
  fv1::RecordExpenseRequest cr = ExpenseRequest(org, 1000);
  cr.set_payee("张三\r李四");
  fv1::RecordExpenseResponse expense;
  ExpectRefused(Rpc(server.finance(), &FStub::RecordExpense, cr, &expense),
                "payee");
  // Dues: a payment's reference, a policy's note.
  fv1::RecordDuesPaymentRequest pay =
      PaymentRequest(c.members[0].member_id(), 100);
  pay.set_reference(kEscape);
  fv1::RecordDuesPaymentResponse paid;
  ExpectRefused(Rpc(server.finance(), &FStub::RecordDuesPayment, pay, &paid),
                "reference");
  fv1::SetDuesPolicyRequest policy;
  policy.set_request_id(NewRequestId());
  *policy.mutable_policy() = Policy(org, "2025-01", 50);
  policy.mutable_policy()->set_note(kEscape);
  fv1::SetDuesPolicyResponse policy_resp;
  ExpectRefused(
      Rpc(server.finance(), &FStub::SetDuesPolicy, policy, &policy_resp),
      "policy.note");
  // Ledger: a reversal's reason. Refund policy: its description.
  fv1::ReverseTransactionRequest reverse;
  reverse.set_request_id(NewRequestId());
  reverse.set_entry_id(1);
  reverse.set_reason(kEscape);
  fv1::ReverseTransactionResponse reversed;
  ExpectRefused(
      Rpc(server.finance(), &FStub::ReverseTransaction, reverse, &reversed),
      "reason");
  fv1::SetRefundPolicyRequest refund;
  refund.set_request_id(NewRequestId());
  refund.mutable_policy()->set_from_month("2025-01");
  refund.mutable_policy()->set_to_month("2025-12");
  refund.mutable_policy()->set_refund_bp(10000);
  refund.mutable_policy()->set_description(kEscape);
  fv1::SetRefundPolicyResponse refund_resp;
  ExpectRefused(
      Rpc(server.finance(), &FStub::SetRefundPolicy, refund, &refund_resp),
      "policy.description");
  // Suspense: a resolution note.
  fv1::ResolveSuspenseRequest resolve;
  resolve.set_request_id(NewRequestId());
  resolve.set_suspense_id(1);
  resolve.set_discard(true);
  resolve.set_note(kEscape);
  fv1::ResolveSuspenseResponse resolved;
  ExpectRefused(
      Rpc(server.finance(), &FStub::ResolveSuspense, resolve, &resolved),
      "note");
  // Engagements: a title; a multi-line finding may not carry a tab.
  auto auditor = server.AuditWithToken(MintTestToken({"auditor"}));
  fv1::OpenEngagementRequest open;
  open.set_request_id(NewRequestId());
  open.set_org_id(org);
  open.set_type(fv1::ENGAGEMENT_TYPE_ANNUAL);
  open.set_title(kEscape);
  open.set_period_from("2025-01");
  open.set_period_to("2025-03");
  fv1::OpenEngagementResponse opened;
  ExpectRefused(Rpc(*auditor, &AStub::OpenEngagement, open, &opened), "title");
  // Payroll header: its reference.
  fv1::PayrollHeader header = Header(c.union_a1.employer().employer_id());
  header.set_reference(kEscape);
  fv1::ImportPayrollDeductionsResponse imported;
  ExpectRefused(ImportDeductions(server.finance(), header, {}, &imported),
                "header.reference");
  EXPECT_EQ(Written(server), before);

  // A line feed is fine where the field is multi-line.
  fv1::RecordExpenseRequest lines = ExpenseRequest(org, 1000);
  lines.set_description("第一行\n第二行");
  EXPECT_TRUE(
      Rpc(server.finance(), &FStub::RecordExpense, lines, &expense).ok());
}

TEST(FinanceText, APayrollRowNameWithControlsIsParkedAndNotStored) {
  FinanceServer server("text_payroll");
  SmallCounty c = BuildSmallCounty(server, {500000});
  fv1::PayrollRow row = RowByCard(c.members[0].card_number(), "2025-01", 100);
  row.set_name(absl::StrCat("王", kEscape));
  fv1::ImportPayrollDeductionsResponse resp;
  ASSERT_TRUE(ImportDeductions(server.finance(),
                               Header(c.union_a1.employer().employer_id()),
                               {row}, &resp)
                  .ok());
  ASSERT_EQ(resp.results_size(), 1);
  EXPECT_EQ(resp.results(0).outcome(), fv1::PAYROLL_ROW_OUTCOME_SUSPENSE);
  EXPECT_NE(resp.results(0).reason().find("name"), std::string::npos);
  EXPECT_EQ(Sql(server,
                "SELECT COUNT(*) FROM dues_suspense WHERE "
                "name LIKE CONCAT('%', CHAR(27), '%')"),
            "0");
}

// ------------------------------------------------- existence (item 8)

TEST(FinanceScopeOracle, RosterCountsAreTheCallersSubtreeOnly) {
  FinanceServer server("oracle_roster");
  SmallCounty c = BuildSmallCounty(server, {500000, 400000, 300000, 200000});
  fv1::GetRosterStatusResponse whole =
      MustRpc(server.finance(), &FStub::GetRosterStatus,
              fv1::GetRosterStatusRequest(), "GetRosterStatus");
  EXPECT_EQ(whole.members(), 4);
  auto clerk = server.FinanceWithToken(
      MintTestToken({"finance_clerk"}, c.union_b1.org_id(), "clerk-b1"));
  fv1::GetRosterStatusResponse scoped =
      MustRpc(*clerk, &FStub::GetRosterStatus, fv1::GetRosterStatusRequest(),
              "GetRosterStatus scoped");
  // Members 0..3 go round-robin to A1, A2, B1: B1 holds member 2 only.
  EXPECT_EQ(scoped.members(), 1);
  EXPECT_EQ(scoped.orgs(), 1);
  EXPECT_EQ(scoped.last_applied_sequence(), whole.last_applied_sequence());
}

TEST(FinanceScopeOracle, SuspenseReasonsDoNotTellElsewhereFromNobody) {
  FinanceServer server("oracle_suspense");
  SmallCounty c = BuildSmallCounty(server, {500000, 400000, 300000});
  auto clerk = server.FinanceWithToken(
      MintTestToken({"finance_clerk"}, c.union_a1.org_id(), "clerk-a1"));
  fv1::ImportPayrollDeductionsResponse resp;
  ASSERT_TRUE(ImportDeductions(*clerk,
                               Header(c.union_a1.employer().employer_id()),
                               {RowByCard(c.members[2].card_number(),  // B1
                                          "2025-01", 100),
                                RowByCard("NOSUCHCARD", "2025-01", 100)},
                               &resp)
                  .ok());
  ASSERT_EQ(resp.results_size(), 2);
  EXPECT_EQ(resp.results(0).reason(), resp.results(1).reason());
  EXPECT_EQ(resp.results(0).member_id(), 0);
  // The stored items read alike too.
  EXPECT_EQ(Sql(server, "SELECT COUNT(DISTINCT reason) FROM dues_suspense"),
            "1");
  // And a suspense item of another subtree is "not found", like a missing
  // one.
  auto other = server.FinanceWithToken(
      MintTestToken({"finance_clerk"}, c.union_b1.org_id(), "clerk-b1"));
  fv1::ResolveSuspenseRequest resolve;
  resolve.set_request_id(NewRequestId());
  resolve.set_suspense_id(resp.results(0).suspense_id());
  resolve.set_discard(true);
  resolve.set_note("退回");
  fv1::ResolveSuspenseResponse out;
  grpc::Status elsewhere = Rpc(*other, &FStub::ResolveSuspense, resolve, &out);
  resolve.set_request_id(NewRequestId());
  resolve.set_suspense_id(999999);
  grpc::Status missing = Rpc(*other, &FStub::ResolveSuspense, resolve, &out);
  EXPECT_EQ(elsewhere.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(missing.error_code(), grpc::StatusCode::NOT_FOUND);
}

}  // namespace
}  // namespace unionhub::testing
