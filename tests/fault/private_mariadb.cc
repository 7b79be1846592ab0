#include "tests/fault/private_mariadb.h"

#include <cppconn/connection.h>
#include <cppconn/exception.h>
#include <cppconn/statement.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <sys/file.h>
#include <unistd.h>

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/db/probe.h"
#include "tests/support/test_env.h"

namespace unionhub::testing {
namespace {

namespace fs = std::filesystem;

std::string UserName() {
  const passwd* entry = getpwuid(geteuid());
  return entry != nullptr ? entry->pw_name : "root";
}

std::string FindProgram(const std::vector<std::string>& candidates) {
  for (const std::string& path : candidates) {
    if (access(path.c_str(), X_OK) == 0) return path;
  }
  return candidates.front();
}

std::map<std::string, std::string> PlainEnvironment() {
  std::map<std::string, std::string> env;
  for (const char* name : {"PATH", "HOME", "TMPDIR", "LANG"}) {
    if (const char* value = std::getenv(name)) env[name] = value;
  }
  return env;
}

// An exclusive flock held for the object's life.
class FileLock {
 public:
  explicit FileLock(const std::string& path)
      : fd_(open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644)) {
    if (fd_ >= 0) flock(fd_, LOCK_EX);
  }
  ~FileLock() {
    if (fd_ >= 0) close(fd_);  // releases the lock
  }

 private:
  int fd_;
};

// The initialised, never started data directory every server copies.
absl::StatusOr<std::string> Template() {
  const std::string base = absl::StrCat(BuildDir(), "/tests/fault");
  std::error_code error;
  fs::create_directories(base, error);
  const std::string path = base + "/mariadb-template";
  FileLock lock(base + "/mariadb-template.lock");
  if (fs::exists(path + "/mysql")) return path;
  const std::string scratch = absl::StrCat(path, ".tmp.", getpid());
  fs::remove_all(scratch, error);
  fs::create_directories(scratch, error);
  ChildProcess install(FindProgram({"/usr/bin/mariadb-install-db",
                                    "/usr/local/bin/mariadb-install-db"}),
                       {"--no-defaults", absl::StrCat("--datadir=", scratch),
                        absl::StrCat("--user=", UserName()),
                        "--auth-root-authentication-method=normal",
                        "--skip-test-db", "--innodb-log-file-size=16M"},
                       PlainEnvironment(),
                       base + "/mariadb-template-install.log");
  if (absl::Status started = install.Start(); !started.ok()) return started;
  std::optional<ExitStatus> exit = install.WaitForExit(absl::Seconds(180));
  if (!exit.has_value() || !exit->CleanExit()) {
    install.Kill();
    return absl::InternalError(absl::StrCat("mariadb-install-db failed; see ",
                                            install.log_path(), ":\n",
                                            LastLines(install.ReadLog(), 20)));
  }
  fs::remove_all(path, error);
  fs::rename(scratch, path, error);
  if (error) return absl::InternalError("could not move the template");
  return path;
}

}  // namespace

PrivateMariaDb::PrivateMariaDb(std::string dir)
    : dir_(std::move(dir)),
      datadir_(dir_ + "/data"),
      socket_(dir_ + "/mysqld.sock") {}

PrivateMariaDb::~PrivateMariaDb() {
  if (server_ != nullptr) server_->Kill();
}

absl::Status PrivateMariaDb::EnsureDataDir() {
  if (fs::exists(datadir_ + "/mysql")) return absl::OkStatus();
  absl::StatusOr<std::string> source = Template();
  if (!source.ok()) return source.status();
  std::error_code error;
  fs::copy(*source, datadir_, fs::copy_options::recursive, error);
  if (error) {
    return absl::InternalError(
        absl::StrCat("copying the MariaDB template: ", error.message()));
  }
  return absl::OkStatus();
}

absl::Status PrivateMariaDb::Start(const std::vector<std::string>& extra_args,
                                   absl::Duration timeout) {
  if (Running()) return absl::FailedPreconditionError("already running");
  if (socket_.size() > 100) {
    return absl::InvalidArgumentError("socket path too long: " + socket_);
  }
  if (absl::Status ready = EnsureDataDir(); !ready.ok()) return ready;
  if (port_ == 0) port_ = FreePort();
  // A killed server leaves both behind.
  unlink(socket_.c_str());
  unlink((dir_ + "/mysqld.pid").c_str());
  std::vector<std::string> args = {
      "--no-defaults",
      absl::StrCat("--datadir=", datadir_),
      absl::StrCat("--socket=", socket_),
      absl::StrCat("--port=", port_),
      "--bind-address=127.0.0.1",
      absl::StrCat("--user=", UserName()),
      absl::StrCat("--pid-file=", dir_, "/mysqld.pid"),
      absl::StrCat("--log-error=", dir_, "/error.log"),
      "--character-set-server=utf8mb4",
      "--collation-server=utf8mb4_bin",
      "--skip-name-resolve",
      "--max-connections=300",
      // Durable: what a COMMIT acknowledged survives kill -9.
      "--innodb-flush-log-at-trx-commit=1",
      "--innodb-buffer-pool-size=128M",
      "--innodb-log-file-size=16M",
      "--skip-log-bin",
  };
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  ++starts_;
  server_ = std::make_unique<ChildProcess>(
      FindProgram({"/usr/sbin/mariadbd", "/usr/bin/mariadbd"}), args,
      PlainEnvironment(), absl::StrCat(dir_, "/mariadbd-", starts_, ".out"));
  if (absl::Status started = server_->Start(); !started.ok()) return started;
  const absl::Time deadline = absl::Now() + timeout;
  std::string last;
  while (absl::Now() < deadline) {
    if (!server_->Running()) {
      return absl::InternalError(absl::StrCat(
          "mariadbd ", server_->status()->ToString(),
          " while starting; error log:\n", LastLines(ReadLog(), 30)));
    }
    absl::StatusOr<std::unique_ptr<db::Connection>> conn =
        db::OpenConnection(RootConfig(), 1, 5);
    if (conn.ok()) return absl::OkStatus();
    last = std::string(conn.status().message());
    absl::SleepFor(absl::Milliseconds(100));
  }
  return absl::DeadlineExceededError(absl::StrCat(
      "mariadbd did not answer within ", absl::FormatDuration(timeout), " (",
      last, "); error log:\n", LastLines(ReadLog(), 30)));
}

void PrivateMariaDb::Kill() {
  if (server_ != nullptr) server_->Kill();
}

absl::Status PrivateMariaDb::Stop(absl::Duration timeout) {
  if (!Running()) return absl::OkStatus();
  server_->Signal(SIGTERM);
  if (!server_->WaitForExit(timeout).has_value()) {
    server_->Kill();
    return absl::DeadlineExceededError("mariadbd did not stop; killed it");
  }
  return absl::OkStatus();
}

bool PrivateMariaDb::Running() {
  return server_ != nullptr && server_->Running();
}

db::DbConfig PrivateMariaDb::RootConfig(const std::string& schema) const {
  db::DbConfig config;
  config.uri = absl::StrCat("unix://", socket_);
  config.user = "root";
  config.schema = schema;
  config.pool_size = 2;
  return config;
}

absl::Status PrivateMariaDb::Exec(const std::string& sql) const {
  absl::StatusOr<std::unique_ptr<db::Connection>> conn =
      db::OpenConnection(RootConfig(), 5, 60);
  if (!conn.ok()) return conn.status();
  try {
    std::unique_ptr<sql::Statement> statement((*conn)->raw().createStatement());
    statement->execute(sql);
  } catch (const sql::SQLException& e) {
    return absl::InternalError(absl::StrCat(sql, ": ", e.what()));
  }
  return absl::OkStatus();
}

std::string PrivateMariaDb::ReadLog() const {
  return ReadFileOrEmpty(dir_ + "/error.log");
}

}  // namespace unionhub::testing
