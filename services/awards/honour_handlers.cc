// Finalisation and honours.
#include <map>

#include "absl/strings/str_join.h"
#include "common/core/dates.h"
#include "common/core/field_checks.h"
#include "common/core/preconditions.h"
#include "common/rpc/idempotent.h"
#include "common/rpc/page_token.h"
#include "common/rpc/violations.h"
#include "services/awards/awards_service.h"
#include "services/awards/domain/composition.h"
#include "services/awards/domain/evidence.h"
#include "services/awards/domain/lifecycle.h"
#include "services/awards/domain/reasons.h"
#include "services/awards/handler_util.h"
#include "services/awards/store/program_store.h"
#include "services/awards/store/review_store.h"

namespace unionhub::awards {

absl::Status AwardsServiceImpl::DoFinalizeProgram(
    const rpc::Caller& caller, const v1::FinalizeProgramRequest& request,
    v1::FinalizeProgramResponse* response) {
  Violations violations;
  rpc::CheckRequestId(request.request_id(), violations);
  fields::CheckId(request.program_id(), "program_id", violations);
  if (!violations.empty()) return violations.ToStatus();
  absl::StatusOr<v1::Program> scoped =
      ProgramInScope(caller, request.program_id());
  if (!scoped.ok()) return scoped.status();
  const std::string today = dates::FormatDate(clock_.Today());
  return rpc::RunIdempotent<v1::FinalizeProgramResponse>(
      pool_, AwardsMethod("FinalizeProgram"), request.request_id(), request,
      response, [&](db::Connection& conn, v1::FinalizeProgramResponse* out) {
        absl::StatusOr<v1::Program> program =
            store::LoadProgram(conn, request.program_id(), true);
        if (!program.ok()) return program.status();
        absl::StatusOr<v1::ProgramStatus> finalized =
            ProgramAfter(*program, ProgramAction::kFinalize);
        if (!finalized.ok()) return finalized.status();
        // Every reason it cannot be finalised, so the committee sees them
        // all at once.
        // Each with its figures (PreconditionViolation), so the console
        // shows every broken rule by name.
        std::vector<PreconditionViolation> broken;
        if (today <= program->publicity_ends_on()) {
          broken.push_back({"publicity", "publicity_ends_on",
                            absl::StrCat("publicity: runs until ",
                                         program->publicity_ends_on(),
                                         " (today is ", today, ")")});
        }
        if (const int64_t open =
                store::CountOpenObjections(conn, program->program_id());
            open > 0) {
          broken.push_back(
              {"objections", "objections",
               absl::StrCat("objections: ", open, " still OPEN, 0 allowed"),
               open, 0});
        }
        store::NominationFilter filter;
        filter.program_id = program->program_id();
        filter.status = OnlyNominationSource(NominationAction::kApprove);
        filter.limit = 0;
        std::vector<v1::Nomination> approved =
            store::ListNominations(conn, filter);
        if (approved.empty()) {
          broken.push_back({"nominations", "nominations",
                            "nominations: 0 to approve, at least 1 required", 0,
                            1});
        }
        std::vector<NomineeProfile> profiles;
        for (const v1::Nomination& n : approved) {
          profiles.push_back(ProfileOf(n.evidence()));
        }
        const std::vector<v1::CompositionRule> rules(
            program->composition_rules().begin(),
            program->composition_rules().end());
        for (const BrokenRule& rule :
             CheckComposition(rules, program->total_quota(), profiles)) {
          broken.push_back(
              {rule.rule == "total_quota" ? "quota" : "composition", rule.rule,
               absl::StrCat(rule.rule, ": ", rule.description), rule.actual,
               rule.required});
        }
        if (!broken.empty()) {
          std::vector<std::string> reasons;
          for (const PreconditionViolation& v : broken) {
            reasons.push_back(v.description);
          }
          return FailedPreconditionWith(
              absl::StrCat(
                  "programme ", program->program_id(),
                  " cannot be finalised: ", absl::StrJoin(reasons, "; ")),
              broken);
        }
        for (v1::Nomination& n : approved) {
          n.set_status(NominationTarget(NominationAction::kApprove));
          SetStatusReason(Because(status_reasons::kApproved, {{"day", today}}),
                          &n);
          store::UpdateNomination(conn, n);
          v1::Honour honour;
          honour.set_program_id(program->program_id());
          honour.set_nomination_id(n.nomination_id());
          honour.set_title(program->title());
          honour.set_level(program->level());
          honour.set_year(program->year());
          honour.set_subject_type(program->subject_type());
          honour.set_member_id(n.member_id());
          honour.set_org_id(n.subject_org_id() != 0 ? n.subject_org_id()
                                                    : n.evidence().org_id());
          honour.set_subject_name(n.subject_name());
          honour.set_awarded_on(today);
          const int64_t id = store::InsertHonour(conn, honour);
          absl::StatusOr<v1::Honour> stored = store::LoadHonour(conn, id);
          if (!stored.ok()) return stored.status();
          *out->add_honours() = *stored;
        }
        program->set_status(*finalized);
        program->set_finalized_on(today);
        store::UpdateProgram(conn, *program);
        absl::StatusOr<v1::Program> stored =
            store::LoadProgram(conn, program->program_id());
        if (!stored.ok()) return stored.status();
        *out->mutable_program() = *stored;
        return absl::OkStatus();
      });
}

absl::Status AwardsServiceImpl::DoListHonours(
    const rpc::Caller& caller, const v1::ListHonoursRequest& request,
    v1::ListHonoursResponse* response) {
  Violations violations;
  const int given = (request.member_id() != 0) + (request.org_id() != 0) +
                    (request.program_id() != 0);
  if (given != 1) {
    violations.Add("member_id", "exactly one of member_id, org_id, program_id");
  }
  fields::CheckOptionalId(request.member_id(), "member_id", violations);
  fields::CheckOptionalId(request.org_id(), "org_id", violations);
  fields::CheckOptionalId(request.program_id(), "program_id", violations);
  const rpc::Page page = rpc::ReadPage(request, violations);
  if (!violations.empty()) return violations.ToStatus();
  // The declaration names no scoped field (with one, a scoped caller asking
  // by programme would be refused as acting on the whole tree), so the
  // member or org asked for is checked here exactly as the gate would.
  if (request.member_id() != 0) {
    if (absl::Status s = gate_.CheckMember(caller, request.member_id());
        !s.ok()) {
      return s;
    }
  }
  if (request.org_id() != 0) {
    if (absl::Status s = gate_.CheckOrg(caller, request.org_id()); !s.ok()) {
      return s;
    }
  }
  store::HonourFilter filter;
  filter.member_id = request.member_id();
  filter.org_id = request.org_id();
  filter.program_id = request.program_id();
  filter.after_id = page.after;
  filter.limit = page.fetch();
  std::vector<v1::Honour> honours;
  absl::Status read = pool_.Run([&](db::Connection& conn) {
    honours = store::ListHonours(conn, filter);
    return absl::OkStatus();
  });
  if (!read.ok()) return read;
  const bool more = page.Trim(honours);
  const int64_t last_id = honours.empty() ? 0 : honours.back().honour_id();
  // By programme, a scoped caller sees the honours whose org (the honoured
  // org, or the member's org when awarded) lies in its subtree; the rest
  // are left out, as ListNominations leaves out other orgs' nominations
  // (a membership that cannot answer fails the call rather than hiding
  // honours). By member or org the one asked for is in scope (see above).
  std::map<int64_t, bool> visible;  // honour org -> in the caller's scope
  for (v1::Honour& h : honours) {
    if (request.program_id() != 0 && !caller.scope_path.empty()) {
      auto it = visible.find(h.org_id());
      if (it == visible.end()) {
        absl::Status in_scope = gate_.CheckOrg(caller, h.org_id());
        if (!in_scope.ok() &&
            in_scope.code() != absl::StatusCode::kPermissionDenied) {
          return in_scope;
        }
        it = visible.emplace(h.org_id(), in_scope.ok()).first;
      }
      if (!it->second) continue;
    }
    *response->add_honours() = std::move(h);
  }
  if (more) response->set_next_page_token(page.NextToken(last_id));
  return absl::OkStatus();
}

absl::Status AwardsServiceImpl::DoRevokeHonour(
    const rpc::Caller& caller, const v1::RevokeHonourRequest& request,
    v1::RevokeHonourResponse* response) {
  Violations violations;
  rpc::CheckRequestId(request.request_id(), violations);
  fields::CheckId(request.honour_id(), "honour_id", violations);
  text::Check(request.reason(), "reason", kReasonRule, violations);
  if (!violations.empty()) return violations.ToStatus();
  absl::StatusOr<v1::Honour> found;
  absl::Status read = pool_.Run([&](db::Connection& conn) {
    found = store::LoadHonour(conn, request.honour_id());
    return absl::OkStatus();
  });
  if (!read.ok()) return read;
  if (!found.ok()) return found.status();
  absl::StatusOr<v1::Program> scoped =
      ProgramInScope(caller, found->program_id());
  if (!scoped.ok()) return scoped.status();
  const std::string today = dates::FormatDate(clock_.Today());
  return rpc::RunIdempotent<v1::RevokeHonourResponse>(
      pool_, AwardsMethod("RevokeHonour"), request.request_id(), request,
      response, [&](db::Connection& conn, v1::RevokeHonourResponse* out) {
        absl::StatusOr<v1::Honour> honour =
            store::LoadHonour(conn, request.honour_id(), true);
        if (!honour.ok()) return honour.status();
        if (absl::Status s = HonourAfterRevoke(*honour).status(); !s.ok()) {
          return s;
        }
        store::RevokeHonour(conn, honour->honour_id(), request.reason(), today);
        absl::StatusOr<v1::Honour> stored =
            store::LoadHonour(conn, honour->honour_id());
        if (!stored.ok()) return stored.status();
        *out->mutable_honour() = *stored;
        return absl::OkStatus();
      });
}

}  // namespace unionhub::awards
