// Review rules: recusal and the shortlisting threshold.
#ifndef UNIONHUB_SERVICES_AWARDS_DOMAIN_REVIEW_H_
#define UNIONHUB_SERVICES_AWARDS_DOMAIN_REVIEW_H_

#include <cstdint>
#include <vector>

#include "unionhub/awards/v1/awards.pb.h"

namespace unionhub::awards {

namespace v1 = ::unionhub::awards::v1;

// A reviewer must recuse when their own organisation is in the nominee's
// chain: the nominee's org and its ancestors below the programme's
// organiser. The organiser and what is above it are everyone's ancestors
// (the committee sits there), so they are no conflict.
bool MustRecuse(int64_t reviewer_org_id, int64_t nominee_org_id,
                const std::vector<int64_t>& nominee_ancestor_ids,
                int64_t organizer_org_id);

// Votes cast are approvals, rejections and abstentions (comments are not
// votes). Shortlisted when at least one vote was cast and approvals /
// cast >= numerator / denominator, compared exactly in integers.
bool MeetsThreshold(const v1::VoteTally& tally, int32_t numerator,
                    int32_t denominator);

}  // namespace unionhub::awards

#endif  // UNIONHUB_SERVICES_AWARDS_DOMAIN_REVIEW_H_
