// Programmes: creation with every rule, listing, and opening and closing
// the nomination window.
#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "common/core/dates.h"
#include "common/core/field_checks.h"
#include "common/rpc/idempotent.h"
#include "common/rpc/page_token.h"
#include "common/rpc/violations.h"
#include "services/awards/awards_service.h"
#include "services/awards/domain/composition.h"
#include "services/awards/domain/lifecycle.h"
#include "services/awards/domain/reasons.h"
#include "services/awards/handler_util.h"
#include "services/awards/store/program_store.h"

namespace unionhub::awards {
namespace {

constexpr int kDefaultPublicityDays = 5;
// The most entries each repeated field of a programme may hold (stated in
// awards.proto). Bounded so one request cannot fan out into thousands of
// membership calls or violations.
constexpr int kMaxAllocations = 500;
constexpr int kMaxCompositionRules = 20;
constexpr int kMaxCalendarDays = 366;

// False (and a violation naming `field`) when `size` exceeds `max`; the
// caller then skips checking each entry.
bool WithinBound(int size, int max, absl::string_view field, Violations& v) {
  if (size <= max) return true;
  v.Add(field, absl::StrCat("at most ", max, " entries (got ", size, ")"));
  return false;
}

void ValidateProgram(const v1::Program& p, Violations& v) {
  text::Check(p.title(), "program.title", kLineRule, v);
  if (!v1::AwardLevel_IsValid(p.level()) ||
      p.level() == v1::AWARD_LEVEL_UNSPECIFIED) {
    v.Add("program.level", "required");
  }
  if (p.year() < 1950 || p.year() > 2999) {
    v.Add("program.year", "must be 1950..2999");
  }
  if (!v1::SubjectType_IsValid(p.subject_type()) ||
      p.subject_type() == v1::SUBJECT_TYPE_UNSPECIFIED) {
    v.Add("program.subject_type", "required");
  }
  fields::CheckId(p.organizer_org_id(), "program.organizer_org_id", v);
  if (p.total_quota() <= 0) v.Add("program.total_quota", "must be positive");
  std::set<int64_t> seen;
  const bool allocations_bounded = WithinBound(
      p.allocations_size(), kMaxAllocations, "program.allocations", v);
  for (int i = 0; allocations_bounded && i < p.allocations_size(); ++i) {
    const v1::Allocation& a = p.allocations(i);
    const std::string at = absl::StrCat("program.allocations[", i, "]");
    if (fields::CheckOrgId(a.org_id(), v, at + ".org_id") &&
        !seen.insert(a.org_id()).second) {
      v.Add(at + ".org_id", "listed twice");
    }
    if (a.quota() <= 0) v.Add(at + ".quota", "must be positive");
  }
  if (p.allocations_size() == 0) {
    v.Add("program.allocations", "at least one nominating organisation");
  }
  fields::CheckDate(p.nomination_opens_on(), "program.nomination_opens_on", v);
  fields::CheckDate(p.nomination_closes_on(), "program.nomination_closes_on",
                    v);
  auto opens = dates::ParseDate(p.nomination_opens_on());
  auto closes = dates::ParseDate(p.nomination_closes_on());
  if (opens.ok() && closes.ok() && *closes < *opens) {
    v.Add("program.nomination_closes_on", "before nomination_opens_on",
          reasons::kDateRangeReversed);
  }
  const v1::EligibilityRules& e = p.eligibility();
  if (e.min_tenure_months() < 0 || e.min_tenure_months() > 600) {
    v.Add("program.eligibility.min_tenure_months", "must be 0..600");
  }
  if (e.max_arrears_months() < 0 || e.max_arrears_months() > 120) {
    v.Add("program.eligibility.max_arrears_months", "must be 0..120");
  }
  if (e.no_repeat_years() < 0 || e.no_repeat_years() > 50) {
    v.Add("program.eligibility.no_repeat_years", "must be 0..50");
  }
  if (p.subject_type() != v1::SUBJECT_TYPE_INDIVIDUAL &&
      p.composition_rules_size() > 0) {
    v.Add("program.composition_rules",
          "composition rules count individuals; this programme honours "
          "teams or organisations");
  }
  const bool rules_bounded =
      WithinBound(p.composition_rules_size(), kMaxCompositionRules,
                  "program.composition_rules", v);
  for (int i = 0; rules_bounded && i < p.composition_rules_size(); ++i) {
    std::vector<std::pair<std::string, std::string>> bad;
    ValidateRule(p.composition_rules(i),
                 absl::StrCat("program.composition_rules[", i, "]"), &bad);
    for (const auto& [field, why] : bad) v.Add(field, why);
  }
  if (p.publicity_working_days() < 0 || p.publicity_working_days() > 60) {
    v.Add("program.publicity_working_days", "must be 1..60 (0: default 5)");
  }
  const bool holidays_bounded =
      WithinBound(p.holidays_size(), kMaxCalendarDays, "program.holidays", v);
  for (int i = 0; holidays_bounded && i < p.holidays_size(); ++i) {
    fields::CheckDate(p.holidays(i), absl::StrCat("program.holidays[", i, "]"),
                      v);
  }
  const bool makeup_bounded =
      WithinBound(p.makeup_working_days_size(), kMaxCalendarDays,
                  "program.makeup_working_days", v);
  for (int i = 0; makeup_bounded && i < p.makeup_working_days_size(); ++i) {
    fields::CheckDate(p.makeup_working_days(i),
                      absl::StrCat("program.makeup_working_days[", i, "]"), v);
  }
  const int32_t num = p.shortlist_numerator(), den = p.shortlist_denominator();
  if (!(num == 0 && den == 0) && (num < 1 || den < 1 || num > den)) {
    v.Add("program.shortlist_numerator",
          "with shortlist_denominator: 1 <= numerator <= denominator (both "
          "0: two-thirds)");
  }
}

}  // namespace

absl::StatusOr<v1::Program> AwardsServiceImpl::ProgramInScope(
    const rpc::Caller& caller, int64_t program_id) {
  absl::StatusOr<v1::Program> program;
  absl::Status status = pool_.Run([&](db::Connection& conn) {
    program = store::LoadProgram(conn, program_id);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  // The refusal names the programme asked for, never its organiser, and an
  // absent one reads the same to a scoped caller.
  if (!program.ok()) {
    return SeenBy(caller, program.status(), "programme", program_id);
  }
  if (absl::Status in_scope =
          SeenBy(caller, gate_.CheckOrg(caller, program->organizer_org_id()),
                 "programme", program_id);
      !in_scope.ok()) {
    return in_scope;
  }
  return program;
}

absl::Status AwardsServiceImpl::DoCreateProgram(
    const rpc::Caller&, const v1::CreateProgramRequest& request,
    v1::CreateProgramResponse* response) {
  Violations violations;
  rpc::CheckRequestId(request.request_id(), violations);
  ValidateProgram(request.program(), violations);
  if (!violations.empty()) return violations.ToStatus();
  // Nominating organisations sit in the organiser's subtree (membership
  // answers; a peer that is down makes the call UNAVAILABLE). They are
  // distinct and at most kMaxAllocations (validated above), so this asks
  // membership at most that many times. An org that does not exist reads
  // like one outside the subtree, so the refusal tells a scoped caller
  // nothing about orgs it may not see.
  const int64_t organizer = request.program().organizer_org_id();
  for (int i = 0; i < request.program().allocations_size(); ++i) {
    const int64_t org_id = request.program().allocations(i).org_id();
    absl::StatusOr<mv1::Org> org = on_behalf_.Org(org_id, organizer);
    if (org.ok()) continue;
    if (org.status().code() != absl::StatusCode::kNotFound &&
        org.status().code() != absl::StatusCode::kPermissionDenied) {
      return org.status();
    }
    violations.Add(absl::StrCat("program.allocations[", i, "].org_id"),
                   absl::StrCat("org ", org_id, " is outside the organiser's (",
                                organizer, ") subtree"));
  }
  if (!violations.empty()) return violations.ToStatus();
  v1::Program program = request.program();
  program.clear_program_id();
  program.clear_publicity_starts_on();
  program.clear_publicity_ends_on();
  program.clear_finalized_on();
  program.clear_create_time();
  program.clear_update_time();
  program.set_status(v1::PROGRAM_STATUS_DRAFT);
  if (program.publicity_working_days() == 0) {
    program.set_publicity_working_days(kDefaultPublicityDays);
  }
  if (program.shortlist_denominator() == 0) {
    program.set_shortlist_numerator(2);
    program.set_shortlist_denominator(3);
  }
  return rpc::RunIdempotent<v1::CreateProgramResponse>(
      pool_, AwardsMethod("CreateProgram"), request.request_id(), request,
      response, [&](db::Connection& conn, v1::CreateProgramResponse* out) {
        const int64_t id = store::InsertProgram(conn, program);
        absl::StatusOr<v1::Program> stored = store::LoadProgram(conn, id);
        if (!stored.ok()) return stored.status();
        *out->mutable_program() = *stored;
        return absl::OkStatus();
      });
}

absl::Status AwardsServiceImpl::DoGetProgram(
    const rpc::Caller& caller, const v1::GetProgramRequest& request,
    v1::GetProgramResponse* response) {
  Violations violations;
  fields::CheckId(request.program_id(), "program_id", violations);
  if (!violations.empty()) return violations.ToStatus();
  absl::StatusOr<v1::Program> program =
      ProgramInScope(caller, request.program_id());
  if (!program.ok()) return program.status();
  *response->mutable_program() = *program;
  return absl::OkStatus();
}

absl::Status AwardsServiceImpl::DoListPrograms(
    const rpc::Caller& caller, const v1::ListProgramsRequest& request,
    v1::ListProgramsResponse* response) {
  Violations violations;
  const rpc::Page page = rpc::ReadPage(request, violations);
  if (request.year() < 0) violations.Add("year", "must not be negative");
  if (!v1::ProgramStatus_IsValid(request.status())) {
    violations.Add("status", "unknown");
  }
  if (!violations.empty()) return violations.ToStatus();
  store::ProgramFilter filter;
  filter.organizer_org_id = request.organizer_org_id();
  filter.year = request.year();
  filter.status = request.status();
  filter.after_id = page.after;
  filter.limit = page.fetch();
  std::vector<v1::Program> programs;
  absl::Status status = pool_.Run([&](db::Connection& conn) {
    programs = store::ListPrograms(conn, filter);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  const bool more = page.Trim(programs);
  const int64_t last_id = programs.empty() ? 0 : programs.back().program_id();
  for (v1::Program& p : programs) {
    // A scoped caller listing everything sees only its own subtree's.
    if (!caller.scope_path.empty() &&
        !gate_.CheckOrg(caller, p.organizer_org_id()).ok()) {
      continue;
    }
    *response->add_programs() = std::move(p);
  }
  if (more) {
    response->set_next_page_token(page.NextToken(last_id));
  }
  return absl::OkStatus();
}

namespace {

// Takes `action` on a programme under its row lock.
absl::Status Advance(db::Connection& conn, int64_t program_id,
                     ProgramAction action, v1::Program* out) {
  absl::StatusOr<v1::Program> program =
      store::LoadProgram(conn, program_id, /*for_update=*/true);
  if (!program.ok()) return program.status();
  absl::StatusOr<v1::ProgramStatus> next = ProgramAfter(*program, action);
  if (!next.ok()) return next.status();
  program->set_status(*next);
  store::UpdateProgram(conn, *program);
  absl::StatusOr<v1::Program> stored = store::LoadProgram(conn, program_id);
  if (!stored.ok()) return stored.status();
  *out = *stored;
  return absl::OkStatus();
}

}  // namespace

absl::Status AwardsServiceImpl::DoOpenNominations(
    const rpc::Caller& caller, const v1::OpenNominationsRequest& request,
    v1::OpenNominationsResponse* response) {
  Violations violations;
  rpc::CheckRequestId(request.request_id(), violations);
  fields::CheckId(request.program_id(), "program_id", violations);
  if (!violations.empty()) return violations.ToStatus();
  absl::StatusOr<v1::Program> scoped =
      ProgramInScope(caller, request.program_id());
  if (!scoped.ok()) return scoped.status();
  return rpc::RunIdempotent<v1::OpenNominationsResponse>(
      pool_, AwardsMethod("OpenNominations"), request.request_id(), request,
      response, [&](db::Connection& conn, v1::OpenNominationsResponse* out) {
        return Advance(conn, request.program_id(),
                       ProgramAction::kOpenNominations, out->mutable_program());
      });
}

absl::Status AwardsServiceImpl::DoCloseNominations(
    const rpc::Caller& caller, const v1::CloseNominationsRequest& request,
    v1::CloseNominationsResponse* response) {
  Violations violations;
  rpc::CheckRequestId(request.request_id(), violations);
  fields::CheckId(request.program_id(), "program_id", violations);
  if (!violations.empty()) return violations.ToStatus();
  absl::StatusOr<v1::Program> scoped =
      ProgramInScope(caller, request.program_id());
  if (!scoped.ok()) return scoped.status();
  return rpc::RunIdempotent<v1::CloseNominationsResponse>(
      pool_, AwardsMethod("CloseNominations"), request.request_id(), request,
      response, [&](db::Connection& conn, v1::CloseNominationsResponse* out) {
        absl::Status advanced =
            Advance(conn, request.program_id(),
                    ProgramAction::kCloseNominations, out->mutable_program());
        if (!advanced.ok()) return advanced;
        constexpr NominationAction kClose = NominationAction::kCloseUnsubmitted;
        const std::vector<int64_t> drafts = store::MoveNominations(
            conn, request.program_id(), OnlyNominationSource(kClose),
            NominationTarget(kClose),
            Because(status_reasons::kClosedUnsubmitted));
        out->set_withdrawn_drafts(static_cast<int32_t>(drafts.size()));
        return absl::OkStatus();
      });
}

}  // namespace unionhub::awards
