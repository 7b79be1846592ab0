// Concurrent cash payments: each writing transaction adds its rollup deltas
// to a shard row of its own (migration 0007), so the collection report must
// sum the shards, an org move must carry every shard, and a request sent
// twice at once must still be paid once.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "tests/service/finance_dues_helpers.h"
#include "tests/service/finance_reports_recompute.h"

namespace unionhub::testing {
namespace {

constexpr int kMembers = 12;
const char* const kFirst = "2025-01";
const char* const kLast = "2025-02";

// Requests in flight together: each sent twice, so 2 x kWave calls, well
// inside the test server's 16 RPC threads (one is the roster feed's).
constexpr size_t kWave = 4;

// Every request twice, from two threads at once, kWave requests at a time.
// Returns each request's two answers.
std::vector<std::pair<grpc::Status, fv1::RecordDuesPaymentResponse>> PayAll(
    FinanceServer& server,
    const std::vector<fv1::RecordDuesPaymentRequest>& requests) {
  std::vector<std::pair<grpc::Status, fv1::RecordDuesPaymentResponse>> out(
      requests.size() * 2);
  for (size_t first = 0; first < out.size(); first += 2 * kWave) {
    std::vector<std::thread> threads;
    for (size_t i = first; i < std::min(out.size(), first + 2 * kWave); ++i) {
      threads.emplace_back([&server, &requests, &out, i] {
        const fv1::RecordDuesPaymentRequest& req = requests[i / 2];
        out[i].first = Rpc(server.finance(), &FStub::RecordDuesPayment, req,
                           &out[i].second);
      });
    }
    for (std::thread& t : threads) t.join();
  }
  return out;
}

void ExpectReportsMatchCharges(FinanceServer& server, const SmallCounty& c) {
  ReportSeeder raw(server);
  for (const mv1::Org* org :
       {&c.county, &c.township_a, &c.township_b, &c.union_a1, &c.union_b1}) {
    ExpectReportMatchesRaw(
        raw, org->org_id(), kFirst, kLast,
        MustCollectionReport(server, org->org_id(), kFirst, kLast));
  }
}

TEST(FinanceDuesConcurrency, ShardedRollupsAddUpInReportsAndAcrossAMove) {
  FinanceServer server("dues_concurrency");
  std::vector<int64_t> wages;
  for (int i = 0; i < kMembers; ++i) wages.push_back(400000 + 10007 * i);
  SmallCounty c = BuildSmallCounty(server, wages);
  Assess(server, c.county.org_id(), kFirst);
  Assess(server, c.county.org_id(), kLast);

  // Half the members pay both months and a little credit, half pay part
  // of January only (the month stays open).
  std::vector<fv1::RecordDuesPaymentRequest> requests;
  for (int i = 0; i < kMembers; ++i) {
    const int64_t member = c.members[i].member_id();
    const int64_t due = SqlInt(server,
                               "SELECT SUM(due_fen) FROM dues_charges WHERE "
                               "member_id = ?",
                               member);
    requests.push_back(PaymentRequest(member, i % 2 == 0 ? due + 7 : 100));
  }
  const auto answers = PayAll(server, requests);
  for (size_t i = 0; i < answers.size(); i += 2) {
    ASSERT_TRUE(answers[i].first.ok()) << answers[i].first.error_message();
    ASSERT_TRUE(answers[i + 1].first.ok())
        << answers[i + 1].first.error_message();
    // The same request at once: one payment, the same answer to both.
    EXPECT_EQ(answers[i].second.SerializeAsString(),
              answers[i + 1].second.SerializeAsString());
  }
  EXPECT_EQ(SqlInt(server, "SELECT COUNT(*) FROM dues_payments"), kMembers);
  EXPECT_EQ(SqlInt(server,
                   "SELECT COUNT(*) FROM ledger_entries WHERE kind = "
                   "'DUES_PAID'"),
            kMembers);
  // The payments' deltas went to more than one shard of the county's rows
  // (one per writing transaction, round robin), and the figures still add
  // up: the table summed per org and month, and every report.
  EXPECT_GT(SqlInt(server,
                   "SELECT COUNT(DISTINCT shard) FROM collection_rollup "
                   "WHERE org_id = ?",
                   c.county.org_id()),
            1);
  ExpectRollupMatchesCharges(server);
  ExpectReportsMatchCharges(server, c);

  // Union A1 moves from township A to township B: its rows in every shard
  // leave A and join B.
  mv1::UpdateOrgRequest move;
  move.set_request_id(NewRequestId());
  move.mutable_org()->set_org_id(c.union_a1.org_id());
  move.mutable_org()->set_parent_id(c.township_b.org_id());
  move.mutable_update_mask()->add_paths("parent_id");
  MustRpc(server.membership().stub(), &mv1::MembershipService::Stub::UpdateOrg,
          move, "UpdateOrg");
  server.SyncRoster();
  ExpectRollupMatchesCharges(server);
  ExpectReportsMatchCharges(server, c);
  ExpectLedgerBalanced(server);
}

}  // namespace
}  // namespace unionhub::testing
