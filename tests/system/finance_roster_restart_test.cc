// The finance binary follows the membership binary's change feed; killed
// with SIGKILL in the middle of catching up it resumes from its cursor, and
// when membership restarts it reconnects: nothing missed, nothing applied
// twice (every member once, one dated state per member event). Two
// replicas: the leader killed mid-backlog, the other takes over.
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "tests/system/system_fixture.h"

namespace unionhub::testing {
namespace {

class FinanceRosterSystemTest : public MembershipSystemTest {
 protected:
  void SetUp() override {
    MembershipSystemTest::SetUp();
    finance_db_ = std::make_unique<TestDatabase>("sysfin", 1);
    token_dir_ = std::make_unique<TempDir>();
    token_file_ = token_dir_->path() + "/finance.token";
    std::ofstream(token_file_)
        << MintTestToken({"service"}, 0, "finance", absl::Hours(2));
  }

  std::unique_ptr<MembershipProcess> FinanceProcess(
      const MembershipProcess& membership, const std::string& log_dir,
      bool own_db_account = true) {
    MembershipProcess::Options options;
    options.own_db_account = own_db_account;
    options.db = finance_db_->config();
    options.log_dir = log_dir;
    options.name = "finance";
    options.binary =
        absl::StrCat(BuildDir(), "/services/finance/unionhub-finance");
    options.extra_args = {
        absl::StrCat("--membership_address=", membership.target()),
        absl::StrCat("--membership_ca_file=", SecretsDir(), "/ca.pem"),
        absl::StrCat("--membership_token_file=", token_file_),
        // A killed finance's roster lease lapses this soon, so its
        // successor takes over quickly.
        "--lease_ttl_seconds=3"};
    return std::make_unique<MembershipProcess>(options);
  }

  // A county with one township under membership, and `count` people to
  // import into the township a slice at a time.
  struct Township {
    int64_t org_id = 0;
    std::vector<mv1::ImportMembersRequest> people;
  };
  Township MakeTownship(mv1::MembershipService::Stub& stub, int count) {
    const mv1::Org county =
        CreateOrg(stub, mv1::ORG_TYPE_COUNTY_FEDERATION, 0, "示范县总工会");
    const mv1::Org township = CreateOrg(stub, mv1::ORG_TYPE_TOWNSHIP_UNION,
                                        county.org_id(), "城关镇总工会");
    return {township.org_id(), MakeImportRows(count)};
  }
  static void ImportSlice(mv1::MembershipService::Stub& stub,
                          const Township& township, int from, int to,
                          const std::string& request_id) {
    std::vector<mv1::ImportMembersRequest> rows(township.people.begin() + from,
                                                township.people.begin() + to);
    ImportCall call =
        RunImport(stub, MakeImportHeader(request_id, township.org_id), rows,
                  absl::Seconds(120));
    ASSERT_TRUE(call.status.ok()) << call.status.error_message();
  }

  int64_t FinanceInt(const std::string& sql) {
    const std::string value = finance_db_->QueryValue(sql);
    return value.empty() ? -1 : std::stoll(value);
  }

  // Waits until finance has applied every membership event.
  bool CaughtUp(absl::Duration timeout) {
    const absl::Time deadline = absl::Now() + timeout;
    while (absl::Now() < deadline) {
      const int64_t head =
          QueryInt("SELECT COALESCE(MAX(sequence), 0) FROM events");
      if (FinanceInt("SELECT last_sequence FROM roster_cursor") == head) {
        return true;
      }
      absl::SleepFor(absl::Milliseconds(200));
    }
    return false;
  }

  void ExpectRosterMatchesMembership() {
    EXPECT_EQ(FinanceInt("SELECT COUNT(*) FROM roster_members"),
              QueryInt("SELECT COUNT(*) FROM members"));
    // Each join is one member event, so one dated state each: a replayed
    // event would have added a second.
    EXPECT_EQ(FinanceInt("SELECT COUNT(*) FROM roster_member_states"),
              QueryInt("SELECT COUNT(*) FROM events WHERE type = 1"));
    EXPECT_EQ(FinanceInt("SELECT COUNT(*) FROM roster_orgs"),
              QueryInt("SELECT COUNT(*) FROM orgs"));
  }

  std::unique_ptr<TestDatabase> finance_db_;
  std::unique_ptr<TempDir> token_dir_;
  std::string token_file_;
};

TEST_F(FinanceRosterSystemTest, ResumesAfterKillAndAfterMembershipRestart) {
  const std::string finance_binary =
      absl::StrCat(BuildDir(), "/services/finance/unionhub-finance");
  ASSERT_EQ(access(finance_binary.c_str(), X_OK), 0) << finance_binary;
  MembershipProcess& membership = NewProcess("membership");
  ASSERT_TRUE(membership.StartAndWaitServing().ok());
  auto stub = StubFor(membership);
  const Township township = MakeTownship(*stub, 6000);
  auto import = [&](int from, int to, const std::string& request_id) {
    ImportSlice(*stub, township, from, to, request_id);
  };
  import(0, 500, "sys-import-1");

  TempDir finance_logs;
  std::unique_ptr<MembershipProcess> finance =
      FinanceProcess(membership, finance_logs.path());
  ASSERT_TRUE(finance->StartAndWaitServing().ok()) << finance->ReadLog();
  ASSERT_TRUE(CaughtUp(absl::Seconds(60))) << finance->ReadLog();
  ExpectRosterMatchesMembership();

  // Finance stopped hard while it is catching up with a large backlog.
  finance->process().Kill();
  const int64_t head_before = QueryInt("SELECT MAX(sequence) FROM events");
  import(500, 4500, "sys-import-2");
  ASSERT_TRUE(finance->StartAndWaitServing().ok()) << finance->ReadLog();
  const absl::Time deadline = absl::Now() + absl::Seconds(60);
  while (FinanceInt("SELECT last_sequence FROM roster_cursor") <
             head_before + 1000 &&
         absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(20));
  }
  finance->process().Kill();
  const int64_t cursor_at_kill =
      FinanceInt("SELECT last_sequence FROM roster_cursor");
  EXPECT_LT(cursor_at_kill, QueryInt("SELECT MAX(sequence) FROM events"))
      << "the kill was meant to land in the middle of the backlog";
  ASSERT_TRUE(finance->StartAndWaitServing().ok()) << finance->ReadLog();
  ASSERT_TRUE(CaughtUp(absl::Seconds(90))) << finance->ReadLog();
  ExpectRosterMatchesMembership();

  // Membership goes away and comes back on the same address; finance
  // reconnects by itself and follows what happened meanwhile.
  ASSERT_TRUE(membership.process().Signal(SIGTERM));
  ASSERT_TRUE(membership.process().WaitForExit(absl::Seconds(30)).has_value());
  absl::SleepFor(absl::Seconds(1));
  ASSERT_TRUE(membership.StartAndWaitServing().ok()) << membership.ReadLog();
  stub = StubFor(membership);
  import(4500, 6000, "sys-import-3");
  ASSERT_TRUE(CaughtUp(absl::Seconds(90))) << finance->ReadLog();
  ExpectRosterMatchesMembership();
  EXPECT_EQ(FinanceInt("SELECT COUNT(*) FROM roster_members"), 6000);
}

// Two finance processes on one schema, started together (their migrations
// race for the migration lock): one applies the feed at a time (its lease).
// The leader killed with SIGKILL in the middle of a backlog, the other takes
// over once the lease lapses and carries on: every member once, one dated
// state per join event.
TEST_F(FinanceRosterSystemTest, TwoReplicasLeaderKilledMidBacklog) {
  MembershipProcess& membership = NewProcess("membership");
  ASSERT_TRUE(membership.StartAndWaitServing().ok());
  auto stub = StubFor(membership);
  const Township township = MakeTownship(*stub, 3000);
  auto import = [&](int from, int to, const std::string& request_id) {
    ImportSlice(*stub, township, from, to, request_id);
  };
  import(0, 300, "sys-replicas-1");

  TempDir logs_a;
  TempDir logs_b;
  std::unique_ptr<MembershipProcess> finance[2] = {
      FinanceProcess(membership, logs_a.path(), false),
      FinanceProcess(membership, logs_b.path(), false)};
  ASSERT_TRUE(finance[0]->Start().ok());
  ASSERT_TRUE(finance[1]->Start().ok());
  for (auto& replica : finance) {
    ASSERT_TRUE(replica->WaitUntilServing().ok()) << replica->ReadLog();
  }
  ASSERT_TRUE(CaughtUp(absl::Seconds(60)));
  // host/pid/... of the replica holding the roster lease.
  auto leader = [&]() -> int {
    const std::vector<std::string> holder = absl::StrSplit(
        finance_db_->QueryValue("SELECT holder FROM leases WHERE name = "
                                "'roster consumer' AND expires_at > NOW(6)"),
        '/');
    for (int i = 0; i < 2; ++i) {
      if (holder.size() > 1 &&
          holder[1] == std::to_string(finance[i]->process().pid())) {
        return i;
      }
    }
    return -1;
  };
  const int first = leader();
  ASSERT_GE(first, 0);

  const int64_t head_before = QueryInt("SELECT MAX(sequence) FROM events");
  import(300, 3000, "sys-replicas-2");
  const absl::Time deadline = absl::Now() + absl::Seconds(60);
  while (FinanceInt("SELECT last_sequence FROM roster_cursor") <
             head_before + 500 &&
         absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(20));
  }
  finance[first]->process().Kill();
  const absl::Time killed = absl::Now();
  EXPECT_LT(FinanceInt("SELECT last_sequence FROM roster_cursor"),
            QueryInt("SELECT MAX(sequence) FROM events"))
      << "the kill was meant to land in the middle of the backlog";
  while (leader() != 1 - first && absl::Now() < killed + absl::Seconds(30)) {
    absl::SleepFor(absl::Milliseconds(50));
  }
  ASSERT_EQ(leader(), 1 - first) << finance[1 - first]->ReadLog();
  const absl::Duration takeover = absl::Now() - killed;
  // The lease's TTL (3 s) after its last renewal, plus one attempt.
  EXPECT_LT(takeover, absl::Seconds(10));
  std::printf("takeover after kill -9: %s\n",
              absl::FormatDuration(takeover).c_str());
  ASSERT_TRUE(CaughtUp(absl::Seconds(90))) << finance[1 - first]->ReadLog();
  ExpectRosterMatchesMembership();
  EXPECT_EQ(FinanceInt("SELECT COUNT(*) FROM roster_members"), 3000);
}

}  // namespace
}  // namespace unionhub::testing
