#include "services/awards/awards_service.h"

namespace unionhub::awards {

absl::Status AwardsServiceImpl::DoFinalizeProgram(
    const rpc::Caller&, const v1::FinalizeProgramRequest&,
    v1::FinalizeProgramResponse*) {
  return absl::UnimplementedError("FinalizeProgram is not implemented yet");
}

absl::Status AwardsServiceImpl::DoListHonours(const rpc::Caller&,
                                              const v1::ListHonoursRequest&,
                                              v1::ListHonoursResponse*) {
  return absl::UnimplementedError("ListHonours is not implemented yet");
}

absl::Status AwardsServiceImpl::DoRevokeHonour(const rpc::Caller&,
                                               const v1::RevokeHonourRequest&,
                                               v1::RevokeHonourResponse*) {
  return absl::UnimplementedError("RevokeHonour is not implemented yet");
}

}  // namespace unionhub::awards
