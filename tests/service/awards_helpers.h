// Shared by the awards service tests: a small county with members, a
// programme builder, and the nomination flow's steps as "must succeed"
// shortcuts that record a test failure (never abort).
#ifndef UNIONHUB_TESTS_SERVICE_AWARDS_HELPERS_H_
#define UNIONHUB_TESTS_SERVICE_AWARDS_HELPERS_H_

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "common/core/dates.h"
#include "tests/service/finance_helpers.h"
#include "tests/support/awards_fixture.h"

namespace unionhub::testing {

using AStub = av1::AwardsService::Stub;

// Monday 2026-03-02: the business day the tests run on (publicity periods
// are then counted from a known weekday).
inline absl::CivilDay TestToday() { return absl::CivilDay(2026, 3, 2); }

inline av1::Program BasicProgram(int64_t organizer,
                                 const std::vector<int64_t>& nominating_orgs,
                                 int quota_each = 5, int total_quota = 10) {
  av1::Program p;
  p.set_title("最美职工");
  p.set_level(av1::AWARD_LEVEL_COUNTY);
  p.set_year(2026);
  p.set_subject_type(av1::SUBJECT_TYPE_INDIVIDUAL);
  p.set_organizer_org_id(organizer);
  p.set_total_quota(total_quota);
  for (int64_t org : nominating_orgs) {
    av1::Allocation* a = p.add_allocations();
    a->set_org_id(org);
    a->set_quota(quota_each);
  }
  p.set_nomination_opens_on("2026-02-01");
  p.set_nomination_closes_on("2026-03-31");
  p.mutable_eligibility()->set_min_tenure_months(12);
  p.mutable_eligibility()->set_max_arrears_months(0);
  p.mutable_eligibility()->set_no_repeat_years(3);
  p.set_publicity_working_days(5);
  return p;
}

inline av1::Program MustCreateProgram(AwardsServer& server,
                                      const av1::Program& program,
                                      bool open = true) {
  av1::CreateProgramRequest req;
  req.set_request_id(NewRequestId());
  *req.mutable_program() = program;
  av1::Program created =
      MustRpc(server.awards(), &AStub::CreateProgram, req, "CreateProgram")
          .program();
  if (open) {
    av1::OpenNominationsRequest o;
    o.set_request_id(NewRequestId());
    o.set_program_id(created.program_id());
    created =
        MustRpc(server.awards(), &AStub::OpenNominations, o, "OpenNominations")
            .program();
  }
  return created;
}

inline av1::CreateNominationRequest NominationRequest(int64_t program,
                                                      int64_t nominating_org,
                                                      int64_t member) {
  av1::CreateNominationRequest req;
  req.set_request_id(NewRequestId());
  req.mutable_nomination()->set_program_id(program);
  req.mutable_nomination()->set_nominating_org_id(nominating_org);
  req.mutable_nomination()->set_member_id(member);
  req.mutable_nomination()->set_citation("爱岗敬业，技术过硬。");
  return req;
}

inline av1::Nomination MustNominate(AwardsServer& server, int64_t program,
                                    int64_t nominating_org, int64_t member) {
  return MustRpc(server.awards(), &AStub::CreateNomination,
                 NominationRequest(program, nominating_org, member),
                 "CreateNomination")
      .nomination();
}

inline grpc::Status Submit(AwardsServer& server, int64_t nomination,
                           av1::Nomination* out) {
  av1::SubmitNominationRequest req;
  req.set_request_id(NewRequestId());
  req.set_nomination_id(nomination);
  av1::SubmitNominationResponse resp;
  grpc::Status status =
      Rpc(server.awards(), &AStub::SubmitNomination, req, &resp);
  *out = resp.nomination();
  return status;
}

inline av1::Nomination MustSubmit(AwardsServer& server, int64_t nomination) {
  av1::Nomination out;
  grpc::Status status = Submit(server, nomination, &out);
  EXPECT_TRUE(status.ok()) << "SubmitNomination: " << status.error_message();
  return out;
}

inline av1::Nomination MustGetNomination(AwardsServer& server, int64_t id) {
  av1::GetNominationRequest req;
  req.set_nomination_id(id);
  return MustRpc(server.awards(), &AStub::GetNomination, req, "GetNomination")
      .nomination();
}

inline av1::Program MustGetProgram(AwardsServer& server, int64_t id) {
  av1::GetProgramRequest req;
  req.set_program_id(id);
  return MustRpc(server.awards(), &AStub::GetProgram, req, "GetProgram")
      .program();
}

template <typename Req>
Req WithProgram(int64_t program_id) {
  Req req;
  req.set_request_id(NewRequestId());
  req.set_program_id(program_id);
  return req;
}

inline grpc::Status Vote(AStub& stub, int64_t nomination,
                         av1::VoteChoice choice) {
  av1::CastVoteRequest req;
  req.set_request_id(NewRequestId());
  req.set_nomination_id(nomination);
  req.set_choice(choice);
  av1::CastVoteResponse resp;
  return Rpc(stub, &AStub::CastVote, req, &resp);
}

// Members who satisfy every basic rule: joined two years before TestToday,
// no dues charged. `seq` even = female (the ID's sex digit).
// A status reason code and its figures, as one printable value to compare
// ("APPROVED day=2026-03-12").
inline std::string ReasonOf(const av1::Reason& reason) {
  std::map<std::string, std::string> sorted(reason.params().begin(),
                                            reason.params().end());
  std::string out = reason.code();
  for (const auto& [name, value] : sorted) {
    out += " " + name + "=" + value;
  }
  return out;
}

inline mv1::Member MustJoinPerson(AwardsServer& server, int64_t org, int seq,
                                  bool front_line = true) {
  mv1::Member person = Person(org, seq);
  person.set_front_line(front_line);
  return MustJoin(server.membership(), person, "2024-01-15");
}

}  // namespace unionhub::testing

#endif  // UNIONHUB_TESTS_SERVICE_AWARDS_HELPERS_H_
