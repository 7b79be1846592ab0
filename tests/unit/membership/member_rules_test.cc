#include "services/membership/domain/member_rules.h"

#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace unionhub::membership::domain {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::UnorderedElementsAre;

constexpr v1::MemberStatus kUnknownStatus = static_cast<v1::MemberStatus>(42);

constexpr absl::StatusCode kOk = absl::StatusCode::kOk;
constexpr absl::StatusCode kFp = absl::StatusCode::kFailedPrecondition;
constexpr absl::StatusCode kIa = absl::StatusCode::kInvalidArgument;
constexpr absl::StatusCode kAe = absl::StatusCode::kAlreadyExists;

// National IDs with check characters computed by hand (GB 11643 mod 11-2,
// weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, "10X98765432"[sum % 11]).
// Female, born 1949-12-31 (sum 167, 167 % 11 = 2 -> 'X').
constexpr char kFemale1949[] = "11010519491231002X";
// Male, born 2008-06-15 (sum 160, 160 % 11 = 6 -> '6').
constexpr char kMale2008[] = "110105200806150016";
// Female, born 2008-06-15 (sum 162, 162 % 11 = 8 -> '4').
constexpr char kFemale2008[] = "110105200806150024";
// Male, born 1990-03-07 (sum 252, 252 % 11 = 10 -> '2').
constexpr char kMale1990[] = "440306199003071232";
// Male, born 2008-02-29 (sum 158, 158 % 11 = 4 -> '8').
constexpr char kMaleLeap2008[] = "110105200802290038";

const absl::CivilDay kToday(2025, 1, 15);

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

// ------------------------------------------------------------ transitions

const v1::MemberStatus kStatuses[] = {
    v1::MEMBER_STATUS_UNSPECIFIED, v1::MEMBER_STATUS_ACTIVE,
    v1::MEMBER_STATUS_RETAINED,    v1::MEMBER_STATUS_LAPSED,
    v1::MEMBER_STATUS_LEFT,        v1::MEMBER_STATUS_EXPELLED,
    v1::MEMBER_STATUS_DECEASED,
};

// Rows: from; columns: to, both in kStatuses order. Written out from the
// brief (DOMAIN.md §2), not derived from the implementation.
// Y allowed, - FAILED_PRECONDITION, I INVALID_ARGUMENT.
// clang-format off
const char* const kTransitions[] = {
    //                      to: UNS ACT RET LAP LEF EXP DEC
    /* from UNSPECIFIED */     "I   -   -   -   -   -   -",
    /* from ACTIVE      */     "I   -   Y   Y   Y   Y   Y",
    /* from RETAINED    */     "I   Y   -   -   Y   Y   Y",
    /* from LAPSED      */     "I   Y   -   -   Y   Y   Y",
    /* from LEFT        */     "I   -   -   -   -   -   -",
    /* from EXPELLED    */     "I   -   -   -   -   -   -",
    /* from DECEASED    */     "I   -   -   -   -   -   -",
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
      return kOk;
    case '-':
      return kFp;
    default:
      return kIa;
  }
}

TEST(CheckStatusTransitionTest, TableCoversEveryStatus) {
  ASSERT_EQ(std::size(kStatuses),
            static_cast<size_t>(v1::MemberStatus_ARRAYSIZE));
  ASSERT_EQ(std::size(kTransitions), std::size(kStatuses));
  for (const char* row : kTransitions) {
    EXPECT_EQ(Cells(row).size(), std::size(kStatuses));
  }
}

TEST(CheckStatusTransitionTest, EveryPair) {
  for (size_t f = 0; f < std::size(kStatuses); ++f) {
    for (size_t t = 0; t < std::size(kStatuses); ++t) {
      EXPECT_EQ(CheckStatusTransition(kStatuses[f], kStatuses[t]).code(),
                ExpectedCode(Cells(kTransitions[f])[t]))
          << MemberStatusName(kStatuses[f]) << " -> "
          << MemberStatusName(kStatuses[t]);
    }
  }
}

TEST(CheckStatusTransitionTest, UnknownValues) {
  EXPECT_EQ(
      CheckStatusTransition(v1::MEMBER_STATUS_ACTIVE, kUnknownStatus).code(),
      kIa);
  EXPECT_EQ(
      CheckStatusTransition(kUnknownStatus, v1::MEMBER_STATUS_ACTIVE).code(),
      kFp);
}

TEST(CheckStatusTransitionTest, SameStatusSaysAlready) {
  for (v1::MemberStatus s : kStatuses) {
    if (s == v1::MEMBER_STATUS_UNSPECIFIED) continue;
    absl::Status status = CheckStatusTransition(s, s);
    EXPECT_EQ(status.code(), kFp);
    EXPECT_THAT(status.message(), HasSubstr("already " + MemberStatusName(s)));
  }
}

TEST(CheckStatusTransitionTest, RefusalNamesFromAndTo) {
  absl::Status s = CheckStatusTransition(v1::MEMBER_STATUS_RETAINED,
                                         v1::MEMBER_STATUS_LAPSED);
  EXPECT_THAT(s.message(), HasSubstr("RETAINED"));
  EXPECT_THAT(s.message(), HasSubstr("LAPSED"));
  EXPECT_THAT(s.message(), HasSubstr("no dues"));

  s = CheckStatusTransition(v1::MEMBER_STATUS_LEFT, v1::MEMBER_STATUS_ACTIVE);
  EXPECT_THAT(s.message(), HasSubstr("from LEFT to ACTIVE"));
  EXPECT_THAT(s.message(), HasSubstr("JoinMember"));
}

TEST(MemberStatusNameTest, Names) {
  EXPECT_EQ(MemberStatusName(v1::MEMBER_STATUS_UNSPECIFIED), "UNSPECIFIED");
  EXPECT_EQ(MemberStatusName(v1::MEMBER_STATUS_ACTIVE), "ACTIVE");
  EXPECT_EQ(MemberStatusName(v1::MEMBER_STATUS_RETAINED), "RETAINED");
  EXPECT_EQ(MemberStatusName(v1::MEMBER_STATUS_LAPSED), "LAPSED");
  EXPECT_EQ(MemberStatusName(v1::MEMBER_STATUS_LEFT), "LEFT");
  EXPECT_EQ(MemberStatusName(v1::MEMBER_STATUS_EXPELLED), "EXPELLED");
  EXPECT_EQ(MemberStatusName(v1::MEMBER_STATUS_DECEASED), "DECEASED");
  EXPECT_EQ(MemberStatusName(kUnknownStatus), "UNKNOWN(42)");
}

// ------------------------------------------------------------ join etc.

struct JoinRow {
  std::optional<v1::MemberStatus> existing;
  absl::StatusCode code;
  JoinDecision decision;  // when code is OK
};

TEST(DecideJoinTest, EveryExistingStatus) {
  const JoinRow rows[] = {
      {std::nullopt, kOk, JoinDecision::kNew},
      {v1::MEMBER_STATUS_UNSPECIFIED, kFp, {}},
      {v1::MEMBER_STATUS_ACTIVE, kAe, {}},
      {v1::MEMBER_STATUS_RETAINED, kAe, {}},
      {v1::MEMBER_STATUS_LAPSED, kOk, JoinDecision::kReactivate},
      {v1::MEMBER_STATUS_LEFT, kOk, JoinDecision::kReactivate},
      {v1::MEMBER_STATUS_EXPELLED, kFp, {}},
      {v1::MEMBER_STATUS_DECEASED, kFp, {}},
      {kUnknownStatus, kFp, {}},
  };
  for (const JoinRow& row : rows) {
    std::string label = row.existing ? MemberStatusName(*row.existing) : "none";
    absl::StatusOr<JoinDecision> d = DecideJoin(row.existing);
    EXPECT_EQ(d.status().code(), row.code) << label;
    if (d.ok() && row.code == kOk) {
      EXPECT_EQ(*d, row.decision) << label;
    }
  }
}

TEST(DecideJoinTest, MessagesReadWellWithTheUnionAppended) {
  EXPECT_EQ(DecideJoin(v1::MEMBER_STATUS_ACTIVE).status().message(),
            "the person is already an ACTIVE member");
  EXPECT_THAT(DecideJoin(v1::MEMBER_STATUS_EXPELLED).status().message(),
              HasSubstr("cannot rejoin"));
}

TEST(CheckTransferableAndOwesDuesTest, EveryStatus) {
  struct Row {
    v1::MemberStatus status;
    absl::StatusCode transfer;
    bool owes;
  };
  const Row rows[] = {
      {v1::MEMBER_STATUS_UNSPECIFIED, kFp, false},
      {v1::MEMBER_STATUS_ACTIVE, kOk, true},
      {v1::MEMBER_STATUS_RETAINED, kOk, false},
      {v1::MEMBER_STATUS_LAPSED, kFp, false},
      {v1::MEMBER_STATUS_LEFT, kFp, false},
      {v1::MEMBER_STATUS_EXPELLED, kFp, false},
      {v1::MEMBER_STATUS_DECEASED, kFp, false},
      {kUnknownStatus, kFp, false},
  };
  for (const Row& row : rows) {
    EXPECT_EQ(CheckTransferable(row.status).code(), row.transfer)
        << MemberStatusName(row.status);
    EXPECT_EQ(OwesDues(row.status), row.owes) << MemberStatusName(row.status);
  }
  EXPECT_THAT(CheckTransferable(v1::MEMBER_STATUS_LAPSED).message(),
              HasSubstr("LAPSED"));
}

// ------------------------------------------------------------ new member

v1::Member GoodMember() {
  v1::Member m;
  m.set_name("张三");
  m.set_national_id(kMale1990);
  m.set_mobile("13812345678");
  m.set_household(v1::HOUSEHOLD_RURAL);
  m.set_ethnicity("汉族");
  m.set_education(v1::EDUCATION_VOCATIONAL);
  m.set_front_line(true);
  m.set_migrant_worker(true);
  m.set_model_worker_level(v1::MODEL_WORKER_LEVEL_CITY);
  m.set_wage_base_fen(567'890);
  m.set_org_id(101);
  return m;
}

const absl::CivilDay kJoin(2024, 9, 1);

TEST(ValidateNewMemberTest, GoodMemberPasses) {
  EXPECT_THAT(Fields(ValidateNewMember(GoodMember(), kJoin, kToday)),
              IsEmpty());
}

TEST(ValidateNewMemberTest, SexAndBirthDateThatAgreeWithTheIdPass) {
  v1::Member m = GoodMember();
  m.set_national_id(kFemale1949);
  m.set_sex(v1::SEX_FEMALE);
  m.set_birth_date("1949-12-31");
  EXPECT_THAT(Fields(ValidateNewMember(m, kJoin, kToday)), IsEmpty());
}

TEST(ValidateNewMemberTest, LowerCaseXIsAccepted) {
  v1::Member m = GoodMember();
  m.set_national_id("11010519491231002x");
  EXPECT_THAT(Fields(ValidateNewMember(m, kJoin, kToday)), IsEmpty());
}

TEST(ValidateNewMemberTest, EmptyMemberNamesEveryRequiredField) {
  Violations v = ValidateNewMember(v1::Member(), kJoin, kToday);
  EXPECT_THAT(Fields(v),
              UnorderedElementsAre("name", "national_id", "mobile", "org_id"));
  for (const auto& f : v.list()) {
    EXPECT_EQ(f.description, "is required") << f.field;
  }
}

TEST(ValidateNewMemberTest, EveryBadFieldAtOnce) {
  v1::Member m;
  m.set_name("张3");
  m.set_national_id(kFemale1949);
  m.set_sex(v1::SEX_MALE);
  m.set_birth_date("1950-01-01");
  m.set_mobile("12812345678");
  m.set_household(static_cast<v1::Household>(7));
  m.set_ethnicity(Repeat("族", 21));
  m.set_education(static_cast<v1::Education>(99));
  m.set_model_worker_level(static_cast<v1::ModelWorkerLevel>(5));
  m.set_wage_base_fen(-1);
  m.set_org_id(-4);
  Violations v = ValidateNewMember(m, kJoin, kToday);
  EXPECT_THAT(Fields(v), UnorderedElementsAre(
                             "name", "sex", "birth_date", "mobile", "household",
                             "ethnicity", "education", "model_worker_level",
                             "wage_base_fen", "org_id"));
  EXPECT_EQ(DescriptionOf(v, "name"), "must not contain digits");
  EXPECT_THAT(DescriptionOf(v, "sex"), HasSubstr("national ID"));
  EXPECT_THAT(DescriptionOf(v, "birth_date"), HasSubstr("national ID"));
}

TEST(ValidateNewMemberTest, AgeBoundaryIsTheSixteenthBirthday) {
  struct Case {
    const char* id;
    absl::CivilDay join;
    bool ok;
  };
  const Case cases[] = {
      {kMale2008, absl::CivilDay(2024, 6, 15), true},   // exactly 16
      {kMale2008, absl::CivilDay(2024, 6, 14), false},  // one day short
      {kFemale2008, absl::CivilDay(2024, 6, 15), true},
      {kFemale2008, absl::CivilDay(2024, 6, 14), false},
      {kMaleLeap2008, absl::CivilDay(2024, 2, 29), true},  // Feb-29 birthday
      {kMaleLeap2008, absl::CivilDay(2024, 2, 28), false},
      {kMale2008, absl::CivilDay(2008, 6, 14), false},  // before birth
      {kFemale1949, absl::CivilDay(1965, 12, 31), true},
      {kFemale1949, absl::CivilDay(1965, 12, 30), false},
  };
  for (const Case& c : cases) {
    v1::Member m = GoodMember();
    m.set_national_id(c.id);
    Violations v = ValidateNewMember(m, c.join, kToday);
    std::string label = absl::FormatCivilTime(c.join);
    if (c.ok) {
      EXPECT_THAT(Fields(v), IsEmpty()) << label;
    } else {
      EXPECT_THAT(Fields(v), ElementsAre("national_id")) << label;
      EXPECT_EQ(DescriptionOf(v, "national_id"),
                "the person would be under 16 on the join date")
          << label;
    }
  }
}

TEST(ValidateNewMemberTest, JoinDateIsTheCallersToCheck) {
  // The handler validates the request's joined_on; the member's own fields
  // carry no violation for it.
  v1::Member m = GoodMember();
  EXPECT_THAT(Fields(ValidateNewMember(m, kToday, kToday)), IsEmpty());
  EXPECT_THAT(Fields(ValidateNewMember(m, kToday + 1, kToday)), IsEmpty());
}

TEST(ValidateNewMemberTest, SexMismatch) {
  struct Case {
    const char* id;
    v1::Sex sex;
    bool ok;
  };
  const Case cases[] = {
      {kMale2008, v1::SEX_UNSPECIFIED, true},
      {kMale2008, v1::SEX_MALE, true},
      {kMale2008, v1::SEX_FEMALE, false},
      {kFemale2008, v1::SEX_FEMALE, true},
      {kFemale2008, v1::SEX_MALE, false},
      {kFemale1949, v1::SEX_MALE, false},
      {kFemale1949, static_cast<v1::Sex>(3), false},
  };
  for (const Case& c : cases) {
    v1::Member m = GoodMember();
    m.set_national_id(c.id);
    m.set_sex(c.sex);
    Violations v = ValidateNewMember(m, kJoin, kToday);
    if (c.ok) {
      EXPECT_THAT(Fields(v), IsEmpty()) << c.id << " " << c.sex;
    } else {
      EXPECT_THAT(Fields(v), ElementsAre("sex")) << c.id << " " << c.sex;
    }
  }
}

TEST(ValidateNewMemberTest, BirthDateMismatch) {
  struct Case {
    const char* birth_date;
    const char* description;  // nullptr: no violation
  };
  const Case cases[] = {
      {"", nullptr},
      {"1990-03-07", nullptr},
      {"1990-03-08",
       "does not match the birth date encoded in the national ID"},
      {"1991-03-07",
       "does not match the birth date encoded in the national ID"},
      {"1990-3-7", "must be a date YYYY-MM-DD"},
      {"1990-02-30", "must be a date YYYY-MM-DD"},
  };
  for (const Case& c : cases) {
    v1::Member m = GoodMember();  // kMale1990
    m.set_birth_date(c.birth_date);
    Violations v = ValidateNewMember(m, kJoin, kToday);
    if (c.description == nullptr) {
      EXPECT_THAT(Fields(v), IsEmpty()) << c.birth_date;
    } else {
      EXPECT_THAT(Fields(v), ElementsAre("birth_date")) << c.birth_date;
      EXPECT_EQ(DescriptionOf(v, "birth_date"), c.description);
    }
  }
}

TEST(ValidateNewMemberTest, BadIdSkipsComparisonsButChecksTheirFormat) {
  v1::Member m = GoodMember();
  m.set_national_id("440306199003071233");  // wrong check character
  m.set_sex(v1::SEX_FEMALE);
  m.set_birth_date("2000-01-01");
  EXPECT_THAT(Fields(ValidateNewMember(m, kJoin, kToday)),
              ElementsAre("national_id"));
  m.set_birth_date("yesterday");
  EXPECT_THAT(Fields(ValidateNewMember(m, kJoin, kToday)),
              UnorderedElementsAre("national_id", "birth_date"));
}

TEST(ValidateNewMemberTest, BadNationalIds) {
  const char* const ids[] = {
      "440306199003071233",   // wrong check character
      "44030619900307123",    // 17 characters
      "4403061990030712322",  // 19 characters
      "440306900307123",      // legacy 15-digit form
      "44030619900307123Y",   // bad last character
      "4403061990A307123X",   // letter in the digits
      "440306199002301235",   // 1990-02-30 (check char right)
      "11010520300101001X",   // born in 2030, after today
  };
  for (const char* id : ids) {
    v1::Member m = GoodMember();
    m.set_national_id(id);
    Violations v = ValidateNewMember(m, kJoin, kToday);
    EXPECT_THAT(Fields(v), ElementsAre("national_id")) << id;
    absl::Status status = v.ToStatus();
    EXPECT_THAT(std::string(status.message()), Not(HasSubstr(id)));
    for (const auto& f : v.list()) {
      EXPECT_THAT(f.description, Not(HasSubstr(id)));
      EXPECT_THAT(f.description, Not(HasSubstr(std::string(id).substr(0, 15))));
    }
  }
}

TEST(ValidateNewMemberTest, NoDescriptionEverContainsTheNationalId) {
  v1::Member m = GoodMember();
  m.set_national_id(kFemale1949);
  m.set_sex(v1::SEX_MALE);
  m.set_birth_date("1950-01-01");
  Violations v = ValidateNewMember(m, absl::CivilDay(1960, 1, 1), kToday);
  ASSERT_THAT(Fields(v),
              UnorderedElementsAre("sex", "birth_date", "national_id"));
  EXPECT_THAT(std::string(v.ToStatus().message()), Not(HasSubstr(kFemale1949)));
}

TEST(ValidateNewMemberTest, Names) {
  struct Case {
    std::string name;
    bool ok;
  };
  const Case cases[] = {
      {"张三", true},
      {"买买提·艾力", true},
      {"John Smith", true},
      {Repeat("张", 50), true},
      {Repeat("张", 51), false},
      {"张三1", false},
      {"张三\xEF\xBC\x91", false},  // full-width digit one
      {"张\t三", false},
      {" ", false},
      {"\xE5\xBC", false},  // truncated UTF-8
  };
  for (const Case& c : cases) {
    v1::Member m = GoodMember();
    m.set_name(c.name);
    Violations v = ValidateNewMember(m, kJoin, kToday);
    if (c.ok) {
      EXPECT_THAT(Fields(v), IsEmpty()) << c.name;
    } else {
      EXPECT_THAT(Fields(v), ElementsAre("name")) << c.name;
    }
  }
}

TEST(ValidateNewMemberTest, FieldBounds) {
  struct Case {
    const char* label;
    void (*mutate)(v1::Member&);
    std::vector<std::string> fields;
  };
  const Case cases[] = {
      {"mobile 10 digits",
       [](v1::Member& m) { m.set_mobile("1381234567"); },
       {"mobile"}},
      {"mobile 12 digits",
       [](v1::Member& m) { m.set_mobile("138123456789"); },
       {"mobile"}},
      {"mobile second digit 2",
       [](v1::Member& m) { m.set_mobile("12812345678"); },
       {"mobile"}},
      {"mobile 19x", [](v1::Member& m) { m.set_mobile("19912345678"); }, {}},
      {"mobile with dash",
       [](v1::Member& m) { m.set_mobile("138-1234-567"); },
       {"mobile"}},
      {"wage 0", [](v1::Member& m) { m.set_wage_base_fen(0); }, {}},
      {"wage 1,000,000 yuan",
       [](v1::Member& m) { m.set_wage_base_fen(100'000'000); },
       {}},
      {"wage 1,000,000.01 yuan",
       [](v1::Member& m) { m.set_wage_base_fen(100'000'001); },
       {"wage_base_fen"}},
      {"wage negative",
       [](v1::Member& m) { m.set_wage_base_fen(-1); },
       {"wage_base_fen"}},
      {"ethnicity empty", [](v1::Member& m) { m.set_ethnicity(""); }, {}},
      {"ethnicity 20 chars",
       [](v1::Member& m) { m.set_ethnicity(Repeat("族", 20)); },
       {}},
      {"ethnicity 21 chars",
       [](v1::Member& m) { m.set_ethnicity(Repeat("族", 21)); },
       {"ethnicity"}},
      {"household unspecified",
       [](v1::Member& m) { m.set_household(v1::HOUSEHOLD_UNSPECIFIED); },
       {}},
      {"household unknown",
       [](v1::Member& m) { m.set_household(static_cast<v1::Household>(3)); },
       {"household"}},
      {"education unspecified",
       [](v1::Member& m) { m.set_education(v1::EDUCATION_UNSPECIFIED); },
       {}},
      {"education postgraduate",
       [](v1::Member& m) { m.set_education(v1::EDUCATION_POSTGRADUATE); },
       {}},
      {"education unknown",
       [](v1::Member& m) { m.set_education(static_cast<v1::Education>(8)); },
       {"education"}},
      {"model worker national",
       [](v1::Member& m) {
         m.set_model_worker_level(v1::MODEL_WORKER_LEVEL_NATIONAL);
       },
       {}},
      {"model worker unknown",
       [](v1::Member& m) {
         m.set_model_worker_level(static_cast<v1::ModelWorkerLevel>(-1));
       },
       {"model_worker_level"}},
      {"org 0", [](v1::Member& m) { m.set_org_id(0); }, {"org_id"}},
  };
  for (const Case& c : cases) {
    v1::Member m = GoodMember();
    c.mutate(m);
    EXPECT_EQ(Fields(ValidateNewMember(m, kJoin, kToday)), c.fields) << c.label;
  }
}

// ------------------------------------------------------------ update

TEST(ValidateMemberUpdateTest, EmptyMaskIsRefused) {
  Violations v = ValidateMemberUpdate(GoodMember(), {});
  EXPECT_THAT(Fields(v), ElementsAre("update_mask"));
}

TEST(ValidateMemberUpdateTest, EveryUpdatablePathWithAGoodValue) {
  const std::vector<std::string> paths = {"name",
                                          "mobile",
                                          "household",
                                          "ethnicity",
                                          "education",
                                          "front_line",
                                          "migrant_worker",
                                          "model_worker_level",
                                          "enterprise_leader",
                                          "wage_base_fen"};
  for (const std::string& p : paths) {
    EXPECT_THAT(Fields(ValidateMemberUpdate(GoodMember(), {p})), IsEmpty())
        << p;
  }
  EXPECT_THAT(Fields(ValidateMemberUpdate(GoodMember(), paths)), IsEmpty());
}

TEST(ValidateMemberUpdateTest, RefusedPathsSayWhatToDoInstead) {
  struct Case {
    const char* path;
    const char* says;
  };
  const Case cases[] = {
      {"national_id", "immutable"},
      {"sex", "derived from the national ID"},
      {"birth_date", "derived from the national ID"},
      {"org_id", "TransferMember"},
      {"status", "ChangeMemberStatus"},
      {"retained_reason", "ChangeMemberStatus"},
      {"status_reason", "ChangeMemberStatus"},
      {"status_since", "ChangeMemberStatus"},
      {"member_id", "output only"},
      {"card_number", "output only"},
      {"joined_on", "output only"},
      {"create_time", "output only"},
      {"update_time", "output only"},
      {"nickname", "unknown field \"nickname\""},
      {"member.name", "unknown field"},
      {"", "unknown field \"\""},
  };
  for (const Case& c : cases) {
    Violations v = ValidateMemberUpdate(GoodMember(), {c.path});
    EXPECT_THAT(Fields(v), ElementsAre("update_mask")) << c.path;
    EXPECT_THAT(DescriptionOf(v, "update_mask"), HasSubstr(c.says)) << c.path;
  }
}

TEST(ValidateMemberUpdateTest, OnlyMaskedFieldsAreValidatedAndArePrefixed) {
  v1::Member m;  // everything empty: name and mobile are missing
  m.set_wage_base_fen(-5);
  m.set_household(static_cast<v1::Household>(9));
  EXPECT_THAT(Fields(ValidateMemberUpdate(m, {"front_line"})), IsEmpty());
  EXPECT_THAT(Fields(ValidateMemberUpdate(m, {"ethnicity"})), IsEmpty());
  Violations v = ValidateMemberUpdate(
      m, {"name", "mobile", "wage_base_fen", "household", "org_id"});
  EXPECT_THAT(Fields(v), UnorderedElementsAre(
                             "update_mask", "member.name", "member.mobile",
                             "member.wage_base_fen", "member.household"));
  EXPECT_EQ(DescriptionOf(v, "member.name"), "is required");
}

TEST(ValidateMemberUpdateTest, UpdateRulesMatchNewMemberRules) {
  v1::Member m = GoodMember();
  m.set_name("李4");
  m.set_mobile("1234");
  m.set_ethnicity(Repeat("族", 21));
  m.set_education(static_cast<v1::Education>(99));
  m.set_model_worker_level(static_cast<v1::ModelWorkerLevel>(9));
  m.set_wage_base_fen(100'000'001);
  Violations fresh = ValidateNewMember(m, kJoin, kToday);
  Violations update =
      ValidateMemberUpdate(m, {"name", "mobile", "ethnicity", "education",
                               "model_worker_level", "wage_base_fen"});
  ASSERT_EQ(fresh.list().size(), update.list().size());
  for (size_t i = 0; i < fresh.list().size(); ++i) {
    EXPECT_EQ("member." + fresh.list()[i].field, update.list()[i].field);
    EXPECT_EQ(fresh.list()[i].description, update.list()[i].description);
  }
}

TEST(ValidateMemberUpdateTest, DuplicatePathsReportOnce) {
  v1::Member m = GoodMember();
  m.set_name("");
  Violations v = ValidateMemberUpdate(m, {"name", "name", "status", "status"});
  EXPECT_THAT(Fields(v), UnorderedElementsAre("update_mask", "member.name"));
}

TEST(ValidateMemberUpdateTest, UnknownPathIsEscapedAndShortened) {
  Violations v =
      ValidateMemberUpdate(GoodMember(), {"bad\npath\t" + Repeat("x", 200)});
  ASSERT_THAT(Fields(v), ElementsAre("update_mask"));
  const std::string d = DescriptionOf(v, "update_mask");
  EXPECT_THAT(d, Not(HasSubstr("\n")));
  EXPECT_THAT(d, Not(HasSubstr("\t")));
  EXPECT_THAT(d, HasSubstr("bad\\npath\\t"));
  EXPECT_THAT(d, Not(HasSubstr(Repeat("x", 100))));
  // Survives the round trip through the status payload.
  EXPECT_THAT(ViolationsOf(v.ToStatus()), testing::SizeIs(1));
}

// Issue 11 item 7: transfers and rejoins take a member out of its org only
// from inside the caller's scope.
TEST(CheckMayMoveMemberFromTest, OnlyFromInsideTheCallersScope) {
  EXPECT_TRUE(CheckMayMoveMemberFrom("", "/1/2/9/").ok());
  EXPECT_TRUE(CheckMayMoveMemberFrom("/1/2/", "/1/2/9/").ok());
  EXPECT_TRUE(CheckMayMoveMemberFrom("/1/2/", "/1/2/").ok());
  for (const char* outside : {"/1/3/9/", "/1/", "/1/22/"}) {
    const absl::Status s = CheckMayMoveMemberFrom("/1/2/", outside);
    EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied) << outside;
    EXPECT_THAT(s.message(), Not(HasSubstr(outside)));
  }
}

}  // namespace
}  // namespace unionhub::membership::domain
