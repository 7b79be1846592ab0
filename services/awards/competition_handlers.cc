// Competitions: creation with events and judges, reading and listing, and
// registering entrants (a member with their employer, or a team).
#include <set>

#include "absl/strings/str_cat.h"
#include "common/core/field_checks.h"
#include "common/rpc/idempotent.h"
#include "common/rpc/page_token.h"
#include "common/rpc/violations.h"
#include "services/awards/competition_service.h"
#include "services/awards/domain/lifecycle.h"
#include "services/awards/domain/scoring.h"
#include "services/awards/handler_util.h"
#include "services/awards/scope_resolver.h"
#include "services/awards/store/competition_store.h"
#include "services/awards/store/program_store.h"

namespace unionhub::awards {
namespace {

constexpr int64_t kDefaultMaxPointsCenti = 10000;    // 100.00
constexpr int64_t kLargestMaxPointsCenti = 1000000;  // 10000.00
constexpr int kMaxEvents = 50;
constexpr int kMaxJudges = 100;

void ValidateCompetition(const v1::Competition& c, Violations& v) {
  if (!v1::CompetitionKind_IsValid(c.kind()) ||
      c.kind() == v1::COMPETITION_KIND_UNSPECIFIED) {
    v.Add("competition.kind", "required: LABOUR, SKILLS or SAFETY");
  }
  text::Check(c.name(), "competition.name", kLineRule, v);
  fields::CheckId(c.organizer_org_id(), "competition.organizer_org_id", v);
  if (c.year() < 1950 || c.year() > 2999) {
    v.Add("competition.year", "must be 1950..2999");
  }
  fields::CheckOptionalId(c.linked_program_id(),
                          "competition.linked_program_id", v);
  if (c.max_points_centi() < 0 ||
      c.max_points_centi() > kLargestMaxPointsCenti) {
    v.Add("competition.max_points_centi",
          "must be 1..1000000 hundredths (0: 10000 = 100.00)");
  }
  if (c.events_size() == 0 || c.events_size() > kMaxEvents) {
    v.Add("competition.events", "1..50 events");
  }
  std::set<std::string> event_names;
  int weighted = 0;
  int64_t weight_sum = 0;
  bool bad_weight = false;
  // Over the bound, one violation rather than one per entry.
  const int events = c.events_size() > kMaxEvents ? 0 : c.events_size();
  for (int i = 0; i < events; ++i) {
    const v1::CompetitionEvent& e = c.events(i);
    const std::string at = absl::StrCat("competition.events[", i, "]");
    text::Check(e.name(), at + ".name", kLineRule, v);
    if (!e.name().empty() && !event_names.insert(e.name()).second) {
      v.Add(at + ".name", "listed twice");
    }
    if (e.weight_bp() < 0 || e.weight_bp() > scoring::kFullWeightBp) {
      v.Add(at + ".weight_bp", "must be 0..10000");
      bad_weight = true;
    } else if (e.weight_bp() > 0) {
      ++weighted;
      weight_sum += e.weight_bp();
    }
  }
  if (!bad_weight && weighted > 0 && events > 0) {
    if (weighted != c.events_size()) {
      for (int i = 0; i < c.events_size(); ++i) {
        if (c.events(i).weight_bp() == 0) {
          v.Add(absl::StrCat("competition.events[", i, "].weight_bp"),
                "either every event has a weight or none has");
        }
      }
    } else if (weight_sum != scoring::kFullWeightBp) {
      v.Add("competition.events",
            absl::StrCat("the weights add up to ", weight_sum,
                         " basis points; they must add up to 10000"));
    }
  }
  if (c.judges_size() == 0 || c.judges_size() > kMaxJudges) {
    v.Add("competition.judges", "1..100 judges");
  }
  std::set<std::string> subjects;
  const int judges = c.judges_size() > kMaxJudges ? 0 : c.judges_size();
  for (int i = 0; i < judges; ++i) {
    const v1::Judge& j = c.judges(i);
    const std::string at = absl::StrCat("competition.judges[", i, "]");
    text::Check(j.subject(), at + ".subject", kLineRule, v);
    if (!j.subject().empty() && !subjects.insert(j.subject()).second) {
      v.Add(at + ".subject", "listed twice");
    }
    text::Check(j.name(), at + ".name", kLineRule, v);
  }
}

}  // namespace

absl::StatusOr<v1::Competition> CompetitionServiceImpl::CompetitionInScope(
    const rpc::Caller& caller, int64_t competition_id) {
  absl::StatusOr<v1::Competition> competition;
  absl::Status read = pool_.Run([&](db::Connection& conn) {
    competition = store::LoadCompetition(conn, competition_id);
    return absl::OkStatus();
  });
  if (!read.ok()) return read;
  // The refusal names the competition asked for, never its organiser, and
  // an absent one reads the same to a scoped caller.
  if (!competition.ok()) {
    return SeenBy(caller, competition.status(), "competition", competition_id);
  }
  if (absl::Status s = SeenBy(
          caller, gate_.CheckOrg(caller, competition->organizer_org_id()),
          "competition", competition_id);
      !s.ok()) {
    return s;
  }
  return competition;
}

absl::Status CompetitionServiceImpl::DoCreateCompetition(
    const rpc::Caller&, const v1::CreateCompetitionRequest& request,
    v1::CreateCompetitionResponse* response) {
  Violations violations;
  rpc::CheckRequestId(request.request_id(), violations);
  ValidateCompetition(request.competition(), violations);
  if (!violations.empty()) return violations.ToStatus();

  v1::Competition c = request.competition();
  c.clear_competition_id();
  c.clear_create_time();
  c.clear_finished_on();
  c.clear_entrant_count();
  c.set_status(v1::COMPETITION_STATUS_OPEN);
  if (c.max_points_centi() == 0) c.set_max_points_centi(kDefaultMaxPointsCenti);
  for (v1::CompetitionEvent& e : *c.mutable_events()) e.clear_event_id();
  // The organiser must exist (the gate only checked scope).
  absl::StatusOr<mv1::Org> organiser = on_behalf_.Org(c.organizer_org_id());
  if (!organiser.ok()) return organiser.status();
  return rpc::RunIdempotent<v1::CreateCompetitionResponse>(
      pool_, ContestMethod("CreateCompetition"), request.request_id(), request,
      response, [&](db::Connection& conn, v1::CreateCompetitionResponse* out) {
        if (c.linked_program_id() != 0) {
          absl::StatusOr<v1::Program> program =
              store::LoadProgram(conn, c.linked_program_id());
          if (!program.ok()) return program.status();
        }
        const int64_t id = store::InsertCompetition(conn, c);
        absl::StatusOr<v1::Competition> stored =
            store::LoadCompetition(conn, id);
        if (!stored.ok()) return stored.status();
        *out->mutable_competition() = *stored;
        return absl::OkStatus();
      });
}

absl::Status CompetitionServiceImpl::DoGetCompetition(
    const rpc::Caller& caller, const v1::GetCompetitionRequest& request,
    v1::GetCompetitionResponse* response) {
  Violations violations;
  fields::CheckId(request.competition_id(), "competition_id", violations);
  if (!violations.empty()) return violations.ToStatus();
  absl::StatusOr<v1::Competition> c =
      CompetitionInScope(caller, request.competition_id());
  if (!c.ok()) return c.status();
  *response->mutable_competition() = *c;
  return absl::OkStatus();
}

absl::Status CompetitionServiceImpl::DoListCompetitions(
    const rpc::Caller& caller, const v1::ListCompetitionsRequest& request,
    v1::ListCompetitionsResponse* response) {
  Violations violations;
  const rpc::Page page = rpc::ReadPage(request, violations);
  fields::CheckOptionalId(request.organizer_org_id(), "organizer_org_id",
                          violations);
  if (!v1::CompetitionKind_IsValid(request.kind())) {
    violations.Add("kind", "unknown");
  }
  if (!violations.empty()) return violations.ToStatus();
  store::CompetitionFilter filter;
  filter.organizer_org_id = request.organizer_org_id();
  filter.kind = request.kind();
  filter.after_id = page.after;
  filter.limit = page.fetch();
  std::vector<v1::Competition> found;
  absl::Status read = pool_.Run([&](db::Connection& conn) {
    found = store::ListCompetitions(conn, filter);
    return absl::OkStatus();
  });
  if (!read.ok()) return read;
  const bool more = page.Trim(found);
  const int64_t last_id = found.empty() ? 0 : found.back().competition_id();
  for (v1::Competition& c : found) {
    // Belt and braces: a scoped caller sees only its own subtree's.
    if (!caller.scope_path.empty() &&
        !gate_.CheckOrg(caller, c.organizer_org_id()).ok()) {
      continue;
    }
    *response->add_competitions() = std::move(c);
  }
  if (more) {
    response->set_next_page_token(page.NextToken(last_id));
  }
  return absl::OkStatus();
}

absl::Status CompetitionServiceImpl::DoRegisterEntrant(
    const rpc::Caller& caller, const v1::RegisterEntrantRequest& request,
    v1::RegisterEntrantResponse* response) {
  const v1::Entrant& e = request.entrant();
  Violations violations;
  rpc::CheckRequestId(request.request_id(), violations);
  fields::CheckId(e.competition_id(), "entrant.competition_id", violations);
  const bool member = e.member_id() != 0;
  const bool team = !e.team_name().empty();
  if (!fields::CheckOptionalId(e.member_id(), "entrant.member_id",
                               violations)) {
    // The violation is added; whether a member or a team is moot.
  } else if (member && team) {
    violations.Add("entrant.team_name",
                   "give member_id (a member) or team_name (a team), not "
                   "both");
  } else if (!member && !team) {
    violations.Add("entrant.member_id",
                   "member_id (a member) or team_name (a team) is required");
  }
  text::Check(e.team_name(), "entrant.team_name", kOptionalLineRule,
              violations);
  if (fields::CheckOptionalId(e.employer_org_id(), "entrant.employer_org_id",
                              violations) &&
      team && e.employer_org_id() == 0) {
    violations.Add("entrant.employer_org_id", "required for a team");
  }
  if (!violations.empty()) return violations.ToStatus();

  absl::StatusOr<v1::Competition> competition =
      CompetitionInScope(caller, e.competition_id());
  if (!competition.ok()) return competition.status();

  v1::Entrant row;
  row.set_competition_id(e.competition_id());
  row.set_member_id(e.member_id());
  row.set_team_name(e.team_name());
  row.set_employer_org_id(e.employer_org_id());
  mv1::Org employer;
  // The entrant is read for the caller: nothing of a member or org outside
  // its scope is returned or stored.
  if (member) {
    absl::StatusOr<MemberRead> read = on_behalf_.Member(e.member_id());
    if (!read.ok()) return read.status();
    const mv1::Member* m = &read->member;
    if (m->status() != mv1::MEMBER_STATUS_ACTIVE) {
      return absl::FailedPreconditionError(absl::StrCat(
          "member ", e.member_id(), " is ", mv1::MemberStatus_Name(m->status()),
          "; only an ACTIVE member may enter"));
    }
    if (e.employer_org_id() != 0 && e.employer_org_id() != m->org_id()) {
      return absl::FailedPreconditionError(
          absl::StrCat("member ", e.member_id(), " belongs to org ",
                       m->org_id(), ", not org ", e.employer_org_id()));
    }
    row.set_employer_org_id(m->org_id());
    row.set_name(m->name());
    employer = read->org;
  } else {
    row.set_name(e.team_name());
    absl::StatusOr<mv1::Org> org = on_behalf_.Org(row.employer_org_id());
    if (!org.ok()) return org.status();
    employer = *std::move(org);
  }
  row.set_employer_name(employer.name());
  // A contest takes entrants from the organiser's own subtree.
  const std::string organiser_step =
      absl::StrCat("/", competition->organizer_org_id(), "/");
  if (PathOf(employer).find(organiser_step) == std::string::npos) {
    return absl::FailedPreconditionError(absl::StrCat(
        "org ", row.employer_org_id(), " (", employer.name(),
        ") is not under the organiser, org ", competition->organizer_org_id()));
  }
  return rpc::RunIdempotent<v1::RegisterEntrantResponse>(
      pool_, ContestMethod("RegisterEntrant"), request.request_id(), request,
      response, [&](db::Connection& conn, v1::RegisterEntrantResponse* out) {
        absl::StatusOr<v1::Competition> locked =
            store::LoadCompetition(conn, e.competition_id(), true);
        if (!locked.ok()) return locked.status();
        if (absl::Status open =
                CompetitionAfter(*locked, CompetitionAction::kRegisterEntrant)
                    .status();
            !open.ok()) {
          return open;
        }
        if (const int64_t other =
                store::FindEntrant(conn, e.competition_id(), row.member_id(),
                                   row.team_name(), row.employer_org_id());
            other != 0) {
          return absl::AlreadyExistsError(
              absl::StrCat(row.name(), " is already entrant ", other,
                           " of competition ", e.competition_id()));
        }
        const int64_t id = store::InsertEntrant(conn, row);
        absl::StatusOr<v1::Entrant> stored = store::LoadEntrant(conn, id);
        if (!stored.ok()) return stored.status();
        *out->mutable_entrant() = *stored;
        return absl::OkStatus();
      });
}

absl::Status CompetitionServiceImpl::DoListEntrants(
    const rpc::Caller& caller, const v1::ListEntrantsRequest& request,
    v1::ListEntrantsResponse* response) {
  Violations violations;
  fields::CheckId(request.competition_id(), "competition_id", violations);
  const rpc::Page page = rpc::ReadPage(request, violations);
  if (!violations.empty()) return violations.ToStatus();
  absl::StatusOr<v1::Competition> competition =
      CompetitionInScope(caller, request.competition_id());
  if (!competition.ok()) return competition.status();
  std::vector<v1::Entrant> found;
  absl::Status read = pool_.Run([&](db::Connection& conn) {
    found = store::ListEntrants(conn, request.competition_id(), page.after,
                                page.fetch());
    return absl::OkStatus();
  });
  if (!read.ok()) return read;
  const bool more = page.Trim(found);
  for (v1::Entrant& e : found) *response->add_entrants() = std::move(e);
  if (more) {
    response->set_next_page_token(
        page.NextToken(response->entrants().rbegin()->entrant_id()));
  }
  return absl::OkStatus();
}

}  // namespace unionhub::awards
