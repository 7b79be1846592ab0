// The keyed ledger (issue 11 item 10): entries not sealed yet are verified
// too, an entry altered and re-hashed without the ledger key is caught
// before and after sealing, and a stalled sealer makes VerifyLedger say so.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/db/sql.h"
#include "services/finance/domain/ledger.h"
#include "services/finance/ledger_sealer.h"
#include "services/finance/store/ledger_key.h"
#include "services/finance/store/ledger_store.h"
#include "tests/service/finance_funds_helpers.h"

namespace unionhub::testing {
namespace {

using finance::SealOnce;

std::vector<int64_t> Expenses(FinanceServer& server, int64_t org, int count) {
  std::vector<int64_t> ids;
  for (int i = 0; i < count; ++i) {
    ids.push_back(MustRpc(server.finance(), &FStub::RecordExpense,
                          ExpenseRequest(org, 10000 + i), "RecordExpense")
                      .expense()
                      .entry_id());
  }
  return ids;
}

fv1::VerifyLedgerResponse Verify(FinanceServer& server) {
  return MustRpc(server.audit(), &AStub::VerifyLedger,
                 fv1::VerifyLedgerRequest(), "VerifyLedger");
}

// The entry as stored, re-read through the store.
finance::domain::Entry Stored(FinanceServer& server, int64_t entry_id) {
  finance::domain::Entry entry;
  absl::Status read = server.database().pool().Run([&](db::Connection& conn) {
    absl::StatusOr<finance::store::StoredEntry> stored =
        finance::store::GetEntry(conn, entry_id);
    if (!stored.ok()) return stored.status();
    entry = stored->entry;
    return absl::OkStatus();
  });
  EXPECT_TRUE(read.ok()) << read;
  return entry;
}

TEST(FinanceLedgerKeyed, NewEntriesAndSealsAreKeyed) {
  FinanceServer server("ledger_keyed");
  FundsCounty c = BuildFundsCounty(server);
  const std::vector<int64_t> ids = Expenses(server, c.union_a1.org_id(), 2);
  EXPECT_EQ(SqlInt(server,
                   "SELECT COUNT(*) FROM ledger_entries WHERE hash_version = 2 "
                   "AND entry_id >= ?",
                   ids[0]),
            2);
  // The stored hash is the keyed one, not the plain SHA-256.
  finance::domain::Entry entry = Stored(server, ids[0]);
  EXPECT_EQ(entry.hash_version, finance::domain::kHashKeyed);
  const std::string stored_hash =
      Sql(server, "SELECT entry_hash FROM ledger_entries WHERE entry_id = ?",
          ids[0]);
  EXPECT_EQ(stored_hash,
            finance::domain::EntryHashHex(entry, finance::store::LedgerKey()));
  finance::domain::Entry unkeyed = entry;
  unkeyed.hash_version = finance::domain::kHashUnkeyed;
  EXPECT_NE(stored_hash, finance::domain::EntryHashHex(unkeyed));
  ASSERT_TRUE(SealOnce(server.database().pool()).ok());
  EXPECT_EQ(Sql(server, "SELECT MIN(hash_version) FROM ledger_seals"), "2");
  fv1::VerifyLedgerResponse ok = Verify(server);
  EXPECT_TRUE(ok.intact()) << ok.reason();
}

TEST(FinanceLedgerKeyed, AnAlteredUnsealedEntryIsNotIntact) {
  FinanceServer server("ledger_unsealed");
  FundsCounty c = BuildFundsCounty(server);
  ASSERT_TRUE(SealOnce(server.database().pool()).ok());
  const std::vector<int64_t> ids = Expenses(server, c.union_a1.org_id(), 3);
  EXPECT_TRUE(Verify(server).intact());
  // Both legs moved, so the entry still balances: only its hash tells.
  server.database().Exec(
      "UPDATE ledger_postings SET amount_fen = CASE WHEN amount_fen > 0 THEN "
      "amount_fen + 100 ELSE amount_fen - 100 END WHERE entry_id = ?",
      ids[1]);
  fv1::VerifyLedgerResponse altered = Verify(server);
  EXPECT_FALSE(altered.intact());
  EXPECT_TRUE(altered.ledger_balanced());
  EXPECT_EQ(altered.first_bad_entry_id(), ids[1]) << altered.reason();
  EXPECT_NE(altered.reason().find(std::to_string(ids[1])), std::string::npos);
}

TEST(FinanceLedgerKeyed, AnEntryReHashedWithoutTheKeyIsCaught) {
  FinanceServer server("ledger_rehash");
  FundsCounty c = BuildFundsCounty(server);
  const std::vector<int64_t> first = Expenses(server, c.union_a1.org_id(), 2);
  ASSERT_TRUE(SealOnce(server.database().pool()).ok());
  const std::vector<int64_t> ids = Expenses(server, c.union_a1.org_id(), 2);

  // The memo rewritten and the hash recomputed as plain SHA-256, which is
  // all anyone without the key can do: kept at version 2 ...
  server.database().Exec(
      "UPDATE ledger_entries SET memo = 'rewritten' WHERE entry_id = ?",
      ids[0]);
  finance::domain::Entry entry = Stored(server, ids[0]);
  entry.hash_version = finance::domain::kHashUnkeyed;
  const std::string plain = finance::domain::EntryHashHex(entry);
  server.database().Exec(
      "UPDATE ledger_entries SET entry_hash = ? WHERE entry_id = ?", plain,
      ids[0]);
  fv1::VerifyLedgerResponse keyed = Verify(server);
  EXPECT_FALSE(keyed.intact());
  EXPECT_EQ(keyed.first_bad_entry_id(), ids[0]) << keyed.reason();

  // ... or claiming the unkeyed version of entries written before keys.
  server.database().Exec(
      "UPDATE ledger_entries SET hash_version = 1 WHERE entry_id = ?", ids[0]);
  fv1::VerifyLedgerResponse downgraded = Verify(server);
  EXPECT_FALSE(downgraded.intact());
  EXPECT_EQ(downgraded.first_bad_entry_id(), ids[0]) << downgraded.reason();

  // The sealer refuses to seal it as genuine, and nothing is sealed.
  const std::string seals = Sql(server, "SELECT COUNT(*) FROM ledger_seals");
  absl::StatusOr<int64_t> refused = SealOnce(server.database().pool());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(Sql(server, "SELECT COUNT(*) FROM ledger_seals"), seals);
}

TEST(FinanceLedgerKeyed, AStalledSealerIsNotIntact) {
  FinanceServer server("ledger_stall");
  FundsCounty c = BuildFundsCounty(server);
  ASSERT_TRUE(SealOnce(server.database().pool()).ok());
  const std::vector<int64_t> ids = Expenses(server, c.union_a1.org_id(), 2);
  EXPECT_TRUE(Verify(server).intact());
  // created_at is not hashed: ageing it is what a sealer that has failed
  // for an hour looks like.
  server.database().Exec(
      "UPDATE ledger_entries SET created_at = created_at - INTERVAL 1 HOUR "
      "WHERE entry_id = ?",
      ids[0]);
  fv1::VerifyLedgerResponse stalled = Verify(server);
  EXPECT_FALSE(stalled.intact());
  EXPECT_EQ(stalled.first_bad_entry_id(), ids[0]);
  EXPECT_NE(stalled.reason().find("stalled"), std::string::npos)
      << stalled.reason();
  // Sealing catches up and the ledger is intact again.
  ASSERT_TRUE(SealOnce(server.database().pool()).ok());
  fv1::VerifyLedgerResponse sealed = Verify(server);
  EXPECT_TRUE(sealed.intact()) << sealed.reason();
}

}  // namespace
}  // namespace unionhub::testing
