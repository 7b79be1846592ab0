// The double-entry ledger's rules (DOMAIN §5) and its tamper evidence.
// Entries are append-only; a mistake is corrected by a reversing entry.
// Periodically a seal hashes a contiguous range of entry ids together with
// the previous seal, so altering, inserting or deleting any sealed entry
// (or reordering seals) breaks the chain. Pure computation: the store reads
// and writes entries and seals.
//
// Byte encodings (all integers 8-byte big-endian two's complement; every
// string prefixed by its length as such an integer, so no field boundary
// can move without changing the bytes):
//   CanonicalEncoding(entry) =
//     str("unionhub.ledger.entry.v1") i64(entry_id) str(occurred_at)
//     str(kind) str(memo) i64(reverses_entry_id) i64(#postings)
//     { str(account) i64(amount) } per posting, in the given order
//   EntryHash = H(CanonicalEncoding), 32 raw bytes
//   SealHash =
//     H( str("unionhub.ledger.seal.v1") str(previous_seal_hex)
//        i64(first_entry_id) i64(last_entry_id) i64(#entries)
//        EntryHash per entry in ascending id order )
// where H is, by each entry's and seal's hash_version:
//   kHashUnkeyed (1): SHA-256 — every entry and seal written before the
//     ledger had a key;
//   kHashKeyed (2): HMAC-SHA256 with the ledger key, which the service gets
//     from its secrets (--ledger_hmac_key) and the database never holds.
// Keying is what makes the chain evidence against someone who can write
// the tables: without the key an altered entry cannot be given a hash
// (nor a seal) that verifies. Versions only ever go up: an unkeyed entry
// after a keyed entry or after a keyed seal, or an unkeyed seal after a
// keyed one, is a downgrade and reported as tampering.
// Hashes are exchanged as lowercase hex. The first seal's previous hash is
// kGenesisSealHex.
//
// Entries after the latest seal are checked against the keyed hash written
// with each (VerifyUnsealed) until the next seal covers them.
#ifndef UNIONHUB_SERVICES_FINANCE_DOMAIN_LEDGER_H_
#define UNIONHUB_SERVICES_FINANCE_DOMAIN_LEDGER_H_

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/core/money.h"

namespace unionhub::finance::domain {

using money::Fen;

inline constexpr absl::string_view kReversalKind = "REVERSAL";
inline constexpr int kHashUnkeyed = 1;
inline constexpr int kHashKeyed = 2;
inline constexpr absl::string_view kGenesisSealHex =
    "0000000000000000000000000000000000000000000000000000000000000000";

struct Posting {
  std::string account;
  Fen amount = 0;  // debit positive, credit negative
};

struct Entry {
  int64_t entry_id = 0;
  std::string occurred_at;  // RFC 3339
  std::string kind;
  std::string memo;
  int64_t reverses_entry_id = 0;  // 0: not a reversal
  std::vector<Posting> postings;
  int hash_version = kHashUnkeyed;  // not part of the encoding
};

// INVALID_ARGUMENT (with field violations naming every problem) unless the
// entry has >= 2 postings, every account is non-empty, no amount is 0 or
// INT64_MIN (which could not be reversed), and the amounts sum to exactly 0
// (summed in 128 bits, so large opposite amounts cannot wrap to 0).
absl::Status CheckBalanced(const Entry& entry);

// The entry that undoes `original`: same accounts in the same order with
// negated amounts, kind kReversalKind, memo `reason`, pointing at the
// original. The original must have passed CheckBalanced (so no amount is
// INT64_MIN); then the reversal balances too.
Entry Reversal(const Entry& original, int64_t new_id, std::string occurred_at,
               std::string reason);

// See the encoding at the top of this file.
std::string CanonicalEncoding(const Entry& entry);

// Lowercase hex hash of CanonicalEncoding(entry) under entry.hash_version
// (keyed with `key`).
std::string EntryHashHex(const Entry& entry, absl::string_view key = {});

// Lowercase hex seal hash over `entries` (in ascending id order, all within
// [first_entry_id, last_entry_id]), each entry hashed under its own
// version, the seal under `seal_version`.
std::string SealHash(const std::string& previous_seal_hex,
                     int64_t first_entry_id, int64_t last_entry_id,
                     const std::vector<Entry>& entries,
                     absl::string_view key = {},
                     int seal_version = kHashUnkeyed);

// The same seal hash computed from stored per-entry hashes; "" when one of
// them is not 64 hex digits.
std::string SealHashFromEntryHashes(
    const std::string& previous_seal_hex, int64_t first_entry_id,
    int64_t last_entry_id, const std::vector<std::string>& entry_hashes_hex,
    absl::string_view key = {}, int seal_version = kHashUnkeyed);

struct Seal {
  int64_t seal_id = 0;
  int64_t first_entry_id = 0;
  int64_t last_entry_id = 0;
  std::string previous_hex;
  std::string hash_hex;
  // Optional: each sealed entry's EntryHashHex, in id order, stored with
  // the seal. They are covered by hash_hex, so once they reproduce it they
  // can be trusted to name the exact altered entry. Empty: the verifier
  // can only name the seal's first entry.
  std::vector<std::string> entry_hashes_hex;
  int hash_version = kHashUnkeyed;
};

struct VerifyResult {
  bool intact = true;
  int64_t first_bad_entry_id = 0;  // 0 when intact
  std::string reason;              // empty when intact
};

// Checks `seals` in the given order (ascending seal id): each seal's range
// is non-empty and starts right after the previous seal's (ids may have
// gaps inside a range: the range, not the rows, is contiguous), its
// previous_hex is the previous seal's hash (kGenesisSealHex for the first),
// and its hash recomputes from `entries_in_range(first, last)`. Stops at
// the first problem. first_bad_entry_id is the exact entry when the seal
// carries trustworthy per-entry hashes, else the seal's first entry id.
// A keyed seal or entry needs `key`; without it the chain is reported not
// intact (it cannot be shown intact). Also refuses version downgrades.
VerifyResult VerifyChain(
    const std::vector<Seal>& seals,
    const std::function<std::vector<Entry>(int64_t, int64_t)>& entries_in_range,
    absl::string_view key = {});

// Checks entries not yet covered by a seal (ascending id order) against the
// hash written with each (`written_hex`, by entry id): an entry altered
// after it was written no longer matches, and one re-hashed without the key
// neither (nor may it claim the unkeyed version after `keyed_before`, i.e.
// after a keyed seal or a keyed entry).
VerifyResult VerifyUnsealed(const std::vector<Entry>& entries,
                            const std::map<int64_t, std::string>& written_hex,
                            absl::string_view key, bool keyed_before);

}  // namespace unionhub::finance::domain

#endif  // UNIONHUB_SERVICES_FINANCE_DOMAIN_LEDGER_H_
