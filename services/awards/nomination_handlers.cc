#include "services/awards/awards_service.h"

namespace unionhub::awards {

absl::Status AwardsServiceImpl::DoCreateNomination(
    const rpc::Caller&, const v1::CreateNominationRequest&,
    v1::CreateNominationResponse*) {
  return absl::UnimplementedError("CreateNomination is not implemented yet");
}

absl::Status AwardsServiceImpl::DoSubmitNomination(
    const rpc::Caller&, const v1::SubmitNominationRequest&,
    v1::SubmitNominationResponse*) {
  return absl::UnimplementedError("SubmitNomination is not implemented yet");
}

absl::Status AwardsServiceImpl::DoWithdrawNomination(
    const rpc::Caller&, const v1::WithdrawNominationRequest&,
    v1::WithdrawNominationResponse*) {
  return absl::UnimplementedError("WithdrawNomination is not implemented yet");
}

absl::Status AwardsServiceImpl::DoGetNomination(const rpc::Caller&,
                                                const v1::GetNominationRequest&,
                                                v1::GetNominationResponse*) {
  return absl::UnimplementedError("GetNomination is not implemented yet");
}

absl::Status AwardsServiceImpl::DoListNominations(
    const rpc::Caller&, const v1::ListNominationsRequest&,
    v1::ListNominationsResponse*) {
  return absl::UnimplementedError("ListNominations is not implemented yet");
}

}  // namespace unionhub::awards
