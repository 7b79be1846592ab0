// Validation of the identifiers people and employers carry: the resident
// national ID (GB 11643-1999), the unified social credit code
// (GB 32100-2015) and the mainland mobile number.
#ifndef UNIONHUB_COMMON_CORE_IDS_H_
#define UNIONHUB_COMMON_CORE_IDS_H_

#include <cstddef>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"

namespace unionhub::ids {

enum class Sex { kMale, kFemale };

struct NationalIdInfo {
  std::string normalized;  // upper-case 'X'
  absl::CivilDay birth_date;
  Sex sex;
  std::string region_code;  // first six digits
};

// Accepts exactly 18 characters: 17 digits and a mod 11-2 check character
// (0-9 or X, lower-case x accepted and normalised). The birth date (digits
// 7-14) must be a real date between 1900-01-01 and `today`; the 17th digit's
// parity gives the sex (odd = male). 15-digit legacy IDs are rejected: the
// real-name registry requires the 18-digit form. Errors are
// INVALID_ARGUMENT with a message saying what is wrong (never echoing the
// number itself, which is personal data).
absl::StatusOr<NationalIdInfo> ParseNationalId(absl::string_view id,
                                               absl::CivilDay today);

// The sex the 17th character of an 18-character national ID encodes (odd =
// male), the one rule ParseNationalId applies too. Nothing else is checked,
// so a masked ID ("**************0042", the last four shown) still tells
// it. nullopt for another length or a non-digit there.
std::optional<Sex> SexFromNationalId(absl::string_view id);

// The check character for the first 17 digits (used by fixtures/generators).
char NationalIdCheckChar(absl::string_view first17);

// 18 characters from the GB 32100 alphabet "0123456789ABCDEFGHJKLMNPQRTUWXY"
// (no I, O, Z, S, V), with the mod-31 check character last. Lower case is
// accepted and normalised. Returns the normalised code.
absl::StatusOr<std::string> ParseCreditCode(absl::string_view code);

// The check character for the first 17 characters of a credit code.
absl::StatusOr<char> CreditCodeCheckChar(absl::string_view first17);

// Mainland mobile: 11 digits starting with 1 and a second digit 3-9.
bool IsValidMobile(absl::string_view mobile);

// Length of every masked national ID, whatever the input's length.
inline constexpr size_t kMaskedNationalIdLength = 18;

// Masks a national ID for display to someone who may not read it in full:
// 14 '*' and the last 4 characters ("**************008X"). The region code
// (digits 1-6) and the birth date (digits 7-14) are never shown, and the
// length is always 18, so nothing is inferred from it. Inputs shorter than
// 8 characters (invalid ones, where 4 would be half of it) become 18 '*';
// "" stays "" (there is nothing to hide). Masking a masked value returns it
// unchanged, so a value masked when stored may be masked again on output.
std::string MaskNationalId(absl::string_view id);

}  // namespace unionhub::ids

#endif  // UNIONHUB_COMMON_CORE_IDS_H_
