#include "services/finance/store/ledger_store.h"

#include <cppconn/exception.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/db/sql.h"
#include "services/finance/domain/accounts.h"
#include "services/finance/store/ledger_key.h"

namespace unionhub::finance::store {

void ReserveEntry(db::Connection& conn, domain::Entry& entry) {
  // Shared: writers do not wait for each other, only for the sealer's
  // instant of exclusive access (see ledger_gate in 0001_init.sql). The
  // gate's row and the sequence in one round trip.
  auto rs = db::Query(conn,
                      "SELECT NEXTVAL(ledger_entry_ids) AS id FROM ledger_gate "
                      "WHERE id = 1 LOCK IN SHARE MODE");
  if (!rs->next()) {
    throw sql::SQLException("the ledger gate row is missing");
  }
  entry.entry_id = db::GetInt64(*rs, "id");
  entry.occurred_at = absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", absl::Now(),
                                       absl::UTCTimeZone());
}

absl::StatusOr<domain::Entry> PostEntry(db::Connection& conn,
                                        domain::Entry entry,
                                        const std::string& request_id) {
  if (absl::Status balanced = domain::CheckBalanced(entry); !balanced.ok()) {
    return balanced;
  }
  if (absl::Status known = domain::CheckChartAccounts(entry); !known.ok()) {
    return known;
  }
  if (entry.entry_id == 0) ReserveEntry(conn, entry);
  const std::string key = LedgerKey();
  entry.hash_version = LedgerHashVersion();
  const std::string hash = domain::EntryHashHex(entry, key);
  if (entry.reverses_entry_id != 0) {
    db::Execute(
        conn,
        "INSERT INTO ledger_entries (entry_id, occurred_at, kind, memo, "
        "reverses_entry_id, request_id, entry_hash, hash_version) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        entry.entry_id, entry.occurred_at, entry.kind, entry.memo,
        entry.reverses_entry_id, request_id, hash, entry.hash_version);
  } else {
    db::Execute(
        conn,
        "INSERT INTO ledger_entries (entry_id, occurred_at, kind, memo, "
        "reverses_entry_id, request_id, entry_hash, hash_version) "
        "VALUES (?, ?, ?, ?, NULL, ?, ?, ?)",
        entry.entry_id, entry.occurred_at, entry.kind, entry.memo, request_id,
        hash, entry.hash_version);
  }
  sql::PreparedStatement& ps = conn.Prepare(absl::StrCat(
      "INSERT INTO ledger_postings (entry_id, line, account, amount_fen) "
      "VALUES ",
      db::Placeholders(static_cast<int>(entry.postings.size()), 4)));
  db::Binder binder(ps);
  int line = 0;
  for (const domain::Posting& posting : entry.postings) {
    binder.Add(entry.entry_id)
        .Add(++line)
        .Add(posting.account)
        .Add(posting.amount);
  }
  ps.executeUpdate();
  return entry;
}

namespace {

domain::Entry EntryFromRow(sql::ResultSet& rs) {
  domain::Entry entry;
  entry.entry_id = db::GetInt64(rs, "entry_id");
  entry.occurred_at = db::GetString(rs, "occurred_at");
  entry.kind = db::GetString(rs, "kind");
  entry.memo = db::GetString(rs, "memo");
  entry.reverses_entry_id = db::GetInt64(rs, "reverses_entry_id");
  entry.hash_version = static_cast<int>(db::GetInt64(rs, "hash_version"));
  return entry;
}

}  // namespace

absl::StatusOr<StoredEntry> GetEntry(db::Connection& conn, int64_t entry_id) {
  auto rs = db::Query(
      conn,
      "SELECT e.entry_id, e.occurred_at, e.kind, e.memo, "
      "COALESCE(e.reverses_entry_id, 0) AS reverses_entry_id, e.request_id, "
      "e.entry_hash, e.hash_version, COALESCE(r.entry_id, 0) AS reversed_by, "
      "COALESCE((SELECT MIN(s.seal_id) FROM ledger_seals s "
      "WHERE s.first_entry_id <= e.entry_id AND s.last_entry_id >= "
      "e.entry_id), 0) AS seal_id "
      "FROM ledger_entries e LEFT JOIN ledger_entries r "
      "ON r.reverses_entry_id = e.entry_id WHERE e.entry_id = ?",
      entry_id);
  if (!rs->next()) {
    return absl::NotFoundError(
        absl::StrCat("ledger entry ", entry_id, " does not exist"));
  }
  StoredEntry stored;
  stored.entry = EntryFromRow(*rs);
  stored.request_id = db::GetString(*rs, "request_id");
  stored.entry_hash = db::GetString(*rs, "entry_hash");
  stored.reversed_by_entry_id = db::GetInt64(*rs, "reversed_by");
  stored.seal_id = db::GetInt64(*rs, "seal_id");
  auto postings = db::Query(conn,
                            "SELECT account, amount_fen FROM ledger_postings "
                            "WHERE entry_id = ? ORDER BY line",
                            entry_id);
  while (postings->next()) {
    stored.entry.postings.push_back({db::GetString(*postings, "account"),
                                     db::GetInt64(*postings, "amount_fen")});
  }
  return stored;
}

std::vector<domain::Entry> EntriesInRange(db::Connection& conn,
                                          int64_t from_entry_id,
                                          int64_t to_entry_id) {
  std::vector<domain::Entry> entries;
  auto rs = db::Query(conn,
                      "SELECT entry_id, occurred_at, kind, memo, "
                      "COALESCE(reverses_entry_id, 0) AS reverses_entry_id, "
                      "hash_version "
                      "FROM ledger_entries WHERE entry_id BETWEEN ? AND ? "
                      "ORDER BY entry_id",
                      from_entry_id, to_entry_id);
  while (rs->next()) entries.push_back(EntryFromRow(*rs));
  if (entries.empty()) return entries;
  auto postings = db::Query(conn,
                            "SELECT entry_id, account, amount_fen "
                            "FROM ledger_postings WHERE entry_id BETWEEN ? "
                            "AND ? ORDER BY entry_id, line",
                            from_entry_id, to_entry_id);
  size_t index = 0;
  while (postings->next()) {
    const int64_t id = db::GetInt64(*postings, "entry_id");
    while (index < entries.size() && entries[index].entry_id < id) ++index;
    // A posting whose entry row is gone stays unmatched: VerifyChain then
    // sees the entry missing and reports it.
    if (index == entries.size() || entries[index].entry_id != id) continue;
    entries[index].postings.push_back({db::GetString(*postings, "account"),
                                       db::GetInt64(*postings, "amount_fen")});
  }
  return entries;
}

}  // namespace unionhub::finance::store
