// kill -9 of MariaDB under concurrent JoinMember (membership) and
// RecordDuesPayment (finance), the clients retrying each request with its
// request_id until it is acknowledged: after the restart every acknowledged
// write is present exactly once, the rollups agree with the raw rows and
// the ledger verifies.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "tests/fault/calls.h"
#include "tests/fault/fault_fixture.h"
#include "tests/fault/finance_checks.h"
#include "tests/system/system_fixture.h"

namespace unionhub::testing {
namespace {

namespace mv1 = ::unionhub::membership::v1;
namespace fv1 = ::unionhub::finance::v1;

constexpr int kBaseMembers = 30;
constexpr char kMonth[] = "2024-06";

// What the clients saw: acknowledged writes and the failures retried.
struct Ledger {
  std::mutex mu;
  std::map<std::string, int64_t> joins;  // request_id -> member_id
  std::map<std::string, std::pair<int64_t, int64_t>>
      payments;                // request_id -> (payment_id, amount)
  std::map<int, int> retried;  // grpc code -> count
  int gave_up = 0;
};

// Sends `once` until it is acknowledged (or 90 s pass): the client's side
// of exactly-once. Failures whose fate is unknown are retried with the
// same request_id; a refusal (bad input, state) is final.
template <typename F>
bool UntilAcknowledged(F once, Ledger& ledger) {
  const absl::Time deadline = absl::Now() + absl::Seconds(90);
  while (absl::Now() < deadline) {
    grpc::Status status = once();
    if (status.ok()) return true;
    {
      std::lock_guard<std::mutex> lock(ledger.mu);
      ++ledger.retried[status.error_code()];
    }
    if (status.error_code() == grpc::StatusCode::INVALID_ARGUMENT ||
        status.error_code() == grpc::StatusCode::FAILED_PRECONDITION ||
        status.error_code() == grpc::StatusCode::PERMISSION_DENIED) {
      ADD_FAILURE() << "refused: " << status.error_message();
      break;
    }
    absl::SleepFor(absl::Milliseconds(150));
  }
  std::lock_guard<std::mutex> lock(ledger.mu);
  ++ledger.gave_up;
  return false;
}

using FaultDuesTest = FaultTest;

TEST_F(FaultDuesTest, DatabaseKilledUnderJoinsAndPaymentsLosesNothing) {
  MembershipProcess& membership = NewMembership();
  ASSERT_TRUE(membership.StartAndWaitServing().ok()) << membership.ReadLog();
  MembershipProcess& finance = NewFinance(membership);
  ASSERT_TRUE(finance.StartAndWaitServing().ok()) << finance.ReadLog();
  auto members =
      mv1::MembershipService::NewStub(membership.NewChannel(admin_token()));
  auto dues = fv1::FinanceService::NewStub(finance.NewChannel(admin_token()));

  auto county = Call(*members, &mv1::MembershipService::Stub::CreateOrg,
                     OrgRequest("dues-county", "示范县总工会"));
  ASSERT_TRUE(county.ok()) << county.status.error_message();
  auto township = Call(
      *members, &mv1::MembershipService::Stub::CreateOrg,
      OrgRequest("dues-township", "城关镇总工会",
                 county.response.org().org_id(), mv1::ORG_TYPE_TOWNSHIP_UNION));
  ASSERT_TRUE(township.ok()) << township.status.error_message();
  const int64_t org_id = township.response.org().org_id();
  const std::vector<mv1::ImportMembersRequest> people = MakeImportRows(2000);
  auto join_request = [&](int i) {
    mv1::JoinMemberRequest request;
    request.set_request_id(absl::StrCat("join-", i));
    *request.mutable_member() = people[i].row().member();
    request.mutable_member()->set_org_id(org_id);
    request.set_joined_on("2024-03-01");
    return request;
  };
  std::vector<int64_t> base;
  for (int i = 0; i < kBaseMembers; ++i) {
    auto joined = Call(*members, &mv1::MembershipService::Stub::JoinMember,
                       join_request(i));
    ASSERT_TRUE(joined.ok()) << joined.status.error_message();
    base.push_back(joined.response.member().member_id());
  }
  ASSERT_TRUE(WaitFor(
      [&] {
        return QueryInt("fault_finance",
                        "SELECT COUNT(*) FROM roster_members") == kBaseMembers;
      },
      absl::Seconds(60)));
  fv1::SetDuesPolicyRequest policy;
  policy.set_request_id("dues-policy");
  policy.mutable_policy()->set_effective_from("2024-01");
  policy.mutable_policy()->set_rate_bp(50);
  ASSERT_TRUE(
      Call(*dues, &fv1::FinanceService::Stub::SetDuesPolicy, policy).ok());
  fv1::AssessDuesRequest assess;
  assess.set_request_id("dues-assess");
  assess.set_org_id(county.response.org().org_id());
  assess.set_month(kMonth);
  auto assessed = Call(*dues, &fv1::FinanceService::Stub::AssessDues, assess);
  ASSERT_TRUE(assessed.ok()) << assessed.status.error_message();
  ASSERT_EQ(assessed.response.members_charged(), kBaseMembers);

  // The load: two joiners, two payers, for ~8 s, the database killed at
  // ~2 s and back at ~4 s.
  Ledger ledger;
  std::atomic<bool> stop{false};
  std::atomic<int> next_person{kBaseMembers};
  std::vector<std::thread> clients;
  for (int t = 0; t < 2; ++t) {
    clients.emplace_back([&] {
      while (!stop) {
        const int i = next_person++;
        if (i >= static_cast<int>(people.size())) break;
        const mv1::JoinMemberRequest request = join_request(i);
        int64_t member_id = 0;
        if (UntilAcknowledged(
                [&] {
                  auto a =
                      Call(*members, &mv1::MembershipService::Stub::JoinMember,
                           request, absl::Seconds(10));
                  member_id = a.response.member().member_id();
                  return a.status;
                },
                ledger)) {
          std::lock_guard<std::mutex> lock(ledger.mu);
          ledger.joins[request.request_id()] = member_id;
        }
      }
    });
    clients.emplace_back([&, t] {
      for (int i = 0; !stop; ++i) {
        fv1::RecordDuesPaymentRequest request;
        request.set_request_id(absl::StrCat("pay-", t, "-", i));
        request.set_member_id(base[(i * 2 + t) % base.size()]);
        request.set_amount_fen(100 + (i * 7 + t) % 900);
        request.set_method(fv1::PAYMENT_METHOD_CASH);
        request.set_paid_on("2024-06-15");
        int64_t payment_id = 0;
        if (UntilAcknowledged(
                [&] {
                  auto a =
                      Call(*dues, &fv1::FinanceService::Stub::RecordDuesPayment,
                           request, absl::Seconds(10));
                  payment_id = a.response.payment().payment_id();
                  return a.status;
                },
                ledger)) {
          std::lock_guard<std::mutex> lock(ledger.mu);
          ledger.payments[request.request_id()] = {payment_id,
                                                   request.amount_fen()};
        }
      }
    });
  }
  absl::SleepFor(absl::Seconds(2));
  int64_t acked_at_kill = 0;
  {
    std::lock_guard<std::mutex> lock(ledger.mu);
    acked_at_kill = ledger.joins.size() + ledger.payments.size();
  }
  database().Kill();
  const absl::Time killed = absl::Now();
  absl::SleepFor(absl::Seconds(2));
  ASSERT_TRUE(database().Start().ok());
  const absl::Time back = absl::Now();
  // Recovery: the first acknowledgement after the database is back.
  int64_t acked_at_back = 0;
  {
    std::lock_guard<std::mutex> lock(ledger.mu);
    acked_at_back = ledger.joins.size() + ledger.payments.size();
  }
  WaitFor(
      [&] {
        std::lock_guard<std::mutex> lock(ledger.mu);
        return static_cast<int64_t>(ledger.joins.size() +
                                    ledger.payments.size()) > acked_at_back;
      },
      absl::Seconds(30));
  const absl::Duration recovery = absl::Now() - back;
  absl::SleepFor(absl::Seconds(3));
  stop = true;
  for (std::thread& client : clients) client.join();
  EXPECT_EQ(ledger.gave_up, 0);

  // Membership: every acknowledged join once, and nothing else.
  std::set<int64_t> joined_ids;
  for (const auto& [id, member_id] : ledger.joins) joined_ids.insert(member_id);
  EXPECT_EQ(joined_ids.size(), ledger.joins.size()) << "two joins, one member";
  const int64_t member_rows =
      QueryInt("fault_membership", "SELECT COUNT(*) FROM members");
  const int64_t expected_members =
      kBaseMembers + static_cast<int64_t>(ledger.joins.size());
  EXPECT_EQ(member_rows, expected_members);
  EXPECT_EQ(QueryInt("fault_membership",
                     "SELECT COUNT(*) FROM events WHERE type = 1"),
            expected_members);
  int64_t lost_joins = 0;
  std::vector<std::string> lost_ids;  // named in the report
  for (const auto& [id, member_id] : ledger.joins) {
    if (QueryInt("fault_membership",
                 absl::StrCat("SELECT COUNT(*) FROM members WHERE id = ",
                              member_id)) != 1 ||
        QueryInt("fault_membership",
                 absl::StrCat("SELECT COUNT(*) FROM idempotency_keys WHERE "
                              "request_id = '",
                              id, "'")) != 1) {
      ++lost_joins;
      lost_ids.push_back(id);
    }
  }
  EXPECT_EQ(lost_joins, 0);

  // Finance: every acknowledged payment once, with its amount.
  int64_t acked_sum = 0;
  for (const auto& [id, payment] : ledger.payments) acked_sum += payment.second;
  const int64_t payment_rows =
      QueryInt("fault_finance", "SELECT COUNT(*) FROM dues_payments");
  const int64_t duplicated = QueryInt(
      "fault_finance",
      "SELECT COUNT(*) FROM (SELECT request_id FROM dues_payments GROUP BY "
      "request_id HAVING COUNT(*) > 1) d");
  int64_t lost_payments = 0;
  for (const auto& [id, payment] : ledger.payments) {
    const std::vector<std::vector<std::string>> row = QueryRows(
        "fault_finance",
        absl::StrCat("SELECT payment_id, amount_fen FROM dues_payments WHERE "
                     "request_id = '",
                     id, "'"));
    if (row.size() != 1 || row[0][0] != absl::StrCat(payment.first) ||
        row[0][1] != absl::StrCat(payment.second)) {
      ++lost_payments;
      lost_ids.push_back(id);
    }
  }
  EXPECT_EQ(lost_payments, 0);
  EXPECT_EQ(duplicated, 0);
  EXPECT_EQ(payment_rows, static_cast<int64_t>(ledger.payments.size()));
  EXPECT_EQ(QueryInt("fault_finance",
                     "SELECT COALESCE(SUM(amount_fen), 0) FROM dues_payments"),
            acked_sum);
  // Charges against their allocations, rollups against the charges.
  EXPECT_EQ(QueryInt("fault_finance", kChargesOffTheirAllocations), 0);
  EXPECT_EQ(
      QueryInt("fault_finance",
               "SELECT COUNT(*) FROM collection_rollup r JOIN roster_orgs o ON "
               "o.org_id = r.org_id WHERE (r.paid_fen, r.due_fen, "
               "r.members_charged, r.members_paid) <> (SELECT "
               "COALESCE(SUM(c.paid_fen), 0), COALESCE(SUM(c.due_fen), 0), "
               "COUNT(*), COALESCE(SUM(c.settled), 0) FROM dues_charges c "
               "WHERE c.month = r.month AND c.org_path LIKE CONCAT(o.path, "
               "'%'))"),
      0);
  EXPECT_EQ(QueryInt("fault_finance",
                     "SELECT COUNT(*) FROM collection_rollup r WHERE "
                     "(r.own_paid_fen, r.own_due_fen) <> (SELECT "
                     "COALESCE(SUM(c.paid_fen), 0), COALESCE(SUM(c.due_fen), "
                     "0) FROM dues_charges c WHERE c.month = r.month AND "
                     "c.org_id = r.org_id)"),
            0);
  EXPECT_GT(
      QueryInt("fault_finance",
               "SELECT COUNT(*) FROM collection_rollup WHERE paid_fen > 0"),
      0);
  // The roster follows every join, once.
  EXPECT_TRUE(WaitFor(
      [&] {
        return QueryInt("fault_finance",
                        "SELECT COUNT(*) FROM roster_members") ==
               expected_members;
      },
      absl::Seconds(60)));
  EXPECT_EQ(
      QueryInt("fault_finance", "SELECT COUNT(*) FROM roster_member_states"),
      expected_members);
  // The ledger's hash chain and balance.
  fv1::VerifyLedgerResponse verified;
  EXPECT_TRUE(LedgerVerifies(
      *fv1::AuditService::NewStub(finance.NewChannel(admin_token())),
      &verified))
      << verified.reason();

  std::vector<std::string> retried;
  for (const auto& [code, n] : ledger.retried) {
    retried.push_back(absl::StrCat(code, "x", n));
  }
  Report(absl::StrFormat(
      "acknowledged %d (joins %d, payments %d, %d before the kill), lost %d, "
      "duplicated %d; retried failures by code [%s]; database down %.1f s; "
      "first acknowledgement %.2f s after it answered again; ledger %d "
      "entries intact; lost request_ids [%s]",
      ledger.joins.size() + ledger.payments.size(), ledger.joins.size(),
      ledger.payments.size(), acked_at_kill, lost_joins + lost_payments,
      duplicated +
          (payment_rows - static_cast<int64_t>(ledger.payments.size())) +
          (member_rows - expected_members),
      absl::StrJoin(retried, " "), absl::ToDoubleSeconds(back - killed),
      absl::ToDoubleSeconds(recovery), verified.entries_checked(),
      absl::StrJoin(lost_ids, " ")));
}

}  // namespace
}  // namespace unionhub::testing
