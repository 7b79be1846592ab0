// gRPC handlers of unionhub.awards.v1.AwardsService. Each handler
// validates its request, applies the rules in domain/, runs the store calls
// of one change in one transaction, and returns an absl::Status that the
// wrappers in awards_service.cc map once. The gate has already checked the
// permission and any org or member field the method declares; handlers
// check the org of what they find (a programme's organiser, a nomination's
// nominating org) with gate_.CheckOrg.
#ifndef UNIONHUB_SERVICES_AWARDS_AWARDS_SERVICE_H_
#define UNIONHUB_SERVICES_AWARDS_AWARDS_SERVICE_H_

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "common/core/clock.h"
#include "common/db/pool.h"
#include "common/rpc/gate.h"
#include "services/awards/on_behalf.h"
#include "services/awards/peers.h"
#include "unionhub/awards/v1/awards.grpc.pb.h"

namespace unionhub::awards {

namespace v1 = ::unionhub::awards::v1;

class AwardsServiceImpl final : public v1::AwardsService::Service {
 public:
  // `clock` gives the business day; injected so tests and demos can move
  // past a publicity period without waiting for it.
  AwardsServiceImpl(db::Pool& pool, rpc::Gate& gate, Peers& peers,
                    const Clock& clock)
      : pool_(pool), gate_(gate), peers_(peers), clock_(clock) {}

  // Programmes (program_handlers.cc)
  grpc::Status CreateProgram(grpc::ServerContext*,
                             const v1::CreateProgramRequest*,
                             v1::CreateProgramResponse*) override;
  grpc::Status GetProgram(grpc::ServerContext*, const v1::GetProgramRequest*,
                          v1::GetProgramResponse*) override;
  grpc::Status ListPrograms(grpc::ServerContext*,
                            const v1::ListProgramsRequest*,
                            v1::ListProgramsResponse*) override;
  grpc::Status OpenNominations(grpc::ServerContext*,
                               const v1::OpenNominationsRequest*,
                               v1::OpenNominationsResponse*) override;
  grpc::Status CloseNominations(grpc::ServerContext*,
                                const v1::CloseNominationsRequest*,
                                v1::CloseNominationsResponse*) override;
  // Nominations (nomination_handlers.cc, eligibility.cc)
  grpc::Status CreateNomination(grpc::ServerContext*,
                                const v1::CreateNominationRequest*,
                                v1::CreateNominationResponse*) override;
  grpc::Status SubmitNomination(grpc::ServerContext*,
                                const v1::SubmitNominationRequest*,
                                v1::SubmitNominationResponse*) override;
  grpc::Status WithdrawNomination(grpc::ServerContext*,
                                  const v1::WithdrawNominationRequest*,
                                  v1::WithdrawNominationResponse*) override;
  grpc::Status GetNomination(grpc::ServerContext*,
                             const v1::GetNominationRequest*,
                             v1::GetNominationResponse*) override;
  grpc::Status ListNominations(grpc::ServerContext*,
                               const v1::ListNominationsRequest*,
                               v1::ListNominationsResponse*) override;
  // Review (review_handlers.cc)
  grpc::Status AssignReviewers(grpc::ServerContext*,
                               const v1::AssignReviewersRequest*,
                               v1::AssignReviewersResponse*) override;
  grpc::Status ListReviewers(grpc::ServerContext*,
                             const v1::ListReviewersRequest*,
                             v1::ListReviewersResponse*) override;
  grpc::Status CastVote(grpc::ServerContext*, const v1::CastVoteRequest*,
                        v1::CastVoteResponse*) override;
  grpc::Status CloseReview(grpc::ServerContext*, const v1::CloseReviewRequest*,
                           v1::CloseReviewResponse*) override;
  // Publicity and objections (publicity_handlers.cc)
  grpc::Status StartPublicity(grpc::ServerContext*,
                              const v1::StartPublicityRequest*,
                              v1::StartPublicityResponse*) override;
  grpc::Status GetPublicityNotice(grpc::ServerContext*,
                                  const v1::GetPublicityNoticeRequest*,
                                  v1::GetPublicityNoticeResponse*) override;
  grpc::Status FileObjection(grpc::ServerContext*,
                             const v1::FileObjectionRequest*,
                             v1::FileObjectionResponse*) override;
  grpc::Status ResolveObjection(grpc::ServerContext*,
                                const v1::ResolveObjectionRequest*,
                                v1::ResolveObjectionResponse*) override;
  grpc::Status ListObjections(grpc::ServerContext*,
                              const v1::ListObjectionsRequest*,
                              v1::ListObjectionsResponse*) override;
  // Finalisation and honours (honour_handlers.cc)
  grpc::Status FinalizeProgram(grpc::ServerContext*,
                               const v1::FinalizeProgramRequest*,
                               v1::FinalizeProgramResponse*) override;
  grpc::Status ListHonours(grpc::ServerContext*, const v1::ListHonoursRequest*,
                           v1::ListHonoursResponse*) override;
  grpc::Status RevokeHonour(grpc::ServerContext*,
                            const v1::RevokeHonourRequest*,
                            v1::RevokeHonourResponse*) override;

 private:
  // Programmes (program_handlers.cc)
  absl::Status DoCreateProgram(const rpc::Caller&,
                               const v1::CreateProgramRequest&,
                               v1::CreateProgramResponse*);
  absl::Status DoGetProgram(const rpc::Caller&, const v1::GetProgramRequest&,
                            v1::GetProgramResponse*);
  absl::Status DoListPrograms(const rpc::Caller&,
                              const v1::ListProgramsRequest&,
                              v1::ListProgramsResponse*);
  absl::Status DoOpenNominations(const rpc::Caller&,
                                 const v1::OpenNominationsRequest&,
                                 v1::OpenNominationsResponse*);
  absl::Status DoCloseNominations(const rpc::Caller&,
                                  const v1::CloseNominationsRequest&,
                                  v1::CloseNominationsResponse*);
  // Nominations (nomination_handlers.cc, eligibility.cc)
  absl::Status DoCreateNomination(const rpc::Caller&,
                                  const v1::CreateNominationRequest&,
                                  v1::CreateNominationResponse*);
  absl::Status DoSubmitNomination(const rpc::Caller&,
                                  const v1::SubmitNominationRequest&,
                                  v1::SubmitNominationResponse*);
  absl::Status DoWithdrawNomination(const rpc::Caller&,
                                    const v1::WithdrawNominationRequest&,
                                    v1::WithdrawNominationResponse*);
  absl::Status DoGetNomination(const rpc::Caller&,
                               const v1::GetNominationRequest&,
                               v1::GetNominationResponse*);
  absl::Status DoListNominations(const rpc::Caller&,
                                 const v1::ListNominationsRequest&,
                                 v1::ListNominationsResponse*);
  // Review (review_handlers.cc)
  absl::Status DoAssignReviewers(const rpc::Caller&,
                                 const v1::AssignReviewersRequest&,
                                 v1::AssignReviewersResponse*);
  absl::Status DoListReviewers(const rpc::Caller&,
                               const v1::ListReviewersRequest&,
                               v1::ListReviewersResponse*);
  absl::Status DoCastVote(const rpc::Caller&, const v1::CastVoteRequest&,
                          v1::CastVoteResponse*);
  absl::Status DoCloseReview(const rpc::Caller&, const v1::CloseReviewRequest&,
                             v1::CloseReviewResponse*);
  // Publicity and objections (publicity_handlers.cc)
  absl::Status DoStartPublicity(const rpc::Caller&,
                                const v1::StartPublicityRequest&,
                                v1::StartPublicityResponse*);
  absl::Status DoGetPublicityNotice(const rpc::Caller&,
                                    const v1::GetPublicityNoticeRequest&,
                                    v1::GetPublicityNoticeResponse*);
  absl::Status DoFileObjection(const rpc::Caller&,
                               const v1::FileObjectionRequest&,
                               v1::FileObjectionResponse*);
  absl::Status DoResolveObjection(const rpc::Caller&,
                                  const v1::ResolveObjectionRequest&,
                                  v1::ResolveObjectionResponse*);
  absl::Status DoListObjections(const rpc::Caller&,
                                const v1::ListObjectionsRequest&,
                                v1::ListObjectionsResponse*);
  // Finalisation and honours (honour_handlers.cc)
  absl::Status DoFinalizeProgram(const rpc::Caller&,
                                 const v1::FinalizeProgramRequest&,
                                 v1::FinalizeProgramResponse*);
  absl::Status DoListHonours(const rpc::Caller&, const v1::ListHonoursRequest&,
                             v1::ListHonoursResponse*);
  absl::Status DoRevokeHonour(const rpc::Caller&,
                              const v1::RevokeHonourRequest&,
                              v1::RevokeHonourResponse*);

  // Asks membership (and finance for an individual) for the facts the
  // eligibility rules need. UNAVAILABLE when a peer stays away.
  absl::Status GatherEvidence(const v1::Program& program,
                              const v1::Nomination& nomination,
                              v1::EligibilityEvidence* evidence,
                              std::string* national_id);

  // The programme `program_id` after checking the caller may act on its
  // organiser's subtree.
  absl::StatusOr<v1::Program> ProgramInScope(const rpc::Caller& caller,
                                             int64_t program_id);

  // OK when the caller may act on the nomination's nominating org; the
  // refusal names only the nomination, and reads the same when it is absent.
  absl::Status NominationInScope(
      const rpc::Caller& caller, int64_t nomination_id,
      const absl::StatusOr<v1::Nomination>& nomination);

  db::Pool& pool_;
  rpc::Gate& gate_;
  Peers& peers_;
  // Every member or org read for the caller (see on_behalf.h).
  OnBehalf on_behalf_{peers_};
  const Clock& clock_;
};

}  // namespace unionhub::awards

#endif  // UNIONHUB_SERVICES_AWARDS_AWARDS_SERVICE_H_
