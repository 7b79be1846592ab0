#include "common/core/ids.h"

#include <array>
#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"

namespace unionhub::ids {
namespace {

// GB 11643-1999: weights 2^(17-i) mod 11 for i = 0..16.
constexpr std::array<int, 17> kNationalIdWeights = {7, 9, 10, 5,  8, 4, 2, 1, 6,
                                                    3, 7, 9,  10, 5, 8, 4, 2};
constexpr char kNationalIdCheckChars[] = "10X98765432";

// GB 32100-2015: 31 characters, value = index; no I, O, Z, S, V.
constexpr absl::string_view kCreditAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
constexpr int kCreditRadix = 31;
constexpr std::array<int, 17> kCreditWeights = {
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool AllDigits(absl::string_view s) {
  for (char c : s) {
    if (!IsDigit(c)) return false;
  }
  return true;
}

int DigitsValue(absl::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

// Value of an (upper-case) credit-code character, or -1 if it is not in the
// alphabet.
int CreditValue(char c) {
  const size_t pos = kCreditAlphabet.find(c);
  return pos == absl::string_view::npos ? -1 : static_cast<int>(pos);
}

}  // namespace

// Returns '?' when `first17` is not exactly 17 ASCII digits: the header's
// signature has no way to report an error, and '?' can never be a valid check
// character, so any ID built from it fails validation.
char NationalIdCheckChar(absl::string_view first17) {
  if (first17.size() != kNationalIdWeights.size() || !AllDigits(first17)) {
    return '?';
  }
  int sum = 0;
  for (size_t i = 0; i < kNationalIdWeights.size(); ++i) {
    sum += (first17[i] - '0') * kNationalIdWeights[i];
  }
  return kNationalIdCheckChars[sum % 11];
}

std::optional<Sex> SexFromNationalId(absl::string_view id) {
  if (id.size() != 18 || !absl::ascii_isdigit(id[16])) return std::nullopt;
  return (id[16] - '0') % 2 == 1 ? Sex::kMale : Sex::kFemale;
}

absl::StatusOr<NationalIdInfo> ParseNationalId(absl::string_view id,
                                               absl::CivilDay today) {
  // Messages never include the ID or any part of it (personal data).
  if (id.size() == 15) {
    return absl::InvalidArgumentError(
        "national ID: 15-digit legacy IDs are not accepted; the 18-character "
        "form is required");
  }
  if (id.size() != 18) {
    return absl::InvalidArgumentError(
        "national ID: must be exactly 18 characters");
  }
  const absl::string_view first17 = id.substr(0, 17);
  if (!AllDigits(first17)) {
    return absl::InvalidArgumentError(
        "national ID: the first 17 characters must be digits");
  }
  const char last = absl::ascii_toupper(static_cast<unsigned char>(id[17]));
  if (!IsDigit(last) && last != 'X') {
    return absl::InvalidArgumentError(
        "national ID: the last character must be a digit or X");
  }
  if (last != NationalIdCheckChar(first17)) {
    return absl::InvalidArgumentError(
        "national ID: check character does not match (mistyped number?)");
  }

  const int year = DigitsValue(id.substr(6, 4));
  const int month = DigitsValue(id.substr(10, 2));
  const int day = DigitsValue(id.substr(12, 2));
  // CivilDay normalises out-of-range fields (Feb 30 -> Mar 2, month 13 ->
  // January of the next year), so a real date is one that survives the
  // round trip unchanged.
  const absl::CivilDay birth(year, month, day);
  if (birth.year() != year || birth.month() != month || birth.day() != day) {
    return absl::InvalidArgumentError(
        "national ID: the birth date is not a real calendar date");
  }
  if (birth < absl::CivilDay(1900, 1, 1)) {
    return absl::InvalidArgumentError(
        "national ID: the birth date is before 1900-01-01");
  }
  if (birth > today) {
    return absl::InvalidArgumentError(
        "national ID: the birth date is in the future");
  }

  NationalIdInfo info;
  info.normalized = std::string(first17);
  info.normalized.push_back(last);
  info.birth_date = birth;
  info.sex = *SexFromNationalId(id);
  info.region_code = std::string(id.substr(0, 6));
  return info;
}

// Accepts lower case (normalised to upper case) like ParseCreditCode. Only
// the alphabet is checked here; the digit-only administrative division code
// (positions 3-8) is checked by ParseCreditCode.
absl::StatusOr<char> CreditCodeCheckChar(absl::string_view first17) {
  if (first17.size() != kCreditWeights.size()) {
    return absl::InvalidArgumentError(
        "credit code: expected exactly 17 characters before the check "
        "character");
  }
  int sum = 0;
  for (size_t i = 0; i < kCreditWeights.size(); ++i) {
    const int v = CreditValue(
        absl::ascii_toupper(static_cast<unsigned char>(first17[i])));
    if (v < 0) {
      return absl::InvalidArgumentError(
          "credit code: contains a character outside the GB 32100 alphabet "
          "(0-9 and A-Y without I, O, Z, S, V)");
    }
    sum += v * kCreditWeights[i];
  }
  return kCreditAlphabet[(kCreditRadix - sum % kCreditRadix) % kCreditRadix];
}

absl::StatusOr<std::string> ParseCreditCode(absl::string_view code) {
  if (code.size() != 18) {
    return absl::InvalidArgumentError(
        "credit code: must be exactly 18 characters");
  }
  std::string normalized(code);
  absl::AsciiStrToUpper(&normalized);
  for (char c : normalized) {
    if (CreditValue(c) < 0) {
      return absl::InvalidArgumentError(
          "credit code: contains a character outside the GB 32100 alphabet "
          "(0-9 and A-Y without I, O, Z, S, V)");
    }
  }
  if (!AllDigits(absl::string_view(normalized).substr(2, 6))) {
    return absl::InvalidArgumentError(
        "credit code: characters 3-8 (administrative division code) must be "
        "digits");
  }
  absl::StatusOr<char> check =
      CreditCodeCheckChar(absl::string_view(normalized).substr(0, 17));
  if (!check.ok()) return check.status();
  if (*check != normalized[17]) {
    return absl::InvalidArgumentError(
        "credit code: check character does not match (mistyped code?)");
  }
  return normalized;
}

bool IsValidMobile(absl::string_view mobile) {
  return mobile.size() == 11 && mobile[0] == '1' && mobile[1] >= '3' &&
         mobile[1] <= '9' && AllDigits(mobile);
}

// Only the last four are kept: with the first three (the province and
// city of the region code) and the birth date returned beside the mask,
// three hidden digits were guessed back from the org's region code.
// A character of the last four that is not printable ASCII is masked too,
// so the result is always ASCII (a proto string must be valid UTF-8, and
// an invalid ID from a payroll file may end mid-character).
std::string MaskNationalId(absl::string_view id) {
  if (id.empty()) return "";
  std::string masked(kMaskedNationalIdLength, '*');
  if (id.size() < 8) return masked;
  const absl::string_view tail = id.substr(id.size() - 4);
  for (size_t i = 0; i < tail.size(); ++i) {
    const char c = tail[i];
    if (c > ' ' && c < 0x7f) masked[kMaskedNationalIdLength - 4 + i] = c;
  }
  return masked;
}

}  // namespace unionhub::ids
