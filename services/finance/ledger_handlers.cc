// SCAFFOLD: replaced by the real handlers.
#include "services/finance/finance_service.h"

namespace unionhub::finance {

absl::Status FinanceServiceImpl::DoReverseTransaction(
    const rpc::Caller&, const v1::ReverseTransactionRequest&,
    v1::ReverseTransactionResponse*) {
  return absl::UnimplementedError("ReverseTransaction is not built yet");
}

absl::Status FinanceServiceImpl::DoGetTransaction(
    const rpc::Caller&, const v1::GetTransactionRequest&,
    v1::GetTransactionResponse*) {
  return absl::UnimplementedError("GetTransaction is not built yet");
}

absl::Status AuditServiceImpl::DoVerifyLedger(const rpc::Caller&,
                                              const v1::VerifyLedgerRequest&,
                                              v1::VerifyLedgerResponse*) {
  return absl::UnimplementedError("VerifyLedger is not built yet");
}

absl::Status AuditServiceImpl::DoExportLedger(
    const rpc::Caller&, grpc::ServerContext&, const v1::ExportLedgerRequest&,
    grpc::ServerWriter<v1::ExportLedgerResponse>&) {
  return absl::UnimplementedError("ExportLedger is not built yet");
}

}  // namespace unionhub::finance
