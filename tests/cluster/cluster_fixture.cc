#include "tests/cluster/cluster_fixture.h"

#include <cppconn/exception.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/db/probe.h"
#include "common/db/sql.h"
#include "tests/fault/fault_fixture.h"
#include "tests/system/system_fixture.h"

namespace unionhub::testing {
namespace {

std::string ScriptPath() {
  return absl::StrCat(UNIONHUB_SOURCE_DIR, "/scripts/cluster.sh");
}

}  // namespace

void ClusterTest::SetUp() {
  const char* dir = std::getenv("UNIONHUB_TEST_CLUSTER_DIR");
  if (dir == nullptr || *dir == '\0') {
    GTEST_SKIP() << "needs the Galera cluster of scripts/test --cluster "
                    "(UNIONHUB_TEST_CLUSTER_DIR)";
  }
  cluster_dir_ = dir;
  const char* port = std::getenv("UNIONHUB_TEST_DB_PORT");
  ASSERT_TRUE(port != nullptr && absl::SimpleAtoi(port, &base_port_));
  dir_ = std::make_unique<TempDir>();
  // A test after a failed one still starts on a whole cluster.
  ASSERT_TRUE(RestoreCluster());
  membership_db_ = std::make_unique<TestDatabase>("cl_m");
  finance_db_ = std::make_unique<TestDatabase>("cl_f");
  admin_token_ = MintTestToken({"admin"}, 0, "cluster-test");
  const std::string token_file = dir_->path() + "/finance.token";
  std::ofstream(token_file)
      << MintTestToken({"service"}, 0, "finance", absl::Hours(2));
  MembershipProcess::Options options;
  options.db = membership_db_->config();
  options.log_dir = dir_->path();
  options.name = "membership";
  options.keep_port = true;
  // The cluster's administrator account (reached through HAProxy, where
  // per-service accounts would need host grants of their own).
  options.own_db_account = false;
  membership_ = std::make_unique<MembershipProcess>(options);
  ASSERT_TRUE(membership_->StartAndWaitServing().ok())
      << membership_->ReadLog();
  options.db = finance_db_->config();
  options.name = "finance";
  options.binary =
      absl::StrCat(BuildDir(), "/services/finance/unionhub-finance");
  options.extra_args = {
      absl::StrCat("--membership_address=", membership_->target()),
      absl::StrCat("--membership_ca_file=", SecretsDir(), "/ca.pem"),
      absl::StrCat("--membership_token_file=", token_file)};
  finance_ = std::make_unique<MembershipProcess>(options);
  ASSERT_TRUE(finance_->StartAndWaitServing().ok()) << finance_->ReadLog();
  members_stub_ = membership::v1::MembershipService::NewStub(
      membership_->NewChannel(admin_token_));
  dues_stub_ =
      finance::v1::FinanceService::NewStub(finance_->NewChannel(admin_token_));
  audit_stub_ =
      finance::v1::AuditService::NewStub(finance_->NewChannel(admin_token_));
}

void ClusterTest::TearDown() {
  if (cluster_dir_.empty()) return;  // skipped
  if (finance_ != nullptr) finance_->process().Kill();
  if (membership_ != nullptr) membership_->process().Kill();
  EXPECT_TRUE(RestoreCluster()) << "the cluster is not whole again";
  if (HasFailure() && dir_ != nullptr) {
    dir_->Keep();
    std::fprintf(stderr, "cluster test files kept in %s\n",
                 dir_->path().c_str());
    for (MembershipProcess* service : {membership_.get(), finance_.get()}) {
      if (service == nullptr) continue;
      std::fprintf(stderr, "---- %s (last 30 lines)\n%s\n",
                   service->log_path().c_str(),
                   LastLines(service->ReadLog(), 30).c_str());
    }
  }
  audit_stub_.reset();
  dues_stub_.reset();
  members_stub_.reset();
  finance_.reset();
  membership_.reset();
  // Dropped through HAProxy, on the whole cluster again.
  finance_db_.reset();
  membership_db_.reset();
}

absl::Status ClusterTest::Script(const std::string& args) {
  const std::string command = absl::StrCat(ScriptPath(), " ", args, " >>",
                                           dir_->path(), "/cluster.log 2>&1");
  const int status = std::system(command.c_str());
  if (status == 0) return absl::OkStatus();
  return absl::InternalError(absl::StrCat("scripts/cluster.sh ", args,
                                          " failed (", status, "); see ",
                                          dir_->path(), "/cluster.log"));
}

bool ClusterTest::RestoreCluster() {
  std::vector<int> down;
  for (int i = 1; i <= kNodes; ++i) {
    if (NodeState(i) != "4") down.push_back(i);
  }
  if (down.empty()) return true;
  // Together: after two were killed, the third regains a Primary
  // component only when both are back.
  absl::Status restarted = RestartNodes(down);
  if (!restarted.ok()) {
    // Left without quorum some other way: the survivor (answering, not
    // Synced) becomes the Primary component, then the others rejoin it.
    for (int i = 1; i <= kNodes; ++i) {
      if (!NodeState(i).empty() && BootstrapNode(i).ok()) break;
    }
    restarted = RestartNodes(down);
  }
  const bool ok = restarted.ok();
  EXPECT_TRUE(ok) << restarted;
  // HAProxy's check needs two passes to send connections to node 1 again.
  WaitFor([&] { return WriterNode() == 1; }, absl::Seconds(20));
  return ok;
}

int ClusterTest::WriterNode() {
  absl::StatusOr<std::unique_ptr<db::Connection>> conn =
      db::OpenConnection(TestServerConfig(), 2, 5);
  if (!conn.ok()) return 0;
  try {
    auto rs = db::Query(**conn, "SELECT @@wsrep_node_name AS node");
    if (!rs->next()) return 0;
    int node = 0;
    const std::string name = db::GetString(*rs, "node");
    if (absl::StartsWith(name, "node") &&
        absl::SimpleAtoi(name.substr(4), &node)) {
      return node;
    }
  } catch (const sql::SQLException&) {
  }
  return 0;
}

void ClusterTest::KillNode(int i) {
  const absl::Status killed =
      Script(absl::StrCat("kill ", cluster_dir_, " ", i));
  EXPECT_TRUE(killed.ok()) << killed;
}

absl::Status ClusterTest::RestartNodes(const std::vector<int>& nodes) {
  return Script(absl::StrCat("restart ", cluster_dir_, " ", base_port_, " ",
                             absl::StrJoin(nodes, " ")));
}

absl::Status ClusterTest::BootstrapNode(int i) {
  return Script(absl::StrCat("bootstrap ", cluster_dir_, " ", i));
}

std::string ClusterTest::NodeState(int i) {
  return std::string(absl::StripAsciiWhitespace(CommandOutput(
      absl::StrCat(ScriptPath(), " state ", cluster_dir_, " ", i))));
}

int ClusterTest::IstReceived(int i) {
  const std::string log =
      ReadFileOrEmpty(absl::StrCat(cluster_dir_, "/node", i, "/error.log"));
  int count = 0;
  for (absl::string_view line : absl::StrSplit(log, '\n')) {
    if (absl::StrContains(line, "IST received")) ++count;
  }
  return count;
}

std::string ClusterTest::Checksums(int i, const std::string& schema) {
  return CommandOutput(absl::StrCat(ScriptPath(), " checksums ", cluster_dir_,
                                    " ", i, " ", schema, " 2>/dev/null"));
}

DuesLoadEnv ClusterTest::LoadEnv() {
  DuesLoadEnv env;
  env.members = members_stub_.get();
  env.dues = dues_stub_.get();
  env.audit = audit_stub_.get();
  env.rows = [this](bool finance, const std::string& sql) {
    return QueryRowsOn(finance ? finance_db_->pool() : membership_db_->pool(),
                       sql);
  };
  env.give_up_after = absl::Seconds(120);
  return env;
}

void ClusterTest::Report(const std::string& text) {
  const ::testing::TestInfo* info =
      ::testing::UnitTest::GetInstance()->current_test_info();
  std::printf("CLUSTER %s.%s: %s\n", info->test_suite_name(), info->name(),
              text.c_str());
  std::fflush(stdout);
}

}  // namespace unionhub::testing
