// The ledger's seal chain and the reads the verifier and the export need.
// Seals, like entries, are only ever inserted.
#ifndef UNIONHUB_SERVICES_FINANCE_STORE_SEAL_STORE_H_
#define UNIONHUB_SERVICES_FINANCE_STORE_SEAL_STORE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/db/pool.h"
#include "services/finance/domain/ledger.h"
#include "services/finance/store/ledger_store.h"

namespace unionhub::finance::store {

// The highest entry id at an instant when no writer is between taking an
// id and committing: takes the ledger gate exclusively (writers hold it
// shared from NEXTVAL to commit), so once the caller's transaction commits
// every id up to the result is committed or rolled back for good. Call it
// alone in a short transaction.
int64_t CommittedEntryHorizon(db::Connection& conn);

struct SealRow {
  int64_t seal_id = 0;
  int64_t first_entry_id = 0;
  int64_t last_entry_id = 0;
  int64_t entry_count = 0;
  std::string previous_hash;
  std::string seal_hash;
  int hash_version = 1;  // domain::kHashUnkeyed or kHashKeyed
  // Only when asked for: each sealed entry's id and hash, in id order,
  // stored as "id:hash,id:hash". The seal hash covers the hashes, not the
  // ids; the ids only let the verifier name a deleted entry.
  std::vector<int64_t> entry_ids;
  std::vector<std::string> entry_hashes;
};

// The seal with the highest id, without its entry hashes.
std::optional<SealRow> LatestSeal(db::Connection& conn);

// Seals in id order up to and including the first one whose range reaches
// `to_entry_id`, with their entry hashes.
std::vector<SealRow> SealsThrough(db::Connection& conn, int64_t to_entry_id);

// (seal_id, first, last) of the seals covering any id in [from, to], by
// first entry: enough to name the seal of each exported entry.
struct SealRange {
  int64_t seal_id = 0;
  int64_t first_entry_id = 0;
  int64_t last_entry_id = 0;
};
std::vector<SealRange> SealRanges(db::Connection& conn, int64_t from_entry_id,
                                  int64_t to_entry_id);
// The seal covering `entry_id` in ranges sorted by first entry, else 0.
int64_t SealOf(const std::vector<SealRange>& ranges, int64_t entry_id);

// False when another seal already starts at first_entry_id or continues
// from previous_hash (a racing sealer won); the row is then not written.
bool InsertSeal(db::Connection& conn, const SealRow& seal);

// entry_id -> entry_hash as written with each entry, for ids in range.
std::map<int64_t, std::string> StoredEntryHashes(db::Connection& conn,
                                                 int64_t from_entry_id,
                                                 int64_t to_entry_id);

// The id of the `n`th entry (1-based) after `after_entry_id` and not after
// `to_entry_id`, or nullopt when there are fewer.
std::optional<int64_t> NthEntryAfter(db::Connection& conn,
                                     int64_t after_entry_id,
                                     int64_t to_entry_id, int64_t n);

int64_t MaxEntryId(db::Connection& conn);

// When the latest seal was written (Unix seconds), or nullopt when there
// is none yet.
std::optional<double> LatestSealTime(db::Connection& conn);
int64_t CountEntriesAfter(db::Connection& conn, int64_t entry_id);

// Seconds since the oldest entry after `entry_id` was written (by the
// database clock); 0 when there is none.
int64_t OldestEntryAgeAfter(db::Connection& conn, int64_t entry_id);

// The first entry in range whose postings do not balance (sum != 0, or
// fewer than two postings, or none at all), with a description.
struct Unbalanced {
  int64_t entry_id = 0;
  std::string reason;
};
std::optional<Unbalanced> FirstUnbalancedEntry(db::Connection& conn,
                                               int64_t from_entry_id,
                                               int64_t to_entry_id);

// Up to `limit` entries with after_entry_id < id <= to_entry_id, in id
// order, with postings, hash, request id and reversing entry (seal_id is
// left 0: see SealOf).
std::vector<StoredEntry> EntriesPage(db::Connection& conn,
                                     int64_t after_entry_id,
                                     int64_t to_entry_id, int limit);

}  // namespace unionhub::finance::store

#endif  // UNIONHUB_SERVICES_FINANCE_STORE_SEAL_STORE_H_
