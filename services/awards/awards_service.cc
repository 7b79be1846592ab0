#include "services/awards/awards_service.h"

#include "common/rpc/adapter.h"

namespace unionhub::awards {

constexpr char kAwards[] = "unionhub.awards.v1.AwardsService";

UNIONHUB_RPC_UNARY(AwardsServiceImpl, kAwards, CreateProgram)
UNIONHUB_RPC_UNARY(AwardsServiceImpl, kAwards, GetProgram)
UNIONHUB_RPC_UNARY(AwardsServiceImpl, kAwards, ListPrograms)
UNIONHUB_RPC_UNARY(AwardsServiceImpl, kAwards, OpenNominations)
UNIONHUB_RPC_UNARY(AwardsServiceImpl, kAwards, CloseNominations)
UNIONHUB_RPC_UNARY(AwardsServiceImpl, kAwards, CreateNomination)
UNIONHUB_RPC_UNARY(AwardsServiceImpl, kAwards, SubmitNomination)
UNIONHUB_RPC_UNARY(AwardsServiceImpl, kAwards, WithdrawNomination)
UNIONHUB_RPC_UNARY(AwardsServiceImpl, kAwards, GetNomination)
UNIONHUB_RPC_UNARY(AwardsServiceImpl, kAwards, ListNominations)
UNIONHUB_RPC_UNARY(AwardsServiceImpl, kAwards, AssignReviewers)
UNIONHUB_RPC_UNARY(AwardsServiceImpl, kAwards, ListReviewers)
UNIONHUB_RPC_UNARY(AwardsServiceImpl, kAwards, CastVote)
UNIONHUB_RPC_UNARY(AwardsServiceImpl, kAwards, CloseReview)
UNIONHUB_RPC_UNARY(AwardsServiceImpl, kAwards, StartPublicity)
UNIONHUB_RPC_UNARY(AwardsServiceImpl, kAwards, GetPublicityNotice)
UNIONHUB_RPC_UNARY(AwardsServiceImpl, kAwards, FileObjection)
UNIONHUB_RPC_UNARY(AwardsServiceImpl, kAwards, ResolveObjection)
UNIONHUB_RPC_UNARY(AwardsServiceImpl, kAwards, ListObjections)
UNIONHUB_RPC_UNARY(AwardsServiceImpl, kAwards, FinalizeProgram)
UNIONHUB_RPC_UNARY(AwardsServiceImpl, kAwards, ListHonours)
UNIONHUB_RPC_UNARY(AwardsServiceImpl, kAwards, RevokeHonour)

}  // namespace unionhub::awards
