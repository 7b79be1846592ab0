#include "services/awards/awards_service.h"

#include "common/rpc/status.h"

namespace unionhub::awards {

// Every unary handler has the same shape: the gate authorises the call as
// the method's proto declaration says, runs the implementation, masks and
// audits, and maps the status once.
#define UNIONHUB_UNARY(Method)                                                \
  grpc::Status AwardsServiceImpl::Method(grpc::ServerContext* context,        \
                                         const v1::Method##Request* request,  \
                                         v1::Method##Response* response) {    \
    return gate_.Unary(*context, "unionhub.awards.v1.AwardsService." #Method, \
                       *request, response, [&](const rpc::Caller& caller) {   \
                         return Do##Method(caller, *request, response);       \
                       });                                                    \
  }

UNIONHUB_UNARY(CreateProgram)
UNIONHUB_UNARY(GetProgram)
UNIONHUB_UNARY(ListPrograms)
UNIONHUB_UNARY(OpenNominations)
UNIONHUB_UNARY(CloseNominations)
UNIONHUB_UNARY(CreateNomination)
UNIONHUB_UNARY(SubmitNomination)
UNIONHUB_UNARY(WithdrawNomination)
UNIONHUB_UNARY(GetNomination)
UNIONHUB_UNARY(ListNominations)
UNIONHUB_UNARY(AssignReviewers)
UNIONHUB_UNARY(CastVote)
UNIONHUB_UNARY(CloseReview)
UNIONHUB_UNARY(StartPublicity)
UNIONHUB_UNARY(GetPublicityNotice)
UNIONHUB_UNARY(FileObjection)
UNIONHUB_UNARY(ResolveObjection)
UNIONHUB_UNARY(ListObjections)
UNIONHUB_UNARY(FinalizeProgram)
UNIONHUB_UNARY(ListHonours)
UNIONHUB_UNARY(RevokeHonour)

#undef UNIONHUB_UNARY

}  // namespace unionhub::awards
