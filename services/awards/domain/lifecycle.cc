#include "services/awards/domain/lifecycle.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"

namespace unionhub::awards {
namespace {

// Most statuses one action may be taken from.
constexpr int kMaxSources = 5;

// One row per action: the statuses it may be taken from (UNSPECIFIED ends
// the list) and the status it leaves behind (UNSPECIFIED: the record stays
// as it is). `verb` completes the refusal "<record> <id> is <STATUS>;
// <verb> needs <sources>".
template <typename Action, typename Status>
struct Rule {
  Action action;
  absl::string_view verb;
  Status sources[kMaxSources];
  Status target;
};

using ProgramRule = Rule<ProgramAction, v1::ProgramStatus>;
using NominationRule = Rule<NominationAction, v1::NominationStatus>;
using CompetitionRule = Rule<CompetitionAction, v1::CompetitionStatus>;
using ObjectionRule = Rule<v1::ObjectionStatus, v1::ObjectionStatus>;

// The programme's lifecycle. Reviewers may be assigned at any time before
// the programme is finalised.
const ProgramRule kProgramRules[] = {
    {ProgramAction::kOpenNominations,
     "opening nominations",
     {v1::PROGRAM_STATUS_DRAFT},
     v1::PROGRAM_STATUS_NOMINATING},
    {ProgramAction::kNominate,
     "nominating",
     {v1::PROGRAM_STATUS_NOMINATING},
     v1::PROGRAM_STATUS_UNSPECIFIED},
    {ProgramAction::kCloseNominations,
     "closing nominations",
     {v1::PROGRAM_STATUS_NOMINATING},
     v1::PROGRAM_STATUS_REVIEWING},
    {ProgramAction::kAssignReviewers,
     "assigning reviewers",
     {v1::PROGRAM_STATUS_DRAFT, v1::PROGRAM_STATUS_NOMINATING,
      v1::PROGRAM_STATUS_REVIEWING, v1::PROGRAM_STATUS_SHORTLISTED,
      v1::PROGRAM_STATUS_IN_PUBLICITY},
     v1::PROGRAM_STATUS_UNSPECIFIED},
    {ProgramAction::kCloseReview,
     "closing the review",
     {v1::PROGRAM_STATUS_REVIEWING},
     v1::PROGRAM_STATUS_SHORTLISTED},
    {ProgramAction::kStartPublicity,
     "starting publicity",
     {v1::PROGRAM_STATUS_SHORTLISTED},
     v1::PROGRAM_STATUS_IN_PUBLICITY},
    {ProgramAction::kReadPublicityNotice,
     "reading the publicity notice",
     {v1::PROGRAM_STATUS_IN_PUBLICITY, v1::PROGRAM_STATUS_FINALIZED},
     v1::PROGRAM_STATUS_UNSPECIFIED},
    {ProgramAction::kFinalize,
     "finalising",
     {v1::PROGRAM_STATUS_IN_PUBLICITY},
     v1::PROGRAM_STATUS_FINALIZED},
};

// The nomination's lifecycle. APPROVED, REJECTED and WITHDRAWN are decided:
// no action leaves them.
const NominationRule kNominationRules[] = {
    {NominationAction::kSubmitEligible,
     "submitting",
     {v1::NOMINATION_STATUS_DRAFT, v1::NOMINATION_STATUS_INELIGIBLE},
     v1::NOMINATION_STATUS_UNDER_REVIEW},
    {NominationAction::kSubmitIneligible,
     "submitting",
     {v1::NOMINATION_STATUS_DRAFT, v1::NOMINATION_STATUS_INELIGIBLE},
     v1::NOMINATION_STATUS_INELIGIBLE},
    {NominationAction::kVote,
     "voting",
     {v1::NOMINATION_STATUS_UNDER_REVIEW},
     v1::NOMINATION_STATUS_UNSPECIFIED},
    {NominationAction::kShortlist,
     "shortlisting",
     {v1::NOMINATION_STATUS_UNDER_REVIEW},
     v1::NOMINATION_STATUS_SHORTLISTED},
    {NominationAction::kReject,
     "rejecting",
     {v1::NOMINATION_STATUS_UNDER_REVIEW},
     v1::NOMINATION_STATUS_REJECTED},
    {NominationAction::kCloseUnsubmitted,
     "withdrawing when nominations close",
     {v1::NOMINATION_STATUS_DRAFT},
     v1::NOMINATION_STATUS_WITHDRAWN},
    {NominationAction::kPublish,
     "publishing",
     {v1::NOMINATION_STATUS_SHORTLISTED},
     v1::NOMINATION_STATUS_IN_PUBLICITY},
    {NominationAction::kObject,
     "filing an objection",
     {v1::NOMINATION_STATUS_IN_PUBLICITY},
     v1::NOMINATION_STATUS_UNSPECIFIED},
    {NominationAction::kUpholdObjection,
     "withdrawing on an upheld objection",
     {v1::NOMINATION_STATUS_IN_PUBLICITY},
     v1::NOMINATION_STATUS_WITHDRAWN},
    {NominationAction::kApprove,
     "approving",
     {v1::NOMINATION_STATUS_IN_PUBLICITY},
     v1::NOMINATION_STATUS_APPROVED},
    {NominationAction::kWithdraw,
     "withdrawing",
     {v1::NOMINATION_STATUS_DRAFT, v1::NOMINATION_STATUS_UNDER_REVIEW,
      v1::NOMINATION_STATUS_INELIGIBLE, v1::NOMINATION_STATUS_SHORTLISTED,
      v1::NOMINATION_STATUS_IN_PUBLICITY},
     v1::NOMINATION_STATUS_WITHDRAWN},
};

// A competition takes entrants and scores while OPEN; its results
// nominate once it is FINISHED.
const CompetitionRule kCompetitionRules[] = {
    {CompetitionAction::kRegisterEntrant,
     "registering an entrant",
     {v1::COMPETITION_STATUS_OPEN},
     v1::COMPETITION_STATUS_UNSPECIFIED},
    {CompetitionAction::kScore,
     "scoring",
     {v1::COMPETITION_STATUS_OPEN},
     v1::COMPETITION_STATUS_UNSPECIFIED},
    {CompetitionAction::kFinish,
     "finishing",
     {v1::COMPETITION_STATUS_OPEN},
     v1::COMPETITION_STATUS_FINISHED},
    {CompetitionAction::kNominateFromResults,
     "nominating from its results",
     {v1::COMPETITION_STATUS_FINISHED},
     v1::COMPETITION_STATUS_UNSPECIFIED},
};

// Resolving an objection, keyed by its outcome.
const ObjectionRule kObjectionRules[] = {
    {v1::OBJECTION_STATUS_UPHELD,
     "upholding",
     {v1::OBJECTION_STATUS_OPEN},
     v1::OBJECTION_STATUS_UPHELD},
    {v1::OBJECTION_STATUS_DISMISSED,
     "dismissing",
     {v1::OBJECTION_STATUS_OPEN},
     v1::OBJECTION_STATUS_DISMISSED},
};

template <typename Status>
std::string EnumName(Status status, bool (*is_valid)(int),
                     const std::string& (*name)(Status),
                     absl::string_view prefix) {
  if (!is_valid(status)) {
    return absl::StrCat("UNKNOWN(", static_cast<int>(status), ")");
  }
  return std::string(absl::StripPrefix(name(status), prefix));
}

template <typename Action, typename Status, size_t N>
const Rule<Action, Status>* Find(const Rule<Action, Status> (&rules)[N],
                                 Action action) {
  for (const Rule<Action, Status>& rule : rules) {
    if (rule.action == action) return &rule;
  }
  return nullptr;
}

// The status after `action` by `rules`, or the refusal naming `record`
// `id` in `from` ("programme 7 is REVIEWING; opening nominations needs
// DRAFT"). Every row lists at least one source.
template <typename Action, typename Status, size_t N>
absl::StatusOr<Status> After(const Rule<Action, Status> (&rules)[N],
                             Action action, absl::string_view record,
                             int64_t id, Status from,
                             std::string (*name)(Status)) {
  const Rule<Action, Status>* rule = Find(rules, action);
  if (rule == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat(record, " ", id, " is ", name(from),
                     "; that is not an action of its lifecycle"));
  }
  for (Status source : rule->sources) {
    if (source == Status{} || source != from) continue;
    return rule->target == Status{} ? from : rule->target;
  }
  std::vector<std::string> needs;
  for (Status source : rule->sources) {
    if (source != Status{}) needs.push_back(name(source));
  }
  std::string allowed = needs.back();
  if (needs.size() > 1) {
    allowed = absl::StrCat(absl::StrJoin(needs.begin(), needs.end() - 1, ", "),
                           " or ", allowed);
  }
  return absl::FailedPreconditionError(
      absl::StrCat(record, " ", id, " is ", name(from), "; ", rule->verb,
                   " needs ", allowed));
}

}  // namespace

std::string ProgramStatusName(v1::ProgramStatus status) {
  return EnumName(status, &v1::ProgramStatus_IsValid, &v1::ProgramStatus_Name,
                  "PROGRAM_STATUS_");
}

std::string NominationStatusName(v1::NominationStatus status) {
  return EnumName(status, &v1::NominationStatus_IsValid,
                  &v1::NominationStatus_Name, "NOMINATION_STATUS_");
}

std::string ObjectionStatusName(v1::ObjectionStatus status) {
  return EnumName(status, &v1::ObjectionStatus_IsValid,
                  &v1::ObjectionStatus_Name, "OBJECTION_STATUS_");
}

std::string HonourStatusName(v1::HonourStatus status) {
  return EnumName(status, &v1::HonourStatus_IsValid, &v1::HonourStatus_Name,
                  "HONOUR_STATUS_");
}

std::string CompetitionStatusName(v1::CompetitionStatus status) {
  return EnumName(status, &v1::CompetitionStatus_IsValid,
                  &v1::CompetitionStatus_Name, "COMPETITION_STATUS_");
}

absl::StatusOr<v1::ProgramStatus> ProgramAfter(const v1::Program& program,
                                               ProgramAction action) {
  return After(kProgramRules, action, "programme", program.program_id(),
               program.status(), &ProgramStatusName);
}

absl::StatusOr<v1::NominationStatus> NominationAfter(
    const v1::Nomination& nomination, NominationAction action) {
  return After(kNominationRules, action, "nomination",
               nomination.nomination_id(), nomination.status(),
               &NominationStatusName);
}

absl::StatusOr<v1::CompetitionStatus> CompetitionAfter(
    const v1::Competition& competition, CompetitionAction action) {
  return After(kCompetitionRules, action, "competition",
               competition.competition_id(), competition.status(),
               &CompetitionStatusName);
}

absl::StatusOr<v1::ObjectionStatus> ObjectionAfter(
    const v1::Objection& objection, v1::ObjectionStatus outcome) {
  return After(kObjectionRules, outcome, "objection", objection.objection_id(),
               objection.status(), &ObjectionStatusName);
}

absl::StatusOr<v1::HonourStatus> HonourAfterRevoke(const v1::Honour& honour) {
  static const Rule<bool, v1::HonourStatus> kRevoke[] = {
      {true, "revoking", {v1::HONOUR_STATUS_ACTIVE}, v1::HONOUR_STATUS_REVOKED},
  };
  return After(kRevoke, true, "honour", honour.honour_id(), honour.status(),
               &HonourStatusName);
}

v1::NominationStatus OnlyNominationSource(NominationAction action) {
  const NominationRule* rule = Find(kNominationRules, action);
  if (rule == nullptr ||
      rule->sources[1] != v1::NOMINATION_STATUS_UNSPECIFIED) {
    return v1::NOMINATION_STATUS_UNSPECIFIED;
  }
  return rule->sources[0];
}

v1::NominationStatus NominationTarget(NominationAction action) {
  const NominationRule* rule = Find(kNominationRules, action);
  if (rule == nullptr) return v1::NOMINATION_STATUS_UNSPECIFIED;
  if (rule->target == v1::NOMINATION_STATUS_UNSPECIFIED) {
    return OnlyNominationSource(action);
  }
  return rule->target;
}

std::vector<v1::NominationStatus> NominationSources(NominationAction action) {
  std::vector<v1::NominationStatus> sources;
  const NominationRule* rule = Find(kNominationRules, action);
  if (rule == nullptr) return sources;
  for (v1::NominationStatus source : rule->sources) {
    if (source == v1::NOMINATION_STATUS_UNSPECIFIED) break;
    sources.push_back(source);
  }
  return sources;
}

const v1::Allocation* AllocationOf(const v1::Program& program, int64_t org_id) {
  for (const v1::Allocation& a : program.allocations()) {
    if (a.org_id() == org_id) return &a;
  }
  return nullptr;
}

absl::Status CheckProgramTakesNominations(const v1::Program& program,
                                          int64_t org_id, int64_t used,
                                          int64_t count,
                                          const std::string& today) {
  if (absl::Status s = ProgramAfter(program, ProgramAction::kNominate).status();
      !s.ok()) {
    return s;
  }
  if (today < program.nomination_opens_on() ||
      today > program.nomination_closes_on()) {
    return absl::FailedPreconditionError(
        absl::StrCat("nominations to programme ", program.program_id(),
                     " run from ", program.nomination_opens_on(), " to ",
                     program.nomination_closes_on(), "; today is ", today));
  }
  const v1::Allocation* allocation = AllocationOf(program, org_id);
  if (allocation == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("org ", org_id, " has no allocation in programme ",
                     program.program_id()));
  }
  if (used + count > allocation->quota()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "org ", org_id, " has used ", used, " of ", allocation->quota(),
        " nominations of its allocation in programme ", program.program_id(),
        count > 1 ? absl::StrCat("; these would be ", count, " more") : ""));
  }
  return absl::OkStatus();
}

v1::NominationStatus NominationsOnNotice(v1::ProgramStatus program) {
  return program == v1::PROGRAM_STATUS_FINALIZED
             ? v1::NOMINATION_STATUS_APPROVED
             : v1::NOMINATION_STATUS_IN_PUBLICITY;
}

}  // namespace unionhub::awards
