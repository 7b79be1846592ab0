#include "bench/synthetic.h"

#include <cstdlib>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "common/core/ids.h"
#include "common/crypto/pii_global.h"

namespace unionhub::bench {

namespace {
constexpr int64_t kBirthDays = 12000;  // from 1965-01-01, about 33 years

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? "" : value;
}
}  // namespace

std::string NationalIdFor(int64_t i) {
  const absl::CivilDay birth = absl::CivilDay(1965, 1, 1) + i % kBirthDays;
  const int64_t sequence = (i / kBirthDays) % 1000;
  const std::string first17 =
      absl::StrFormat("320102%04d%02d%02d%03d", birth.year(), birth.month(),
                      birth.day(), sequence);
  return absl::StrCat(first17,
                      std::string(1, ids::NationalIdCheckChar(first17)));
}

std::string MobileFor(int64_t i) {
  return absl::StrFormat("138%08d", i % 100000000);
}

absl::Status InstallPiiFromEnvironment() {
  int active = 0;
  if (!absl::SimpleAtoi(Env("UNIONHUB_PII_ACTIVE_KEY_ID"), &active)) {
    return absl::InvalidArgumentError(
        "UNIONHUB_PII_ACTIVE_KEY_ID is not set (scripts/pki.sh "
        "export_service_security sets the personal-data keys)");
  }
  absl::StatusOr<crypto::PiiProtector> pii = crypto::PiiProtector::FromConfig(
      Env("UNIONHUB_PII_KEYS"), active, Env("UNIONHUB_PII_HMAC_KEY"));
  if (!pii.ok()) return pii.status();
  crypto::InstallPii(*pii);
  return absl::OkStatus();
}

}  // namespace unionhub::bench
