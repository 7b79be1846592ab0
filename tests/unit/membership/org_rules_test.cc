#include "services/membership/domain/org_rules.h"

#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace unionhub::membership::domain {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::UnorderedElementsAre;

constexpr v1::OrgType kUnknownType = static_cast<v1::OrgType>(42);
constexpr v1::OrgStatus kUnknownStatus = static_cast<v1::OrgStatus>(42);

// A valid GB 32100 code (check character computed by hand, mod 31).
constexpr char kCreditCode[] = "91350100M000100Y43";

std::vector<std::string> Fields(const Violations& v) {
  std::vector<std::string> out;
  for (const auto& f : v.list()) out.push_back(f.field);
  return out;
}

std::string DescriptionOf(const Violations& v, const std::string& field) {
  for (const auto& f : v.list()) {
    if (f.field == field) return f.description;
  }
  return "<no violation on " + field + ">";
}

std::string Repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

// ------------------------------------------------------------ parent matrix

// The order of the columns of kParentMatrix after "root".
const v1::OrgType kParentColumns[] = {
    v1::ORG_TYPE_UNSPECIFIED,           v1::ORG_TYPE_NATIONAL_FEDERATION,
    v1::ORG_TYPE_PROVINCIAL_FEDERATION, v1::ORG_TYPE_CITY_FEDERATION,
    v1::ORG_TYPE_COUNTY_FEDERATION,     v1::ORG_TYPE_TOWNSHIP_UNION,
    v1::ORG_TYPE_REGIONAL_FEDERATION,   v1::ORG_TYPE_GRASSROOTS_UNION,
    v1::ORG_TYPE_BRANCH_UNION,          v1::ORG_TYPE_UNION_GROUP,
};

struct ParentRow {
  v1::OrgType child;
  // One character per column: root (no parent), then kParentColumns.
  // Y allowed, - FAILED_PRECONDITION, I INVALID_ARGUMENT.
  const char* expected;
};

// Written out from DOMAIN.md §1 and the brief, not from the implementation.
// clang-format off
const ParentRow kParentMatrix[] = {
    //                                   root UNS NAT PRO CIT COU TWN REG GRS BRA GRP
    {v1::ORG_TYPE_UNSPECIFIED,           "I    I   I   I   I   I   I   I   I   I   I"},
    {v1::ORG_TYPE_NATIONAL_FEDERATION,   "Y    -   -   -   -   -   -   -   -   -   -"},
    {v1::ORG_TYPE_PROVINCIAL_FEDERATION, "Y    -   Y   -   -   -   -   -   -   -   -"},
    {v1::ORG_TYPE_CITY_FEDERATION,       "Y    -   -   Y   -   -   -   -   -   -   -"},
    {v1::ORG_TYPE_COUNTY_FEDERATION,     "Y    -   -   -   Y   -   -   -   -   -   -"},
    {v1::ORG_TYPE_TOWNSHIP_UNION,        "-    -   -   -   -   Y   -   -   -   -   -"},
    {v1::ORG_TYPE_REGIONAL_FEDERATION,   "-    -   -   -   -   Y   Y   -   -   -   -"},
    {v1::ORG_TYPE_GRASSROOTS_UNION,      "-    -   Y   Y   Y   Y   Y   Y   -   -   -"},
    {v1::ORG_TYPE_BRANCH_UNION,          "-    -   -   -   -   -   -   -   Y   -   -"},
    {v1::ORG_TYPE_UNION_GROUP,           "-    -   -   -   -   -   -   -   Y   Y   -"},
};
// clang-format on

// The table's cells without the alignment spaces.
std::string Cells(const char* row) {
  std::string out;
  for (const char* c = row; *c != '\0'; ++c) {
    if (*c != ' ') out += *c;
  }
  return out;
}

absl::StatusCode ExpectedCode(char c) {
  switch (c) {
    case 'Y':
      return absl::StatusCode::kOk;
    case '-':
      return absl::StatusCode::kFailedPrecondition;
    default:
      return absl::StatusCode::kInvalidArgument;
  }
}

TEST(CheckParentTest, MatrixCoversEveryTypeOnBothAxes) {
  ASSERT_EQ(std::size(kParentMatrix), std::size(kParentColumns));
  for (size_t i = 0; i < std::size(kParentMatrix); ++i) {
    EXPECT_EQ(kParentMatrix[i].child, kParentColumns[i]);
    EXPECT_EQ(Cells(kParentMatrix[i].expected).size(),
              std::size(kParentColumns) + 1);
  }
  EXPECT_EQ(std::size(kParentColumns),
            static_cast<size_t>(v1::OrgType_ARRAYSIZE));
}

TEST(CheckParentTest, EveryChildUnderEveryParentAndAsRoot) {
  for (const ParentRow& row : kParentMatrix) {
    const std::string expected = Cells(row.expected);
    SCOPED_TRACE(OrgTypeName(row.child));
    EXPECT_EQ(CheckParent(row.child, std::nullopt).code(),
              ExpectedCode(expected[0]))
        << "as root";
    for (size_t col = 0; col < std::size(kParentColumns); ++col) {
      EXPECT_EQ(CheckParent(row.child, kParentColumns[col]).code(),
                ExpectedCode(expected[col + 1]))
          << "under " << OrgTypeName(kParentColumns[col]);
    }
  }
}

TEST(CheckParentTest, UnknownChildIsInvalidArgument) {
  EXPECT_EQ(CheckParent(kUnknownType, std::nullopt).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CheckParent(kUnknownType, v1::ORG_TYPE_COUNTY_FEDERATION).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(CheckParentTest, UnknownParentIsRefused) {
  for (const ParentRow& row : kParentMatrix) {
    if (row.child == v1::ORG_TYPE_UNSPECIFIED) continue;
    EXPECT_EQ(CheckParent(row.child, kUnknownType).code(),
              absl::StatusCode::kFailedPrecondition)
        << OrgTypeName(row.child);
  }
}

TEST(CheckParentTest, RefusalNamesChildParentAndAllowedParents) {
  absl::Status s =
      CheckParent(v1::ORG_TYPE_GRASSROOTS_UNION, v1::ORG_TYPE_BRANCH_UNION);
  ASSERT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("GRASSROOTS_UNION"));
  EXPECT_THAT(s.message(), HasSubstr("BRANCH_UNION"));
  for (const char* allowed :
       {"NATIONAL_FEDERATION", "PROVINCIAL_FEDERATION", "CITY_FEDERATION",
        "COUNTY_FEDERATION", "TOWNSHIP_UNION", "REGIONAL_FEDERATION"}) {
    EXPECT_THAT(s.message(), HasSubstr(allowed));
  }
  EXPECT_THAT(s.message(), Not(HasSubstr("ORG_TYPE_")));
}

TEST(CheckParentTest, RootRefusalNamesAllowedParents) {
  absl::Status s = CheckParent(v1::ORG_TYPE_UNION_GROUP, std::nullopt);
  ASSERT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("UNION_GROUP"));
  EXPECT_THAT(s.message(), HasSubstr("root"));
  EXPECT_THAT(s.message(), HasSubstr("GRASSROOTS_UNION, BRANCH_UNION"));
}

TEST(CheckParentTest, NationalUnderAnythingSaysItIsAlwaysARoot) {
  absl::Status s = CheckParent(v1::ORG_TYPE_NATIONAL_FEDERATION,
                               v1::ORG_TYPE_PROVINCIAL_FEDERATION);
  ASSERT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("NATIONAL_FEDERATION"));
  EXPECT_THAT(s.message(), HasSubstr("PROVINCIAL_FEDERATION"));
  EXPECT_THAT(s.message(), HasSubstr("always a root"));
}

TEST(CheckParentTest, FederationThatMayBeRootSaysSo) {
  absl::Status s = CheckParent(v1::ORG_TYPE_COUNTY_FEDERATION,
                               v1::ORG_TYPE_PROVINCIAL_FEDERATION);
  ASSERT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("CITY_FEDERATION (or none, as a root)"));
}

// ------------------------------------------------------------ type facts

struct TypeRow {
  v1::OrgType type;
  const char* name;
  bool may_hold_members;
  bool requires_employer;
};

const TypeRow kTypes[] = {
    {v1::ORG_TYPE_UNSPECIFIED, "UNSPECIFIED", false, false},
    {v1::ORG_TYPE_NATIONAL_FEDERATION, "NATIONAL_FEDERATION", false, false},
    {v1::ORG_TYPE_PROVINCIAL_FEDERATION, "PROVINCIAL_FEDERATION", false, false},
    {v1::ORG_TYPE_CITY_FEDERATION, "CITY_FEDERATION", false, false},
    {v1::ORG_TYPE_COUNTY_FEDERATION, "COUNTY_FEDERATION", false, false},
    {v1::ORG_TYPE_TOWNSHIP_UNION, "TOWNSHIP_UNION", true, false},
    {v1::ORG_TYPE_REGIONAL_FEDERATION, "REGIONAL_FEDERATION", true, false},
    {v1::ORG_TYPE_GRASSROOTS_UNION, "GRASSROOTS_UNION", true, true},
    {v1::ORG_TYPE_BRANCH_UNION, "BRANCH_UNION", true, false},
    {v1::ORG_TYPE_UNION_GROUP, "UNION_GROUP", true, false},
    {kUnknownType, "UNKNOWN(42)", false, false},
};

TEST(OrgTypeTest, NamesMembersAndEmployers) {
  for (const TypeRow& row : kTypes) {
    SCOPED_TRACE(row.name);
    EXPECT_EQ(OrgTypeName(row.type), row.name);
    EXPECT_EQ(MayHoldMembers(row.type), row.may_hold_members);
    EXPECT_EQ(RequiresEmployer(row.type), row.requires_employer);
  }
}

// ------------------------------------------------------------ org status

struct StatusRow {
  v1::OrgStatus status;
  absl::StatusCode establish;
  absl::StatusCode dissolve;
  absl::StatusCode be_parent;
};

constexpr absl::StatusCode kOk = absl::StatusCode::kOk;
constexpr absl::StatusCode kFp = absl::StatusCode::kFailedPrecondition;

const StatusRow kStatuses[] = {
    {v1::ORG_STATUS_UNSPECIFIED, kFp, kFp, kFp},
    {v1::ORG_STATUS_PREPARING, kOk, kOk, kOk},
    {v1::ORG_STATUS_ESTABLISHED, kFp, kOk, kOk},
    {v1::ORG_STATUS_DISSOLVED, kFp, kFp, kFp},
    {kUnknownStatus, kFp, kFp, kFp},
};

TEST(OrgStatusTest, EstablishDissolveAndParenthood) {
  for (const StatusRow& row : kStatuses) {
    SCOPED_TRACE(static_cast<int>(row.status));
    EXPECT_EQ(CheckCanEstablish(row.status).code(), row.establish);
    EXPECT_EQ(CheckCanDissolve(row.status).code(), row.dissolve);
    EXPECT_EQ(CheckCanBeParent(row.status).code(), row.be_parent);
  }
}

TEST(OrgStatusTest, MessagesSayWhy) {
  EXPECT_THAT(CheckCanEstablish(v1::ORG_STATUS_ESTABLISHED).message(),
              HasSubstr("already ESTABLISHED"));
  EXPECT_THAT(CheckCanEstablish(v1::ORG_STATUS_DISSOLVED).message(),
              HasSubstr("DISSOLVED"));
  EXPECT_THAT(CheckCanDissolve(v1::ORG_STATUS_DISSOLVED).message(),
              HasSubstr("already DISSOLVED"));
  EXPECT_THAT(CheckCanBeParent(v1::ORG_STATUS_DISSOLVED).message(),
              HasSubstr("DISSOLVED"));
}

// ------------------------------------------------------------ employer

v1::Employer GoodEmployer() {
  v1::Employer e;
  e.set_name("厦门某某科技有限公司");
  e.set_credit_code(kCreditCode);
  e.set_ownership(v1::OWNERSHIP_NON_PUBLIC);
  e.set_headcount(230);
  e.set_above_designated_size(true);
  e.set_address("福建省厦门市思明区某某路1号");
  return e;
}

TEST(ValidateEmployerFieldsTest, GoodEmployerPasses) {
  EXPECT_THAT(Fields(ValidateEmployerFields(GoodEmployer(), false)), IsEmpty());
  v1::Employer e = GoodEmployer();
  e.set_area_org_id(7);
  EXPECT_THAT(Fields(ValidateEmployerFields(e, true)), IsEmpty());
}

TEST(ValidateEmployerFieldsTest, EmptyEmployerNamesEveryRequiredField) {
  Violations v = ValidateEmployerFields(v1::Employer(), true);
  EXPECT_THAT(Fields(v), UnorderedElementsAre("name", "credit_code",
                                              "ownership", "area_org_id"));
  EXPECT_EQ(DescriptionOf(v, "name"), "is required");
  EXPECT_EQ(DescriptionOf(v, "credit_code"), "is required");
}

TEST(ValidateEmployerFieldsTest, EveryBadFieldAtOnce) {
  v1::Employer e;
  e.set_name(std::string("bad\x01name"));
  e.set_credit_code("91350100M000100Y44");  // wrong check character
  e.set_ownership(static_cast<v1::Ownership>(9));
  e.set_headcount(-1);
  e.set_address(Repeat("路", 301));
  e.set_area_org_id(-3);
  Violations v = ValidateEmployerFields(e, false);
  EXPECT_THAT(Fields(v),
              UnorderedElementsAre("name", "credit_code", "ownership",
                                   "headcount", "address", "area_org_id"));
  EXPECT_EQ(DescriptionOf(v, "name"), "must not contain control characters");
}

TEST(ValidateEmployerFieldsTest, Bounds) {
  struct Case {
    const char* label;
    void (*mutate)(v1::Employer&);
    std::vector<std::string> fields;
  };
  const Case cases[] = {
      {"name 200 chars",
       [](v1::Employer& e) { e.set_name(Repeat("厂", 200)); },
       {}},
      {"name 201 chars",
       [](v1::Employer& e) { e.set_name(Repeat("厂", 201)); },
       {"name"}},
      {"name blank",
       [](v1::Employer& e) { e.set_name("  \xE3\x80\x80"); },
       {"name"}},
      {"headcount 0", [](v1::Employer& e) { e.set_headcount(0); }, {}},
      {"headcount 10,000,000",
       [](v1::Employer& e) { e.set_headcount(10'000'000); },
       {}},
      {"headcount 10,000,001",
       [](v1::Employer& e) { e.set_headcount(10'000'001); },
       {"headcount"}},
      {"address empty", [](v1::Employer& e) { e.set_address(""); }, {}},
      {"address 300 chars",
       [](v1::Employer& e) { e.set_address(Repeat("路", 300)); },
       {}},
      {"address with newline",
       [](v1::Employer& e) { e.set_address("line1\nline2"); },
       {"address"}},
      {"credit code lower case",
       [](v1::Employer& e) { e.set_credit_code("91350100m000100y43"); },
       {}},
      {"credit code 17 chars",
       [](v1::Employer& e) { e.set_credit_code("91350100M000100Y4"); },
       {"credit_code"}},
      {"credit code with letter O",
       [](v1::Employer& e) { e.set_credit_code("91350100O000100Y43"); },
       {"credit_code"}},
      {"ownership unspecified",
       [](v1::Employer& e) { e.set_ownership(v1::OWNERSHIP_UNSPECIFIED); },
       {"ownership"}},
      {"ownership government agency",
       [](v1::Employer& e) {
         e.set_ownership(v1::OWNERSHIP_GOVERNMENT_AGENCY);
       },
       {}},
  };
  for (const Case& c : cases) {
    v1::Employer e = GoodEmployer();
    c.mutate(e);
    EXPECT_EQ(Fields(ValidateEmployerFields(e, false)), c.fields) << c.label;
  }
}

TEST(ValidateEmployerFieldsTest, AreaOrgOnlyRequiredWhenAsked) {
  v1::Employer e = GoodEmployer();
  EXPECT_THAT(Fields(ValidateEmployerFields(e, false)), IsEmpty());
  EXPECT_THAT(Fields(ValidateEmployerFields(e, true)),
              ElementsAre("area_org_id"));
}

// ------------------------------------------------------------ org fields

v1::Org GoodGrassroots() {
  v1::Org org;
  org.set_type(v1::ORG_TYPE_GRASSROOTS_UNION);
  org.set_name("厦门某某科技有限公司工会委员会");
  org.set_parent_id(12);
  org.set_region_code("350203");
  *org.mutable_employer() = GoodEmployer();
  return org;
}

v1::Org GoodCounty() {
  v1::Org org;
  org.set_type(v1::ORG_TYPE_COUNTY_FEDERATION);
  org.set_name("某某县总工会");
  org.set_legal_person_certified(true);
  org.set_legal_person_certified_on("2019-05-01");
  return org;
}

TEST(ValidateOrgFieldsTest, GoodOrgsPass) {
  EXPECT_THAT(Fields(ValidateOrgFields(GoodGrassroots(), true)), IsEmpty());
  EXPECT_THAT(Fields(ValidateOrgFields(GoodGrassroots(), false)), IsEmpty());
  EXPECT_THAT(Fields(ValidateOrgFields(GoodCounty(), true)), IsEmpty());
  EXPECT_THAT(Fields(ValidateOrgFields(GoodCounty(), false)), IsEmpty());
}

TEST(ValidateOrgFieldsTest, EmptyOrgNamesNameAndType) {
  Violations v = ValidateOrgFields(v1::Org(), true);
  EXPECT_THAT(Fields(v), UnorderedElementsAre("name", "type"));
  EXPECT_EQ(DescriptionOf(v, "type"), "is required");
}

TEST(ValidateOrgFieldsTest, EveryBadFieldAtOnceIncludingEmployerFields) {
  v1::Org org = GoodGrassroots();
  org.set_name(Repeat("会", 101));
  org.set_region_code("35020");
  org.set_legal_person_certified(true);
  org.mutable_employer()->set_credit_code("not-a-code");
  org.mutable_employer()->set_headcount(-5);
  org.mutable_employer()->set_name("");
  Violations v = ValidateOrgFields(org, true);
  EXPECT_THAT(Fields(v), UnorderedElementsAre(
                             "name", "region_code", "legal_person_certified_on",
                             "employer.name", "employer.credit_code",
                             "employer.headcount"));
  EXPECT_EQ(DescriptionOf(v, "name"), "must be at most 100 characters");
}

TEST(ValidateOrgFieldsTest, NameLengthCountsCodePointsNotBytes) {
  v1::Org org = GoodCounty();
  org.set_name(Repeat("会", 100));  // 300 bytes
  EXPECT_THAT(Fields(ValidateOrgFields(org, true)), IsEmpty());
  org.set_name(Repeat("a", 100));
  EXPECT_THAT(Fields(ValidateOrgFields(org, true)), IsEmpty());
  org.set_name(Repeat("a", 101));
  EXPECT_THAT(Fields(ValidateOrgFields(org, true)), ElementsAre("name"));
  org.set_name("\xF0\x9F\x98\x80");  // one 4-byte code point
  EXPECT_THAT(Fields(ValidateOrgFields(org, true)), IsEmpty());
}

TEST(ValidateOrgFieldsTest, NameRejectsControlCharactersAndBadUtf8) {
  struct Case {
    const char* label;
    std::string name;
    const char* description;
  };
  const Case cases[] = {
      {"tab", "a\tb", "must not contain control characters"},
      {"DEL", "a\x7f", "must not contain control characters"},
      {"C1 control U+0085", "a\xC2\x85", "must not contain control characters"},
      {"NUL", std::string("a\0b", 3), "must not contain control characters"},
      {"lone continuation byte", "a\x80", "is not valid UTF-8 text"},
      {"truncated sequence", "\xE4\xBC", "is not valid UTF-8 text"},
      {"overlong slash", "\xC0\xAF", "is not valid UTF-8 text"},
      {"surrogate", "\xED\xA0\x80", "is not valid UTF-8 text"},
      {"above U+10FFFF", "\xF4\x90\x80\x80", "is not valid UTF-8 text"},
      {"spaces only", "   ", "is required"},
      {"ideographic space only", "\xE3\x80\x80", "is required"},
  };
  for (const Case& c : cases) {
    v1::Org org = GoodCounty();
    org.set_name(c.name);
    Violations v = ValidateOrgFields(org, true);
    EXPECT_THAT(Fields(v), ElementsAre("name")) << c.label;
    EXPECT_EQ(DescriptionOf(v, "name"), c.description) << c.label;
  }
}

TEST(ValidateOrgFieldsTest, TypeMustBeKnown) {
  v1::Org org = GoodCounty();
  org.set_type(kUnknownType);
  Violations v = ValidateOrgFields(org, true);
  EXPECT_THAT(Fields(v), ElementsAre("type"));
  EXPECT_EQ(DescriptionOf(v, "type"), "is not a known org type");
}

TEST(ValidateOrgFieldsTest, RegionCode) {
  struct Case {
    const char* code;
    bool ok;
  };
  const Case cases[] = {
      {"", true},        {"350203", true},        {"000000", true},
      {"35020", false},  {"3502031", false},      {"35020A", false},
      {" 35020", false}, {"３５０２０３", false},  // full-width digits
      {"-35020", false},
  };
  for (const Case& c : cases) {
    v1::Org org = GoodCounty();
    org.set_region_code(c.code);
    EXPECT_EQ(Fields(ValidateOrgFields(org, true)).empty(), c.ok)
        << "\"" << c.code << "\"";
  }
}

TEST(ValidateOrgFieldsTest, LegalPersonCertification) {
  struct Case {
    bool certified;
    const char* on;
    bool ok;
  };
  const Case cases[] = {
      {false, "", true},           {true, "2019-05-01", true},
      {true, "", false},           {true, "2019-02-29", false},
      {true, "2019-5-1", false},   {false, "2019-13-01", false},
      {false, "2020-02-29", true},
  };
  for (const Case& c : cases) {
    v1::Org org = GoodCounty();
    org.set_legal_person_certified(c.certified);
    org.set_legal_person_certified_on(c.on);
    Violations v = ValidateOrgFields(org, true);
    if (c.ok) {
      EXPECT_THAT(Fields(v), IsEmpty()) << c.certified << " " << c.on;
    } else {
      EXPECT_THAT(Fields(v), ElementsAre("legal_person_certified_on"))
          << c.certified << " " << c.on;
    }
  }
}

TEST(ValidateOrgFieldsTest, GrassrootsNeedsEmployerWhenCreating) {
  v1::Org org = GoodGrassroots();
  org.clear_employer();
  EXPECT_THAT(Fields(ValidateOrgFields(org, true)), ElementsAre("employer"));
  // Adopting an existing employer record.
  EXPECT_THAT(Fields(ValidateOrgFields(org, true, false)), IsEmpty());
  // An update does not carry the whole employer record.
  EXPECT_THAT(Fields(ValidateOrgFields(org, false)), IsEmpty());
}

TEST(ValidateOrgFieldsTest, AdoptingAnEmployerExcludesANewRecord) {
  Violations v = ValidateOrgFields(GoodGrassroots(), true, false);
  EXPECT_THAT(Fields(v), ElementsAre("employer"));
}

TEST(ValidateOrgFieldsTest, GrassrootsEmployerNotValidatedOnUpdate) {
  v1::Org org = GoodGrassroots();
  org.mutable_employer()->set_credit_code("bad");
  EXPECT_THAT(Fields(ValidateOrgFields(org, false)), IsEmpty());
  EXPECT_THAT(Fields(ValidateOrgFields(org, true)),
              ElementsAre("employer.credit_code"));
}

TEST(ValidateOrgFieldsTest, OnlyGrassrootsCarriesAnEmployer) {
  for (const TypeRow& row : kTypes) {
    if (row.type == v1::ORG_TYPE_GRASSROOTS_UNION ||
        row.type == v1::ORG_TYPE_UNSPECIFIED || row.type == kUnknownType) {
      continue;
    }
    v1::Org org = GoodGrassroots();
    org.set_type(row.type);
    for (bool creating : {true, false}) {
      Violations v = ValidateOrgFields(org, creating);
      EXPECT_THAT(Fields(v), ElementsAre("employer")) << row.name;
      EXPECT_EQ(DescriptionOf(v, "employer"),
                "only a grassroots union carries an employer record");
    }
  }
}

// ------------------------------------------------------------ text

TEST(CheckTextTest, Table) {
  struct Case {
    std::string text;
    size_t min;
    size_t max;
    bool digits;
    std::optional<std::string> problem;
    std::string reason;
  };
  const Case cases[] = {
      {"", 0, 5, true, std::nullopt, ""},
      {"", 1, 5, true, "is required", "REQUIRED"},
      {"abcde", 1, 5, true, std::nullopt, ""},
      {"abcdef", 1, 5, true, "must be at most 5 characters", "TEXT_TOO_LONG"},
      {"ab", 3, 5, true, "must be at least 3 characters", "TEXT_TOO_SHORT"},
      {"a1", 1, 5, true, std::nullopt, ""},
      {"a1", 1, 5, false, "must not contain digits", "TEXT_DIGITS"},
      {"a\xEF\xBC\x91", 1, 5, false, "must not contain digits",
       "TEXT_DIGITS"},  // full-width
      {"买买提·艾力", 1, 6, false, std::nullopt, ""},
  };
  for (const Case& c : cases) {
    Violations v;
    CheckText(c.text, "name", c.min, c.max, v, c.digits);
    if (!c.problem.has_value()) {
      EXPECT_TRUE(v.empty()) << c.text;
      continue;
    }
    ASSERT_EQ(v.list().size(), 1u) << c.text;
    EXPECT_EQ(v.list()[0].field, "name");
    EXPECT_EQ(v.list()[0].description, *c.problem) << c.text;
    EXPECT_EQ(v.list()[0].reason, c.reason) << c.text;
  }
}

}  // namespace
}  // namespace unionhub::membership::domain
