// The one host every service runs in: server, database, security and peer
// configuration (flags with UNIONHUB_<FLAG> environment fallbacks), the
// connection pool, migrations (--migrate_only --grant_to), TLS, the token
// verifier, personal-data keys, stream limits, health, reflection, logging,
// graceful shutdown with drain, and background workers. A service adds its
// object graph with one Register<Service>(host, deps) function, which both
// its main.cc and its test fixture call, so tests run production's wiring:
//
//   auto host = rpc::ServiceHost::FromFlags(argc, argv, membership::Spec());
//   if (host == nullptr) return 1;
//   if (host->migrate_only()) return host->MigrateOnly();
//   absl::Status wired = membership::RegisterMembership(*host, {});
//   return wired.ok() ? host->Run() : host->Fail("wiring", wired);
//
// Tests build a host from a ServiceHostConfig (no flags) on their own
// database pool, call Start() and Stop() themselves.
#ifndef UNIONHUB_COMMON_RPC_SERVICE_HOST_H_
#define UNIONHUB_COMMON_RPC_SERVICE_HOST_H_

#include <grpcpp/grpcpp.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/auth/jwt.h"
#include "common/core/clock.h"
#include "common/db/lease.h"
#include "common/db/migrations.h"
#include "common/db/pool.h"
#include "common/rpc/gate.h"
#include "common/rpc/metrics.h"
#include "common/rpc/server.h"

namespace unionhub::rpc {

// What differs between services' hosts. An ABSL_FLAG has one default, so
// the service's own defaults for --listen, --db_user and --db_schema
// (unionhub_<component>) come from here (a flag or UNIONHUB_<FLAG> still
// overrides them).
struct ServiceSpec {
  std::string component;    // log component, e.g. "finance"
  std::string description;  // first line of --help
  std::string listen;       // default --listen
  const std::vector<db::MigrationFile>& (*migrations)() = nullptr;
  // Tables the service's user may only SELECT and INSERT (--grant_to).
  const std::vector<std::string>& (*append_only_tables)() = nullptr;
  // Peers whose --<peer>_address/_ca_file/_cert_file/_key_file flags this
  // service reads (e.g. {"membership", "finance"}).
  std::vector<std::string> peers;
};

// How a service reaches a peer service.
struct PeerEndpoint {
  std::string target;  // host:port
  std::shared_ptr<grpc::ChannelCredentials> credentials;
  // The bearer token (role "service"), asked for on every call or
  // reconnect so a rotated token file is picked up.
  std::function<std::string()> token;
  absl::Duration deadline = absl::Seconds(5);  // per attempt of a unary call
  int attempts = 3;  // of a unary call while the peer is UNAVAILABLE
};

// A peer's endpoint from its --<peer>_address/_ca_file/_cert_file/_key_file
// flags ("membership", "finance" or "awards"); TLS files it leaves empty
// default to membership's, so one client certificate serves every peer.
// For binaries without a ServiceHost too (the web console), after
// config::ParseFlags.
absl::StatusOr<PeerEndpoint> PeerFromFlags(const std::string& name);

// Everything FromFlags reads, as a plain struct for tests.
struct ServiceHostConfig {
  std::string component;
  std::string listen = "127.0.0.1:0";
  // --health_listen: a plaintext health-only server (StartHealthOnlyServer);
  // empty: none.
  std::string health_listen;
  // --metrics_listen: Prometheus metrics over plain HTTP at /metrics
  // (common/rpc/metrics.h); empty: not served.
  std::string metrics_listen;
  // How often the metrics read the database (migration versions, ...).
  absl::Duration metrics_refresh = absl::Seconds(15);
  db::DbConfig db;  // ignored when the host borrows a pool
  int rpc_threads = 32;
  StreamLimitsConfig streams;
  absl::Duration shutdown_grace = absl::Seconds(10);
  absl::Duration shutdown_drain = absl::ZeroDuration();
  std::shared_ptr<grpc::ServerCredentials> credentials;  // plaintext if null
  std::shared_ptr<const auth::TokenVerifier> verifier;
  // Applied by Start() (when reachable); empty: the schema is ready.
  std::vector<db::MigrationFile> migrations;
  std::vector<std::string> append_only_tables;  // for MigrateOnly
  std::map<std::string, PeerEndpoint> peers;
  // The service's clock; the system clock when null.
  std::shared_ptr<const Clock> clock;
  bool migrate_only = false;
  std::string grant_to;
  // This replica's name in the leases table; empty: db::NewHolderId().
  std::string replica_id;
  // Singleton workers' leases (AddWorker): how long one outlives its last
  // renewal, so how soon another replica takes over from a dead holder.
  absl::Duration lease_ttl = absl::Seconds(10);
};

struct WorkerOptions {
  // Run the worker on one replica at a time: only while this replica holds
  // the database lease named after the worker (db::LeaseKeeper), renewed
  // in the background; stopped as soon as it is lost. The worker checks
  // LeaseFence(name) in each of its transactions.
  bool singleton = false;
};

class ServiceHost {
 public:
  // Parses the command line (and UNIONHUB_<FLAG> fallbacks) for `spec`,
  // sets the log component, opens the pool and, unless --migrate_only,
  // loads TLS, the token verifier, personal-data keys, peers and --today.
  // Logs the problem and returns null when the configuration is bad.
  static std::unique_ptr<ServiceHost> FromFlags(int argc, char** argv,
                                                const ServiceSpec& spec);

  // A host on its own pool from `config.db`.
  explicit ServiceHost(ServiceHostConfig config);
  // A host on `pool`, which must outlive it (tests: the test database's).
  ServiceHost(ServiceHostConfig config, db::Pool& pool);
  ~ServiceHost();  // Stop()s, then destroys the object graph newest first
  ServiceHost(const ServiceHost&) = delete;
  ServiceHost& operator=(const ServiceHost&) = delete;

  db::Pool& pool() { return *pool_; }
  // The service's metrics (served on --metrics_listen when set).
  Metrics& metrics() { return *metrics_; }
  const Clock& clock() const { return *clock_; }
  const std::shared_ptr<const auth::TokenVerifier>& verifier() const {
    return config_.verifier;
  }
  // `injected` when given (a test's clock), else the host's.
  const Clock& ClockOr(const Clock* injected) const {
    return injected != nullptr ? *injected : *clock_;
  }
  const ServiceHostConfig& config() const { return config_; }
  // The peer's endpoint, or FAILED_PRECONDITION when none is configured.
  absl::StatusOr<PeerEndpoint> Peer(absl::string_view name) const;

  // --- wiring (before Start) ---

  // Keeps `object` alive as long as the host; objects are destroyed in
  // reverse order of Own, so later ones may refer to earlier ones.
  template <typename T>
  T& Own(std::unique_ptr<T> object) {
    T& ref = *object;
    owned_.push_back(std::shared_ptr<void>(std::move(object)));
    return ref;
  }
  template <typename T, typename... Args>
  T& Emplace(Args&&... args) {
    return Own(std::make_unique<T>(std::forward<Args>(args)...));
  }
  // Served by the server Start() builds (not owned; Own it too).
  void AddService(grpc::Service* service);
  // The authorisation gate over the host's token verifier and pool, with
  // the AuditTrailService that reads the records it writes; every service
  // has both. FAILED_PRECONDITION when the host has no verifier.
  absl::StatusOr<Gate*> AddGate(ScopeResolver& resolver);
  // Background work started once the server listens and stopped when
  // shutdown starts, in reverse order, before the pool goes away. A
  // singleton worker may start and stop many times as its lease comes and
  // goes: start must work again after stop.
  void AddWorker(std::string name, std::function<void()> start,
                 std::function<void()> stop, WorkerOptions options = {});
  // The fence of singleton worker `name`'s lease (owned by the host), to
  // hand to the worker before AddWorker: its token is set while this
  // replica holds the lease.
  const db::Fence& LeaseFence(const std::string& name);
  // This replica's holder id in the leases table.
  const std::string& replica_id() const { return replica_id_; }
  // Called when shutdown starts, before the workers stop and before
  // in-flight calls are given their grace (e.g. to end long-lived streams).
  void OnShutdown(std::function<void()> hook);
  // The metrics hook: `maker` is called once when Start() builds the
  // server, and its interceptors see every call after the stream limits
  // and the logging interceptor.
  void AddInterceptor(InterceptorFactoryMaker maker);

  // --- running ---

  bool migrate_only() const { return config_.migrate_only; }
  // --migrate_only: the migrations and (--grant_to) the service users'
  // grants; returns the process exit code.
  int MigrateOnly();

  // Applies the migrations, starts the server (health NOT_SERVING) and then
  // the workers.
  absl::Status Start();
  // Start(), then serve until SIGTERM/SIGINT with health following the
  // database; then drain, shutdown hooks, workers stopped, in-flight calls
  // given the grace. Returns the process exit code.
  int Run();
  // For tests: shutdown hooks, workers stopped, server shut down with
  // `grace`. Idempotent.
  void Stop(absl::Duration grace = absl::Seconds(2));

  grpc::Server* server() { return server_.get(); }
  int port() const { return port_; }
  // The health-only server's port (0 when there is none).
  int health_port() const { return health_port_; }
  // The metrics port (0 when they are not served).
  int metrics_port() const { return metrics_port_; }
  // Mirrors a health change onto the health-only server too.
  void SetServing(bool serving);

  // Logs `what` with the status's message and returns exit code 1.
  int Fail(absl::string_view what, const absl::Status& status) const;

 private:
  struct Worker {
    std::string name;
    std::function<void()> start;
    std::function<void()> stop;
  };

  void InitMetrics();
  absl::Status Migrate();
  db::Fence& FenceFor(const std::string& name);
  // Starts the server, then the workers.
  absl::Status Serve();
  void StopWork();

  ServiceHostConfig config_;
  std::unique_ptr<db::Pool> own_pool_;
  db::Pool* pool_;
  std::shared_ptr<const Clock> clock_;
  // Before owned_: the services' import counters live in its registry.
  std::unique_ptr<Metrics> metrics_;
  std::vector<std::shared_ptr<void>> owned_;
  std::vector<grpc::Service*> services_;
  std::vector<Worker> workers_;
  std::string replica_id_;
  std::map<std::string, std::unique_ptr<db::Fence>> fences_;
  std::vector<std::function<void()>> shutdown_hooks_;
  std::vector<InterceptorFactoryMaker> interceptors_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  RunningServer health_;  // --health_listen; its server is null when none
  int health_port_ = 0;
  int metrics_port_ = 0;
  bool workers_running_ = false;
  bool stopped_ = false;
};

}  // namespace unionhub::rpc

#endif  // UNIONHUB_COMMON_RPC_SERVICE_HOST_H_
