#include "services/finance/store/ledger_key.h"

#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "services/finance/domain/ledger.h"

namespace unionhub::finance::store {
namespace {

struct KeyHolder {
  absl::Mutex mu;
  std::string key ABSL_GUARDED_BY(mu);
};

KeyHolder& Holder() {
  static KeyHolder* holder = new KeyHolder;
  return *holder;
}

}  // namespace

absl::Status InstallLedgerKeyBase64(absl::string_view base64) {
  std::string raw;
  if (!absl::Base64Unescape(base64, &raw)) {
    return absl::InvalidArgumentError("ledger_hmac_key is not base64");
  }
  if (raw.size() < kMinLedgerKeyBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("ledger_hmac_key must decode to at least ",
                     kMinLedgerKeyBytes, " bytes"));
  }
  KeyHolder& holder = Holder();
  absl::MutexLock lock(&holder.mu);
  holder.key = std::move(raw);
  return absl::OkStatus();
}

std::string LedgerKey() {
  KeyHolder& holder = Holder();
  absl::MutexLock lock(&holder.mu);
  return holder.key;
}

int LedgerHashVersion() {
  return LedgerKey().empty() ? domain::kHashUnkeyed : domain::kHashKeyed;
}

}  // namespace unionhub::finance::store
