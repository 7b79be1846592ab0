// gRPC handlers of unionhub.finance.v1.FinanceService and AuditService.
// Each handler validates its request, applies the rules in domain/, runs
// the store calls of one change in one transaction, and returns an
// absl::Status that the wrappers in finance_service.cc map once. The
// authorisation gate has already checked the permission and any org or
// member field the method declares; handlers check the org of what they
// find themselves (an employer's union, an engagement's org) with
// gate_.CheckOrg.
#ifndef UNIONHUB_SERVICES_FINANCE_FINANCE_SERVICE_H_
#define UNIONHUB_SERVICES_FINANCE_FINANCE_SERVICE_H_

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/core/clock.h"
#include "common/db/pool.h"
#include "common/rpc/adapter.h"
#include "common/rpc/batched_import.h"
#include "common/rpc/gate.h"
#include "common/rpc/metrics.h"
#include "unionhub/finance/v1/finance.grpc.pb.h"

namespace unionhub::finance {

namespace v1 = ::unionhub::finance::v1;

class RosterConsumer;

class FinanceServiceImpl final : public v1::FinanceService::Service {
 public:
  // `roster` reports the change feed's progress (GetRosterStatus); it may be
  // null when no consumer runs (then the status shows only the cursor).
  // `clock` says what "today" is for every rule that needs one.
  // `payroll_rows` counts ImportPayrollDeductions' rows for the metrics.
  FinanceServiceImpl(db::Pool& pool, rpc::Gate& gate, const Clock& clock,
                     const RosterConsumer* roster = nullptr,
                     rpc::ImportRowCounters payroll_rows = {})
      : pool_(pool),
        gate_(gate),
        clock_(clock),
        roster_(roster),
        payroll_rows_(payroll_rows),
        import_batches_(pool.config().pool_size) {}

  // Dues (dues_handlers.cc, payroll_import_handler.cc)
  grpc::Status SetDuesPolicy(grpc::ServerContext*,
                             const v1::SetDuesPolicyRequest*,
                             v1::SetDuesPolicyResponse*) override;
  grpc::Status ListDuesPolicies(grpc::ServerContext*,
                                const v1::ListDuesPoliciesRequest*,
                                v1::ListDuesPoliciesResponse*) override;
  grpc::Status AssessDues(grpc::ServerContext*, const v1::AssessDuesRequest*,
                          v1::AssessDuesResponse*) override;
  grpc::Status RecordDuesPayment(grpc::ServerContext*,
                                 const v1::RecordDuesPaymentRequest*,
                                 v1::RecordDuesPaymentResponse*) override;
  grpc::Status ImportPayrollDeductions(
      grpc::ServerContext*,
      grpc::ServerReader<v1::ImportPayrollDeductionsRequest>*,
      v1::ImportPayrollDeductionsResponse*) override;
  grpc::Status ListSuspense(grpc::ServerContext*,
                            const v1::ListSuspenseRequest*,
                            v1::ListSuspenseResponse*) override;
  grpc::Status ResolveSuspense(grpc::ServerContext*,
                               const v1::ResolveSuspenseRequest*,
                               v1::ResolveSuspenseResponse*) override;
  grpc::Status GetMemberDuesStatement(
      grpc::ServerContext*, const v1::GetMemberDuesStatementRequest*,
      v1::GetMemberDuesStatementResponse*) override;
  grpc::Status GetDuesStanding(grpc::ServerContext*,
                               const v1::GetDuesStandingRequest*,
                               v1::GetDuesStandingResponse*) override;
  // Union funds (funds_handlers.cc)
  grpc::Status DeclarePayroll(grpc::ServerContext*,
                              const v1::DeclarePayrollRequest*,
                              v1::DeclarePayrollResponse*) override;
  grpc::Status RecordFundsCollection(
      grpc::ServerContext*, const v1::RecordFundsCollectionRequest*,
      v1::RecordFundsCollectionResponse*) override;
  grpc::Status SetAllocationTable(grpc::ServerContext*,
                                  const v1::SetAllocationTableRequest*,
                                  v1::SetAllocationTableResponse*) override;
  grpc::Status ListAllocationTables(grpc::ServerContext*,
                                    const v1::ListAllocationTablesRequest*,
                                    v1::ListAllocationTablesResponse*) override;
  grpc::Status SetRefundPolicy(grpc::ServerContext*,
                               const v1::SetRefundPolicyRequest*,
                               v1::SetRefundPolicyResponse*) override;
  grpc::Status ListRefundPolicies(grpc::ServerContext*,
                                  const v1::ListRefundPoliciesRequest*,
                                  v1::ListRefundPoliciesResponse*) override;
  // Ledger (ledger_handlers.cc)
  grpc::Status ReverseTransaction(grpc::ServerContext*,
                                  const v1::ReverseTransactionRequest*,
                                  v1::ReverseTransactionResponse*) override;
  grpc::Status GetTransaction(grpc::ServerContext*,
                              const v1::GetTransactionRequest*,
                              v1::GetTransactionResponse*) override;
  // Spending and budgets (spending_handlers.cc)
  grpc::Status RecordExpense(grpc::ServerContext*,
                             const v1::RecordExpenseRequest*,
                             v1::RecordExpenseResponse*) override;
  grpc::Status SetBudget(grpc::ServerContext*, const v1::SetBudgetRequest*,
                         v1::SetBudgetResponse*) override;
  grpc::Status GetBudgetExecution(grpc::ServerContext*,
                                  const v1::GetBudgetExecutionRequest*,
                                  v1::GetBudgetExecutionResponse*) override;
  // Roster (roster_status_handler.cc)
  grpc::Status GetRosterStatus(grpc::ServerContext*,
                               const v1::GetRosterStatusRequest*,
                               v1::GetRosterStatusResponse*) override;

 private:
  // Dues (dues_handlers.cc, payroll_import_handler.cc)
  absl::Status DoSetDuesPolicy(const rpc::Caller&,
                               const v1::SetDuesPolicyRequest&,
                               v1::SetDuesPolicyResponse*);
  absl::Status DoListDuesPolicies(const rpc::Caller&,
                                  const v1::ListDuesPoliciesRequest&,
                                  v1::ListDuesPoliciesResponse*);
  absl::Status DoAssessDues(const rpc::Caller&, const v1::AssessDuesRequest&,
                            v1::AssessDuesResponse*);
  absl::Status DoRecordDuesPayment(const rpc::Caller&,
                                   const v1::RecordDuesPaymentRequest&,
                                   v1::RecordDuesPaymentResponse*);
  absl::Status DoImportPayrollDeductions(
      const rpc::Caller&, grpc::ServerContext&,
      grpc::ServerReader<v1::ImportPayrollDeductionsRequest>&,
      v1::ImportPayrollDeductionsResponse*, std::string* request_id);
  absl::Status DoListSuspense(const rpc::Caller&,
                              const v1::ListSuspenseRequest&,
                              v1::ListSuspenseResponse*);
  absl::Status DoResolveSuspense(const rpc::Caller&,
                                 const v1::ResolveSuspenseRequest&,
                                 v1::ResolveSuspenseResponse*);
  absl::Status DoGetMemberDuesStatement(
      const rpc::Caller&, const v1::GetMemberDuesStatementRequest&,
      v1::GetMemberDuesStatementResponse*);
  absl::Status DoGetDuesStanding(const rpc::Caller&,
                                 const v1::GetDuesStandingRequest&,
                                 v1::GetDuesStandingResponse*);
  // Union funds (funds_handlers.cc)
  absl::Status DoDeclarePayroll(const rpc::Caller&,
                                const v1::DeclarePayrollRequest&,
                                v1::DeclarePayrollResponse*);
  absl::Status DoRecordFundsCollection(const rpc::Caller&,
                                       const v1::RecordFundsCollectionRequest&,
                                       v1::RecordFundsCollectionResponse*);
  absl::Status DoSetAllocationTable(const rpc::Caller&,
                                    const v1::SetAllocationTableRequest&,
                                    v1::SetAllocationTableResponse*);
  absl::Status DoListAllocationTables(const rpc::Caller&,
                                      const v1::ListAllocationTablesRequest&,
                                      v1::ListAllocationTablesResponse*);
  absl::Status DoSetRefundPolicy(const rpc::Caller&,
                                 const v1::SetRefundPolicyRequest&,
                                 v1::SetRefundPolicyResponse*);
  absl::Status DoListRefundPolicies(const rpc::Caller&,
                                    const v1::ListRefundPoliciesRequest&,
                                    v1::ListRefundPoliciesResponse*);
  // Ledger (ledger_handlers.cc)
  absl::Status DoReverseTransaction(const rpc::Caller&,
                                    const v1::ReverseTransactionRequest&,
                                    v1::ReverseTransactionResponse*);
  absl::Status DoGetTransaction(const rpc::Caller&,
                                const v1::GetTransactionRequest&,
                                v1::GetTransactionResponse*);
  // Spending and budgets (spending_handlers.cc)
  absl::Status DoRecordExpense(const rpc::Caller&,
                               const v1::RecordExpenseRequest&,
                               v1::RecordExpenseResponse*);
  absl::Status DoSetBudget(const rpc::Caller&, const v1::SetBudgetRequest&,
                           v1::SetBudgetResponse*);
  absl::Status DoGetBudgetExecution(const rpc::Caller&,
                                    const v1::GetBudgetExecutionRequest&,
                                    v1::GetBudgetExecutionResponse*);
  // Roster (roster_status_handler.cc)
  absl::Status DoGetRosterStatus(const rpc::Caller&,
                                 const v1::GetRosterStatusRequest&,
                                 v1::GetRosterStatusResponse*);

  db::Pool& pool_;
  rpc::Gate& gate_;
  const Clock& clock_;
  const RosterConsumer* roster_;
  const rpc::ImportRowCounters payroll_rows_;
  // One batch per database connection: more would only wait for one.
  rpc::ImportBatchSlots import_batches_;
};

class AuditServiceImpl final : public v1::AuditService::Service {
 public:
  // VerifyLedger reports the ledger not intact once an entry has waited
  // longer than `seal_stall_after` for its seal.
  AuditServiceImpl(db::Pool& pool, rpc::Gate& gate, const Clock& clock,
                   absl::Duration seal_stall_after = absl::Minutes(10))
      : pool_(pool),
        gate_(gate),
        clock_(clock),
        seal_stall_after_(seal_stall_after) {}

  // Reports (report_handlers.cc)
  grpc::Status GetCollectionReport(grpc::ServerContext*,
                                   const v1::GetCollectionReportRequest*,
                                   v1::GetCollectionReportResponse*) override;
  grpc::Status ListArrears(grpc::ServerContext*, const v1::ListArrearsRequest*,
                           v1::ListArrearsResponse*) override;
  grpc::Status ListLapseCandidates(grpc::ServerContext*,
                                   const v1::ListLapseCandidatesRequest*,
                                   v1::ListLapseCandidatesResponse*) override;
  grpc::Status GetFundsReconciliation(
      grpc::ServerContext*, const v1::GetFundsReconciliationRequest*,
      v1::GetFundsReconciliationResponse*) override;
  grpc::Status GetSpendingReport(grpc::ServerContext*,
                                 const v1::GetSpendingReportRequest*,
                                 v1::GetSpendingReportResponse*) override;
  // Ledger integrity (ledger_handlers.cc)
  grpc::Status VerifyLedger(grpc::ServerContext*,
                            const v1::VerifyLedgerRequest*,
                            v1::VerifyLedgerResponse*) override;
  grpc::Status ExportLedger(
      grpc::ServerContext*, const v1::ExportLedgerRequest*,
      grpc::ServerWriter<v1::ExportLedgerResponse>*) override;
  // Engagements (engagement_handlers.cc)
  grpc::Status OpenEngagement(grpc::ServerContext*,
                              const v1::OpenEngagementRequest*,
                              v1::OpenEngagementResponse*) override;
  grpc::Status AdvanceEngagement(grpc::ServerContext*,
                                 const v1::AdvanceEngagementRequest*,
                                 v1::AdvanceEngagementResponse*) override;
  grpc::Status GetEngagement(grpc::ServerContext*,
                             const v1::GetEngagementRequest*,
                             v1::GetEngagementResponse*) override;
  grpc::Status ListEngagements(grpc::ServerContext*,
                               const v1::ListEngagementsRequest*,
                               v1::ListEngagementsResponse*) override;
  grpc::Status AddFinding(grpc::ServerContext*, const v1::AddFindingRequest*,
                          v1::AddFindingResponse*) override;
  grpc::Status AddRectification(grpc::ServerContext*,
                                const v1::AddRectificationRequest*,
                                v1::AddRectificationResponse*) override;
  grpc::Status UpdateRectification(grpc::ServerContext*,
                                   const v1::UpdateRectificationRequest*,
                                   v1::UpdateRectificationResponse*) override;
  grpc::Status ListOverdueRectifications(
      grpc::ServerContext*, const v1::ListOverdueRectificationsRequest*,
      v1::ListOverdueRectificationsResponse*) override;
  grpc::Status CloseEngagement(grpc::ServerContext*,
                               const v1::CloseEngagementRequest*,
                               v1::CloseEngagementResponse*) override;

 private:
  // Reports (report_handlers.cc)
  absl::Status DoGetCollectionReport(const rpc::Caller&,
                                     const v1::GetCollectionReportRequest&,
                                     v1::GetCollectionReportResponse*);
  absl::Status DoListArrears(const rpc::Caller&, const v1::ListArrearsRequest&,
                             v1::ListArrearsResponse*);
  absl::Status DoListLapseCandidates(const rpc::Caller&,
                                     const v1::ListLapseCandidatesRequest&,
                                     v1::ListLapseCandidatesResponse*);
  absl::Status DoGetFundsReconciliation(
      const rpc::Caller&, const v1::GetFundsReconciliationRequest&,
      v1::GetFundsReconciliationResponse*);
  absl::Status DoGetSpendingReport(const rpc::Caller&,
                                   const v1::GetSpendingReportRequest&,
                                   v1::GetSpendingReportResponse*);
  // Ledger integrity (ledger_handlers.cc)
  absl::Status DoVerifyLedger(const rpc::Caller&,
                              const v1::VerifyLedgerRequest&,
                              v1::VerifyLedgerResponse*);
  absl::Status DoExportLedger(const rpc::Caller&, grpc::ServerContext&,
                              const v1::ExportLedgerRequest&,
                              rpc::ResponseStream<v1::ExportLedgerResponse>&);
  // Engagements (engagement_handlers.cc)
  absl::Status DoOpenEngagement(const rpc::Caller&,
                                const v1::OpenEngagementRequest&,
                                v1::OpenEngagementResponse*);
  absl::Status DoAdvanceEngagement(const rpc::Caller&,
                                   const v1::AdvanceEngagementRequest&,
                                   v1::AdvanceEngagementResponse*);
  absl::Status DoGetEngagement(const rpc::Caller&,
                               const v1::GetEngagementRequest&,
                               v1::GetEngagementResponse*);
  absl::Status DoListEngagements(const rpc::Caller&,
                                 const v1::ListEngagementsRequest&,
                                 v1::ListEngagementsResponse*);
  absl::Status DoAddFinding(const rpc::Caller&, const v1::AddFindingRequest&,
                            v1::AddFindingResponse*);
  absl::Status DoAddRectification(const rpc::Caller&,
                                  const v1::AddRectificationRequest&,
                                  v1::AddRectificationResponse*);
  absl::Status DoUpdateRectification(const rpc::Caller&,
                                     const v1::UpdateRectificationRequest&,
                                     v1::UpdateRectificationResponse*);
  absl::Status DoListOverdueRectifications(
      const rpc::Caller&, const v1::ListOverdueRectificationsRequest&,
      v1::ListOverdueRectificationsResponse*);
  absl::Status DoCloseEngagement(const rpc::Caller&,
                                 const v1::CloseEngagementRequest&,
                                 v1::CloseEngagementResponse*);

  db::Pool& pool_;
  rpc::Gate& gate_;
  const Clock& clock_;
  absl::Duration seal_stall_after_;
};

}  // namespace unionhub::finance

#endif  // UNIONHUB_SERVICES_FINANCE_FINANCE_SERVICE_H_
