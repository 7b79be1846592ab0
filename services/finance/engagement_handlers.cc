// SCAFFOLD: replaced by the real handlers.
#include "services/finance/finance_service.h"

namespace unionhub::finance {

absl::Status AuditServiceImpl::DoOpenEngagement(
    const rpc::Caller&, const v1::OpenEngagementRequest&,
    v1::OpenEngagementResponse*) {
  return absl::UnimplementedError("OpenEngagement is not built yet");
}

absl::Status AuditServiceImpl::DoAdvanceEngagement(
    const rpc::Caller&, const v1::AdvanceEngagementRequest&,
    v1::AdvanceEngagementResponse*) {
  return absl::UnimplementedError("AdvanceEngagement is not built yet");
}

absl::Status AuditServiceImpl::DoGetEngagement(const rpc::Caller&,
                                               const v1::GetEngagementRequest&,
                                               v1::GetEngagementResponse*) {
  return absl::UnimplementedError("GetEngagement is not built yet");
}

absl::Status AuditServiceImpl::DoListEngagements(
    const rpc::Caller&, const v1::ListEngagementsRequest&,
    v1::ListEngagementsResponse*) {
  return absl::UnimplementedError("ListEngagements is not built yet");
}

absl::Status AuditServiceImpl::DoAddFinding(const rpc::Caller&,
                                            const v1::AddFindingRequest&,
                                            v1::AddFindingResponse*) {
  return absl::UnimplementedError("AddFinding is not built yet");
}

absl::Status AuditServiceImpl::DoAddRectification(
    const rpc::Caller&, const v1::AddRectificationRequest&,
    v1::AddRectificationResponse*) {
  return absl::UnimplementedError("AddRectification is not built yet");
}

absl::Status AuditServiceImpl::DoUpdateRectification(
    const rpc::Caller&, const v1::UpdateRectificationRequest&,
    v1::UpdateRectificationResponse*) {
  return absl::UnimplementedError("UpdateRectification is not built yet");
}

absl::Status AuditServiceImpl::DoListOverdueRectifications(
    const rpc::Caller&, const v1::ListOverdueRectificationsRequest&,
    v1::ListOverdueRectificationsResponse*) {
  return absl::UnimplementedError("ListOverdueRectifications is not built yet");
}

absl::Status AuditServiceImpl::DoCloseEngagement(
    const rpc::Caller&, const v1::CloseEngagementRequest&,
    v1::CloseEngagementResponse*) {
  return absl::UnimplementedError("CloseEngagement is not built yet");
}

}  // namespace unionhub::finance
