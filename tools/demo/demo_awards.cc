#include "tools/demo/demo_awards.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "unionhub/awards/v1/awards.grpc.pb.h"

namespace unionhub::demo {
namespace {

namespace av1 = ::unionhub::awards::v1;
using AwardsStub = av1::AwardsService::Stub;

constexpr char kTitle[] = "最美职工";
constexpr int kUnions = 3;
constexpr int kPerUnion = 2;

absl::CivilDay Today() {
  return absl::ToCivilDay(absl::Now(), absl::FixedTimeZone(8 * 3600));
}

std::string Day(absl::CivilDay day) {
  return absl::StrCat(absl::FormatCivilTime(day));
}

// One call with retries; `what` names it in the error.
template <typename Req, typename Resp>
absl::Status Do(AwardsStub& stub,
                grpc::Status (AwardsStub::*method)(grpc::ClientContext*,
                                                   const Req&, Resp*),
                const Req& request, Resp* response, absl::string_view what) {
  return ToStatus(WithRetry([&](grpc::ClientContext* context) {
                    return (stub.*method)(context, request, response);
                  }),
                  what);
}

// A FAILED_PRECONDITION on a repeat run means the step was already done.
bool AlreadyDone(const absl::Status& status) {
  return status.ok() || status.code() == absl::StatusCode::kFailedPrecondition;
}

}  // namespace

absl::Status LoadAwards(const std::string& awards_target,
                        MembershipStub& membership,
                        const std::string& reviewer_subject) {
  std::unique_ptr<AwardsStub> awards =
      av1::AwardsService::NewStub(MakeChannel(awards_target));
  absl::StatusOr<mv1::Org> county = FindCounty(membership);
  if (!county.ok()) return county.status();
  const absl::CivilDay today = Today();
  const std::string tag = absl::StrCat("demo-awards-", today.year());

  // Three grassroots unions of the county with active members.
  mv1::ListOrgsRequest list_orgs;
  list_orgs.set_parent_id(county->org_id());
  list_orgs.set_recursive(true);
  list_orgs.set_type(mv1::ORG_TYPE_GRASSROOTS_UNION);
  list_orgs.set_page_size(50);
  mv1::ListOrgsResponse orgs;
  if (absl::Status s = ToStatus(WithRetry([&](grpc::ClientContext* c) {
                                  return membership.ListOrgs(c, list_orgs,
                                                             &orgs);
                                }),
                                "listing the county's unions");
      !s.ok()) {
    return s;
  }
  struct Pick {
    int64_t org_id;
    std::vector<int64_t> members;
  };
  std::vector<Pick> picks;
  for (const mv1::Org& org : orgs.orgs()) {
    if (static_cast<int>(picks.size()) == kUnions) break;
    mv1::ListMembersRequest list;
    list.set_org_id(org.org_id());
    list.set_status(mv1::MEMBER_STATUS_ACTIVE);
    list.set_page_size(kPerUnion);
    mv1::ListMembersResponse members;
    if (absl::Status s = ToStatus(WithRetry([&](grpc::ClientContext* c) {
                                    return membership.ListMembers(c, list,
                                                                  &members);
                                  }),
                                  "listing members");
        !s.ok()) {
      return s;
    }
    if (members.members_size() < kPerUnion) continue;
    Pick pick{org.org_id(), {}};
    for (const mv1::Member& m : members.members()) {
      pick.members.push_back(m.member_id());
    }
    picks.push_back(std::move(pick));
  }
  if (picks.empty()) {
    return absl::FailedPreconditionError(
        "no grassroots union of the demo county has members");
  }

  // The programme.
  av1::CreateProgramRequest create;
  create.set_request_id(tag + "-program");
  av1::Program* p = create.mutable_program();
  p->set_title(kTitle);
  p->set_level(av1::AWARD_LEVEL_COUNTY);
  p->set_year(static_cast<int32_t>(today.year()));
  p->set_subject_type(av1::SUBJECT_TYPE_INDIVIDUAL);
  p->set_organizer_org_id(county->org_id());
  p->set_total_quota(10);
  for (const Pick& pick : picks) {
    av1::Allocation* a = p->add_allocations();
    a->set_org_id(pick.org_id);
    a->set_quota(3);
  }
  p->set_nomination_opens_on(Day(today - 10));
  p->set_nomination_closes_on(Day(today + 20));
  p->mutable_eligibility()->set_min_tenure_months(0);
  p->mutable_eligibility()->set_max_arrears_months(6);
  p->mutable_eligibility()->set_no_repeat_years(3);
  auto rule = [&](av1::CompositionCategory category,
                  av1::CompositionBound bound, int32_t share_bp) {
    av1::CompositionRule* r = p->add_composition_rules();
    r->set_category(category);
    r->set_bound(bound);
    r->set_share_bp(share_bp);
  };
  rule(av1::COMPOSITION_CATEGORY_FRONT_LINE, av1::COMPOSITION_BOUND_MIN_SHARE,
       6000);
  rule(av1::COMPOSITION_CATEGORY_WOMEN, av1::COMPOSITION_BOUND_MIN_SHARE, 2000);
  rule(av1::COMPOSITION_CATEGORY_ENTERPRISE_LEADER,
       av1::COMPOSITION_BOUND_MAX_SHARE, 1500);
  p->set_publicity_working_days(5);
  av1::CreateProgramResponse created;
  if (absl::Status s = Do(*awards, &AwardsStub::CreateProgram, create, &created,
                          "creating the programme");
      !s.ok()) {
    return s;
  }
  const int64_t program_id = created.program().program_id();
  av1::OpenNominationsRequest open;
  open.set_request_id(tag + "-open");
  open.set_program_id(program_id);
  av1::OpenNominationsResponse opened;
  absl::Status s = Do(*awards, &AwardsStub::OpenNominations, open, &opened,
                      "opening nominations");
  if (!AlreadyDone(s)) return s;

  std::vector<int64_t> nominations;
  for (const Pick& pick : picks) {
    for (int64_t member : pick.members) {
      av1::CreateNominationRequest nominate;
      nominate.set_request_id(absl::StrCat(tag, "-nominate-", member));
      nominate.mutable_nomination()->set_program_id(program_id);
      nominate.mutable_nomination()->set_nominating_org_id(pick.org_id);
      nominate.mutable_nomination()->set_member_id(member);
      nominate.mutable_nomination()->set_citation(
          "立足岗位、爱岗敬业，带头攻克生产难题，带出一支技术过硬的班组。");
      av1::CreateNominationResponse nominated;
      s = Do(*awards, &AwardsStub::CreateNomination, nominate, &nominated,
             "nominating");
      if (!AlreadyDone(s)) return s;
      if (!s.ok()) continue;
      av1::SubmitNominationRequest submit;
      submit.set_request_id(absl::StrCat(tag, "-submit-", member));
      submit.set_nomination_id(nominated.nomination().nomination_id());
      av1::SubmitNominationResponse submitted;
      s = Do(*awards, &AwardsStub::SubmitNomination, submit, &submitted,
             "submitting a nomination");
      if (!AlreadyDone(s)) return s;
      nominations.push_back(nominated.nomination().nomination_id());
    }
  }

  av1::CloseNominationsRequest close;
  close.set_request_id(tag + "-close");
  close.set_program_id(program_id);
  av1::CloseNominationsResponse closed;
  s = Do(*awards, &AwardsStub::CloseNominations, close, &closed,
         "closing nominations");
  if (!AlreadyDone(s)) return s;

  av1::AssignReviewersRequest assign;
  assign.set_request_id(tag + "-reviewers");
  assign.set_program_id(program_id);
  av1::Reviewer* reviewer = assign.add_reviewers();
  reviewer->set_subject(reviewer_subject);
  reviewer->set_name("县总工会评审委员");
  reviewer->set_org_id(county->org_id());
  av1::AssignReviewersResponse assigned;
  s = Do(*awards, &AwardsStub::AssignReviewers, assign, &assigned,
         "assigning reviewers");
  if (!AlreadyDone(s)) return s;

  for (int64_t nomination : nominations) {
    av1::CastVoteRequest vote;
    vote.set_request_id(absl::StrCat(tag, "-vote-", nomination));
    vote.set_nomination_id(nomination);
    vote.set_choice(av1::VOTE_CHOICE_APPROVE);
    av1::CastVoteResponse voted;
    s = Do(*awards, &AwardsStub::CastVote, vote, &voted, "voting");
    // An ineligible nomination is not voted on; that is expected.
    if (!AlreadyDone(s)) return s;
  }

  av1::CloseReviewRequest review;
  review.set_request_id(tag + "-review");
  review.set_program_id(program_id);
  av1::CloseReviewResponse reviewed;
  s = Do(*awards, &AwardsStub::CloseReview, review, &reviewed,
         "closing the review");
  if (!AlreadyDone(s)) return s;

  av1::StartPublicityRequest publish;
  publish.set_request_id(tag + "-publicity");
  publish.set_program_id(program_id);
  av1::StartPublicityResponse published;
  s = Do(*awards, &AwardsStub::StartPublicity, publish, &published,
         "starting publicity");
  if (!AlreadyDone(s)) return s;

  av1::GetProgramRequest get;
  get.set_program_id(program_id);
  av1::GetProgramResponse got;
  s = Do(*awards, &AwardsStub::GetProgram, get, &got, "reading the programme");
  if (!s.ok()) return s;
  Progress("awards: %s %d (programme %d): %s, publicity %s … %s\n",
           got.program().title(), got.program().year(), program_id,
           av1::ProgramStatus_Name(got.program().status()),
           got.program().publicity_starts_on(),
           got.program().publicity_ends_on());
  return absl::OkStatus();
}

}  // namespace unionhub::demo
