// The full transition tables of awards' lifecycles: every action from every
// status (UNSPECIFIED and a value outside the enum included), allowed or
// refused. The expected tables are written out here, apart from
// lifecycle.cc's, so a change to either shows up as a failure.
#include "services/awards/domain/lifecycle.h"

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace unionhub::awards {
namespace {

using ::testing::HasSubstr;

constexpr int kUnknown = 42;  // a status no enum has

// One action's expected row: from -> to; every status not listed is
// refused with "<record> <id> is <STATUS>; <verb> needs ...".
template <typename Action, typename Status>
struct Case {
  Action action;
  const char* verb;
  std::map<Status, Status> allowed;
};

// Every value of an enum from `min` to `max`, and kUnknown.
std::vector<int> StatusesAndUnknown(int min, int max) {
  std::vector<int> all;
  for (int s = min; s <= max; ++s) all.push_back(s);
  all.push_back(kUnknown);
  return all;
}

// Checks `after(from, action)` against every row of `table` from each of
// `statuses`; `prefix` is the refusal's "<record> <id> is ".
template <typename Action, typename Status, typename After>
void ExpectTable(const std::vector<Case<Action, Status>>& table,
                 const std::vector<int>& statuses, const std::string& prefix,
                 std::string (*name)(Status), After after) {
  for (const Case<Action, Status>& c : table) {
    for (int raw : statuses) {
      const auto from = static_cast<Status>(raw);
      absl::StatusOr<Status> result = after(from, c.action);
      const std::string at = absl::StrCat(c.verb, " from ", raw);
      auto it = c.allowed.find(from);
      if (it != c.allowed.end()) {
        ASSERT_TRUE(result.ok()) << at << ": " << result.status();
        EXPECT_EQ(*result, it->second) << at;
        continue;
      }
      ASSERT_FALSE(result.ok()) << at;
      EXPECT_EQ(result.status().code(), absl::StatusCode::kFailedPrecondition)
          << at;
      EXPECT_THAT(
          std::string(result.status().message()),
          HasSubstr(absl::StrCat(prefix, name(from), "; ", c.verb, " needs ")))
          << at;
    }
  }
}

// ---- programme ----

using ProgramCase = Case<ProgramAction, v1::ProgramStatus>;

std::vector<ProgramCase> ProgramTable() {
  using S = v1::ProgramStatus;
  const S draft = v1::PROGRAM_STATUS_DRAFT;
  const S nominating = v1::PROGRAM_STATUS_NOMINATING;
  const S reviewing = v1::PROGRAM_STATUS_REVIEWING;
  const S shortlisted = v1::PROGRAM_STATUS_SHORTLISTED;
  const S publicity = v1::PROGRAM_STATUS_IN_PUBLICITY;
  const S finalized = v1::PROGRAM_STATUS_FINALIZED;
  return {
      {ProgramAction::kOpenNominations,
       "opening nominations",
       {{draft, nominating}}},
      {ProgramAction::kNominate, "nominating", {{nominating, nominating}}},
      {ProgramAction::kCloseNominations,
       "closing nominations",
       {{nominating, reviewing}}},
      {ProgramAction::kAssignReviewers,
       "assigning reviewers",
       {{draft, draft},
        {nominating, nominating},
        {reviewing, reviewing},
        {shortlisted, shortlisted},
        {publicity, publicity}}},
      {ProgramAction::kCloseReview,
       "closing the review",
       {{reviewing, shortlisted}}},
      {ProgramAction::kStartPublicity,
       "starting publicity",
       {{shortlisted, publicity}}},
      {ProgramAction::kReadPublicityNotice,
       "reading the publicity notice",
       {{publicity, publicity}, {finalized, finalized}}},
      {ProgramAction::kFinalize, "finalising", {{publicity, finalized}}},
  };
}

TEST(ProgramLifecycle, EveryActionFromEveryStatus) {
  ExpectTable(ProgramTable(),
              StatusesAndUnknown(v1::ProgramStatus_MIN, v1::ProgramStatus_MAX),
              "programme 7 is ", &ProgramStatusName,
              [](v1::ProgramStatus from, ProgramAction action) {
                v1::Program program;
                program.set_program_id(7);
                program.set_status(from);
                return ProgramAfter(program, action);
              });
}

TEST(ProgramLifecycle, RefusalNamesStatusActionAndWhatItNeeds) {
  v1::Program program;
  program.set_program_id(7);
  program.set_status(v1::PROGRAM_STATUS_REVIEWING);
  EXPECT_EQ(
      ProgramAfter(program, ProgramAction::kOpenNominations).status().message(),
      "programme 7 is REVIEWING; opening nominations needs DRAFT");
  program.set_status(v1::PROGRAM_STATUS_FINALIZED);
  EXPECT_EQ(
      ProgramAfter(program, ProgramAction::kAssignReviewers).status().message(),
      "programme 7 is FINALIZED; assigning reviewers needs DRAFT, "
      "NOMINATING, REVIEWING, SHORTLISTED or IN_PUBLICITY");
  program.set_status(v1::PROGRAM_STATUS_SHORTLISTED);
  EXPECT_EQ(ProgramAfter(program, ProgramAction::kReadPublicityNotice)
                .status()
                .message(),
            "programme 7 is SHORTLISTED; reading the publicity notice needs "
            "IN_PUBLICITY or FINALIZED");
  program.set_status(static_cast<v1::ProgramStatus>(kUnknown));
  EXPECT_EQ(ProgramAfter(program, ProgramAction::kFinalize).status().message(),
            "programme 7 is UNKNOWN(42); finalising needs IN_PUBLICITY");
}

TEST(ProgramLifecycle, TheMainPathRunsFromDraftToFinalized) {
  v1::Program program;
  program.set_status(v1::PROGRAM_STATUS_DRAFT);
  for (ProgramAction action :
       {ProgramAction::kOpenNominations, ProgramAction::kCloseNominations,
        ProgramAction::kCloseReview, ProgramAction::kStartPublicity,
        ProgramAction::kFinalize}) {
    absl::StatusOr<v1::ProgramStatus> next = ProgramAfter(program, action);
    ASSERT_TRUE(next.ok()) << next.status();
    program.set_status(*next);
  }
  EXPECT_EQ(program.status(), v1::PROGRAM_STATUS_FINALIZED);
}

// ---- nomination ----

using NominationCase = Case<NominationAction, v1::NominationStatus>;

std::vector<NominationCase> NominationTable() {
  using S = v1::NominationStatus;
  const S draft = v1::NOMINATION_STATUS_DRAFT;
  const S review = v1::NOMINATION_STATUS_UNDER_REVIEW;
  const S ineligible = v1::NOMINATION_STATUS_INELIGIBLE;
  const S shortlisted = v1::NOMINATION_STATUS_SHORTLISTED;
  const S publicity = v1::NOMINATION_STATUS_IN_PUBLICITY;
  const S approved = v1::NOMINATION_STATUS_APPROVED;
  const S rejected = v1::NOMINATION_STATUS_REJECTED;
  const S withdrawn = v1::NOMINATION_STATUS_WITHDRAWN;
  return {
      {NominationAction::kSubmitEligible,
       "submitting",
       {{draft, review}, {ineligible, review}}},
      {NominationAction::kSubmitIneligible,
       "submitting",
       {{draft, ineligible}, {ineligible, ineligible}}},
      {NominationAction::kVote, "voting", {{review, review}}},
      {NominationAction::kShortlist, "shortlisting", {{review, shortlisted}}},
      {NominationAction::kReject, "rejecting", {{review, rejected}}},
      {NominationAction::kCloseUnsubmitted,
       "withdrawing when nominations close",
       {{draft, withdrawn}}},
      {NominationAction::kPublish, "publishing", {{shortlisted, publicity}}},
      {NominationAction::kObject,
       "filing an objection",
       {{publicity, publicity}}},
      {NominationAction::kUpholdObjection,
       "withdrawing on an upheld objection",
       {{publicity, withdrawn}}},
      {NominationAction::kApprove, "approving", {{publicity, approved}}},
      {NominationAction::kWithdraw,
       "withdrawing",
       {{draft, withdrawn},
        {review, withdrawn},
        {ineligible, withdrawn},
        {shortlisted, withdrawn},
        {publicity, withdrawn}}},
  };
}

TEST(NominationLifecycle, EveryActionFromEveryStatus) {
  ExpectTable(
      NominationTable(),
      StatusesAndUnknown(v1::NominationStatus_MIN, v1::NominationStatus_MAX),
      "nomination 3 is ", &NominationStatusName,
      [](v1::NominationStatus from, NominationAction action) {
        v1::Nomination n;
        n.set_nomination_id(3);
        n.set_status(from);
        return NominationAfter(n, action);
      });
}

TEST(NominationLifecycle, DecidedNominationsAreFinal) {
  for (v1::NominationStatus decided :
       {v1::NOMINATION_STATUS_APPROVED, v1::NOMINATION_STATUS_REJECTED,
        v1::NOMINATION_STATUS_WITHDRAWN}) {
    v1::Nomination n;
    n.set_status(decided);
    for (const NominationCase& c : NominationTable()) {
      EXPECT_FALSE(NominationAfter(n, c.action).ok())
          << c.verb << " from " << NominationStatusName(decided);
    }
  }
}

TEST(NominationLifecycle, RefusalNamesStatusActionAndWhatItNeeds) {
  v1::Nomination n;
  n.set_nomination_id(3);
  n.set_status(v1::NOMINATION_STATUS_APPROVED);
  EXPECT_EQ(NominationAfter(n, NominationAction::kWithdraw).status().message(),
            "nomination 3 is APPROVED; withdrawing needs DRAFT, UNDER_REVIEW, "
            "INELIGIBLE, SHORTLISTED or IN_PUBLICITY");
  n.set_status(v1::NOMINATION_STATUS_SHORTLISTED);
  EXPECT_EQ(NominationAfter(n, NominationAction::kVote).status().message(),
            "nomination 3 is SHORTLISTED; voting needs UNDER_REVIEW");
  n.set_status(v1::NOMINATION_STATUS_UNDER_REVIEW);
  EXPECT_EQ(
      NominationAfter(n, NominationAction::kSubmitEligible).status().message(),
      "nomination 3 is UNDER_REVIEW; submitting needs DRAFT or INELIGIBLE");
}

TEST(NominationLifecycle, BulkMovesHaveOneSourceAndOneTarget) {
  struct Move {
    NominationAction action;
    v1::NominationStatus from, to;
  };
  for (const Move& m : std::vector<Move>{
           {NominationAction::kCloseUnsubmitted, v1::NOMINATION_STATUS_DRAFT,
            v1::NOMINATION_STATUS_WITHDRAWN},
           {NominationAction::kShortlist, v1::NOMINATION_STATUS_UNDER_REVIEW,
            v1::NOMINATION_STATUS_SHORTLISTED},
           {NominationAction::kReject, v1::NOMINATION_STATUS_UNDER_REVIEW,
            v1::NOMINATION_STATUS_REJECTED},
           {NominationAction::kPublish, v1::NOMINATION_STATUS_SHORTLISTED,
            v1::NOMINATION_STATUS_IN_PUBLICITY},
           {NominationAction::kApprove, v1::NOMINATION_STATUS_IN_PUBLICITY,
            v1::NOMINATION_STATUS_APPROVED},
           {NominationAction::kVote, v1::NOMINATION_STATUS_UNDER_REVIEW,
            v1::NOMINATION_STATUS_UNDER_REVIEW},
       }) {
    EXPECT_EQ(OnlyNominationSource(m.action), m.from)
        << NominationStatusName(m.from);
    EXPECT_EQ(NominationTarget(m.action), m.to) << NominationStatusName(m.to);
  }
  // Several sources: no single one to select by.
  EXPECT_EQ(OnlyNominationSource(NominationAction::kWithdraw),
            v1::NOMINATION_STATUS_UNSPECIFIED);
  EXPECT_EQ(OnlyNominationSource(NominationAction::kSubmitEligible),
            v1::NOMINATION_STATUS_UNSPECIFIED);
  EXPECT_EQ(NominationTarget(NominationAction::kWithdraw),
            v1::NOMINATION_STATUS_WITHDRAWN);
}

TEST(NominationLifecycle, NoticeListsPublicisedThenApproved) {
  EXPECT_EQ(NominationsOnNotice(v1::PROGRAM_STATUS_IN_PUBLICITY),
            v1::NOMINATION_STATUS_IN_PUBLICITY);
  EXPECT_EQ(NominationsOnNotice(v1::PROGRAM_STATUS_FINALIZED),
            v1::NOMINATION_STATUS_APPROVED);
}

// ---- objection, honour, competition ----

TEST(NominationLifecycle, WithdrawSourcesAreExactlyTheUndecided) {
  // The feed's withdrawal of a departed nominee's nominations selects by
  // these; every status not decided (APPROVED, REJECTED, WITHDRAWN) and no
  // other must be in the list.
  const std::vector<v1::NominationStatus> sources =
      NominationSources(NominationAction::kWithdraw);
  const std::set<v1::NominationStatus> got(sources.begin(), sources.end());
  std::set<v1::NominationStatus> undecided;
  for (int s = v1::NominationStatus_MIN + 1; s <= v1::NominationStatus_MAX;
       ++s) {
    const auto status = static_cast<v1::NominationStatus>(s);
    if (!v1::NominationStatus_IsValid(s) ||
        status == v1::NOMINATION_STATUS_APPROVED ||
        status == v1::NOMINATION_STATUS_REJECTED ||
        status == v1::NOMINATION_STATUS_WITHDRAWN) {
      continue;
    }
    undecided.insert(status);
  }
  EXPECT_EQ(got, undecided);
  EXPECT_EQ(sources.size(), got.size());
}

v1::Program NominatingProgram() {
  v1::Program p;
  p.set_program_id(7);
  p.set_status(v1::PROGRAM_STATUS_NOMINATING);
  p.set_nomination_opens_on("2026-03-01");
  p.set_nomination_closes_on("2026-03-31");
  v1::Allocation* a = p.add_allocations();
  a->set_org_id(40);
  a->set_quota(3);
  return p;
}

TEST(ProgramTakesNominations, InsideTheWindowWithRoomInTheAllocation) {
  const v1::Program p = NominatingProgram();
  EXPECT_TRUE(CheckProgramTakesNominations(p, 40, 0, 3, "2026-03-01").ok());
  EXPECT_TRUE(CheckProgramTakesNominations(p, 40, 2, 1, "2026-03-31").ok());
}

TEST(ProgramTakesNominations, EachRuleRefusesWithItsReason) {
  v1::Program p = NominatingProgram();
  absl::Status s = CheckProgramTakesNominations(p, 40, 0, 1, "2026-04-01");
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("run from 2026-03-01 to 2026-03-31"));
  s = CheckProgramTakesNominations(p, 40, 0, 1, "2026-02-28");
  EXPECT_THAT(s.message(), HasSubstr("today is 2026-02-28"));
  s = CheckProgramTakesNominations(p, 41, 0, 1, "2026-03-10");
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("org 41 has no allocation"));
  s = CheckProgramTakesNominations(p, 40, 3, 1, "2026-03-10");
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("has used 3 of 3"));
  s = CheckProgramTakesNominations(p, 40, 1, 3, "2026-03-10");
  EXPECT_THAT(s.message(), HasSubstr("these would be 3 more"));
  p.set_status(v1::PROGRAM_STATUS_REVIEWING);
  s = CheckProgramTakesNominations(p, 40, 0, 1, "2026-03-10");
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("REVIEWING"));
}

TEST(ObjectionLifecycle, OnlyAnOpenObjectionIsResolved) {
  for (int raw = v1::ObjectionStatus_MIN; raw <= v1::ObjectionStatus_MAX;
       ++raw) {
    const auto from = static_cast<v1::ObjectionStatus>(raw);
    v1::Objection objection;
    objection.set_objection_id(4);
    objection.set_status(from);
    for (int outcome_raw = v1::ObjectionStatus_MIN;
         outcome_raw <= v1::ObjectionStatus_MAX; ++outcome_raw) {
      const auto outcome = static_cast<v1::ObjectionStatus>(outcome_raw);
      absl::StatusOr<v1::ObjectionStatus> after =
          ObjectionAfter(objection, outcome);
      const bool allowed = from == v1::OBJECTION_STATUS_OPEN &&
                           (outcome == v1::OBJECTION_STATUS_UPHELD ||
                            outcome == v1::OBJECTION_STATUS_DISMISSED);
      ASSERT_EQ(after.ok(), allowed) << raw << " -> " << outcome_raw;
      if (allowed) {
        EXPECT_EQ(*after, outcome);
      } else {
        EXPECT_EQ(after.status().code(), absl::StatusCode::kFailedPrecondition);
        EXPECT_TRUE(absl::StartsWith(
            after.status().message(),
            absl::StrCat("objection 4 is ", ObjectionStatusName(from), "; ")))
            << after.status();
      }
    }
  }
  v1::Objection upheld;
  upheld.set_objection_id(4);
  upheld.set_status(v1::OBJECTION_STATUS_UPHELD);
  EXPECT_EQ(
      ObjectionAfter(upheld, v1::OBJECTION_STATUS_DISMISSED).status().message(),
      "objection 4 is UPHELD; dismissing needs OPEN");
}

TEST(HonourLifecycle, OnlyAnActiveHonourIsRevoked) {
  for (int raw = v1::HonourStatus_MIN; raw <= v1::HonourStatus_MAX; ++raw) {
    v1::Honour honour;
    honour.set_honour_id(9);
    honour.set_status(static_cast<v1::HonourStatus>(raw));
    absl::StatusOr<v1::HonourStatus> after = HonourAfterRevoke(honour);
    if (raw == v1::HONOUR_STATUS_ACTIVE) {
      ASSERT_TRUE(after.ok()) << after.status();
      EXPECT_EQ(*after, v1::HONOUR_STATUS_REVOKED);
    } else {
      EXPECT_EQ(after.status().code(), absl::StatusCode::kFailedPrecondition)
          << raw;
    }
  }
  v1::Honour revoked;
  revoked.set_honour_id(9);
  revoked.set_status(v1::HONOUR_STATUS_REVOKED);
  EXPECT_EQ(HonourAfterRevoke(revoked).status().message(),
            "honour 9 is REVOKED; revoking needs ACTIVE");
}

TEST(CompetitionLifecycle, EveryActionFromEveryStatus) {
  using S = v1::CompetitionStatus;
  const S open = v1::COMPETITION_STATUS_OPEN;
  const S finished = v1::COMPETITION_STATUS_FINISHED;
  const std::vector<Case<CompetitionAction, S>> table = {
      {CompetitionAction::kRegisterEntrant,
       "registering an entrant",
       {{open, open}}},
      {CompetitionAction::kScore, "scoring", {{open, open}}},
      {CompetitionAction::kFinish, "finishing", {{open, finished}}},
      {CompetitionAction::kNominateFromResults,
       "nominating from its results",
       {{finished, finished}}},
  };
  ExpectTable(
      table,
      StatusesAndUnknown(v1::CompetitionStatus_MIN, v1::CompetitionStatus_MAX),
      "competition 5 is ", &CompetitionStatusName,
      [](S from, CompetitionAction action) {
        v1::Competition c;
        c.set_competition_id(5);
        c.set_status(from);
        return CompetitionAfter(c, action);
      });
  v1::Competition c;
  c.set_competition_id(5);
  c.set_status(open);
  // The service test asserts "OPEN" in this refusal.
  EXPECT_EQ(CompetitionAfter(c, CompetitionAction::kNominateFromResults)
                .status()
                .message(),
            "competition 5 is OPEN; nominating from its results needs "
            "FINISHED");
  c.set_status(finished);
  EXPECT_EQ(CompetitionAfter(c, CompetitionAction::kFinish).status().message(),
            "competition 5 is FINISHED; finishing needs OPEN");
}

TEST(StatusNames, DropThePrefixAndNameUnknownValues) {
  EXPECT_EQ(ProgramStatusName(v1::PROGRAM_STATUS_IN_PUBLICITY), "IN_PUBLICITY");
  EXPECT_EQ(ProgramStatusName(v1::PROGRAM_STATUS_UNSPECIFIED), "UNSPECIFIED");
  EXPECT_EQ(NominationStatusName(v1::NOMINATION_STATUS_UNDER_REVIEW),
            "UNDER_REVIEW");
  EXPECT_EQ(NominationStatusName(static_cast<v1::NominationStatus>(kUnknown)),
            "UNKNOWN(42)");
  EXPECT_EQ(ObjectionStatusName(v1::OBJECTION_STATUS_DISMISSED), "DISMISSED");
  EXPECT_EQ(HonourStatusName(v1::HONOUR_STATUS_ACTIVE), "ACTIVE");
  EXPECT_EQ(CompetitionStatusName(v1::COMPETITION_STATUS_FINISHED), "FINISHED");
}

}  // namespace
}  // namespace unionhub::awards
