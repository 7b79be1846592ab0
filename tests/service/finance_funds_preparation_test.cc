// The preparation fund (筹备金): paid by an employer without a union, held
// by its area org, and released to the union when membership reports it
// established; the funds rollups reconcile throughout.
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "tests/service/finance_funds_helpers.h"

namespace unionhub::testing {
namespace {

// collected = returned + upward + preparation held - preparation returned,
// on every row of both rollups; the upward rollup matches upward_fen; the
// county's rollup equals a recomputation from the collections themselves.
void ExpectReconciles(FinanceServer& server, int64_t county) {
  // The table names come from this fixed list, never from data.
  for (const char* table : {"funds_rollup", "funds_employer_month"}) {
    EXPECT_EQ(Sql(server, absl::StrCat("SELECT COUNT(*) FROM ", table,
                                       " WHERE collected_fen <> returned_fen + "
                                       "upward_fen + preparation_held_fen - "
                                       "preparation_returned_fen")),
              "0")
        << table;
  }
  EXPECT_EQ(Sql(server,
                "SELECT COUNT(*) FROM funds_rollup r WHERE r.upward_fen <> "
                "(SELECT COALESCE(SUM(u.amount_fen), 0) FROM "
                "funds_upward_rollup u WHERE u.org_id = r.org_id AND "
                "u.month = r.month)"),
            "0");
  EXPECT_EQ(
      Sql(server,
          "SELECT COUNT(*) FROM (SELECT month, SUM(amount_fen) AS collected, "
          "SUM(preparation_held_fen) AS held, SUM(IF(released, amount_fen, "
          "0)) AS prep_returned FROM funds_collections GROUP BY month) c "
          "LEFT JOIN funds_rollup r ON r.org_id = ? AND r.month = c.month "
          "WHERE r.collected_fen IS NULL OR r.collected_fen <> c.collected OR "
          "r.preparation_held_fen <> c.held OR r.preparation_returned_fen <> "
          "c.prep_returned",
          county),
      "0");
  EXPECT_EQ(Sql(server,
                "SELECT CAST(SUM(collected_fen) AS CHAR) FROM funds_rollup "
                "WHERE org_id = ?",
                county),
            Sql(server,
                "SELECT CAST(SUM(amount_fen) AS CHAR) FROM funds_collections"));
}

// The auditors' view agrees: every subtree accounts for every fen.
void ExpectReportBalanced(FinanceServer& server, int64_t org) {
  fv1::GetFundsReconciliationRequest req;
  req.set_org_id(org);
  req.set_from_month("2019-01");
  req.set_to_month("2025-12");
  fv1::GetFundsReconciliationResponse resp =
      MustRpc(server.audit(), &AStub::GetFundsReconciliation, req,
              absl::StrCat("GetFundsReconciliation ", org));
  EXPECT_TRUE(resp.balanced()) << org << ": " << resp.total().DebugString();
}

int64_t Rollup(FinanceServer& server, int64_t org, const std::string& month,
               const std::string& column) {
  // `column` is a column name written in this file, never data.
  return SqlInt(
      server,
      absl::StrCat("SELECT ", column,
                   " FROM funds_rollup WHERE org_id = ? AND month = ?"),
      org, month);
}

TEST(FinanceFundsPreparation, HeldUntilTheUnionIsEstablishedThenReleased) {
  FinanceServer server("funds_prep");
  FundsCounty c = BuildFundsCounty(server);
  MustSetTable(server, "320000", "2020-01");
  const int64_t employer = c.without_union.employer_id();
  const int64_t township_b = c.township_b.org_id();

  fv1::PayrollDeclaration jan =
      MustDeclare(server, employer, "2025-01", 1000000);
  EXPECT_EQ(jan.fund(), fv1::FUND_KIND_PREPARATION_FUND);
  EXPECT_EQ(jan.org_id(), township_b);
  EXPECT_EQ(jan.appropriation_fen(), 20000);
  EXPECT_EQ(PostingOf(MustGetEntry(server, jan.entry_id()),
                      absl::StrCat("preparation_fund:org/", township_b)),
            -20000);
  MustDeclare(server, employer, "2025-02", 500000);
  MustDeclare(server, employer, "2019-06", 100000);  // before any table

  fv1::FundsCollection held = MustCollect(server, employer, "2025-01", 10001);
  EXPECT_EQ(held.fund(), fv1::FUND_KIND_PREPARATION_FUND);
  EXPECT_EQ(held.preparation_held_fen(), 10001);
  EXPECT_EQ(held.returned_fen(), 0);
  EXPECT_EQ(held.upward_fen(), 0);
  EXPECT_EQ(held.upward_size(), 0);
  const std::string held_account =
      absl::StrCat("preparation_fund_held:org/", township_b);
  EXPECT_EQ(PostingOf(MustGetEntry(server, held.entry_id()), held_account),
            10001);
  MustCollect(server, employer, "2019-06", 2000);
  EXPECT_EQ(Rollup(server, township_b, "2025-01", "preparation_held_fen"),
            10001);
  EXPECT_EQ(Rollup(server, c.county.org_id(), "2025-01", "collected_fen"),
            10001);
  ExpectReconciles(server, c.county.org_id());

  // A 筹备组 is not yet a union: nothing moves.
  mv1::CreateOrgRequest create = OrgRequest(mv1::ORG_TYPE_GRASSROOTS_UNION,
                                            township_b, "新桥物流有限公司工会");
  create.set_existing_employer_id(employer);
  create.set_preparing(true);
  const mv1::Org new_union = MustCreate(server.membership(), create);
  server.SyncRoster();
  EXPECT_EQ(Sql(server,
                "SELECT COUNT(*) FROM funds_collections WHERE "
                "released"),
            "0");

  mv1::EstablishOrgRequest establish;
  establish.set_request_id(NewRequestId());
  establish.set_org_id(new_union.org_id());
  MustRpc(server.membership().stub(), &Stub::EstablishOrg, establish,
          "EstablishOrg");
  server.SyncRoster();

  // 10,001 fen: floor(4,000.4) = 4,000 upward, 6,001 to the new union. The
  // 2019 collection has no table and stays held.
  const int64_t release_id = SqlInt(
      server,
      "SELECT release_entry_id FROM funds_collections WHERE collection_id = ?",
      held.collection_id());
  ASSERT_GT(release_id, 0);
  fv1::LedgerEntry release = MustGetEntry(server, release_id);
  EXPECT_EQ(release.kind(), "PREPARATION_RELEASED");
  EXPECT_EQ(release.request_id().rfind("membership-event-", 0), 0u);
  EXPECT_EQ(PostingOf(release, held_account), -10001);
  EXPECT_EQ(PostingOf(release, absl::StrCat("cash:org/", new_union.org_id())),
            6001);
  EXPECT_EQ(PostingOf(release, "funds_upward:province/320000/national"), 500);
  EXPECT_EQ(PostingOf(release, "funds_upward:province/320000/county"), 1500);
  EXPECT_EQ(Sql(server,
                "SELECT COUNT(*) FROM funds_collections WHERE "
                "NOT released"),
            "1");

  const int64_t u = new_union.org_id();
  EXPECT_EQ(Rollup(server, u, "2025-01", "returned_fen"), 6001);
  EXPECT_EQ(Rollup(server, u, "2025-01", "upward_fen"), 4000);
  EXPECT_EQ(Rollup(server, u, "2025-01", "preparation_returned_fen"), 10001);
  EXPECT_EQ(Rollup(server, u, "2025-01", "collected_fen"), 0);
  for (int64_t org : {township_b, c.county.org_id()}) {
    EXPECT_EQ(Rollup(server, org, "2025-01", "collected_fen"), 10001);
    EXPECT_EQ(Rollup(server, org, "2025-01", "preparation_held_fen"), 10001);
    EXPECT_EQ(Rollup(server, org, "2025-01", "preparation_returned_fen"),
              10001);
    EXPECT_EQ(Rollup(server, org, "2025-01", "returned_fen"), 6001);
    EXPECT_EQ(Rollup(server, org, "2025-01", "upward_fen"), 4000);
  }
  EXPECT_EQ(Rollup(server, c.township_a.org_id(), "2025-01", "upward_fen"), 0);
  ExpectReconciles(server, c.county.org_id());

  // Declared before the union, paid after: held and released at once.
  fv1::FundsCollection late = MustCollect(server, employer, "2025-02", 10000);
  EXPECT_EQ(late.fund(), fv1::FUND_KIND_PREPARATION_FUND);
  EXPECT_EQ(late.preparation_held_fen(), 10000);
  EXPECT_EQ(
      Sql(server,
          "SELECT released FROM funds_collections WHERE collection_id = ?",
          late.collection_id()),
      "1");
  EXPECT_EQ(Rollup(server, u, "2025-02", "returned_fen"), 6000);

  // A table for 2019 lets the last held collection go.
  MustSetTable(server, "320000", "2019-01");
  EXPECT_EQ(Sql(server,
                "SELECT COUNT(*) FROM funds_collections WHERE "
                "NOT released"),
            "0");
  EXPECT_EQ(Rollup(server, u, "2019-06", "returned_fen"), 1200);
  EXPECT_EQ(Rollup(server, township_b, "2019-06", "upward_fen"), 800);
  // Nothing of the preparation fund is held any more.
  EXPECT_EQ(
      SqlInt(server,
             "SELECT SUM(amount_fen) FROM ledger_postings WHERE account = ?",
             held_account),
      0);

  // From now on the employer pays union funds to its union.
  fv1::PayrollDeclaration march =
      MustDeclare(server, employer, "2025-03", 1000000);
  EXPECT_EQ(march.fund(), fv1::FUND_KIND_UNION_FUNDS);
  EXPECT_EQ(march.org_id(), u);
  fv1::FundsCollection own = MustCollect(server, employer, "2025-03", 999);
  EXPECT_EQ(own.returned_fen() + own.upward_fen(), 999);
  EXPECT_EQ(own.preparation_held_fen(), 0);
  ExpectReconciles(server, c.county.org_id());
  ExpectLedgerBalanced(server);

  for (int64_t org : {c.county.org_id(), township_b, u}) {
    ExpectReportBalanced(server, org);
  }

  // A replay of the feed releases nothing twice.
  const std::string releases =
      Sql(server,
          "SELECT COUNT(*) FROM ledger_entries WHERE kind = "
          "'PREPARATION_RELEASED'");
  EXPECT_EQ(releases, "3");
  server.RestartRoster();
  MustCreateOrg(server.membership(), mv1::ORG_TYPE_TOWNSHIP_UNION,
                c.county.org_id(), "后来镇总工会");
  server.SyncRoster();
  EXPECT_EQ(Sql(server,
                "SELECT COUNT(*) FROM ledger_entries WHERE kind = "
                "'PREPARATION_RELEASED'"),
            releases);
  ExpectReconciles(server, c.county.org_id());
}

TEST(FinanceFundsPreparation, ReleaseFollowsRefundPoliciesForSmallEmployers) {
  FinanceServer server("funds_prep_refund");
  FundsCounty c = BuildFundsCounty(server);
  MustSetTable(server, "320000", "2020-01");
  fv1::SetRefundPolicyRequest policy;
  policy.set_request_id(NewRequestId());
  policy.mutable_policy()->set_from_month("2020-01");
  policy.mutable_policy()->set_to_month("2021-12");
  policy.mutable_policy()->set_small_micro_only(true);
  policy.mutable_policy()->set_refund_bp(10000);
  MustRpc(server.finance(), &FStub::SetRefundPolicy, policy, "policy");
  const int64_t employer = c.without_union.employer_id();  // 25 workers
  MustDeclare(server, employer, "2021-03", 1000000);
  MustCollect(server, employer, "2021-03", 3333);

  // Established directly (no 筹备组) under the other township: the
  // release is booked on both paths and every subtree still balances.
  mv1::CreateOrgRequest create =
      OrgRequest(mv1::ORG_TYPE_GRASSROOTS_UNION, c.township_a.org_id(),
                 "新桥物流有限公司工会");
  create.set_existing_employer_id(employer);
  const mv1::Org new_union = MustCreate(server.membership(), create);
  server.SyncRoster();
  EXPECT_EQ(Sql(server,
                "SELECT COUNT(*) FROM funds_collections WHERE "
                "NOT released"),
            "0");
  EXPECT_EQ(Rollup(server, new_union.org_id(), "2021-03", "returned_fen"),
            3333);
  EXPECT_EQ(Rollup(server, c.township_a.org_id(), "2021-03", "returned_fen"),
            3333);
  EXPECT_EQ(Rollup(server, c.township_b.org_id(), "2021-03",
                   "preparation_returned_fen"),
            3333);
  EXPECT_EQ(
      Rollup(server, c.county.org_id(), "2021-03", "preparation_returned_fen"),
      3333);
  EXPECT_EQ(Rollup(server, c.county.org_id(), "2021-03", "returned_fen"), 3333);
  ExpectReconciles(server, c.county.org_id());
  for (int64_t org : {c.county.org_id(), c.township_a.org_id(),
                      c.township_b.org_id(), new_union.org_id()}) {
    ExpectReportBalanced(server, org);
  }
  ExpectLedgerBalanced(server);
}

}  // namespace
}  // namespace unionhub::testing
