#include "tools/demo/demo_contest.h"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/auth/jwt.h"
#include "unionhub/awards/v1/competition.grpc.pb.h"

namespace unionhub::demo {
namespace {

namespace av1 = ::unionhub::awards::v1;
using ContestStub = av1::CompetitionService::Stub;

constexpr char kContestName[] = "2025年全县金融系统职工技能大赛";
constexpr int kJudges = 5;
constexpr int kPerUnion = 2;
constexpr size_t kBanks = 9;
constexpr size_t kMinEntrants = 18;
constexpr size_t kMaxEntrants = 20;
const char* const kEvents[] = {"手工点钞", "机器点钞", "反假货币识别"};
const char* const kJudgeNames[] = {"王建国", "李秀英", "张志强", "刘芳",
                                   "陈海涛"};

std::string JudgeSubject(int i) { return absl::StrCat("demo-judge-", i); }

// Every org of `type` below `parent`.
absl::StatusOr<std::vector<mv1::Org>> OrgsBelow(MembershipStub& stub,
                                                int64_t parent,
                                                mv1::OrgType type) {
  mv1::ListOrgsRequest request;
  request.set_parent_id(parent);
  request.set_recursive(true);
  request.set_type(type);
  request.set_page_size(1000);
  std::vector<mv1::Org> out;
  for (;;) {
    mv1::ListOrgsResponse response;
    const grpc::Status s = WithRetry([&](grpc::ClientContext* context) {
      return stub.ListOrgs(context, request, &response);
    });
    if (!s.ok()) return ToStatus(s, "ListOrgs");
    for (mv1::Org& org : *response.mutable_orgs()) out.push_back(org);
    if (response.next_page_token().empty()) return out;
    request.set_page_token(response.next_page_token());
  }
}

// Up to `n` ACTIVE members directly in `org_id`.
absl::StatusOr<std::vector<mv1::Member>> SomeMembers(MembershipStub& stub,
                                                     int64_t org_id, int n) {
  mv1::ListMembersRequest request;
  request.set_org_id(org_id);
  request.set_direct_only(true);
  request.set_status(mv1::MEMBER_STATUS_ACTIVE);
  request.set_page_size(n);
  mv1::ListMembersResponse response;
  const grpc::Status s = WithRetry([&](grpc::ClientContext* context) {
    return stub.ListMembers(context, request, &response);
  });
  if (!s.ok()) return ToStatus(s, "ListMembers");
  return std::vector<mv1::Member>(response.members().begin(),
                                  response.members().end());
}

// Two members of each bank's union first, then of other unions, until
// there are enough.
absl::StatusOr<std::vector<mv1::Member>> PickContestants(MembershipStub& stub,
                                                         int64_t county_id) {
  absl::StatusOr<std::vector<mv1::Org>> unions =
      OrgsBelow(stub, county_id, mv1::ORG_TYPE_GRASSROOTS_UNION);
  if (!unions.ok()) return unions.status();
  std::vector<const mv1::Org*> banks, others;
  for (const mv1::Org& org : *unions) {
    (absl::StrContains(org.name(), "银行") ? banks : others).push_back(&org);
  }
  std::vector<mv1::Member> picked;
  // Takes two members of `org` when it has two; sets `error` on failure.
  absl::Status error;
  auto take = [&](const mv1::Org& org) {
    absl::StatusOr<std::vector<mv1::Member>> members =
        SomeMembers(stub, org.org_id(), kPerUnion);
    if (!members.ok()) {
      error = members.status();
      return false;
    }
    if (members->size() < static_cast<size_t>(kPerUnion)) return false;
    for (mv1::Member& m : *members) picked.push_back(std::move(m));
    return true;
  };
  size_t banks_used = 0;
  for (const mv1::Org* bank : banks) {
    if (banks_used == kBanks) break;
    if (take(*bank)) ++banks_used;
    if (!error.ok()) return error;
  }
  for (const mv1::Org* org : others) {
    if (picked.size() >= kMinEntrants) break;
    take(*org);
    if (!error.ok()) return error;
  }
  if (picked.size() > kMaxEntrants) picked.resize(kMaxEntrants);
  if (picked.size() < 4) {
    return absl::FailedPreconditionError(
        "the demo county has too few active members for the contest (load "
        "it first)");
  }
  return picked;
}

// A judge's score of contestant `who` on `event`, hundredths: a skill
// level per contestant plus a small judge-and-event spread, 80.00..99.80.
// Contestants 4 and 5 are given the same marks so the board shows a tie.
int64_t Mark(size_t who, int event, int judge) {
  const size_t as = who == 5 ? 4 : who;
  const int64_t skill = 8000 + static_cast<int64_t>((as * 379) % 1700);
  const int64_t spread =
      static_cast<int64_t>((as * 31 + event * 17 + judge * 53) % 41) - 20;
  int64_t mark = skill + spread * 5;
  if (judge == 1 && as % 4 == 0) mark += 150;  // a generous judge, dropped
  return std::min<int64_t>(std::max<int64_t>(mark, 8000), 9980);
}

template <typename Call>
absl::Status Send(Call&& call, absl::string_view what) {
  const grpc::Status s = WithRetry(std::forward<Call>(call));
  return s.ok() ? absl::OkStatus() : ToStatus(s, what);
}

// Like WithRetry, but the call carries the judge's token instead of the
// tool's (Authorize would add a second authorization header).
absl::Status SendAsJudge(ContestStub& stub, const std::string& token,
                         const av1::SubmitScoreRequest& request) {
  absl::Duration backoff = absl::Milliseconds(200);
  for (int attempt = 1;; ++attempt) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(30));
    context.AddMetadata("authorization", "Bearer " + token);
    av1::SubmitScoreResponse response;
    const grpc::Status s = stub.SubmitScore(&context, request, &response);
    const bool transient =
        s.error_code() == grpc::StatusCode::UNAVAILABLE ||
        s.error_code() == grpc::StatusCode::ABORTED ||
        s.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED;
    if (s.ok()) return absl::OkStatus();
    if (!transient || attempt >= 8) return ToStatus(s, "SubmitScore");
    absl::SleepFor(backoff);
    backoff = std::min(backoff * 2, absl::Seconds(5));
  }
}

// The contest with the demo's name, when it exists.
absl::StatusOr<av1::Competition> FindContest(ContestStub& stub,
                                             int64_t county_id) {
  av1::ListCompetitionsRequest request;
  request.set_organizer_org_id(county_id);
  request.set_kind(av1::COMPETITION_KIND_SKILLS);
  request.set_page_size(1000);
  av1::ListCompetitionsResponse response;
  absl::Status s = Send(
      [&](grpc::ClientContext* c) {
        return stub.ListCompetitions(c, request, &response);
      },
      "ListCompetitions");
  if (!s.ok()) return s;
  for (const av1::Competition& c : response.competitions()) {
    if (c.name() == kContestName) return c;
  }
  return absl::NotFoundError(kContestName);
}

}  // namespace

JudgeTokens JudgeTokenMinter(std::string signing_key_pem, std::string issuer,
                             std::string audience) {
  return [key = std::move(signing_key_pem), issuer = std::move(issuer),
          audience = std::move(audience)](const std::string& subject) {
    auth::Claims claims;
    claims.subject = subject;
    claims.roles = {"judge"};
    claims.issuer = issuer;
    claims.audience = audience;
    claims.issued_at = absl::Now();
    claims.expires_at = claims.issued_at + absl::Hours(2);
    return auth::MintToken(claims, key);
  };
}

absl::Status LoadContest(MembershipStub& membership,
                         const std::string& awards_target,
                         const JudgeTokens& judge_tokens,
                         int64_t linked_program_id) {
  absl::StatusOr<mv1::Org> county = FindCounty(membership);
  if (!county.ok()) return county.status();
  std::unique_ptr<ContestStub> stub =
      av1::CompetitionService::NewStub(MakeChannel(awards_target));
  absl::StatusOr<av1::Competition> existing =
      FindContest(*stub, county->org_id());
  if (existing.ok() && existing->status() == av1::COMPETITION_STATUS_FINISHED) {
    std::printf("contest: %s (competition %lld) is already finished\n",
                kContestName,
                static_cast<long long>(existing->competition_id()));
    return absl::OkStatus();
  }
  if (!existing.ok() &&
      existing.status().code() != absl::StatusCode::kNotFound) {
    return existing.status();
  }
  absl::StatusOr<std::vector<mv1::Member>> contestants =
      PickContestants(membership, county->org_id());
  if (!contestants.ok()) return contestants.status();

  av1::CreateCompetitionRequest create;
  create.set_request_id(absl::StrCat("demo-contest-", county->org_id()));
  av1::Competition& spec = *create.mutable_competition();
  spec.set_kind(av1::COMPETITION_KIND_SKILLS);
  spec.set_name(kContestName);
  spec.set_organizer_org_id(county->org_id());
  spec.set_year(2025);
  spec.set_linked_program_id(linked_program_id);
  for (const char* event : kEvents) spec.add_events()->set_name(event);
  for (int j = 0; j < kJudges; ++j) {
    av1::Judge* judge = spec.add_judges();
    judge->set_subject(JudgeSubject(j + 1));
    judge->set_name(kJudgeNames[j]);
  }
  av1::CreateCompetitionResponse created;
  if (absl::Status s = Send(
          [&](grpc::ClientContext* c) {
            return stub->CreateCompetition(c, create, &created);
          },
          "CreateCompetition");
      !s.ok()) {
    return s;
  }
  const av1::Competition& contest = created.competition();
  const int64_t id = contest.competition_id();

  std::vector<int64_t> entrants;
  for (const mv1::Member& m : *contestants) {
    av1::RegisterEntrantRequest request;
    request.set_request_id(
        absl::StrCat("demo-contest-", id, "-entrant-", m.member_id()));
    request.mutable_entrant()->set_competition_id(id);
    request.mutable_entrant()->set_member_id(m.member_id());
    av1::RegisterEntrantResponse response;
    if (absl::Status s = Send(
            [&](grpc::ClientContext* c) {
              return stub->RegisterEntrant(c, request, &response);
            },
            "RegisterEntrant");
        !s.ok()) {
      return s;
    }
    entrants.push_back(response.entrant().entrant_id());
  }

  for (int j = 1; j <= kJudges; ++j) {
    absl::StatusOr<std::string> token = judge_tokens(JudgeSubject(j));
    if (!token.ok()) return token.status();
    for (int e = 0; e < contest.events_size(); ++e) {
      const int64_t event_id = contest.events(e).event_id();
      for (size_t who = 0; who < entrants.size(); ++who) {
        av1::SubmitScoreRequest request;
        request.set_request_id(
            absl::StrCat("demo-score-", entrants[who], "-", event_id, "-", j));
        av1::Score& score = *request.mutable_score();
        score.set_competition_id(id);
        score.set_entrant_id(entrants[who]);
        score.set_event_id(event_id);
        score.set_points_centi(Mark(who, e, j));
        if (absl::Status s = SendAsJudge(*stub, *token, request); !s.ok()) {
          return s;
        }
      }
    }
  }

  av1::FinishCompetitionRequest finish;
  finish.set_request_id(absl::StrCat("demo-contest-", id, "-finish"));
  finish.set_competition_id(id);
  av1::FinishCompetitionResponse finished;
  if (absl::Status s = Send(
          [&](grpc::ClientContext* c) {
            return stub->FinishCompetition(c, finish, &finished);
          },
          "FinishCompetition");
      !s.ok()) {
    return s;
  }
  std::printf(
      "contest: %s (competition %lld): %zu entrants, %d events, %d "
      "judges, finished\n",
      kContestName, static_cast<long long>(id), entrants.size(),
      contest.events_size(), kJudges);
  return absl::OkStatus();
}

}  // namespace unionhub::demo
