// Member dues through the real finance service following a real membership:
// the DOMAIN §3 table through AssessDues, policy scoping, assessment
// idempotency and dated states, validation. Payments, credit, statement and
// standing are in finance_dues_payment_test.cc.
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "tests/service/finance_dues_helpers.h"

namespace unionhub::testing {
namespace {

int64_t Id(const mv1::Member& m) { return m.member_id(); }

TEST(FinanceDues, DomainTableThroughAssessDues) {
  FinanceServer server("dues_table");
  // 5,678.90 / 8,888.00 / 9.99 / 10.00 yuan, round-robin over A1, A2, B1.
  SmallCounty c = BuildSmallCounty(server, {567890, 888800, 999, 1000});
  fv1::AssessDuesResponse r = Assess(server, c.county.org_id(), "2025-01");
  EXPECT_EQ(r.month(), "2025-01");
  EXPECT_EQ(r.members_charged(), 4);
  EXPECT_EQ(r.already_charged(), 0);
  EXPECT_EQ(r.total_due_fen(), 2835 + 4440 + 0 + 5);
  EXPECT_EQ(r.members_without_policy(), 0);
  EXPECT_GT(r.entry_id(), 0);
  EXPECT_EQ(ChargeOf(server, Id(c.members[0]), "2025-01"), "2835/0/50");
  EXPECT_EQ(ChargeOf(server, Id(c.members[1]), "2025-01"), "4440/0/50");
  EXPECT_EQ(ChargeOf(server, Id(c.members[2]), "2025-01"), "0/0/50");
  EXPECT_EQ(ChargeOf(server, Id(c.members[3]), "2025-01"), "5/0/50");
  // The wage base is kept as the wage then, not the rounded base.
  EXPECT_EQ(
      Sql(server, "SELECT wage_base_fen FROM dues_charges WHERE member_id = ?",
          Id(c.members[0])),
      "567890");
  // A 0-fen charge is settled when made.
  EXPECT_EQ(Sql(server, "SELECT settled FROM dues_charges WHERE member_id = ?",
                Id(c.members[2])),
            "1");
  // One entry for the run, aggregated per org: A1 holds members 0 and 3.
  EXPECT_EQ(SqlInt(server, "SELECT COUNT(*) FROM ledger_entries"), 1);
  EXPECT_EQ(Sql(server, "SELECT kind FROM ledger_entries"), "DUES_ASSESSED");
  EXPECT_EQ(AccountBalance(server,
                           OrgAccount("dues_receivable", c.union_a1.org_id())),
            2840);
  EXPECT_EQ(
      AccountBalance(server, OrgAccount("dues_income", c.union_a1.org_id())),
      -2840);
  EXPECT_EQ(AccountBalance(server,
                           OrgAccount("dues_receivable", c.union_a2.org_id())),
            4440);
  // B1's only member owes 0: no zero postings for it.
  EXPECT_EQ(SqlInt(server,
                   "SELECT COUNT(*) FROM ledger_postings WHERE account LIKE "
                   "CONCAT('%org/', ?)",
                   c.union_b1.org_id()),
            0);
  EXPECT_EQ(SqlInt(server,
                   "SELECT SUM(due_fen) FROM collection_rollup WHERE org_id "
                   "= ? AND month = '2025-01'",
                   c.county.org_id()),
            7280);
  EXPECT_EQ(
      SqlInt(server,
             "SELECT SUM(members_paid) FROM collection_rollup WHERE org_id "
             "= ?",
             c.county.org_id()),
      1);
  ExpectRollupMatchesCharges(server);
  ExpectLedgerBalanced(server);
}

TEST(FinanceDues, AssessmentIsIdempotentAndNeverRewritesThePast) {
  FinanceServer server("dues_idem");
  SmallCounty c = BuildSmallCounty(server, {567890, 888800, 300000});
  const std::string request_id = NewRequestId();
  fv1::AssessDuesResponse first =
      Assess(server, c.county.org_id(), "2025-02", request_id);
  EXPECT_EQ(first.members_charged(), 3);
  // The same request again answers the first response.
  fv1::AssessDuesResponse retry =
      Assess(server, c.county.org_id(), "2025-02", request_id);
  EXPECT_EQ(retry.SerializeAsString(), first.SerializeAsString());
  // A new run of the same month charges nothing new and posts nothing.
  fv1::AssessDuesResponse again = Assess(server, c.county.org_id(), "2025-02");
  EXPECT_EQ(again.members_charged(), 0);
  EXPECT_EQ(again.already_charged(), 3);
  EXPECT_EQ(again.total_due_fen(), 0);
  EXPECT_EQ(again.entry_id(), 0);
  // A subtree run inside it too.
  fv1::AssessDuesResponse sub =
      Assess(server, c.township_a.org_id(), "2025-02");
  EXPECT_EQ(sub.members_charged(), 0);
  EXPECT_EQ(sub.already_charged(), 2);
  EXPECT_EQ(SqlInt(server, "SELECT COUNT(*) FROM dues_charges"), 3);
  EXPECT_EQ(SqlInt(server, "SELECT COUNT(*) FROM ledger_entries"), 1);

  // A raise from March on: February's charge stays, March uses the raise.
  mv1::UpdateMemberRequest wage;
  wage.set_request_id(NewRequestId());
  wage.mutable_member()->set_member_id(Id(c.members[0]));
  wage.mutable_member()->set_wage_base_fen(700000);
  wage.mutable_update_mask()->add_paths("wage_base_fen");
  wage.set_effective_on("2025-03-01");
  MustRpc(server.membership().stub(), &Stub::UpdateMember, wage,
          "UpdateMember");
  server.SyncRoster();
  EXPECT_EQ(Assess(server, c.county.org_id(), "2025-02").members_charged(), 0);
  EXPECT_EQ(ChargeOf(server, Id(c.members[0]), "2025-02"), "2835/0/50");
  fv1::AssessDuesResponse march = Assess(server, c.county.org_id(), "2025-03");
  EXPECT_EQ(march.members_charged(), 3);
  EXPECT_EQ(ChargeOf(server, Id(c.members[0]), "2025-03"), "3500/0/50");
  // Months assessed out of order are as they were then.
  EXPECT_EQ(Assess(server, c.county.org_id(), "2025-01").members_charged(), 3);
  EXPECT_EQ(ChargeOf(server, Id(c.members[0]), "2025-01"), "2835/0/50");
  ExpectRollupMatchesCharges(server);
  ExpectLedgerBalanced(server);
}

TEST(FinanceDues, OnlyMembersActiveOnTheLastDayAreCharged) {
  FinanceServer server("dues_active");
  SmallCounty c = BuildSmallCounty(server, {500000, 600000, 700000});
  ASSERT_TRUE(ChangeStatus(server.membership(), Id(c.members[1]),
                           mv1::MEMBER_STATUS_RETAINED, "2025-03-15",
                           mv1::RETAINED_REASON_RETIRED)
                  .ok());
  server.SyncRoster();
  // Before joining (2025-01-10) nobody owes anything.
  fv1::AssessDuesResponse december =
      Assess(server, c.county.org_id(), "2024-12");
  EXPECT_EQ(december.members_charged(), 0);
  EXPECT_EQ(december.entry_id(), 0);
  // Joined on 2025-01-10: ACTIVE on 31 January.
  EXPECT_EQ(Assess(server, c.county.org_id(), "2025-01").members_charged(), 3);
  // RETAINED from 15 March: charged for February, not for March.
  EXPECT_EQ(Assess(server, c.county.org_id(), "2025-02").members_charged(), 3);
  EXPECT_EQ(Assess(server, c.county.org_id(), "2025-03").members_charged(), 2);
  EXPECT_EQ(ChargeOf(server, Id(c.members[1]), "2025-03"), "");
  EXPECT_EQ(ChargeOf(server, Id(c.members[1]), "2025-02"), "3000/0/50");
  // A subtree run covers only its subtree.
  fv1::AssessDuesResponse b = Assess(server, c.township_b.org_id(), "2025-04");
  EXPECT_EQ(b.members_charged(), 1);
  EXPECT_EQ(ChargeOf(server, Id(c.members[2]), "2025-04"), "3500/0/50");
  EXPECT_EQ(ChargeOf(server, Id(c.members[0]), "2025-04"), "");
  ExpectRollupMatchesCharges(server);
  ExpectLedgerBalanced(server);
}

TEST(FinanceDues, MostSpecificPolicyWinsThenLatestEffectiveFrom) {
  FinanceServer server("dues_policy");
  // A1, A2 (township A) and B1 (township B), all at 6,000.00 yuan.
  SmallCounty c = BuildSmallCounty(server, {600000, 600000, 600000});
  const int64_t a1 = Id(c.members[0]), b1 = Id(c.members[2]);
  MustSetPolicy(server, Policy(c.county.org_id(), "2025-01", 100));
  MustSetPolicy(server, Policy(c.township_a.org_id(), "2025-03", 30));
  MustSetPolicy(server, Policy(c.county.org_id(), "2025-04", 200));
  // A later whole-tree policy does not beat the county's more specific one.
  fv1::DuesPolicy root = MustSetPolicy(server, Policy(0, "2025-05", 60));
  EXPECT_GT(root.policy_id(), 0);
  EXPECT_EQ(root.scope_org_id(), 0);
  EXPECT_TRUE(root.has_create_time());

  Assess(server, 0, "2025-02");  // the whole tree
  EXPECT_EQ(ChargeOf(server, a1, "2025-02"), "6000/0/100");
  EXPECT_EQ(ChargeOf(server, b1, "2025-02"), "6000/0/100");
  Assess(server, 0, "2025-03");
  EXPECT_EQ(ChargeOf(server, a1, "2025-03"), "1800/0/30");  // township wins
  EXPECT_EQ(ChargeOf(server, b1, "2025-03"), "6000/0/100");
  Assess(server, 0, "2025-04");
  EXPECT_EQ(ChargeOf(server, a1, "2025-04"), "1800/0/30");
  EXPECT_EQ(ChargeOf(server, b1, "2025-04"), "12000/0/200");
  Assess(server, 0, "2025-05");
  EXPECT_EQ(ChargeOf(server, b1, "2025-05"), "12000/0/200");

  // Policies related to township A: the county's and its own, not B's.
  MustSetPolicy(server, Policy(c.township_b.org_id(), "2025-06", 40));
  fv1::ListDuesPoliciesRequest list;
  list.set_scope_org_id(c.township_a.org_id());
  list.set_page_size(2);
  fv1::ListDuesPoliciesResponse page1 =
      MustRpc(server.finance(), &FStub::ListDuesPolicies, list, "List 1");
  ASSERT_EQ(page1.policies_size(), 2);
  ASSERT_FALSE(page1.next_page_token().empty());
  list.set_page_token(page1.next_page_token());
  fv1::ListDuesPoliciesResponse page2 =
      MustRpc(server.finance(), &FStub::ListDuesPolicies, list, "List 2");
  std::vector<int64_t> scopes;
  for (const auto& page : {page1, page2}) {
    for (const fv1::DuesPolicy& p : page.policies()) {
      scopes.push_back(p.scope_org_id());
    }
  }
  EXPECT_EQ(scopes,
            (std::vector<int64_t>{c.county.org_id(), c.township_a.org_id(),
                                  c.county.org_id(), 0}));
  EXPECT_TRUE(page2.next_page_token().empty());
  // A token is tied to its filter.
  list.set_scope_org_id(c.township_b.org_id());
  fv1::ListDuesPoliciesResponse wrong;
  EXPECT_EQ(Rpc(server.finance(), &FStub::ListDuesPolicies, list, &wrong)
                .error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  ExpectRollupMatchesCharges(server);
  ExpectLedgerBalanced(server);
}

TEST(FinanceDues, PolicyWithoutTheTenYuanRuleCountsEveryFen) {
  FinanceServer server("dues_every_fen");
  SmallCounty c = BuildSmallCounty(server, {567890});
  MustSetPolicy(server, Policy(c.union_a1.org_id(), "2025-01", 50, 0));
  Assess(server, c.county.org_id(), "2025-01");
  // 5,678.90 * 0.5 % = 28.3945 -> 28.39
  EXPECT_EQ(ChargeOf(server, Id(c.members[0]), "2025-01"), "2839/0/50");
}

TEST(FinanceDues, BadRequestsNameEveryFieldAndWriteNothing) {
  FinanceServer server("dues_invalid");
  SmallCounty c = BuildSmallCounty(server, {500000});
  const int64_t entries_before = SqlInt(server,
                                        "SELECT COUNT(*) FROM "
                                        "ledger_entries");

  fv1::AssessDuesRequest assess;
  assess.set_org_id(-1);
  assess.set_month("2999-01");
  fv1::AssessDuesResponse assess_resp;
  grpc::Status status =
      Rpc(server.finance(), &FStub::AssessDues, assess, &assess_resp);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFields(status),
            (std::vector<std::string>{"request_id", "org_id", "month"}));
  assess.set_request_id(NewRequestId());
  assess.set_org_id(0);
  assess.set_month("2025-1");
  status = Rpc(server.finance(), &FStub::AssessDues, assess, &assess_resp);
  EXPECT_EQ(BadFields(status), (std::vector<std::string>{"month"}));
  assess.set_month("2025-01");
  assess.set_org_id(999999);
  EXPECT_EQ(Rpc(server.finance(), &FStub::AssessDues, assess, &assess_resp)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);

  fv1::SetDuesPolicyRequest policy;
  policy.mutable_policy()->set_policy_id(7);
  policy.mutable_policy()->set_scope_org_id(-3);
  policy.mutable_policy()->set_effective_from("Jan 2025");
  policy.mutable_policy()->set_rate_bp(20000);
  policy.mutable_policy()->set_ignore_below_fen(-1);
  policy.mutable_policy()->set_note(std::string(300, 'x'));
  fv1::SetDuesPolicyResponse policy_resp;
  status = Rpc(server.finance(), &FStub::SetDuesPolicy, policy, &policy_resp);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFields(status),
            (std::vector<std::string>{
                "request_id", "policy.policy_id", "policy.scope_org_id",
                "policy.effective_from", "policy.rate_bp",
                "policy.ignore_below_fen", "policy.note"}));

  fv1::RecordDuesPaymentRequest pay;
  pay.set_amount_fen(-5);
  pay.set_month("2025-13");
  pay.set_paid_on("2999-01-01");
  pay.set_reference(std::string(129, 'r'));
  fv1::RecordDuesPaymentResponse pay_resp;
  status = Rpc(server.finance(), &FStub::RecordDuesPayment, pay, &pay_resp);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFields(status), (std::vector<std::string>{
                                   "request_id", "member_id", "amount_fen",
                                   "month", "method", "paid_on", "reference"}));
  // Unknown to finance: NOT_FOUND; a month with nothing open: a conflict.
  pay = PaymentRequest(999999, 100);
  EXPECT_EQ(Rpc(server.finance(), &FStub::RecordDuesPayment, pay, &pay_resp)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);
  pay = PaymentRequest(Id(c.members[0]), 100, "2025-01");
  EXPECT_EQ(Rpc(server.finance(), &FStub::RecordDuesPayment, pay, &pay_resp)
                .error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  fv1::GetDuesStandingRequest standing;
  fv1::GetDuesStandingResponse standing_resp;
  status =
      Rpc(server.finance(), &FStub::GetDuesStanding, standing, &standing_resp);
  EXPECT_EQ(BadFields(status), (std::vector<std::string>{"member_id"}));
  standing.set_member_id(999999);
  EXPECT_EQ(
      Rpc(server.finance(), &FStub::GetDuesStanding, standing, &standing_resp)
          .error_code(),
      grpc::StatusCode::NOT_FOUND);
  fv1::GetMemberDuesStatementRequest statement;
  statement.set_member_id(Id(c.members[0]));
  statement.set_from_month("2025-05");
  statement.set_to_month("2025-02");
  fv1::GetMemberDuesStatementResponse statement_resp;
  status = Rpc(server.finance(), &FStub::GetMemberDuesStatement, statement,
               &statement_resp);
  EXPECT_EQ(BadFields(status), (std::vector<std::string>{"to_month"}));

  EXPECT_EQ(SqlInt(server, "SELECT COUNT(*) FROM dues_charges"), 0);
  EXPECT_EQ(SqlInt(server, "SELECT COUNT(*) FROM dues_payments"), 0);
  EXPECT_EQ(SqlInt(server, "SELECT COUNT(*) FROM dues_policies"), 0);
  EXPECT_EQ(SqlInt(server, "SELECT COUNT(*) FROM collection_rollup"), 0);
  EXPECT_EQ(SqlInt(server, "SELECT COUNT(*) FROM ledger_entries"),
            entries_before);
}

// A few hundred members in one run: one candidate query, chunked inserts
// (more than one chunk), one entry. Also what a clerk of one township may
// and may not assess.
TEST(FinanceDues, AssessesHundredsOfMembersInOneRun) {
  FinanceServer server("dues_hundreds");
  std::vector<int64_t> wages;
  for (int i = 0; i < 330; ++i) wages.push_back(100000 + i * 1237);
  SmallCounty c = BuildSmallCounty(server, wages);
  int64_t expected = 0;
  for (int64_t wage : wages)
    expected += (wage / 1000 * 1000 * 50 + 5000) / 10000;
  const std::string clerk =
      MintTestToken({"finance_clerk"}, c.township_b.org_id(), "clerk-b");
  auto stub = server.FinanceWithToken(clerk);
  fv1::AssessDuesRequest req;
  req.set_request_id(NewRequestId());
  req.set_org_id(c.county.org_id());
  req.set_month("2025-05");
  fv1::AssessDuesResponse resp;
  EXPECT_EQ(Rpc(*stub, &FStub::AssessDues, req, &resp).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  req.set_org_id(c.township_b.org_id());
  ASSERT_TRUE(Rpc(*stub, &FStub::AssessDues, req, &resp).ok());
  EXPECT_EQ(resp.members_charged(), 110);

  fv1::AssessDuesResponse all = Assess(server, c.county.org_id(), "2025-05");
  EXPECT_EQ(all.members_charged(), 220);
  EXPECT_EQ(all.already_charged(), 110);
  EXPECT_EQ(resp.total_due_fen() + all.total_due_fen(), expected);
  EXPECT_EQ(SqlInt(server, "SELECT COUNT(*) FROM dues_charges"), 330);
  EXPECT_EQ(SqlInt(server, "SELECT COUNT(*) FROM ledger_entries"), 2);
  EXPECT_EQ(SqlInt(server, "SELECT COUNT(*) FROM dues_assessments"), 2);
  ExpectRollupMatchesCharges(server);
  ExpectLedgerBalanced(server);
}

}  // namespace
}  // namespace unionhub::testing
