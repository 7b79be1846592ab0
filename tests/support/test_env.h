// What tests need from the environment scripts/test prepares: a real
// MariaDB (UNIONHUB_TEST_DB_SOCKET / _PORT / _USER / _PASSWORD) and the
// build directory (UNIONHUB_BUILD_DIR) for system tests.
#ifndef UNIONHUB_TESTS_SUPPORT_TEST_ENV_H_
#define UNIONHUB_TESTS_SUPPORT_TEST_ENV_H_

#include <grpcpp/security/credentials.h>
#include <grpcpp/security/server_credentials.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/auth/jwt.h"
#include "common/db/migrations.h"
#include "common/db/pool.h"
#include "common/db/sql.h"

namespace unionhub::testing {

// A schema of its own, created on construction and dropped on destruction,
// with a pool connected to it. Each test process gets a fresh one.
class TestDatabase {
 public:
  // `tag` becomes part of the schema name (letters, digits, '_').
  explicit TestDatabase(const std::string& tag, int pool_size = 8);
  ~TestDatabase();

  // Fails the test (ASSERT) when the migrations do not apply.
  void Migrate(const std::vector<db::MigrationFile>& files);

  db::Pool& pool() { return *pool_; }
  const std::string& schema() const { return schema_; }
  // The database URI and root credentials, to hand to a server process.
  db::DbConfig config() const { return config_; }

  // Runs one statement as root in this schema (for tests that look at, or
  // tamper with, raw tables).
  void Exec(const std::string& sql);
  // The same with `args` bound to the statement's ? placeholders.
  template <typename... Args>
  void Exec(const std::string& sql, const Args&... args) {
    absl::Status status = pool_->Run([&](db::Connection& conn) {
      db::Execute(conn, sql, args...);
      return absl::OkStatus();
    });
    EXPECT_TRUE(status.ok()) << status;
  }
  // The first column of the first row of `sql`, as a string ("" if none).
  std::string QueryValue(const std::string& sql);
  // The same with `args` bound to the statement's ? placeholders.
  template <typename... Args>
  std::string QueryValue(const std::string& sql, const Args&... args) {
    std::string value;
    absl::Status status = pool_->Run([&](db::Connection& conn) {
      auto rs = db::Query(conn, sql, args...);
      if (rs->next() && !rs->isNull(1)) value = rs->getString(1).asStdString();
      return absl::OkStatus();
    });
    EXPECT_TRUE(status.ok()) << status;
    return value;
  }

 private:
  db::DbConfig config_;
  std::string schema_;
  std::unique_ptr<db::Pool> pool_;
};

// UNIONHUB_TEST_DB_* as a DbConfig without schema; aborts with a clear
// message when the variables are missing (run the tests via scripts/test).
db::DbConfig TestServerConfig();

// UNIONHUB_BUILD_DIR, or the directory the tests were built in.
std::string BuildDir();

// A free TCP port on 127.0.0.1.
int FreePort();

// UNIONHUB_TEST_SECRETS_DIR: the development CA, server and client
// certificates and token keys scripts/test made (scripts/pki.sh).
std::string SecretsDir();
std::string ReadSecret(const std::string& name);

// A signed token for `roles` limited to `org_scope` (0 = everywhere).
std::string MintTestToken(const std::vector<std::string>& roles,
                          int64_t org_scope = 0,
                          const std::string& subject = "test-user",
                          absl::Duration ttl = absl::Hours(1));

// Installs random personal-data keys for this process.
void InstallTestPii();

// The token verifier every test server uses (the test key, dev issuer and
// audience), and TLS server credentials from the test certificates.
std::shared_ptr<const auth::TokenVerifier> TestVerifier();
std::shared_ptr<grpc::ServerCredentials> TestServerCredentials();

// Channel credentials: TLS trusting the test CA, plus `token` on every call
// (none when empty).
std::shared_ptr<grpc::ChannelCredentials> TestChannelCredentials(
    const std::string& token);

// What `command` (run by the shell) prints on stdout; "" when it cannot
// start. For tests that read a file back with another program.
std::string CommandOutput(const std::string& command);

}  // namespace unionhub::testing

#endif  // UNIONHUB_TESTS_SUPPORT_TEST_ENV_H_
