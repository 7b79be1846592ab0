#include "tests/system/db_account.h"

#include <cppconn/connection.h>
#include <cppconn/statement.h>
#include <gtest/gtest.h>

#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "tests/system/process.h"

namespace unionhub::testing {
namespace {

// The socket connects as 'localhost', TCP as '%' (and an anonymous
// ''@'localhost', where one exists, would shadow a '%' account).
constexpr const char* kHosts[] = {"%", "localhost"};

}  // namespace

absl::StatusOr<std::unique_ptr<ServiceDbAccount>> ServiceDbAccount::Create(
    const db::DbConfig& admin) {
  std::random_device random;
  auto account = std::unique_ptr<ServiceDbAccount>(
      new ServiceDbAccount(admin, absl::StrFormat("svc_%08x", random()),
                           absl::StrFormat("pw%08x%08x", random(), random())));
  absl::Status created = account->AdminExecForEachHost(absl::StrCat(
      "CREATE USER {grantee} IDENTIFIED BY '", account->config_.password, "'"));
  if (!created.ok()) return created;
  return account;
}

ServiceDbAccount::ServiceDbAccount(const db::DbConfig& admin, std::string user,
                                   std::string password)
    : admin_(admin), config_(admin) {
  config_.user = std::move(user);
  config_.password = std::move(password);
  config_.max_attempts = 1;
}

ServiceDbAccount::~ServiceDbAccount() {
  absl::Status dropped = AdminExecForEachHost("DROP USER IF EXISTS {grantee}");
  if (!dropped.ok()) ADD_FAILURE() << "dropping the account: " << dropped;
}

absl::Status ServiceDbAccount::AdminExecForEachHost(const std::string& sql) {
  // A pool of its own, closed on return, and on no schema: tests count the
  // sessions left on their schema after a service was killed.
  db::DbConfig server = admin_;
  server.schema.clear();
  db::Pool admin(server);
  for (const char* host : kHosts) {
    const std::string statement = absl::StrReplaceAll(
        sql,
        {{"{grantee}", absl::StrCat("'", config_.user, "'@'", host, "'")}});
    absl::Status status = admin.Run([&](db::Connection& conn) {
      std::unique_ptr<sql::Statement> s(conn.raw().createStatement());
      s->execute(statement);
      return absl::OkStatus();
    });
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

absl::Status ServiceDbAccount::MigrateAndGrant(const std::string& binary,
                                               const std::string& log_path) {
  ChildProcess child(
      binary,
      {"--migrate_only",
       absl::StrCat("--grant_to=", config_.user, "@%,", config_.user,
                    "@localhost"),
       absl::StrCat("--db_uri=", admin_.uri),
       absl::StrCat("--db_user=", admin_.user),
       absl::StrCat("--db_schema=", admin_.schema), "--db_pool_size=1"},
      {{"UNIONHUB_DB_PASSWORD", admin_.password}}, log_path);
  if (absl::Status started = child.Start(); !started.ok()) return started;
  std::optional<ExitStatus> exit = child.WaitForExit(absl::Seconds(60));
  if (!exit.has_value()) {
    child.Kill();
    return absl::DeadlineExceededError(
        absl::StrCat(binary, " --migrate_only did not finish"));
  }
  if (!exit->CleanExit()) {
    return absl::InternalError(
        absl::StrCat(binary, " --migrate_only ", exit->ToString(), "; log ",
                     log_path, ":\n", LastLines(child.ReadLog(), 20)));
  }
  return absl::OkStatus();
}

}  // namespace unionhub::testing
