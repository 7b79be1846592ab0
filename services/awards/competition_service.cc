#include "services/awards/competition_service.h"

#include "absl/strings/str_cat.h"
#include "common/rpc/adapter.h"

namespace unionhub::awards {

constexpr char kCompetitions[] = "unionhub.awards.v1.CompetitionService";

UNIONHUB_RPC_UNARY(CompetitionServiceImpl, kCompetitions, CreateCompetition)
UNIONHUB_RPC_UNARY(CompetitionServiceImpl, kCompetitions, GetCompetition)
UNIONHUB_RPC_UNARY(CompetitionServiceImpl, kCompetitions, ListCompetitions)
UNIONHUB_RPC_UNARY(CompetitionServiceImpl, kCompetitions, RegisterEntrant)
UNIONHUB_RPC_UNARY(CompetitionServiceImpl, kCompetitions, ListEntrants)
UNIONHUB_RPC_UNARY(CompetitionServiceImpl, kCompetitions, SubmitScore)
UNIONHUB_RPC_UNARY(CompetitionServiceImpl, kCompetitions, FinishCompetition)
UNIONHUB_RPC_UNARY(CompetitionServiceImpl, kCompetitions, GetLeaderboard)
UNIONHUB_RPC_UNARY(CompetitionServiceImpl, kCompetitions,
                   NominateFromCompetition)

std::string ContestMethod(absl::string_view method) {
  return absl::StrCat(kCompetitions, ".", method);
}

}  // namespace unionhub::awards
