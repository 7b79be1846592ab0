#include "common/rpc/service_host.h"

#include <malloc.h>

#include <algorithm>
#include <cstdlib>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/core/config.h"
#include "common/core/dates.h"
#include "common/core/log.h"
#include "common/db/grants.h"
#include "common/db/probe.h"
#include "common/rpc/audit_trail_service.h"
#include "common/rpc/fault_hook.h"
#include "common/rpc/security_flags.h"
#include "common/rpc/tls.h"

// Empty defaults below mean "the service's own" (ServiceSpec).
ABSL_FLAG(std::string, listen, "",
          "address:port to serve on (default: the service's own port)");
ABSL_FLAG(std::string, health_listen, "",
          "also serve grpc.health.v1.Health, and nothing else, in plaintext "
          "on this address:port (for probes that speak no TLS, e.g. "
          "Kubernetes' gRPC probes; service \"liveness\" is SERVING while "
          "the process runs); empty: none");
ABSL_FLAG(std::string, metrics_listen, "",
          "serve Prometheus metrics over plain HTTP at /metrics (and "
          "nothing else) on this address:port, e.g. 0.0.0.0:9464; empty: "
          "none");
ABSL_FLAG(std::string, db_uri, "tcp://127.0.0.1:3306",
          "unix:///path/to/mysqld.sock or tcp://host:port");
ABSL_FLAG(std::string, db_user, "",
          "database user (default: unionhub_<service>)");
ABSL_FLAG(std::string, db_password, "", "database password (prefer the env)");
ABSL_FLAG(std::string, db_schema, "",
          "database schema (default: unionhub_<service>)");
ABSL_FLAG(int, db_pool_size, 16, "database connections");
ABSL_FLAG(int, rpc_threads, 32, "maximum threads serving RPCs");
ABSL_FLAG(int, shutdown_grace_seconds, 10,
          "time in-flight calls get to finish on SIGTERM");
ABSL_FLAG(int, shutdown_drain_seconds, 0,
          "on SIGTERM, time NOT_SERVING is announced before shutting down "
          "(give load balancers a few seconds in a cluster)");
ABSL_FLAG(bool, migrate_only, false,
          "apply the schema migrations and exit (run with an administrator "
          "account; see --grant_to)");
ABSL_FLAG(std::string, grant_to, "",
          "with --migrate_only: grant the service accounts USER@HOST[,...] "
          "exactly their privileges (db::GrantServiceUser)");
ABSL_FLAG(int, lease_ttl_seconds, 10,
          "singleton background work (feed consumers, the ledger sealer) "
          "runs on the replica holding its database lease; a lease not "
          "renewed for this long (its holder died) passes to another "
          "replica");
ABSL_FLAG(std::string, membership_address, "127.0.0.1:50051",
          "membership service: members, orgs and the change feed");
ABSL_FLAG(std::string, membership_ca_file, "",
          "CA of membership's server certificate");
ABSL_FLAG(std::string, membership_cert_file, "",
          "client certificate for mutual TLS to membership (optional)");
ABSL_FLAG(std::string, membership_key_file, "", "its private key");
ABSL_FLAG(std::string, membership_token_file, "",
          "file holding the bearer token (role service) for every peer; "
          "re-read on every call and reconnect");
ABSL_FLAG(std::string, finance_address, "127.0.0.1:50052",
          "finance service: dues standing for eligibility");
ABSL_FLAG(std::string, finance_ca_file, "",
          "CA of finance's server certificate (default: membership's)");
ABSL_FLAG(std::string, finance_cert_file, "",
          "client certificate for mutual TLS to finance (default: "
          "membership's)");
ABSL_FLAG(std::string, finance_key_file, "",
          "its private key (default: membership's)");
ABSL_FLAG(std::string, awards_address, "127.0.0.1:50053",
          "awards service (the web console's peer)");
ABSL_FLAG(std::string, awards_ca_file, "",
          "CA of awards' server certificate (default: membership's)");
ABSL_FLAG(std::string, awards_cert_file, "",
          "client certificate for mutual TLS to awards (default: "
          "membership's)");
ABSL_FLAG(std::string, awards_key_file, "",
          "its private key (default: membership's)");
ABSL_FLAG(int, peer_deadline_ms, 5000, "deadline of each call to a peer");
ABSL_FLAG(int, peer_attempts, 3,
          "attempts of a peer call while it answers UNAVAILABLE");
ABSL_FLAG(std::string, today, "",
          "pretend today is this YYYY-MM-DD (tests and demos only; default: "
          "the real date in China Standard Time)");

namespace unionhub::rpc {
namespace {

struct PeerFlags {
  absl::Flag<std::string>* address;
  absl::Flag<std::string>* ca_file;
  absl::Flag<std::string>* cert_file;
  absl::Flag<std::string>* key_file;
};

const std::map<std::string, PeerFlags>& KnownPeers() {
  static const auto* const peers = new std::map<std::string, PeerFlags>{
      {"membership",
       {&FLAGS_membership_address, &FLAGS_membership_ca_file,
        &FLAGS_membership_cert_file, &FLAGS_membership_key_file}},
      {"finance",
       {&FLAGS_finance_address, &FLAGS_finance_ca_file,
        &FLAGS_finance_cert_file, &FLAGS_finance_key_file}},
      {"awards",
       {&FLAGS_awards_address, &FLAGS_awards_ca_file, &FLAGS_awards_cert_file,
        &FLAGS_awards_key_file}},
  };
  return *peers;
}

}  // namespace

absl::StatusOr<PeerEndpoint> PeerFromFlags(const std::string& name) {
  auto known = KnownPeers().find(name);
  if (known == KnownPeers().end()) {
    return absl::InvalidArgumentError(
        absl::StrCat("no flags for a peer named ", name));
  }
  const PeerFlags& flags = known->second;
  const PeerFlags& fallback = KnownPeers().at("membership");
  auto get = [](absl::Flag<std::string>* own, absl::Flag<std::string>* shared) {
    std::string value = absl::GetFlag(*own);
    return value.empty() ? absl::GetFlag(*shared) : value;
  };
  PeerEndpoint peer;
  peer.target = absl::GetFlag(*flags.address);
  const std::string ca = get(flags.ca_file, fallback.ca_file);
  if (ca.empty()) {
    log::Warn("peer without TLS (no CA file)", {{"peer", name}});
    peer.credentials = grpc::InsecureChannelCredentials();
  } else {
    absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> credentials =
        ClientTlsCredentials({ca, get(flags.cert_file, fallback.cert_file),
                              get(flags.key_file, fallback.key_file)});
    if (!credentials.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(name, " TLS: ", credentials.status().message()));
    }
    peer.credentials = *credentials;
  }
  peer.token = [path = absl::GetFlag(FLAGS_membership_token_file)] {
    return auth::ReadTokenFile(path);
  };
  peer.deadline = absl::Milliseconds(absl::GetFlag(FLAGS_peer_deadline_ms));
  peer.attempts = absl::GetFlag(FLAGS_peer_attempts);
  return peer;
}

namespace {

// The parts of the configuration a migrate-only run does not need.
absl::Status LoadServingConfig(const ServiceSpec& spec,
                               ServiceHostConfig& config) {
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials =
      ServerCredentialsFromFlags();
  if (!credentials.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("TLS configuration: ", credentials.status().message()));
  }
  config.credentials = *credentials;
  absl::StatusOr<std::shared_ptr<const auth::TokenVerifier>> verifier =
      TokenVerifierFromFlags();
  if (!verifier.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("token configuration: ", verifier.status().message()));
  }
  config.verifier = *verifier;
  if (absl::Status pii = InstallPiiFromFlags(); !pii.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("personal-data keys: ", pii.message()));
  }
  for (const std::string& name : spec.peers) {
    absl::StatusOr<PeerEndpoint> peer = PeerFromFlags(name);
    if (!peer.ok()) return peer.status();
    config.peers[name] = *std::move(peer);
  }
  if (const std::string fixed = absl::GetFlag(FLAGS_today); !fixed.empty()) {
    absl::StatusOr<absl::CivilDay> day = dates::ParseDate(fixed);
    if (!day.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--today: ", day.status().message()));
    }
    log::Warn("the clock is fixed", {{"today", fixed}});
    auto clock = std::make_shared<SettableClock>();
    clock->SetToday(*day);
    config.clock = std::move(clock);
  }
  return absl::OkStatus();
}

// The system clock is a process-wide singleton: not owned.
std::shared_ptr<const Clock> OrSystemClock(std::shared_ptr<const Clock> clock) {
  if (clock != nullptr) return clock;
  return std::shared_ptr<const Clock>(std::shared_ptr<void>(),
                                      &SystemClock::Get());
}

std::string ReplicaIdOr(const std::string& configured) {
  return configured.empty() ? db::NewHolderId() : configured;
}

}  // namespace

std::unique_ptr<ServiceHost> ServiceHost::FromFlags(int argc, char** argv,
                                                    const ServiceSpec& spec) {
  BlockTerminationSignals();
  absl::SetFlag(&FLAGS_listen, spec.listen);
  absl::SetFlag(&FLAGS_db_user, absl::StrCat("unionhub_", spec.component));
  absl::SetFlag(&FLAGS_db_schema, absl::StrCat("unionhub_", spec.component));
  config::ParseFlags(argc, argv,
                     absl::StrCat(spec.description,
                                  " (flags may also be given as "
                                  "UNIONHUB_<FLAG> environment variables)"));
  log::SetComponent(spec.component);
  // Before anything touches the database: a release build refuses the
  // test-only fault hook's variable (fault_hook.h).
  if (absl::Status hooks = CheckFaultHooks(); !hooks.ok()) {
    log::Error("refusing to start", {{"error", std::string(hooks.message())}});
    return nullptr;
  }

  ServiceHostConfig config;
  config.component = spec.component;
  config.listen = absl::GetFlag(FLAGS_listen);
  config.health_listen = absl::GetFlag(FLAGS_health_listen);
  config.metrics_listen = absl::GetFlag(FLAGS_metrics_listen);
  config.db.uri = absl::GetFlag(FLAGS_db_uri);
  config.db.user = absl::GetFlag(FLAGS_db_user);
  config.db.password = absl::GetFlag(FLAGS_db_password);
  config.db.schema = absl::GetFlag(FLAGS_db_schema);
  config.db.pool_size = absl::GetFlag(FLAGS_db_pool_size);
  config.rpc_threads = absl::GetFlag(FLAGS_rpc_threads);
  config.streams = StreamLimitsFromFlags();
  config.shutdown_grace =
      absl::Seconds(absl::GetFlag(FLAGS_shutdown_grace_seconds));
  config.shutdown_drain =
      absl::Seconds(absl::GetFlag(FLAGS_shutdown_drain_seconds));
  if (spec.migrations != nullptr) config.migrations = spec.migrations();
  if (spec.append_only_tables != nullptr) {
    config.append_only_tables = spec.append_only_tables();
  }
  config.migrate_only = absl::GetFlag(FLAGS_migrate_only);
  config.grant_to = absl::GetFlag(FLAGS_grant_to);
  config.lease_ttl =
      absl::Seconds(std::max(1, absl::GetFlag(FLAGS_lease_ttl_seconds)));
  if (!config.migrate_only) {
    if (absl::Status loaded = LoadServingConfig(spec, config); !loaded.ok()) {
      log::Error("bad configuration; refusing to start",
                 {{"error", std::string(loaded.message())}});
      return nullptr;
    }
  }
  return std::make_unique<ServiceHost>(std::move(config));
}

ServiceHost::ServiceHost(ServiceHostConfig config)
    : config_(std::move(config)),
      own_pool_(std::make_unique<db::Pool>(config_.db)),
      pool_(own_pool_.get()),
      clock_(OrSystemClock(config_.clock)),
      replica_id_(ReplicaIdOr(config_.replica_id)) {
  InitMetrics();
}

ServiceHost::ServiceHost(ServiceHostConfig config, db::Pool& pool)
    : config_(std::move(config)),
      pool_(&pool),
      clock_(OrSystemClock(config_.clock)),
      replica_id_(ReplicaIdOr(config_.replica_id)) {
  InitMetrics();
}

void ServiceHost::InitMetrics() {
  metrics_ = std::make_unique<Metrics>(config_.component);
  metrics_->TrackPool(*pool_);
  if (!config_.migrations.empty()) {
    metrics_->TrackMigrations(*pool_, config_.migrations);
  }
  // The service's own API, the audit trail every service serves, health.
  metrics_->PrecreateMethods({absl::StrCat("unionhub/", config_.component, "/"),
                              "unionhub/common/v1/audit_trail.proto",
                              "grpc/health/v1/health.proto"});
}

ServiceHost::~ServiceHost() {
  Stop();
  // No scrape or refresh may run once the objects they read are gone.
  metrics_->Shutdown();
  // Newest first: a worker or service may refer to anything Own()ed
  // before it.
  while (!owned_.empty()) owned_.pop_back();
}

absl::StatusOr<PeerEndpoint> ServiceHost::Peer(absl::string_view name) const {
  auto found = config_.peers.find(std::string(name));
  if (found == config_.peers.end()) {
    return absl::FailedPreconditionError(
        absl::StrCat("no peer ", name, " is configured"));
  }
  return found->second;
}

void ServiceHost::AddService(grpc::Service* service) {
  services_.push_back(service);
}

absl::StatusOr<Gate*> ServiceHost::AddGate(ScopeResolver& resolver) {
  if (config_.verifier == nullptr) {
    return absl::FailedPreconditionError("the host has no token verifier");
  }
  Gate& gate = Emplace<Gate>(config_.verifier, resolver, *pool_);
  AddService(&Emplace<AuditTrailServiceImpl>(gate, *pool_));
  return &gate;
}

void ServiceHost::AddWorker(std::string name, std::function<void()> start,
                            std::function<void()> stop, WorkerOptions options) {
  if (options.singleton) {
    db::LeaseTiming timing;
    timing.ttl = config_.lease_ttl;
    auto& keeper =
        Emplace<db::LeaseKeeper>(*pool_, FenceFor(name), replica_id_, timing,
                                 std::move(start), std::move(stop));
    start = [&keeper] { keeper.Start(); };
    stop = [&keeper] { keeper.Stop(); };
  }
  workers_.push_back({std::move(name), std::move(start), std::move(stop)});
}

const db::Fence& ServiceHost::LeaseFence(const std::string& name) {
  return FenceFor(name);
}

db::Fence& ServiceHost::FenceFor(const std::string& name) {
  std::unique_ptr<db::Fence>& fence = fences_[name];
  if (fence == nullptr) fence = std::make_unique<db::Fence>(name);
  return *fence;
}

void ServiceHost::OnShutdown(std::function<void()> hook) {
  shutdown_hooks_.push_back(std::move(hook));
}

void ServiceHost::AddInterceptor(InterceptorFactoryMaker maker) {
  interceptors_.push_back(std::move(maker));
}

int ServiceHost::Fail(absl::string_view what,
                      const absl::Status& status) const {
  log::Error(what, {{"error", std::string(status.message())}});
  return 1;
}

int ServiceHost::MigrateOnly() {
  absl::Status done = db::MigrateAndGrant(
      *pool_, config_.migrations, config_.grant_to, config_.append_only_tables);
  return done.ok() ? 0 : Fail("migrate_only", done);
}

absl::Status ServiceHost::Start() {
  if (absl::Status migrated = Migrate(); !migrated.ok()) return migrated;
  return Serve();
}

absl::Status ServiceHost::Migrate() {
  if (config_.migrations.empty()) return absl::OkStatus();
  return db::ApplyMigrationsWhenReachable(*pool_, config_.migrations);
}

absl::Status ServiceHost::Serve() {
  ServerConfig server_config;
  server_config.listen = config_.listen;
  server_config.max_threads = config_.rpc_threads;
  server_config.streams = config_.streams;
  server_config.credentials = config_.credentials;
  server_config.interceptors = interceptors_;
  server_config.interceptors.push_back(
      [metrics = metrics_.get()] { return metrics->InterceptorFactory(); });
  absl::StatusOr<RunningServer> running = StartServer(server_config, services_);
  if (!running.ok()) return running.status();
  server_ = std::move(running->server);
  port_ = running->port;
  log::Info("listening",
            {{"address", config_.listen}, {"port", std::to_string(port_)}});
  if (!config_.health_listen.empty()) {
    absl::StatusOr<RunningServer> health =
        StartHealthOnlyServer(config_.health_listen);
    if (!health.ok()) return health.status();
    health_ = std::move(*health);
    health_port_ = health->port;
    log::Info("health only, plaintext",
              {{"address", config_.health_listen},
               {"port", std::to_string(health_port_)}});
  }
  if (!config_.metrics_listen.empty()) {
    absl::StatusOr<int> metrics = metrics_->Serve(config_.metrics_listen);
    if (!metrics.ok()) return metrics.status();
    metrics_port_ = *metrics;
    metrics_->StartRefresher(config_.metrics_refresh);
    log::Info("metrics, plaintext HTTP /metrics",
              {{"address", config_.metrics_listen},
               {"port", std::to_string(metrics_port_)}});
  }
  for (Worker& worker : workers_) worker.start();
  workers_running_ = true;
  return absl::OkStatus();
}

void ServiceHost::StopWork() {
  std::vector<std::function<void()>> hooks;
  hooks.swap(shutdown_hooks_);
  for (auto& hook : hooks) hook();
  if (workers_running_) {
    for (auto worker = workers_.rbegin(); worker != workers_.rend(); ++worker) {
      worker->stop();
    }
    workers_running_ = false;
  }
}

namespace {

// Bulk calls (imports, assessments) free hundreds of megabytes that glibc
// keeps for reuse rather than giving back: finance measured 292 MB after
// concurrent imports and assessments, 102 MB after a malloc_trim
// (docs/performance.md). Every few seconds, when more than
// kTrimAboveFreeBytes lie free in the heap, they are given back. The
// thread lives as long as the process.
constexpr size_t kTrimAboveFreeBytes = 32 << 20;
constexpr absl::Duration kTrimEvery = absl::Seconds(10);

void StartMemoryTrimmer() {
  std::thread([] {
    while (true) {
      absl::SleepFor(kTrimEvery);
      if (mallinfo2().fordblks > kTrimAboveFreeBytes) malloc_trim(0);
    }
  }).detach();
}

}  // namespace

int ServiceHost::Run() {
  // Debian's Abseil is built without NDEBUG, so every absl::Mutex (gRPC's
  // locks included) kept a lock-order graph for deadlock detection: about
  // 3% of membership's CPU under GetMember load (docs/performance.md).
  // Release builds of Abseil do not detect; tests (which do not Run()) do.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  // glibc gives threads that allocate at the same time arenas of their own
  // (up to 8 per core) and keeps what is freed in each: after concurrent
  // imports and assessments finance stayed at 345-390 MB it no longer used
  // (docs/performance.md). Two arenas keep that bounded; the environment's
  // MALLOC_ARENA_MAX, when set, still wins.
  if (std::getenv("MALLOC_ARENA_MAX") == nullptr) mallopt(M_ARENA_MAX, 2);
  StartMemoryTrimmer();
  // The operator (and the system tests) tell these two failures apart.
  if (absl::Status migrated = Migrate(); !migrated.ok()) {
    return Fail("migrations failed; refusing to start", migrated);
  }
  if (absl::Status serving = Serve(); !serving.ok()) {
    return Fail("cannot start", serving);
  }
  // Its own connection and short timeouts: a dead database shows within
  // about a second, even when every pooled connection is busy.
  db::Probe probe(pool_->config());
  ServeUntilSignal(
      *server_, [&probe] { return probe.Check().ok(); }, config_.shutdown_grace,
      [this] { StopWork(); }, config_.shutdown_drain, health_.server.get());
  stopped_ = true;
  return 0;
}

void ServiceHost::SetServing(bool serving) {
  if (server_) rpc::SetServing(*server_, serving);
  if (health_.server) rpc::SetServing(*health_.server, serving);
}

void ServiceHost::Stop(absl::Duration grace) {
  if (stopped_) return;
  stopped_ = true;
  StopWork();
  if (server_) {
    server_->Shutdown(std::chrono::system_clock::now() +
                      absl::ToChronoMilliseconds(grace));
    server_->Wait();
  }
  if (health_.server) {
    health_.server->Shutdown(std::chrono::system_clock::now());
    health_.server->Wait();
  }
}

}  // namespace unionhub::rpc
