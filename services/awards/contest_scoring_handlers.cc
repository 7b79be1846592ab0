// Judging: scores by the competition's judges, finishing a competition once
// every score is in, and the leaderboard.
#include <map>
#include <set>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/core/dates.h"
#include "common/core/field_checks.h"
#include "common/rpc/idempotent.h"
#include "common/rpc/violations.h"
#include "services/awards/competition_service.h"
#include "services/awards/domain/leaderboard.h"
#include "services/awards/domain/lifecycle.h"
#include "services/awards/handler_util.h"
#include "services/awards/store/competition_store.h"

namespace unionhub::awards {
namespace {

const v1::Judge* JudgeOf(const v1::Competition& c, const std::string& who) {
  for (const v1::Judge& j : c.judges()) {
    if (j.subject() == who) return &j;
  }
  return nullptr;
}

const v1::CompetitionEvent* EventOf(const v1::Competition& c,
                                    int64_t event_id) {
  for (const v1::CompetitionEvent& e : c.events()) {
    if (e.event_id() == event_id) return &e;
  }
  return nullptr;
}

// The scores still missing before the results can be final: one line per
// (entrant, event, judge) without a score.
std::vector<std::string> MissingScores(const v1::Competition& c,
                                       const std::vector<v1::Entrant>& entrants,
                                       const std::vector<v1::Score>& scores) {
  std::set<std::tuple<int64_t, int64_t, std::string>> given;
  for (const v1::Score& s : scores) {
    given.emplace(s.entrant_id(), s.event_id(), s.judge());
  }
  std::vector<std::string> missing;
  for (const v1::Entrant& e : entrants) {
    for (const v1::CompetitionEvent& event : c.events()) {
      for (const v1::Judge& j : c.judges()) {
        if (given.count({e.entrant_id(), event.event_id(), j.subject()}) == 0) {
          missing.push_back(absl::StrCat("entrant ", e.entrant_id(), " (",
                                         e.name(), ") on ", event.name(),
                                         " by ", j.subject()));
        }
      }
    }
  }
  return missing;
}

}  // namespace

absl::Status CompetitionServiceImpl::DoSubmitScore(
    const rpc::Caller& caller, const v1::SubmitScoreRequest& request,
    v1::SubmitScoreResponse* response) {
  const v1::Score& s = request.score();
  Violations violations;
  rpc::CheckRequestId(request.request_id(), violations);
  fields::CheckId(s.competition_id(), "score.competition_id", violations);
  fields::CheckId(s.entrant_id(), "score.entrant_id", violations);
  fields::CheckId(s.event_id(), "score.event_id", violations);
  if (s.points_centi() < 0) {
    violations.Add("score.points_centi", "must not be negative");
  }
  if (!s.judge().empty() && s.judge() != caller.claims.subject) {
    violations.Add("score.judge",
                   "output only: the judge is the caller; leave it empty");
  }
  absl::StatusOr<v1::Competition> competition =
      absl::NotFoundError("no competition given");
  if (s.competition_id() > 0) {
    absl::Status read = pool_.Run([&](db::Connection& conn) {
      competition = store::LoadCompetition(conn, s.competition_id());
      return absl::OkStatus();
    });
    if (!read.ok()) return read;
    if (!competition.ok()) return competition.status();
    if (s.points_centi() > competition->max_points_centi()) {
      violations.Add("score.points_centi",
                     absl::StrCat("at most ", competition->max_points_centi(),
                                  " (hundredths) in this competition"));
    }
  }
  if (!violations.empty()) return violations.ToStatus();

  v1::Score row = s;
  row.set_judge(caller.claims.subject);
  return rpc::RunIdempotent<v1::SubmitScoreResponse>(
      pool_, ContestMethod("SubmitScore"), request.request_id(), request,
      response, [&](db::Connection& conn, v1::SubmitScoreResponse* out) {
        absl::StatusOr<v1::Competition> locked =
            store::LoadCompetition(conn, s.competition_id(), true);
        if (!locked.ok()) return locked.status();
        if (absl::Status open =
                CompetitionAfter(*locked, CompetitionAction::kScore).status();
            !open.ok()) {
          return open;
        }
        if (JudgeOf(*locked, row.judge()) == nullptr) {
          return absl::FailedPreconditionError(
              absl::StrCat("'", row.judge(), "' is not a judge of competition ",
                           s.competition_id()));
        }
        if (EventOf(*locked, s.event_id()) == nullptr) {
          return absl::NotFoundError(absl::StrCat(
              "event ", s.event_id(), " of competition ", s.competition_id()));
        }
        absl::StatusOr<v1::Entrant> entrant =
            store::LoadEntrant(conn, s.entrant_id());
        if (!entrant.ok() || entrant->competition_id() != s.competition_id()) {
          return absl::NotFoundError(absl::StrCat("entrant ", s.entrant_id(),
                                                  " of competition ",
                                                  s.competition_id()));
        }
        row.set_revision(store::PutScore(conn, row));
        *out->mutable_score() = row;
        return absl::OkStatus();
      });
}

absl::Status CompetitionServiceImpl::DoFinishCompetition(
    const rpc::Caller& caller, const v1::FinishCompetitionRequest& request,
    v1::FinishCompetitionResponse* response) {
  Violations violations;
  rpc::CheckRequestId(request.request_id(), violations);
  fields::CheckId(request.competition_id(), "competition_id", violations);
  if (!violations.empty()) return violations.ToStatus();
  absl::StatusOr<v1::Competition> scoped =
      CompetitionInScope(caller, request.competition_id());
  if (!scoped.ok()) return scoped.status();
  const std::string today = dates::FormatDate(clock_.Today());
  return rpc::RunIdempotent<v1::FinishCompetitionResponse>(
      pool_, ContestMethod("FinishCompetition"), request.request_id(), request,
      response, [&](db::Connection& conn, v1::FinishCompetitionResponse* out) {
        const int64_t id = request.competition_id();
        absl::StatusOr<v1::Competition> locked =
            store::LoadCompetition(conn, id, true);
        if (!locked.ok()) return locked.status();
        if (absl::Status open =
                CompetitionAfter(*locked, CompetitionAction::kFinish).status();
            !open.ok()) {
          return open;
        }
        const std::vector<v1::Entrant> entrants = store::ListEntrants(conn, id);
        if (entrants.empty()) {
          return absl::FailedPreconditionError(
              absl::StrCat("competition ", id, " has no entrants"));
        }
        const std::vector<std::string> missing =
            MissingScores(*locked, entrants, store::ListScores(conn, id));
        if (!missing.empty()) {
          constexpr size_t kShown = 5;
          std::vector<std::string> shown(
              missing.begin(),
              missing.begin() + std::min(missing.size(), kShown));
          return absl::FailedPreconditionError(
              absl::StrCat("competition ", id, " still lacks ", missing.size(),
                           " score(s): ", absl::StrJoin(shown, "; "),
                           missing.size() > kShown ? "; ..." : ""));
        }
        store::MarkFinished(conn, id, today);
        absl::StatusOr<v1::Competition> stored =
            store::LoadCompetition(conn, id);
        if (!stored.ok()) return stored.status();
        *out->mutable_competition() = *stored;
        return absl::OkStatus();
      });
}

absl::Status CompetitionServiceImpl::DoGetLeaderboard(
    const rpc::Caller& caller, const v1::GetLeaderboardRequest& request,
    v1::GetLeaderboardResponse* response) {
  Violations violations;
  fields::CheckId(request.competition_id(), "competition_id", violations);
  if (!violations.empty()) return violations.ToStatus();
  absl::StatusOr<v1::Competition> scoped =
      CompetitionInScope(caller, request.competition_id());
  if (!scoped.ok()) return scoped.status();
  // One transaction so the competition, entrants and scores agree.
  return pool_.InTransaction([&](db::Connection& conn) -> absl::Status {
    absl::StatusOr<v1::Competition> c =
        store::LoadCompetition(conn, request.competition_id());
    if (!c.ok()) return c.status();
    *response =
        BuildLeaderboard(*c, store::ListEntrants(conn, c->competition_id()),
                         store::ListScores(conn, c->competition_id()));
    return absl::OkStatus();
  });
}

}  // namespace unionhub::awards
