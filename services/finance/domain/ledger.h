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
//   EntryHash = SHA-256(CanonicalEncoding), 32 raw bytes
//   SealHash =
//     SHA-256( str("unionhub.ledger.seal.v1") str(previous_seal_hex)
//              i64(first_entry_id) i64(last_entry_id) i64(#entries)
//              EntryHash per entry in ascending id order )
// Hashes are exchanged as lowercase hex. The first seal's previous hash is
// kGenesisSealHex.
//
// What a chain cannot prove on its own: someone able to rewrite every row
// can recompute every seal. The latest seal hash should therefore also be
// published outside the database (audit report, signed export). Entries
// after the latest seal are not covered until the next seal.
#ifndef UNIONHUB_SERVICES_FINANCE_DOMAIN_LEDGER_H_
#define UNIONHUB_SERVICES_FINANCE_DOMAIN_LEDGER_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/core/money.h"

namespace unionhub::finance::domain {

using money::Fen;

inline constexpr absl::string_view kReversalKind = "REVERSAL";
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

// Lowercase hex SHA-256 of CanonicalEncoding(entry).
std::string EntryHashHex(const Entry& entry);

// Lowercase hex seal hash over `entries` (in ascending id order, all within
// [first_entry_id, last_entry_id]).
std::string SealHash(const std::string& previous_seal_hex,
                     int64_t first_entry_id, int64_t last_entry_id,
                     const std::vector<Entry>& entries);

// The same seal hash computed from stored per-entry hashes; "" when one of
// them is not 64 hex digits.
std::string SealHashFromEntryHashes(
    const std::string& previous_seal_hex, int64_t first_entry_id,
    int64_t last_entry_id, const std::vector<std::string>& entry_hashes_hex);

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
VerifyResult VerifyChain(
    const std::vector<Seal>& seals,
    const std::function<std::vector<Entry>(int64_t, int64_t)>&
        entries_in_range);

}  // namespace unionhub::finance::domain

#endif  // UNIONHUB_SERVICES_FINANCE_DOMAIN_LEDGER_H_
