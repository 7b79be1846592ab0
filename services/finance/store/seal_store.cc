#include "services/finance/store/seal_store.h"

#include <cppconn/exception.h>

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/db/sql.h"

namespace unionhub::finance::store {
namespace {

constexpr int kErrDuplicateKey = 1062;

SealRow SealFromRow(sql::ResultSet& rs, bool with_hashes) {
  SealRow seal;
  seal.seal_id = db::GetInt64(rs, "seal_id");
  seal.first_entry_id = db::GetInt64(rs, "first_entry_id");
  seal.last_entry_id = db::GetInt64(rs, "last_entry_id");
  seal.entry_count = db::GetInt64(rs, "entry_count");
  seal.previous_hash = db::GetString(rs, "previous_hash");
  seal.seal_hash = db::GetString(rs, "seal_hash");
  seal.hash_version = static_cast<int>(db::GetInt64(rs, "hash_version"));
  if (with_hashes) {
    for (absl::string_view item : absl::StrSplit(
             db::GetString(rs, "entry_hashes"), ',', absl::SkipEmpty())) {
      std::pair<absl::string_view, absl::string_view> parts =
          absl::StrSplit(item, absl::MaxSplits(':', 1));
      int64_t id = 0;
      if (parts.second.empty()) {
        parts.second = parts.first;  // a hash without its id
      } else if (!absl::SimpleAtoi(parts.first, &id)) {
        id = 0;
      }
      seal.entry_ids.push_back(id);
      seal.entry_hashes.emplace_back(parts.second);
    }
  }
  return seal;
}

std::string EncodeEntryHashes(const SealRow& seal) {
  std::string out;
  for (size_t i = 0; i < seal.entry_hashes.size(); ++i) {
    absl::StrAppend(&out, i == 0 ? "" : ",",
                    i < seal.entry_ids.size() ? seal.entry_ids[i] : 0, ":",
                    seal.entry_hashes[i]);
  }
  return out;
}

}  // namespace

int64_t CommittedEntryHorizon(db::Connection& conn) {
  db::Query(conn, "SELECT id FROM ledger_gate WHERE id = 1 FOR UPDATE");
  auto rs = db::Query(
      conn, "SELECT COALESCE(MAX(entry_id), 0) AS id FROM ledger_entries");
  rs->next();
  return db::GetInt64(*rs, "id");
}

std::optional<SealRow> LatestSeal(db::Connection& conn) {
  auto rs = db::Query(conn,
                      "SELECT seal_id, first_entry_id, last_entry_id, "
                      "entry_count, previous_hash, seal_hash, hash_version "
                      "FROM ledger_seals "
                      "ORDER BY seal_id DESC LIMIT 1");
  if (!rs->next()) return std::nullopt;
  return SealFromRow(*rs, false);
}

std::optional<double> LatestSealTime(db::Connection& conn) {
  auto rs =
      db::Query(conn,
                "SELECT UNIX_TIMESTAMP(sealed_at) AS at FROM ledger_seals "
                "ORDER BY seal_id DESC LIMIT 1");
  if (!rs->next()) return std::nullopt;
  return rs->getDouble("at");
}

std::vector<SealRow> SealsThrough(db::Connection& conn, int64_t to_entry_id) {
  std::vector<SealRow> seals;
  auto rs = db::Query(conn,
                      "SELECT seal_id, first_entry_id, last_entry_id, "
                      "entry_count, previous_hash, seal_hash, entry_hashes, "
                      "hash_version FROM ledger_seals ORDER BY seal_id");
  while (rs->next()) {
    seals.push_back(SealFromRow(*rs, true));
    if (seals.back().last_entry_id >= to_entry_id) break;
  }
  return seals;
}

std::vector<SealRange> SealRanges(db::Connection& conn, int64_t from_entry_id,
                                  int64_t to_entry_id) {
  std::vector<SealRange> ranges;
  // From the last seal starting at or before `from` (it may cover it).
  auto rs = db::Query(
      conn,
      "SELECT seal_id, first_entry_id, last_entry_id FROM ledger_seals "
      "WHERE first_entry_id >= COALESCE((SELECT MAX(first_entry_id) FROM "
      "ledger_seals WHERE first_entry_id <= ?), 0) AND first_entry_id <= ? "
      "ORDER BY first_entry_id",
      from_entry_id, to_entry_id);
  while (rs->next()) {
    ranges.push_back({db::GetInt64(*rs, "seal_id"),
                      db::GetInt64(*rs, "first_entry_id"),
                      db::GetInt64(*rs, "last_entry_id")});
  }
  return ranges;
}

int64_t SealOf(const std::vector<SealRange>& ranges, int64_t entry_id) {
  auto it = std::upper_bound(
      ranges.begin(), ranges.end(), entry_id,
      [](int64_t id, const SealRange& r) { return id < r.first_entry_id; });
  if (it == ranges.begin()) return 0;
  --it;
  return entry_id <= it->last_entry_id ? it->seal_id : 0;
}

bool InsertSeal(db::Connection& conn, const SealRow& seal) {
  try {
    db::Execute(conn,
                "INSERT INTO ledger_seals (first_entry_id, last_entry_id, "
                "entry_count, previous_hash, seal_hash, entry_hashes, "
                "hash_version) VALUES (?, ?, ?, ?, ?, ?, ?)",
                seal.first_entry_id, seal.last_entry_id, seal.entry_count,
                seal.previous_hash, seal.seal_hash, EncodeEntryHashes(seal),
                seal.hash_version);
  } catch (const sql::SQLException& e) {
    if (e.getErrorCode() == kErrDuplicateKey) return false;
    throw;
  }
  return true;
}

std::map<int64_t, std::string> StoredEntryHashes(db::Connection& conn,
                                                 int64_t from_entry_id,
                                                 int64_t to_entry_id) {
  std::map<int64_t, std::string> hashes;
  auto rs = db::Query(conn,
                      "SELECT entry_id, entry_hash FROM ledger_entries "
                      "WHERE entry_id BETWEEN ? AND ?",
                      from_entry_id, to_entry_id);
  while (rs->next()) {
    hashes[db::GetInt64(*rs, "entry_id")] = db::GetString(*rs, "entry_hash");
  }
  return hashes;
}

std::optional<int64_t> NthEntryAfter(db::Connection& conn,
                                     int64_t after_entry_id,
                                     int64_t to_entry_id, int64_t n) {
  auto rs = db::Query(conn,
                      "SELECT entry_id FROM ledger_entries WHERE entry_id > ? "
                      "AND entry_id <= ? ORDER BY entry_id LIMIT 1 OFFSET ?",
                      after_entry_id, to_entry_id, n - 1);
  if (!rs->next()) return std::nullopt;
  return db::GetInt64(*rs, "entry_id");
}

int64_t MaxEntryId(db::Connection& conn) {
  auto rs = db::Query(
      conn, "SELECT COALESCE(MAX(entry_id), 0) AS id FROM ledger_entries");
  rs->next();
  return db::GetInt64(*rs, "id");
}

int64_t OldestEntryAgeAfter(db::Connection& conn, int64_t entry_id) {
  auto rs = db::Query(conn,
                      "SELECT COALESCE(TIMESTAMPDIFF(SECOND, MIN(created_at), "
                      "NOW(6)), 0) AS age FROM ledger_entries "
                      "WHERE entry_id > ?",
                      entry_id);
  rs->next();
  return db::GetInt64(*rs, "age");
}

int64_t CountEntriesAfter(db::Connection& conn, int64_t entry_id) {
  auto rs = db::Query(
      conn, "SELECT COUNT(*) AS n FROM ledger_entries WHERE entry_id > ?",
      entry_id);
  rs->next();
  return db::GetInt64(*rs, "n");
}

std::optional<Unbalanced> FirstUnbalancedEntry(db::Connection& conn,
                                               int64_t from_entry_id,
                                               int64_t to_entry_id) {
  // Postings are summed as DECIMAL by the server, so opposite amounts near
  // the int64 limit cannot wrap to 0.
  auto rs = db::Query(
      conn,
      "SELECT e.entry_id, COUNT(p.entry_id) AS posting_count, "
      "CAST(COALESCE(SUM(p.amount_fen), 0) AS CHAR) AS total "
      "FROM ledger_entries e LEFT JOIN ledger_postings p "
      "ON p.entry_id = e.entry_id WHERE e.entry_id BETWEEN ? AND ? "
      "GROUP BY e.entry_id "
      "HAVING COUNT(p.entry_id) < 2 OR COALESCE(SUM(p.amount_fen), 0) <> 0 "
      "ORDER BY e.entry_id LIMIT 1",
      from_entry_id, to_entry_id);
  std::optional<Unbalanced> found;
  if (rs->next()) {
    const int64_t id = db::GetInt64(*rs, "entry_id");
    const int64_t lines = db::GetInt64(*rs, "posting_count");
    found = Unbalanced{
        id, lines < 2
                ? absl::StrCat("entry ", id, " has ", lines,
                               " posting(s); at least two are needed")
                : absl::StrCat("entry ", id, "'s postings sum to ",
                               db::GetString(*rs, "total"), " fen, not 0")};
  }
  // Postings whose entry row is gone balance nothing either.
  auto orphans =
      db::Query(conn,
                "SELECT MIN(p.entry_id) AS id FROM ledger_postings p "
                "LEFT JOIN ledger_entries e ON e.entry_id = p.entry_id "
                "WHERE p.entry_id BETWEEN ? AND ? AND e.entry_id IS NULL",
                from_entry_id, to_entry_id);
  if (orphans->next() && !orphans->isNull("id")) {
    const int64_t id = db::GetInt64(*orphans, "id");
    if (!found.has_value() || id < found->entry_id) {
      found = Unbalanced{
          id, absl::StrCat("postings of entry ", id,
                           " remain but the entry itself is missing")};
    }
  }
  return found;
}

std::vector<StoredEntry> EntriesPage(db::Connection& conn,
                                     int64_t after_entry_id,
                                     int64_t to_entry_id, int limit) {
  std::vector<StoredEntry> page;
  auto rs = db::Query(
      conn,
      "SELECT e.entry_id, e.occurred_at, e.kind, e.memo, "
      "COALESCE(e.reverses_entry_id, 0) AS reverses_entry_id, e.request_id, "
      "e.entry_hash, e.hash_version, COALESCE(r.entry_id, 0) AS reversed_by "
      "FROM ledger_entries e LEFT JOIN ledger_entries r "
      "ON r.reverses_entry_id = e.entry_id "
      "WHERE e.entry_id > ? AND e.entry_id <= ? ORDER BY e.entry_id LIMIT ?",
      after_entry_id, to_entry_id, static_cast<int64_t>(limit));
  while (rs->next()) {
    StoredEntry s;
    s.entry.entry_id = db::GetInt64(*rs, "entry_id");
    s.entry.occurred_at = db::GetString(*rs, "occurred_at");
    s.entry.kind = db::GetString(*rs, "kind");
    s.entry.memo = db::GetString(*rs, "memo");
    s.entry.reverses_entry_id = db::GetInt64(*rs, "reverses_entry_id");
    s.entry.hash_version = static_cast<int>(db::GetInt64(*rs, "hash_version"));
    s.request_id = db::GetString(*rs, "request_id");
    s.entry_hash = db::GetString(*rs, "entry_hash");
    s.reversed_by_entry_id = db::GetInt64(*rs, "reversed_by");
    page.push_back(std::move(s));
  }
  if (page.empty()) return page;
  auto postings =
      db::Query(conn,
                "SELECT entry_id, account, amount_fen FROM "
                "ledger_postings WHERE entry_id BETWEEN ? AND ? "
                "ORDER BY entry_id, line",
                page.front().entry.entry_id, page.back().entry.entry_id);
  size_t index = 0;
  while (postings->next()) {
    const int64_t id = db::GetInt64(*postings, "entry_id");
    while (index < page.size() && page[index].entry.entry_id < id) ++index;
    if (index == page.size() || page[index].entry.entry_id != id) continue;
    page[index].entry.postings.push_back(
        {db::GetString(*postings, "account"),
         db::GetInt64(*postings, "amount_fen")});
  }
  return page;
}

}  // namespace unionhub::finance::store
