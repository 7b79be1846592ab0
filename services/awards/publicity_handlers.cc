// Publicity (公示): starting it, the notice, objections.
#include "common/core/ids.h"
#include "common/rpc/idempotent.h"
#include "common/rpc/violations.h"
#include "services/awards/awards_service.h"
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
  CheckId(request.program_id(), "program_id", violations);
  CheckDate(request.starts_on(), "starts_on", violations, /*required=*/false);
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
        if (program->status() != v1::PROGRAM_STATUS_SHORTLISTED) {
          return absl::FailedPreconditionError(absl::StrCat(
              "programme ", program->program_id(), " is ",
              v1::ProgramStatus_Name(program->status()),
              "; publicity starts after the review is closed (SHORTLISTED)"));
        }
        const absl::CivilDay end = LastWorkingDayOfPeriod(
            start, program->publicity_working_days(), CalendarOf(*program));
        const std::vector<int64_t> moved = store::MoveNominations(
            conn, program->program_id(), v1::NOMINATION_STATUS_SHORTLISTED,
            v1::NOMINATION_STATUS_IN_PUBLICITY,
            absl::StrCat("in publicity until ", dates::FormatDate(end)));
        if (moved.empty()) {
          return absl::FailedPreconditionError(
              "no shortlisted nomination to publish");
        }
        program->set_status(v1::PROGRAM_STATUS_IN_PUBLICITY);
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
  CheckId(request.program_id(), "program_id", violations);
  if (!violations.empty()) return violations.ToStatus();
  absl::StatusOr<v1::Program> program =
      ProgramInScope(caller, request.program_id());
  if (!program.ok()) return program.status();
  if (program->publicity_starts_on().empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "programme ", program->program_id(), " has not been published yet"));
  }
  std::vector<v1::Nomination> published;
  absl::Status read = pool_.Run([&](db::Connection& conn) {
    store::NominationFilter filter;
    filter.program_id = program->program_id();
    filter.status = program->status() == v1::PROGRAM_STATUS_FINALIZED
                        ? v1::NOMINATION_STATUS_APPROVED
                        : v1::NOMINATION_STATUS_IN_PUBLICITY;
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
  CheckId(request.nomination_id(), "nomination_id", violations);
  if (request.grounds().empty() || request.grounds().size() > 4000) {
    violations.Add("grounds", "required, at most 4000 bytes");
  }
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
        if (n->status() != v1::NOMINATION_STATUS_IN_PUBLICITY) {
          return absl::FailedPreconditionError(
              absl::StrCat("nomination ", n->nomination_id(), " is ",
                           v1::NominationStatus_Name(n->status()),
                           "; objections are filed during publicity"));
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
  CheckId(request.objection_id(), "objection_id", violations);
  if (request.outcome() != v1::OBJECTION_STATUS_UPHELD &&
      request.outcome() != v1::OBJECTION_STATUS_DISMISSED) {
    violations.Add("outcome", "UPHELD or DISMISSED");
  }
  if (request.resolution().empty() || request.resolution().size() > 4000) {
    violations.Add("resolution", "required, at most 4000 bytes");
  }
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
        if (objection->status() != v1::OBJECTION_STATUS_OPEN) {
          return absl::FailedPreconditionError(absl::StrCat(
              "objection ", objection->objection_id(), " is already ",
              v1::ObjectionStatus_Name(objection->status())));
        }
        absl::StatusOr<v1::Nomination> n =
            store::LoadNomination(conn, objection->nomination_id(), true);
        if (!n.ok()) return n.status();
        objection->set_status(request.outcome());
        objection->set_resolution(request.resolution());
        objection->set_resolved_by(caller.claims.subject);
        store::ResolveObjection(conn, *objection);
        if (request.outcome() == v1::OBJECTION_STATUS_UPHELD &&
            n->status() == v1::NOMINATION_STATUS_IN_PUBLICITY) {
          n->set_status(v1::NOMINATION_STATUS_WITHDRAWN);
          n->set_status_reason(absl::StrCat("objection ",
                                            objection->objection_id(),
                                            " upheld: ", request.resolution()));
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
  CheckId(request.program_id(), "program_id", violations);
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
