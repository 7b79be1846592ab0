// gRPC handlers of unionhub.awards.v1.CompetitionService (labour, skills
// and safety contests). Same shape as AwardsServiceImpl: each handler
// validates its request, applies the rules in domain/ (scoring.h,
// leaderboard.h), runs the store calls of one change in one transaction
// (store/competition_store.h) and returns an absl::Status the wrappers in
// competition_service.cc map once.
#ifndef UNIONHUB_SERVICES_AWARDS_COMPETITION_SERVICE_H_
#define UNIONHUB_SERVICES_AWARDS_COMPETITION_SERVICE_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/db/pool.h"
#include "common/rpc/gate.h"
#include "services/awards/awards_service.h"
#include "services/awards/on_behalf.h"
#include "services/awards/peers.h"
#include "unionhub/awards/v1/competition.grpc.pb.h"

namespace unionhub::awards {

class CompetitionServiceImpl final : public v1::CompetitionService::Service {
 public:
  CompetitionServiceImpl(db::Pool& pool, rpc::Gate& gate, Peers& peers,
                         const Clock& clock)
      : pool_(pool), gate_(gate), peers_(peers), clock_(clock) {}

  grpc::Status CreateCompetition(grpc::ServerContext*,
                                 const v1::CreateCompetitionRequest*,
                                 v1::CreateCompetitionResponse*) override;
  grpc::Status GetCompetition(grpc::ServerContext*,
                              const v1::GetCompetitionRequest*,
                              v1::GetCompetitionResponse*) override;
  grpc::Status ListCompetitions(grpc::ServerContext*,
                                const v1::ListCompetitionsRequest*,
                                v1::ListCompetitionsResponse*) override;
  grpc::Status RegisterEntrant(grpc::ServerContext*,
                               const v1::RegisterEntrantRequest*,
                               v1::RegisterEntrantResponse*) override;
  grpc::Status ListEntrants(grpc::ServerContext*,
                            const v1::ListEntrantsRequest*,
                            v1::ListEntrantsResponse*) override;
  grpc::Status SubmitScore(grpc::ServerContext*, const v1::SubmitScoreRequest*,
                           v1::SubmitScoreResponse*) override;
  grpc::Status FinishCompetition(grpc::ServerContext*,
                                 const v1::FinishCompetitionRequest*,
                                 v1::FinishCompetitionResponse*) override;
  grpc::Status GetLeaderboard(grpc::ServerContext*,
                              const v1::GetLeaderboardRequest*,
                              v1::GetLeaderboardResponse*) override;
  grpc::Status NominateFromCompetition(
      grpc::ServerContext*, const v1::NominateFromCompetitionRequest*,
      v1::NominateFromCompetitionResponse*) override;

 private:
  // competition_handlers.cc
  absl::Status DoCreateCompetition(const rpc::Caller&,
                                   const v1::CreateCompetitionRequest&,
                                   v1::CreateCompetitionResponse*);
  absl::Status DoGetCompetition(const rpc::Caller&,
                                const v1::GetCompetitionRequest&,
                                v1::GetCompetitionResponse*);
  absl::Status DoListCompetitions(const rpc::Caller&,
                                  const v1::ListCompetitionsRequest&,
                                  v1::ListCompetitionsResponse*);
  absl::Status DoRegisterEntrant(const rpc::Caller&,
                                 const v1::RegisterEntrantRequest&,
                                 v1::RegisterEntrantResponse*);
  absl::Status DoListEntrants(const rpc::Caller&,
                              const v1::ListEntrantsRequest&,
                              v1::ListEntrantsResponse*);
  // contest_scoring_handlers.cc
  absl::Status DoSubmitScore(const rpc::Caller&, const v1::SubmitScoreRequest&,
                             v1::SubmitScoreResponse*);
  absl::Status DoFinishCompetition(const rpc::Caller&,
                                   const v1::FinishCompetitionRequest&,
                                   v1::FinishCompetitionResponse*);
  absl::Status DoGetLeaderboard(const rpc::Caller&,
                                const v1::GetLeaderboardRequest&,
                                v1::GetLeaderboardResponse*);
  // contest_nomination_handlers.cc
  absl::Status DoNominateFromCompetition(
      const rpc::Caller&, const v1::NominateFromCompetitionRequest&,
      v1::NominateFromCompetitionResponse*);

  // The competition after checking the caller may act on its organiser's
  // subtree (NOT_FOUND when there is none).
  absl::StatusOr<v1::Competition> CompetitionInScope(const rpc::Caller& caller,
                                                     int64_t competition_id);

  // Reads each entrant `top_n` would nominate from `competition` for the
  // caller: in its scope and still under the organiser (the nominating org).
  absl::Status CheckNominees(const v1::Competition& competition, int32_t top_n);

  db::Pool& pool_;
  rpc::Gate& gate_;
  Peers& peers_;
  // Every member or org read for the caller (see on_behalf.h).
  OnBehalf on_behalf_{peers_};
  const Clock& clock_;
};

// "unionhub.awards.v1.CompetitionService.<method>" (idempotency keys).
std::string ContestMethod(absl::string_view method);

}  // namespace unionhub::awards

#endif  // UNIONHUB_SERVICES_AWARDS_COMPETITION_SERVICE_H_
