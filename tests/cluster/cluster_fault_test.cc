// Faults of the Galera cluster under the services (ctest label `cluster`,
// run by scripts/test --cluster): the node being written to killed under
// load, quorum lost, and a killed node rejoining by IST while the load goes
// on. Each reports "CLUSTER <test>: ..." with acknowledged / lost /
// duplicated writes and the recovery times.
#include <gtest/gtest.h>

#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "tests/cluster/cluster_fixture.h"
#include "tests/fault/fault_fixture.h"
#include "tests/fault/finance_checks.h"
#include "tests/system/system_fixture.h"

namespace unionhub::testing {
namespace {

namespace mv1 = ::unionhub::membership::v1;
namespace fv1 = ::unionhub::finance::v1;

// kill -9 of the HAProxy primary under concurrent joins and payments, the
// clients retrying by request_id: the backup takes over, and every
// acknowledged write is there exactly once.
TEST_F(ClusterTest, WriterKilledUnderJoinsAndPaymentsLosesNothing) {
  DuesLoad load(LoadEnv());
  ASSERT_TRUE(load.Prepare());
  load.Start();
  absl::SleepFor(absl::Seconds(3));
  const int writer = WriterNode();
  ASSERT_GT(writer, 0);
  const int64_t acked_at_kill = load.Acknowledged();
  KillNode(writer);
  // Failover: from the kill to the first acknowledgement after it.
  const absl::Duration failover =
      load.UntilNextAcknowledgement(absl::Seconds(90));
  const int now_writing = WriterNode();
  EXPECT_NE(now_writing, writer);
  EXPECT_GT(now_writing, 0);
  absl::SleepFor(absl::Seconds(3));
  load.Stop();
  const DuesOutcome out = load.Check();
  Report(absl::StrFormat(
      "acknowledged %d (joins %d, payments %d, %d before the kill), lost %d, "
      "duplicated %d; node %d killed, node %d took over; first "
      "acknowledgement %.1f s after the kill; retried failures by code [%s]; "
      "ledger %d entries intact; lost request_ids [%s]",
      out.acknowledged, out.joins, out.payments, acked_at_kill, out.lost,
      out.duplicated, writer, now_writing, absl::ToDoubleSeconds(failover),
      out.retried, out.ledger_entries, out.lost_ids));
}

// Two of three nodes killed: the survivor is not a Primary component, and
// every call answers UNAVAILABLE (never a wrong answer, nothing written);
// when the two come back the calls succeed, retried with their
// request_ids, exactly once.
TEST_F(ClusterTest, LosingQuorumGivesUnavailableAndRecovers) {
  DuesLoad load(LoadEnv());
  ASSERT_TRUE(load.Prepare(4));
  auto members =
      mv1::MembershipService::NewStub(membership().NewChannel(admin_token()));
  auto dues = fv1::FinanceService::NewStub(finance().NewChannel(admin_token()));
  const int64_t member_id =
      std::stoll(membership_db().QueryValue("SELECT MIN(id) FROM members"));
  mv1::GetMemberRequest get;
  get.set_member_id(member_id);
  auto before = Call(*members, &mv1::MembershipService::Stub::GetMember, get);
  ASSERT_TRUE(before.ok()) << before.status.error_message();
  mv1::JoinMemberRequest join;
  join.set_request_id("quorum-join");
  // A person of the load's set that Prepare(4) leaves unused.
  *join.mutable_member() = MakeImportRows(2000)[1999].row().member();
  join.mutable_member()->set_org_id(before.response.member().org_id());
  join.set_joined_on("2024-03-01");
  fv1::RecordDuesPaymentRequest pay;
  pay.set_request_id("quorum-pay");
  pay.set_member_id(member_id);
  pay.set_amount_fen(777);
  pay.set_method(fv1::PAYMENT_METHOD_CASH);
  pay.set_paid_on("2024-06-15");
  const int64_t members_before =
      std::stoll(membership_db().QueryValue("SELECT COUNT(*) FROM members"));
  const int64_t payments_before =
      std::stoll(finance_db().QueryValue("SELECT COUNT(*) FROM dues_payments"));

  const int writer = WriterNode();
  ASSERT_GT(writer, 0);
  const int other = writer % kNodes + 1;
  const int survivor = other % kNodes + 1;
  KillNode(writer);
  KillNode(other);
  const absl::Time lost = absl::Now();
  // Until the survivor knows it is alone and HAProxy has no node left.
  ASSERT_TRUE(
      WaitFor([&] { return NodeState(survivor) != "4" && WriterNode() == 0; },
              absl::Seconds(60)));
  const absl::Duration noticed = absl::Now() - lost;

  // 8 s of calls: each must fail UNAVAILABLE (a deadline is a failure
  // too, but not a wrong answer); none may succeed.
  std::map<int, int> codes;
  int calls = 0;
  const absl::Time until = absl::Now() + absl::Seconds(8);
  while (absl::Now() < until) {
    grpc::Status statuses[3] = {
        Call(*members, &mv1::MembershipService::Stub::JoinMember, join,
             absl::Seconds(5))
            .status,
        Call(*dues, &fv1::FinanceService::Stub::RecordDuesPayment, pay,
             absl::Seconds(5))
            .status,
        Call(*members, &mv1::MembershipService::Stub::GetMember, get,
             absl::Seconds(5))
            .status};
    for (const grpc::Status& status : statuses) {
      ++calls;
      ++codes[status.error_code()];
      EXPECT_FALSE(status.ok()) << "a call succeeded without quorum";
      EXPECT_EQ(status.error_message().find("sock"), std::string::npos)
          << status.error_message();
    }
    absl::SleepFor(absl::Milliseconds(200));
  }
  const int unavailable = codes[grpc::StatusCode::UNAVAILABLE];
  EXPECT_EQ(unavailable, calls) << "other codes than UNAVAILABLE";

  // The two come back (together: with one of them the survivor stays
  // non-Primary); the same requests are retried until they succeed.
  const absl::Time returning = absl::Now();
  ASSERT_TRUE(RestartNodes({writer, other}).ok());
  const absl::Duration rejoined = absl::Now() - returning;
  DuesLoadEnv env = LoadEnv();
  int64_t joined_id = 0;
  ASSERT_TRUE(WaitFor(
      [&] {
        auto a = Call(*members, &mv1::MembershipService::Stub::JoinMember, join,
                      absl::Seconds(5));
        joined_id = a.response.member().member_id();
        return a.ok();
      },
      absl::Seconds(60)));
  const absl::Duration first_write = absl::Now() - returning;
  ASSERT_TRUE(WaitFor(
      [&] {
        return Call(*dues, &fv1::FinanceService::Stub::RecordDuesPayment, pay,
                    absl::Seconds(5))
            .ok();
      },
      absl::Seconds(60)));
  auto after = Call(*members, &mv1::MembershipService::Stub::GetMember, get);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after.response.member().SerializeAsString(),
            before.response.member().SerializeAsString());
  // Each write once: the refused attempts left nothing behind.
  EXPECT_EQ(
      std::stoll(membership_db().QueryValue("SELECT COUNT(*) FROM members")),
      members_before + 1);
  EXPECT_EQ(
      std::stoll(finance_db().QueryValue("SELECT COUNT(*) FROM dues_payments")),
      payments_before + 1);
  EXPECT_EQ(membership_db().QueryValue(
                "SELECT COUNT(*) FROM idempotency_keys WHERE request_id = "
                "'quorum-join'"),
            "1");
  EXPECT_EQ(finance_db().QueryValue("SELECT amount_fen FROM dues_payments "
                                    "WHERE request_id = 'quorum-pay'"),
            "777");
  fv1::VerifyLedgerResponse verified;
  EXPECT_TRUE(LedgerVerifies(*env.audit, &verified)) << verified.reason();
  Report(absl::StrFormat(
      "nodes %d and %d killed; survivor %d out of service after %.1f s; %d "
      "calls without quorum, %d UNAVAILABLE, 0 succeeded; both nodes back "
      "and Synced %.1f s after their restart, first write %.1f s after it; "
      "acknowledged 2, lost 0, duplicated 0",
      writer, other, survivor, absl::ToDoubleSeconds(noticed), calls,
      unavailable, absl::ToDoubleSeconds(rejoined),
      absl::ToDoubleSeconds(first_write)));
}

// The writer killed under load, then started again while the load goes
// on: it rejoins by IST (not a full copy), reports Synced, HAProxy moves
// the writes back to it, writes keep succeeding throughout, and afterwards
// every table has the same checksum on all three nodes.
TEST_F(ClusterTest, KilledNodeRejoinsByIstAndTheSuiteCarriesOn) {
  DuesLoad load(LoadEnv());
  ASSERT_TRUE(load.Prepare());
  load.Start();
  absl::SleepFor(absl::Seconds(2));
  const int writer = WriterNode();
  ASSERT_GT(writer, 0);
  const int ist_before = IstReceived(writer);
  KillNode(writer);
  const absl::Duration failover =
      load.UntilNextAcknowledgement(absl::Seconds(90));
  absl::SleepFor(absl::Seconds(2));  // writes the killed node misses
  const int64_t acked_before_rejoin = load.Acknowledged();
  const absl::Time restarting = absl::Now();
  ASSERT_TRUE(RestartNodes({writer}).ok());
  const absl::Duration rejoin = absl::Now() - restarting;
  EXPECT_EQ(NodeState(writer), "4");
  EXPECT_GT(IstReceived(writer), ist_before) << "not rejoined by IST";
  // HAProxy sends connections to node 1 again once it passes its checks
  // (closing the backup's sessions): the clients retry onto it.
  if (writer == 1) {
    EXPECT_TRUE(WaitFor([&] { return WriterNode() == 1; }, absl::Seconds(30)));
  }
  const absl::Duration after_switch =
      load.UntilNextAcknowledgement(absl::Seconds(60));
  absl::SleepFor(absl::Seconds(3));
  load.Stop();
  EXPECT_GT(load.Acknowledged(), acked_before_rejoin)
      << "no write acknowledged after the node rejoined";
  const DuesOutcome out = load.Check();

  // The same data on every node, once nothing writes any more (the
  // services' lease renewals and sealer would change tables between the
  // reads of one node and the next).
  finance().process().Kill();
  membership().process().Kill();
  std::vector<std::string> schemas = {membership_db().schema(),
                                      finance_db().schema()};
  bool identical = false;
  std::string differing;
  WaitFor(
      [&] {
        differing.clear();
        for (const std::string& schema : schemas) {
          const std::string first = Checksums(1, schema);
          for (int i = 2; i <= kNodes; ++i) {
            if (first.empty() || Checksums(i, schema) != first) {
              differing = absl::StrCat(schema, " on node ", i, ":\n", first,
                                       "--- vs ---\n", Checksums(i, schema));
            }
          }
        }
        identical = differing.empty();
        return identical;
      },
      absl::Seconds(60));
  EXPECT_TRUE(identical) << "checksums differ: " << differing;
  Report(absl::StrFormat(
      "acknowledged %d (joins %d, payments %d), lost %d, duplicated %d; "
      "node %d killed: first acknowledgement %.1f s later; restarted and "
      "Synced by IST in %.1f s (including --wsrep-recover) under load; "
      "writes acknowledged %.1f s after it was back; checksums of %d "
      "schemas on %d nodes %s",
      out.acknowledged, out.joins, out.payments, out.lost, out.duplicated,
      writer, absl::ToDoubleSeconds(failover), absl::ToDoubleSeconds(rejoin),
      absl::ToDoubleSeconds(after_switch), schemas.size(), kNodes,
      identical ? "identical" : "DIFFERENT"));
}

}  // namespace
}  // namespace unionhub::testing
