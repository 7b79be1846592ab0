#include "tests/support/test_env.h"

#include <arpa/inet.h>
#include <cppconn/connection.h>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <random>

#include "absl/strings/str_cat.h"
#include "common/auth/jwt.h"
#include "common/crypto/pii.h"
#include "common/crypto/pii_global.h"
#include "common/rpc/tls.h"

namespace unionhub::testing {
namespace {

std::string Env(const char* name, const std::string& fallback = "") {
  const char* value = std::getenv(name);
  return value == nullptr ? fallback : std::string(value);
}

void RunAsRoot(const db::DbConfig& config, const std::string& sql) {
  db::Pool admin(config);
  absl::Status status = admin.Run([&](db::Connection& conn) {
    std::unique_ptr<sql::Statement> statement(conn.raw().createStatement());
    statement->execute(sql);
    return absl::OkStatus();
  });
  if (!status.ok()) {
    ADD_FAILURE() << "admin SQL failed: " << status;
  }
}

}  // namespace

db::DbConfig TestServerConfig() {
  db::DbConfig config;
  const std::string socket = Env("UNIONHUB_TEST_DB_SOCKET");
  const std::string port = Env("UNIONHUB_TEST_DB_PORT");
  if (socket.empty() && port.empty()) {
    std::fprintf(stderr,
                 "UNIONHUB_TEST_DB_SOCKET / UNIONHUB_TEST_DB_PORT are not set: "
                 "run the tests through scripts/test, which starts MariaDB\n");
    std::abort();
  }
  config.uri = !socket.empty() ? absl::StrCat("unix://", socket)
                               : absl::StrCat("tcp://127.0.0.1:", port);
  config.user = Env("UNIONHUB_TEST_DB_USER", "root");
  config.password = Env("UNIONHUB_TEST_DB_PASSWORD");
  config.pool_size = 2;
  return config;
}

std::string BuildDir() {
  std::string dir = Env("UNIONHUB_BUILD_DIR");
#ifdef UNIONHUB_DEFAULT_BUILD_DIR
  if (dir.empty()) dir = UNIONHUB_DEFAULT_BUILD_DIR;
#endif
  return dir;
}

int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  socklen_t length = sizeof(addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length);
  const int port = ntohs(addr.sin_port);
  close(fd);
  return port;
}

std::string SecretsDir() {
  const std::string dir = Env("UNIONHUB_TEST_SECRETS_DIR");
  if (dir.empty()) {
    std::fprintf(stderr,
                 "UNIONHUB_TEST_SECRETS_DIR is not set: run the tests through "
                 "scripts/test, which makes the development certificates\n");
    std::abort();
  }
  return dir;
}

std::string ReadSecret(const std::string& name) {
  absl::StatusOr<std::string> content =
      auth::ReadFile(absl::StrCat(SecretsDir(), "/", name));
  if (!content.ok()) {
    std::fprintf(stderr, "%s\n",
                 std::string(content.status().message()).c_str());
    std::abort();
  }
  return *content;
}

std::string CommandOutput(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
  pclose(pipe);
  return out;
}

std::string MintTestToken(const std::vector<std::string>& roles,
                          int64_t org_scope, const std::string& subject,
                          absl::Duration ttl) {
  auth::Claims claims;
  claims.subject = subject;
  claims.roles = roles;
  claims.org_scope = org_scope;
  claims.issuer = "unionhub-dev";
  claims.audience = "unionhub";
  claims.issued_at = absl::Now();
  claims.expires_at = absl::Now() + ttl;
  absl::StatusOr<std::string> token =
      auth::MintToken(claims, ReadSecret("jwt-signing.pem"));
  if (!token.ok()) {
    ADD_FAILURE() << token.status();
    return "";
  }
  return *token;
}

void InstallTestPii() {
  absl::StatusOr<crypto::PiiProtector> protector =
      crypto::PiiProtector::FromConfig(
          absl::StrCat("1:", crypto::NewKeyBase64()), 1,
          crypto::NewKeyBase64());
  if (!protector.ok()) {
    std::fprintf(stderr, "test keys: %s\n",
                 std::string(protector.status().message()).c_str());
    std::abort();
  }
  crypto::InstallPii(*protector);
}

std::shared_ptr<grpc::ChannelCredentials> TestChannelCredentials(
    const std::string& token) {
  grpc::SslCredentialsOptions options;
  options.pem_root_certs = ReadSecret("ca.pem");
  std::shared_ptr<grpc::ChannelCredentials> tls = grpc::SslCredentials(options);
  if (token.empty()) return tls;
  return grpc::CompositeChannelCredentials(tls,
                                           grpc::AccessTokenCredentials(token));
}

TestDatabase::TestDatabase(const std::string& tag, int pool_size) {
  config_ = TestServerConfig();
  std::random_device random;
  schema_ = absl::StrCat("t_", tag, "_", getpid(), "_", random() % 100000);
  RunAsRoot(config_,
            absl::StrCat("CREATE DATABASE `", schema_,
                         "` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"));
  config_.schema = schema_;
  config_.pool_size = pool_size;
  pool_ = std::make_unique<db::Pool>(config_);
}

TestDatabase::~TestDatabase() {
  pool_.reset();
  db::DbConfig admin = config_;
  admin.schema.clear();
  RunAsRoot(admin, absl::StrCat("DROP DATABASE IF EXISTS `", schema_, "`"));
}

void TestDatabase::Migrate(const std::vector<db::MigrationFile>& files) {
  absl::Status status = db::ApplyMigrations(*pool_, files);
  ASSERT_TRUE(status.ok()) << status;
}

void TestDatabase::Exec(const std::string& sql) {
  absl::Status status = pool_->Run([&](db::Connection& conn) {
    std::unique_ptr<sql::Statement> statement(conn.raw().createStatement());
    statement->execute(sql);
    return absl::OkStatus();
  });
  ASSERT_TRUE(status.ok()) << status;
}

std::string TestDatabase::QueryValue(const std::string& sql) {
  std::string value;
  absl::Status status = pool_->Run([&](db::Connection& conn) {
    std::unique_ptr<sql::Statement> statement(conn.raw().createStatement());
    std::unique_ptr<sql::ResultSet> rs(statement->executeQuery(sql));
    if (rs->next() && !rs->isNull(1)) value = rs->getString(1).asStdString();
    return absl::OkStatus();
  });
  EXPECT_TRUE(status.ok()) << status;
  return value;
}

std::shared_ptr<const auth::TokenVerifier> TestVerifier() {
  auth::VerifierConfig config;
  config.public_key_pem = ReadSecret("jwt-public.pem");
  config.issuer = "unionhub-dev";
  config.audience = "unionhub";
  absl::StatusOr<std::unique_ptr<auth::TokenVerifier>> verifier =
      auth::TokenVerifier::Create(config);
  if (!verifier.ok()) {
    ADD_FAILURE() << verifier.status();
    return nullptr;
  }
  return std::shared_ptr<const auth::TokenVerifier>(*std::move(verifier));
}

std::shared_ptr<grpc::ServerCredentials> TestServerCredentials() {
  rpc::ServerTlsFiles tls;
  tls.cert_file = SecretsDir() + "/server.pem";
  tls.key_file = SecretsDir() + "/server.key";
  tls.client_ca_file = SecretsDir() + "/ca.pem";
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials =
      rpc::ServerTlsCredentials(tls);
  if (!credentials.ok()) {
    ADD_FAILURE() << credentials.status();
    return nullptr;
  }
  return *credentials;
}

}  // namespace unionhub::testing
