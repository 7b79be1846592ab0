// The evidence snapshot a submission records from membership's and
// finance's answers, and the nominee profile composition rules count.
#include "services/awards/domain/evidence.h"

#include <gtest/gtest.h>

namespace unionhub::awards {
namespace {

namespace mv1 = ::unionhub::membership::v1;
namespace fv1 = ::unionhub::finance::v1;

mv1::Member Member(const std::string& national_id, mv1::Sex sex) {
  mv1::Member m;
  m.set_national_id(national_id);
  m.set_sex(sex);
  m.set_status(mv1::MEMBER_STATUS_ACTIVE);
  m.set_joined_on("2019-04-01");
  m.set_front_line(true);
  m.set_migrant_worker(false);
  m.set_enterprise_leader(true);
  m.set_model_worker_level(mv1::MODEL_WORKER_LEVEL_CITY);
  return m;
}

bool FemaleOf(const mv1::Member& m) {
  v1::EligibilityEvidence e;
  RecordMember(m, &e);
  return e.female();
}

TEST(RecordMember, CopiesStatusTenureAndTheCountedFacts) {
  v1::EligibilityEvidence e;
  RecordMember(Member("320924199001010022", mv1::SEX_UNSPECIFIED), &e);
  EXPECT_EQ(e.member_status(), mv1::MEMBER_STATUS_ACTIVE);
  EXPECT_EQ(e.joined_on(), "2019-04-01");
  EXPECT_TRUE(e.front_line());
  EXPECT_FALSE(e.migrant_worker());
  EXPECT_TRUE(e.enterprise_leader());
  EXPECT_EQ(e.model_worker_level(), mv1::MODEL_WORKER_LEVEL_CITY);
  EXPECT_TRUE(e.female());
  // Nothing finance or the org tells is invented here.
  EXPECT_EQ(e.months_in_arrears(), 0);
  EXPECT_EQ(e.org_id(), 0);
}

TEST(RecordMember, WomenAreToldByTheIdsSexDigitBeforeTheRecordedSex) {
  EXPECT_TRUE(FemaleOf(Member("320924199001010022", mv1::SEX_MALE)));
  EXPECT_FALSE(FemaleOf(Member("320924199001010011", mv1::SEX_FEMALE)));
  // Membership may answer with a masked ID: the digit survives.
  EXPECT_TRUE(FemaleOf(Member("**************0042", mv1::SEX_MALE)));
  EXPECT_FALSE(FemaleOf(Member("**************0032", mv1::SEX_FEMALE)));
}

TEST(RecordMember, WithoutAUsableIdTheRecordedSexDecides) {
  EXPECT_TRUE(FemaleOf(Member("", mv1::SEX_FEMALE)));
  EXPECT_FALSE(FemaleOf(Member("", mv1::SEX_MALE)));
  EXPECT_FALSE(FemaleOf(Member("", mv1::SEX_UNSPECIFIED)));
  EXPECT_TRUE(FemaleOf(Member("short", mv1::SEX_FEMALE)));
  EXPECT_TRUE(FemaleOf(Member("****************X*", mv1::SEX_FEMALE)));
}

TEST(RecordDuesStanding, CopiesFinancesAnswer) {
  fv1::GetDuesStandingResponse standing;
  standing.set_months_in_arrears(3);
  standing.set_outstanding_fen(4500);
  standing.set_as_of_month("2026-02");
  standing.set_oldest_open_month("2025-12");
  v1::EligibilityEvidence e;
  RecordDuesStanding(standing, &e);
  EXPECT_EQ(e.months_in_arrears(), 3);
  EXPECT_EQ(e.outstanding_fen(), 4500);
  EXPECT_EQ(e.dues_as_of_month(), "2026-02");
  EXPECT_EQ(e.oldest_open_month(), "2025-12");
}

TEST(RecordOrg, CopiesTheOrgAndItsChain) {
  mv1::Org org;
  org.set_org_id(23);
  org.set_name("城关镇总工会");
  org.set_status(mv1::ORG_STATUS_ESTABLISHED);
  org.add_ancestor_ids(1);
  org.add_ancestor_ids(5);
  v1::EligibilityEvidence e;
  RecordOrg(org, &e);
  EXPECT_EQ(e.org_id(), 23);
  EXPECT_EQ(e.org_name(), "城关镇总工会");
  EXPECT_EQ(e.org_status(), mv1::ORG_STATUS_ESTABLISHED);
  ASSERT_EQ(e.ancestor_ids_size(), 2);
  EXPECT_EQ(e.ancestor_ids(0), 1);
  EXPECT_EQ(e.ancestor_ids(1), 5);
}

TEST(ProfileOf, IsWhatTheEvidenceRecorded) {
  v1::EligibilityEvidence e;
  e.set_front_line(true);
  e.set_migrant_worker(true);
  e.set_enterprise_leader(false);
  e.set_female(true);
  e.set_model_worker_level(mv1::MODEL_WORKER_LEVEL_PROVINCIAL);
  const NomineeProfile p = ProfileOf(e);
  EXPECT_TRUE(p.front_line);
  EXPECT_TRUE(p.migrant_worker);
  EXPECT_FALSE(p.enterprise_leader);
  EXPECT_TRUE(p.female);
  EXPECT_EQ(p.model_worker_level, mv1::MODEL_WORKER_LEVEL_PROVINCIAL);

  const NomineeProfile none = ProfileOf(v1::EligibilityEvidence());
  EXPECT_FALSE(none.front_line || none.migrant_worker ||
               none.enterprise_leader || none.female);
  EXPECT_EQ(none.model_worker_level, 0);
}

// From membership's answer to what a composition rule counts, end to end.
TEST(ProfileOf, MemberToRuleRoundTrip) {
  v1::EligibilityEvidence e;
  RecordMember(Member("**************0042", mv1::SEX_UNSPECIFIED), &e);
  const NomineeProfile p = ProfileOf(e);
  v1::CompositionRule women;
  women.set_category(v1::COMPOSITION_CATEGORY_WOMEN);
  women.set_bound(v1::COMPOSITION_BOUND_MIN_COUNT);
  women.set_count(1);
  EXPECT_TRUE(Counts(women, p));
  v1::CompositionRule model;
  model.set_category(v1::COMPOSITION_CATEGORY_MODEL_WORKER);
  model.set_bound(v1::COMPOSITION_BOUND_MIN_COUNT);
  model.set_model_worker_level(mv1::MODEL_WORKER_LEVEL_PROVINCIAL);
  EXPECT_FALSE(Counts(model, p));  // a city model worker
  model.set_model_worker_level(mv1::MODEL_WORKER_LEVEL_CITY);
  EXPECT_TRUE(Counts(model, p));
}

}  // namespace
}  // namespace unionhub::awards
