// Publicity (公示): starting it, the notice, objections.
#include "common/core/dates.h"
#include "common/core/field_checks.h"
#include "common/core/ids.h"
#include "common/rpc/idempotent.h"
#include "common/rpc/violations.h"
#include "services/awards/awards_service.h"
#include "services/awards/domain/lifecycle.h"
#include "services/awards/domain/reasons.h"
#include "services/awards/domain/working_days.h"
#include "services/awards/handler_util.h"
#include "services/awards/store/program_store.h"
#include "services/awards/store/review_store.h"

namespace unionhub::awards {
namespace {

HolidayCalendar CalendarOf(const v1::Program& program) {
  HolidayCalendar calendar;
  for (const std::string& day : program.holidays()) {
    if (auto parsed = dates::ParseDate(day); parsed.ok()) {
      calendar.holidays.insert(*parsed);
    }
  }
  for (const std::string& day : program.makeup_working_days()) {
    if (auto parsed = dates::ParseDate(day); parsed.ok()) {
      calendar.makeup_working_days.insert(*parsed);
    }
  }
  return calendar;
}

}  // namespace

absl::Status AwardsServiceImpl::DoStartPublicity(
    const rpc::Caller& caller, const v1::StartPublicityRequest& request,
    v1::StartPublicityResponse* response) {
  Violations violations;
  rpc::CheckRequestId(request.request_id(), violations);
  fields::CheckId(request.program_id(), "program_id", violations);
  fields::CheckDate(request.starts_on(), "starts_on", violations,
                    fields::Presence::kOptional);
  const absl::CivilDay today = clock_.Today();
  absl::CivilDay start = today;
  if (auto parsed = dates::ParseDate(request.starts_on()); parsed.ok()) {
    start = *parsed;
    if (start < today) {
      violations.Add("starts_on", "must not be in the past");
    }
  }
  if (!violations.empty()) return violations.ToStatus();
  absl::StatusOr<v1::Program> scoped =
      ProgramInScope(caller, request.program_id());
  if (!scoped.ok()) return scoped.status();
  return rpc::RunIdempotent<v1::StartPublicityResponse>(
      pool_, AwardsMethod("StartPublicity"), request.request_id(), request,
      response, [&](db::Connection& conn, v1::StartPublicityResponse* out) {
        absl::StatusOr<v1::Program> program =
            store::LoadProgram(conn, request.program_id(), true);
        if (!program.ok()) return program.status();
        absl::StatusOr<v1::ProgramStatus> next =
            ProgramAfter(*program, ProgramAction::kStartPublicity);
        if (!next.ok()) return next.status();
        const absl::CivilDay end = LastWorkingDayOfPeriod(
            start, program->publicity_working_days(), CalendarOf(*program));
        const std::vector<int64_t> moved = store::MoveNominations(
            conn, program->program_id(),
            OnlyNominationSource(NominationAction::kPublish),
            NominationTarget(NominationAction::kPublish),
            Because(status_reasons::kInPublicity,
                    {{"until", dates::FormatDate(end)}}));
        if (moved.empty()) {
          return absl::FailedPreconditionError(
              "no shortlisted nomination to publish");
        }
        program->set_status(*next);
        program->set_publicity_starts_on(dates::FormatDate(start));
        program->set_publicity_ends_on(dates::FormatDate(end));
        store::UpdateProgram(conn, *program);
        absl::StatusOr<v1::Program> stored =
            store::LoadProgram(conn, program->program_id());
        if (!stored.ok()) return stored.status();
        *out->mutable_program() = *stored;
        out->set_nominations(static_cast<int32_t>(moved.size()));
        return absl::OkStatus();
      });
}

absl::Status AwardsServiceImpl::DoGetPublicityNotice(
    const rpc::Caller& caller, const v1::GetPublicityNoticeRequest& request,
    v1::GetPublicityNoticeResponse* response) {
  Violations violations;
  fields::CheckId(request.program_id(), "program_id", violations);
  if (!violations.empty()) return violations.ToStatus();
  absl::StatusOr<v1::Program> program =
      ProgramInScope(caller, request.program_id());
  if (!program.ok()) return program.status();
  if (absl::Status s =
          ProgramAfter(*program, ProgramAction::kReadPublicityNotice).status();
      !s.ok()) {
    return s;
  }
  std::vector<v1::Nomination> published;
  absl::Status read = pool_.Run([&](db::Connection& conn) {
    store::NominationFilter filter;
    filter.program_id = program->program_id();
    filter.status = NominationsOnNotice(program->status());
    filter.limit = 0;
    published = store::ListNominations(conn, filter);
    return absl::OkStatus();
  });
  if (!read.ok()) return read;
  absl::StatusOr<mv1::Org> organizer =
      on_behalf_.Org(program->organizer_org_id());
  response->set_title(program->title());
  response->set_level(program->level());
  response->set_year(program->year());
  response->set_organizer(
      organizer.ok() ? organizer->name()
                     : absl::StrCat("org ", program->organizer_org_id()));
  response->set_starts_on(program->publicity_starts_on());
  response->set_ends_on(program->publicity_ends_on());
  for (const v1::Nomination& n : published) {
    v1::PublicityEntry* entry = response->add_entries();
    entry->set_nomination_id(n.nomination_id());
    entry->set_name(n.subject_name());
    entry->set_organization(n.evidence().org_name());
    entry->set_title(program->title());
    entry->set_citation(n.citation());
    // A notice is posted for everyone to read: masked whoever asks.
    entry->set_national_id(ids::MaskNationalId(n.national_id()));
  }
  return absl::OkStatus();
}

absl::Status AwardsServiceImpl::DoFileObjection(
    const rpc::Caller& caller, const v1::FileObjectionRequest& request,
    v1::FileObjectionResponse* response) {
  Violations violations;
  rpc::CheckRequestId(request.request_id(), violations);
  fields::CheckId(request.nomination_id(), "nomination_id", violations);
  text::Check(request.grounds(), "grounds", kParagraphRule, violations);
  if (!violations.empty()) return violations.ToStatus();
  const std::string day = dates::FormatDate(clock_.Today());
  return rpc::RunIdempotent<v1::FileObjectionResponse>(
      pool_, AwardsMethod("FileObjection"), request.request_id(), request,
      response, [&](db::Connection& conn, v1::FileObjectionResponse* out) {
        absl::StatusOr<v1::Nomination> n =
            store::LoadNomination(conn, request.nomination_id(), true);
        if (!n.ok()) return n.status();
        absl::StatusOr<v1::Program> program =
            store::LoadProgram(conn, n->program_id());
        if (!program.ok()) return program.status();
        if (absl::Status s =
                NominationAfter(*n, NominationAction::kObject).status();
            !s.ok()) {
          return s;
        }
        if (day < program->publicity_starts_on() ||
            day > program->publicity_ends_on()) {
          return absl::FailedPreconditionError(absl::StrCat(
              "publicity runs from ", program->publicity_starts_on(), " to ",
              program->publicity_ends_on(), "; today is ", day));
        }
        v1::Objection objection;
        objection.set_program_id(n->program_id());
        objection.set_nomination_id(n->nomination_id());
        objection.set_filed_by(caller.claims.subject);
        objection.set_grounds(request.grounds());
        const int64_t id = store::InsertObjection(conn, objection);
        absl::StatusOr<v1::Objection> stored = store::LoadObjection(conn, id);
        if (!stored.ok()) return stored.status();
        *out->mutable_objection() = *stored;
        return absl::OkStatus();
      });
}

absl::Status AwardsServiceImpl::DoResolveObjection(
    const rpc::Caller& caller, const v1::ResolveObjectionRequest& request,
    v1::ResolveObjectionResponse* response) {
  Violations violations;
  rpc::CheckRequestId(request.request_id(), violations);
  fields::CheckId(request.objection_id(), "objection_id", violations);
  if (request.outcome() != v1::OBJECTION_STATUS_UPHELD &&
      request.outcome() != v1::OBJECTION_STATUS_DISMISSED) {
    violations.Add("outcome", "UPHELD or DISMISSED");
  }
  text::Check(request.resolution(), "resolution", kParagraphRule, violations);
  if (!violations.empty()) return violations.ToStatus();
  absl::StatusOr<v1::Objection> found;
  absl::Status read = pool_.Run([&](db::Connection& conn) {
    found = store::LoadObjection(conn, request.objection_id());
    return absl::OkStatus();
  });
  if (!read.ok()) return read;
  if (!found.ok()) return found.status();
  absl::StatusOr<v1::Program> scoped =
      ProgramInScope(caller, found->program_id());
  if (!scoped.ok()) return scoped.status();
  return rpc::RunIdempotent<v1::ResolveObjectionResponse>(
      pool_, AwardsMethod("ResolveObjection"), request.request_id(), request,
      response, [&](db::Connection& conn, v1::ResolveObjectionResponse* out) {
        absl::StatusOr<v1::Objection> objection =
            store::LoadObjection(conn, request.objection_id(), true);
        if (!objection.ok()) return objection.status();
        absl::StatusOr<v1::ObjectionStatus> resolved =
            ObjectionAfter(*objection, request.outcome());
        if (!resolved.ok()) return resolved.status();
        absl::StatusOr<v1::Nomination> n =
            store::LoadNomination(conn, objection->nomination_id(), true);
        if (!n.ok()) return n.status();
        objection->set_status(*resolved);
        objection->set_resolution(request.resolution());
        objection->set_resolved_by(caller.claims.subject);
        store::ResolveObjection(conn, *objection);
        // Upheld against a nomination already out of publicity (withdrawn
        // meanwhile), the objection changes nothing more.
        absl::StatusOr<v1::NominationStatus> withdrawn =
            NominationAfter(*n, NominationAction::kUpholdObjection);
        if (*resolved == v1::OBJECTION_STATUS_UPHELD && withdrawn.ok()) {
          n->set_status(*withdrawn);
          SetStatusReason(Because(status_reasons::kObjectionUpheld,
                                  {{"objection_id",
                                    absl::StrCat(objection->objection_id())},
                                   {"resolution", request.resolution()}}),
                          &*n);
          store::UpdateNomination(conn, *n);
        }
        absl::StatusOr<v1::Objection> stored =
            store::LoadObjection(conn, objection->objection_id());
        if (!stored.ok()) return stored.status();
        *out->mutable_objection() = *stored;
        *out->mutable_nomination() = *n;
        out->mutable_nomination()->set_subject_type(scoped->subject_type());
        *out->mutable_nomination()->mutable_tally() =
            store::LoadTally(conn, n->nomination_id());
        return absl::OkStatus();
      });
}

absl::Status AwardsServiceImpl::DoListObjections(
    const rpc::Caller& caller, const v1::ListObjectionsRequest& request,
    v1::ListObjectionsResponse* response) {
  Violations violations;
  fields::CheckId(request.program_id(), "program_id", violations);
  if (!v1::ObjectionStatus_IsValid(request.status())) {
    violations.Add("status", "unknown");
  }
  if (!violations.empty()) return violations.ToStatus();
  absl::StatusOr<v1::Program> scoped =
      ProgramInScope(caller, request.program_id());
  if (!scoped.ok()) return scoped.status();
  return pool_.Run([&](db::Connection& conn) {
    for (v1::Objection& o :
         store::ListObjections(conn, request.program_id(), request.status())) {
      *response->add_objections() = std::move(o);
    }
    return absl::OkStatus();
  });
}

}  // namespace unionhub::awards
