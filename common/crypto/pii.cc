#include "common/crypto/pii.h"

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <memory>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/core/log.h"

namespace unionhub::crypto {
namespace {

// Sealed layout: [version][key id][nonce][ciphertext][tag].
constexpr unsigned char kVersion = 1;
constexpr size_t kKeySize = 32;  // AES-256.
constexpr size_t kNonceSize = 12;
constexpr size_t kTagSize = 16;
constexpr size_t kHeaderSize = 2 + kNonceSize;
constexpr size_t kMinSealedSize = kHeaderSize + kTagSize;  // 30
constexpr size_t kMinHmacKeySize = 32;
constexpr int kMinKeyId = 1;
constexpr int kMaxKeyId = 255;
// The EVP cipher functions take `int` lengths; larger inputs are fed in
// pieces of at most this size.
constexpr size_t kMaxChunk = size_t{1} << 30;

static_assert(kMinSealedSize == 30, "layout documented in pii.h");

struct CipherCtxDeleter {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxDeleter>;

struct MacDeleter {
  void operator()(EVP_MAC* mac) const { EVP_MAC_free(mac); }
};
struct MacCtxDeleter {
  void operator()(EVP_MAC_CTX* ctx) const { EVP_MAC_CTX_free(ctx); }
};

const unsigned char* Bytes(absl::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}
unsigned char* Bytes(std::string& s) {
  return reinterpret_cast<unsigned char*>(&s[0]);
}

// The oldest queued OpenSSL error as text (no data, only library reasons),
// and clears the queue.
std::string OpenSslError() {
  unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "no OpenSSL error queued";
  char buf[256];
  ERR_error_string_n(code, buf, sizeof(buf));
  return buf;
}

// Used where an OpenSSL call can only fail if the library itself is broken
// (allocation failure, no AES-GCM/HMAC/SHA-256 provider, no entropy source):
// the inputs are always valid (32-byte key, 12-byte nonce, lengths in
// range). Seal, Index and NewKeyBase64 return plain strings because callers
// cannot do anything useful with such a failure, and continuing would be
// worse than stopping: returning an empty or unencrypted value could store
// personal data in clear, and a predictable nonce would break AES-GCM. So
// the process stops with a clear message and the supervisor restarts it.
[[noreturn]] void Fatal(absl::string_view what) {
  log::Error("crypto library failure, aborting",
             {{"call", std::string(what)}, {"openssl_error", OpenSslError()}});
  std::abort();
}

void Check(int ok, absl::string_view what) {
  if (ok != 1) Fatal(what);
}

// Feeds `data` as additional authenticated data (out == nullptr) or as
// text to encrypt/decrypt into `out`. Returns false on an OpenSSL failure.
// `update` is EVP_EncryptUpdate or EVP_DecryptUpdate.
using UpdateFn = int (*)(EVP_CIPHER_CTX*, unsigned char*, int*,
                         const unsigned char*, int);
bool Feed(EVP_CIPHER_CTX* ctx, UpdateFn update, absl::string_view data,
          unsigned char* out, size_t* written) {
  size_t done = 0;
  while (done < data.size()) {
    const size_t n = std::min(kMaxChunk, data.size() - done);
    int outl = 0;
    if (update(ctx, out == nullptr ? nullptr : out + *written, &outl,
               Bytes(data.substr(done, n)), static_cast<int>(n)) != 1) {
      return false;
    }
    if (out != nullptr) *written += static_cast<size_t>(outl);
    done += n;
  }
  return true;
}

void RandomBytes(unsigned char* out, size_t n) {
  // RAND_bytes takes an int; the callers ask for a few bytes only.
  Check(RAND_bytes(out, static_cast<int>(n)), "RAND_bytes");
}

absl::Status ValidateKeyId(int id) {
  if (id < kMinKeyId || id > kMaxKeyId) {
    return absl::InvalidArgumentError(
        absl::StrCat("PII key id ", id, " out of range 1..255"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<PiiProtector> PiiProtector::Create(
    std::map<int, std::string> keys, int active_key_id, std::string hmac_key) {
  if (keys.empty()) {
    return absl::InvalidArgumentError("no PII encryption keys");
  }
  for (const auto& [id, key] : keys) {
    if (absl::Status s = ValidateKeyId(id); !s.ok()) return s;
    if (key.size() != kKeySize) {
      return absl::InvalidArgumentError(
          absl::StrCat("PII key ", id, " must be 32 bytes, got ", key.size()));
    }
  }
  if (absl::Status s = ValidateKeyId(active_key_id); !s.ok()) return s;
  if (keys.find(active_key_id) == keys.end()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "active PII key id ", active_key_id, " is not among the keys"));
  }
  if (hmac_key.size() < kMinHmacKeySize) {
    return absl::InvalidArgumentError(absl::StrCat(
        "PII HMAC key must be at least 32 bytes, got ", hmac_key.size()));
  }
  PiiProtector p;
  p.keys_ = std::move(keys);
  p.active_key_id_ = active_key_id;
  p.hmac_key_ = std::move(hmac_key);
  return p;
}

absl::StatusOr<PiiProtector> PiiProtector::FromConfig(
    absl::string_view keys, int active_key_id, absl::string_view hmac_key) {
  std::map<int, std::string> parsed;
  // Items are numbered (1-based) in messages: the text of an item may
  // contain key material and is never echoed.
  int item_number = 0;
  for (absl::string_view item : absl::StrSplit(keys, ',')) {
    ++item_number;
    item = absl::StripAsciiWhitespace(item);
    if (item.empty()) {
      if (keys.find_first_not_of(" \t\r\n") == absl::string_view::npos) {
        return absl::InvalidArgumentError("no PII encryption keys");
      }
      return absl::InvalidArgumentError(
          absl::StrCat("PII keys: item ", item_number, " is empty"));
    }
    const size_t colon = item.find(':');
    if (colon == absl::string_view::npos) {
      return absl::InvalidArgumentError(absl::StrCat(
          "PII keys: item ", item_number, " is not of the form ID:BASE64"));
    }
    const absl::string_view id_text =
        absl::StripAsciiWhitespace(item.substr(0, colon));
    const absl::string_view b64 =
        absl::StripAsciiWhitespace(item.substr(colon + 1));
    int id = 0;
    if (id_text.empty() ||
        id_text.find_first_not_of("0123456789") != absl::string_view::npos ||
        !absl::SimpleAtoi(id_text, &id)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "PII keys: item ", item_number, " has an invalid key id"));
    }
    if (absl::Status s = ValidateKeyId(id); !s.ok()) return s;
    if (parsed.count(id) != 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("PII keys: key id ", id, " appears more than once"));
    }
    std::string raw;
    if (b64.empty() || !absl::Base64Unescape(b64, &raw)) {
      return absl::InvalidArgumentError(
          absl::StrCat("PII key ", id, " is not valid base64"));
    }
    parsed.emplace(id, std::move(raw));
  }
  std::string hmac_raw;
  const absl::string_view hmac_b64 = absl::StripAsciiWhitespace(hmac_key);
  if (hmac_b64.empty() || !absl::Base64Unescape(hmac_b64, &hmac_raw)) {
    return absl::InvalidArgumentError("PII HMAC key is not valid base64");
  }
  return Create(std::move(parsed), active_key_id, std::move(hmac_raw));
}

std::string PiiProtector::Seal(absl::string_view plaintext,
                               absl::string_view context) const {
  // Create guarantees the active key exists, is 32 bytes and its id fits
  // in one byte.
  const std::string& key = keys_.at(active_key_id_);

  std::string out(kHeaderSize + plaintext.size() + kTagSize, '\0');
  unsigned char* p = Bytes(out);
  p[0] = kVersion;
  p[1] = static_cast<unsigned char>(active_key_id_);
  unsigned char* nonce = p + 2;
  RandomBytes(nonce, kNonceSize);

  // Any failure below means OpenSSL is broken, not that the input is bad;
  // see Fatal() for why this aborts instead of returning an error.
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  if (ctx == nullptr) Fatal("EVP_CIPHER_CTX_new");
  Check(EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr,
                           nullptr),
        "EVP_EncryptInit_ex(aes-256-gcm)");
  Check(EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN,
                            static_cast<int>(kNonceSize), nullptr),
        "EVP_CTRL_GCM_SET_IVLEN");
  Check(EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, Bytes(key), nonce),
        "EVP_EncryptInit_ex(key, nonce)");
  if (!Feed(ctx.get(), EVP_EncryptUpdate, context, nullptr, nullptr)) {
    Fatal("EVP_EncryptUpdate(aad)");
  }
  size_t written = 0;
  unsigned char* ciphertext = p + kHeaderSize;
  if (!Feed(ctx.get(), EVP_EncryptUpdate, plaintext, ciphertext, &written)) {
    Fatal("EVP_EncryptUpdate");
  }
  int final_len = 0;
  Check(EVP_EncryptFinal_ex(ctx.get(), ciphertext + written, &final_len),
        "EVP_EncryptFinal_ex");
  written += static_cast<size_t>(final_len);
  // GCM is a stream mode: the ciphertext is exactly as long as the text.
  if (written != plaintext.size()) Fatal("AES-GCM output length");
  Check(EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG,
                            static_cast<int>(kTagSize), ciphertext + written),
        "EVP_CTRL_GCM_GET_TAG");
  return out;
}

absl::StatusOr<std::string> PiiProtector::Open(
    absl::string_view sealed, absl::string_view context) const {
  // Messages never include the value, only what is wrong with it.
  if (sealed.size() < kMinSealedSize) {
    return absl::DataLossError("sealed PII value is too short");
  }
  const unsigned char* p = Bytes(sealed);
  if (p[0] != kVersion) {
    return absl::DataLossError(absl::StrCat(
        "sealed PII value has unknown version ", static_cast<int>(p[0])));
  }
  const int key_id = p[1];
  auto key_it = keys_.find(key_id);
  if (key_it == keys_.end()) {
    return absl::DataLossError(
        absl::StrCat("sealed PII value uses unknown key id ", key_id));
  }
  const std::string& key = key_it->second;
  const unsigned char* nonce = p + 2;
  const absl::string_view ciphertext =
      sealed.substr(kHeaderSize, sealed.size() - kMinSealedSize);
  const absl::string_view tag = sealed.substr(sealed.size() - kTagSize);

  // Setup failures here are library failures, not bad data: report them as
  // INTERNAL (this function can return an error, unlike Seal).
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  if (ctx == nullptr ||
      EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr,
                         nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN,
                          static_cast<int>(kNonceSize), nullptr) != 1 ||
      EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, Bytes(key), nonce) != 1 ||
      !Feed(ctx.get(), EVP_DecryptUpdate, context, nullptr, nullptr)) {
    return absl::InternalError(
        absl::StrCat("AES-GCM setup failed: ", OpenSslError()));
  }
  std::string plaintext(ciphertext.size(), '\0');
  size_t written = 0;
  if (!Feed(ctx.get(), EVP_DecryptUpdate, ciphertext, Bytes(plaintext),
            &written)) {
    return absl::InternalError(
        absl::StrCat("AES-GCM decrypt failed: ", OpenSslError()));
  }
  // The tag is only read by OpenSSL, but the ctrl takes a non-const pointer.
  unsigned char tag_copy[kTagSize];
  std::copy(tag.begin(), tag.end(), tag_copy);
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG,
                          static_cast<int>(kTagSize), tag_copy) != 1) {
    return absl::InternalError(
        absl::StrCat("AES-GCM set tag failed: ", OpenSslError()));
  }
  int final_len = 0;
  if (EVP_DecryptFinal_ex(ctx.get(), Bytes(plaintext) + written, &final_len) !=
      1) {
    // Tag mismatch: altered value, wrong context, or wrong key. The
    // unauthenticated plaintext is discarded.
    ERR_clear_error();
    return absl::DataLossError("sealed PII value failed authentication");
  }
  written += static_cast<size_t>(final_len);
  plaintext.resize(written);
  return plaintext;
}

std::string PiiProtector::Index(absl::string_view value,
                                absl::string_view context) const {
  // Failures here mean OpenSSL is broken (see Fatal()).
  std::unique_ptr<EVP_MAC, MacDeleter> mac(
      EVP_MAC_fetch(nullptr, OSSL_MAC_NAME_HMAC, nullptr));
  if (mac == nullptr) Fatal("EVP_MAC_fetch(HMAC)");
  std::unique_ptr<EVP_MAC_CTX, MacCtxDeleter> ctx(EVP_MAC_CTX_new(mac.get()));
  if (ctx == nullptr) Fatal("EVP_MAC_CTX_new");
  char digest[] = "SHA256";
  const OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
      OSSL_PARAM_construct_end(),
  };
  Check(EVP_MAC_init(ctx.get(), Bytes(hmac_key_), hmac_key_.size(), params),
        "EVP_MAC_init");
  // context || 0x00 || value. Contexts are fixed column names without NUL
  // bytes, so the separator makes the encoding unambiguous.
  const unsigned char separator = 0;
  Check(EVP_MAC_update(ctx.get(), Bytes(context), context.size()),
        "EVP_MAC_update(context)");
  Check(EVP_MAC_update(ctx.get(), &separator, 1), "EVP_MAC_update(sep)");
  Check(EVP_MAC_update(ctx.get(), Bytes(value), value.size()),
        "EVP_MAC_update(value)");
  std::string out(32, '\0');
  size_t out_len = 0;
  Check(EVP_MAC_final(ctx.get(), Bytes(out), &out_len, out.size()),
        "EVP_MAC_final");
  if (out_len != out.size()) Fatal("HMAC-SHA256 output length");
  return out;
}

std::string NewKeyBase64() {
  std::string raw(kKeySize, '\0');
  RandomBytes(Bytes(raw), raw.size());
  return absl::Base64Escape(raw);
}

}  // namespace unionhub::crypto
