#include "services/awards/awards_service.h"

namespace unionhub::awards {

absl::Status AwardsServiceImpl::DoStartPublicity(
    const rpc::Caller&, const v1::StartPublicityRequest&,
    v1::StartPublicityResponse*) {
  return absl::UnimplementedError("StartPublicity is not implemented yet");
}

absl::Status AwardsServiceImpl::DoGetPublicityNotice(
    const rpc::Caller&, const v1::GetPublicityNoticeRequest&,
    v1::GetPublicityNoticeResponse*) {
  return absl::UnimplementedError("GetPublicityNotice is not implemented yet");
}

absl::Status AwardsServiceImpl::DoFileObjection(const rpc::Caller&,
                                                const v1::FileObjectionRequest&,
                                                v1::FileObjectionResponse*) {
  return absl::UnimplementedError("FileObjection is not implemented yet");
}

absl::Status AwardsServiceImpl::DoResolveObjection(
    const rpc::Caller&, const v1::ResolveObjectionRequest&,
    v1::ResolveObjectionResponse*) {
  return absl::UnimplementedError("ResolveObjection is not implemented yet");
}

absl::Status AwardsServiceImpl::DoListObjections(
    const rpc::Caller&, const v1::ListObjectionsRequest&,
    v1::ListObjectionsResponse*) {
  return absl::UnimplementedError("ListObjections is not implemented yet");
}

}  // namespace unionhub::awards
