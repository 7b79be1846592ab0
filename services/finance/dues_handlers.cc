// SCAFFOLD: replaced by the real handlers.
#include "services/finance/finance_service.h"

namespace unionhub::finance {

absl::Status FinanceServiceImpl::DoSetDuesPolicy(
    const rpc::Caller&, const v1::SetDuesPolicyRequest&,
    v1::SetDuesPolicyResponse*) {
  return absl::UnimplementedError("SetDuesPolicy is not built yet");
}

absl::Status FinanceServiceImpl::DoListDuesPolicies(
    const rpc::Caller&, const v1::ListDuesPoliciesRequest&,
    v1::ListDuesPoliciesResponse*) {
  return absl::UnimplementedError("ListDuesPolicies is not built yet");
}

absl::Status FinanceServiceImpl::DoAssessDues(const rpc::Caller&,
                                              const v1::AssessDuesRequest&,
                                              v1::AssessDuesResponse*) {
  return absl::UnimplementedError("AssessDues is not built yet");
}

absl::Status FinanceServiceImpl::DoRecordDuesPayment(
    const rpc::Caller&, const v1::RecordDuesPaymentRequest&,
    v1::RecordDuesPaymentResponse*) {
  return absl::UnimplementedError("RecordDuesPayment is not built yet");
}

absl::Status FinanceServiceImpl::DoListSuspense(const rpc::Caller&,
                                                const v1::ListSuspenseRequest&,
                                                v1::ListSuspenseResponse*) {
  return absl::UnimplementedError("ListSuspense is not built yet");
}

absl::Status FinanceServiceImpl::DoResolveSuspense(
    const rpc::Caller&, const v1::ResolveSuspenseRequest&,
    v1::ResolveSuspenseResponse*) {
  return absl::UnimplementedError("ResolveSuspense is not built yet");
}

absl::Status FinanceServiceImpl::DoGetMemberDuesStatement(
    const rpc::Caller&, const v1::GetMemberDuesStatementRequest&,
    v1::GetMemberDuesStatementResponse*) {
  return absl::UnimplementedError("GetMemberDuesStatement is not built yet");
}

absl::Status FinanceServiceImpl::DoGetDuesStanding(
    const rpc::Caller&, const v1::GetDuesStandingRequest&,
    v1::GetDuesStandingResponse*) {
  return absl::UnimplementedError("GetDuesStanding is not built yet");
}

}  // namespace unionhub::finance
