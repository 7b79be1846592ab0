// The lifecycles of awards' records as state machines: which action may be
// taken on a programme, a nomination, an objection, an honour or a
// competition in which status, and the status it leaves behind. Every
// handler asks here instead of comparing statuses itself, so a rule such as
// "votes are cast on UNDER_REVIEW nominations" lives in one table below
// (lifecycle.cc). Pure: no I/O.
//
//   programme   DRAFT -open-> NOMINATING -close-> REVIEWING -close review->
//               SHORTLISTED -start publicity-> IN_PUBLICITY -finalise->
//               FINALIZED
//   nomination  DRAFT|INELIGIBLE -submit-> UNDER_REVIEW|INELIGIBLE
//               UNDER_REVIEW -close review-> SHORTLISTED|REJECTED
//               SHORTLISTED -publicity-> IN_PUBLICITY -finalise-> APPROVED
//               DRAFT -nominations closed-> WITHDRAWN
//               IN_PUBLICITY -objection upheld-> WITHDRAWN
//               any undecided -withdraw-> WITHDRAWN
//   objection   OPEN -> UPHELD | DISMISSED
//   honour      ACTIVE -> REVOKED
//   competition OPEN -finish-> FINISHED
//
// A refusal is FAILED_PRECONDITION naming the record, its status and the
// action: "programme 7 is REVIEWING; opening nominations needs DRAFT".
#ifndef UNIONHUB_SERVICES_AWARDS_DOMAIN_LIFECYCLE_H_
#define UNIONHUB_SERVICES_AWARDS_DOMAIN_LIFECYCLE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "unionhub/awards/v1/awards.pb.h"
#include "unionhub/awards/v1/competition.pb.h"

namespace unionhub::awards {

namespace v1 = ::unionhub::awards::v1;

// Actions on a programme. Some move it on; the others (kNominate,
// kAssignReviewers, kReadPublicityNotice) only need it in certain statuses
// and leave it there.
enum class ProgramAction {
  kOpenNominations,
  kNominate,  // create or submit a nomination
  kCloseNominations,
  kAssignReviewers,
  kCloseReview,
  kStartPublicity,
  kReadPublicityNotice,
  kFinalize,
};

enum class NominationAction {
  // Submission's two outcomes, by the eligibility verdict. They share their
  // source statuses, so either tells whether a nomination may be submitted.
  kSubmitEligible,
  kSubmitIneligible,
  kVote,  // stays UNDER_REVIEW
  // CloseReview's two outcomes, by the vote.
  kShortlist,
  kReject,
  kCloseUnsubmitted,  // CloseNominations withdraws the unsubmitted
  kPublish,           // StartPublicity
  kObject,            // FileObjection; stays IN_PUBLICITY
  kUpholdObjection,
  kApprove,  // FinalizeProgram
  // WithdrawNomination, and membership's feed when the nominee leaves, is
  // expelled or dies: anything not yet decided.
  kWithdraw,
};

enum class CompetitionAction {
  kRegisterEntrant,
  kScore,
  kFinish,
  kNominateFromResults,
};

// "NOMINATING" for PROGRAM_STATUS_NOMINATING, "UNKNOWN(<n>)" outside the
// enum; the same for the other enums.
std::string ProgramStatusName(v1::ProgramStatus status);
std::string NominationStatusName(v1::NominationStatus status);
std::string ObjectionStatusName(v1::ObjectionStatus status);
std::string HonourStatusName(v1::HonourStatus status);
std::string CompetitionStatusName(v1::CompetitionStatus status);

// The status `action` leaves the record in, or FAILED_PRECONDITION naming
// the record, its current status, the action and the statuses it needs.
absl::StatusOr<v1::ProgramStatus> ProgramAfter(const v1::Program& program,
                                               ProgramAction action);
absl::StatusOr<v1::NominationStatus> NominationAfter(
    const v1::Nomination& nomination, NominationAction action);
absl::StatusOr<v1::CompetitionStatus> CompetitionAfter(
    const v1::Competition& competition, CompetitionAction action);
// `outcome` is UPHELD or DISMISSED (the request's, validated by the
// handler); anything else is refused as well.
absl::StatusOr<v1::ObjectionStatus> ObjectionAfter(
    const v1::Objection& objection, v1::ObjectionStatus outcome);
absl::StatusOr<v1::HonourStatus> HonourAfterRevoke(const v1::Honour& honour);

// A programme step that moves all its nominations at once
// (CloseNominations, CloseReview, StartPublicity, FinalizeProgram) selects
// them by the one status the nomination action is taken from
// (kCloseUnsubmitted, kShortlist, kReject, kPublish, kApprove have exactly
// one; UNSPECIFIED for an action with several) and moves them to its
// target.
v1::NominationStatus OnlyNominationSource(NominationAction action);
v1::NominationStatus NominationTarget(NominationAction action);

// Every status `action` may be taken from, in the table's order (the
// nominee's departure withdraws the nominations kWithdraw's sources name).
std::vector<v1::NominationStatus> NominationSources(NominationAction action);

// Whether `program` takes `count` more nominations by `org_id` on `today`
// (YYYY-MM-DD), `used` being the nominations that org has made in it: the
// programme is NOMINATING, today is inside its nomination window and the
// org's allocation has room. CreateNomination and NominateFromCompetition
// both ask this under the programme's row lock; FAILED_PRECONDITION names
// the first rule broken.
absl::Status CheckProgramTakesNominations(const v1::Program& program,
                                          int64_t org_id, int64_t used,
                                          int64_t count,
                                          const std::string& today);

// The org's allocation in `program`, or nullptr when it has none.
const v1::Allocation* AllocationOf(const v1::Program& program, int64_t org_id);

// Which nominations a programme's publicity notice lists: those in
// publicity, or the approved once the programme is finalised.
v1::NominationStatus NominationsOnNotice(v1::ProgramStatus program);

}  // namespace unionhub::awards

#endif  // UNIONHUB_SERVICES_AWARDS_DOMAIN_LIFECYCLE_H_
