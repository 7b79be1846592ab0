// The process's PiiProtector: configuration installed once at start-up
// (main, or a test fixture) and read where personal data is stored.
#ifndef UNIONHUB_COMMON_CRYPTO_PII_GLOBAL_H_
#define UNIONHUB_COMMON_CRYPTO_PII_GLOBAL_H_

#include "absl/strings/string_view.h"
#include "common/crypto/pii.h"

namespace unionhub::crypto {

// Replaces the installed protector (tests install one per process).
void InstallPii(const PiiProtector& protector);

// The installed protector; aborts when none is installed, because storing
// personal data unprotected is never the right fallback.
const PiiProtector& Pii();

// Contexts bound into ciphertexts and keyed hashes.
inline constexpr absl::string_view kNationalIdContext = "national_id";
inline constexpr absl::string_view kStoredResponseContext = "stored_response";

}  // namespace unionhub::crypto

#endif  // UNIONHUB_COMMON_CRYPTO_PII_GLOBAL_H_
