// The demo's awards programme: a county 最美职工 programme for the demo
// county (清河县总工会), with nominations from three grassroots unions
// checked against membership and finance, reviewed, shortlisted and left in
// publicity (公示). Idempotent: every call carries a deterministic
// request_id, so running it again changes nothing.
#ifndef UNIONHUB_TOOLS_DEMO_DEMO_AWARDS_H_
#define UNIONHUB_TOOLS_DEMO_DEMO_AWARDS_H_

#include <string>

#include "absl/status/status.h"
#include "tools/demo/demo.h"

namespace unionhub::demo {

// `awards_target`: host:port of the awards service (channels come from
// MakeChannel, so SetSecurity must have been called). `reviewer_subject`:
// the subject ("sub") of the bearer token the tool calls with; it is put on
// the committee so the tool's own calls can cast the votes. Its token needs
// the awards.* permissions (admin or award_committee).
absl::Status LoadAwards(const std::string& awards_target,
                        MembershipStub& membership,
                        const std::string& reviewer_subject);

}  // namespace unionhub::demo

#endif  // UNIONHUB_TOOLS_DEMO_DEMO_AWARDS_H_
