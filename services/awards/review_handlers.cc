#include "services/awards/awards_service.h"

namespace unionhub::awards {

absl::Status AwardsServiceImpl::DoAssignReviewers(
    const rpc::Caller&, const v1::AssignReviewersRequest&,
    v1::AssignReviewersResponse*) {
  return absl::UnimplementedError("AssignReviewers is not implemented yet");
}

absl::Status AwardsServiceImpl::DoCastVote(const rpc::Caller&,
                                           const v1::CastVoteRequest&,
                                           v1::CastVoteResponse*) {
  return absl::UnimplementedError("CastVote is not implemented yet");
}

absl::Status AwardsServiceImpl::DoCloseReview(const rpc::Caller&,
                                              const v1::CloseReviewRequest&,
                                              v1::CloseReviewResponse*) {
  return absl::UnimplementedError("CloseReview is not implemented yet");
}

}  // namespace unionhub::awards
