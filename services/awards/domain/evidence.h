// What awards records of a nominee from membership's and finance's answers
// (the evidence snapshot of a submission), and what a composition rule
// counts of it (the nominee profile). Pure: the handler asks the peers,
// these copy the answers.
#ifndef UNIONHUB_SERVICES_AWARDS_DOMAIN_EVIDENCE_H_
#define UNIONHUB_SERVICES_AWARDS_DOMAIN_EVIDENCE_H_

#include "services/awards/domain/composition.h"
#include "unionhub/awards/v1/awards.pb.h"
#include "unionhub/finance/v1/finance.pb.h"
#include "unionhub/membership/v1/membership.pb.h"

namespace unionhub::awards {

// The member's status, join date and the facts composition rules count.
// Women are told by the national ID's sex digit (the ID may be masked; the
// digit survives), else by the member's recorded sex.
void RecordMember(const ::unionhub::membership::v1::Member& member,
                  v1::EligibilityEvidence* evidence);

// Finance's dues standing of the member.
void RecordDuesStanding(
    const ::unionhub::finance::v1::GetDuesStandingResponse& standing,
    v1::EligibilityEvidence* evidence);

// The nominee's org (the member's, or the nominated org) and its chain.
void RecordOrg(const ::unionhub::membership::v1::Org& org,
               v1::EligibilityEvidence* evidence);

// What the composition rules count of a nominee whose evidence this is.
NomineeProfile ProfileOf(const v1::EligibilityEvidence& evidence);

}  // namespace unionhub::awards

#endif  // UNIONHUB_SERVICES_AWARDS_DOMAIN_EVIDENCE_H_
