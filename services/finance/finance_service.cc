#include "services/finance/finance_service.h"

#include "common/rpc/status.h"
#include "common/rpc/stream_limits.h"

namespace unionhub::finance {

using rpc::ToGrpcStatus;

// Every unary handler has the same shape: the gate authorises the call as
// the method's proto declaration says, runs the implementation, masks and
// audits, and maps the status once.
#define UNIONHUB_UNARY(Class, Service, Method)                               \
  grpc::Status Class::Method(grpc::ServerContext* context,                   \
                             const v1::Method##Request* request,             \
                             v1::Method##Response* response) {               \
    return gate_.Unary(*context, "unionhub.finance.v1." Service "." #Method, \
                       *request, response, [&](const rpc::Caller& caller) {  \
                         return Do##Method(caller, *request, response);      \
                       });                                                   \
  }

UNIONHUB_UNARY(FinanceServiceImpl, "FinanceService", SetDuesPolicy)
UNIONHUB_UNARY(FinanceServiceImpl, "FinanceService", ListDuesPolicies)
UNIONHUB_UNARY(FinanceServiceImpl, "FinanceService", AssessDues)
UNIONHUB_UNARY(FinanceServiceImpl, "FinanceService", RecordDuesPayment)
UNIONHUB_UNARY(FinanceServiceImpl, "FinanceService", ListSuspense)
UNIONHUB_UNARY(FinanceServiceImpl, "FinanceService", ResolveSuspense)
UNIONHUB_UNARY(FinanceServiceImpl, "FinanceService", GetMemberDuesStatement)
UNIONHUB_UNARY(FinanceServiceImpl, "FinanceService", GetDuesStanding)
UNIONHUB_UNARY(FinanceServiceImpl, "FinanceService", DeclarePayroll)
UNIONHUB_UNARY(FinanceServiceImpl, "FinanceService", RecordFundsCollection)
UNIONHUB_UNARY(FinanceServiceImpl, "FinanceService", SetAllocationTable)
UNIONHUB_UNARY(FinanceServiceImpl, "FinanceService", ListAllocationTables)
UNIONHUB_UNARY(FinanceServiceImpl, "FinanceService", SetRefundPolicy)
UNIONHUB_UNARY(FinanceServiceImpl, "FinanceService", ListRefundPolicies)
UNIONHUB_UNARY(FinanceServiceImpl, "FinanceService", ReverseTransaction)
UNIONHUB_UNARY(FinanceServiceImpl, "FinanceService", GetTransaction)
UNIONHUB_UNARY(FinanceServiceImpl, "FinanceService", RecordExpense)
UNIONHUB_UNARY(FinanceServiceImpl, "FinanceService", SetBudget)
UNIONHUB_UNARY(FinanceServiceImpl, "FinanceService", GetBudgetExecution)
UNIONHUB_UNARY(FinanceServiceImpl, "FinanceService", GetRosterStatus)

UNIONHUB_UNARY(AuditServiceImpl, "AuditService", GetCollectionReport)
UNIONHUB_UNARY(AuditServiceImpl, "AuditService", ListArrears)
UNIONHUB_UNARY(AuditServiceImpl, "AuditService", ListLapseCandidates)
UNIONHUB_UNARY(AuditServiceImpl, "AuditService", GetFundsReconciliation)
UNIONHUB_UNARY(AuditServiceImpl, "AuditService", GetSpendingReport)
UNIONHUB_UNARY(AuditServiceImpl, "AuditService", VerifyLedger)
UNIONHUB_UNARY(AuditServiceImpl, "AuditService", OpenEngagement)
UNIONHUB_UNARY(AuditServiceImpl, "AuditService", AdvanceEngagement)
UNIONHUB_UNARY(AuditServiceImpl, "AuditService", GetEngagement)
UNIONHUB_UNARY(AuditServiceImpl, "AuditService", ListEngagements)
UNIONHUB_UNARY(AuditServiceImpl, "AuditService", AddFinding)
UNIONHUB_UNARY(AuditServiceImpl, "AuditService", AddRectification)
UNIONHUB_UNARY(AuditServiceImpl, "AuditService", UpdateRectification)
UNIONHUB_UNARY(AuditServiceImpl, "AuditService", ListOverdueRectifications)
UNIONHUB_UNARY(AuditServiceImpl, "AuditService", CloseEngagement)

#undef UNIONHUB_UNARY

grpc::Status FinanceServiceImpl::ImportPayrollDeductions(
    grpc::ServerContext* context,
    grpc::ServerReader<v1::ImportPayrollDeductionsRequest>* reader,
    v1::ImportPayrollDeductionsResponse* response) {
  // A client stream: the gate checks identity and permission now; the
  // handler checks the scope of the header's org when it arrives.
  const std::string method =
      "unionhub.finance.v1.FinanceService.ImportPayrollDeductions";
  rpc::Caller identified;
  absl::StatusOr<rpc::Caller> caller =
      gate_.Authorize(*context, method, nullptr, &identified);
  if (!caller.ok()) {
    gate_.Audit(identified.claims.subject.empty() ? nullptr : &identified,
                method, nullptr, caller.status(), "");
    return ToGrpcStatus(caller.status());
  }
  rpc::StreamTicket ticket = rpc::AdmitStream(*context, *caller);
  if (!ticket.admitted()) return ticket.refusal();
  std::string request_id;
  rpc::CallerScope scope(*caller);
  absl::Status status = DoImportPayrollDeductions(*caller, *context, *reader,
                                                  response, &request_id);
  if (status.ok()) rpc::Gate::Mask(*caller, *response);
  gate_.Audit(&*caller, method, nullptr, status, request_id);
  return ToGrpcStatus(status);
}

grpc::Status AuditServiceImpl::ExportLedger(
    grpc::ServerContext* context, const v1::ExportLedgerRequest* request,
    grpc::ServerWriter<v1::ExportLedgerResponse>* writer) {
  const std::string method = "unionhub.finance.v1.AuditService.ExportLedger";
  absl::StatusOr<rpc::Caller> caller =
      gate_.Authorize(*context, method, request);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  rpc::StreamTicket ticket = rpc::AdmitStream(*context, *caller);
  if (!ticket.admitted()) return ticket.refusal();
  rpc::CallerScope scope(*caller);
  return ToGrpcStatus(DoExportLedger(*caller, *context, *request, *writer));
}

}  // namespace unionhub::finance
