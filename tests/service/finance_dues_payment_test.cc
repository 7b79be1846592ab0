// Dues payments: oldest month first, a named month, overpayment kept as
// credit and applied when the next charge is made, idempotent retries, and
// what a member's statement and standing say about it.
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "common/core/dates.h"
#include "tests/service/finance_dues_helpers.h"

namespace unionhub::testing {
namespace {

std::vector<std::pair<std::string, int64_t>> Allocations(
    const fv1::DuesPayment& payment) {
  std::vector<std::pair<std::string, int64_t>> out;
  for (const fv1::MonthAllocation& a : payment.allocations()) {
    out.push_back({a.month(), a.amount_fen()});
  }
  return out;
}

using Alloc = std::vector<std::pair<std::string, int64_t>>;

TEST(FinanceDuesPayment, OldestFirstNamedMonthAndCredit) {
  FinanceServer server("dues_pay");
  SmallCounty c = BuildSmallCounty(server, {567890});  // 28.35 a month
  const int64_t member = c.members[0].member_id();
  const int64_t org = c.union_a1.org_id();
  for (const char* month : {"2025-01", "2025-02", "2025-03"}) {
    Assess(server, c.county.org_id(), month);
  }

  // Oldest first: January in full, then part of February.
  fv1::RecordDuesPaymentResponse first = MustPay(server, member, 3000);
  EXPECT_EQ(Allocations(first.payment()),
            (Alloc{{"2025-01", 2835}, {"2025-02", 165}}));
  EXPECT_EQ(first.payment().credited_fen(), 0);
  EXPECT_EQ(first.credit_balance_fen(), 0);
  EXPECT_GT(first.payment().entry_id(), 0);
  EXPECT_EQ(first.payment().paid_on(), "2025-06-30");
  EXPECT_EQ(first.payment().method(), fv1::PAYMENT_METHOD_CASH);
  EXPECT_TRUE(first.payment().has_create_time());
  EXPECT_EQ(ChargeOf(server, member, "2025-01"), "2835/2835/50");
  EXPECT_EQ(ChargeOf(server, member, "2025-02"), "2835/165/50");

  // A named month is paid first even though February is older.
  fv1::RecordDuesPaymentResponse named =
      MustPay(server, member, 2835, "2025-03");
  EXPECT_EQ(Allocations(named.payment()), (Alloc{{"2025-03", 2835}}));
  // A month that is already settled cannot be named.
  fv1::RecordDuesPaymentResponse refused;
  EXPECT_EQ(Rpc(server.finance(), &FStub::RecordDuesPayment,
                PaymentRequest(member, 100, "2025-03"), &refused)
                .error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  // The rest of February, and the excess kept as credit.
  fv1::RecordDuesPaymentResponse over = MustPay(server, member, 5000);
  EXPECT_EQ(Allocations(over.payment()), (Alloc{{"2025-02", 2670}}));
  EXPECT_EQ(over.payment().credited_fen(), 2330);
  EXPECT_EQ(over.credit_balance_fen(), 2330);
  EXPECT_EQ(AccountBalance(server, OrgAccount("member_credit", org)), -2330);
  EXPECT_EQ(AccountBalance(server, OrgAccount("cash", org)),
            3000 + 2835 + 5000);
  EXPECT_EQ(AccountBalance(server, OrgAccount("dues_receivable", org)), 0);

  // Credit is applied when the next charge is made.
  fv1::AssessDuesResponse april = Assess(server, c.county.org_id(), "2025-04");
  EXPECT_EQ(april.members_charged(), 1);
  EXPECT_EQ(ChargeOf(server, member, "2025-04"), "2835/2330/50");
  EXPECT_EQ(SqlInt(server,
                   "SELECT credit_fen FROM roster_members WHERE member_id = ?",
                   member),
            0);
  EXPECT_EQ(AccountBalance(server, OrgAccount("member_credit", org)), 0);
  EXPECT_EQ(AccountBalance(server, OrgAccount("dues_receivable", org)), 505);
  // ...recorded as an allocation of the payment that left the credit.
  fv1::GetMemberDuesStatementRequest statement_req;
  statement_req.set_member_id(member);
  fv1::GetMemberDuesStatementResponse statement =
      MustRpc(server.finance(), &FStub::GetMemberDuesStatement, statement_req,
              "statement");
  ASSERT_EQ(statement.payments_size(), 3);
  EXPECT_EQ(Allocations(statement.payments(2)),
            (Alloc{{"2025-02", 2670}, {"2025-04", 2330}}));
  EXPECT_EQ(statement.charges_size(), 4);
  EXPECT_EQ(statement.total_due_fen(), 4 * 2835);
  EXPECT_EQ(statement.total_paid_fen(), 4 * 2835 - 505);
  EXPECT_EQ(statement.balance_fen(), 505);
  EXPECT_EQ(statement.credit_fen(), 0);
  EXPECT_EQ(std::vector<std::string>(statement.open_months().begin(),
                                     statement.open_months().end()),
            std::vector<std::string>{"2025-04"});

  // A prepayment of more than a month: the next month is fully paid by
  // credit and the member is not in arrears for it.
  MustPay(server, member, 505 + 4000);
  Assess(server, c.county.org_id(), "2025-05");
  EXPECT_EQ(ChargeOf(server, member, "2025-05"), "2835/2835/50");
  fv1::GetDuesStandingRequest standing_req;
  standing_req.set_member_id(member);
  fv1::GetDuesStandingResponse standing = MustRpc(
      server.finance(), &FStub::GetDuesStanding, standing_req, "standing");
  EXPECT_EQ(standing.months_in_arrears(), 0);
  EXPECT_FALSE(standing.lapse_candidate());
  EXPECT_EQ(standing.credit_fen(), 4000 - 2835);
  EXPECT_EQ(standing.oldest_open_month(), "");
  EXPECT_EQ(standing.as_of_month(),
            dates::FormatMonth(absl::CivilMonth(dates::TodayInChina())));

  // A statement for a range shows that range's charges and the payments
  // received in it.
  statement_req.set_from_month("2025-02");
  statement_req.set_to_month("2025-03");
  statement = MustRpc(server.finance(), &FStub::GetMemberDuesStatement,
                      statement_req, "statement range");
  EXPECT_EQ(statement.charges_size(), 2);
  EXPECT_EQ(statement.balance_fen(), 0);
  EXPECT_EQ(statement.payments_size(), 0);  // all paid on 2025-06-30
  ExpectRollupMatchesCharges(server);
  ExpectLedgerBalanced(server);
}

TEST(FinanceDuesPayment, RetryReturnsTheFirstPaymentAndWritesNothing) {
  FinanceServer server("dues_pay_retry");
  SmallCounty c = BuildSmallCounty(server, {567890});
  const int64_t member = c.members[0].member_id();
  Assess(server, c.county.org_id(), "2025-01");
  fv1::RecordDuesPaymentRequest req = PaymentRequest(member, 1000);
  fv1::RecordDuesPaymentResponse first =
      MustRpc(server.finance(), &FStub::RecordDuesPayment, req, "first");
  fv1::RecordDuesPaymentResponse second =
      MustRpc(server.finance(), &FStub::RecordDuesPayment, req, "retry");
  EXPECT_EQ(second.SerializeAsString(), first.SerializeAsString());
  EXPECT_EQ(SqlInt(server, "SELECT COUNT(*) FROM dues_payments"), 1);
  EXPECT_EQ(SqlInt(server,
                   "SELECT COUNT(*) FROM ledger_entries WHERE kind = "
                   "'DUES_PAID'"),
            1);
  EXPECT_EQ(ChargeOf(server, member, "2025-01"), "2835/1000/50");
  // The same request_id for another body is refused.
  req.set_amount_fen(1001);
  fv1::RecordDuesPaymentResponse other;
  grpc::Status status =
      Rpc(server.finance(), &FStub::RecordDuesPayment, req, &other);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFields(status), std::vector<std::string>{"request_id"});
  EXPECT_EQ(SqlInt(server, "SELECT COUNT(*) FROM dues_payments"), 1);
  ExpectRollupMatchesCharges(server);
  ExpectLedgerBalanced(server);
}

TEST(FinanceDuesPayment, SixUnpaidMonthsMakeALapseCandidate) {
  FinanceServer server("dues_lapse");
  SmallCounty c = BuildSmallCounty(server, {567890});
  const int64_t member = c.members[0].member_id();
  for (int m = 1; m <= 7; ++m) {
    Assess(server, c.county.org_id(), absl::StrCat("2025-0", m));
  }
  fv1::GetDuesStandingRequest req;
  req.set_member_id(member);
  fv1::GetDuesStandingResponse standing =
      MustRpc(server.finance(), &FStub::GetDuesStanding, req, "standing");
  EXPECT_EQ(standing.months_in_arrears(), 7);
  EXPECT_EQ(standing.longest_consecutive_unpaid(), 7);
  EXPECT_TRUE(standing.lapse_candidate());
  EXPECT_EQ(standing.outstanding_fen(), 7 * 2835);
  EXPECT_EQ(standing.oldest_open_month(), "2025-01");
  // Paying the latest month ends the run that counts for lapsing.
  MustPay(server, member, 2835, "2025-07");
  standing = MustRpc(server.finance(), &FStub::GetDuesStanding, req, "after");
  EXPECT_FALSE(standing.lapse_candidate());
  EXPECT_EQ(standing.months_in_arrears(), 6);
  EXPECT_EQ(standing.outstanding_fen(), 6 * 2835);
  ExpectRollupMatchesCharges(server);
  ExpectLedgerBalanced(server);
}

// A payment's audit row is written by the payment's own transaction: one
// row per acknowledged call, none beside a refused change (the change rolled
// back; the refusal's own row is written apart, naming what was refused).
TEST(FinanceDuesPayment, AuditRowOnceWithThePaymentAndApartFromARefusal) {
  FinanceServer server("dues_pay_audit");
  SmallCounty c = BuildSmallCounty(server, {567890});
  const int64_t member = c.members[0].member_id();
  Assess(server, c.county.org_id(), "2025-01");
  const std::string audit_rows =
      "SELECT COUNT(*) FROM audit_trail WHERE request_id = ? AND method = "
      "'unionhub.finance.v1.FinanceService.RecordDuesPayment' AND result = ?";

  fv1::RecordDuesPaymentRequest paid = PaymentRequest(member, 2835, "2025-01");
  MustRpc(server.finance(), &FStub::RecordDuesPayment, paid, "payment");
  EXPECT_EQ(SqlInt(server, audit_rows, paid.request_id(), std::string("OK")),
            1);
  EXPECT_EQ(SqlInt(server,
                   "SELECT COUNT(*) FROM audit_trail WHERE "
                   "request_id = ?",
                   paid.request_id()),
            1);

  // January is settled now: naming it again is refused inside the
  // transaction, after the member's row and charges were locked.
  fv1::RecordDuesPaymentRequest refused =
      PaymentRequest(member, 100, "2025-01");
  fv1::RecordDuesPaymentResponse none;
  EXPECT_EQ(Rpc(server.finance(), &FStub::RecordDuesPayment, refused, &none)
                .error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(SqlInt(server, audit_rows, refused.request_id(),
                   std::string("FAILED_PRECONDITION")),
            1);
  EXPECT_EQ(SqlInt(server,
                   "SELECT COUNT(*) FROM audit_trail WHERE "
                   "request_id = ?",
                   refused.request_id()),
            1);
  EXPECT_EQ(SqlInt(server,
                   "SELECT COUNT(*) FROM dues_payments WHERE "
                   "request_id = ?",
                   refused.request_id()),
            0);
  EXPECT_EQ(SqlInt(server,
                   "SELECT COUNT(*) FROM idempotency_keys WHERE "
                   "request_id = ?",
                   refused.request_id()),
            0);
}

}  // namespace
}  // namespace unionhub::testing
