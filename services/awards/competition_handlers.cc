// Placeholder handlers: every CompetitionService call is UNIMPLEMENTED
// until the competitions part lands.
#include "services/awards/competition_service.h"

namespace unionhub::awards {

absl::Status CompetitionServiceImpl::DoCreateCompetition(
    const rpc::Caller&, const v1::CreateCompetitionRequest&,
    v1::CreateCompetitionResponse*) {
  return absl::UnimplementedError("CreateCompetition is not implemented yet");
}

absl::Status CompetitionServiceImpl::DoGetCompetition(
    const rpc::Caller&, const v1::GetCompetitionRequest&,
    v1::GetCompetitionResponse*) {
  return absl::UnimplementedError("GetCompetition is not implemented yet");
}

absl::Status CompetitionServiceImpl::DoListCompetitions(
    const rpc::Caller&, const v1::ListCompetitionsRequest&,
    v1::ListCompetitionsResponse*) {
  return absl::UnimplementedError("ListCompetitions is not implemented yet");
}

absl::Status CompetitionServiceImpl::DoRegisterEntrant(
    const rpc::Caller&, const v1::RegisterEntrantRequest&,
    v1::RegisterEntrantResponse*) {
  return absl::UnimplementedError("RegisterEntrant is not implemented yet");
}

absl::Status CompetitionServiceImpl::DoSubmitScore(
    const rpc::Caller&, const v1::SubmitScoreRequest&,
    v1::SubmitScoreResponse*) {
  return absl::UnimplementedError("SubmitScore is not implemented yet");
}

absl::Status CompetitionServiceImpl::DoGetLeaderboard(
    const rpc::Caller&, const v1::GetLeaderboardRequest&,
    v1::GetLeaderboardResponse*) {
  return absl::UnimplementedError("GetLeaderboard is not implemented yet");
}

absl::Status CompetitionServiceImpl::DoNominateFromCompetition(
    const rpc::Caller&, const v1::NominateFromCompetitionRequest&,
    v1::NominateFromCompetitionResponse*) {
  return absl::UnimplementedError(
      "NominateFromCompetition is not implemented yet");
}

}  // namespace unionhub::awards
