// The append-only ledger in SQL: entries, postings and seals are only ever
// inserted (the service's database user has no UPDATE or DELETE on them).
#ifndef UNIONHUB_SERVICES_FINANCE_STORE_LEDGER_STORE_H_
#define UNIONHUB_SERVICES_FINANCE_STORE_LEDGER_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/db/pool.h"
#include "services/finance/domain/ledger.h"

namespace unionhub::finance::store {

// Ledger entry kinds.
inline constexpr char kDuesAssessed[] = "DUES_ASSESSED";
inline constexpr char kDuesPaid[] = "DUES_PAID";
inline constexpr char kDuesSuspended[] = "DUES_SUSPENSE";
inline constexpr char kSuspenseApplied[] = "SUSPENSE_APPLIED";
inline constexpr char kSuspenseDiscarded[] = "SUSPENSE_DISCARDED";
inline constexpr char kFundsDeclared[] = "FUNDS_DECLARED";
inline constexpr char kFundsCollected[] = "FUNDS_COLLECTED";
inline constexpr char kPreparationReleased[] = "PREPARATION_RELEASED";
inline constexpr char kExpense[] = "EXPENSE";

// Takes the ledger gate's shared lock (held until commit) and the next
// entry id, in one statement, for `entry` (its entry_id and occurred_at),
// so rows written before the entry can carry its id instead of being
// updated after it (one round trip less). The sealer waits for the gate,
// so reserve late in the transaction.
void ReserveEntry(db::Connection& conn, domain::Entry& entry);

// Posts `entry` (its entry_id and occurred_at are assigned here unless
// ReserveEntry did; postings must balance, else INVALID_ARGUMENT, and name
// accounts of the chart (domain/accounts.h), else INTERNAL) with its hash,
// and returns it as stored. Takes the ledger gate's shared lock, held until
// commit; post the entry as the last step of a transaction so the sealer
// never waits long.
absl::StatusOr<domain::Entry> PostEntry(db::Connection& conn,
                                        domain::Entry entry,
                                        const std::string& request_id);

struct StoredEntry {
  domain::Entry entry;
  std::string request_id;
  std::string entry_hash;
  int64_t reversed_by_entry_id = 0;
  int64_t seal_id = 0;
};

// NOT_FOUND when there is no such entry.
absl::StatusOr<StoredEntry> GetEntry(db::Connection& conn, int64_t entry_id);

// Entries with from <= id <= to in id order, with postings (line order).
std::vector<domain::Entry> EntriesInRange(db::Connection& conn,
                                          int64_t from_entry_id,
                                          int64_t to_entry_id);

}  // namespace unionhub::finance::store

#endif  // UNIONHUB_SERVICES_FINANCE_STORE_LEDGER_STORE_H_
