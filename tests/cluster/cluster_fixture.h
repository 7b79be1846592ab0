// The fixture of the cluster suite (ctest label `cluster`): the 3-node
// MariaDB Galera cluster behind HAProxy that `scripts/test --cluster`
// starts (UNIONHUB_TEST_CLUSTER_DIR, the HAProxy port in
// UNIONHUB_TEST_DB_PORT), membership and finance started as processes on
// schemas of their own reached through HAProxy, and the nodes killed and
// restarted with scripts/cluster.sh. Without a cluster the tests skip.
//
// Every test leaves the cluster as it found it: TearDown restarts any node
// that is down (bootstrapping the survivor first when quorum was lost) and
// waits until all three are Synced, so whatever runs next finds a whole
// cluster.
#ifndef UNIONHUB_TESTS_CLUSTER_CLUSTER_FIXTURE_H_
#define UNIONHUB_TESTS_CLUSTER_CLUSTER_FIXTURE_H_

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "tests/fault/dues_load.h"
#include "tests/support/test_env.h"
#include "tests/system/process.h"

namespace unionhub::testing {

class ClusterTest : public ::testing::Test {
 protected:
  static constexpr int kNodes = 3;

  void SetUp() override;
  void TearDown() override;

  // The node HAProxy sends new connections to now (1..3; 0: none answers).
  int WriterNode();
  // kill -9 of node `i`.
  void KillNode(int i);
  // Starts the nodes again together (each by IST from its recovered
  // position) and waits up to 3 minutes until they are Synced.
  absl::Status RestartNodes(const std::vector<int>& nodes);
  // After quorum was lost: node `i` (still running) becomes the Primary
  // component again.
  absl::Status BootstrapNode(int i);
  // wsrep_local_state of node `i` (4: Synced; "" when it does not answer).
  std::string NodeState(int i);
  // "IST received" lines in node `i`'s error log so far.
  int IstReceived(int i);
  // CHECKSUM TABLE of every table of `schema` on node `i`, on its socket.
  std::string Checksums(int i, const std::string& schema);

  MembershipProcess& membership() { return *membership_; }
  MembershipProcess& finance() { return *finance_; }
  TestDatabase& membership_db() { return *membership_db_; }
  TestDatabase& finance_db() { return *finance_db_; }
  const std::string& admin_token() const { return admin_token_; }
  // The dues load on this test's services and schemas.
  DuesLoadEnv LoadEnv();

  static void Report(const std::string& text);

 private:
  // scripts/cluster.sh ARGS, its output appended to the test's log; the
  // exit status as a Status.
  absl::Status Script(const std::string& args);
  bool RestoreCluster();

  std::string cluster_dir_;
  int base_port_ = 0;
  std::unique_ptr<TempDir> dir_;
  std::string admin_token_;
  std::unique_ptr<TestDatabase> membership_db_;
  std::unique_ptr<TestDatabase> finance_db_;
  std::unique_ptr<MembershipProcess> membership_;
  std::unique_ptr<MembershipProcess> finance_;
  std::unique_ptr<membership::v1::MembershipService::Stub> members_stub_;
  std::unique_ptr<finance::v1::FinanceService::Stub> dues_stub_;
  std::unique_ptr<finance::v1::AuditService::Stub> audit_stub_;
};

}  // namespace unionhub::testing

#endif  // UNIONHUB_TESTS_CLUSTER_CLUSTER_FIXTURE_H_
