// gRPC handlers of unionhub.awards.v1.CompetitionService (labour, skills
// and safety contests). Same shape as AwardsServiceImpl.
#ifndef UNIONHUB_SERVICES_AWARDS_COMPETITION_SERVICE_H_
#define UNIONHUB_SERVICES_AWARDS_COMPETITION_SERVICE_H_

#include "absl/status/status.h"
#include "common/db/pool.h"
#include "common/rpc/gate.h"
#include "services/awards/awards_service.h"
#include "services/awards/peers.h"
#include "unionhub/awards/v1/competition.grpc.pb.h"

namespace unionhub::awards {

class CompetitionServiceImpl final : public v1::CompetitionService::Service {
 public:
  CompetitionServiceImpl(db::Pool& pool, rpc::Gate& gate, Peers& peers,
                         Clock today)
      : pool_(pool), gate_(gate), peers_(peers), today_(std::move(today)) {}

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
  grpc::Status SubmitScore(grpc::ServerContext*, const v1::SubmitScoreRequest*,
                           v1::SubmitScoreResponse*) override;
  grpc::Status GetLeaderboard(grpc::ServerContext*,
                              const v1::GetLeaderboardRequest*,
                              v1::GetLeaderboardResponse*) override;
  grpc::Status NominateFromCompetition(
      grpc::ServerContext*, const v1::NominateFromCompetitionRequest*,
      v1::NominateFromCompetitionResponse*) override;

 private:
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
  absl::Status DoSubmitScore(const rpc::Caller&, const v1::SubmitScoreRequest&,
                             v1::SubmitScoreResponse*);
  absl::Status DoGetLeaderboard(const rpc::Caller&,
                                const v1::GetLeaderboardRequest&,
                                v1::GetLeaderboardResponse*);
  absl::Status DoNominateFromCompetition(
      const rpc::Caller&, const v1::NominateFromCompetitionRequest&,
      v1::NominateFromCompetitionResponse*);

  db::Pool& pool_;
  rpc::Gate& gate_;
  Peers& peers_;
  Clock today_;
};

}  // namespace unionhub::awards

#endif  // UNIONHUB_SERVICES_AWARDS_COMPETITION_SERVICE_H_
