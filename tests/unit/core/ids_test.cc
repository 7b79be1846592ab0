#include "common/core/ids.h"

#include <string>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/time/civil_time.h"
#include "gtest/gtest.h"

namespace unionhub::ids {
namespace {

// A fixed "today" so the tests do not depend on the clock.
const absl::CivilDay kToday(2024, 6, 15);

// ---------------------------------------------------------------------------
// National ID: valid numbers.
//
// Every number below was checked independently of the code under test
// (separate script, and the first few by hand), e.g. for 11010519491231002X:
//   1*7 + 1*9 + 0*10 + 1*5 + 0*8 + 5*4 + 1*2 + 9*1 + 4*6 + 9*3 + 1*7 + 2*9
//   + 3*10 + 1*5 + 0*8 + 0*4 + 2*2 = 167; 167 % 11 = 2 -> "10X98765432"[2] = X.
// and for 11010519000101001X: sum = 68; 68 % 11 = 2 -> X.
// ---------------------------------------------------------------------------

struct ValidIdCase {
  std::string name;
  std::string id;
  std::string normalized;
  absl::CivilDay birth;
  Sex sex;
  std::string region;
};

class ValidNationalIdTest : public testing::TestWithParam<ValidIdCase> {};

TEST_P(ValidNationalIdTest, ParsesAndDerivesFields) {
  const ValidIdCase& c = GetParam();
  absl::StatusOr<NationalIdInfo> info = ParseNationalId(c.id, kToday);
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_EQ(info->normalized, c.normalized);
  EXPECT_EQ(info->birth_date, c.birth);
  EXPECT_EQ(info->sex, c.sex);
  EXPECT_EQ(info->region_code, c.region);
}

INSTANTIATE_TEST_SUITE_P(
    NationalId, ValidNationalIdTest,
    testing::Values(
        ValidIdCase{"StandardSampleEndingInX", "11010519491231002X",
                    "11010519491231002X", absl::CivilDay(1949, 12, 31),
                    Sex::kFemale, "110105"},
        ValidIdCase{"LowerCaseXNormalised", "11010519491231002x",
                    "11010519491231002X", absl::CivilDay(1949, 12, 31),
                    Sex::kFemale, "110105"},
        ValidIdCase{"MaleEndingInX", "11010119900307803X", "11010119900307803X",
                    absl::CivilDay(1990, 3, 7), Sex::kMale, "110101"},
        ValidIdCase{"EarliestBirthDateEndingInX", "11010519000101001X",
                    "11010519000101001X", absl::CivilDay(1900, 1, 1),
                    Sex::kMale, "110105"},
        ValidIdCase{"Male", "310104198506151237", "310104198506151237",
                    absl::CivilDay(1985, 6, 15), Sex::kMale, "310104"},
        ValidIdCase{"Female", "440306199211084564", "440306199211084564",
                    absl::CivilDay(1992, 11, 8), Sex::kFemale, "440306"},
        ValidIdCase{"LeapDay2000", "110105200002290021", "110105200002290021",
                    absl::CivilDay(2000, 2, 29), Sex::kFemale, "110105"},
        ValidIdCase{"LeapDay1996", "110105199602290011", "110105199602290011",
                    absl::CivilDay(1996, 2, 29), Sex::kMale, "110105"},
        ValidIdCase{"LeapDay2024", "110105202402290038", "110105202402290038",
                    absl::CivilDay(2024, 2, 29), Sex::kMale, "110105"},
        ValidIdCase{"BornToday", "330102202406150077", "330102202406150077",
                    absl::CivilDay(2024, 6, 15), Sex::kMale, "330102"},
        ValidIdCase{"SexDigit0", "51010019881231020X", "51010019881231020X",
                    absl::CivilDay(1988, 12, 31), Sex::kFemale, "510100"},
        ValidIdCase{"SexDigit1", "510100198812310218", "510100198812310218",
                    absl::CivilDay(1988, 12, 31), Sex::kMale, "510100"},
        ValidIdCase{"SexDigit2", "510100198812310226", "510100198812310226",
                    absl::CivilDay(1988, 12, 31), Sex::kFemale, "510100"},
        ValidIdCase{"SexDigit3", "510100198812310234", "510100198812310234",
                    absl::CivilDay(1988, 12, 31), Sex::kMale, "510100"},
        ValidIdCase{"SexDigit4", "510100198812310242", "510100198812310242",
                    absl::CivilDay(1988, 12, 31), Sex::kFemale, "510100"},
        ValidIdCase{"SexDigit5", "510100198812310250", "510100198812310250",
                    absl::CivilDay(1988, 12, 31), Sex::kMale, "510100"},
        ValidIdCase{"SexDigit6", "510100198812310269", "510100198812310269",
                    absl::CivilDay(1988, 12, 31), Sex::kFemale, "510100"},
        ValidIdCase{"SexDigit7", "510100198812310277", "510100198812310277",
                    absl::CivilDay(1988, 12, 31), Sex::kMale, "510100"},
        ValidIdCase{"SexDigit8", "510100198812310285", "510100198812310285",
                    absl::CivilDay(1988, 12, 31), Sex::kFemale, "510100"},
        ValidIdCase{"SexDigit9", "510100198812310293", "510100198812310293",
                    absl::CivilDay(1988, 12, 31), Sex::kMale, "510100"}),
    [](const testing::TestParamInfo<ValidIdCase>& info) {
      return info.param.name;
    });

// ---------------------------------------------------------------------------
// National ID: invalid numbers. Each one with a bad date carries a correct
// check character, so it is the date rule (not the checksum) that rejects it.
// ---------------------------------------------------------------------------

struct InvalidIdCase {
  std::string name;
  std::string id;
  std::string message_part;  // expected in the error message
};

class InvalidNationalIdTest : public testing::TestWithParam<InvalidIdCase> {};

TEST_P(InvalidNationalIdTest, RejectedWithoutEchoingTheNumber) {
  const InvalidIdCase& c = GetParam();
  absl::StatusOr<NationalIdInfo> info = ParseNationalId(c.id, kToday);
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.status().code(), absl::StatusCode::kInvalidArgument);
  const std::string message(info.status().message());
  EXPECT_TRUE(absl::StrContains(message, c.message_part)) << message;
  // Personal data: neither the number nor its birth-date digits appear.
  if (!c.id.empty()) {
    EXPECT_FALSE(absl::StrContains(message, c.id)) << message;
  }
  if (c.id.size() >= 14) {
    EXPECT_FALSE(absl::StrContains(message, c.id.substr(0, 6))) << message;
    EXPECT_FALSE(absl::StrContains(message, c.id.substr(6, 8))) << message;
  }
}

INSTANTIATE_TEST_SUITE_P(
    NationalId, InvalidNationalIdTest,
    testing::Values(
        InvalidIdCase{"Empty", "", "18 characters"},
        InvalidIdCase{"Legacy15Digit", "110105491231002", "15-digit"},
        InvalidIdCase{"SeventeenChars", "11010519491231002", "18 characters"},
        InvalidIdCase{"NineteenChars", "11010519491231002X0", "18 characters"},
        InvalidIdCase{"LetterInBody", "1101051949123100AX", "digits"},
        InvalidIdCase{"SpaceInBody", "110105 9491231002X", "digits"},
        InvalidIdCase{"XInBody", "11010519491231X021", "digits"},
        InvalidIdCase{"BadLastChar", "11010519491231002Y", "digit or X"},
        InvalidIdCase{"WrongCheckDigitForX", "110105194912310021", "check"},
        InvalidIdCase{"WrongCheckDigit", "440306199211084565", "check"},
        InvalidIdCase{"WrongCheckXForDigit", "31010419850615123X", "check"},
        InvalidIdCase{"TransposedDigits", "310104198506152137", "check"},
        InvalidIdCase{"February30", "11010519900230001X", "real calendar"},
        InvalidIdCase{"February29NonLeap", "110105199702290019",
                      "real calendar"},
        InvalidIdCase{"February29In1900", "110105190002290017",
                      "real calendar"},
        InvalidIdCase{"Month13", "110105199013010018", "real calendar"},
        InvalidIdCase{"Month00", "110105199000000013", "real calendar"},
        InvalidIdCase{"Day00", "110105199001000015", "real calendar"},
        // Well-known sample with a valid check digit, but born in 1880.
        InvalidIdCase{"Born1880", "440524188001010014", "before 1900"},
        InvalidIdCase{"Born1899", "110105189912310015", "before 1900"},
        InvalidIdCase{"BornTomorrow", "330102202406160072", "future"},
        InvalidIdCase{"Born2030", "11010520300101001X", "future"}),
    [](const testing::TestParamInfo<InvalidIdCase>& info) {
      return info.param.name;
    });

TEST(NationalIdTest, TodayBoundaryMovesWithToday) {
  // Born 2024-06-16: in the future on 06-15, valid from 06-16.
  EXPECT_FALSE(ParseNationalId("330102202406160072", kToday).ok());
  EXPECT_TRUE(
      ParseNationalId("330102202406160072", absl::CivilDay(2024, 6, 16)).ok());
}

struct CheckCharCase {
  std::string first17;
  char expected;
};

class NationalIdCheckCharTest : public testing::TestWithParam<CheckCharCase> {};

TEST_P(NationalIdCheckCharTest, MatchesHandComputed) {
  EXPECT_EQ(NationalIdCheckChar(GetParam().first17), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    NationalId, NationalIdCheckCharTest,
    testing::Values(CheckCharCase{"11010519491231002", 'X'},
                    CheckCharCase{"44052418800101001", '4'},
                    CheckCharCase{"11010519000101001", 'X'},
                    CheckCharCase{"31010419850615123", '7'},
                    CheckCharCase{"51010019881231028", '5'},
                    CheckCharCase{"51010019881231068", '0'},
                    // Bad input never yields a valid
                    // check character.
                    CheckCharCase{"1101051949123100", '?'},
                    CheckCharCase{"1101051949123100A", '?'}));

// ---------------------------------------------------------------------------
// Unified social credit code.
// 91350100M000100Y43 checked by hand: values 9 1 3 5 0 1 0 0 M=21 0 0 0 1 0 0
// Y=30 4 with the weights give 1640; 1640 % 31 = 28; (31 - 28) % 31 = 3.
// ---------------------------------------------------------------------------

struct CreditCase {
  std::string name;
  std::string code;
  std::string normalized;  // empty when the code is invalid
};

class CreditCodeTest : public testing::TestWithParam<CreditCase> {};

TEST_P(CreditCodeTest, Parse) {
  const CreditCase& c = GetParam();
  absl::StatusOr<std::string> parsed = ParseCreditCode(c.code);
  if (c.normalized.empty()) {
    ASSERT_FALSE(parsed.ok()) << *parsed;
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  } else {
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(*parsed, c.normalized);
  }
}

INSTANTIATE_TEST_SUITE_P(
    CreditCode, CreditCodeTest,
    testing::Values(
        CreditCase{"KnownSample", "91350100M000100Y43", "91350100M000100Y43"},
        CreditCase{"AllDigitBodyCheckR", "91110000100000000R",
                   "91110000100000000R"},
        CreditCase{"CheckIsLetterT", "91440300708461136T",
                   "91440300708461136T"},
        CreditCase{"CheckIsLetterW", "12100000400000000W",
                   "12100000400000000W"},
        CreditCase{"CheckIsZero", "9111010810000000R0", "9111010810000000R0"},
        CreditCase{"CheckIsY", "5111000050000000UY", "5111000050000000UY"},
        CreditCase{"LowerCaseNormalised", "91350100m000100y43",
                   "91350100M000100Y43"},
        CreditCase{"Empty", "", ""},
        CreditCase{"SeventeenChars", "91350100M000100Y4", ""},
        CreditCase{"NineteenChars", "91350100M000100Y430", ""},
        CreditCase{"WrongCheck", "91350100M000100Y44", ""},
        CreditCase{"WrongCheckLetter", "91110000100000000T", ""},
        CreditCase{"TransposedChars", "91350100M001000Y43", ""},
        CreditCase{"LetterI", "91350100M000100I43", ""},
        CreditCase{"LetterO", "91350100MO00100Y43", ""},
        CreditCase{"LetterZ", "91350100M000100Z43", ""},
        CreditCase{"LetterS", "91350100MS00100Y43", ""},
        CreditCase{"LetterV", "91350100M000100V43", ""},
        CreditCase{"CheckCharI", "91350100M000100Y4I", ""},
        CreditCase{"Punctuation", "91350100M-00100Y43", ""},
        CreditCase{"Space", "91350100M000100Y4 ", ""},
        // Characters 3-8 must be digits even when the checksum is right:
        // "91A10000100000000" has check character '6' (computed separately).
        CreditCase{"LetterInDivisionCode", "91A100001000000006", ""}),
    [](const testing::TestParamInfo<CreditCase>& info) {
      return info.param.name;
    });

TEST(CreditCodeCheckCharTest, ComputesCheckCharacter) {
  EXPECT_EQ(CreditCodeCheckChar("91350100M000100Y4").value(), '3');
  EXPECT_EQ(CreditCodeCheckChar("91110000100000000").value(), 'R');
  EXPECT_EQ(CreditCodeCheckChar("91440300708461136").value(), 'T');
  EXPECT_EQ(CreditCodeCheckChar("9111010810000000R").value(), '0');
  EXPECT_EQ(CreditCodeCheckChar("91350100m000100y4").value(), '3');
}

TEST(CreditCodeCheckCharTest, RejectsBadInput) {
  EXPECT_EQ(CreditCodeCheckChar("").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CreditCodeCheckChar("91350100M000100Y").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CreditCodeCheckChar("91350100M000100Y43").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CreditCodeCheckChar("91350100M000100I4").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(CreditCodeCheckCharTest, LetterInDivisionCodeHasValidChecksum) {
  // Guards the LetterInDivisionCode case above: it fails for the division
  // code, not for the check character.
  EXPECT_EQ(CreditCodeCheckChar("91A10000100000000").value(), '6');
}

// ---------------------------------------------------------------------------
// Mobile numbers.
// ---------------------------------------------------------------------------

struct MobileCase {
  std::string mobile;
  bool valid;
};

class MobileTest : public testing::TestWithParam<MobileCase> {};

TEST_P(MobileTest, Validates) {
  EXPECT_EQ(IsValidMobile(GetParam().mobile), GetParam().valid)
      << GetParam().mobile;
}

INSTANTIATE_TEST_SUITE_P(
    Mobile, MobileTest,
    testing::Values(
        MobileCase{"13800138000", true}, MobileCase{"15912345678", true},
        MobileCase{"19999999999", true}, MobileCase{"14700000000", true},
        MobileCase{"12800138000", false}, MobileCase{"10800138000", false},
        MobileCase{"23800138000", false}, MobileCase{"1380013800", false},
        MobileCase{"138001380000", false}, MobileCase{"", false},
        MobileCase{"1380013800a", false}, MobileCase{"+8613800138000", false},
        MobileCase{"138 0013 800", false}, MobileCase{"138-0013-800", false}));

// ---------------------------------------------------------------------------
// Masking. Deliberately changed (issue 11, item 2): the mask used to keep
// the first 3 characters too ("110***********002X") and the input's length.
// ---------------------------------------------------------------------------

struct MaskCase {
  std::string input;
  std::string expected;
};

class MaskTest : public testing::TestWithParam<MaskCase> {};

TEST_P(MaskTest, Masks) {
  const std::string masked = MaskNationalId(GetParam().input);
  EXPECT_EQ(masked, GetParam().expected);
  if (!GetParam().input.empty()) {
    EXPECT_EQ(masked.size(), 18u);
  }
  // Idempotent: a value masked when stored may be masked again on output.
  EXPECT_EQ(MaskNationalId(masked), masked);
}

INSTANTIATE_TEST_SUITE_P(
    Mask, MaskTest,
    testing::Values(
        MaskCase{"11010519491231002X", "**************002X"},
        MaskCase{"440524188001010014", "**************0014"},
        // Other lengths (invalid IDs kept in payroll suspense) are masked to
        // 18 characters too: the length tells nothing.
        MaskCase{"110105491231002", "**************1002"},
        MaskCase{"1101051949123100201", "**************0201"},
        MaskCase{"12345678", "**************5678"},
        MaskCase{"1234567", "******************"},
        MaskCase{"1", "******************"}, MaskCase{"", ""},
        // A value masked under the old rule loses its region digits.
        MaskCase{"320***********008X", "**************008X"},
        // Only printable ASCII is shown: the result is always valid UTF-8.
        MaskCase{"32092419900101\xe5\xbc\xa0", "**************1***"},
        MaskCase{"3209241990010 \t\n", "**************0***"}));

TEST(MaskNationalIdTest, HidesRegionCodeAndBirthDate) {
  const std::string id = "32092419900101008X";
  const std::string masked = MaskNationalId(id);
  EXPECT_EQ(masked, "**************008X");
  EXPECT_EQ(masked.find("320924"), std::string::npos);
  EXPECT_EQ(masked.find("19900101"), std::string::npos);
  EXPECT_EQ(masked.find("320"), std::string::npos);
  EXPECT_EQ(masked.find_first_not_of('*'), 14u);
}

// Moved from awards' composition test, whose FemaleFromNationalId copy of
// this rule is gone.
TEST(SexFromNationalIdTest, SexDigitIsTheSeventeenthCharacter) {
  EXPECT_EQ(SexFromNationalId("320924199001010022"), Sex::kFemale);
  EXPECT_EQ(SexFromNationalId("320924199001010011"), Sex::kMale);
  // A masked ID keeps its last four characters, so the digit survives.
  EXPECT_EQ(SexFromNationalId("**************0042"), Sex::kFemale);
  EXPECT_EQ(SexFromNationalId("**************0032"), Sex::kMale);
  EXPECT_EQ(SexFromNationalId("short"), std::nullopt);
  EXPECT_EQ(SexFromNationalId("3209241990010100X2"), std::nullopt);
  EXPECT_EQ(SexFromNationalId(""), std::nullopt);
}

TEST(SexFromNationalIdTest, AgreesWithParseNationalId) {
  const absl::CivilDay today(2026, 1, 1);
  for (const char* first17 : {"11010519900307002", "11010119900307001",
                              "32092419900101001", "32092419900101002"}) {
    const std::string id = std::string(first17) + NationalIdCheckChar(first17);
    absl::StatusOr<NationalIdInfo> info = ParseNationalId(id, today);
    ASSERT_TRUE(info.ok()) << info.status();
    EXPECT_EQ(SexFromNationalId(id), info->sex) << first17;
  }
}

}  // namespace
}  // namespace unionhub::ids
