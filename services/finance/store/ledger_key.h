// The process's ledger key: the HMAC key of the ledger's hash chain
// (domain/ledger.h), installed once at start-up (main, or a test fixture)
// from --ledger_hmac_key. It lives in the service's secrets, never in the
// database, so a database user who rewrites ledger rows cannot produce
// hashes or seals that verify.
#ifndef UNIONHUB_SERVICES_FINANCE_STORE_LEDGER_KEY_H_
#define UNIONHUB_SERVICES_FINANCE_STORE_LEDGER_KEY_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace unionhub::finance::store {

// The minimum key length in bytes (after base64 decoding).
inline constexpr size_t kMinLedgerKeyBytes = 32;

// Decodes `base64` and installs it; INVALID_ARGUMENT when it is not base64
// or shorter than kMinLedgerKeyBytes.
absl::Status InstallLedgerKeyBase64(absl::string_view base64);

// The installed raw key; "" when none is installed (then new entries and
// seals are written unkeyed, which only tests without a key rely on; the
// service refuses to start without one).
std::string LedgerKey();

// The hash version new entries and seals are written with.
int LedgerHashVersion();

}  // namespace unionhub::finance::store

#endif  // UNIONHUB_SERVICES_FINANCE_STORE_LEDGER_KEY_H_
