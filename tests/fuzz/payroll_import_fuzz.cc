// ImportPayrollDeductions' per-message work before the database is asked,
// on the client stream (stream_input.h): the header checks, and for every
// row what the import's Examine step does (national ID or card, month,
// amount bounds, the keyed hash and the mask kept of the ID) and the
// truncation of what a parked row stores (text::Prefix). Examine and
// MaskInvalid were mirrored from the handler's file-local functions, which
// are now ExaminePayrollRow and MaskInvalid in
// services/finance/payroll_batch.cc; the functions they call are the real
// ones.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "common/core/dates.h"
#include "common/core/ids.h"
#include "common/core/text.h"
#include "common/core/violations.h"
#include "common/crypto/pii_global.h"
#include "common/rpc/violations.h"
#include "services/finance/dues_payments.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/stream_input.h"
#include "unionhub/finance/v1/finance.pb.h"

namespace v1 = ::unionhub::finance::v1;
namespace ids = ::unionhub::ids;
namespace crypto = ::unionhub::crypto;
namespace dates = ::unionhub::dates;
using unionhub::Violations;
using unionhub::finance::kMaxDuesPaymentFen;
using unionhub::text::CharCount;
using unionhub::text::Prefix;

namespace {

bool ValidUtf8(absl::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    const size_t len = b < 0x80         ? 1
                       : (b >> 5) == 6  ? 2
                       : (b >> 4) == 14 ? 3
                       : (b >> 3) == 30 ? 4
                                        : 0;
    if (len == 0 || i + len > s.size()) return false;
    for (size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += len;
  }
  return true;
}

// What a parked row stores of a text (VARCHAR(n) of characters).
std::string Stored(absl::string_view text, size_t max_chars) {
  const std::string out = Prefix(text, max_chars);
  FUZZ_CHECK(absl::StartsWith(text, out));
  FUZZ_CHECK(CharCount(out) == std::min(max_chars, CharCount(text)));
  if (ValidUtf8(text)) FUZZ_CHECK(ValidUtf8(out));
  return out;
}

void InstallFixedPii() {
  static const bool installed = [] {
    // 32 bytes each, base64; fixed so a crash file reproduces.
    absl::StatusOr<crypto::PiiProtector> protector =
        crypto::PiiProtector::FromConfig(
            "1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", 1,
            "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=");
    FUZZ_CHECK(protector.ok());
    crypto::InstallPii(*protector);
    return true;
  }();
  (void)installed;
}

// payroll_batch.cc: MaskInvalid.
std::string MaskInvalid(absl::string_view raw) {
  if (raw.size() > 18) return "";
  for (char c : raw) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c))) return "";
  }
  return ids::MaskNationalId(absl::AsciiStrToUpper(raw));
}

// payroll_batch.cc: ExaminePayrollRow, then what ApplyPayrollBatch stores of a
// row it parks.
void Row(const v1::PayrollRow& in) {
  std::vector<std::string> problems;
  std::string index, masked;
  const absl::string_view national_id =
      absl::StripAsciiWhitespace(in.national_id());
  const std::string card =
      absl::AsciiStrToUpper(absl::StripAsciiWhitespace(in.card_number()));
  if (!national_id.empty()) {
    absl::StatusOr<ids::NationalIdInfo> parsed =
        ids::ParseNationalId(national_id, unionhub::fuzz::kToday);
    if (parsed.ok()) {
      index =
          crypto::Pii().Index(parsed->normalized, crypto::kNationalIdContext);
      FUZZ_CHECK(index.size() == 32);
      masked = ids::MaskNationalId(parsed->normalized);
      FUZZ_CHECK(masked != parsed->normalized);
      // The stored ciphertext opens to the normalised ID, nothing else.
      const std::string sealed =
          crypto::Pii().Seal(parsed->normalized, crypto::kNationalIdContext);
      absl::StatusOr<std::string> opened =
          crypto::Pii().Open(sealed, crypto::kNationalIdContext);
      FUZZ_CHECK(opened.ok() && *opened == parsed->normalized);
      FUZZ_CHECK(!crypto::Pii().Open(sealed, "another column").ok());
    } else {
      masked = MaskInvalid(national_id);
      problems.push_back(
          absl::StrCat("invalid national_id: ", parsed.status().message()));
    }
    // Whatever is kept of the ID hides its middle.
    if (national_id.size() >= 8) {
      FUZZ_CHECK(!absl::StrContains(masked, national_id));
    }
  } else if (card.empty()) {
    problems.push_back("neither national_id nor card_number is given");
  }
  absl::StatusOr<absl::CivilMonth> month =
      dates::ParseMonth(absl::StripAsciiWhitespace(in.month()));
  if (month.ok()) {
    FUZZ_CHECK(dates::FormatMonth(*month) ==
               absl::StripAsciiWhitespace(in.month()));
    FUZZ_CHECK(dates::LastDayOfMonth(*month) >=
               absl::CivilDay(month->year(), month->month(), 1));
  } else {
    problems.push_back("month must be YYYY-MM");
  }
  if (in.amount_fen() <= 0) {
    problems.push_back("amount_fen must be > 0");
  } else if (in.amount_fen() > kMaxDuesPaymentFen) {
    problems.push_back("amount_fen is implausibly large for member dues");
  }
  const std::string reason = absl::StrJoin(problems, "; ");
  // Personal data never reaches the stored reason. Only IDs with 8+ digits
  // are looked for: a short or wordy "ID" can be a piece of a fixed message.
  if (std::count_if(national_id.begin(), national_id.end(),
                    absl::ascii_isdigit) >= 8) {
    FUZZ_CHECK(!absl::StrContains(reason, national_id));
  }
  Stored(card, 32);
  Stored(in.name(), 64);
  Stored(in.month(), 16);
  Stored(reason, 256);
}

// The handler's header checks; true when the stream may go on.
bool Header(const v1::PayrollHeader& header) {
  Violations violations;
  unionhub::rpc::CheckRequestId(header.request_id(), violations,
                                "header.request_id");
  if (header.employer_id() <= 0) {
    violations.Add("header.employer_id", "must be > 0");
  }
  if (header.org_id() < 0) {
    violations.Add("header.org_id",
                   "must be >= 0 (0: the employer's union, else its area)");
  }
  const absl::CivilDay paid_on = unionhub::finance::PaidOnOrToday(
      header.paid_on(), "header.paid_on", dates::TodayInChina(), violations);
  FUZZ_CHECK(!dates::FormatDate(paid_on).empty());
  if (CharCount(header.reference()) > 128) {
    violations.Add("header.reference", "must be at most 128 characters");
  }
  absl::Status status = violations.ToStatus();
  FUZZ_CHECK(status.ok() == violations.empty());
  return status.ok();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  InstallFixedPii();
  bool first = true;
  bool refused = false;
  unionhub::fuzz::ForEachMessage<v1::ImportPayrollDeductionsRequest>(
      data, size, [&](const v1::ImportPayrollDeductionsRequest& message) {
        if (refused) return;
        if (first) {
          first = false;
          refused = !message.has_header() || !Header(message.header());
          return;
        }
        // A second header ends the stream with INVALID_ARGUMENT.
        if (!message.has_row()) {
          refused = true;
          return;
        }
        Row(message.row());
      });
  return 0;
}
