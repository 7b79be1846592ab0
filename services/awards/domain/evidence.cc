#include "services/awards/domain/evidence.h"

#include <optional>

#include "common/core/ids.h"

namespace unionhub::awards {

namespace mv1 = ::unionhub::membership::v1;

void RecordMember(const mv1::Member& member,
                  v1::EligibilityEvidence* evidence) {
  evidence->set_member_status(member.status());
  evidence->set_joined_on(member.joined_on());
  evidence->set_front_line(member.front_line());
  evidence->set_migrant_worker(member.migrant_worker());
  evidence->set_enterprise_leader(member.enterprise_leader());
  evidence->set_model_worker_level(member.model_worker_level());
  const std::optional<ids::Sex> sex =
      ids::SexFromNationalId(member.national_id());
  evidence->set_female(sex.has_value() ? *sex == ids::Sex::kFemale
                                       : member.sex() == mv1::SEX_FEMALE);
}

void RecordDuesStanding(
    const ::unionhub::finance::v1::GetDuesStandingResponse& standing,
    v1::EligibilityEvidence* evidence) {
  evidence->set_months_in_arrears(standing.months_in_arrears());
  evidence->set_outstanding_fen(standing.outstanding_fen());
  evidence->set_dues_as_of_month(standing.as_of_month());
  evidence->set_oldest_open_month(standing.oldest_open_month());
}

void RecordOrg(const mv1::Org& org, v1::EligibilityEvidence* evidence) {
  evidence->set_org_id(org.org_id());
  evidence->set_org_name(org.name());
  evidence->set_org_status(org.status());
  for (int64_t id : org.ancestor_ids()) evidence->add_ancestor_ids(id);
}

NomineeProfile ProfileOf(const v1::EligibilityEvidence& evidence) {
  NomineeProfile profile;
  profile.front_line = evidence.front_line();
  profile.migrant_worker = evidence.migrant_worker();
  profile.enterprise_leader = evidence.enterprise_leader();
  profile.female = evidence.female();
  profile.model_worker_level = evidence.model_worker_level();
  return profile;
}

}  // namespace unionhub::awards
