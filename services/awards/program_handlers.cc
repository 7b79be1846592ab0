#include "services/awards/awards_service.h"

namespace unionhub::awards {

absl::Status AwardsServiceImpl::DoCreateProgram(const rpc::Caller&,
                                                const v1::CreateProgramRequest&,
                                                v1::CreateProgramResponse*) {
  return absl::UnimplementedError("CreateProgram is not implemented yet");
}

absl::Status AwardsServiceImpl::DoGetProgram(const rpc::Caller&,
                                             const v1::GetProgramRequest&,
                                             v1::GetProgramResponse*) {
  return absl::UnimplementedError("GetProgram is not implemented yet");
}

absl::Status AwardsServiceImpl::DoListPrograms(const rpc::Caller&,
                                               const v1::ListProgramsRequest&,
                                               v1::ListProgramsResponse*) {
  return absl::UnimplementedError("ListPrograms is not implemented yet");
}

absl::Status AwardsServiceImpl::DoOpenNominations(
    const rpc::Caller&, const v1::OpenNominationsRequest&,
    v1::OpenNominationsResponse*) {
  return absl::UnimplementedError("OpenNominations is not implemented yet");
}

absl::Status AwardsServiceImpl::DoCloseNominations(
    const rpc::Caller&, const v1::CloseNominationsRequest&,
    v1::CloseNominationsResponse*) {
  return absl::UnimplementedError("CloseNominations is not implemented yet");
}

absl::StatusOr<v1::Program> AwardsServiceImpl::ProgramInScope(
    const rpc::Caller&, int64_t) {
  return absl::UnimplementedError("not implemented yet");
}

}  // namespace unionhub::awards
