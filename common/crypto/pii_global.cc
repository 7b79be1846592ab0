#include "common/crypto/pii_global.h"

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>

namespace unionhub::crypto {
namespace {

std::mutex mu;
std::shared_ptr<const PiiProtector>& Slot() {
  static auto* slot = new std::shared_ptr<const PiiProtector>();
  return *slot;
}

}  // namespace

void InstallPii(const PiiProtector& protector) {
  std::lock_guard<std::mutex> lock(mu);
  Slot() = std::make_shared<const PiiProtector>(protector);
}

const PiiProtector& Pii() {
  std::lock_guard<std::mutex> lock(mu);
  if (!Slot()) {
    std::fprintf(stderr,
                 "no personal-data keys installed (configure --pii_keys, "
                 "--pii_active_key_id and --pii_hmac_key)\n");
    std::abort();
  }
  return *Slot();
}

}  // namespace unionhub::crypto
