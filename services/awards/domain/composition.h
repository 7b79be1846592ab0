// Composition rules over the set of nominations to approve: minimum or
// maximum shares or counts of front-line workers, migrant workers,
// enterprise leaders, women and model workers. Shares are basis points and
// are computed in integer math: a minimum share needs ceil(share * n)
// nominees, a maximum share allows floor(share * n).
#ifndef UNIONHUB_SERVICES_AWARDS_DOMAIN_COMPOSITION_H_
#define UNIONHUB_SERVICES_AWARDS_DOMAIN_COMPOSITION_H_

#include <cstdint>
#include <string>
#include <vector>

#include "unionhub/awards/v1/awards.pb.h"

namespace unionhub::awards {

namespace v1 = ::unionhub::awards::v1;

// What a composition rule may count about one approved nominee.
struct NomineeProfile {
  bool front_line = false;
  bool migrant_worker = false;
  bool enterprise_leader = false;
  bool female = false;
  int model_worker_level = 0;  // membership's ModelWorkerLevel number
};

// ceil(total * share_bp / 10000) and floor(...), exact for any int32 share.
int64_t MinCountForShare(int64_t total, int32_t share_bp);
int64_t MaxCountForShare(int64_t total, int32_t share_bp);

bool Counts(const v1::CompositionRule& rule, const NomineeProfile& nominee);

// A broken rule with the figures, e.g. "women >= 20.00 %: 1 of 7 approved,
// at least 2 required".
struct BrokenRule {
  std::string rule;  // "composition_rules[2]" or "total_quota"
  std::string description;
  int64_t actual = 0;
  int64_t required = 0;
};

// Every rule the set breaks (empty when it satisfies them all), including
// the total quota.
std::vector<BrokenRule> CheckComposition(
    const std::vector<v1::CompositionRule>& rules, int32_t total_quota,
    const std::vector<NomineeProfile>& approved);

// "front-line workers", "women", ... for messages.
std::string CategoryName(const v1::CompositionRule& rule);

// Validation of a rule as configured: names every bad field under `prefix`.
void ValidateRule(const v1::CompositionRule& rule, const std::string& prefix,
                  std::vector<std::pair<std::string, std::string>>* bad);

}  // namespace unionhub::awards

#endif  // UNIONHUB_SERVICES_AWARDS_DOMAIN_COMPOSITION_H_
