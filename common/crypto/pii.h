// Protection of personal data at rest: national ID numbers are stored
// encrypted (AES-256-GCM, with the key id in the ciphertext so keys can be
// rotated) and found through a keyed hash (HMAC-SHA256) that reveals
// nothing without the key.
#ifndef UNIONHUB_COMMON_CRYPTO_PII_H_
#define UNIONHUB_COMMON_CRYPTO_PII_H_

#include <cstdint>
#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace unionhub::crypto {

class PiiProtector {
 public:
  // `keys`: key id (1..255) -> 32 raw bytes; `active_key_id` encrypts new
  // data; every listed key can decrypt. `hmac_key`: >= 32 raw bytes.
  // INVALID_ARGUMENT on wrong sizes or an active id not in `keys`.
  static absl::StatusOr<PiiProtector> Create(std::map<int, std::string> keys,
                                             int active_key_id,
                                             std::string hmac_key);

  // Parses the configuration strings used in flags and environment:
  //   keys: "1:BASE64KEY,2:BASE64KEY" (standard base64 of 32 bytes each)
  //   active: the id to encrypt with
  //   hmac: base64 of >= 32 bytes
  static absl::StatusOr<PiiProtector> FromConfig(absl::string_view keys,
                                                 int active_key_id,
                                                 absl::string_view hmac_key);

  // Binary: 1 byte version (1), 1 byte key id, 12 bytes random nonce,
  // ciphertext, 16 bytes tag. `context` is bound as additional data (e.g.
  // "members.national_id") so a value cannot be moved to another column.
  std::string Seal(absl::string_view plaintext,
                   absl::string_view context) const;
  // DATA_LOSS when the value was altered or the key id is unknown.
  absl::StatusOr<std::string> Open(absl::string_view sealed,
                                   absl::string_view context) const;

  // HMAC-SHA256(hmac_key, context || 0x00 || value): 32 raw bytes, the
  // lookup key for equality search.
  std::string Index(absl::string_view value, absl::string_view context) const;

  int active_key_id() const { return active_key_id_; }

 private:
  PiiProtector() = default;
  std::map<int, std::string> keys_;
  int active_key_id_ = 0;
  std::string hmac_key_;
};

// 32 random bytes, base64: for generating development keys.
std::string NewKeyBase64();

}  // namespace unionhub::crypto

#endif  // UNIONHUB_COMMON_CRYPTO_PII_H_
