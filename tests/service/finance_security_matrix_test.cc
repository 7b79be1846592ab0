// The authorisation matrix of the finance service binary: every RPC of
// FinanceService, AuditService and AuditTrailService x every role (judge
// included), with unscoped tokens, against a small seeded county. The
// expectations are written out by hand from the product's intent, not
// derived from the proto declarations or common/auth/roles.cc, which the
// gate itself reads.
//
// Allowed: the call is not refused (not PERMISSION_DENIED nor
// UNAUTHENTICATED; it may still fail on its merits). Refused:
// PERMISSION_DENIED, and a refused call writes nothing (the finance tables
// are fingerprinted before and after).
#include <google/protobuf/descriptor.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "tests/service/finance_dues_helpers.h"
#include "tests/service/finance_funds_helpers.h"
#include "unionhub/common/v1/audit_trail.grpc.pb.h"

namespace unionhub::testing {
namespace {

namespace cv1 = ::unionhub::common::v1;

const char* const kRoles[] = {"admin",     "registrar",       "finance_clerk",
                              "auditor",   "award_committee", "reviewer",
                              "nominator", "judge",           "service"};
constexpr int kRoleCount = 9;

struct Expectation {
  const char* rpc;
  // One column per role in kRoles order, every fourth character:
  // 'Y' allowed, '.' refused.
  const char* allowed;
};

// Written by hand from the product's intent:
//  - admin may do everything; the allocation and refund tables (national
//    configuration) are admin's alone;
//  - finance_clerk keeps dues, funds, spending and the ledger, and reads
//    the audit reports, but neither verifies nor exports the ledger nor
//    touches engagements or the audit trail;
//  - auditor reads everything finance holds, verifies and exports the
//    ledger, runs engagements and reads the audit trail, and writes
//    nothing else;
//  - award_committee and service read a member's dues standing only;
//  - registrar, reviewer, nominator and judge have no business here.
// clang-format off
constexpr Expectation kExpected[] = {
    // rpc                        adm reg fin aud awd rev nom jdg svc
    {"SetDuesPolicy",             "Y   .   Y   .   .   .   .   .   ."},
    {"ListDuesPolicies",          "Y   .   Y   Y   .   .   .   .   ."},
    {"AssessDues",                "Y   .   Y   .   .   .   .   .   ."},
    {"RecordDuesPayment",         "Y   .   Y   .   .   .   .   .   ."},
    {"ImportPayrollDeductions",   "Y   .   Y   .   .   .   .   .   ."},
    {"ListSuspense",              "Y   .   Y   Y   .   .   .   .   ."},
    {"ResolveSuspense",           "Y   .   Y   .   .   .   .   .   ."},
    {"GetMemberDuesStatement",    "Y   .   Y   Y   .   .   .   .   ."},
    {"GetDuesStanding",           "Y   .   Y   Y   Y   .   .   .   Y"},
    {"DeclarePayroll",            "Y   .   Y   .   .   .   .   .   ."},
    {"RecordFundsCollection",     "Y   .   Y   .   .   .   .   .   ."},
    {"SetAllocationTable",        "Y   .   .   .   .   .   .   .   ."},
    {"ListAllocationTables",      "Y   .   Y   Y   .   .   .   .   ."},
    {"SetRefundPolicy",           "Y   .   .   .   .   .   .   .   ."},
    {"ListRefundPolicies",        "Y   .   Y   Y   .   .   .   .   ."},
    {"ReverseTransaction",        "Y   .   Y   .   .   .   .   .   ."},
    {"GetTransaction",            "Y   .   Y   Y   .   .   .   .   ."},
    {"RecordExpense",             "Y   .   Y   .   .   .   .   .   ."},
    {"SetBudget",                 "Y   .   Y   .   .   .   .   .   ."},
    {"GetBudgetExecution",        "Y   .   Y   Y   .   .   .   .   ."},
    {"GetRosterStatus",           "Y   .   Y   Y   .   .   .   .   ."},
    {"GetCollectionReport",       "Y   .   Y   Y   .   .   .   .   ."},
    {"ListArrears",               "Y   .   Y   Y   .   .   .   .   ."},
    {"ListLapseCandidates",       "Y   .   Y   Y   .   .   .   .   ."},
    {"GetFundsReconciliation",    "Y   .   Y   Y   .   .   .   .   ."},
    {"GetSpendingReport",         "Y   .   Y   Y   .   .   .   .   ."},
    {"VerifyLedger",              "Y   .   .   Y   .   .   .   .   ."},
    {"ExportLedger",              "Y   .   .   Y   .   .   .   .   ."},
    {"OpenEngagement",            "Y   .   .   Y   .   .   .   .   ."},
    {"AdvanceEngagement",         "Y   .   .   Y   .   .   .   .   ."},
    {"GetEngagement",             "Y   .   .   Y   .   .   .   .   ."},
    {"ListEngagements",           "Y   .   .   Y   .   .   .   .   ."},
    {"AddFinding",                "Y   .   .   Y   .   .   .   .   ."},
    {"AddRectification",          "Y   .   .   Y   .   .   .   .   ."},
    {"UpdateRectification",       "Y   .   .   Y   .   .   .   .   ."},
    {"ListOverdueRectifications", "Y   .   .   Y   .   .   .   .   ."},
    {"CloseEngagement",           "Y   .   .   Y   .   .   .   .   ."},
    {"ListAuditTrail",            "Y   .   .   Y   .   .   .   .   ."},
};
// clang-format on

bool Allowed(const Expectation& e, int role) {
  return e.allowed[role * 4] == 'Y';
}

// Every finance table a refused call could touch, counted.
std::string StateFingerprint(FinanceServer& server) {
  static const char* const kTables[] = {
      "idempotency_keys",  "dues_policies",   "dues_assessments",
      "dues_charges",      "dues_payments",   "dues_suspense",
      "allocation_tables", "refund_policies", "payroll_declarations",
      "funds_collections", "ledger_entries",  "ledger_postings",
      "expenses",          "budgets",         "engagements",
      "findings",          "rectifications"};
  std::string sql = "SELECT CONCAT_WS('|'";
  for (const char* table : kTables) {
    absl::StrAppend(&sql, ", (SELECT COUNT(*) FROM ", table, ")");
  }
  absl::StrAppend(&sql, ")");
  return server.database().QueryValue(sql);
}

class FinanceSecurityMatrixTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new FinanceServer("finance_matrix");
    county_ = new SmallCounty(BuildSmallCounty(*server_, {500000, 400000}));
  }
  static void TearDownTestSuite() {
    delete county_;
    delete server_;
  }

  // One call of `rpc` with a plausible request on the seeded county.
  grpc::Status Call(const std::string& rpc, const std::string& token) {
    auto finance = server_->FinanceWithToken(token);
    auto audit = server_->AuditWithToken(token);
    const SmallCounty& c = *county_;
    const int64_t org = c.union_a1.org_id();
    const int64_t member = c.members[0].member_id();
    const int64_t employer = c.union_a1.employer().employer_id();
    using F = fv1::FinanceService::Stub;
    using A = fv1::AuditService::Stub;
    if (rpc == "SetDuesPolicy") {
      fv1::SetDuesPolicyRequest req;
      req.set_request_id(NewRequestId());
      *req.mutable_policy() = Policy(org, "2025-01", 50);
      fv1::SetDuesPolicyResponse resp;
      return Rpc(*finance, &F::SetDuesPolicy, req, &resp);
    }
    if (rpc == "ListDuesPolicies") {
      fv1::ListDuesPoliciesResponse resp;
      return Rpc(*finance, &F::ListDuesPolicies, fv1::ListDuesPoliciesRequest(),
                 &resp);
    }
    if (rpc == "AssessDues") {
      fv1::AssessDuesRequest req;
      req.set_request_id(NewRequestId());
      req.set_org_id(org);
      req.set_month("2025-02");
      fv1::AssessDuesResponse resp;
      return Rpc(*finance, &F::AssessDues, req, &resp);
    }
    if (rpc == "RecordDuesPayment") {
      fv1::RecordDuesPaymentResponse resp;
      return Rpc(*finance, &F::RecordDuesPayment, PaymentRequest(member, 100),
                 &resp);
    }
    if (rpc == "ImportPayrollDeductions") {
      fv1::ImportPayrollDeductionsResponse resp;
      return ImportDeductions(*finance, Header(employer),
                              {RowByCard("NOBODY", "2025-01", 100)}, &resp);
    }
    if (rpc == "ListSuspense") {
      fv1::ListSuspenseResponse resp;
      return Rpc(*finance, &F::ListSuspense, fv1::ListSuspenseRequest(), &resp);
    }
    if (rpc == "ResolveSuspense") {
      fv1::ResolveSuspenseRequest req;
      req.set_request_id(NewRequestId());
      req.set_suspense_id(1);
      req.set_discard(true);
      req.set_note("退回企业");
      fv1::ResolveSuspenseResponse resp;
      return Rpc(*finance, &F::ResolveSuspense, req, &resp);
    }
    if (rpc == "GetMemberDuesStatement") {
      fv1::GetMemberDuesStatementRequest req;
      req.set_member_id(member);
      fv1::GetMemberDuesStatementResponse resp;
      return Rpc(*finance, &F::GetMemberDuesStatement, req, &resp);
    }
    if (rpc == "GetDuesStanding") {
      fv1::GetDuesStandingRequest req;
      req.set_member_id(member);
      fv1::GetDuesStandingResponse resp;
      return Rpc(*finance, &F::GetDuesStanding, req, &resp);
    }
    if (rpc == "DeclarePayroll") {
      fv1::DeclarePayrollRequest req;
      req.set_request_id(NewRequestId());
      req.set_employer_id(employer);
      req.set_month("2025-01");
      req.set_total_payroll_fen(100000000);
      fv1::DeclarePayrollResponse resp;
      return Rpc(*finance, &F::DeclarePayroll, req, &resp);
    }
    if (rpc == "RecordFundsCollection") {
      fv1::RecordFundsCollectionRequest req;
      req.set_request_id(NewRequestId());
      req.set_employer_id(employer);
      req.set_month("2025-01");
      req.set_amount_fen(1000);
      req.set_channel(fv1::COLLECTION_CHANNEL_EMPLOYER_REMITTED);
      fv1::RecordFundsCollectionResponse resp;
      return Rpc(*finance, &F::RecordFundsCollection, req, &resp);
    }
    if (rpc == "SetAllocationTable") {
      fv1::SetAllocationTableRequest req;
      req.set_request_id(NewRequestId());
      req.mutable_table()->set_effective_from("2025-01");
      auto* share = req.mutable_table()->add_shares();
      share->set_level("national");
      share->set_share_bp(10000);
      fv1::SetAllocationTableResponse resp;
      return Rpc(*finance, &F::SetAllocationTable, req, &resp);
    }
    if (rpc == "ListAllocationTables") {
      fv1::ListAllocationTablesResponse resp;
      return Rpc(*finance, &F::ListAllocationTables,
                 fv1::ListAllocationTablesRequest(), &resp);
    }
    if (rpc == "SetRefundPolicy") {
      fv1::SetRefundPolicyRequest req;
      req.set_request_id(NewRequestId());
      req.mutable_policy()->set_from_month("2025-01");
      req.mutable_policy()->set_to_month("2025-12");
      req.mutable_policy()->set_refund_bp(10000);
      fv1::SetRefundPolicyResponse resp;
      return Rpc(*finance, &F::SetRefundPolicy, req, &resp);
    }
    if (rpc == "ListRefundPolicies") {
      fv1::ListRefundPoliciesResponse resp;
      return Rpc(*finance, &F::ListRefundPolicies,
                 fv1::ListRefundPoliciesRequest(), &resp);
    }
    if (rpc == "ReverseTransaction") {
      fv1::ReverseTransactionRequest req;
      req.set_request_id(NewRequestId());
      req.set_entry_id(1);
      req.set_reason("录入错误");
      fv1::ReverseTransactionResponse resp;
      return Rpc(*finance, &F::ReverseTransaction, req, &resp);
    }
    if (rpc == "GetTransaction") {
      fv1::GetTransactionRequest req;
      req.set_entry_id(1);
      fv1::GetTransactionResponse resp;
      return Rpc(*finance, &F::GetTransaction, req, &resp);
    }
    if (rpc == "RecordExpense") {
      fv1::RecordExpenseResponse resp;
      return Rpc(*finance, &F::RecordExpense, ExpenseRequest(org, 5000), &resp);
    }
    if (rpc == "SetBudget") {
      fv1::SetBudgetRequest req;
      req.set_request_id(NewRequestId());
      req.set_org_id(org);
      req.set_year(2025);
      req.set_category(fv1::SPENDING_CATEGORY_TRAINING);
      req.set_amount_fen(100000);
      fv1::SetBudgetResponse resp;
      return Rpc(*finance, &F::SetBudget, req, &resp);
    }
    if (rpc == "GetBudgetExecution") {
      fv1::GetBudgetExecutionRequest req;
      req.set_org_id(org);
      req.set_year(2025);
      fv1::GetBudgetExecutionResponse resp;
      return Rpc(*finance, &F::GetBudgetExecution, req, &resp);
    }
    if (rpc == "GetRosterStatus") {
      fv1::GetRosterStatusResponse resp;
      return Rpc(*finance, &F::GetRosterStatus, fv1::GetRosterStatusRequest(),
                 &resp);
    }
    if (rpc == "GetCollectionReport") {
      fv1::GetCollectionReportRequest req;
      req.set_org_id(org);
      req.set_from_month("2025-01");
      req.set_to_month("2025-03");
      fv1::GetCollectionReportResponse resp;
      return Rpc(*audit, &A::GetCollectionReport, req, &resp);
    }
    if (rpc == "ListArrears") {
      fv1::ListArrearsRequest req;
      req.set_org_id(org);
      fv1::ListArrearsResponse resp;
      return Rpc(*audit, &A::ListArrears, req, &resp);
    }
    if (rpc == "ListLapseCandidates") {
      fv1::ListLapseCandidatesRequest req;
      req.set_org_id(org);
      fv1::ListLapseCandidatesResponse resp;
      return Rpc(*audit, &A::ListLapseCandidates, req, &resp);
    }
    if (rpc == "GetFundsReconciliation") {
      fv1::GetFundsReconciliationRequest req;
      req.set_org_id(org);
      req.set_from_month("2025-01");
      req.set_to_month("2025-03");
      fv1::GetFundsReconciliationResponse resp;
      return Rpc(*audit, &A::GetFundsReconciliation, req, &resp);
    }
    if (rpc == "GetSpendingReport") {
      fv1::GetSpendingReportRequest req;
      req.set_org_id(org);
      req.set_from_month("2025-01");
      req.set_to_month("2025-03");
      fv1::GetSpendingReportResponse resp;
      return Rpc(*audit, &A::GetSpendingReport, req, &resp);
    }
    if (rpc == "VerifyLedger") {
      fv1::VerifyLedgerResponse resp;
      return Rpc(*audit, &A::VerifyLedger, fv1::VerifyLedgerRequest(), &resp);
    }
    if (rpc == "ExportLedger") {
      grpc::ClientContext context;
      context.set_deadline(Deadline());
      auto reader = audit->ExportLedger(&context, fv1::ExportLedgerRequest());
      fv1::ExportLedgerResponse message;
      while (reader->Read(&message)) {
      }
      return reader->Finish();
    }
    if (rpc == "OpenEngagement") {
      fv1::OpenEngagementRequest req;
      req.set_request_id(NewRequestId());
      req.set_org_id(org);
      req.set_type(fv1::ENGAGEMENT_TYPE_ANNUAL);
      req.set_title("2025 年度经费审查");
      req.set_period_from("2025-01");
      req.set_period_to("2025-03");
      fv1::OpenEngagementResponse resp;
      return Rpc(*audit, &A::OpenEngagement, req, &resp);
    }
    if (rpc == "AdvanceEngagement") {
      fv1::AdvanceEngagementRequest req;
      req.set_request_id(NewRequestId());
      req.set_engagement_id(1);
      req.set_status(fv1::ENGAGEMENT_STATUS_FIELDWORK);
      fv1::AdvanceEngagementResponse resp;
      return Rpc(*audit, &A::AdvanceEngagement, req, &resp);
    }
    if (rpc == "GetEngagement") {
      fv1::GetEngagementRequest req;
      req.set_engagement_id(1);
      fv1::GetEngagementResponse resp;
      return Rpc(*audit, &A::GetEngagement, req, &resp);
    }
    if (rpc == "ListEngagements") {
      fv1::ListEngagementsRequest req;
      req.set_org_id(org);
      fv1::ListEngagementsResponse resp;
      return Rpc(*audit, &A::ListEngagements, req, &resp);
    }
    if (rpc == "AddFinding") {
      fv1::AddFindingRequest req;
      req.set_request_id(NewRequestId());
      req.set_engagement_id(1);
      req.set_severity(fv1::FINDING_SEVERITY_LOW);
      req.set_category("会费收缴");
      req.set_description("收据未连号");
      fv1::AddFindingResponse resp;
      return Rpc(*audit, &A::AddFinding, req, &resp);
    }
    if (rpc == "AddRectification") {
      fv1::AddRectificationRequest req;
      req.set_request_id(NewRequestId());
      req.set_finding_id(1);
      req.set_owner("财务科");
      req.set_action("补登收据");
      req.set_deadline("2025-12-31");
      fv1::AddRectificationResponse resp;
      return Rpc(*audit, &A::AddRectification, req, &resp);
    }
    if (rpc == "UpdateRectification") {
      fv1::UpdateRectificationRequest req;
      req.set_request_id(NewRequestId());
      req.set_rectification_id(1);
      req.set_status(fv1::RECTIFICATION_STATUS_IN_PROGRESS);
      fv1::UpdateRectificationResponse resp;
      return Rpc(*audit, &A::UpdateRectification, req, &resp);
    }
    if (rpc == "ListOverdueRectifications") {
      fv1::ListOverdueRectificationsRequest req;
      req.set_org_id(org);
      fv1::ListOverdueRectificationsResponse resp;
      return Rpc(*audit, &A::ListOverdueRectifications, req, &resp);
    }
    if (rpc == "CloseEngagement") {
      fv1::CloseEngagementRequest req;
      req.set_request_id(NewRequestId());
      req.set_engagement_id(1);
      fv1::CloseEngagementResponse resp;
      return Rpc(*audit, &A::CloseEngagement, req, &resp);
    }
    if (rpc == "ListAuditTrail") {
      auto trail = cv1::AuditTrailService::NewStub(server_->Channel(token));
      cv1::ListAuditTrailResponse resp;
      return Rpc(*trail, &cv1::AuditTrailService::Stub::ListAuditTrail,
                 cv1::ListAuditTrailRequest(), &resp);
    }
    ADD_FAILURE() << "no call written for " << rpc;
    return grpc::Status(grpc::StatusCode::UNIMPLEMENTED, rpc);
  }

  static FinanceServer* server_;
  static SmallCounty* county_;
};

FinanceServer* FinanceSecurityMatrixTest::server_ = nullptr;
SmallCounty* FinanceSecurityMatrixTest::county_ = nullptr;

TEST_F(FinanceSecurityMatrixTest, TheTableCoversEveryMethodOfTheBinary) {
  std::vector<std::string> methods;
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  const auto* finance =
      pool->FindServiceByName("unionhub.finance.v1.FinanceService");
  const auto* audit =
      pool->FindServiceByName("unionhub.finance.v1.AuditService");
  ASSERT_NE(finance, nullptr);
  ASSERT_NE(audit, nullptr);
  for (int i = 0; i < finance->method_count(); ++i) {
    methods.push_back(finance->method(i)->name());
  }
  for (int i = 0; i < audit->method_count(); ++i) {
    methods.push_back(audit->method(i)->name());
  }
  methods.push_back("ListAuditTrail");
  std::vector<std::string> listed;
  for (const Expectation& e : kExpected) listed.push_back(e.rpc);
  std::sort(methods.begin(), methods.end());
  std::sort(listed.begin(), listed.end());
  EXPECT_EQ(listed, methods);
}

TEST_F(FinanceSecurityMatrixTest, EveryRoleMayCallEveryRpcExactlyAsWritten) {
  for (const Expectation& e : kExpected) {
    for (int role = 0; role < kRoleCount; ++role) {
      SCOPED_TRACE(absl::StrCat(e.rpc, " as ", kRoles[role]));
      const std::string before = StateFingerprint(*server_);
      const grpc::Status status =
          Call(e.rpc, MintTestToken({kRoles[role]}, 0,
                                    absl::StrCat("matrix-", kRoles[role])));
      if (Allowed(e, role)) {
        EXPECT_NE(status.error_code(), grpc::StatusCode::PERMISSION_DENIED)
            << status.error_message();
        EXPECT_NE(status.error_code(), grpc::StatusCode::UNAUTHENTICATED)
            << status.error_message();
      } else {
        EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED)
            << status.error_message();
        EXPECT_EQ(StateFingerprint(*server_), before)
            << "a refused call wrote something";
      }
    }
  }
}

}  // namespace
}  // namespace unionhub::testing
