// The ledger: reversals, the seal chain and its verification against
// tampering done directly in SQL, racing sealers, and the export stream.
#include <gtest/gtest.h>

#include <atomic>
#include <optional>
#include <thread>

#include "absl/strings/str_cat.h"
#include "common/db/sql.h"
#include "services/finance/ledger_sealer.h"
#include "services/finance/store/ledger_store.h"
#include "services/finance/store/seal_store.h"
#include "tests/service/finance_funds_helpers.h"

namespace unionhub::testing {
namespace {

using finance::SealOnce;

// `count` expenses of `amount_fen` at `org`: one ledger entry each.
std::vector<int64_t> Expenses(FinanceServer& server, int64_t org, int count,
                              int64_t amount_fen = 12345) {
  std::vector<int64_t> ids;
  for (int i = 0; i < count; ++i) {
    ids.push_back(MustRpc(server.finance(), &FStub::RecordExpense,
                          ExpenseRequest(org, amount_fen + i), "RecordExpense")
                      .expense()
                      .entry_id());
  }
  return ids;
}

fv1::VerifyLedgerResponse Verify(FinanceServer& server, int64_t from = 0,
                                 int64_t to = 0) {
  fv1::VerifyLedgerRequest req;
  req.set_from_entry_id(from);
  req.set_to_entry_id(to);
  return MustRpc(server.audit(), &AStub::VerifyLedger, req, "VerifyLedger");
}

int64_t MustSeal(FinanceServer& server, int64_t max_entries = 0) {
  absl::StatusOr<int64_t> sealed =
      SealOnce(server.database().pool(), max_entries);
  EXPECT_TRUE(sealed.ok()) << sealed.status();
  return sealed.ok() ? *sealed : -1;
}

fv1::ReverseTransactionRequest ReverseRequest(int64_t entry_id,
                                              const std::string& reason) {
  fv1::ReverseTransactionRequest req;
  req.set_request_id(NewRequestId());
  req.set_entry_id(entry_id);
  req.set_reason(reason);
  return req;
}

TEST(FinanceLedger, ReversalPointsAtTheOriginalOnce) {
  FinanceServer server("ledger_reverse");
  FundsCounty c = BuildFundsCounty(server);
  const std::vector<int64_t> entries = Expenses(server, c.union_a1.org_id(), 2);
  const fv1::LedgerEntry original = MustGetEntry(server, entries[0]);

  fv1::ReverseTransactionRequest req =
      ReverseRequest(entries[0], "误记：发票重复报销");
  fv1::ReverseTransactionResponse first =
      MustRpc(server.finance(), &FStub::ReverseTransaction, req, "reverse");
  const fv1::LedgerEntry& reversal = first.reversal();
  EXPECT_GT(reversal.entry_id(), entries[1]);
  EXPECT_EQ(reversal.kind(), "REVERSAL");
  EXPECT_EQ(reversal.memo(), "误记：发票重复报销");
  EXPECT_EQ(reversal.reverses_entry_id(), entries[0]);
  ASSERT_EQ(reversal.postings_size(), original.postings_size());
  for (int i = 0; i < original.postings_size(); ++i) {
    EXPECT_EQ(reversal.postings(i).account(), original.postings(i).account());
    EXPECT_EQ(reversal.postings(i).amount_fen(),
              -original.postings(i).amount_fen());
  }
  // What GetTransaction shows, hash included, is what was returned.
  const fv1::LedgerEntry stored = MustGetEntry(server, reversal.entry_id());
  EXPECT_EQ(stored.entry_hash(), reversal.entry_hash());
  EXPECT_EQ(stored.entry_hash().size(), 64u);
  EXPECT_EQ(stored.request_id(), req.request_id());
  EXPECT_EQ(MustGetEntry(server, entries[0]).reversed_by_entry_id(),
            reversal.entry_id());

  // A retry returns the same reversal and posts nothing.
  const int64_t count = SqlInt(server, "SELECT COUNT(*) FROM ledger_entries");
  EXPECT_EQ(MustRpc(server.finance(), &FStub::ReverseTransaction, req, "retry")
                .SerializeAsString(),
            first.SerializeAsString());
  EXPECT_EQ(SqlInt(server, "SELECT COUNT(*) FROM ledger_entries"), count);

  fv1::ReverseTransactionResponse resp;
  grpc::Status twice = Rpc(server.finance(), &FStub::ReverseTransaction,
                           ReverseRequest(entries[0], "again"), &resp);
  EXPECT_EQ(twice.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(twice.error_message().find(std::to_string(reversal.entry_id())),
            std::string::npos);
  grpc::Status of_reversal =
      Rpc(server.finance(), &FStub::ReverseTransaction,
          ReverseRequest(reversal.entry_id(), "undo the undo"), &resp);
  EXPECT_EQ(of_reversal.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Rpc(server.finance(), &FStub::ReverseTransaction,
                ReverseRequest(987654, "missing"), &resp)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);
  fv1::ReverseTransactionRequest bad;
  grpc::Status invalid =
      Rpc(server.finance(), &FStub::ReverseTransaction, bad, &resp);
  EXPECT_EQ(invalid.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  std::vector<std::string> fields = BadFields(invalid);
  std::sort(fields.begin(), fields.end());
  EXPECT_EQ(fields,
            (std::vector<std::string>{"entry_id", "reason", "request_id"}));
  EXPECT_EQ(SqlInt(server, "SELECT COUNT(*) FROM ledger_entries"), count);

  // Concurrent reversals of one entry: exactly one wins.
  std::vector<grpc::Status> results(4);
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      fv1::ReverseTransactionResponse r;
      results[i] =
          Rpc(server.finance(), &FStub::ReverseTransaction,
              ReverseRequest(entries[1], absl::StrCat("race ", i)), &r);
    });
  }
  for (std::thread& t : threads) t.join();
  int won = 0;
  for (const grpc::Status& s : results) {
    if (s.ok()) {
      ++won;
    } else {
      EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION)
          << s.error_message();
    }
  }
  EXPECT_EQ(won, 1);
  EXPECT_EQ(
      SqlInt(server,
             "SELECT COUNT(*) FROM ledger_entries WHERE reverses_entry_id = ?",
             entries[1]),
      1);
  ExpectLedgerBalanced(server);
}

TEST(FinanceLedger, SealsVerifyAndNameTheTamperedEntry) {
  FinanceServer server("ledger_tamper");
  FundsCounty c = BuildFundsCounty(server);
  const std::vector<int64_t> first = Expenses(server, c.union_a1.org_id(), 4);

  fv1::VerifyLedgerResponse before = Verify(server);
  EXPECT_TRUE(before.intact());
  EXPECT_EQ(before.seals_checked(), 0);
  EXPECT_EQ(before.unsealed_entries(), 4);
  EXPECT_EQ(MustGetEntry(server, first[0]).seal_id(), 0);

  EXPECT_EQ(MustSeal(server), 4);
  EXPECT_EQ(MustSeal(server), 0);  // nothing new
  const std::vector<int64_t> second = Expenses(server, c.union_a2.org_id(), 3);
  fv1::VerifyLedgerResponse partial = Verify(server);
  EXPECT_TRUE(partial.intact());
  EXPECT_EQ(partial.unsealed_entries(), 3);
  EXPECT_EQ(partial.last_sealed_entry_id(), first.back());
  EXPECT_EQ(MustSeal(server), 3);

  fv1::VerifyLedgerResponse ok = Verify(server);
  EXPECT_TRUE(ok.intact()) << ok.reason();
  EXPECT_TRUE(ok.ledger_balanced());
  EXPECT_EQ(ok.seals_checked(), 2);
  EXPECT_EQ(ok.entries_checked(), 7);
  EXPECT_EQ(ok.unsealed_entries(), 0);
  EXPECT_EQ(ok.last_sealed_entry_id(), second.back());
  EXPECT_EQ(ok.latest_seal_hash(),
            Sql(server,
                "SELECT seal_hash FROM ledger_seals ORDER BY seal_id "
                "DESC LIMIT 1"));
  const int64_t seal_one =
      SqlInt(server, "SELECT MIN(seal_id) FROM ledger_seals");
  EXPECT_EQ(MustGetEntry(server, first[2]).seal_id(), seal_one);
  EXPECT_GT(MustGetEntry(server, second[0]).seal_id(), seal_one);
  // A range up to the first seal checks only the first seal.
  EXPECT_EQ(Verify(server, 0, first.back()).seals_checked(), 1);

  // An amount changed as root, bypassing the service.
  server.database().Exec(
      "UPDATE ledger_postings SET amount_fen = amount_fen + 100 WHERE entry_id "
      "= ? AND line = 1",
      first[2]);
  fv1::VerifyLedgerResponse amount = Verify(server);
  EXPECT_FALSE(amount.intact());
  EXPECT_EQ(amount.first_bad_entry_id(), first[2]) << amount.reason();
  EXPECT_FALSE(amount.ledger_balanced());
  server.database().Exec(
      "UPDATE ledger_postings SET amount_fen = amount_fen - 100 WHERE entry_id "
      "= ? AND line = 1",
      first[2]);
  EXPECT_TRUE(Verify(server).intact());

  // A memo changed: the postings still balance, the chain does not.
  server.database().Exec(
      "UPDATE ledger_entries SET memo = 'nothing to see' WHERE entry_id = ?",
      second[1]);
  fv1::VerifyLedgerResponse memo = Verify(server);
  EXPECT_FALSE(memo.intact());
  EXPECT_EQ(memo.first_bad_entry_id(), second[1]) << memo.reason();
  EXPECT_TRUE(memo.ledger_balanced());
  // The first seal is still sound on its own.
  EXPECT_TRUE(Verify(server, 0, first.back()).intact());

  // The sealer refuses to seal over an entry altered before its seal.
  const std::vector<int64_t> third = Expenses(server, c.union_b1.org_id(), 2);
  server.database().Exec(
      "UPDATE ledger_entries SET memo = 'rewritten' WHERE entry_id = ?",
      third[0]);
  absl::StatusOr<int64_t> refused = SealOnce(server.database().pool());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(refused.status().message().find(std::to_string(third[0])),
            std::string::npos);
  EXPECT_EQ(Sql(server, "SELECT COUNT(*) FROM ledger_seals"), "2");
}

TEST(FinanceLedger, ADeletedEntryIsNamed) {
  FinanceServer server("ledger_delete");
  FundsCounty c = BuildFundsCounty(server);
  const std::vector<int64_t> ids = Expenses(server, c.union_a1.org_id(), 5);
  EXPECT_EQ(MustSeal(server, 2), 2);  // at most two entries per seal
  EXPECT_EQ(MustSeal(server), 3);
  EXPECT_TRUE(Verify(server).intact());
  server.database().Exec("DELETE FROM ledger_postings WHERE entry_id = ?",
                         ids[3]);
  server.database().Exec("DELETE FROM ledger_entries WHERE entry_id = ?",
                         ids[3]);
  fv1::VerifyLedgerResponse gone = Verify(server);
  EXPECT_FALSE(gone.intact());
  EXPECT_EQ(gone.first_bad_entry_id(), ids[3]) << gone.reason();
  EXPECT_NE(gone.reason().find("missing"), std::string::npos);
  // Postings without their entry are reported as unbalanced too.
  server.database().Exec("DELETE FROM ledger_entries WHERE entry_id = ?",
                         ids[4]);
  fv1::VerifyLedgerResponse orphan = Verify(server, ids[4], ids[4]);
  EXPECT_FALSE(orphan.ledger_balanced());
}

TEST(FinanceLedger, RacingSealersAreHarmless) {
  FinanceServer server("ledger_race");
  FundsCounty c = BuildFundsCounty(server);
  std::atomic<bool> writing{true};
  std::thread writer([&] {
    for (int i = 0; i < 12; ++i) Expenses(server, c.union_a1.org_id(), 1, 100);
    writing = false;
  });
  std::vector<std::thread> sealers;
  std::atomic<int> failures{0};
  for (int s = 0; s < 3; ++s) {
    sealers.emplace_back([&] {
      while (writing) {
        if (!SealOnce(server.database().pool()).ok()) ++failures;
      }
      if (!SealOnce(server.database().pool()).ok()) ++failures;
    });
  }
  writer.join();
  for (std::thread& t : sealers) t.join();
  MustSeal(server);
  EXPECT_EQ(failures.load(), 0);
  // One chain, every entry sealed exactly once.
  EXPECT_EQ(Sql(server, "SELECT SUM(entry_count) FROM ledger_seals"), "12");
  fv1::VerifyLedgerResponse verified = Verify(server);
  EXPECT_TRUE(verified.intact()) << verified.reason();
  EXPECT_EQ(verified.entries_checked(), 12);
  EXPECT_EQ(verified.unsealed_entries(), 0);

  // A replica that computed the same seal a moment later loses quietly.
  absl::Status raced =
      server.database().pool().InTransaction([](db::Connection& conn) {
        std::optional<finance::store::SealRow> latest =
            finance::store::LatestSeal(conn);
        if (!latest.has_value()) return absl::NotFoundError("no seal");
        EXPECT_FALSE(finance::store::InsertSeal(conn, *latest));
        finance::store::SealRow fork = *latest;
        fork.first_entry_id = latest->last_entry_id + 1;
        fork.last_entry_id = latest->last_entry_id + 1;
        EXPECT_FALSE(finance::store::InsertSeal(conn, fork))
            << "a second seal continuing from the same previous hash";
        return absl::OkStatus();
      });
  EXPECT_TRUE(raced.ok()) << raced;
  EXPECT_EQ(Sql(server, "SELECT SUM(entry_count) FROM ledger_seals"), "12");

  // The background sealer does the same on its own.
  Expenses(server, c.union_a1.org_id(), 2, 100);
  finance::LedgerSealer sealer(server.database().pool(),
                               absl::Milliseconds(50));
  sealer.Start();
  for (int i = 0; i < 600 && Verify(server).unsealed_entries() > 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  sealer.Stop();
  EXPECT_EQ(Verify(server).unsealed_entries(), 0);
  EXPECT_TRUE(Verify(server).intact());
}

}  // namespace
}  // namespace unionhub::testing
