// The field-mask table of Update* methods: one table checks the mask and
// applies it.
#include "common/rpc/field_mask.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "unionhub/membership/v1/membership.pb.h"

namespace unionhub::rpc {
namespace {

namespace v1 = ::unionhub::membership::v1;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

const FieldMaskRules& Rules() {
  static const auto* rules = new FieldMaskRules(
      v1::Org::descriptor(),
      {"name", "region_code", "employer.headcount", "ancestor_ids"},
      {{"status", "status changes use EstablishOrg"}});
  return *rules;
}

std::vector<std::string> Fields(const Violations& v) {
  std::vector<std::string> fields;
  for (const FieldViolation& f : v.list()) fields.push_back(f.field);
  return fields;
}

std::vector<std::string> Descriptions(const Violations& v) {
  std::vector<std::string> out;
  for (const FieldViolation& f : v.list()) out.push_back(f.description);
  return out;
}

TEST(FieldMaskRulesTest, AcceptsUpdatablePathsOnceInMaskOrder) {
  Violations v;
  EXPECT_THAT(Rules().Check({"region_code", "name", "region_code"}, v),
              ElementsAre("region_code", "name"));
  EXPECT_TRUE(v.empty());
}

TEST(FieldMaskRulesTest, EmptyMaskIsRefused) {
  Violations v;
  EXPECT_THAT(Rules().Check(std::vector<std::string>{}, v), IsEmpty());
  EXPECT_THAT(Fields(v), ElementsAre("update_mask"));
}

TEST(FieldMaskRulesTest, NamesEveryBadPathOnTheMaskField) {
  Violations v;
  google::protobuf::FieldMask mask;
  for (const char* p :
       {"name", "status", "type", "nickname", "employer.name", "", "status"}) {
    mask.add_paths(p);
  }
  EXPECT_THAT(Rules().Check(mask, v), ElementsAre("name"));
  EXPECT_THAT(Fields(v),
              ElementsAre("update_mask", "update_mask", "update_mask",
                          "update_mask", "update_mask"));
  const std::vector<std::string> d = Descriptions(v);
  EXPECT_EQ(d[0], "status changes use EstablishOrg");
  EXPECT_EQ(d[1],
            "type cannot be updated (updatable: name, region_code, "
            "employer.headcount, ancestor_ids)");
  EXPECT_THAT(d[2], HasSubstr("unknown field \"nickname\" (updatable: name"));
  EXPECT_THAT(d[3], HasSubstr("employer.name cannot be updated"));
  EXPECT_THAT(d[4], HasSubstr("unknown field \"\""));
  for (const char* p : {"name.", ".name", "employer..headcount"}) {
    Violations bad;
    EXPECT_THAT(Rules().Check({p}, bad), IsEmpty()) << p;
    EXPECT_THAT(Descriptions(bad), ElementsAre(HasSubstr("unknown field")))
        << p;
  }
}

TEST(FieldMaskRulesTest, OtherFieldNameIsUsedWhenGiven) {
  Violations v;
  Rules().Check({"nickname"}, v, "mask");
  EXPECT_THAT(Fields(v), ElementsAre("mask"));
}

TEST(FieldMaskRulesTest, UnknownPathIsEscapedAndShortened) {
  Violations v;
  Rules().Check({"bad\npath\t" + std::string(200, 'x')}, v);
  ASSERT_THAT(Fields(v), ElementsAre("update_mask"));
  const std::string d = v.list()[0].description;
  EXPECT_THAT(d, Not(HasSubstr("\n")));
  EXPECT_THAT(d, HasSubstr("bad\\npath\\t"));
  EXPECT_THAT(d, HasSubstr("...\""));
  EXPECT_THAT(d, Not(HasSubstr(std::string(100, 'x'))));
}

TEST(FieldMaskRulesTest, AppliesOnlyTheMaskedFieldsAndReportsChanges) {
  v1::Org current;
  current.set_name("old");
  current.set_region_code("320924");
  current.set_parent_id(7);
  current.mutable_employer()->set_name("厂");
  current.mutable_employer()->set_headcount(75);
  current.add_ancestor_ids(1);
  current.add_ancestor_ids(2);

  v1::Org in;
  in.set_name("new");
  in.set_region_code("320924");              // masked, unchanged
  in.set_parent_id(9);                       // not masked: kept
  in.mutable_employer()->set_headcount(80);  // its name is not masked
  in.add_ancestor_ids(5);

  v1::Org merged = current;
  EXPECT_THAT(Rules().Apply(in,
                            {"name", "region_code", "employer.headcount",
                             "ancestor_ids", "name", "parent_id"},
                            &merged),
              ElementsAre("name", "employer.headcount", "ancestor_ids"));
  EXPECT_EQ(merged.name(), "new");
  EXPECT_EQ(merged.region_code(), "320924");
  EXPECT_EQ(merged.parent_id(), 7);  // not updatable: skipped
  EXPECT_EQ(merged.employer().name(), "厂");
  EXPECT_EQ(merged.employer().headcount(), 80);
  EXPECT_THAT(merged.ancestor_ids(), ElementsAre(5));  // replaced
}

TEST(FieldMaskRulesTest, ClearingAFieldIsAChange) {
  v1::Org current;
  current.set_region_code("320924");
  v1::Org in;  // region_code empty
  EXPECT_THAT(Rules().Apply(in, {"region_code"}, &current),
              ElementsAre("region_code"));
  EXPECT_EQ(current.region_code(), "");
  EXPECT_THAT(Rules().Apply(in, {"region_code"}, &current), IsEmpty());
}

TEST(FieldMaskRulesTest, UsualRefusalsSayWhatToDoInstead) {
  FieldMaskRules rules(v1::Org::descriptor(), {"name"},
                       {FieldMaskRules::OutputOnly("org_id"),
                        FieldMaskRules::UseInstead("status", "EstablishOrg")});
  Violations v;
  rules.Check({"org_id", "status"}, v);
  EXPECT_THAT(Descriptions(v),
              ElementsAre("org_id is output only",
                          "status cannot be updated here; use EstablishOrg"));
}

TEST(FieldMaskRulesDeathTest, ATableNamingNoFieldAborts) {
  EXPECT_DEATH(FieldMaskRules(v1::Org::descriptor(), {"nickname"}),
               "has no field \"nickname\"");
  EXPECT_DEATH(
      FieldMaskRules(v1::Org::descriptor(), {"name"}, {{"employer.x", "no"}}),
      "has no field \"employer.x\"");
}

}  // namespace
}  // namespace unionhub::rpc
