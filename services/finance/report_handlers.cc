// SCAFFOLD: replaced by the real handlers.
#include "services/finance/finance_service.h"

namespace unionhub::finance {

absl::Status AuditServiceImpl::DoGetCollectionReport(
    const rpc::Caller&, const v1::GetCollectionReportRequest&,
    v1::GetCollectionReportResponse*) {
  return absl::UnimplementedError("GetCollectionReport is not built yet");
}

absl::Status AuditServiceImpl::DoListArrears(const rpc::Caller&,
                                             const v1::ListArrearsRequest&,
                                             v1::ListArrearsResponse*) {
  return absl::UnimplementedError("ListArrears is not built yet");
}

absl::Status AuditServiceImpl::DoListLapseCandidates(
    const rpc::Caller&, const v1::ListLapseCandidatesRequest&,
    v1::ListLapseCandidatesResponse*) {
  return absl::UnimplementedError("ListLapseCandidates is not built yet");
}

absl::Status AuditServiceImpl::DoGetFundsReconciliation(
    const rpc::Caller&, const v1::GetFundsReconciliationRequest&,
    v1::GetFundsReconciliationResponse*) {
  return absl::UnimplementedError("GetFundsReconciliation is not built yet");
}

absl::Status AuditServiceImpl::DoGetSpendingReport(
    const rpc::Caller&, const v1::GetSpendingReportRequest&,
    v1::GetSpendingReportResponse*) {
  return absl::UnimplementedError("GetSpendingReport is not built yet");
}

}  // namespace unionhub::finance
