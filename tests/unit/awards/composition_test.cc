#include "services/awards/domain/composition.h"

#include <gtest/gtest.h>

namespace unionhub::awards {
namespace {

v1::CompositionRule Rule(v1::CompositionCategory category,
                         v1::CompositionBound bound, int32_t value) {
  v1::CompositionRule rule;
  rule.set_category(category);
  rule.set_bound(bound);
  if (bound == v1::COMPOSITION_BOUND_MIN_SHARE ||
      bound == v1::COMPOSITION_BOUND_MAX_SHARE) {
    rule.set_share_bp(value);
  } else {
    rule.set_count(value);
  }
  return rule;
}

std::vector<NomineeProfile> Women(int women, int men) {
  std::vector<NomineeProfile> set(women + men);
  for (int i = 0; i < women; ++i) set[i].female = true;
  return set;
}

TEST(CompositionMath, MinimumShareRoundsUp) {
  EXPECT_EQ(MinCountForShare(23, 1000), 3);  // 2.3 -> 3
  EXPECT_EQ(MinCountForShare(20, 1000), 2);  // exactly 2
  EXPECT_EQ(MinCountForShare(21, 1000), 3);  // 2.1 -> 3
  EXPECT_EQ(MinCountForShare(0, 1000), 0);
  EXPECT_EQ(MinCountForShare(10, 10000), 10);
  EXPECT_EQ(MinCountForShare(3, 3500), 2);  // 1.05 -> 2
  EXPECT_EQ(MinCountForShare(1, 1), 1);     // any positive share needs 1
}

TEST(CompositionMath, MaximumShareRoundsDown) {
  EXPECT_EQ(MaxCountForShare(23, 1500), 3);  // 3.45 -> 3
  EXPECT_EQ(MaxCountForShare(20, 1500), 3);  // exactly 3
  EXPECT_EQ(MaxCountForShare(6, 1500), 0);   // 0.9 -> 0
  EXPECT_EQ(MaxCountForShare(0, 1500), 0);
}

TEST(CompositionCheck, TenPercentOfTwentyThreeNeedsThree) {
  const std::vector<v1::CompositionRule> rules = {Rule(
      v1::COMPOSITION_CATEGORY_WOMEN, v1::COMPOSITION_BOUND_MIN_SHARE, 1000)};
  EXPECT_TRUE(CheckComposition(rules, 23, Women(3, 20)).empty());
  std::vector<BrokenRule> broken = CheckComposition(rules, 23, Women(2, 21));
  ASSERT_EQ(broken.size(), 1u);
  EXPECT_EQ(broken[0].rule, "composition_rules[0]");
  EXPECT_EQ(broken[0].actual, 2);
  EXPECT_EQ(broken[0].required, 3);
  EXPECT_NE(broken[0].description.find("2 of 23"), std::string::npos)
      << broken[0].description;
  EXPECT_NE(broken[0].description.find("at least 3"), std::string::npos);
}

TEST(CompositionCheck, MaximumShareAndCountsAtTheEdge) {
  std::vector<NomineeProfile> set(20);
  for (int i = 0; i < 3; ++i) set[i].enterprise_leader = true;
  const std::vector<v1::CompositionRule> at_cap = {
      Rule(v1::COMPOSITION_CATEGORY_ENTERPRISE_LEADER,
           v1::COMPOSITION_BOUND_MAX_SHARE, 1500),
      Rule(v1::COMPOSITION_CATEGORY_ENTERPRISE_LEADER,
           v1::COMPOSITION_BOUND_MAX_COUNT, 3)};
  EXPECT_TRUE(CheckComposition(at_cap, 20, set).empty());
  set[3].enterprise_leader = true;
  EXPECT_EQ(CheckComposition(at_cap, 20, set).size(), 2u);
}

TEST(CompositionCheck, EveryBrokenRuleIsNamedWithQuota) {
  std::vector<NomineeProfile> set(5);  // nobody in any category
  const std::vector<v1::CompositionRule> rules = {
      Rule(v1::COMPOSITION_CATEGORY_FRONT_LINE, v1::COMPOSITION_BOUND_MIN_SHARE,
           6000),
      Rule(v1::COMPOSITION_CATEGORY_WOMEN, v1::COMPOSITION_BOUND_MIN_SHARE,
           2000),
      Rule(v1::COMPOSITION_CATEGORY_MIGRANT_WORKER,
           v1::COMPOSITION_BOUND_MIN_COUNT, 1),
      Rule(v1::COMPOSITION_CATEGORY_ENTERPRISE_LEADER,
           v1::COMPOSITION_BOUND_MAX_COUNT, 0)};
  std::vector<BrokenRule> broken = CheckComposition(rules, 4, set);
  ASSERT_EQ(broken.size(), 4u);
  EXPECT_EQ(broken[0].rule, "total_quota");
  EXPECT_EQ(broken[0].actual, 5);
  EXPECT_EQ(broken[0].required, 4);
  EXPECT_EQ(broken[1].rule, "composition_rules[0]");
  EXPECT_EQ(broken[1].required, 3);
  EXPECT_EQ(broken[2].rule, "composition_rules[1]");
  EXPECT_EQ(broken[2].required, 1);
  EXPECT_EQ(broken[3].rule, "composition_rules[2]");
}

TEST(CompositionCheck, ModelWorkerLevelCountsThatLevelAndAbove) {
  v1::CompositionRule rule = Rule(v1::COMPOSITION_CATEGORY_MODEL_WORKER,
                                  v1::COMPOSITION_BOUND_MIN_COUNT, 1);
  rule.set_model_worker_level(membership::v1::MODEL_WORKER_LEVEL_CITY);
  NomineeProfile county, city, provincial, none;
  county.model_worker_level = 1;
  city.model_worker_level = 2;
  provincial.model_worker_level = 3;
  EXPECT_FALSE(Counts(rule, county));
  EXPECT_TRUE(Counts(rule, city));
  EXPECT_TRUE(Counts(rule, provincial));
  EXPECT_FALSE(Counts(rule, none));
}

TEST(RuleValidation, NamesEveryBadField) {
  v1::CompositionRule rule;
  rule.set_bound(v1::COMPOSITION_BOUND_MIN_SHARE);
  rule.set_share_bp(12000);
  std::vector<std::pair<std::string, std::string>> bad;
  ValidateRule(rule, "program.composition_rules[0]", &bad);
  ASSERT_EQ(bad.size(), 2u);
  EXPECT_EQ(bad[0].first, "program.composition_rules[0].category");
  EXPECT_EQ(bad[1].first, "program.composition_rules[0].share_bp");
}

// Every category the API offers has its row in composition.cc's table: a
// name, and a nominee it counts (a new enum value without a row fails here).
TEST(CategoryTable, EveryCategoryHasARow) {
  NomineeProfile everything;
  everything.front_line = everything.migrant_worker = true;
  everything.enterprise_leader = everything.female = true;
  everything.model_worker_level = 4;
  for (int raw = v1::CompositionCategory_MIN + 1;
       raw <= v1::CompositionCategory_MAX; ++raw) {
    if (!v1::CompositionCategory_IsValid(raw)) continue;
    const v1::CompositionRule rule =
        Rule(static_cast<v1::CompositionCategory>(raw),
             v1::COMPOSITION_BOUND_MIN_COUNT, 1);
    std::vector<std::pair<std::string, std::string>> bad;
    ValidateRule(rule, "r", &bad);
    EXPECT_TRUE(bad.empty()) << raw;
    EXPECT_NE(CategoryName(rule), "unknown category") << raw;
    EXPECT_TRUE(Counts(rule, everything)) << raw;
    EXPECT_FALSE(Counts(rule, NomineeProfile())) << raw;
  }
  const v1::CompositionRule unknown =
      Rule(static_cast<v1::CompositionCategory>(99),
           v1::COMPOSITION_BOUND_MIN_COUNT, 1);
  EXPECT_EQ(CategoryName(unknown), "unknown category");
  EXPECT_FALSE(Counts(unknown, NomineeProfile()));
  std::vector<std::pair<std::string, std::string>> bad;
  ValidateRule(unknown, "r", &bad);
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_EQ(bad[0].first, "r.category");
}

TEST(CategoryTable, NamesInMessages) {
  EXPECT_EQ(CategoryName(Rule(v1::COMPOSITION_CATEGORY_FRONT_LINE,
                              v1::COMPOSITION_BOUND_MIN_COUNT, 1)),
            "front-line workers");
  EXPECT_EQ(CategoryName(Rule(v1::COMPOSITION_CATEGORY_WOMEN,
                              v1::COMPOSITION_BOUND_MIN_COUNT, 1)),
            "women");
  v1::CompositionRule model = Rule(v1::COMPOSITION_CATEGORY_MODEL_WORKER,
                                   v1::COMPOSITION_BOUND_MIN_COUNT, 1);
  EXPECT_EQ(CategoryName(model), "model workers (level 1+)");
  model.set_model_worker_level(membership::v1::MODEL_WORKER_LEVEL_PROVINCIAL);
  EXPECT_EQ(CategoryName(model), "model workers (level 3+)");
}

}  // namespace
}  // namespace unionhub::awards
