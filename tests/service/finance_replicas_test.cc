// Replicas on one database (issue 15, item 2): two membership hosts on one
// schema, where a WatchEvents stream on one sees events written through the
// other at once; and two finance hosts on one schema (started together, so
// their migrations race), where one replica at a time runs the roster
// consumer and the ledger sealer (by their leases), and stopping the leader
// hands both over to the other with nothing missed and nothing done twice.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/crypto/pii.h"
#include "services/finance/ledger_sealer.h"
#include "services/finance/register.h"
#include "services/finance/store/ledger_key.h"
#include "services/membership/register.h"
#include "tests/service/finance_dues_helpers.h"
#include "tests/service/finance_helpers.h"

namespace unionhub::testing {
namespace {

// One replica: a host on a pool of its own (as a process would have) on a
// schema the replicas share.
struct Replica {
  std::unique_ptr<db::Pool> pool;
  std::unique_ptr<rpc::ServiceHost> host;
  std::string target() const {
    return absl::StrCat("127.0.0.1:", host->port());
  }
};

std::unique_ptr<Replica> MembershipReplica(TestDatabase& database) {
  auto replica = std::make_unique<Replica>();
  replica->pool = std::make_unique<db::Pool>(database.config());
  rpc::ServiceHostConfig config = TestHostConfig("membership", {});
  config.migrations = membership::MembershipSpec().migrations();
  replica->host =
      std::make_unique<rpc::ServiceHost>(std::move(config), *replica->pool);
  absl::Status wired = membership::RegisterMembership(*replica->host, {});
  EXPECT_TRUE(wired.ok()) << wired;
  absl::Status started = replica->host->Start();
  EXPECT_TRUE(started.ok()) << started;
  replica->host->SetServing(true);
  return replica;
}

constexpr absl::Duration kLeaseTtl = absl::Seconds(3);

std::unique_ptr<Replica> FinanceReplica(TestDatabase& database,
                                        const std::string& membership) {
  auto replica = std::make_unique<Replica>();
  replica->pool = std::make_unique<db::Pool>(database.config());
  rpc::ServiceHostConfig config = TestHostConfig("finance", {});
  config.migrations = finance::FinanceSpec().migrations();
  config.lease_ttl = kLeaseTtl;
  rpc::PeerEndpoint& feed = config.peers["membership"];
  feed.target = membership;
  feed.credentials = TestChannelCredentials("");
  feed.token = [] { return MintTestToken({"service"}, 0, "finance-roster"); };
  replica->host =
      std::make_unique<rpc::ServiceHost>(std::move(config), *replica->pool);
  finance::FinanceDeps deps;
  deps.seal_interval = absl::Milliseconds(200);
  deps.feed_initial_backoff = absl::Milliseconds(50);
  deps.feed_max_backoff = absl::Milliseconds(500);
  absl::StatusOr<finance::FinanceParts> wired =
      finance::RegisterFinance(*replica->host, deps);
  EXPECT_TRUE(wired.ok()) << wired.status();
  absl::Status started = replica->host->Start();
  EXPECT_TRUE(started.ok()) << started;
  replica->host->SetServing(true);
  return replica;
}

// Reads one stream of WatchEvents and notes when each event arrived.
class Watcher {
 public:
  Watcher(const std::string& target, int64_t after) {
    stub_ = mv1::MembershipService::NewStub(grpc::CreateChannel(
        target,
        TestChannelCredentials(MintTestToken({"service"}, 0, "watcher"))));
    thread_ = std::thread([this, after] {
      mv1::WatchEventsRequest request;
      request.set_after_sequence(after);
      auto reader = stub_->WatchEvents(&context_, request);
      mv1::WatchEventsResponse response;
      while (reader->Read(&response)) {
        absl::MutexLock lock(&mu_);
        arrived_[response.event().sequence()] = absl::Now();
      }
      reader->Finish();
    });
  }
  ~Watcher() {
    context_.TryCancel();
    thread_.join();
  }
  // When event `sequence` arrived, waiting up to `timeout` for it.
  std::optional<absl::Time> ArrivalOf(int64_t sequence,
                                      absl::Duration timeout) {
    absl::MutexLock lock(&mu_);
    auto arrived = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return arrived_.count(sequence) > 0;
    };
    if (!mu_.AwaitWithTimeout(absl::Condition(&arrived), timeout)) {
      return std::nullopt;
    }
    return arrived_[sequence];
  }

 private:
  std::unique_ptr<mv1::MembershipService::Stub> stub_;
  grpc::ClientContext context_;
  absl::Mutex mu_;
  std::map<int64_t, absl::Time> arrived_ ABSL_GUARDED_BY(mu_);
  std::thread thread_;
};

int64_t Head(TestDatabase& membership) {
  return std::stoll(
      membership.QueryValue("SELECT COALESCE(MAX(sequence), 0) FROM events"));
}

TEST(Replicas, WatchEventsOnAnyReplicaSeesEveryEventPromptly) {
  InstallTestPii();
  TestDatabase database("rep_watch");
  std::unique_ptr<Replica> a = MembershipReplica(database);
  std::unique_ptr<Replica> b = MembershipReplica(database);
  auto writer = mv1::MembershipService::NewStub(grpc::CreateChannel(
      a->target(),
      TestChannelCredentials(MintTestToken({"admin"}, 0, "test-admin"))));
  // Idle streams on both replicas, following from the start.
  Watcher on_b(b->target(), 0);
  Watcher on_a(a->target(), 0);
  absl::SleepFor(absl::Milliseconds(500));  // let the streams go idle

  absl::Duration slowest;
  for (int i = 0; i < 5; ++i) {
    mv1::CreateOrgResponse created;
    grpc::ClientContext context;
    context.set_deadline(Deadline());
    ASSERT_TRUE(writer
                    ->CreateOrg(&context,
                                OrgRequest(mv1::ORG_TYPE_COUNTY_FEDERATION, 0,
                                           absl::StrCat("县总工会", i)),
                                &created)
                    .ok());
    const absl::Time written = absl::Now();
    const int64_t sequence = Head(database);
    std::optional<absl::Time> seen_b =
        on_b.ArrivalOf(sequence, absl::Seconds(10));
    ASSERT_TRUE(seen_b.has_value()) << "event " << sequence << " not on B";
    ASSERT_TRUE(on_a.ArrivalOf(sequence, absl::Seconds(10)).has_value());
    slowest = std::max(slowest, *seen_b - written);
    absl::SleepFor(absl::Milliseconds(700));  // idle again between writes
  }
  // The poller looks every 200 ms; "about a second" with room for a
  // loaded machine.
  EXPECT_LT(slowest, absl::Seconds(2)) << slowest;
  std::printf("slowest delivery on the other replica: %s\n",
              absl::FormatDuration(slowest).c_str());
}

class FinanceReplicasTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (finance::store::LedgerKey().empty()) {
      ASSERT_TRUE(
          finance::store::InstallLedgerKeyBase64(crypto::NewKeyBase64()).ok());
    }
    membership_ = std::make_unique<MembershipServer>("rep_m");
    finance_db_ = std::make_unique<TestDatabase>("rep_f");
    // Both at once: their start-up migrations race for the lock.
    std::thread other([&] {
      replicas_[1] = FinanceReplica(*finance_db_, membership_->target());
    });
    replicas_[0] = FinanceReplica(*finance_db_, membership_->target());
    other.join();
    county_ = MustCreateOrg(*membership_, mv1::ORG_TYPE_COUNTY_FEDERATION, 0,
                            "示范县总工会");
    union_ = MustCreateGrassroots(*membership_, county_.org_id(), "机械厂工会",
                                  1, 500);
  }

  void TearDown() override {
    for (auto& replica : replicas_) replica.reset();
  }

  std::string Holder(const std::string& lease) {
    return finance_db_->QueryValue(
        "SELECT holder FROM leases WHERE name = ? AND expires_at > NOW(6)",
        lease);
  }
  int64_t FinanceInt(const std::string& sql) {
    const std::string value = finance_db_->QueryValue(sql);
    return value.empty() ? -1 : std::stoll(value);
  }
  // Which replica holds `lease` (-1: none yet), waiting up to `timeout`
  // for one that is not `except`.
  int LeaderOf(const std::string& lease, absl::Duration timeout,
               int except = -1) {
    const absl::Time deadline = absl::Now() + timeout;
    while (absl::Now() < deadline) {
      const std::string holder = Holder(lease);
      for (int i = 0; i < 2; ++i) {
        if (i != except && replicas_[i] != nullptr &&
            holder == replicas_[i]->host->replica_id()) {
          return i;
        }
      }
      absl::SleepFor(absl::Milliseconds(100));
    }
    return -1;
  }

  std::vector<int64_t> Join(int count, int first_seq) {
    std::vector<int64_t> ids;
    for (int i = 0; i < count; ++i) {
      ids.push_back(MustJoin(*membership_,
                             Person(union_.org_id(), first_seq + i),
                             "2025-01-10")
                        .member_id());
    }
    return ids;
  }

  // Until finance's cursor reaches membership's head.
  bool CaughtUp(absl::Duration timeout) {
    const absl::Time deadline = absl::Now() + timeout;
    while (absl::Now() < deadline) {
      if (FinanceInt("SELECT last_sequence FROM roster_cursor") ==
          Head(membership_->database())) {
        return true;
      }
      absl::SleepFor(absl::Milliseconds(100));
    }
    return false;
  }

  // Until every ledger entry is sealed.
  bool Sealed(absl::Duration timeout) {
    const absl::Time deadline = absl::Now() + timeout;
    while (absl::Now() < deadline) {
      if (FinanceInt("SELECT COALESCE(MAX(last_entry_id), 0) FROM "
                     "ledger_seals") ==
          FinanceInt("SELECT COALESCE(MAX(entry_id), 0) FROM ledger_entries")) {
        return true;
      }
      absl::SleepFor(absl::Milliseconds(100));
    }
    return false;
  }

  void Pay(int replica, const std::vector<int64_t>& members) {
    auto stub = fv1::FinanceService::NewStub(grpc::CreateChannel(
        replicas_[replica]->target(),
        TestChannelCredentials(MintTestToken({"admin"}, 0, "test-admin"))));
    for (int64_t member : members) {
      MustRpc(*stub, &fv1::FinanceService::Stub::RecordDuesPayment,
              PaymentRequest(member, 1000), "RecordDuesPayment");
    }
  }

  // Nothing applied twice, nothing missed: one dated roster state per join
  // event, every member; seals contiguous, none overlapping; ledger intact.
  void ExpectExactlyOnce() {
    EXPECT_EQ(FinanceInt("SELECT COUNT(*) FROM roster_member_states"),
              std::stoll(membership_->database().QueryValue(
                  "SELECT COUNT(*) FROM events WHERE type = 1")));
    EXPECT_EQ(FinanceInt("SELECT COUNT(*) FROM roster_members"),
              std::stoll(membership_->database().QueryValue(
                  "SELECT COUNT(*) FROM members")));
    EXPECT_EQ(FinanceInt("SELECT COUNT(*) FROM ledger_seals s JOIN "
                         "ledger_seals n ON n.seal_id > s.seal_id AND "
                         "n.first_entry_id <= s.last_entry_id"),
              0);
    EXPECT_EQ(FinanceInt("SELECT COUNT(*) FROM ledger_seals s WHERE "
                         "s.first_entry_id > 1 AND NOT EXISTS (SELECT 1 FROM "
                         "ledger_seals p WHERE p.last_entry_id = "
                         "s.first_entry_id - 1)"),
              0);
    auto audit = fv1::AuditService::NewStub(grpc::CreateChannel(
        replicas_[0] != nullptr ? replicas_[0]->target()
                                : replicas_[1]->target(),
        TestChannelCredentials(MintTestToken({"admin"}, 0, "test-admin"))));
    fv1::VerifyLedgerResponse verified =
        MustRpc(*audit, &fv1::AuditService::Stub::VerifyLedger,
                fv1::VerifyLedgerRequest(), "VerifyLedger");
    EXPECT_TRUE(verified.intact()) << verified.ShortDebugString();
  }

  std::unique_ptr<MembershipServer> membership_;
  std::unique_ptr<TestDatabase> finance_db_;
  std::unique_ptr<Replica> replicas_[2];
  mv1::Org county_;
  mv1::Org union_;
};

TEST_F(FinanceReplicasTest, OneReplicaRunsEachSingletonAndTheOtherTakesOver) {
  // Migrated once, though both started at once.
  EXPECT_EQ(FinanceInt("SELECT COUNT(*) FROM schema_migrations"),
            static_cast<int64_t>(finance::FinanceSpec().migrations().size() +
                                 db::CommonMigrations().size()));
  ASSERT_GE(LeaderOf(finance::kRosterWorker, absl::Seconds(15)), 0);
  ASSERT_GE(LeaderOf(finance::kSealerWorker, absl::Seconds(15)), 0);

  // Load through both replicas: payments on either, members via membership.
  std::vector<int64_t> members = Join(12, 0);
  ASSERT_TRUE(CaughtUp(absl::Seconds(30)));
  Pay(0, {members.begin(), members.begin() + 6});
  Pay(1, {members.begin() + 6, members.end()});
  ASSERT_TRUE(Sealed(absl::Seconds(30)));
  ExpectExactlyOnce();

  // The roster leader goes away (Stop: it releases its leases) in the
  // middle of a stream of joins; the other replica carries on.
  std::atomic<bool> joining{true};
  std::vector<int64_t> more;
  std::thread load([&] {
    more = Join(20, 100);
    joining = false;
  });
  absl::SleepFor(absl::Milliseconds(300));
  const int roster_leader = LeaderOf(finance::kRosterWorker, absl::Seconds(15));
  ASSERT_GE(roster_leader, 0);
  replicas_[roster_leader]->host->Stop();
  const absl::Time stopped = absl::Now();
  const int survivor = 1 - roster_leader;
  EXPECT_EQ(LeaderOf(finance::kRosterWorker, absl::Seconds(15)), survivor);
  EXPECT_EQ(LeaderOf(finance::kSealerWorker, absl::Seconds(15)), survivor);
  // Released on the way out: no need to wait for the expiry.
  EXPECT_LT(absl::Now() - stopped, kLeaseTtl);
  load.join();
  replicas_[roster_leader].reset();
  ASSERT_TRUE(CaughtUp(absl::Seconds(30)));
  Pay(survivor, more);
  ASSERT_TRUE(Sealed(absl::Seconds(30)));
  EXPECT_EQ(FinanceInt("SELECT COUNT(*) FROM ledger_entries"), 32);
  ExpectExactlyOnce();
}

TEST_F(FinanceReplicasTest, ALeaderThatLostItsLeaseStopsAndIsFencedOut) {
  const int leader = LeaderOf(finance::kRosterWorker, absl::Seconds(15));
  ASSERT_GE(leader, 0);
  Join(3, 0);
  ASSERT_TRUE(CaughtUp(absl::Seconds(30)));
  const int64_t token =
      FinanceInt("SELECT token FROM leases WHERE name = 'roster consumer'");
  // Someone else holds the lease now (as when the leader paused past its
  // expiry and another replica took over).
  finance_db_->Exec(
      "UPDATE leases SET holder = 'elsewhere', token = token + 1, "
      "expires_at = NOW(6) + INTERVAL 1 MINUTE WHERE name = 'roster "
      "consumer'");
  // A write the old leader makes with its old token is refused.
  absl::Status stale =
      replicas_[leader]->pool->InTransaction([&](db::Connection& conn) {
        return db::CheckLeaseToken(conn, finance::kRosterWorker, token);
      });
  EXPECT_EQ(stale.code(), absl::StatusCode::kFailedPrecondition) << stale;
  // The old leader notices at its next renewal and stops applying; the
  // other replica does not start: new events wait.
  absl::SleepFor(kLeaseTtl);
  const int64_t cursor = FinanceInt("SELECT last_sequence FROM roster_cursor");
  Join(5, 100);
  EXPECT_FALSE(CaughtUp(absl::Seconds(3)));
  EXPECT_EQ(FinanceInt("SELECT last_sequence FROM roster_cursor"), cursor);
  // Once that holder lets go, a replica takes over and applies each event
  // once.
  finance_db_->Exec(
      "UPDATE leases SET holder = '', expires_at = NOW(6) WHERE name = "
      "'roster consumer'");
  ASSERT_GE(LeaderOf(finance::kRosterWorker, absl::Seconds(15)), 0);
  ASSERT_TRUE(CaughtUp(absl::Seconds(30)));
  EXPECT_EQ(FinanceInt("SELECT token FROM leases WHERE name = 'roster "
                       "consumer'"),
            token + 2);
  ExpectExactlyOnce();
}

}  // namespace
}  // namespace unionhub::testing
