#include "tools/unionctl/fields.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "unionhub/finance/v1/finance.pb.h"
#include "unionhub/membership/v1/membership.pb.h"

namespace unionhub::unionctl {
namespace {

namespace mv1 = ::unionhub::membership::v1;
namespace fv1 = ::unionhub::finance::v1;

bool HasFlag(const std::vector<FlagField>& flags, const std::string& path) {
  return std::any_of(flags.begin(), flags.end(),
                     [&](const FlagField& f) { return f.path == path; });
}

TEST(UnionctlFlagFields, NestedDottedAndYuanTwins) {
  auto flags = FlagFields(mv1::UpdateMemberRequest::descriptor());
  EXPECT_TRUE(HasFlag(flags, "request_id"));
  EXPECT_TRUE(HasFlag(flags, "member.name"));
  EXPECT_TRUE(HasFlag(flags, "member.wage_base_fen"));
  EXPECT_TRUE(HasFlag(flags, "member.wage_base_yuan"));
  EXPECT_TRUE(HasFlag(flags, "update_mask"));  // a FieldMask is one value
  EXPECT_FALSE(HasFlag(flags, "update_mask.paths"));
  // Repeated messages are left to --json.
  auto table = FlagFields(fv1::SetAllocationTableRequest::descriptor());
  EXPECT_TRUE(HasFlag(table, "table.province_code"));
  EXPECT_FALSE(HasFlag(table, "table.shares"));
}

TEST(UnionctlSetField, ScalarsEnumsBoolsMasksAndYuan) {
  mv1::UpdateMemberRequest req;
  ASSERT_TRUE(SetField(&req, "member.member_id", "17").ok());
  ASSERT_TRUE(SetField(&req, "member.name", "张三").ok());
  ASSERT_TRUE(SetField(&req, "member.education", "bachelor").ok());
  ASSERT_TRUE(SetField(&req, "member.household", "HOUSEHOLD_RURAL").ok());
  ASSERT_TRUE(SetField(&req, "member.sex", "2").ok());
  ASSERT_TRUE(SetField(&req, "member.front_line", "yes").ok());
  ASSERT_TRUE(SetField(&req, "member.wage_base_yuan", "6500.5").ok());
  ASSERT_TRUE(SetField(&req, "update_mask", "name, wage_base_fen").ok());
  ASSERT_TRUE(
      SetField(&req, "member.create_time", "2026-01-31T08:00:00Z").ok());
  EXPECT_EQ(req.member().member_id(), 17);
  EXPECT_EQ(req.member().name(), "张三");
  EXPECT_EQ(req.member().education(), mv1::EDUCATION_BACHELOR);
  EXPECT_EQ(req.member().household(), mv1::HOUSEHOLD_RURAL);
  EXPECT_EQ(req.member().sex(), mv1::SEX_FEMALE);
  EXPECT_TRUE(req.member().front_line());
  EXPECT_EQ(req.member().wage_base_fen(), 650050);
  ASSERT_EQ(req.update_mask().paths_size(), 2);
  EXPECT_EQ(req.update_mask().paths(1), "wage_base_fen");
  EXPECT_EQ(req.member().create_time().seconds(), 1769846400);
}

TEST(UnionctlSetField, RepeatedFieldsAppend) {
  mv1::Org org;
  ASSERT_TRUE(SetField(&org, "ancestor_ids", "1").ok());
  ASSERT_TRUE(SetField(&org, "ancestor_ids", "4").ok());
  EXPECT_EQ(org.ancestor_ids_size(), 2);
  EXPECT_EQ(org.ancestor_ids(1), 4);
}

TEST(UnionctlSetField, BadValuesNameTheField) {
  mv1::UpdateMemberRequest req;
  absl::Status s = SetField(&req, "member.member_id", "seventeen");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "member.member_id: \"seventeen\" is not an integer");
  s = SetField(&req, "member.education", "phd");
  EXPECT_NE(s.message().find("member.education: \"phd\" is not one of"),
            std::string::npos);
  EXPECT_FALSE(SetField(&req, "member.wage_base_yuan", "1.234").ok());
  EXPECT_FALSE(SetField(&req, "member.nope", "1").ok());
  EXPECT_FALSE(SetField(&req, "member", "1").ok());
  EXPECT_FALSE(SetField(&req, "member.front_line", "maybe").ok());
  EXPECT_FALSE(SetField(&req, "member.create_time", "yesterday").ok());
}

// Found by tests/fuzz/csv_fuzz: a cell that is not UTF-8 (a CSV saved as
// GBK) was set as is, and the service cannot parse such a message.
TEST(UnionctlSetField, RefusesTextThatIsNotUtf8) {
  mv1::Member member;
  const std::string gbk_name = "\xd5\xc5\xc8\xfd";  // 张三 in GBK
  absl::Status s = SetField(&member, "name", gbk_name);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(),
            "name: is not valid UTF-8 text (save the file as UTF-8)");
  EXPECT_TRUE(member.name().empty());
  EXPECT_FALSE(SetField(&member, "national_id", "11010119900307451\xff").ok());
  mv1::UpdateMemberRequest req;
  EXPECT_FALSE(SetField(&req, "update_mask", "name,\xc0").ok());

  ASSERT_TRUE(SetField(&member, "name", "张三").ok());
  mv1::Member parsed;
  EXPECT_TRUE(parsed.ParseFromString(member.SerializeAsString()));
  EXPECT_EQ(parsed.name(), "张三");
}

TEST(UnionctlColumns, HeadersAndCells) {
  fv1::CollectionFigures f;
  f.set_month("2026-01");
  f.set_org_name("城关镇总工会");
  f.set_due_fen(123456);
  f.set_collection_rate_bp(8512);
  EXPECT_EQ(ColumnHeader("due_fen"), "due_yuan");
  EXPECT_EQ(ColumnHeader("collection_rate_bp"), "collection_rate_pct");
  EXPECT_EQ(ColumnHeader("month"), "month");
  EXPECT_EQ(Cell(f, "due_fen", false), "1234.56");
  EXPECT_EQ(Cell(f, "collection_rate_bp", false), "85.12%");
  EXPECT_EQ(Cell(f, "collection_rate_bp", true), "85.12");
  EXPECT_EQ(Cell(f, "org_name", false), "城关镇总工会");

  mv1::Member m;
  m.set_status(mv1::MEMBER_STATUS_RETAINED);
  EXPECT_EQ(Cell(m, "status", false), "RETAINED");
  EXPECT_EQ(Cell(m, "retained_reason", false), "");  // unspecified
  EXPECT_EQ(Cell(m, "create_time", false), "");      // unset

  mv1::Org org;
  org.add_ancestor_ids(1);
  org.add_ancestor_ids(4);
  org.mutable_employer()->set_name("机械厂");
  EXPECT_EQ(Cell(org, "ancestor_ids", false), "1,4");
  EXPECT_EQ(Cell(org, "employer.name", false), "机械厂");
  auto paths = ColumnPaths(mv1::Org::descriptor());
  EXPECT_NE(std::find(paths.begin(), paths.end(), "employer.name"),
            paths.end());
}

TEST(UnionctlColumns, CellsEscapeControlCharacters) {
  mv1::Member m;
  m.set_name("a\x1b[2Jb\nc");
  EXPECT_EQ(Cell(m, "name", false), "a\\x1b[2Jb\\x0ac");
  EXPECT_EQ(Cell(m, "name", true), "a\\x1b[2Jb\nc");  // CSV quotes LF
}

TEST(UnionctlEnums, ShortNames) {
  EXPECT_EQ(ShortEnumName(mv1::MemberStatus_descriptor()->FindValueByName(
                "MEMBER_STATUS_ACTIVE")),
            "ACTIVE");
  EXPECT_EQ(ShortEnumName(fv1::PayrollRowOutcome_descriptor()->FindValueByName(
                "PAYROLL_ROW_OUTCOME_SUSPENSE")),
            "SUSPENSE");
}

TEST(UnionctlPaths, HasFieldPath) {
  EXPECT_TRUE(HasFieldPath(mv1::Member::descriptor(), "wage_base_yuan"));
  EXPECT_TRUE(HasFieldPath(fv1::PayrollRow::descriptor(), "amount_yuan"));
  EXPECT_FALSE(HasFieldPath(fv1::PayrollRow::descriptor(), "amount"));
}

}  // namespace
}  // namespace unionhub::unionctl
