// The benchmark's synthetic people: member i (1-based) of a loaded data set
// has a fixed, valid national ID, so the loader (which writes it) and the
// load client (which looks it up, imports payroll for it, and joins new
// people after the last loaded one) agree without sharing any state.
#ifndef UNIONHUB_BENCH_SYNTHETIC_H_
#define UNIONHUB_BENCH_SYNTHETIC_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"

namespace unionhub::bench {

// 18 characters with a correct GB 11643 check character: region 320102,
// a birth date between 1965 and 1997, and a sequence number; distinct for
// every i below 12,000,000.
std::string NationalIdFor(int64_t i);

// "138" and eight digits.
std::string MobileFor(int64_t i);

// Installs the personal-data keys the services read from the environment
// (UNIONHUB_PII_KEYS, UNIONHUB_PII_ACTIVE_KEY_ID, UNIONHUB_PII_HMAC_KEY, as
// scripts/pki.sh export_service_security sets them), so the bench's
// national-ID hashes and sealed values are the services' own.
absl::Status InstallPiiFromEnvironment();

}  // namespace unionhub::bench

#endif  // UNIONHUB_BENCH_SYNTHETIC_H_
