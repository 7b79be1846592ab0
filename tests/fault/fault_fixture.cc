#include "tests/fault/fault_fixture.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "tests/support/test_env.h"
#include "tests/system/system_fixture.h"

namespace unionhub::testing {

void FaultTest::SetUp() {
  dir_ = std::make_unique<TempDir>();
  db_ = std::make_unique<PrivateMariaDb>(dir_->path());
  const absl::Time start = absl::Now();
  absl::Status started = db_->Start();
  ASSERT_TRUE(started.ok()) << started;
  std::fprintf(stderr, "private MariaDB up in %s (%s)\n",
               absl::FormatDuration(absl::Now() - start).c_str(),
               dir_->path().c_str());
  for (const char* schema : {"fault_membership", "fault_finance"}) {
    ASSERT_TRUE(db_->Exec(absl::StrCat("CREATE DATABASE ", schema)).ok());
  }
  admin_token_ = MintTestToken({"admin"}, 0, "fault-test");
  ASSERT_FALSE(admin_token_.empty());
  token_file_ = dir_->path() + "/finance.token";
  std::ofstream(token_file_)
      << MintTestToken({"service"}, 0, "finance", absl::Hours(2));
}

void FaultTest::TearDown() {
  for (auto& service : services_) {
    if (service->Running()) service->process().Kill();
  }
  // The services' accounts are dropped with them, which needs the server.
  if (db_ != nullptr && !db_->Running()) {
    absl::Status started = db_->Start();
    EXPECT_TRUE(started.ok()) << started;
  }
  const char* keep = std::getenv("UNIONHUB_KEEP_SYSTEM_LOGS");
  if (keep != nullptr && *keep != '\0' && dir_ != nullptr) {
    dir_->Keep();
    std::fprintf(stderr, "fault test files kept in %s\n", dir_->path().c_str());
  }
  if (HasFailure() && dir_ != nullptr) {
    dir_->Keep();
    std::fprintf(stderr, "fault test files kept in %s\n", dir_->path().c_str());
    for (auto& service : services_) {
      if (service->log_path().empty()) continue;
      std::fprintf(stderr, "---- %s (last 40 lines)\n%s\n",
                   service->log_path().c_str(),
                   LastLines(service->ReadLog(), 40).c_str());
    }
    if (db_ != nullptr) {
      std::fprintf(stderr, "---- MariaDB error log (last 20 lines)\n%s\n",
                   LastLines(db_->ReadLog(), 20).c_str());
    }
  }
  services_.clear();
  pools_.clear();
  db_.reset();
}

MembershipProcess& FaultTest::NewService(
    const std::string& name, const std::string& binary,
    std::vector<std::string> extra_args,
    std::map<std::string, std::string> extra_env, const std::string& schema,
    bool own_db_account) {
  MembershipProcess::Options options;
  options.db =
      db_->RootConfig(schema.empty() ? absl::StrCat("fault_", name) : schema);
  options.own_db_account = own_db_account;
  options.log_dir = dir_->path();
  options.name = name;
  options.binary = binary;
  options.keep_port = true;
  options.extra_args = std::move(extra_args);
  options.extra_env = std::move(extra_env);
  services_.push_back(std::make_unique<MembershipProcess>(options));
  return *services_.back();
}

MembershipProcess& FaultTest::NewMembership(
    std::vector<std::string> extra_args,
    std::map<std::string, std::string> extra_env) {
  return NewService("membership", MembershipProcess::BinaryPath(),
                    std::move(extra_args), std::move(extra_env));
}

MembershipProcess& FaultTest::NewFinance(
    const MembershipProcess& membership, std::vector<std::string> extra_args,
    std::map<std::string, std::string> extra_env) {
  extra_args.push_back(
      absl::StrCat("--membership_address=", membership.target()));
  extra_args.push_back(
      absl::StrCat("--membership_ca_file=", SecretsDir(), "/ca.pem"));
  extra_args.push_back(absl::StrCat("--membership_token_file=", token_file_));
  return NewService(
      "finance", absl::StrCat(BuildDir(), "/services/finance/unionhub-finance"),
      std::move(extra_args), std::move(extra_env));
}

MembershipProcess& FaultTest::NewAwards(const std::string& name,
                                        const MembershipProcess& membership,
                                        const MembershipProcess& finance,
                                        std::vector<std::string> extra_args) {
  if (!awards_schema_) {
    EXPECT_TRUE(db_->Exec("CREATE DATABASE fault_awards").ok());
    awards_schema_ = true;
  }
  extra_args.push_back(
      absl::StrCat("--membership_address=", membership.target()));
  extra_args.push_back(absl::StrCat("--finance_address=", finance.target()));
  extra_args.push_back(
      absl::StrCat("--membership_ca_file=", SecretsDir(), "/ca.pem"));
  extra_args.push_back(absl::StrCat("--membership_token_file=", token_file_));
  return NewService(
      name, absl::StrCat(BuildDir(), "/services/awards/unionhub-awards"),
      std::move(extra_args), {}, "fault_awards", /*own_db_account=*/false);
}

DuesLoadEnv FaultTest::StartDuesServices() {
  DuesLoadEnv env;
  MembershipProcess& membership = NewMembership();
  absl::Status started = membership.StartAndWaitServing();
  if (!started.ok()) {
    ADD_FAILURE() << started << membership.ReadLog();
    return env;
  }
  MembershipProcess& finance = NewFinance(membership);
  started = finance.StartAndWaitServing();
  if (!started.ok()) {
    ADD_FAILURE() << started << finance.ReadLog();
    return env;
  }
  members_stub_ = membership::v1::MembershipService::NewStub(
      membership.NewChannel(admin_token_));
  dues_stub_ =
      finance::v1::FinanceService::NewStub(finance.NewChannel(admin_token_));
  audit_stub_ =
      finance::v1::AuditService::NewStub(finance.NewChannel(admin_token_));
  env.members = members_stub_.get();
  env.dues = dues_stub_.get();
  env.audit = audit_stub_.get();
  env.rows = [this](bool finance, const std::string& sql) {
    return QueryRows(finance ? "fault_finance" : "fault_membership", sql);
  };
  return env;
}

void FaultTest::RestartDatabase(bool kill) {
  if (kill) {
    db_->Kill();
  } else {
    ASSERT_TRUE(db_->Stop().ok());
  }
  absl::Status started = db_->Start();
  ASSERT_TRUE(started.ok()) << started;
}

std::vector<std::vector<std::string>> FaultTest::QueryRows(
    const std::string& schema, const std::string& sql) {
  std::unique_ptr<db::Pool>& pool = pools_[schema];
  if (pool == nullptr)
    pool = std::make_unique<db::Pool>(db_->RootConfig(schema));
  return QueryRowsOn(*pool, sql);
}

int64_t FaultTest::QueryInt(const std::string& schema, const std::string& sql) {
  std::vector<std::vector<std::string>> rows = QueryRows(schema, sql);
  int64_t value = -1;
  if (rows.empty() || rows[0].empty() ||
      !absl::SimpleAtoi(rows[0][0], &value)) {
    return -1;
  }
  return value;
}

bool WaitFor(const std::function<bool()>& done, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (!done()) {
    if (absl::Now() >= deadline) return false;
    absl::SleepFor(absl::Milliseconds(50));
  }
  return true;
}

void FaultTest::Report(const std::string& text) {
  const ::testing::TestInfo* info =
      ::testing::UnitTest::GetInstance()->current_test_info();
  std::printf("FAULT %s.%s: %s\n", info->test_suite_name(), info->name(),
              text.c_str());
  std::fflush(stdout);
}

}  // namespace unionhub::testing
