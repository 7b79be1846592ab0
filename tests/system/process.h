// System-test helpers: a service binary run as a child process (fork/execve,
// stderr to a log file), its exit status, and, for the membership binary,
// the flags it needs and a gRPC health probe.
//
// Every helper owns its child: the destructor SIGKILLs and reaps it if it is
// still running, so a failed ASSERT never leaves a server behind. The child
// also gets PR_SET_PDEATHSIG=SIGKILL, so it dies with the test process even
// when the test process itself is killed (e.g. by a ctest timeout).
#ifndef UNIONHUB_TESTS_SYSTEM_PROCESS_H_
#define UNIONHUB_TESTS_SYSTEM_PROCESS_H_

#include <grpcpp/grpcpp.h>
#include <sys/types.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/db/pool.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "tests/system/db_account.h"

namespace unionhub::testing {

// A fresh directory under $TMPDIR (or /tmp), removed with its contents on
// destruction unless Keep() was called (tests keep it when they fail, so the
// service logs can be read afterwards).
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  void Keep() { keep_ = true; }

 private:
  std::string path_;
  bool keep_ = false;
};

// How a child ended.
struct ExitStatus {
  bool exited = false;  // returned from main / called exit: see `code`
  int code = -1;
  int signal = 0;  // killed by this signal (when !exited)

  bool CleanExit() const { return exited && code == 0; }
  std::string ToString() const;
};

// One child process: `binary` with `args` (argv[1..]), exactly the
// environment `env` (nothing is inherited implicitly), stdin from
// /dev/null, stdout and stderr appended to `log_path`.
class ChildProcess {
 public:
  ChildProcess(std::string binary, std::vector<std::string> args,
               std::map<std::string, std::string> env, std::string log_path);
  // SIGKILLs and reaps the child if it is still running.
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // fork + execve. Fails if the binary is not executable or fork fails; an
  // exec failure in the child shows as exit code 127 and a line in the log.
  absl::Status Start();

  pid_t pid() const { return pid_; }
  bool started() const { return pid_ > 0; }
  // False once the child has exited (it is then reaped and status() set).
  bool Running();
  // Sends `signal` if the child is still running; false if it is not.
  bool Signal(int signal);
  // Waits up to `timeout` for the child to exit; nullopt if it is still
  // running afterwards.
  std::optional<ExitStatus> WaitForExit(absl::Duration timeout);
  // SIGKILL (if running) and reap.
  ExitStatus Kill();
  // Set once the child has been reaped.
  const std::optional<ExitStatus>& status() const { return status_; }

  const std::string& log_path() const { return log_path_; }
  // The whole log so far ("" if it cannot be read).
  std::string ReadLog() const;

 private:
  bool Reap(bool block);

  std::string binary_;
  std::vector<std::string> args_;
  std::map<std::string, std::string> env_;
  std::string log_path_;
  pid_t pid_ = -1;
  std::optional<ExitStatus> status_;
};

// Reads a whole file ("" if it cannot be read).
std::string ReadFileOrEmpty(const std::string& path);
// The last `max_lines` lines of `text`.
std::string LastLines(const std::string& text, int max_lines);

// The environment a service binary needs for TLS, token verification and
// personal-data keys, from the development secrets in SecretsDir() (as
// scripts/pki.sh export_service_security sets it up). The same secrets give
// the same keys, so a restarted process reads what the previous one sealed.
std::map<std::string, std::string> ServiceSecurityEnvironment();

// The unionhub-membership binary on a database schema, listening on a free
// 127.0.0.1 port with TLS (the test CA's server certificate).
class MembershipProcess {
 public:
  struct Options {
    db::DbConfig db;      // uri/user/password/schema (e.g. TestDatabase)
    std::string log_dir;  // logs go to <log_dir>/<name>-<n>.log
    std::string name = "membership";
    int db_pool_size = 4;
    int rpc_threads = 16;
    int shutdown_grace_seconds = 5;
    std::vector<std::string> extra_args;
    // Added to (and overriding) the environment the process gets.
    std::map<std::string, std::string> extra_env;
    // Another service binary taking the same database and server flags
    // (e.g. unionhub-finance); empty: membership.
    std::string binary;
    // Restart on the port of the previous start (peers keep their address).
    bool keep_port = false;
    // `db` is the administrator (root): on the first Start the binary
    // migrates as it and grants a fresh account of the service's own
    // (ServiceDbAccount), and then runs as that account, as scripts/up
    // does. False: the service runs as `db` itself.
    bool own_db_account = true;
  };

  // <BuildDir()>/services/membership/unionhub-membership
  static std::string BinaryPath();

  explicit MembershipProcess(Options options);
  ~MembershipProcess();  // SIGKILLs the child if still running

  // Starts the binary on a fresh free port. Does not wait for readiness.
  absl::Status Start();
  // Start(), then WaitUntilServing(); if the port was taken between
  // choosing it and binding it, retries on another port (a few times).
  absl::Status StartAndWaitServing(absl::Duration timeout = absl::Seconds(60));
  // Polls Health/Check(service "") with short deadlines until SERVING.
  // Fails early (with the log tail) if the process exits meanwhile.
  absl::Status WaitUntilServing(absl::Duration timeout = absl::Seconds(60));

  // One Health/Check(service "") with `deadline`.
  absl::StatusOr<grpc::health::v1::HealthCheckResponse::ServingStatus>
  CheckHealth(absl::Duration deadline = absl::Seconds(1));

  int port() const { return port_; }
  std::string target() const;
  // A new TLS channel to the process (trusting the test CA) whose calls
  // carry `token` (none when empty), reconnecting quickly (100-500 ms
  // backoff).
  std::shared_ptr<grpc::Channel> NewChannel(const std::string& token) const;

  ChildProcess& process() { return *process_; }
  bool Running() { return process_ != nullptr && process_->Running(); }
  std::string ReadLog() const;
  std::string log_path() const;

 private:
  absl::Status WaitUntilServingImpl(absl::Duration timeout, bool* port_taken);

  Options options_;
  int starts_ = 0;
  int port_ = 0;
  std::unique_ptr<ServiceDbAccount> account_;
  std::unique_ptr<ChildProcess> process_;
  std::shared_ptr<grpc::Channel> health_channel_;
  std::unique_ptr<grpc::health::v1::Health::Stub> health_stub_;
};

}  // namespace unionhub::testing

#endif  // UNIONHUB_TESTS_SYSTEM_PROCESS_H_
