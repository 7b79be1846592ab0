#include "common/auth/jwt.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <optional>
#include <set>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "common/auth/verified_tokens.h"
#include "nlohmann/json.hpp"

namespace unionhub::auth {
namespace {

using Json = nlohmann::json;

// Bounds on untrusted input, checked before any decoding or parsing.
constexpr size_t kMaxTokenBytes = 16 * 1024;
constexpr size_t kMaxPemBytes = 64 * 1024;
constexpr size_t kMaxFileBytes = 16 * 1024 * 1024;
// RSA keys shorter than this are refused for signing and verifying.
constexpr int kMinRsaBits = 2048;

struct PkeyDeleter {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyDeleter>;

struct BioDeleter {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
using BioPtr = std::unique_ptr<BIO, BioDeleter>;

struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxDeleter>;

// Never prompt for a passphrase (the default callback reads the terminal):
// encrypted private keys simply fail to load.
int NoPassphrase(char*, int, int, void*) { return -1; }

// ---- base64url (RFC 4648 section 5), no padding, strict on decode ----

constexpr char kB64Alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string Base64UrlEncode(absl::string_view in) {
  std::string out;
  out.reserve((in.size() * 4 + 2) / 3);
  size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    const uint32_t v = (uint32_t{static_cast<unsigned char>(in[i])} << 16) |
                       (uint32_t{static_cast<unsigned char>(in[i + 1])} << 8) |
                       uint32_t{static_cast<unsigned char>(in[i + 2])};
    out.push_back(kB64Alphabet[(v >> 18) & 63]);
    out.push_back(kB64Alphabet[(v >> 12) & 63]);
    out.push_back(kB64Alphabet[(v >> 6) & 63]);
    out.push_back(kB64Alphabet[v & 63]);
  }
  const size_t rest = in.size() - i;
  if (rest == 1) {
    const uint32_t v = uint32_t{static_cast<unsigned char>(in[i])} << 16;
    out.push_back(kB64Alphabet[(v >> 18) & 63]);
    out.push_back(kB64Alphabet[(v >> 12) & 63]);
  } else if (rest == 2) {
    const uint32_t v = (uint32_t{static_cast<unsigned char>(in[i])} << 16) |
                       (uint32_t{static_cast<unsigned char>(in[i + 1])} << 8);
    out.push_back(kB64Alphabet[(v >> 18) & 63]);
    out.push_back(kB64Alphabet[(v >> 12) & 63]);
    out.push_back(kB64Alphabet[(v >> 6) & 63]);
  }
  return out;
}

int B64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

// Refuses padding, whitespace, the standard alphabet's '+' and '/', an
// impossible length, and non-zero trailing bits, so every byte string has
// exactly one accepted encoding (no signature-preserving malleability).
bool Base64UrlDecode(absl::string_view in, std::string* out) {
  out->clear();
  if (in.size() % 4 == 1) return false;
  out->reserve(in.size() * 3 / 4);
  uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    const int v = B64Value(c);
    if (v < 0) return false;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out->push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  // Leftover bits (2 or 4) must be zero.
  return (acc & ((1u << bits) - 1)) == 0;
}

// ---- JSON ----

// Parses a JSON object without exceptions. Duplicate top-level members are
// refused: parsers that keep the first and parsers that keep the last would
// otherwise read different claims from one signed token.
bool ParseObject(absl::string_view text, Json* out) {
  bool duplicate = false;
  std::set<std::string> seen;
  Json::parser_callback_t callback = [&](int depth, Json::parse_event_t event,
                                         Json& parsed) {
    if (event == Json::parse_event_t::key && depth == 1 && parsed.is_string()) {
      if (!seen.insert(parsed.get_ref<const std::string&>()).second) {
        duplicate = true;
      }
    }
    return true;
  };
  *out = Json::parse(text.begin(), text.end(), callback,
                     /*allow_exceptions=*/false);
  return !out->is_discarded() && out->is_object() && !duplicate;
}

// Serialises without throwing: strings that are not UTF-8 are an error
// (nlohmann throws on them with the default handler).
bool DumpJson(const Json& json, std::string* out) {
  try {
    *out = json.dump();
    return true;
  } catch (const Json::exception&) {
    return false;
  }
}

const Json* Member(const Json& object, const char* name) {
  const auto it = object.find(name);
  return it == object.end() ? nullptr : &*it;
}

// NumericDate (RFC 7519): seconds since the epoch, integer or not.
bool ToTime(const Json& value, absl::Time* out) {
  if (value.is_number_integer() && !value.is_number_unsigned()) {
    *out = absl::FromUnixSeconds(value.get<int64_t>());
    return true;
  }
  if (value.is_number_unsigned()) {
    const uint64_t v = value.get<uint64_t>();
    if (v > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      return false;
    }
    *out = absl::FromUnixSeconds(static_cast<int64_t>(v));
    return true;
  }
  if (value.is_number_float()) {
    const double v = value.get<double>();
    // About 31 million years either way: plenty, and exact enough.
    if (!std::isfinite(v) || std::fabs(v) > 1e15) return false;
    *out = absl::UnixEpoch() + absl::Seconds(v);
    return true;
  }
  return false;
}

// "org": a non-negative integer, or the same as a string of decimal digits.
bool ToOrg(const Json& value, int64_t* out) {
  if (value.is_number_unsigned()) {
    const uint64_t v = value.get<uint64_t>();
    if (v > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      return false;
    }
    *out = static_cast<int64_t>(v);
    return true;
  }
  if (value.is_number_integer()) {
    const int64_t v = value.get<int64_t>();
    if (v < 0) return false;
    *out = v;
    return true;
  }
  if (value.is_string()) {
    const std::string& s = value.get_ref<const std::string&>();
    if (s.empty() || s.size() > 19) return false;
    for (char c : s) {
      if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
    }
    return absl::SimpleAtoi(s, out) && *out >= 0;
  }
  return false;
}

absl::Status Unauthenticated(absl::string_view reason) {
  return absl::UnauthenticatedError(reason);
}

// ---- keys ----

absl::Status CheckRsaKey(const EVP_PKEY* key) {
  if (!EVP_PKEY_is_a(key, "RSA")) {
    return absl::InvalidArgumentError("key is not an RSA key");
  }
  if (EVP_PKEY_get_bits(key) < kMinRsaBits) {
    return absl::InvalidArgumentError(
        absl::StrCat("RSA key shorter than ", kMinRsaBits, " bits"));
  }
  return absl::OkStatus();
}

absl::StatusOr<PkeyPtr> LoadPublicKey(absl::string_view pem) {
  if (pem.empty() || pem.size() > kMaxPemBytes) {
    return absl::InvalidArgumentError("public key missing or too large");
  }
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (bio == nullptr) return absl::InternalError("BIO_new_mem_buf failed");
  PkeyPtr key(PEM_read_bio_PUBKEY(bio.get(), nullptr, NoPassphrase, nullptr));
  ERR_clear_error();
  if (key == nullptr) {
    return absl::InvalidArgumentError(
        "public key is not a PEM SubjectPublicKeyInfo (BEGIN PUBLIC KEY)");
  }
  if (absl::Status s = CheckRsaKey(key.get()); !s.ok()) return s;
  return key;
}

absl::StatusOr<PkeyPtr> LoadPrivateKey(absl::string_view pem) {
  if (pem.empty() || pem.size() > kMaxPemBytes) {
    return absl::InvalidArgumentError("private key missing or too large");
  }
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (bio == nullptr) return absl::InternalError("BIO_new_mem_buf failed");
  PkeyPtr key(
      PEM_read_bio_PrivateKey(bio.get(), nullptr, NoPassphrase, nullptr));
  ERR_clear_error();
  if (key == nullptr) {
    return absl::InvalidArgumentError(
        "private key is not an unencrypted PEM private key");
  }
  if (absl::Status s = CheckRsaKey(key.get()); !s.ok()) return s;
  return key;
}

absl::StatusOr<std::string> SignRs256(EVP_PKEY* key, absl::string_view data) {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  size_t length = 0;
  if (ctx == nullptr ||
      EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &length,
                     reinterpret_cast<const unsigned char*>(data.data()),
                     data.size()) != 1) {
    ERR_clear_error();
    return absl::InternalError("RS256 signing failed");
  }
  std::string signature(length, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(&signature[0]),
                     &length,
                     reinterpret_cast<const unsigned char*>(data.data()),
                     data.size()) != 1) {
    ERR_clear_error();
    return absl::InternalError("RS256 signing failed");
  }
  signature.resize(length);
  return signature;
}

bool VerifyRs256(EVP_PKEY* key, absl::string_view data,
                 absl::string_view signature) {
  // PKCS#1 v1.5 signatures are exactly the modulus length.
  if (signature.size() != static_cast<size_t>(EVP_PKEY_get_size(key))) {
    return false;
  }
  MdCtxPtr ctx(EVP_MD_CTX_new());
  const bool ok =
      ctx != nullptr &&
      EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) ==
          1 &&
      EVP_DigestVerify(
          ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
          signature.size(), reinterpret_cast<const unsigned char*>(data.data()),
          data.size()) == 1;
  ERR_clear_error();
  return ok;
}

absl::StatusOr<std::string> RandomTokenId() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof(bytes)) != 1) {
    ERR_clear_error();
    return absl::InternalError("RAND_bytes failed");
  }
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(bytes), sizeof(bytes)));
}

// Everything about a token that does not depend on the clock: its form,
// header, signature and claims. The time checks are CheckTokenTimes.
absl::StatusOr<VerifiedToken> VerifySignatureAndClaims(
    EVP_PKEY* key, const VerifierConfig& config, absl::string_view token) {
  const std::vector<absl::string_view> parts = absl::StrSplit(token, '.');
  if (parts.size() != 3 || parts[0].empty() || parts[1].empty()) {
    return Unauthenticated("malformed token");
  }

  // Header first: only RS256 is acceptable, whatever the token claims.
  std::string header_text;
  Json header;
  if (!Base64UrlDecode(parts[0], &header_text) ||
      !ParseObject(header_text, &header)) {
    return Unauthenticated("malformed token header");
  }
  const Json* alg = Member(header, "alg");
  if (alg == nullptr || !alg->is_string() ||
      alg->get_ref<const std::string&>() != "RS256") {
    return Unauthenticated("unsupported token algorithm");
  }
  for (const auto& [name, value] : header.items()) {
    if (name == "alg") continue;
    if (name == "typ") {
      if (!value.is_string() ||
          !absl::EqualsIgnoreCase(value.get_ref<const std::string&>(), "JWT")) {
        return Unauthenticated("unsupported token type");
      }
      continue;
    }
    if (name == "kid") continue;  // informational; one key per verifier
    // "crit", "jku", "jwk", "x5u", "x5c", ...: nothing else is understood,
    // and nothing in a header may choose the key.
    return Unauthenticated("unsupported token header");
  }

  // Signature over "header.payload", before anything in the payload is read.
  std::string signature;
  if (!Base64UrlDecode(parts[2], &signature)) {
    return Unauthenticated("malformed token signature");
  }
  const absl::string_view signing_input =
      token.substr(0, parts[0].size() + 1 + parts[1].size());
  if (!VerifyRs256(key, signing_input, signature)) {
    return Unauthenticated("bad signature");
  }

  std::string payload_text;
  Json payload;
  if (!Base64UrlDecode(parts[1], &payload_text) ||
      !ParseObject(payload_text, &payload)) {
    return Unauthenticated("malformed token payload");
  }

  VerifiedToken verified;
  Claims& claims = verified.claims;

  const Json* iss = Member(payload, "iss");
  if (iss == nullptr || !iss->is_string() ||
      iss->get_ref<const std::string&>() != config.issuer) {
    return Unauthenticated("wrong issuer");
  }
  claims.issuer = config.issuer;

  const Json* aud = Member(payload, "aud");
  bool audience_ok = false;
  if (aud != nullptr && aud->is_string()) {
    audience_ok = aud->get_ref<const std::string&>() == config.audience;
  } else if (aud != nullptr && aud->is_array()) {
    for (const Json& entry : *aud) {
      if (!entry.is_string()) {
        audience_ok = false;
        break;
      }
      if (entry.get_ref<const std::string&>() == config.audience) {
        audience_ok = true;
      }
    }
  }
  if (!audience_ok) return Unauthenticated("wrong audience");
  claims.audience = config.audience;

  const Json* exp = Member(payload, "exp");
  if (exp == nullptr) return Unauthenticated("token has no expiry");
  if (!ToTime(*exp, &claims.expires_at)) {
    return Unauthenticated("malformed expiry");
  }
  if (const Json* nbf = Member(payload, "nbf"); nbf != nullptr) {
    absl::Time not_before;
    if (!ToTime(*nbf, &not_before)) {
      return Unauthenticated("malformed not-before");
    }
    verified.not_before = not_before;
  }
  if (const Json* iat = Member(payload, "iat"); iat != nullptr) {
    if (!ToTime(*iat, &claims.issued_at)) {
      return Unauthenticated("malformed issued-at");
    }
    verified.has_issued_at = true;
  }

  const Json* sub = Member(payload, "sub");
  if (sub == nullptr || !sub->is_string() ||
      sub->get_ref<const std::string&>().empty()) {
    return Unauthenticated("token has no subject");
  }
  claims.subject = sub->get<std::string>();

  const Json* roles = Member(payload, "roles");
  if (roles == nullptr || !roles->is_array() || roles->empty()) {
    return Unauthenticated("token has no roles");
  }
  for (const Json& role : *roles) {
    if (!role.is_string() || role.get_ref<const std::string&>().empty()) {
      return Unauthenticated("malformed roles");
    }
    claims.roles.push_back(role.get<std::string>());
  }

  if (const Json* org = Member(payload, "org"); org != nullptr) {
    if (!ToOrg(*org, &claims.org_scope)) {
      return Unauthenticated("malformed org scope");
    }
  }

  if (const Json* jti = Member(payload, "jti"); jti != nullptr) {
    if (!jti->is_string()) return Unauthenticated("malformed token id");
    claims.token_id = jti->get<std::string>();
  }
  return verified;
}

}  // namespace

// Tokens one verifier remembers (common/auth/verified_tokens.h): a
// service's callers are few (peer services, signed-in people), each
// calling many times within its token's lifetime; a token is ~1 KB.
constexpr size_t kVerifiedTokenCapacity = 4096;

struct TokenVerifier::Impl {
  PkeyPtr key;
  VerifierConfig config;
  VerifiedTokens verified{kVerifiedTokenCapacity};
};

TokenVerifier::~TokenVerifier() = default;

absl::StatusOr<std::unique_ptr<TokenVerifier>> TokenVerifier::Create(
    VerifierConfig config) {
  if (config.issuer.empty()) {
    return absl::InvalidArgumentError("verifier needs an issuer");
  }
  if (config.audience.empty()) {
    return absl::InvalidArgumentError("verifier needs an audience");
  }
  if (config.leeway < absl::ZeroDuration() ||
      config.leeway > absl::Minutes(10)) {
    return absl::InvalidArgumentError("leeway must be within [0, 10m]");
  }
  if (config.max_lifetime <= absl::ZeroDuration() ||
      config.max_lifetime == absl::InfiniteDuration()) {
    return absl::InvalidArgumentError(
        "max_lifetime must be positive and finite");
  }
  absl::StatusOr<PkeyPtr> key = LoadPublicKey(config.public_key_pem);
  if (!key.ok()) return key.status();
  auto impl = std::make_unique<Impl>();
  impl->key = *std::move(key);
  impl->config = std::move(config);
  impl->config.public_key_pem.clear();  // the parsed key is what counts
  std::unique_ptr<TokenVerifier> verifier(new TokenVerifier());
  verifier->impl_ = std::move(impl);
  return verifier;
}

absl::StatusOr<Claims> TokenVerifier::Verify(absl::string_view token,
                                             absl::Time now) const {
  if (token.empty()) return Unauthenticated("missing token");
  if (token.size() > kMaxTokenBytes) return Unauthenticated("token too large");
  if (std::optional<VerifiedToken> hit = impl_->verified.Find(token)) {
    absl::Status timely = CheckTokenTimes(*hit, impl_->config, now);
    if (!timely.ok()) {
      // Expired for good; a not-yet-valid token may still become valid.
      if (now >= hit->claims.expires_at + impl_->config.leeway) {
        impl_->verified.Erase(token);
      }
      return timely;
    }
    return std::move(hit->claims);
  }
  absl::StatusOr<VerifiedToken> verified =
      VerifySignatureAndClaims(impl_->key.get(), impl_->config, token);
  if (!verified.ok()) return verified.status();
  if (absl::Status timely = CheckTokenTimes(*verified, impl_->config, now);
      !timely.ok()) {
    return timely;
  }
  impl_->verified.Insert(token, *verified);
  return std::move(verified->claims);
}

absl::StatusOr<std::string> MintToken(const Claims& claims,
                                      absl::string_view private_key_pem) {
  if (claims.subject.empty()) {
    return absl::InvalidArgumentError("subject is required");
  }
  if (claims.roles.empty()) {
    return absl::InvalidArgumentError("at least one role is required");
  }
  for (const std::string& role : claims.roles) {
    if (role.empty()) return absl::InvalidArgumentError("empty role");
  }
  if (claims.org_scope < 0) {
    return absl::InvalidArgumentError("org scope must be >= 0");
  }
  if (claims.issuer.empty()) {
    return absl::InvalidArgumentError("issuer is required");
  }
  if (claims.audience.empty()) {
    return absl::InvalidArgumentError("audience is required");
  }
  absl::Time issued_at = claims.issued_at;
  if (issued_at == absl::InfinitePast() || issued_at == absl::UnixEpoch()) {
    issued_at = absl::Now();
  }
  if (issued_at == absl::InfiniteFuture() ||
      claims.expires_at == absl::InfiniteFuture()) {
    return absl::InvalidArgumentError("times must be finite");
  }
  if (claims.expires_at <= issued_at) {
    return absl::InvalidArgumentError("expires_at must be after issued_at");
  }
  std::string token_id = claims.token_id;
  if (token_id.empty()) {
    absl::StatusOr<std::string> random = RandomTokenId();
    if (!random.ok()) return random.status();
    token_id = *std::move(random);
  }

  absl::StatusOr<PkeyPtr> key = LoadPrivateKey(private_key_pem);
  if (!key.ok()) return key.status();

  Json payload = Json::object();
  payload["sub"] = claims.subject;
  payload["roles"] = claims.roles;
  if (claims.org_scope != 0) payload["org"] = claims.org_scope;
  payload["iss"] = claims.issuer;
  payload["aud"] = claims.audience;
  payload["iat"] = absl::ToUnixSeconds(issued_at);
  payload["exp"] = absl::ToUnixSeconds(claims.expires_at);
  payload["jti"] = token_id;
  std::string payload_text;
  if (!DumpJson(payload, &payload_text)) {
    return absl::InvalidArgumentError("claims are not valid UTF-8");
  }

  std::string token =
      absl::StrCat(Base64UrlEncode(R"({"alg":"RS256","typ":"JWT"})"), ".",
                   Base64UrlEncode(payload_text));
  absl::StatusOr<std::string> signature = SignRs256(key->get(), token);
  if (!signature.ok()) return signature.status();
  absl::StrAppend(&token, ".", Base64UrlEncode(*signature));
  return token;
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    const int error = errno;
    const std::string message =
        absl::StrCat("cannot open ", path, ": ", std::strerror(error));
    if (error == ENOENT) return absl::NotFoundError(message);
    if (error == EACCES) return absl::PermissionDeniedError(message);
    return absl::UnavailableError(message);
  }
  std::string content;
  char buffer[16384];
  bool too_large = false;
  while (true) {
    const size_t n = std::fread(buffer, 1, sizeof(buffer), file);
    content.append(buffer, n);
    if (content.size() > kMaxFileBytes) {
      too_large = true;
      break;
    }
    if (n < sizeof(buffer)) break;
  }
  const bool failed = std::ferror(file) != 0;
  const int error = errno;
  std::fclose(file);
  if (too_large) {
    return absl::FailedPreconditionError(
        absl::StrCat("file too large: ", path));
  }
  if (failed) {
    return absl::UnavailableError(
        absl::StrCat("cannot read ", path, ": ", std::strerror(error)));
  }
  return content;
}

std::string ReadTokenFile(const std::string& path) {
  if (path.empty()) return "";
  absl::StatusOr<std::string> content = ReadFile(path);
  if (!content.ok()) return "";
  return std::string(absl::StripAsciiWhitespace(*content));
}

}  // namespace unionhub::auth
