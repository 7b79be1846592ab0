#include "common/crypto/pii.h"

#include <map>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "gtest/gtest.h"

namespace unionhub::crypto {
namespace {

constexpr char kContext[] = "members.national_id";
constexpr char kNationalId[] = "11010519491231002X";

// Bytes first..first+n-1.
std::string Sequence(int first, int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s.push_back(static_cast<char>(first + i));
  return s;
}

// Key material used below, with its standard base64 (computed with Python's
// base64 module, independently of absl):
//   Sequence(0, 32)  = AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
//   Sequence(32, 32) = ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=
//   Sequence(64, 32) = QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaW1xdXl8=
//   Sequence(0, 31)  = AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHg==
constexpr char kKey0B64[] = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
constexpr char kKey32B64[] = "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=";
constexpr char kKey64B64[] = "QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaW1xdXl8=";
constexpr char kShortKeyB64[] = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHg==";

std::string Key1() { return Sequence(0, 32); }
std::string Key2() { return Sequence(32, 32); }
std::string HmacKey() { return Sequence(0, 32); }

PiiProtector MustCreate(std::map<int, std::string> keys, int active,
                        std::string hmac = HmacKey()) {
  absl::StatusOr<PiiProtector> p =
      PiiProtector::Create(std::move(keys), active, std::move(hmac));
  EXPECT_TRUE(p.ok()) << p.status();
  return *std::move(p);
}

PiiProtector Default() { return MustCreate({{1, Key1()}}, 1); }

std::string Hex(absl::string_view s) { return absl::BytesToHexString(s); }

// ---------------------------------------------------------------------------
// Seal / Open
// ---------------------------------------------------------------------------

TEST(PiiSealTest, RoundTrip) {
  const PiiProtector p = Default();
  for (const std::string& text :
       {std::string(kNationalId), std::string(""), std::string("张三丰"),
        std::string("北京市朝阳区 100020"), std::string("a\0b", 3),
        std::string(10000, 'x')}) {
    SCOPED_TRACE(Hex(text.substr(0, 16)));
    const std::string sealed = p.Seal(text, kContext);
    absl::StatusOr<std::string> opened = p.Open(sealed, kContext);
    ASSERT_TRUE(opened.ok()) << opened.status();
    EXPECT_EQ(*opened, text);
  }
}

TEST(PiiSealTest, LayoutMatchesHeader) {
  const PiiProtector p = MustCreate({{7, Key1()}}, 7);
  const std::string sealed = p.Seal(kNationalId, kContext);
  // version + key id + nonce 12 + ciphertext (same length) + tag 16.
  ASSERT_EQ(sealed.size(), 1 + 1 + 12 + sizeof(kNationalId) - 1 + 16);
  EXPECT_EQ(static_cast<unsigned char>(sealed[0]), 1);
  EXPECT_EQ(static_cast<unsigned char>(sealed[1]), 7);
  EXPECT_EQ(p.Seal("", kContext).size(), 30u);
}

// A value sealed by another implementation (Python `cryptography`,
// AESGCM(key=bytes(range(32))).encrypt(nonce=bytes(range(100, 112)),
// data=b"11010519491231002X", associated_data=b"members.national_id"),
// prefixed with version 1 and key id 7) opens: the layout and the AAD use
// agree with the header, not only with this implementation.
TEST(PiiSealTest, OpensIndependentlyProducedValue) {
  const std::string sealed = absl::HexStringToBytes(
      "01076465666768696a6b6c6d6e6f792aee5749dc67a70a5b6edae9545acd709a07f33b"
      "4da50c14274374b9aba5a42280");
  const PiiProtector p = MustCreate({{7, Key1()}}, 7);
  absl::StatusOr<std::string> opened = p.Open(sealed, kContext);
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(*opened, kNationalId);
}

TEST(PiiSealTest, SealsOfSameValueDifferButIndexIsEqual) {
  const PiiProtector p = Default();
  const std::string a = p.Seal(kNationalId, kContext);
  const std::string b = p.Seal(kNationalId, kContext);
  EXPECT_NE(a, b);
  // The nonces differ (random), not only the ciphertext.
  EXPECT_NE(a.substr(2, 12), b.substr(2, 12));
  EXPECT_EQ(p.Index(kNationalId, kContext), p.Index(kNationalId, kContext));
}

TEST(PiiSealTest, CiphertextDoesNotContainPlaintext) {
  const PiiProtector p = Default();
  const std::string sealed = p.Seal(kNationalId, kContext);
  EXPECT_FALSE(absl::StrContains(sealed, kNationalId));
  // Nor any 6-byte run of it (e.g. the birth date 194912).
  const std::string id = kNationalId;
  for (size_t i = 0; i + 6 <= id.size(); ++i) {
    EXPECT_FALSE(absl::StrContains(sealed, id.substr(i, 6))) << i;
  }
}

TEST(PiiOpenTest, TamperingAnyByteIsDataLoss) {
  const PiiProtector p = MustCreate({{1, Key1()}, {2, Key2()}}, 1);
  const std::string sealed = p.Seal(kNationalId, kContext);
  for (size_t i = 0; i < sealed.size(); ++i) {
    // 0x03 turns key id 1 into 2: a known key, but the wrong one.
    for (unsigned char flip : {0x01, 0x03, 0x80, 0xff}) {
      std::string bad = sealed;
      bad[i] = static_cast<char>(static_cast<unsigned char>(bad[i]) ^ flip);
      absl::StatusOr<std::string> opened = p.Open(bad, kContext);
      EXPECT_EQ(opened.status().code(), absl::StatusCode::kDataLoss)
          << "byte " << i << " flip " << static_cast<int>(flip);
    }
  }
}

TEST(PiiOpenTest, TamperingEmptyPlaintextIsDataLoss) {
  const PiiProtector p = Default();
  const std::string sealed = p.Seal("", kContext);
  for (size_t i = 0; i < sealed.size(); ++i) {
    std::string bad = sealed;
    bad[i] = static_cast<char>(static_cast<unsigned char>(bad[i]) ^ 0x01);
    EXPECT_EQ(p.Open(bad, kContext).status().code(),
              absl::StatusCode::kDataLoss)
        << i;
  }
}

TEST(PiiOpenTest, TruncatedOrExtendedIsDataLoss) {
  const PiiProtector p = Default();
  const std::string sealed = p.Seal(kNationalId, kContext);
  for (size_t n = 0; n < sealed.size(); ++n) {
    EXPECT_EQ(p.Open(sealed.substr(0, n), kContext).status().code(),
              absl::StatusCode::kDataLoss)
        << n;
  }
  EXPECT_EQ(p.Open(sealed + "x", kContext).status().code(),
            absl::StatusCode::kDataLoss);
}

TEST(PiiOpenTest, WrongContextIsDataLoss) {
  const PiiProtector p = Default();
  const std::string sealed = p.Seal(kNationalId, kContext);
  EXPECT_EQ(p.Open(sealed, "members.phone").status().code(),
            absl::StatusCode::kDataLoss);
  EXPECT_EQ(p.Open(sealed, "").status().code(), absl::StatusCode::kDataLoss);
  const std::string no_context = p.Seal(kNationalId, "");
  EXPECT_EQ(p.Open(no_context, kContext).status().code(),
            absl::StatusCode::kDataLoss);
  EXPECT_TRUE(p.Open(no_context, "").ok());
}

TEST(PiiOpenTest, UnknownKeyIdIsDataLoss) {
  const PiiProtector p = Default();
  std::string sealed = p.Seal(kNationalId, kContext);
  sealed[1] = 9;
  absl::StatusOr<std::string> opened = p.Open(sealed, kContext);
  EXPECT_EQ(opened.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_TRUE(absl::StrContains(opened.status().message(), "key id"))
      << opened.status();
}

TEST(PiiOpenTest, WrongKeyWithSameIdIsDataLoss) {
  const std::string sealed = Default().Seal(kNationalId, kContext);
  const PiiProtector other = MustCreate({{1, Key2()}}, 1);
  EXPECT_EQ(other.Open(sealed, kContext).status().code(),
            absl::StatusCode::kDataLoss);
}

TEST(PiiOpenTest, ErrorsDoNotRevealData) {
  const PiiProtector p = Default();
  std::string sealed = p.Seal(kNationalId, kContext);
  sealed.back() ^= 1;
  absl::StatusOr<std::string> opened = p.Open(sealed, kContext);
  ASSERT_EQ(opened.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_FALSE(absl::StrContains(opened.status().message(), kNationalId));
  EXPECT_FALSE(absl::StrContains(opened.status().message(), "1949"));
  EXPECT_LT(opened.status().message().size(), 80u);
}

// ---------------------------------------------------------------------------
// Key rotation
// ---------------------------------------------------------------------------

TEST(PiiRotationTest, OldDataOpensAndNewSealsUseActiveKey) {
  const PiiProtector old_p = MustCreate({{1, Key1()}}, 1);
  const std::string old_sealed = old_p.Seal(kNationalId, kContext);
  EXPECT_EQ(static_cast<unsigned char>(old_sealed[1]), 1);

  const PiiProtector rotated = MustCreate({{1, Key1()}, {2, Key2()}}, 2);
  EXPECT_EQ(rotated.active_key_id(), 2);
  absl::StatusOr<std::string> opened = rotated.Open(old_sealed, kContext);
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(*opened, kNationalId);

  const std::string new_sealed = rotated.Seal(kNationalId, kContext);
  EXPECT_EQ(static_cast<unsigned char>(new_sealed[1]), 2);
  ASSERT_TRUE(rotated.Open(new_sealed, kContext).ok());
  // The old protector does not know key 2.
  EXPECT_EQ(old_p.Open(new_sealed, kContext).status().code(),
            absl::StatusCode::kDataLoss);

  // Once key 1 is retired, data still sealed with it cannot be opened.
  const PiiProtector retired = MustCreate({{2, Key2()}}, 2);
  EXPECT_EQ(retired.Open(old_sealed, kContext).status().code(),
            absl::StatusCode::kDataLoss);
  EXPECT_TRUE(retired.Open(new_sealed, kContext).ok());
}

TEST(PiiRotationTest, IndexDoesNotDependOnEncryptionKeys) {
  const PiiProtector a = MustCreate({{1, Key1()}}, 1);
  const PiiProtector b = MustCreate({{1, Key1()}, {2, Key2()}}, 2);
  EXPECT_EQ(a.Index(kNationalId, kContext), b.Index(kNationalId, kContext));
}

TEST(PiiRotationTest, HighestKeyIdWorks) {
  const PiiProtector p = MustCreate({{255, Key2()}}, 255);
  const std::string sealed = p.Seal(kNationalId, kContext);
  EXPECT_EQ(static_cast<unsigned char>(sealed[1]), 255);
  EXPECT_TRUE(p.Open(sealed, kContext).ok());
}

// ---------------------------------------------------------------------------
// Index
// ---------------------------------------------------------------------------

// Expected values computed on the development machine with the OpenSSL
// command line, independently of this code:
//   printf 'members.national_id\00011010519491231002X' |
//     openssl dgst -sha256 -mac HMAC -macopt "hexkey:$KEY"
// with KEY=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
// and confirmed with Python's hmac module. The second is for empty context
// and value (the message is the single 0x00 byte).
TEST(PiiIndexTest, KnownAnswer) {
  const PiiProtector p = Default();
  EXPECT_EQ(Hex(p.Index(kNationalId, kContext)),
            "19ca35529ccdb3c1890a2ef13c517e579b0f23b330acc01a27ecea4164dce59c");
  EXPECT_EQ(Hex(p.Index("", "")),
            "e711546e3faad4c7c4aa756bc26cad6abea8241984a0f6b0839c70ca61c4ef88");
}

TEST(PiiIndexTest, Is32Bytes) {
  EXPECT_EQ(Default().Index(kNationalId, kContext).size(), 32u);
}

TEST(PiiIndexTest, DiffersPerContext) {
  const PiiProtector p = Default();
  EXPECT_NE(p.Index(kNationalId, kContext),
            p.Index(kNationalId, "members.phone"));
  // The separator keeps context/value boundaries apart.
  EXPECT_NE(p.Index("bc", "a"), p.Index("c", "ab"));
}

TEST(PiiIndexTest, DiffersPerKey) {
  const PiiProtector a = Default();
  const PiiProtector b = MustCreate({{1, Key1()}}, 1, Sequence(64, 32));
  EXPECT_NE(a.Index(kNationalId, kContext), b.Index(kNationalId, kContext));
}

TEST(PiiIndexTest, DiffersPerValue) {
  const PiiProtector p = Default();
  EXPECT_NE(p.Index("11010519491231002X", kContext),
            p.Index("11010519491231002x", kContext));
}

// ---------------------------------------------------------------------------
// Create
// ---------------------------------------------------------------------------

TEST(PiiCreateTest, RejectsBadArguments) {
  struct Case {
    const char* name;
    std::map<int, std::string> keys;
    int active;
    std::string hmac;
  };
  const Case cases[] = {
      {"no keys", {}, 1, HmacKey()},
      {"short key", {{1, Sequence(0, 31)}}, 1, HmacKey()},
      {"long key", {{1, Sequence(0, 33)}}, 1, HmacKey()},
      {"id 0", {{0, Key1()}}, 0, HmacKey()},
      {"id 256", {{256, Key1()}}, 256, HmacKey()},
      {"negative id", {{-1, Key1()}, {1, Key2()}}, 1, HmacKey()},
      {"active missing", {{1, Key1()}}, 2, HmacKey()},
      {"hmac short", {{1, Key1()}}, 1, Sequence(0, 31)},
      {"hmac empty", {{1, Key1()}}, 1, ""},
  };
  for (const Case& c : cases) {
    absl::StatusOr<PiiProtector> p =
        PiiProtector::Create(c.keys, c.active, c.hmac);
    EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument) << c.name;
  }
}

TEST(PiiCreateTest, AcceptsLongHmacKey) {
  EXPECT_TRUE(PiiProtector::Create({{1, Key1()}}, 1, Sequence(0, 64)).ok());
}

TEST(PiiCreateTest, IsCopyable) {
  const PiiProtector p = Default();
  const PiiProtector copy = p;
  absl::StatusOr<std::string> opened =
      copy.Open(p.Seal(kNationalId, kContext), kContext);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, kNationalId);
}

// ---------------------------------------------------------------------------
// FromConfig
// ---------------------------------------------------------------------------

TEST(PiiFromConfigTest, ParsesKeys) {
  const std::string keys = std::string("1:") + kKey0B64 + ",2:" + kKey32B64;
  absl::StatusOr<PiiProtector> p = PiiProtector::FromConfig(keys, 2, kKey64B64);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->active_key_id(), 2);

  // Same keys as Create with the raw bytes: each opens the other's values.
  const PiiProtector direct =
      MustCreate({{1, Key1()}, {2, Key2()}}, 2, Sequence(64, 32));
  const std::string sealed = p->Seal(kNationalId, kContext);
  EXPECT_EQ(static_cast<unsigned char>(sealed[1]), 2);
  absl::StatusOr<std::string> opened = direct.Open(sealed, kContext);
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(*opened, kNationalId);
  EXPECT_EQ(p->Index(kNationalId, kContext),
            direct.Index(kNationalId, kContext));
  // Key 1 really is Sequence(0, 32).
  const PiiProtector only1 = MustCreate({{1, Key1()}}, 1);
  EXPECT_TRUE(p->Open(only1.Seal("x", kContext), kContext).ok());
}

TEST(PiiFromConfigTest, ToleratesWhitespace) {
  const std::string keys =
      std::string("  1 : ") + kKey0B64 + " ,\t2:" + kKey32B64 + "\n";
  absl::StatusOr<PiiProtector> p =
      PiiProtector::FromConfig(keys, 1, std::string(" ") + kKey64B64 + " ");
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->active_key_id(), 1);
}

TEST(PiiFromConfigTest, RejectsBadInput) {
  const std::string k1 = kKey0B64;
  const std::string k2 = kKey32B64;
  struct Case {
    const char* name;
    std::string keys;
    int active;
    std::string hmac;
    const char* message_part;
  };
  const Case cases[] = {
      {"empty keys", "", 1, kKey64B64, "no PII encryption keys"},
      {"blank keys", "  ", 1, kKey64B64, "no PII encryption keys"},
      {"short key", "1:" + std::string(kShortKeyB64), 1, kKey64B64, "32 bytes"},
      {"bad base64", "1:" + k1.substr(0, 10) + "!!" + k1.substr(12), 1,
       kKey64B64, "base64"},
      {"url-safe base64", "1:-_" + k1.substr(2), 1, kKey64B64, "base64"},
      {"empty key", "1:", 1, kKey64B64, "base64"},
      {"no colon", k1, 1, kKey64B64, "ID:BASE64"},
      {"non-numeric id", "a:" + k1, 1, kKey64B64, "key id"},
      {"signed id", "+1:" + k1, 1, kKey64B64, "key id"},
      {"huge id", "99999999999999999999:" + k1, 1, kKey64B64, "key id"},
      {"id 0", "0:" + k1, 0, kKey64B64, "out of range"},
      {"id 256", "256:" + k1, 256, kKey64B64, "out of range"},
      {"duplicate id", "1:" + k1 + ",1:" + k2, 1, kKey64B64, "more than once"},
      {"empty item", "1:" + k1 + ",,2:" + k2, 1, kKey64B64, "empty"},
      {"trailing comma", "1:" + k1 + ",", 1, kKey64B64, "empty"},
      {"active missing", "1:" + k1 + ",2:" + k2, 3, kKey64B64, "active"},
      {"hmac too short", "1:" + k1, 1, kShortKeyB64, "HMAC"},
      {"hmac empty", "1:" + k1, 1, "", "HMAC"},
      {"hmac bad base64", "1:" + k1, 1, "not base64!", "HMAC"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<PiiProtector> p =
        PiiProtector::FromConfig(c.keys, c.active, c.hmac);
    ASSERT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument)
        << c.name << ": " << p.status();
    const absl::string_view message = p.status().message();
    EXPECT_TRUE(absl::StrContains(message, c.message_part))
        << c.name << ": " << message;
    // Key material is never echoed, neither base64 nor a fragment of it.
    EXPECT_FALSE(absl::StrContains(message, k1.substr(0, 8)))
        << c.name << ": " << message;
    EXPECT_FALSE(absl::StrContains(message, k2.substr(0, 8)))
        << c.name << ": " << message;
    EXPECT_FALSE(
        absl::StrContains(message, std::string(kKey64B64).substr(0, 8)))
        << c.name << ": " << message;
  }
}

// ---------------------------------------------------------------------------
// NewKeyBase64
// ---------------------------------------------------------------------------

TEST(NewKeyBase64Test, Is32RandomBytesInStandardBase64) {
  const std::string a = NewKeyBase64();
  const std::string b = NewKeyBase64();
  EXPECT_NE(a, b);
  EXPECT_EQ(a.size(), 44u);  // 32 bytes -> 44 characters with padding.
  std::string raw;
  ASSERT_TRUE(absl::Base64Unescape(a, &raw));
  EXPECT_EQ(raw.size(), 32u);
  // Usable as configuration directly.
  absl::StatusOr<PiiProtector> p =
      PiiProtector::FromConfig("1:" + a, 1, NewKeyBase64());
  ASSERT_TRUE(p.ok()) << p.status();
  absl::StatusOr<std::string> opened =
      p->Open(p->Seal(kNationalId, kContext), kContext);
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(*opened, kNationalId);
}

}  // namespace
}  // namespace unionhub::crypto
