// NominateFromCompetition: the top of a finished competition's overall
// ranking into its linked programme as DRAFT nominations by the organiser.
//
// The programme's rules (status, nomination window, the organiser's
// allocation) are CreateNomination's, asked of the same domain function
// (domain/lifecycle.h, CheckProgramTakesNominations) for the whole batch.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
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
#include "services/awards/store/program_store.h"

namespace unionhub::awards {
namespace {

constexpr int32_t kMaxTopN = 100;

std::string Points(int64_t centi) {
  return absl::StrFormat("%d.%02d", centi / 100, centi % 100);
}

const char* KindName(v1::CompetitionKind kind) {
  switch (kind) {
    case v1::COMPETITION_KIND_LABOUR:
      return "劳动竞赛";
    case v1::COMPETITION_KIND_SKILLS:
      return "技能比武";
    case v1::COMPETITION_KIND_SAFETY:
      return "安康杯竞赛";
    default:
      return "竞赛";
  }
}

}  // namespace

absl::Status CompetitionServiceImpl::CheckNominees(
    const v1::Competition& competition, int32_t top_n) {
  std::vector<v1::Entrant> entrants;
  std::vector<v1::Score> scores;
  absl::Status read = pool_.Run([&](db::Connection& conn) {
    entrants = store::ListEntrants(conn, competition.competition_id());
    scores = store::ListScores(conn, competition.competition_id());
    return absl::OkStatus();
  });
  if (!read.ok()) return read;
  // A finished competition's board no longer changes, so these are the
  // rows the transaction below nominates.
  const v1::GetLeaderboardResponse board =
      BuildLeaderboard(competition, entrants, scores);
  const int64_t organiser = competition.organizer_org_id();
  for (const v1::LeaderboardRow& row : board.overall()) {
    if (row.rank() > top_n) continue;
    absl::Status checked =
        row.member_id() != 0
            ? on_behalf_.Member(row.member_id(), organiser).status()
            : on_behalf_.Org(row.employer_org_id(), organiser).status();
    if (!checked.ok()) return checked;
  }
  return absl::OkStatus();
}

absl::Status CompetitionServiceImpl::DoNominateFromCompetition(
    const rpc::Caller& caller,
    const v1::NominateFromCompetitionRequest& request,
    v1::NominateFromCompetitionResponse* response) {
  Violations violations;
  rpc::CheckRequestId(request.request_id(), violations);
  fields::CheckId(request.competition_id(), "competition_id", violations);
  if (request.top_n() < 1 || request.top_n() > kMaxTopN) {
    violations.Add("top_n", "must be 1..100");
  }
  text::Check(request.citation(), "citation", kOptionalCitationRule,
              violations);
  if (!violations.empty()) return violations.ToStatus();
  absl::StatusOr<v1::Competition> scoped =
      CompetitionInScope(caller, request.competition_id());
  if (!scoped.ok()) return scoped.status();
  if (scoped->linked_program_id() == 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("competition ", request.competition_id(),
                     " is not linked to a programme"));
  }
  if (absl::Status s = CheckNominees(*scoped, request.top_n()); !s.ok()) {
    return s;
  }
  const std::string today = dates::FormatDate(clock_.Today());
  return rpc::RunIdempotent<v1::NominateFromCompetitionResponse>(
      pool_, ContestMethod("NominateFromCompetition"), request.request_id(),
      request, response,
      [&](db::Connection& conn, v1::NominateFromCompetitionResponse* out) {
        // The programme first, in the order CreateNomination locks.
        absl::StatusOr<v1::Program> program =
            store::LoadProgram(conn, scoped->linked_program_id(), true);
        if (!program.ok()) return program.status();
        absl::StatusOr<v1::Competition> c =
            store::LoadCompetition(conn, request.competition_id(), true);
        if (!c.ok()) return c.status();
        if (absl::Status s =
                CompetitionAfter(*c, CompetitionAction::kNominateFromResults)
                    .status();
            !s.ok()) {
          return s;
        }
        const std::vector<v1::Entrant> entrants =
            store::ListEntrants(conn, c->competition_id());
        const v1::GetLeaderboardResponse board = BuildLeaderboard(
            *c, entrants, store::ListScores(conn, c->competition_id()));
        std::vector<const v1::LeaderboardRow*> chosen;
        for (const v1::LeaderboardRow& row : board.overall()) {
          if (row.rank() <= request.top_n()) chosen.push_back(&row);
        }
        if (chosen.empty()) {
          return absl::FailedPreconditionError(absl::StrCat(
              "competition ", c->competition_id(), " has no ranked entrants"));
        }
        absl::Status takes = CheckProgramTakesNominations(
            *program, c->organizer_org_id(),
            store::CountNominationsByOrg(conn, program->program_id(),
                                         c->organizer_org_id()),
            static_cast<int64_t>(chosen.size()), today);
        if (!takes.ok()) return takes;

        const bool individual =
            program->subject_type() == v1::SUBJECT_TYPE_INDIVIDUAL;
        std::vector<std::string> refused;
        std::vector<v1::Nomination> rows;
        for (const v1::LeaderboardRow* row : chosen) {
          v1::Nomination n;
          n.set_program_id(program->program_id());
          n.set_nominating_org_id(c->organizer_org_id());
          n.set_status(v1::NOMINATION_STATUS_DRAFT);
          const bool is_member = row->member_id() != 0;
          if (individual != is_member) {
            refused.push_back(
                absl::StrCat(row->name(), " (entrant ", row->entrant_id(),
                             ") is ", is_member ? "a member" : "a team",
                             "; programme ", program->program_id(), " honours ",
                             v1::SubjectType_Name(program->subject_type())));
            continue;
          }
          if (individual) {
            n.set_member_id(row->member_id());
            n.set_subject_name(row->name());
          } else {
            n.set_subject_org_id(row->employer_org_id());
            n.set_subject_name(program->subject_type() == v1::SUBJECT_TYPE_TEAM
                                   ? row->name()
                                   : row->employer_name());
          }
          if (const int64_t other = store::LiveNominationOfSubject(
                  conn, program->program_id(), n.member_id(),
                  n.subject_org_id());
              other != 0) {
            refused.push_back(absl::StrCat(
                row->name(), " is already nominated (nomination ", other, ")"));
            continue;
          }
          const std::string result = absl::StrCat(
              c->year(), "年", c->name(), "（", KindName(c->kind()), "）第",
              row->rank(), "名，总分", Points(row->points_centi()));
          n.set_citation(request.citation().empty()
                             ? result
                             : absl::StrCat(request.citation(), "\n", result));
          rows.push_back(std::move(n));
        }
        if (!refused.empty()) {
          return absl::FailedPreconditionError(absl::StrCat(
              "nothing was nominated: ", absl::StrJoin(refused, "; ")));
        }
        for (size_t i = 0; i < rows.size(); ++i) {
          const int64_t id = store::InsertNomination(conn, rows[i]);
          store::LinkNomination(conn, id, c->competition_id(),
                                chosen[i]->entrant_id(), chosen[i]->rank(),
                                chosen[i]->points_centi());
          out->add_nomination_ids(id);
          *out->add_nominated() = *chosen[i];
        }
        return absl::OkStatus();
      });
}

}  // namespace unionhub::awards
