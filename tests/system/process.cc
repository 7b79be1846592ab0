#include "tests/system/process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "tests/support/test_env.h"

namespace unionhub::testing {
namespace {

namespace health = ::grpc::health::v1;

constexpr absl::Duration kReapPoll = absl::Milliseconds(20);

std::string ErrnoText(const std::string& what) {
  return absl::StrCat(what, ": ", std::strerror(errno));
}

// Environment variables a child inherits from the test process: enough to
// run, nothing that could configure the service behind the test's back
// (UNIONHUB_* flags are only what the test passes explicitly).
bool InheritedVariable(const std::string& name) {
  static const char* const kExact[] = {"PATH", "HOME",   "TZ",
                                       "LANG", "LC_ALL", "TMPDIR"};
  for (const char* exact : kExact) {
    if (name == exact) return true;
  }
  return absl::StartsWith(name, "ASAN_") || absl::StartsWith(name, "UBSAN_") ||
         absl::StartsWith(name, "TSAN_") || absl::StartsWith(name, "LSAN_") ||
         absl::StartsWith(name, "GRPC_");
}

std::map<std::string, std::string> BaseEnvironment() {
  std::map<std::string, std::string> env;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string text(*entry);
    const size_t equals = text.find('=');
    if (equals == std::string::npos) continue;
    const std::string name = text.substr(0, equals);
    if (InheritedVariable(name)) env[name] = text.substr(equals + 1);
  }
  return env;
}

// Closes every descriptor >= 3 in the child, so it holds none of the test
// process's sockets (database connections, gRPC channels).
void CloseInheritedDescriptors(int max_fd) {
#ifdef SYS_close_range
  if (syscall(SYS_close_range, 3U, ~0U, 0U) == 0) return;
#endif
  for (int fd = 3; fd < max_fd; ++fd) close(fd);
}

// True once something accepts TCP connections on 127.0.0.1:`port`.
bool AcceptsConnections(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(port));
  const bool connected =
      connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  close(fd);
  return connected;
}

}  // namespace

// ------------------------------------------------------------------ TempDir

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern =
      absl::StrCat(base != nullptr && *base != '\0' ? base : "/tmp",
                   "/unionhub-system-XXXXXX");
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (mkdtemp(buffer.data()) == nullptr) {
    std::fprintf(stderr, "%s\n", ErrnoText("mkdtemp").c_str());
    std::abort();
  }
  path_ = buffer.data();
}

TempDir::~TempDir() {
  if (keep_) return;
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

// --------------------------------------------------------------- ExitStatus

std::string ExitStatus::ToString() const {
  if (exited) return absl::StrCat("exited with code ", code);
  if (signal != 0) {
    return absl::StrCat("killed by signal ", signal, " (", strsignal(signal),
                        ")");
  }
  return "unknown";
}

// ------------------------------------------------------------- ChildProcess

ChildProcess::ChildProcess(std::string binary, std::vector<std::string> args,
                           std::map<std::string, std::string> env,
                           std::string log_path)
    : binary_(std::move(binary)),
      args_(std::move(args)),
      env_(std::move(env)),
      log_path_(std::move(log_path)) {}

ChildProcess::~ChildProcess() {
  if (started() && !status_.has_value()) Kill();
}

absl::Status ChildProcess::Start() {
  if (started()) return absl::FailedPreconditionError("already started");
  if (access(binary_.c_str(), X_OK) != 0) {
    return absl::NotFoundError(
        absl::StrCat(ErrnoText(binary_),
                     " (build it, and set UNIONHUB_BUILD_DIR to the build "
                     "directory)"));
  }
  // Everything the child needs is prepared before fork: after fork in a
  // multi-threaded process only async-signal-safe calls are allowed.
  std::vector<std::string> argv_storage;
  argv_storage.push_back(binary_);
  argv_storage.insert(argv_storage.end(), args_.begin(), args_.end());
  std::vector<char*> argv;
  for (std::string& arg : argv_storage) argv.push_back(arg.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_storage;
  for (const auto& [name, value] : env_) {
    env_storage.push_back(absl::StrCat(name, "=", value));
  }
  std::vector<char*> envp;
  for (std::string& entry : env_storage) envp.push_back(entry.data());
  envp.push_back(nullptr);

  const int log_fd =
      open(log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) return absl::InternalError(ErrnoText(log_path_));
  const int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (null_fd < 0) {
    close(log_fd);
    return absl::InternalError(ErrnoText("/dev/null"));
  }
  rlimit files{};
  int max_fd = 65536;
  if (getrlimit(RLIMIT_NOFILE, &files) == 0 &&
      files.rlim_cur != RLIM_INFINITY &&
      files.rlim_cur < static_cast<rlim_t>(max_fd)) {
    max_fd = static_cast<int>(files.rlim_cur);
  }
  const pid_t parent = getpid();
  static const char kExecFailed[] = "system test: execve failed\n";

  const pid_t pid = fork();
  if (pid < 0) {
    close(log_fd);
    close(null_fd);
    return absl::InternalError(ErrnoText("fork"));
  }
  if (pid == 0) {
    // Child: die with the test process, start with default signal handling
    // and an empty mask (the binary sets up its own), then exec.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(126);
    struct sigaction default_action {};
    default_action.sa_handler = SIG_DFL;
    for (int signal_number : {SIGPIPE, SIGTERM, SIGINT, SIGHUP, SIGCHLD}) {
      sigaction(signal_number, &default_action, nullptr);
    }
    sigset_t empty;
    sigemptyset(&empty);
    sigprocmask(SIG_SETMASK, &empty, nullptr);
    dup2(null_fd, STDIN_FILENO);
    dup2(log_fd, STDOUT_FILENO);
    dup2(log_fd, STDERR_FILENO);
    CloseInheritedDescriptors(max_fd);
    execve(argv[0], argv.data(), envp.data());
    ssize_t ignored =
        write(STDERR_FILENO, kExecFailed, sizeof(kExecFailed) - 1);
    (void)ignored;
    _exit(127);
  }
  close(log_fd);
  close(null_fd);
  pid_ = pid;
  return absl::OkStatus();
}

bool ChildProcess::Reap(bool block) {
  if (!started()) return false;
  if (status_.has_value()) return true;
  int raw = 0;
  pid_t got;
  do {
    got = waitpid(pid_, &raw, block ? 0 : WNOHANG);
  } while (got < 0 && errno == EINTR);
  if (got != pid_) return false;
  ExitStatus status;
  if (WIFEXITED(raw)) {
    status.exited = true;
    status.code = WEXITSTATUS(raw);
  } else if (WIFSIGNALED(raw)) {
    status.signal = WTERMSIG(raw);
  }
  status_ = status;
  return true;
}

bool ChildProcess::Running() { return started() && !Reap(/*block=*/false); }

bool ChildProcess::Signal(int signal) {
  // Not yet reaped means the pid still names our child (at worst a zombie),
  // so it cannot have been reused by another process.
  if (!Running()) return false;
  return kill(pid_, signal) == 0;
}

std::optional<ExitStatus> ChildProcess::WaitForExit(absl::Duration timeout) {
  if (!started()) return std::nullopt;
  const absl::Time deadline = absl::Now() + timeout;
  while (!Reap(/*block=*/false)) {
    if (absl::Now() >= deadline) return std::nullopt;
    absl::SleepFor(kReapPoll);
  }
  return status_;
}

ExitStatus ChildProcess::Kill() {
  if (!started()) return ExitStatus{};
  if (!status_.has_value()) {
    kill(pid_, SIGKILL);
    Reap(/*block=*/true);
  }
  return status_.value_or(ExitStatus{});
}

std::string ChildProcess::ReadLog() const { return ReadFileOrEmpty(log_path_); }

std::string ReadFileOrEmpty(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string LastLines(const std::string& text, int max_lines) {
  std::vector<absl::string_view> lines =
      absl::StrSplit(text, '\n', absl::SkipEmpty());
  const size_t first = lines.size() > static_cast<size_t>(max_lines)
                           ? lines.size() - max_lines
                           : 0;
  return absl::StrJoin(lines.begin() + first, lines.end(), "\n");
}

// -------------------------------------------------------- MembershipProcess

std::string MembershipProcess::BinaryPath() {
  return absl::StrCat(BuildDir(), "/services/membership/unionhub-membership");
}

MembershipProcess::MembershipProcess(Options options)
    : options_(std::move(options)) {}

MembershipProcess::~MembershipProcess() {
  health_stub_.reset();
  health_channel_.reset();
  if (process_ != nullptr) process_->Kill();
}

std::string MembershipProcess::target() const {
  return absl::StrCat("127.0.0.1:", port_);
}

std::map<std::string, std::string> ServiceSecurityEnvironment() {
  const std::string dir = SecretsDir();
  auto trimmed = [](std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
      text.pop_back();
    }
    return text;
  };
  return {
      {"UNIONHUB_TLS_CERT_FILE", dir + "/server.pem"},
      {"UNIONHUB_TLS_KEY_FILE", dir + "/server.key"},
      {"UNIONHUB_TLS_CLIENT_CA_FILE", dir + "/ca.pem"},
      {"UNIONHUB_JWT_PUBLIC_KEY_FILE", dir + "/jwt-public.pem"},
      {"UNIONHUB_JWT_ISSUER", "unionhub-dev"},
      {"UNIONHUB_JWT_AUDIENCE", "unionhub"},
      {"UNIONHUB_PII_KEYS", trimmed(ReadSecret("pii-keys"))},
      {"UNIONHUB_PII_ACTIVE_KEY_ID", "1"},
      {"UNIONHUB_PII_HMAC_KEY", trimmed(ReadSecret("pii-hmac-key"))},
      // Read by finance only (other services have no such flag).
      {"UNIONHUB_LEDGER_HMAC_KEY", trimmed(ReadSecret("ledger-hmac-key"))},
  };
}

std::shared_ptr<grpc::Channel> MembershipProcess::NewChannel(
    const std::string& token) const {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 500);
  // Import responses list every row.
  args.SetMaxReceiveMessageSize(64 << 20);
  // A channel of its own (no subchannel shared with other channels), so a
  // test's channels do not interfere with each other.
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  return grpc::CreateCustomChannel(target(), TestChannelCredentials(token),
                                   args);
}

absl::Status MembershipProcess::Start() {
  if (process_ != nullptr && process_->Running()) {
    return absl::FailedPreconditionError("already running");
  }
  if (!options_.keep_port || port_ == 0) port_ = FreePort();
  const std::string binary =
      options_.binary.empty() ? BinaryPath() : options_.binary;
  if (options_.own_db_account && account_ == nullptr) {
    absl::StatusOr<std::unique_ptr<ServiceDbAccount>> account =
        ServiceDbAccount::Create(options_.db);
    if (!account.ok()) return account.status();
    absl::Status granted = (*account)->MigrateAndGrant(
        binary,
        absl::StrCat(options_.log_dir, "/", options_.name, "-migrate.log"));
    if (!granted.ok()) return granted;
    account_ = std::move(*account);
  }
  const db::DbConfig& db =
      account_ != nullptr ? account_->config() : options_.db;
  ++starts_;
  const std::string log_path =
      absl::StrCat(options_.log_dir, "/", options_.name, "-", starts_, ".log");
  std::vector<std::string> args = {
      absl::StrCat("--listen=", target()),
      absl::StrCat("--db_uri=", db.uri),
      absl::StrCat("--db_user=", db.user),
      absl::StrCat("--db_schema=", db.schema),
      absl::StrCat("--db_pool_size=", options_.db_pool_size),
      absl::StrCat("--rpc_threads=", options_.rpc_threads),
      absl::StrCat("--shutdown_grace_seconds=",
                   options_.shutdown_grace_seconds),
  };
  args.insert(args.end(), options_.extra_args.begin(),
              options_.extra_args.end());
  std::map<std::string, std::string> env = BaseEnvironment();
  // Secrets through the environment, as the flags' help recommends.
  env["UNIONHUB_DB_PASSWORD"] = db.password;
  for (auto& [name, value] : ServiceSecurityEnvironment()) env[name] = value;
  for (const auto& [name, value] : options_.extra_env) env[name] = value;
  health_stub_.reset();
  health_channel_.reset();
  process_ = std::make_unique<ChildProcess>(binary, std::move(args),
                                            std::move(env), log_path);
  return process_->Start();
}

absl::StatusOr<health::HealthCheckResponse::ServingStatus>
MembershipProcess::CheckHealth(absl::Duration deadline) {
  if (process_ == nullptr) return absl::FailedPreconditionError("not started");
  if (health_stub_ == nullptr) {
    health_channel_ = NewChannel("");
    health_stub_ = health::Health::NewStub(health_channel_);
  }
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + deadline));
  health::HealthCheckRequest request;
  request.set_service("");
  health::HealthCheckResponse response;
  grpc::Status status = health_stub_->Check(&context, request, &response);
  if (!status.ok()) {
    return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                        status.error_message());
  }
  return response.status();
}

absl::Status MembershipProcess::WaitUntilServingImpl(absl::Duration timeout,
                                                     bool* port_taken) {
  *port_taken = false;
  if (process_ == nullptr) return absl::FailedPreconditionError("not started");
  const absl::Time deadline = absl::Now() + timeout;
  std::string last = "no answer yet";
  bool listening = false;
  while (true) {
    if (!process_->Running()) {
      const std::string log = process_->ReadLog();
      *port_taken = absl::StrContains(log, "could not listen");
      return absl::AbortedError(
          absl::StrCat("the service ", process_->status()->ToString(),
                       " before it was SERVING; log ", process_->log_path(),
                       ":\n", LastLines(log, 30)));
    }
    // A gRPC channel whose first connection attempts are refused can stay
    // in TRANSIENT_FAILURE for seconds after the server listens, so the
    // probe channel is only made once a plain TCP connect succeeds.
    if (!listening) {
      listening = AcceptsConnections(port_);
      if (listening) {
        // No token: health checks (Kubernetes probes) are unauthenticated.
        health_channel_ = NewChannel("");
        health_stub_ = health::Health::NewStub(health_channel_);
      } else {
        last = "port not listening yet";
      }
    }
    if (listening) {
      absl::StatusOr<health::HealthCheckResponse::ServingStatus> serving =
          CheckHealth(absl::Seconds(1));
      if (serving.ok() && *serving == health::HealthCheckResponse::SERVING) {
        return absl::OkStatus();
      }
      last = serving.ok()
                 ? health::HealthCheckResponse::ServingStatus_Name(*serving)
                 : serving.status().ToString();
    }
    if (absl::Now() >= deadline) break;
    absl::SleepFor(absl::Milliseconds(50));
  }
  return absl::DeadlineExceededError(
      absl::StrCat("not SERVING after ", absl::FormatDuration(timeout),
                   " (last: ", last, "); log ", process_->log_path(), ":\n",
                   LastLines(process_->ReadLog(), 30)));
}

absl::Status MembershipProcess::WaitUntilServing(absl::Duration timeout) {
  bool port_taken = false;
  return WaitUntilServingImpl(timeout, &port_taken);
}

absl::Status MembershipProcess::StartAndWaitServing(absl::Duration timeout) {
  absl::Status status;
  for (int attempt = 0; attempt < 3; ++attempt) {
    status = Start();
    if (!status.ok()) return status;
    bool port_taken = false;
    status = WaitUntilServingImpl(timeout, &port_taken);
    if (status.ok() || !port_taken) return status;
  }
  return status;
}

std::string MembershipProcess::ReadLog() const {
  return process_ == nullptr ? "" : process_->ReadLog();
}

std::string MembershipProcess::log_path() const {
  return process_ == nullptr ? "" : process_->log_path();
}

}  // namespace unionhub::testing
