// Nominations: creation within the nominating org's allocation, submission
// with the eligibility check against membership and finance, withdrawal,
// reading and listing.
#include <map>

#include "absl/strings/str_join.h"
#include "common/core/dates.h"
#include "common/core/field_checks.h"
#include "common/rpc/idempotent.h"
#include "common/rpc/page_token.h"
#include "common/rpc/violations.h"
#include "services/awards/awards_service.h"
#include "services/awards/domain/eligibility.h"
#include "services/awards/domain/evidence.h"
#include "services/awards/domain/lifecycle.h"
#include "services/awards/domain/reasons.h"
#include "services/awards/handler_util.h"
#include "services/awards/store/program_store.h"
#include "services/awards/store/review_store.h"

namespace unionhub::awards {
namespace {

absl::Status AlreadyNominated(int64_t other) {
  return absl::AlreadyExistsError(absl::StrCat(
      "the nominee is already nominated in this programme (nomination ", other,
      ")"));
}

// The nomination as the API shows it: the programme's subject type and the
// current vote tally.
absl::Status Complete(db::Connection& conn, v1::Nomination* n) {
  absl::StatusOr<v1::Program> program =
      store::LoadProgram(conn, n->program_id());
  if (!program.ok()) return program.status();
  n->set_subject_type(program->subject_type());
  *n->mutable_tally() = store::LoadTally(conn, n->nomination_id());
  return absl::OkStatus();
}

}  // namespace

absl::Status AwardsServiceImpl::NominationInScope(
    const rpc::Caller& caller, int64_t nomination_id,
    const absl::StatusOr<v1::Nomination>& nomination) {
  if (!nomination.ok()) {
    return SeenBy(caller, nomination.status(), "nomination", nomination_id);
  }
  return SeenBy(caller, gate_.CheckOrg(caller, nomination->nominating_org_id()),
                "nomination", nomination_id);
}

absl::Status AwardsServiceImpl::DoCreateNomination(
    const rpc::Caller&, const v1::CreateNominationRequest& request,
    v1::CreateNominationResponse* response) {
  const v1::Nomination& n = request.nomination();
  Violations violations;
  rpc::CheckRequestId(request.request_id(), violations);
  fields::CheckId(n.program_id(), "nomination.program_id", violations);
  fields::CheckId(n.nominating_org_id(), "nomination.nominating_org_id",
                  violations);
  text::Check(n.citation(), "nomination.citation", kCitationRule, violations);
  absl::StatusOr<v1::Program> program =
      absl::NotFoundError("no programme given");
  if (n.program_id() > 0) {
    absl::Status read = pool_.Run([&](db::Connection& conn) {
      program = store::LoadProgram(conn, n.program_id());
      return absl::OkStatus();
    });
    if (!read.ok()) return read;
    if (!program.ok()) return program.status();
    if (program->subject_type() == v1::SUBJECT_TYPE_INDIVIDUAL) {
      fields::CheckId(n.member_id(), "nomination.member_id", violations);
      if (n.subject_org_id() != 0) {
        violations.Add("nomination.subject_org_id",
                       "must be empty: the programme honours individuals");
      }
    } else {
      fields::CheckId(n.subject_org_id(), "nomination.subject_org_id",
                      violations);
      if (n.member_id() != 0) {
        violations.Add("nomination.member_id",
                       "must be empty: the programme honours teams or "
                       "organisations");
      }
      if (program->subject_type() == v1::SUBJECT_TYPE_TEAM) {
        text::Check(n.subject_name(), "nomination.subject_name", kLineRule,
                    violations);
      }
    }
  }
  if (!violations.empty()) return violations.ToStatus();

  // Before asking membership anything: a programme that takes no
  // nominations from this org now refuses at once (asked again, with the
  // org's count, under the lock below).
  const absl::CivilDay today = clock_.Today();
  const std::string day = dates::FormatDate(today);
  if (absl::Status takes = CheckProgramTakesNominations(
          *program, n.nominating_org_id(), /*used=*/0, /*count=*/1, day);
      !takes.ok()) {
    return takes;
  }

  v1::Nomination row;
  row.set_program_id(n.program_id());
  row.set_nominating_org_id(n.nominating_org_id());
  row.set_member_id(n.member_id());
  row.set_subject_org_id(n.subject_org_id());
  row.set_citation(n.citation());
  row.set_subject_name(n.subject_name());
  row.set_status(v1::NOMINATION_STATUS_DRAFT);
  // The subject must exist, in the caller's scope and in the nominating
  // org's subtree; its name comes from membership.
  if (n.member_id() != 0) {
    absl::StatusOr<MemberRead> member =
        on_behalf_.Member(n.member_id(), n.nominating_org_id());
    if (!member.ok()) return member.status();
    row.set_subject_name(member->member.name());
  } else {
    absl::StatusOr<mv1::Org> org =
        on_behalf_.Org(n.subject_org_id(), n.nominating_org_id());
    if (!org.ok()) return org.status();
    if (program->subject_type() == v1::SUBJECT_TYPE_ORGANISATION) {
      row.set_subject_name(org->name());
    }
  }
  return rpc::RunIdempotent<v1::CreateNominationResponse>(
      pool_, AwardsMethod("CreateNomination"), request.request_id(), request,
      response, [&](db::Connection& conn, v1::CreateNominationResponse* out) {
        absl::StatusOr<v1::Program> locked =
            store::LoadProgram(conn, n.program_id(), /*for_update=*/true);
        if (!locked.ok()) return locked.status();
        if (absl::Status takes = CheckProgramTakesNominations(
                *locked, n.nominating_org_id(),
                store::CountNominationsByOrg(conn, n.program_id(),
                                             n.nominating_org_id()),
                /*count=*/1, day);
            !takes.ok()) {
          return takes;
        }
        if (const int64_t other = store::LiveNominationOfSubject(
                conn, n.program_id(), n.member_id(), n.subject_org_id());
            other != 0) {
          return AlreadyNominated(other);
        }
        const int64_t id = store::InsertNomination(conn, row);
        absl::StatusOr<v1::Nomination> stored = store::LoadNomination(conn, id);
        if (!stored.ok()) return stored.status();
        *out->mutable_nomination() = *stored;
        return Complete(conn, out->mutable_nomination());
      });
}

absl::Status AwardsServiceImpl::DoSubmitNomination(
    const rpc::Caller& caller, const v1::SubmitNominationRequest& request,
    v1::SubmitNominationResponse* response) {
  Violations violations;
  rpc::CheckRequestId(request.request_id(), violations);
  fields::CheckId(request.nomination_id(), "nomination_id", violations);
  if (!violations.empty()) return violations.ToStatus();
  absl::StatusOr<v1::Nomination> current;
  absl::StatusOr<v1::Program> program;
  absl::Status read = pool_.Run([&](db::Connection& conn) {
    current = store::LoadNomination(conn, request.nomination_id());
    if (current.ok()) program = store::LoadProgram(conn, current->program_id());
    return absl::OkStatus();
  });
  if (!read.ok()) return read;
  if (absl::Status s =
          NominationInScope(caller, request.nomination_id(), current);
      !s.ok()) {
    return s;
  }
  if (!program.ok()) return program.status();
  // Ask the peers only when the nomination may still be submitted; a
  // replayed request then gets its stored answer from RunIdempotent.
  v1::EligibilityEvidence evidence;
  std::string national_id;
  const bool submittable =
      NominationAfter(*current, NominationAction::kSubmitEligible).ok();
  if (submittable) {
    absl::Status gathered =
        GatherEvidence(*program, *current, &evidence, &national_id);
    if (!gathered.ok()) return gathered;
  }
  const absl::CivilDay today = clock_.Today();
  return rpc::RunIdempotent<v1::SubmitNominationResponse>(
      pool_, AwardsMethod("SubmitNomination"), request.request_id(), request,
      response, [&](db::Connection& conn, v1::SubmitNominationResponse* out) {
        absl::StatusOr<v1::Program> locked =
            store::LoadProgram(conn, current->program_id(), true);
        if (!locked.ok()) return locked.status();
        absl::StatusOr<v1::Nomination> n =
            store::LoadNomination(conn, request.nomination_id(), true);
        if (!n.ok()) return n.status();
        if (absl::Status s =
                NominationAfter(*n, NominationAction::kSubmitEligible).status();
            !s.ok()) {
          return s;
        }
        if (absl::Status s =
                ProgramAfter(*locked, ProgramAction::kNominate).status();
            !s.ok()) {
          return s;
        }
        // An INELIGIBLE nomination holds no subject (another may be
        // created), yet may be submitted again: it must not come back
        // beside the subject's newer live nomination.
        if (const int64_t other = store::LiveNominationOfSubject(
                conn, n->program_id(), n->member_id(), n->subject_org_id(),
                n->nomination_id());
            other != 0) {
          return AlreadyNominated(other);
        }
        if (locked->eligibility().no_repeat_years() > 0) {
          for (int64_t id : store::RecentSameHonours(
                   conn, n->member_id(), n->subject_org_id(), locked->title(),
                   locked->level(),
                   locked->year() - locked->eligibility().no_repeat_years())) {
            evidence.add_prior_honour_ids(id);
          }
        }
        DecideEligibility(*locked, locked->subject_type(), today, &evidence);
        absl::StatusOr<v1::NominationStatus> next = NominationAfter(
            *n, evidence.eligible() ? NominationAction::kSubmitEligible
                                    : NominationAction::kSubmitIneligible);
        if (!next.ok()) return next.status();
        *n->mutable_evidence() = evidence;
        if (!national_id.empty()) n->set_national_id(national_id);
        n->set_status(*next);
        SetStatusReason(evidence.eligible() ? Because(status_reasons::kEligible)
                                            : Ineligible(evidence),
                        &*n);
        store::UpdateNomination(conn, *n);
        absl::StatusOr<v1::Nomination> stored =
            store::LoadNomination(conn, n->nomination_id());
        if (!stored.ok()) return stored.status();
        *out->mutable_nomination() = *stored;
        return Complete(conn, out->mutable_nomination());
      });
}

absl::Status AwardsServiceImpl::GatherEvidence(const v1::Program& program,
                                               const v1::Nomination& n,
                                               v1::EligibilityEvidence* e,
                                               std::string* national_id) {
  e->mutable_checked_at()->set_seconds(absl::ToUnixSeconds(absl::Now()));
  // The subject is read for the caller: nothing of one outside its scope
  // or outside the nominating org's subtree is stored as evidence.
  mv1::Org org;
  if (program.subject_type() == v1::SUBJECT_TYPE_INDIVIDUAL) {
    absl::StatusOr<MemberRead> read =
        on_behalf_.Member(n.member_id(), n.nominating_org_id());
    if (!read.ok()) return read.status();
    org = read->org;
    RecordMember(read->member, e);
    *national_id = read->member.national_id();
    absl::StatusOr<fv1::GetDuesStandingResponse> standing =
        peers_.GetDuesStanding(n.member_id());
    if (!standing.ok()) {
      if (standing.status().code() == absl::StatusCode::kNotFound) {
        // Finance learns of members from membership's feed; a member it
        // does not know yet is a lag, not a verdict.
        return absl::UnavailableError(absl::StrCat(
            "finance does not know member ", n.member_id(),
            " yet (its roster lags membership); try again shortly"));
      }
      return standing.status();
    }
    RecordDuesStanding(*standing, e);
  } else {
    absl::StatusOr<mv1::Org> subject =
        on_behalf_.Org(n.subject_org_id(), n.nominating_org_id());
    if (!subject.ok()) return subject.status();
    org = *std::move(subject);
  }
  RecordOrg(org, e);
  return absl::OkStatus();
}

absl::Status AwardsServiceImpl::DoWithdrawNomination(
    const rpc::Caller& caller, const v1::WithdrawNominationRequest& request,
    v1::WithdrawNominationResponse* response) {
  Violations violations;
  rpc::CheckRequestId(request.request_id(), violations);
  fields::CheckId(request.nomination_id(), "nomination_id", violations);
  text::Check(request.reason(), "reason", kReasonRule, violations);
  if (!violations.empty()) return violations.ToStatus();
  absl::StatusOr<v1::Nomination> current;
  absl::Status read = pool_.Run([&](db::Connection& conn) {
    current = store::LoadNomination(conn, request.nomination_id());
    return absl::OkStatus();
  });
  if (!read.ok()) return read;
  if (absl::Status s =
          NominationInScope(caller, request.nomination_id(), current);
      !s.ok()) {
    return s;
  }
  return rpc::RunIdempotent<v1::WithdrawNominationResponse>(
      pool_, AwardsMethod("WithdrawNomination"), request.request_id(), request,
      response, [&](db::Connection& conn, v1::WithdrawNominationResponse* out) {
        absl::StatusOr<v1::Nomination> n =
            store::LoadNomination(conn, request.nomination_id(), true);
        if (!n.ok()) return n.status();
        absl::StatusOr<v1::NominationStatus> next =
            NominationAfter(*n, NominationAction::kWithdraw);
        if (!next.ok()) return next.status();
        n->set_status(*next);
        SetStatusReason(
            Because(status_reasons::kWithdrawn, {{"reason", request.reason()}}),
            &*n);
        store::UpdateNomination(conn, *n);
        *out->mutable_nomination() = *n;
        return Complete(conn, out->mutable_nomination());
      });
}

absl::Status AwardsServiceImpl::DoGetNomination(
    const rpc::Caller& caller, const v1::GetNominationRequest& request,
    v1::GetNominationResponse* response) {
  Violations violations;
  fields::CheckId(request.nomination_id(), "nomination_id", violations);
  if (!violations.empty()) return violations.ToStatus();
  absl::StatusOr<v1::Nomination> n;
  absl::Status read = pool_.Run([&](db::Connection& conn) {
    n = store::LoadNomination(conn, request.nomination_id());
    if (n.ok()) return Complete(conn, &*n);
    return absl::OkStatus();
  });
  if (!read.ok()) return read;
  if (absl::Status s = NominationInScope(caller, request.nomination_id(), n);
      !s.ok()) {
    return s;
  }
  *response->mutable_nomination() = *n;
  return absl::OkStatus();
}

absl::Status AwardsServiceImpl::DoListNominations(
    const rpc::Caller& caller, const v1::ListNominationsRequest& request,
    v1::ListNominationsResponse* response) {
  Violations violations;
  fields::CheckId(request.program_id(), "program_id", violations);
  const rpc::Page page = rpc::ReadPage(request, violations);
  if (!v1::NominationStatus_IsValid(request.status())) {
    violations.Add("status", "unknown");
  }
  if (!violations.empty()) return violations.ToStatus();
  store::NominationFilter filter;
  filter.program_id = request.program_id();
  filter.nominating_org_id = request.nominating_org_id();
  filter.status = request.status();
  filter.after_id = page.after;
  filter.limit = page.fetch();
  std::vector<v1::Nomination> found;
  absl::Status read = pool_.Run([&](db::Connection& conn) {
    absl::StatusOr<v1::Program> program =
        store::LoadProgram(conn, request.program_id());
    if (!program.ok()) return program.status();
    found = store::ListNominations(conn, filter);
    for (v1::Nomination& n : found) {
      n.set_subject_type(program->subject_type());
      *n.mutable_tally() = store::LoadTally(conn, n.nomination_id());
    }
    return absl::OkStatus();
  });
  if (!read.ok()) return read;
  const bool more = page.Trim(found);
  const int64_t last_id = found.empty() ? 0 : found.back().nomination_id();
  std::map<int64_t, bool> visible;  // nominating org -> in the caller's scope
  for (v1::Nomination& n : found) {
    auto it = visible.find(n.nominating_org_id());
    if (it == visible.end()) {
      it = visible
               .emplace(n.nominating_org_id(),
                        gate_.CheckOrg(caller, n.nominating_org_id()).ok())
               .first;
    }
    if (it->second) *response->add_nominations() = std::move(n);
  }
  if (more) {
    response->set_next_page_token(page.NextToken(last_id));
  }
  return absl::OkStatus();
}

}  // namespace unionhub::awards
