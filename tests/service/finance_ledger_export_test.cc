// ExportLedger streams every entry in id order, in pages, and stops when
// the client goes away; the service's database account can append to the
// ledger but never rewrite it.
#include <gtest/gtest.h>

#include <random>

#include "absl/strings/str_cat.h"
#include "common/db/grants.h"
#include "common/db/sql.h"
#include "services/finance/ledger_sealer.h"
#include "services/finance/store/append_only.h"
#include "services/finance/store/ledger_store.h"
#include "tests/service/finance_funds_helpers.h"

namespace unionhub::testing {
namespace {

// `count` balanced entries posted straight through the store, in one
// transaction (the export's paging needs more than a page of them).
void PostEntries(db::Pool& pool, int count) {
  absl::Status status = pool.InTransaction([&](db::Connection& conn) {
    for (int i = 0; i < count; ++i) {
      finance::domain::Entry entry;
      entry.kind = "TEST";
      entry.memo = absl::StrCat("bulk ", i);
      entry.postings = {{"cash:org/1", 100 + i},
                        {"dues_income:org/1", -100 - i}};
      absl::StatusOr<finance::domain::Entry> posted =
          finance::store::PostEntry(conn, std::move(entry), "bulk");
      if (!posted.ok()) return posted.status();
    }
    return absl::OkStatus();
  });
  ASSERT_TRUE(status.ok()) << status;
}

std::vector<fv1::LedgerEntry> Export(FinanceServer& server, int64_t from,
                                     int64_t to, grpc::Status* status) {
  grpc::ClientContext context;
  context.set_deadline(Deadline(120));
  fv1::ExportLedgerRequest req;
  req.set_from_entry_id(from);
  req.set_to_entry_id(to);
  std::unique_ptr<grpc::ClientReader<fv1::ExportLedgerResponse>> reader =
      server.audit().ExportLedger(&context, req);
  std::vector<fv1::LedgerEntry> entries;
  fv1::ExportLedgerResponse message;
  while (reader->Read(&message)) entries.push_back(message.entry());
  *status = reader->Finish();
  return entries;
}

TEST(FinanceLedgerExport, StreamsEveryEntryInIdOrderAcrossPages) {
  FinanceServer server("ledger_export");
  FundsCounty c = BuildFundsCounty(server);
  const int64_t expense =
      MustRpc(server.finance(), &FStub::RecordExpense,
              ExpenseRequest(c.union_a1.org_id(), 5000), "RecordExpense")
          .expense()
          .entry_id();
  PostEntries(server.database().pool(), 2100);
  absl::StatusOr<int64_t> sealed =
      finance::SealOnce(server.database().pool(), 1500);
  ASSERT_TRUE(sealed.ok()) << sealed.status();
  ASSERT_EQ(*sealed, 1500);
  const int64_t seal_id =
      SqlInt(server, "SELECT MAX(seal_id) FROM ledger_seals");
  const int64_t last_sealed =
      SqlInt(server, "SELECT MAX(last_entry_id) FROM ledger_seals");

  grpc::Status status;
  std::vector<fv1::LedgerEntry> all = Export(server, 0, 0, &status);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(all.size(), 2101u);
  EXPECT_EQ(all.front().entry_id(), expense);
  for (size_t i = 1; i < all.size(); ++i) {
    ASSERT_LT(all[i - 1].entry_id(), all[i].entry_id());
  }
  const fv1::LedgerEntry stored = MustGetEntry(server, expense);
  EXPECT_EQ(all.front().SerializeAsString(), stored.SerializeAsString());
  EXPECT_EQ(all.front().postings_size(), 2);
  for (const fv1::LedgerEntry& e : all) {
    ASSERT_EQ(e.postings_size(), 2);
    ASSERT_EQ(e.postings(0).amount_fen(), -e.postings(1).amount_fen());
    ASSERT_EQ(e.entry_hash().size(), 64u);
    ASSERT_EQ(e.seal_id(), e.entry_id() <= last_sealed ? seal_id : 0)
        << e.entry_id();
  }

  // A range, inclusive at both ends.
  std::vector<fv1::LedgerEntry> some =
      Export(server, all[10].entry_id(), all[1010].entry_id(), &status);
  ASSERT_TRUE(status.ok());
  ASSERT_EQ(some.size(), 1001u);
  EXPECT_EQ(some.front().entry_id(), all[10].entry_id());
  EXPECT_EQ(some.back().entry_id(), all[1010].entry_id());

  fv1::ExportLedgerRequest bad;
  bad.set_from_entry_id(10);
  bad.set_to_entry_id(5);
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  auto reader = server.audit().ExportLedger(&context, bad);
  fv1::ExportLedgerResponse message;
  EXPECT_FALSE(reader->Read(&message));
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST(FinanceLedgerExport, StopsWhenTheClientCancels) {
  FinanceServer server("ledger_cancel");
  PostEntries(server.database().pool(), 3000);
  grpc::ClientContext context;
  context.set_deadline(Deadline(120));
  auto reader =
      server.audit().ExportLedger(&context, fv1::ExportLedgerRequest());
  fv1::ExportLedgerResponse message;
  int read = 0;
  while (read < 5 && reader->Read(&message)) ++read;
  EXPECT_EQ(read, 5);
  context.TryCancel();
  while (reader->Read(&message)) ++read;
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::CANCELLED);
  EXPECT_LT(read, 3000);
  // The server is still well after the cancelled stream.
  grpc::Status status;
  EXPECT_EQ(Export(server, 1, 3, &status).size(), 3u);
  EXPECT_TRUE(status.ok());
}

// An export hands out the whole ledger, so the audit trail records who
// took it (and who tried), like a mutating call (issue 12: it recorded
// nothing before).
TEST(FinanceLedgerExport, EveryExportAndEveryRefusedOneLeavesAnAuditRow) {
  FinanceServer server("ledger_export_audit");
  PostEntries(server.database().pool(), 3);
  const std::string method = "unionhub.finance.v1.AuditService.ExportLedger";
  auto rows = [&](const std::string& actor, const std::string& result) {
    return SqlInt(server,
                  "SELECT COUNT(*) FROM audit_trail WHERE actor = ? AND "
                  "method = ? AND result = ?",
                  actor, method, result);
  };
  auto export_as = [&](const std::string& role, const std::string& subject,
                       int* read) {
    auto audit = server.AuditWithToken(MintTestToken({role}, 0, subject));
    grpc::ClientContext context;
    context.set_deadline(Deadline(60));
    auto reader = audit->ExportLedger(&context, fv1::ExportLedgerRequest());
    fv1::ExportLedgerResponse message;
    *read = 0;
    while (reader->Read(&message)) ++*read;
    return reader->Finish();
  };
  int read = 0;
  grpc::Status taken = export_as("auditor", "auditor-export", &read);
  ASSERT_TRUE(taken.ok()) << taken.error_message();
  EXPECT_GE(read, 3);
  EXPECT_EQ(rows("auditor-export", "OK"), 1);

  grpc::Status refused = export_as("finance_clerk", "clerk-export", &read);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(read, 0);
  EXPECT_EQ(rows("clerk-export", "PERMISSION_DENIED"), 1);
}

// The account the service runs as (db::GrantServiceUser): UPDATE and
// DELETE on the ledger tables are refused by the database itself.
TEST(FinanceLedgerExport, TheServiceAccountCannotRewriteTheLedger) {
  FinanceServer server("ledger_grants");
  FundsCounty c = BuildFundsCounty(server);
  MustRpc(server.finance(), &FStub::RecordExpense,
          ExpenseRequest(c.union_a1.org_id(), 5000), "RecordExpense");
  ASSERT_TRUE(finance::SealOnce(server.database().pool()).ok());

  std::random_device random;
  const std::string user = absl::StrCat("fin_", random() % 1000000);
  const std::string password = absl::StrCat("pw", random());
  for (const char* host : {"%", "localhost"}) {
    server.database().Exec(absl::StrCat("CREATE USER '", user, "'@'", host,
                                        "' IDENTIFIED BY '", password, "'"));
    absl::Status granted =
        server.database().pool().Run([&](db::Connection& conn) {
          return db::GrantServiceUser(conn, user, host,
                                      finance::store::AppendOnlyTables());
        });
    ASSERT_TRUE(granted.ok()) << granted;
  }
  db::DbConfig config = TestServerConfig();
  config.user = user;
  config.password = password;
  config.schema = server.database().schema();
  config.max_attempts = 1;
  {
    db::Pool service(config);
    auto run = [&](const std::string& sql) {
      return service.Run([&](db::Connection& conn) {
        db::Execute(conn, sql);
        return absl::OkStatus();
      });
    };
    for (const char* sql :
         {"UPDATE ledger_postings SET amount_fen = amount_fen + 1",
          "DELETE FROM ledger_postings", "UPDATE ledger_entries SET memo = 'x'",
          "DELETE FROM ledger_entries",
          "UPDATE ledger_seals SET seal_hash = previous_hash",
          "DELETE FROM ledger_seals", "TRUNCATE TABLE ledger_entries",
          "DROP TABLE ledger_seals"}) {
      absl::Status refused = run(sql);
      EXPECT_FALSE(refused.ok()) << sql;
      EXPECT_NE(refused.message().find("denied"), std::string::npos)
          << sql << ": " << refused;
    }
    // Appending and reading work: an entry posted and sealed as the service.
    absl::Status posted = service.InTransaction([](db::Connection& conn) {
      finance::domain::Entry entry;
      entry.kind = "TEST";
      entry.postings = {{"cash:org/1", 1}, {"dues_income:org/1", -1}};
      return finance::store::PostEntry(conn, std::move(entry), "grants")
          .status();
    });
    EXPECT_TRUE(posted.ok()) << posted;
    absl::StatusOr<int64_t> sealed = finance::SealOnce(service);
    ASSERT_TRUE(sealed.ok()) << sealed.status();
    EXPECT_EQ(*sealed, 1);
    // Working tables are writable.
    EXPECT_TRUE(
        run("UPDATE funds_rollup SET collected_fen = collected_fen").ok());
    EXPECT_TRUE(run("DELETE FROM budgets WHERE org_id = 0").ok());
  }
  EXPECT_EQ(Sql(server, "SELECT COUNT(*) FROM ledger_entries"), "2");
  EXPECT_EQ(Sql(server, "SELECT COUNT(*) FROM ledger_seals"), "2");
  fv1::VerifyLedgerResponse verified =
      MustRpc(server.audit(), &AStub::VerifyLedger, fv1::VerifyLedgerRequest(),
              "VerifyLedger");
  EXPECT_TRUE(verified.intact()) << verified.reason();
  for (const char* host : {"%", "localhost"}) {
    server.database().Exec(absl::StrCat("DROP USER '", user, "'@'", host, "'"));
  }
}

}  // namespace
}  // namespace unionhub::testing
