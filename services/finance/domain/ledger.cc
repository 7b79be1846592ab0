#include "services/finance/domain/ledger.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/core/violations.h"

namespace unionhub::finance::domain {
namespace {

using Digest = std::array<unsigned char, SHA256_DIGEST_LENGTH>;

constexpr absl::string_view kEntryTag = "unionhub.ledger.entry.v1";
constexpr absl::string_view kSealTag = "unionhub.ledger.seal.v1";

void PutInt(std::string& out, int64_t v) {
  const uint64_t u = static_cast<uint64_t>(v);
  for (int shift = 56; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((u >> shift) & 0xff));
  }
}

void PutString(std::string& out, absl::string_view s) {
  PutInt(out, static_cast<int64_t>(s.size()));
  out.append(s.data(), s.size());
}

Digest Sha256(absl::string_view bytes) {
  Digest d;
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
         d.data());
  return d;
}

Digest HmacSha256(absl::string_view key, absl::string_view bytes) {
  Digest d;
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
       d.data(), &length);
  return d;
}

Digest Hash(absl::string_view bytes, absl::string_view key, int version) {
  return version == kHashUnkeyed ? Sha256(bytes) : HmacSha256(key, bytes);
}

std::string ToHex(const Digest& d) {
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(d.data()), d.size()));
}

bool FromHex(absl::string_view hex, Digest& out) {
  if (hex.size() != 2 * out.size()) return false;
  for (char c : hex) {
    const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
                    (c >= 'A' && c <= 'F');
    if (!ok) return false;
  }
  const std::string bytes = absl::HexStringToBytes(hex);
  std::copy(bytes.begin(), bytes.end(), out.begin());
  return true;
}

std::string SealHashOfDigests(const std::string& previous_seal_hex,
                              int64_t first_entry_id, int64_t last_entry_id,
                              const std::vector<Digest>& digests,
                              absl::string_view key, int seal_version) {
  std::string buf;
  buf.reserve(128 + digests.size() * SHA256_DIGEST_LENGTH);
  PutString(buf, kSealTag);
  PutString(buf, previous_seal_hex);
  PutInt(buf, first_entry_id);
  PutInt(buf, last_entry_id);
  PutInt(buf, static_cast<int64_t>(digests.size()));
  for (const Digest& d : digests) {
    buf.append(reinterpret_cast<const char*>(d.data()), d.size());
  }
  return ToHex(Hash(buf, key, seal_version));
}

VerifyResult Bad(int64_t entry_id, std::string reason) {
  return VerifyResult{false, entry_id, std::move(reason)};
}

// Called when `seal` does not recompute from `entries`: uses the seal's
// stored per-entry hashes, once they are shown authentic, to name the
// first entry that differs from what was sealed.
VerifyResult Locate(const Seal& seal, const std::vector<Entry>& entries,
                    absl::string_view key) {
  const std::string seal_name = absl::StrCat("seal ", seal.seal_id);
  if (seal.entry_hashes_hex.empty()) {
    return Bad(seal.first_entry_id,
               absl::StrCat(seal_name, " does not match its entries"));
  }
  if (SealHashFromEntryHashes(seal.previous_hex, seal.first_entry_id,
                              seal.last_entry_id, seal.entry_hashes_hex, key,
                              seal.hash_version) != seal.hash_hex) {
    return Bad(seal.first_entry_id,
               absl::StrCat(seal_name,
                            " does not match its own stored entry hashes: "
                            "the seal record was altered"));
  }
  const std::vector<std::string>& sealed = seal.entry_hashes_hex;
  for (size_t k = 0; k < entries.size(); ++k) {
    if (k >= sealed.size()) {
      return Bad(entries[k].entry_id,
                 absl::StrCat("entry ", entries[k].entry_id, " is not in ",
                              seal_name, ": it was inserted afterwards"));
    }
    if (EntryHashHex(entries[k], key) != sealed[k]) {
      return Bad(entries[k].entry_id,
                 absl::StrCat("entry ", entries[k].entry_id,
                              " differs from what ", seal_name,
                              " recorded (altered, or an entry before it "
                              "inserted or deleted)"));
    }
  }
  // Every present entry matches, so some sealed entries are missing at the
  // end; their ids are unknown, so name the first id after the last one.
  const int64_t after =
      entries.empty() ? seal.first_entry_id : entries.back().entry_id + 1;
  return Bad(after,
             absl::StrCat(sealed.size() - entries.size(), " sealed entries of ",
                          seal_name, " are missing from id ", after, " on"));
}

}  // namespace

absl::Status CheckBalanced(const Entry& entry) {
  Violations v;
  if (entry.postings.size() < 2) {
    v.Add("postings", absl::StrCat("an entry needs at least 2 postings, got ",
                                   entry.postings.size()));
  }
  __int128 sum = 0;
  for (size_t i = 0; i < entry.postings.size(); ++i) {
    const Posting& p = entry.postings[i];
    const std::string field = absl::StrCat("postings[", i, "]");
    if (p.account.empty()) v.Add(field + ".account", "must not be empty");
    if (p.amount == 0) {
      v.Add(field + ".amount", "must not be zero");
    } else if (p.amount == std::numeric_limits<Fen>::min()) {
      v.Add(field + ".amount", "is out of range: it could not be reversed");
    }
    sum += p.amount;  // 128 bits: no realistic count of postings overflows
  }
  if (sum != 0 && entry.postings.size() >= 2) {
    const bool fits = sum >= std::numeric_limits<Fen>::min() &&
                      sum <= std::numeric_limits<Fen>::max();
    v.Add("postings",
          fits ? absl::StrCat("amounts sum to ", static_cast<Fen>(sum),
                              " fen, expected 0")
               : std::string("amounts sum beyond the int64 range, expected 0"));
  }
  return v.ToStatus();
}

Entry Reversal(const Entry& original, int64_t new_id, std::string occurred_at,
               std::string reason) {
  Entry r;
  r.entry_id = new_id;
  r.occurred_at = std::move(occurred_at);
  r.kind = std::string(kReversalKind);
  r.memo = std::move(reason);
  r.reverses_entry_id = original.entry_id;
  r.postings.reserve(original.postings.size());
  for (const Posting& p : original.postings) {
    // Saturating instead of undefined behaviour for INT64_MIN, which
    // CheckBalanced rejects, so the unbalanced result is caught there too.
    const Fen negated = p.amount == std::numeric_limits<Fen>::min()
                            ? std::numeric_limits<Fen>::max()
                            : -p.amount;
    r.postings.push_back({p.account, negated});
  }
  return r;
}

std::string CanonicalEncoding(const Entry& entry) {
  std::string out;
  PutString(out, kEntryTag);
  PutInt(out, entry.entry_id);
  PutString(out, entry.occurred_at);
  PutString(out, entry.kind);
  PutString(out, entry.memo);
  PutInt(out, entry.reverses_entry_id);
  PutInt(out, static_cast<int64_t>(entry.postings.size()));
  for (const Posting& p : entry.postings) {
    PutString(out, p.account);
    PutInt(out, p.amount);
  }
  return out;
}

std::string EntryHashHex(const Entry& entry, absl::string_view key) {
  return ToHex(Hash(CanonicalEncoding(entry), key, entry.hash_version));
}

std::string SealHash(const std::string& previous_seal_hex,
                     int64_t first_entry_id, int64_t last_entry_id,
                     const std::vector<Entry>& entries, absl::string_view key,
                     int seal_version) {
  std::vector<Digest> digests;
  digests.reserve(entries.size());
  for (const Entry& e : entries) {
    digests.push_back(Hash(CanonicalEncoding(e), key, e.hash_version));
  }
  return SealHashOfDigests(previous_seal_hex, first_entry_id, last_entry_id,
                           digests, key, seal_version);
}

std::string SealHashFromEntryHashes(
    const std::string& previous_seal_hex, int64_t first_entry_id,
    int64_t last_entry_id, const std::vector<std::string>& entry_hashes_hex,
    absl::string_view key, int seal_version) {
  std::vector<Digest> digests(entry_hashes_hex.size());
  for (size_t i = 0; i < entry_hashes_hex.size(); ++i) {
    if (!FromHex(entry_hashes_hex[i], digests[i])) return "";
  }
  return SealHashOfDigests(previous_seal_hex, first_entry_id, last_entry_id,
                           digests, key, seal_version);
}

namespace {

bool KnownVersion(int version) {
  return version == kHashUnkeyed || version == kHashKeyed;
}

// The problem with an entry's hash version given what came before it, or
// "" when there is none.
std::string VersionProblem(const Entry& e, absl::string_view key,
                           bool keyed_before) {
  if (!KnownVersion(e.hash_version)) {
    return absl::StrCat("entry ", e.entry_id, " has an unknown hash version ",
                        e.hash_version);
  }
  if (e.hash_version == kHashUnkeyed && keyed_before) {
    return absl::StrCat("entry ", e.entry_id,
                        " claims the unkeyed hash after keyed entries or "
                        "seals: it was re-hashed without the ledger key");
  }
  if (e.hash_version == kHashKeyed && key.empty()) {
    return absl::StrCat("entry ", e.entry_id,
                        " is keyed but this service has no ledger key "
                        "(--ledger_hmac_key) to check it");
  }
  return "";
}

}  // namespace

VerifyResult VerifyUnsealed(const std::vector<Entry>& entries,
                            const std::map<int64_t, std::string>& written_hex,
                            absl::string_view key, bool keyed_before) {
  for (const Entry& e : entries) {
    if (std::string problem = VersionProblem(e, key, keyed_before);
        !problem.empty()) {
      return Bad(e.entry_id, std::move(problem));
    }
    keyed_before = keyed_before || e.hash_version == kHashKeyed;
    auto it = written_hex.find(e.entry_id);
    if (it == written_hex.end() || it->second != EntryHashHex(e, key)) {
      return Bad(e.entry_id,
                 absl::StrCat("entry ", e.entry_id,
                              " (not sealed yet) no longer matches the hash "
                              "written with it: it was altered"));
    }
  }
  return VerifyResult{};
}

VerifyResult VerifyChain(
    const std::vector<Seal>& seals,
    const std::function<std::vector<Entry>(int64_t, int64_t)>& entries_in_range,
    absl::string_view key) {
  std::string previous_hash(kGenesisSealHex);
  const Seal* previous = nullptr;
  bool keyed_seal_before = false;
  bool keyed_entry_before = false;
  for (const Seal& seal : seals) {
    const std::string name = absl::StrCat("seal ", seal.seal_id);
    if (!KnownVersion(seal.hash_version)) {
      return Bad(seal.first_entry_id,
                 absl::StrCat(name, " has an unknown hash version ",
                              seal.hash_version));
    }
    if (seal.hash_version == kHashUnkeyed && keyed_seal_before) {
      return Bad(seal.first_entry_id,
                 absl::StrCat(name,
                              " is unkeyed after a keyed seal: it was "
                              "recomputed without the ledger key"));
    }
    if (seal.hash_version == kHashKeyed && key.empty()) {
      return Bad(seal.first_entry_id,
                 absl::StrCat(name,
                              " is keyed but this service has no ledger "
                              "key (--ledger_hmac_key) to check it"));
    }
    if (seal.first_entry_id > seal.last_entry_id) {
      return Bad(seal.first_entry_id,
                 absl::StrCat(name, " has an empty entry range"));
    }
    if (previous != nullptr &&
        seal.first_entry_id != previous->last_entry_id + 1) {
      return Bad(seal.first_entry_id,
                 absl::StrCat(name, " starts at entry ", seal.first_entry_id,
                              " but seal ", previous->seal_id, " ended at ",
                              previous->last_entry_id));
    }
    if (seal.previous_hex != previous_hash) {
      return Bad(seal.first_entry_id,
                 previous == nullptr
                     ? absl::StrCat(name, " is not linked to the genesis hash")
                     : absl::StrCat(name, " is not linked to seal ",
                                    previous->seal_id));
    }
    const std::vector<Entry> entries =
        entries_in_range(seal.first_entry_id, seal.last_entry_id);
    int64_t last_id = seal.first_entry_id - 1;
    for (const Entry& e : entries) {
      if (e.entry_id <= last_id || e.entry_id > seal.last_entry_id) {
        return Bad(e.entry_id, absl::StrCat("entry ", e.entry_id,
                                            " is out of order or "
                                            "outside the range of ",
                                            name));
      }
      last_id = e.entry_id;
      // Inside a keyed seal an unkeyed entry is legitimate only if no keyed
      // entry came before it (entries written before the key existed).
      if (std::string problem =
              VersionProblem(e, key, keyed_entry_before || keyed_seal_before);
          !problem.empty()) {
        return Bad(e.entry_id, std::move(problem));
      }
      keyed_entry_before = keyed_entry_before || e.hash_version == kHashKeyed;
    }
    if (SealHash(seal.previous_hex, seal.first_entry_id, seal.last_entry_id,
                 entries, key, seal.hash_version) != seal.hash_hex) {
      return Locate(seal, entries, key);
    }
    previous_hash = seal.hash_hex;
    previous = &seal;
    keyed_seal_before = keyed_seal_before || seal.hash_version == kHashKeyed;
  }
  return VerifyResult{};
}

}  // namespace unionhub::finance::domain
