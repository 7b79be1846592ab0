// The identifiers people type into forms and CSV files: the resident
// national ID, the unified social credit code and the mobile number, plus
// the check-character helpers fixtures build IDs with.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "common/core/ids.h"
#include "tests/fuzz/fuzz_check.h"

namespace ids = ::unionhub::ids;

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

void NationalId(absl::string_view input) {
  absl::StatusOr<ids::NationalIdInfo> info =
      ids::ParseNationalId(input, unionhub::fuzz::kToday);
  if (!info.ok()) {
    FUZZ_CHECK(info.status().code() == absl::StatusCode::kInvalidArgument);
    // Personal data: the number is never echoed, not even in part.
    const absl::string_view head = input.substr(0, 6);
    if (head.size() == 6 && std::all_of(head.begin(), head.end(), IsDigit)) {
      FUZZ_CHECK(!absl::StrContains(info.status().message(), head));
    }
    return;
  }
  const std::string& id = info->normalized;
  FUZZ_CHECK(id.size() == 18);
  FUZZ_CHECK(id == absl::AsciiStrToUpper(input));
  for (size_t i = 0; i < 17; ++i) FUZZ_CHECK(IsDigit(id[i]));
  FUZZ_CHECK(ids::NationalIdCheckChar(id.substr(0, 17)) == id[17]);
  FUZZ_CHECK(info->region_code == id.substr(0, 6));
  FUZZ_CHECK(info->birth_date >= absl::CivilDay(1900, 1, 1));
  FUZZ_CHECK(info->birth_date <= unionhub::fuzz::kToday);
  FUZZ_CHECK(((id[16] - '0') % 2 == 1) == (info->sex == ids::Sex::kMale));
  // Normalising is idempotent.
  absl::StatusOr<ids::NationalIdInfo> again =
      ids::ParseNationalId(id, unionhub::fuzz::kToday);
  FUZZ_CHECK(again.ok() && again->normalized == id);
  // A mask hides something of every valid ID.
  const std::string masked = ids::MaskNationalId(id);
  FUZZ_CHECK(masked != id);
  FUZZ_CHECK(!absl::StrContains(masked, id.substr(0, 10)));
}

void CreditCode(absl::string_view input) {
  absl::StatusOr<std::string> code = ids::ParseCreditCode(input);
  if (!code.ok()) {
    FUZZ_CHECK(code.status().code() == absl::StatusCode::kInvalidArgument);
    return;
  }
  FUZZ_CHECK(code->size() == 18);
  FUZZ_CHECK(*code == absl::AsciiStrToUpper(input));
  absl::StatusOr<char> check = ids::CreditCodeCheckChar(code->substr(0, 17));
  FUZZ_CHECK(check.ok() && *check == (*code)[17]);
  absl::StatusOr<std::string> again = ids::ParseCreditCode(*code);
  FUZZ_CHECK(again.ok() && *again == *code);
}

void CheckChars(absl::string_view input) {
  // Any 17 bytes: a check character or the '?' that never validates.
  const absl::string_view first17 = input.substr(0, 17);
  const char c = ids::NationalIdCheckChar(first17);
  FUZZ_CHECK(c == '?' || IsDigit(c) || c == 'X');
  absl::StatusOr<char> credit = ids::CreditCodeCheckChar(first17);
  if (credit.ok()) {
    FUZZ_CHECK(
        absl::string_view("0123456789ABCDEFGHJKLMNPQRTUWXY").find(*credit) !=
        absl::string_view::npos);
  }
}

void Mobile(absl::string_view input) {
  if (!ids::IsValidMobile(input)) return;
  FUZZ_CHECK(input.size() == 11 && input[0] == '1');
  for (char c : input) FUZZ_CHECK(IsDigit(c));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  NationalId(input);
  CreditCode(input);
  CheckChars(input);
  Mobile(input);
  // Masking takes whatever a row carried, valid or not.
  FUZZ_CHECK(ids::MaskNationalId(input).size() <= input.size() + 18);
  return 0;
}
