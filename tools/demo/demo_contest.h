// The demo's finished skills contest (职工技能大赛): three events, five
// judges and 18-20 entrants, two from each bank's union of the demo county
// (filled up from other unions when the county has fewer banks), every
// judge's score in, and the contest FINISHED so the leaderboard is final.
//
// Judges score under their own identity (the service checks the caller is
// on the judge list), so the loader needs a token per judge: give it
// JudgeTokenMinter on a development box, or any function that returns a
// token with role "judge" for a subject.
#ifndef UNIONHUB_TOOLS_DEMO_DEMO_CONTEST_H_
#define UNIONHUB_TOOLS_DEMO_DEMO_CONTEST_H_

#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "tools/demo/demo.h"

namespace unionhub::demo {

// A bearer token with role "judge" for the judge `subject`.
using JudgeTokens =
    std::function<absl::StatusOr<std::string>(const std::string& subject)>;

// Mints judge tokens (2 hours) with a development RSA signing key (PEM).
JudgeTokens JudgeTokenMinter(std::string signing_key_pem, std::string issuer,
                             std::string audience);

// Creates the contest in the demo county unless a finished one with its
// name is already there (then nothing is sent). Idempotent: every call
// carries a deterministic request_id, so a run cut short can be repeated.
// `awards_target` is the awards service (host:port); `linked_program_id`
// (0: none) is the programme its winners may be nominated into.
absl::Status LoadContest(MembershipStub& membership,
                         const std::string& awards_target,
                         const JudgeTokens& judge_tokens,
                         int64_t linked_program_id = 0);

}  // namespace unionhub::demo

#endif  // UNIONHUB_TOOLS_DEMO_DEMO_CONTEST_H_
