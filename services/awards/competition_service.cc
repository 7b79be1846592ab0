#include "services/awards/competition_service.h"

#include "absl/strings/str_cat.h"
#include "common/rpc/status.h"

namespace unionhub::awards {

#define UNIONHUB_UNARY(Method)                                              \
  grpc::Status CompetitionServiceImpl::Method(                              \
      grpc::ServerContext* context, const v1::Method##Request* request,     \
      v1::Method##Response* response) {                                     \
    return gate_.Unary(*context,                                            \
                       "unionhub.awards.v1.CompetitionService." #Method,    \
                       *request, response, [&](const rpc::Caller& caller) { \
                         return Do##Method(caller, *request, response);     \
                       });                                                  \
  }

UNIONHUB_UNARY(CreateCompetition)
UNIONHUB_UNARY(GetCompetition)
UNIONHUB_UNARY(ListCompetitions)
UNIONHUB_UNARY(RegisterEntrant)
UNIONHUB_UNARY(ListEntrants)
UNIONHUB_UNARY(SubmitScore)
UNIONHUB_UNARY(FinishCompetition)
UNIONHUB_UNARY(GetLeaderboard)
UNIONHUB_UNARY(NominateFromCompetition)

#undef UNIONHUB_UNARY

std::string ContestMethod(absl::string_view method) {
  return absl::StrCat("unionhub.awards.v1.CompetitionService.", method);
}

}  // namespace unionhub::awards
