// Union funds through the RPCs: declarations, the 60/40 split by the
// province's effective-dated allocation table, refund policies for small
// and micro enterprises, validation and idempotent retries.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "tests/service/finance_funds_helpers.h"

namespace unionhub::testing {
namespace {

int64_t ShareOf(const fv1::FundsCollection& c, const std::string& level) {
  for (const fv1::UpwardShare& s : c.upward()) {
    if (s.level() == level) return s.amount_fen();
  }
  return -1;
}

TEST(FinanceFunds, SplitsSumExactlyForAwkwardAmounts) {
  FinanceServer server("funds_split");
  FundsCounty c = BuildFundsCounty(server);
  MustSetTable(server, "320000", "2024-01");
  // 100 million yuan of payroll: 2 million yuan (200,000,000 fen) due.
  fv1::PayrollDeclaration d =
      MustDeclare(server, c.employer_a1, "2025-03", 10000000000);
  EXPECT_EQ(d.appropriation_fen(), 200000000);
  EXPECT_EQ(d.fund(), fv1::FUND_KIND_UNION_FUNDS);
  EXPECT_EQ(d.org_id(), c.union_a1.org_id());
  fv1::LedgerEntry declared = MustGetEntry(server, d.entry_id());
  EXPECT_EQ(declared.kind(), "FUNDS_DECLARED");
  EXPECT_EQ(PostingOf(declared, absl::StrCat("funds_receivable:employer/",
                                             c.employer_a1)),
            200000000);
  EXPECT_EQ(PostingOf(declared,
                      absl::StrCat("funds_revenue:org/", c.union_a1.org_id())),
            -200000000);

  struct Want {
    int64_t amount, returned, national, provincial, city, county;
  };
  const std::vector<Want> cases = {
      // 40 % of 1 fen floors to 0: the grassroots union keeps it.
      {1, 1, 0, 0, 0, 0},
      // floor(1.2) = 1 fen upward, to the largest remainder (county .375).
      {3, 2, 0, 0, 0, 1},
      // 39,999,999 upward: floors 4,999,999 / 9,999,999 x2 / 14,999,999,
      // three fen left to the largest remainders (.875, .75, .75).
      {99999999, 60000000, 5000000, 10000000, 10000000, 14999999},
      // Primes: 7 -> floor(2.8) = 2 upward (.25 .5 .5 .75 -> county, then
      // provincial before city on equal remainders).
      {7, 5, 0, 1, 0, 1},
      {9973, 5984, 499, 997, 997, 1496},
      {104729, 62838, 5236, 10473, 10473, 15709},
  };
  int64_t total = 0, returned = 0, upward = 0;
  std::map<std::string, int64_t> levels;
  for (const Want& w : cases) {
    SCOPED_TRACE(w.amount);
    fv1::FundsCollection got =
        MustCollect(server, c.employer_a1, "2025-03", w.amount);
    EXPECT_EQ(got.fund(), fv1::FUND_KIND_UNION_FUNDS);
    EXPECT_EQ(got.province_code(), "320000");
    EXPECT_EQ(got.returned_fen(), w.returned);
    EXPECT_EQ(got.refund_bonus_fen(), 0);
    EXPECT_EQ(ShareOf(got, "national"), w.national);
    EXPECT_EQ(ShareOf(got, "provincial"), w.provincial);
    EXPECT_EQ(ShareOf(got, "city"), w.city);
    EXPECT_EQ(ShareOf(got, "county"), w.county);
    int64_t shares = 0;
    for (const fv1::UpwardShare& s : got.upward()) {
      shares += s.amount_fen();
      levels[s.level()] += s.amount_fen();
    }
    EXPECT_EQ(got.upward_fen(), shares);
    EXPECT_EQ(got.returned_fen() + got.upward_fen(), w.amount);
    EXPECT_EQ(got.preparation_held_fen(), 0);

    fv1::LedgerEntry entry = MustGetEntry(server, got.entry_id());
    EXPECT_EQ(entry.kind(), "FUNDS_COLLECTED");
    EXPECT_EQ(PostingOf(entry, absl::StrCat("cash:org/", c.union_a1.org_id())),
              w.returned);
    EXPECT_EQ(PostingOf(entry, "funds_upward:province/320000/county"),
              w.county);
    EXPECT_EQ(PostingOf(entry, absl::StrCat("funds_receivable:employer/",
                                            c.employer_a1)),
              -w.amount);
    for (const fv1::Posting& p : entry.postings()) {
      EXPECT_NE(p.amount_fen(), 0) << p.account();
    }
    total += w.amount;
    returned += got.returned_fen();
    upward += got.upward_fen();
  }
  EXPECT_EQ(returned + upward, total);
  ExpectLedgerBalanced(server);

  // The rollups: the same figures at the union, its township and the
  // county, none at the other township.
  for (int64_t org :
       {c.union_a1.org_id(), c.township_a.org_id(), c.county.org_id()}) {
    SCOPED_TRACE(org);
    // collected / returned / upward / appropriation / declared payroll
    EXPECT_EQ(Sql(server,
                  "SELECT CONCAT_WS('/', collected_fen, returned_fen, "
                  "upward_fen, appropriation_fen, declared_payroll_fen) "
                  "FROM funds_rollup WHERE org_id = ? AND month = '2025-03'",
                  org),
              absl::StrCat(total, "/", returned, "/", upward, "/", 200000000,
                           "/", 10000000000));
    for (const auto& [level, amount] : levels) {
      EXPECT_EQ(SqlInt(server,
                       "SELECT amount_fen FROM funds_upward_rollup WHERE "
                       "org_id = ? AND month = '2025-03' AND level = ?",
                       org, level),
                amount)
          << level;
    }
  }
  EXPECT_EQ(SqlInt(server, "SELECT COUNT(*) FROM funds_rollup WHERE org_id = ?",
                   c.township_b.org_id()),
            0);
  EXPECT_EQ(SqlInt(server,
                   "SELECT collected_fen FROM funds_employer_month WHERE "
                   "employer_id = ? AND month = '2025-03'",
                   c.employer_a1),
            total);
  EXPECT_EQ(SqlInt(server,
                   "SELECT collected_fen FROM payroll_declarations WHERE "
                   "declaration_id = ?",
                   d.declaration_id()),
            total);
}

TEST(FinanceFunds, CollectionsStopAtTheAppropriation) {
  FinanceServer server("funds_overpay");
  FundsCounty c = BuildFundsCounty(server);
  MustSetTable(server, "320000", "2024-01");
  // 2 % of 12,345.67 yuan = 246.9134 -> 24,691 fen.
  fv1::PayrollDeclaration d =
      MustDeclare(server, c.employer_b1, "2025-01", 1234567);
  EXPECT_EQ(d.appropriation_fen(), 24691);
  MustCollect(server, c.employer_b1, "2025-01", 20000);
  fv1::RecordFundsCollectionResponse resp;
  grpc::Status over =
      Rpc(server.finance(), &FStub::RecordFundsCollection,
          CollectRequest(c.employer_b1, "2025-01", 4692), &resp);
  EXPECT_EQ(over.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(over.error_message().find("4691"), std::string::npos)
      << over.error_message();
  MustCollect(server, c.employer_b1, "2025-01", 4691);
  over = Rpc(server.finance(), &FStub::RecordFundsCollection,
             CollectRequest(c.employer_b1, "2025-01", 1), &resp);
  EXPECT_EQ(over.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(SqlInt(server, "SELECT COUNT(*) FROM funds_collections"), 2);
  EXPECT_EQ(SqlInt(server,
                   "SELECT SUM(collected_fen) FROM funds_rollup WHERE "
                   "org_id = ?",
                   c.county.org_id()),
            24691);
}

TEST(FinanceFunds, TablesPerProvinceWithEffectiveDates) {
  FinanceServer server("funds_tables");
  FundsCounty js = BuildFundsCounty(server, "320582", 1);
  FundsCounty bj = BuildFundsCounty(server, "110105", 11);
  // Jiangsu: two tables; the 2025 one re-issued (the later one wins).
  MustSetTable(server, "320000", "2024-01");
  MustSetTable(server, "320000", "2025-01",
               {{"national", 1250}, {"provincial", 8750}});
  MustSetTable(server, "320000", "2025-01",
               {{"national", 1250}, {"provincial", 3750}, {"county", 5000}});
  MustSetTable(server, "110000", "2024-06",
               {{"national", 1250}, {"municipal", 8750}});
  for (const char* month : {"2024-05", "2024-12", "2025-02"}) {
    MustDeclare(server, js.employer_a1, month, 100000000);
    MustDeclare(server, bj.employer_a1, month, 100000000);
  }
  // 10,000 fen: 4,000 upward.
  fv1::FundsCollection old_js =
      MustCollect(server, js.employer_a1, "2024-12", 10000);
  EXPECT_EQ(ShareOf(old_js, "city"), 1000);
  EXPECT_EQ(ShareOf(old_js, "county"), 1500);
  fv1::FundsCollection new_js =
      MustCollect(server, js.employer_a1, "2025-02", 10000);
  ASSERT_EQ(new_js.upward_size(), 3);
  EXPECT_EQ(ShareOf(new_js, "provincial"), 1500);
  EXPECT_EQ(ShareOf(new_js, "county"), 2000);
  EXPECT_EQ(ShareOf(new_js, "city"), -1);
  fv1::FundsCollection bj_new =
      MustCollect(server, bj.employer_a1, "2024-12", 10000);
  EXPECT_EQ(bj_new.province_code(), "110000");
  EXPECT_EQ(ShareOf(bj_new, "municipal"), 3500);
  fv1::LedgerEntry entry = MustGetEntry(server, bj_new.entry_id());
  EXPECT_EQ(PostingOf(entry, "funds_upward:province/110000/municipal"), 3500);

  // Beijing has no table before 2024-06: refused, naming both, nothing
  // written.
  const int64_t entries_before =
      SqlInt(server, "SELECT COUNT(*) FROM ledger_entries");
  fv1::RecordFundsCollectionResponse resp;
  grpc::Status none =
      Rpc(server.finance(), &FStub::RecordFundsCollection,
          CollectRequest(bj.employer_a1, "2024-05", 10000), &resp);
  EXPECT_EQ(none.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(none.error_message().find("110000"), std::string::npos);
  EXPECT_NE(none.error_message().find("2024-05"), std::string::npos);
  EXPECT_EQ(SqlInt(server, "SELECT COUNT(*) FROM ledger_entries"),
            entries_before);
  EXPECT_EQ(SqlInt(server, "SELECT COUNT(*) FROM funds_collections"), 3);

  fv1::ListAllocationTablesRequest list;
  list.set_province_code("320000");
  fv1::ListAllocationTablesResponse tables =
      MustRpc(server.finance(), &FStub::ListAllocationTables, list, "List");
  ASSERT_EQ(tables.tables_size(), 3);
  EXPECT_EQ(tables.tables(0).effective_from(), "2024-01");
  EXPECT_EQ(tables.tables(2).shares(2).level(), "county");
  EXPECT_EQ(tables.tables(2).shares(2).share_bp(), 5000);
  EXPECT_TRUE(tables.tables(2).has_create_time());
  list.clear_province_code();
  EXPECT_EQ(
      MustRpc(server.finance(), &FStub::ListAllocationTables, list, "List all")
          .tables_size(),
      4);
  ExpectLedgerBalanced(server);
}

TEST(FinanceFunds, AllocationTableValidationNamesEveryField) {
  FinanceServer server("funds_table_bad");
  fv1::SetAllocationTableRequest req = TableRequest("32", "2024-13",
                                                    {{"national", 1250},
                                                     {"Provincial!", 2500},
                                                     {"national", 6000},
                                                     {"city", 10001}});
  req.set_request_id("");
  fv1::SetAllocationTableResponse resp;
  grpc::Status status =
      Rpc(server.finance(), &FStub::SetAllocationTable, req, &resp);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  std::vector<std::string> fields = BadFields(status);
  for (const char* want :
       {"request_id", "table.province_code", "table.effective_from",
        "table.shares[1].level", "table.shares[2].level",
        "table.shares[3].share_bp"}) {
    EXPECT_NE(std::find(fields.begin(), fields.end(), want), fields.end())
        << want << " in " << status.error_message();
  }
  // Shares in range that do not sum to 10000.
  status = Rpc(server.finance(), &FStub::SetAllocationTable,
               TableRequest("320000", "2024-01",
                            {{"national", 1250}, {"provincial", 2500}}),
               &resp);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFields(status), std::vector<std::string>{"table.shares"});
  EXPECT_EQ(Sql(server, "SELECT COUNT(*) FROM allocation_tables"), "0");
}

TEST(FinanceFunds, RefundPolicyForSmallAndMicroEnterprises) {
  FinanceServer server("funds_refund");
  FundsCounty c = BuildFundsCounty(server);
  MustSetTable(server, "320000", "2020-01");
  fv1::SetRefundPolicyRequest full;
  full.set_request_id(NewRequestId());
  full.mutable_policy()->set_from_month("2020-01");
  full.mutable_policy()->set_to_month("2021-12");
  full.mutable_policy()->set_small_micro_only(true);
  full.mutable_policy()->set_refund_bp(10000);
  full.mutable_policy()->set_description("小微企业工会经费全额返还");
  fv1::RefundPolicy stored =
      MustRpc(server.finance(), &FStub::SetRefundPolicy, full, "full").policy();
  EXPECT_GT(stored.policy_id(), 0);
  fv1::SetRefundPolicyRequest most = full;
  most.set_request_id(NewRequestId());
  most.mutable_policy()->set_from_month("2023-01");
  most.mutable_policy()->set_to_month("2023-12");
  most.mutable_policy()->set_small_micro_only(false);
  most.mutable_policy()->set_refund_bp(8000);
  MustRpc(server.finance(), &FStub::SetRefundPolicy, most, "most");

  for (const char* month : {"2021-06", "2022-01", "2023-03"}) {
    MustDeclare(server, c.employer_a1, month, 100000000);
    MustDeclare(server, c.employer_a2, month, 100000000);
  }
  // A2 (40 workers) is small/micro: all 1,001 fen stay with the union.
  fv1::FundsCollection a2 = MustCollect(server, c.employer_a2, "2021-06", 1001);
  EXPECT_EQ(a2.returned_fen(), 1001);
  EXPECT_EQ(a2.refund_bonus_fen(), 400);  // the normal return is 601
  EXPECT_EQ(a2.upward_fen(), 0);
  fv1::LedgerEntry entry = MustGetEntry(server, a2.entry_id());
  EXPECT_EQ(entry.postings_size(), 2);  // cash and receivable, no zeros
  EXPECT_EQ(PostingOf(entry, absl::StrCat("cash:org/", c.union_a2.org_id())),
            1001);
  // A1 (120 workers) is not: the normal split.
  fv1::FundsCollection a1 = MustCollect(server, c.employer_a1, "2021-06", 1001);
  EXPECT_EQ(a1.returned_fen(), 601);
  EXPECT_EQ(a1.refund_bonus_fen(), 0);
  // After the period, A2 gets the normal split again.
  EXPECT_EQ(MustCollect(server, c.employer_a2, "2022-01", 1001).returned_fen(),
            601);
  // 80 % for everyone in 2023: 801 back (half up of 800.8), 200 upward by
  // the table.
  for (int64_t employer : {c.employer_a1, c.employer_a2}) {
    fv1::FundsCollection got = MustCollect(server, employer, "2023-03", 1001);
    EXPECT_EQ(got.returned_fen(), 801);
    EXPECT_EQ(got.refund_bonus_fen(), 200);
    EXPECT_EQ(got.upward_fen(), 200);
    EXPECT_EQ(ShareOf(got, "national"), 25);
    EXPECT_EQ(ShareOf(got, "county"), 75);
  }

  fv1::ListRefundPoliciesResponse policies =
      MustRpc(server.finance(), &FStub::ListRefundPolicies,
              fv1::ListRefundPoliciesRequest(), "ListRefundPolicies");
  ASSERT_EQ(policies.policies_size(), 2);
  EXPECT_EQ(policies.policies(0).from_month(), "2023-01");  // newest first
  EXPECT_EQ(policies.policies(1).description(), "小微企业工会经费全额返还");

  fv1::SetRefundPolicyRequest bad;
  bad.mutable_policy()->set_from_month("2024-06");
  bad.mutable_policy()->set_to_month("2024-01");
  bad.mutable_policy()->set_refund_bp(10001);
  fv1::SetRefundPolicyResponse resp;
  grpc::Status status =
      Rpc(server.finance(), &FStub::SetRefundPolicy, bad, &resp);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  std::vector<std::string> fields = BadFields(status);
  std::sort(fields.begin(), fields.end());
  EXPECT_EQ(fields, (std::vector<std::string>{
                        "policy.refund_bp", "policy.to_month", "request_id"}));
  ExpectLedgerBalanced(server);
}

TEST(FinanceFunds, DeclarationRulesValidationAndRetries) {
  FinanceServer server("funds_declare");
  FundsCounty c = BuildFundsCounty(server);
  MustSetTable(server, "320000", "2024-01");

  fv1::DeclarePayrollRequest bad;
  bad.set_month("2025-13");
  bad.set_total_payroll_fen(0);
  fv1::DeclarePayrollResponse resp;
  grpc::Status status =
      Rpc(server.finance(), &FStub::DeclarePayroll, bad, &resp);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  std::vector<std::string> fields = BadFields(status);
  std::sort(fields.begin(), fields.end());
  EXPECT_EQ(fields,
            (std::vector<std::string>{"employer_id", "month", "request_id",
                                      "total_payroll_fen"}));
  // A month in the future.
  status = Rpc(server.finance(), &FStub::DeclarePayroll,
               DeclareRequest(c.employer_a1, "2999-01", 100), &resp);
  EXPECT_EQ(BadFields(status), std::vector<std::string>{"month"});
  status = Rpc(server.finance(), &FStub::DeclarePayroll,
               DeclareRequest(999999, "2025-01", 100), &resp);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);

  // A retry answers the first response and writes nothing.
  fv1::DeclarePayrollRequest req =
      DeclareRequest(c.employer_a1, "2025-01", 5000000);
  fv1::DeclarePayrollResponse first =
      MustRpc(server.finance(), &FStub::DeclarePayroll, req, "first");
  const int64_t entries = SqlInt(server, "SELECT COUNT(*) FROM ledger_entries");
  fv1::DeclarePayrollResponse again =
      MustRpc(server.finance(), &FStub::DeclarePayroll, req, "retry");
  EXPECT_EQ(again.SerializeAsString(), first.SerializeAsString());
  EXPECT_EQ(SqlInt(server, "SELECT COUNT(*) FROM ledger_entries"), entries);
  EXPECT_EQ(SqlInt(server,
                   "SELECT appropriation_fen FROM funds_rollup WHERE "
                   "month = '2025-01' AND org_id = ?",
                   c.county.org_id()),
            100000);
  // Another request for the same employer and month is a duplicate.
  status = Rpc(server.finance(), &FStub::DeclarePayroll,
               DeclareRequest(c.employer_a1, "2025-01", 6000000), &resp);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_NE(status.error_message().find(
                std::to_string(first.declaration().declaration_id())),
            std::string::npos);
  // Under 25 fen of payroll, nothing is due and nothing is posted.
  fv1::PayrollDeclaration tiny =
      MustDeclare(server, c.employer_a2, "2025-01", 24);
  EXPECT_EQ(tiny.appropriation_fen(), 0);
  EXPECT_EQ(tiny.entry_id(), 0);

  // Collections: every bad field, a month without a declaration, retries.
  fv1::RecordFundsCollectionRequest cbad;
  cbad.set_month("2025-1");
  cbad.set_amount_fen(-5);
  cbad.set_received_on("2999-01-01");
  fv1::RecordFundsCollectionResponse cresp;
  status = Rpc(server.finance(), &FStub::RecordFundsCollection, cbad, &cresp);
  fields = BadFields(status);
  std::sort(fields.begin(), fields.end());
  EXPECT_EQ(fields,
            (std::vector<std::string>{"amount_fen", "channel", "employer_id",
                                      "month", "received_on", "request_id"}));
  status = Rpc(server.finance(), &FStub::RecordFundsCollection,
               CollectRequest(c.employer_a1, "2024-12", 100), &cresp);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  fv1::RecordFundsCollectionRequest collect =
      CollectRequest(c.employer_a1, "2025-01", 777);
  collect.set_received_on("2025-02-10");
  fv1::RecordFundsCollectionResponse got =
      MustRpc(server.finance(), &FStub::RecordFundsCollection, collect, "c1");
  EXPECT_EQ(got.collection().received_on(), "2025-02-10");
  fv1::RecordFundsCollectionResponse retried =
      MustRpc(server.finance(), &FStub::RecordFundsCollection, collect, "c2");
  EXPECT_EQ(retried.SerializeAsString(), got.SerializeAsString());
  EXPECT_EQ(SqlInt(server, "SELECT COUNT(*) FROM funds_collections"), 1);
  EXPECT_EQ(SqlInt(server,
                   "SELECT collected_fen FROM funds_rollup WHERE "
                   "month = '2025-01' AND org_id = ?",
                   c.county.org_id()),
            777);
  // The same request_id with another body is refused.
  collect.set_amount_fen(778);
  status =
      Rpc(server.finance(), &FStub::RecordFundsCollection, collect, &cresp);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  ExpectLedgerBalanced(server);
}

TEST(FinanceFunds, ScopedClerksOnlyReachTheirSubtree) {
  FinanceServer server("funds_scope");
  FundsCounty c = BuildFundsCounty(server);
  MustSetTable(server, "320000", "2024-01");
  auto clerk_a = server.FinanceWithToken(
      MintTestToken({"finance_clerk"}, c.township_a.org_id(), "clerk-a"));
  fv1::DeclarePayrollResponse resp;
  EXPECT_TRUE(Rpc(*clerk_a, &FStub::DeclarePayroll,
                  DeclareRequest(c.employer_a1, "2025-01", 100000), &resp)
                  .ok());
  grpc::Status other =
      Rpc(*clerk_a, &FStub::DeclarePayroll,
          DeclareRequest(c.employer_b1, "2025-01", 100000), &resp);
  EXPECT_EQ(other.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  MustDeclare(server, c.employer_b1, "2025-01", 100000);
  fv1::RecordFundsCollectionResponse cresp;
  other = Rpc(*clerk_a, &FStub::RecordFundsCollection,
              CollectRequest(c.employer_b1, "2025-01", 100), &cresp);
  EXPECT_EQ(other.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(SqlInt(server, "SELECT COUNT(*) FROM funds_collections"), 0);
  // Configuration is global: a scoped clerk may not set tables.
  fv1::SetAllocationTableResponse tresp;
  EXPECT_EQ(Rpc(*clerk_a, &FStub::SetAllocationTable,
                TableRequest("320000", "2025-01"), &tresp)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

}  // namespace
}  // namespace unionhub::testing
