// Eligibility of a nominee from the answers membership and finance gave:
// fills the evidence's checks, reasons and verdict. Pure: the handler
// gathers the answers, this decides.
#ifndef UNIONHUB_SERVICES_AWARDS_DOMAIN_ELIGIBILITY_H_
#define UNIONHUB_SERVICES_AWARDS_DOMAIN_ELIGIBILITY_H_

#include "absl/time/civil_time.h"
#include "unionhub/awards/v1/awards.pb.h"

namespace unionhub::awards {

namespace v1 = ::unionhub::awards::v1;

// Whole months from `from` to `to` (0 when `to` is earlier); a month is
// complete on the same day-of-month, or the month's last day when shorter.
int MonthsBetween(absl::CivilDay from, absl::CivilDay to);

// `evidence` holds the facts (member status, joined_on, arrears, prior
// honours, or the org's status); this adds tenure_months, the checks, the
// reasons and `eligible`.
void DecideEligibility(const v1::Program& program, v1::SubjectType subject,
                       absl::CivilDay today, v1::EligibilityEvidence* evidence);

}  // namespace unionhub::awards

#endif  // UNIONHUB_SERVICES_AWARDS_DOMAIN_ELIGIBILITY_H_
