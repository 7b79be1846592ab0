#include "services/awards/domain/review.h"

#include <algorithm>

namespace unionhub::awards {

bool MustRecuse(int64_t reviewer_org_id, int64_t nominee_org_id,
                const std::vector<int64_t>& nominee_ancestor_ids,
                int64_t organizer_org_id) {
  if (reviewer_org_id == 0) return false;
  if (reviewer_org_id == nominee_org_id) return true;
  // Ancestors run from the root down; only those after the organiser count.
  auto organizer = std::find(nominee_ancestor_ids.begin(),
                             nominee_ancestor_ids.end(), organizer_org_id);
  auto from = organizer == nominee_ancestor_ids.end()
                  ? nominee_ancestor_ids.begin()
                  : organizer + 1;
  return std::find(from, nominee_ancestor_ids.end(), reviewer_org_id) !=
         nominee_ancestor_ids.end();
}

bool MeetsThreshold(const v1::VoteTally& tally, int32_t numerator,
                    int32_t denominator) {
  const int64_t cast =
      static_cast<int64_t>(tally.approve()) + tally.reject() + tally.abstain();
  if (cast == 0 || denominator <= 0) return false;
  return static_cast<int64_t>(tally.approve()) * denominator >=
         static_cast<int64_t>(numerator) * cast;
}

}  // namespace unionhub::awards
