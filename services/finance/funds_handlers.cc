// SCAFFOLD: replaced by the real handlers.
#include "services/finance/finance_service.h"

namespace unionhub::finance {

absl::Status FinanceServiceImpl::DoDeclarePayroll(
    const rpc::Caller&, const v1::DeclarePayrollRequest&,
    v1::DeclarePayrollResponse*) {
  return absl::UnimplementedError("DeclarePayroll is not built yet");
}

absl::Status FinanceServiceImpl::DoRecordFundsCollection(
    const rpc::Caller&, const v1::RecordFundsCollectionRequest&,
    v1::RecordFundsCollectionResponse*) {
  return absl::UnimplementedError("RecordFundsCollection is not built yet");
}

absl::Status FinanceServiceImpl::DoSetAllocationTable(
    const rpc::Caller&, const v1::SetAllocationTableRequest&,
    v1::SetAllocationTableResponse*) {
  return absl::UnimplementedError("SetAllocationTable is not built yet");
}

absl::Status FinanceServiceImpl::DoListAllocationTables(
    const rpc::Caller&, const v1::ListAllocationTablesRequest&,
    v1::ListAllocationTablesResponse*) {
  return absl::UnimplementedError("ListAllocationTables is not built yet");
}

absl::Status FinanceServiceImpl::DoSetRefundPolicy(
    const rpc::Caller&, const v1::SetRefundPolicyRequest&,
    v1::SetRefundPolicyResponse*) {
  return absl::UnimplementedError("SetRefundPolicy is not built yet");
}

absl::Status FinanceServiceImpl::DoListRefundPolicies(
    const rpc::Caller&, const v1::ListRefundPoliciesRequest&,
    v1::ListRefundPoliciesResponse*) {
  return absl::UnimplementedError("ListRefundPolicies is not built yet");
}

}  // namespace unionhub::finance
