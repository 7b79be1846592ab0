// The fixture of the fault suite: each test gets its own MariaDB
// (PrivateMariaDb), a temporary directory for it and the service logs, and
// the real service binaries started as processes on it with TLS, tokens
// and a database account of their own (tests/system/process.h), so a test
// can kill -9 and restart the database and any service.
//
// On failure the directory is kept and the tail of every log printed.
// Figures a test measures are printed as "FAULT <test>: key=value ..." on
// stdout (ctest -V shows them; the closing note quotes them).
#ifndef UNIONHUB_TESTS_FAULT_FAULT_FIXTURE_H_
#define UNIONHUB_TESTS_FAULT_FAULT_FIXTURE_H_

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "tests/fault/dues_load.h"
#include "tests/fault/private_mariadb.h"
#include "tests/system/process.h"

namespace unionhub::testing {

// Polls `done` every 50 ms until it holds or `timeout` passes.
bool WaitFor(const std::function<bool()>& done, absl::Duration timeout);

class FaultTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  PrivateMariaDb& database() { return *db_; }
  const std::string& dir() const { return dir_->path(); }
  const std::string& admin_token() const { return admin_token_; }

  // The membership binary on schema "fault_membership" (migrated and
  // granted to an account of its own on first start). Not started.
  MembershipProcess& NewMembership(
      std::vector<std::string> extra_args = {},
      std::map<std::string, std::string> extra_env = {});
  // The finance binary on "fault_finance", following `membership`'s feed.
  MembershipProcess& NewFinance(
      const MembershipProcess& membership,
      std::vector<std::string> extra_args = {},
      std::map<std::string, std::string> extra_env = {});

  // An awards binary on "fault_awards" (created on first use), following
  // `membership`'s feed and asking `finance`; `name` names its log, so
  // several replicas may share the schema. Runs as root (replicas started
  // together race for the migration lock). Not started.
  MembershipProcess& NewAwards(const std::string& name,
                               const MembershipProcess& membership,
                               const MembershipProcess& finance,
                               std::vector<std::string> extra_args = {});

  // Membership and finance started (a fatal failure when they do not
  // serve), and the dues load's view of them (tests/fault/dues_load.h),
  // with stubs the fixture keeps.
  DuesLoadEnv StartDuesServices();

  // Kills the database (kill -9) and starts it again on the same data.
  void RestartDatabase(bool kill = true);

  // Raw rows of `sql` on `schema` as root (every column a string, NULL as
  // "NULL"); fails the test on error.
  std::vector<std::vector<std::string>> QueryRows(const std::string& schema,
                                                  const std::string& sql);
  // The first column of the first row as an integer (-1 when none).
  int64_t QueryInt(const std::string& schema, const std::string& sql);

  // Prints "FAULT <suite>.<test>: <text>" to stdout.
  static void Report(const std::string& text);

 private:
  MembershipProcess& NewService(const std::string& name,
                                const std::string& binary,
                                std::vector<std::string> extra_args,
                                std::map<std::string, std::string> extra_env,
                                const std::string& schema = "",
                                bool own_db_account = true);

  std::unique_ptr<TempDir> dir_;
  std::unique_ptr<PrivateMariaDb> db_;
  std::string admin_token_;
  std::string token_file_;
  bool awards_schema_ = false;
  std::unique_ptr<membership::v1::MembershipService::Stub> members_stub_;
  std::unique_ptr<finance::v1::FinanceService::Stub> dues_stub_;
  std::unique_ptr<finance::v1::AuditService::Stub> audit_stub_;
  std::map<std::string, std::unique_ptr<db::Pool>> pools_;
  // Declared last: killed before the database goes.
  std::vector<std::unique_ptr<MembershipProcess>> services_;
};

}  // namespace unionhub::testing

#endif  // UNIONHUB_TESTS_FAULT_FAULT_FIXTURE_H_
