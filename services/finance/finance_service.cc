#include "services/finance/finance_service.h"

#include "common/rpc/adapter.h"

namespace unionhub::finance {

constexpr char kFinance[] = "unionhub.finance.v1.FinanceService";
constexpr char kAudit[] = "unionhub.finance.v1.AuditService";

UNIONHUB_RPC_UNARY(FinanceServiceImpl, kFinance, SetDuesPolicy)
UNIONHUB_RPC_UNARY(FinanceServiceImpl, kFinance, ListDuesPolicies)
UNIONHUB_RPC_UNARY(FinanceServiceImpl, kFinance, AssessDues)
UNIONHUB_RPC_UNARY(FinanceServiceImpl, kFinance, RecordDuesPayment)
UNIONHUB_RPC_UNARY(FinanceServiceImpl, kFinance, ListSuspense)
UNIONHUB_RPC_UNARY(FinanceServiceImpl, kFinance, ResolveSuspense)
UNIONHUB_RPC_UNARY(FinanceServiceImpl, kFinance, GetMemberDuesStatement)
UNIONHUB_RPC_UNARY(FinanceServiceImpl, kFinance, GetDuesStanding)
UNIONHUB_RPC_UNARY(FinanceServiceImpl, kFinance, DeclarePayroll)
UNIONHUB_RPC_UNARY(FinanceServiceImpl, kFinance, RecordFundsCollection)
UNIONHUB_RPC_UNARY(FinanceServiceImpl, kFinance, SetAllocationTable)
UNIONHUB_RPC_UNARY(FinanceServiceImpl, kFinance, ListAllocationTables)
UNIONHUB_RPC_UNARY(FinanceServiceImpl, kFinance, SetRefundPolicy)
UNIONHUB_RPC_UNARY(FinanceServiceImpl, kFinance, ListRefundPolicies)
UNIONHUB_RPC_UNARY(FinanceServiceImpl, kFinance, ReverseTransaction)
UNIONHUB_RPC_UNARY(FinanceServiceImpl, kFinance, GetTransaction)
UNIONHUB_RPC_UNARY(FinanceServiceImpl, kFinance, RecordExpense)
UNIONHUB_RPC_UNARY(FinanceServiceImpl, kFinance, SetBudget)
UNIONHUB_RPC_UNARY(FinanceServiceImpl, kFinance, GetBudgetExecution)
UNIONHUB_RPC_UNARY(FinanceServiceImpl, kFinance, GetRosterStatus)

UNIONHUB_RPC_UNARY(AuditServiceImpl, kAudit, GetCollectionReport)
UNIONHUB_RPC_UNARY(AuditServiceImpl, kAudit, ListArrears)
UNIONHUB_RPC_UNARY(AuditServiceImpl, kAudit, ListLapseCandidates)
UNIONHUB_RPC_UNARY(AuditServiceImpl, kAudit, GetFundsReconciliation)
UNIONHUB_RPC_UNARY(AuditServiceImpl, kAudit, GetSpendingReport)
UNIONHUB_RPC_UNARY(AuditServiceImpl, kAudit, VerifyLedger)
UNIONHUB_RPC_UNARY(AuditServiceImpl, kAudit, OpenEngagement)
UNIONHUB_RPC_UNARY(AuditServiceImpl, kAudit, AdvanceEngagement)
UNIONHUB_RPC_UNARY(AuditServiceImpl, kAudit, GetEngagement)
UNIONHUB_RPC_UNARY(AuditServiceImpl, kAudit, ListEngagements)
UNIONHUB_RPC_UNARY(AuditServiceImpl, kAudit, AddFinding)
UNIONHUB_RPC_UNARY(AuditServiceImpl, kAudit, AddRectification)
UNIONHUB_RPC_UNARY(AuditServiceImpl, kAudit, UpdateRectification)
UNIONHUB_RPC_UNARY(AuditServiceImpl, kAudit, ListOverdueRectifications)
UNIONHUB_RPC_UNARY(AuditServiceImpl, kAudit, CloseEngagement)

grpc::Status FinanceServiceImpl::ImportPayrollDeductions(
    grpc::ServerContext* context,
    grpc::ServerReader<v1::ImportPayrollDeductionsRequest>* reader,
    v1::ImportPayrollDeductionsResponse* response) {
  return rpc::ServeClientStream(
      gate_, *context, std::string(kFinance) + ".ImportPayrollDeductions",
      *reader, response, *this, &FinanceServiceImpl::DoImportPayrollDeductions);
}

grpc::Status AuditServiceImpl::ExportLedger(
    grpc::ServerContext* context, const v1::ExportLedgerRequest* request,
    grpc::ServerWriter<v1::ExportLedgerResponse>* writer) {
  return rpc::ServeServerStream(
      gate_, *context, std::string(kAudit) + ".ExportLedger", *request, *writer,
      *this, &AuditServiceImpl::DoExportLedger);
}

}  // namespace unionhub::finance
