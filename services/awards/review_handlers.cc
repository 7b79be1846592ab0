// Review: the committee, votes with recusal, and shortlisting.
#include "absl/strings/str_join.h"
#include "common/core/field_checks.h"
#include "common/core/preconditions.h"
#include "common/rpc/idempotent.h"
#include "common/rpc/violations.h"
#include "services/awards/awards_service.h"
#include "services/awards/domain/lifecycle.h"
#include "services/awards/domain/reasons.h"
#include "services/awards/domain/review.h"
#include "services/awards/handler_util.h"
#include "services/awards/store/program_store.h"
#include "services/awards/store/review_store.h"

namespace unionhub::awards {

absl::Status AwardsServiceImpl::DoAssignReviewers(
    const rpc::Caller& caller, const v1::AssignReviewersRequest& request,
    v1::AssignReviewersResponse* response) {
  Violations violations;
  rpc::CheckRequestId(request.request_id(), violations);
  fields::CheckId(request.program_id(), "program_id", violations);
  // At most kMaxReviewers (stated in awards.proto) per request.
  constexpr int kMaxReviewers = 100;
  const bool bounded = request.reviewers_size() <= kMaxReviewers;
  if (request.reviewers_size() == 0) {
    violations.Add("reviewers", "at least one reviewer");
  } else if (!bounded) {
    violations.Add("reviewers", absl::StrCat("at most ", kMaxReviewers,
                                             " reviewers per request"));
  }
  for (int i = 0; bounded && i < request.reviewers_size(); ++i) {
    const v1::Reviewer& r = request.reviewers(i);
    const std::string at = absl::StrCat("reviewers[", i, "]");
    text::Check(r.subject(), at + ".subject", kLineRule, violations);
    text::Check(r.name(), at + ".name", kLineRule, violations);
    fields::CheckId(r.org_id(), at + ".org_id", violations);
  }
  if (!violations.empty()) return violations.ToStatus();
  absl::StatusOr<v1::Program> scoped =
      ProgramInScope(caller, request.program_id());
  if (!scoped.ok()) return scoped.status();
  return rpc::RunIdempotent<v1::AssignReviewersResponse>(
      pool_, AwardsMethod("AssignReviewers"), request.request_id(), request,
      response, [&](db::Connection& conn, v1::AssignReviewersResponse* out) {
        absl::StatusOr<v1::Program> program =
            store::LoadProgram(conn, request.program_id(), true);
        if (!program.ok()) return program.status();
        if (absl::Status s =
                ProgramAfter(*program, ProgramAction::kAssignReviewers)
                    .status();
            !s.ok()) {
          return s;
        }
        for (const v1::Reviewer& r : request.reviewers()) {
          store::AddReviewer(conn, request.program_id(), r);
        }
        for (v1::Reviewer& r :
             store::ListReviewers(conn, request.program_id())) {
          *out->add_reviewers() = std::move(r);
        }
        return absl::OkStatus();
      });
}

absl::Status AwardsServiceImpl::DoListReviewers(
    const rpc::Caller& caller, const v1::ListReviewersRequest& request,
    v1::ListReviewersResponse* response) {
  Violations violations;
  fields::CheckId(request.program_id(), "program_id", violations);
  if (!violations.empty()) return violations.ToStatus();
  absl::StatusOr<v1::Program> scoped =
      ProgramInScope(caller, request.program_id());
  if (!scoped.ok()) return scoped.status();
  return pool_.Run([&](db::Connection& conn) {
    for (v1::Reviewer& r : store::ListReviewers(conn, request.program_id())) {
      *response->add_reviewers() = std::move(r);
    }
    return absl::OkStatus();
  });
}

absl::Status AwardsServiceImpl::DoCastVote(const rpc::Caller& caller,
                                           const v1::CastVoteRequest& request,
                                           v1::CastVoteResponse* response) {
  Violations violations;
  rpc::CheckRequestId(request.request_id(), violations);
  fields::CheckId(request.nomination_id(), "nomination_id", violations);
  if (!v1::VoteChoice_IsValid(request.choice()) ||
      request.choice() == v1::VOTE_CHOICE_UNSPECIFIED) {
    violations.Add("choice", "APPROVE, REJECT, ABSTAIN or COMMENT");
  }
  if (request.choice() == v1::VOTE_CHOICE_COMMENT &&
      request.comment().empty()) {
    violations.Add("comment", "required with COMMENT");
  }
  text::Check(request.comment(), "comment", kCommentRule, violations);
  if (!violations.empty()) return violations.ToStatus();
  const std::string& subject = caller.claims.subject;
  return rpc::RunIdempotent<v1::CastVoteResponse>(
      pool_, AwardsMethod("CastVote"), request.request_id(), request, response,
      [&](db::Connection& conn, v1::CastVoteResponse* out) {
        absl::StatusOr<v1::Nomination> n =
            store::LoadNomination(conn, request.nomination_id(), true);
        if (!n.ok()) return n.status();
        absl::StatusOr<v1::Program> program =
            store::LoadProgram(conn, n->program_id());
        if (!program.ok()) return program.status();
        std::optional<v1::Reviewer> reviewer =
            store::FindReviewer(conn, n->program_id(), subject);
        if (!reviewer.has_value()) {
          return absl::PermissionDeniedError(absl::StrCat(
              subject, " is not a reviewer of programme ", n->program_id()));
        }
        if (absl::Status s =
                NominationAfter(*n, NominationAction::kVote).status();
            !s.ok()) {
          return s;
        }
        const v1::EligibilityEvidence& e = n->evidence();
        if (MustRecuse(reviewer->org_id(), e.org_id(),
                       {e.ancestor_ids().begin(), e.ancestor_ids().end()},
                       program->organizer_org_id())) {
          // Typed "recusal" in the details so the console marks the
          // nomination as one this reviewer sits out.
          const std::string why = absl::StrCat(
              "reviewer ", subject, " must recuse: their organisation ",
              reviewer->org_id(), " is in the nominee's chain (", e.org_name(),
              ", org ", e.org_id(), ")");
          return FailedPreconditionWith(why, {{"recusal", "reviewer", why}});
        }
        if (request.choice() != v1::VOTE_CHOICE_COMMENT) {
          store::PutVote(conn, n->nomination_id(), subject, request.choice());
        }
        if (!request.comment().empty()) {
          store::AddComment(conn, n->nomination_id(), subject,
                            request.comment());
        }
        *out->mutable_nomination() = *n;
        out->mutable_nomination()->set_subject_type(program->subject_type());
        *out->mutable_nomination()->mutable_tally() =
            store::LoadTally(conn, n->nomination_id());
        return absl::OkStatus();
      });
}

absl::Status AwardsServiceImpl::DoCloseReview(
    const rpc::Caller& caller, const v1::CloseReviewRequest& request,
    v1::CloseReviewResponse* response) {
  Violations violations;
  rpc::CheckRequestId(request.request_id(), violations);
  fields::CheckId(request.program_id(), "program_id", violations);
  if (!violations.empty()) return violations.ToStatus();
  absl::StatusOr<v1::Program> scoped =
      ProgramInScope(caller, request.program_id());
  if (!scoped.ok()) return scoped.status();
  return rpc::RunIdempotent<v1::CloseReviewResponse>(
      pool_, AwardsMethod("CloseReview"), request.request_id(), request,
      response, [&](db::Connection& conn, v1::CloseReviewResponse* out) {
        absl::StatusOr<v1::Program> program =
            store::LoadProgram(conn, request.program_id(), true);
        if (!program.ok()) return program.status();
        absl::StatusOr<v1::ProgramStatus> next =
            ProgramAfter(*program, ProgramAction::kCloseReview);
        if (!next.ok()) return next.status();
        store::NominationFilter filter;
        filter.program_id = program->program_id();
        // kShortlist and kReject share their one source.
        filter.status = OnlyNominationSource(NominationAction::kShortlist);
        filter.limit = 0;
        const int32_t num = program->shortlist_numerator();
        const int32_t den = program->shortlist_denominator();
        for (v1::Nomination& n : store::ListNominations(conn, filter)) {
          const v1::VoteTally tally = store::LoadTally(conn, n.nomination_id());
          const int32_t cast =
              tally.approve() + tally.reject() + tally.abstain();
          const bool shortlisted = MeetsThreshold(tally, num, den);
          absl::StatusOr<v1::NominationStatus> outcome =
              NominationAfter(n, shortlisted ? NominationAction::kShortlist
                                             : NominationAction::kReject);
          if (!outcome.ok()) return outcome.status();
          n.set_status(*outcome);
          if (shortlisted) {
            SetStatusReason(Because(status_reasons::kShortlisted,
                                    {{"approve", absl::StrCat(tally.approve())},
                                     {"cast", absl::StrCat(cast)}}),
                            &n);
            out->add_shortlisted_ids(n.nomination_id());
          } else {
            SetStatusReason(Because(status_reasons::kRejectedByVote,
                                    {{"approve", absl::StrCat(tally.approve())},
                                     {"cast", absl::StrCat(cast)},
                                     {"numerator", absl::StrCat(num)},
                                     {"denominator", absl::StrCat(den)}}),
                            &n);
            out->add_rejected_ids(n.nomination_id());
          }
          store::UpdateNomination(conn, n);
        }
        program->set_status(*next);
        store::UpdateProgram(conn, *program);
        absl::StatusOr<v1::Program> stored =
            store::LoadProgram(conn, program->program_id());
        if (!stored.ok()) return stored.status();
        *out->mutable_program() = *stored;
        return absl::OkStatus();
      });
}

}  // namespace unionhub::awards
