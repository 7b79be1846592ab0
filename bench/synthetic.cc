#include "bench/synthetic.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "common/core/ids.h"

namespace unionhub::bench {

namespace {
constexpr int64_t kBirthDays = 12000;  // from 1965-01-01, about 33 years
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

}  // namespace unionhub::bench
