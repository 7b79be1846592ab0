// Prometheus metrics of one service host: every series carries
// service="<component>", and the host serves them over plain HTTP at
// /metrics on --metrics_listen (prometheus-cpp's pull exposer; nothing else
// is served there). Names and labels are listed in README.md
// (Observability); the dashboard and alert rules in k8s/observability use
// them, and tests/service/metrics_test.cc checks they exist in a scrape.
//
// Three ways values get in:
//  - counters and histograms moved where things happen (the RPC
//    interceptor, the pool's acquire observer, imports);
//  - cheap readings of in-memory state taken at every scrape (pool
//    occupancy, the change feed's progress): OnScrape;
//  - readings that need the database (migration versions, the ledger's
//    seals), taken every refresh interval on the host's refresher thread
//    so a slow or absent database never stalls a scrape: AddRefresh.
#ifndef UNIONHUB_COMMON_RPC_METRICS_H_
#define UNIONHUB_COMMON_RPC_METRICS_H_

#include <grpcpp/grpcpp.h>
#include <grpcpp/support/server_interceptor.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/db/migrations.h"
#include "common/db/pool.h"

namespace prometheus {
class Counter;
class Exposer;
class Gauge;
class Registry;
}  // namespace prometheus

namespace unionhub::rpc {

// The rows one import took in, by outcome; a default-constructed one counts
// nothing (services built without a host, e.g. in unit tests).
class ImportRowCounters {
 public:
  ImportRowCounters() = default;
  ImportRowCounters(prometheus::Counter* accepted,
                    prometheus::Counter* rejected,
                    prometheus::Counter* suspense)
      : accepted_(accepted), rejected_(rejected), suspense_(suspense) {}
  // accepted: applied as sent; rejected: refused and not stored;
  // suspense: stored aside for a person to resolve.
  void Add(int64_t accepted, int64_t rejected, int64_t suspense) const;

 private:
  prometheus::Counter* accepted_ = nullptr;
  prometheus::Counter* rejected_ = nullptr;
  prometheus::Counter* suspense_ = nullptr;
};

// How far a change-feed follower is behind membership.
struct FeedLag {
  int64_t applied_sequence = 0;
  int64_t head_sequence = 0;  // the newest membership has reported
  int64_t events_behind = 0;
  double seconds_behind = 0;
  bool connected = false;
};

// What the build info series says; configure-time values by default.
struct BuildInfo {
  std::string version;
  std::string git_commit;
};
BuildInfo CompiledBuildInfo();

class Metrics {
 public:
  explicit Metrics(std::string service, BuildInfo build = CompiledBuildInfo());
  ~Metrics();  // stops the exposer and the refresher
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  const std::string& service() const { return service_; }
  prometheus::Registry& registry();

  // Serves /metrics on `listen` (host:port; port 0 picks one) over plain
  // HTTP. Returns the port. UNAVAILABLE when it cannot listen.
  absl::StatusOr<int> Serve(const std::string& listen);
  int port() const { return port_; }

  // Per-call metrics for every method of the server it is installed on.
  // Only methods compiled into this binary get their own label value
  // (anything else is "unknown"), so callers cannot grow the series.
  std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
  InterceptorFactory();
  // Creates at 0 the series (code OK, latency) of every method of the
  // proto services in files whose name starts with one of `file_prefixes`
  // (e.g. "unionhub/finance/"), so dashboards show every method before its
  // first call.
  void PrecreateMethods(const std::vector<std::string>& file_prefixes);

  // Pool size, occupancy and waits of `pool`, which must outlive this
  // object or be detached with DetachPool first.
  void TrackPool(db::Pool& pool);
  void DetachPool();

  // Applied and expected schema versions of `schema` (refreshed with the
  // other database readings).
  void TrackMigrations(db::Pool& pool,
                       const std::vector<db::MigrationFile>& files);

  // A follower of membership's change feed named `feed`; `read` is called
  // at every scrape and must be cheap.
  void TrackFeed(const std::string& feed, std::function<FeedLag()> read);

  // The rows counter of one import (e.g. "payroll_deductions"), created at
  // 0 for every outcome.
  ImportRowCounters ImportRows(const std::string& import);

  // A gauge of this service (service label set), created at 0.
  prometheus::Gauge& Gauge(const std::string& name, const std::string& help);

  // Called before every scrape; must be cheap and must not block.
  void OnScrape(std::function<void()> hook);
  // Called every refresh interval on the refresher thread (and once by
  // RefreshNow); may use the database.
  void AddRefresh(std::function<void()> hook);
  // Runs the refresh hooks now, on the caller's thread.
  void RefreshNow();
  // Starts the refresher thread (RefreshNow every `interval`).
  void StartRefresher(absl::Duration interval);
  // Stops serving /metrics and the refresher and detaches the pool: after
  // it no hook runs, so what the hooks refer to may go away.
  void Shutdown();

  struct State;  // shared with the interceptors (metrics.cc)

 private:
  const std::string service_;
  std::shared_ptr<State> state_;
  std::mutex exposer_mu_;
  std::unique_ptr<prometheus::Exposer> exposer_;
  int port_ = 0;
  std::thread refresher_;
};

}  // namespace unionhub::rpc

#endif  // UNIONHUB_COMMON_RPC_METRICS_H_
