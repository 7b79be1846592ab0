#include "common/rpc/metrics.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor_database.h>
#include <prometheus/collectable.h>
#include <prometheus/counter.h>
#include <prometheus/exposer.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <array>
#include <condition_variable>
#include <exception>
#include <map>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "common/core/log.h"
#include "common/rpc/status.h"

#ifndef UNIONHUB_VERSION
#define UNIONHUB_VERSION "unknown"
#endif
#ifndef UNIONHUB_GIT_COMMIT
#define UNIONHUB_GIT_COMMIT "unknown"
#endif

namespace unionhub::rpc {
namespace {

using grpc::experimental::InterceptionHookPoints;
using grpc::experimental::ServerRpcInfo;
using prometheus::Histogram;

// Seconds; a unary call past 10 s is past every deadline we set.
const Histogram::BucketBoundaries& LatencyBuckets() {
  static const auto* const buckets = new Histogram::BucketBoundaries{
      0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  return *buckets;
}

// Waits for a connection: most take none, the acquire timeout is 10 s.
const Histogram::BucketBoundaries& PoolWaitBuckets() {
  static const auto* const buckets = new Histogram::BucketBoundaries{
      0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10};
  return *buckets;
}

constexpr int kCodes = 17;  // grpc::StatusCode OK .. UNAUTHENTICATED

// "/pkg.Service/Method" when the method is compiled into this binary, else
// "unknown": the label set stays bounded whatever names callers send.
std::string MethodLabel(const char* method) {
  absl::string_view name(method == nullptr ? "" : method);
  absl::ConsumePrefix(&name, "/");
  const std::string dotted = absl::StrReplaceAll(name, {{"/", "."}});
  if (name.empty() ||
      google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(
          dotted) == nullptr) {
    return "unknown";
  }
  return std::string(name);
}

}  // namespace

BuildInfo CompiledBuildInfo() {
  return {UNIONHUB_VERSION, UNIONHUB_GIT_COMMIT};
}

void ImportRowCounters::Add(int64_t accepted, int64_t rejected,
                            int64_t suspense) const {
  if (accepted_ != nullptr && accepted > 0) accepted_->Increment(accepted);
  if (rejected_ != nullptr && rejected > 0) rejected_->Increment(rejected);
  if (suspense_ != nullptr && suspense > 0) suspense_->Increment(suspense);
}

// Everything the interceptors, the exposer and the refresher share; the
// interceptors hold it too, so a call ending late still finds it.
struct Metrics::State : public prometheus::Collectable {
  explicit State(const std::string& service)
      : registry(std::make_shared<prometheus::Registry>()),
        labels{{"service", service}},
        requests(prometheus::BuildCounter()
                     .Name("unionhub_rpc_requests_total")
                     .Help("RPCs finished, by method and gRPC status code "
                           "(streams count once, when they end)")
                     .Labels(labels)
                     .Register(*registry)),
        latency(prometheus::BuildHistogram()
                    .Name("unionhub_rpc_duration_seconds")
                    .Help("Latency of unary RPCs until the status is sent")
                    .Labels(labels)
                    .Register(*registry)),
        in_flight(prometheus::BuildGauge()
                      .Name("unionhub_rpc_in_flight")
                      .Help("Unary RPCs being served")
                      .Labels(labels)
                      .Register(*registry)
                      .Add({})),
        open_streams(prometheus::BuildGauge()
                         .Name("unionhub_rpc_open_streams")
                         .Help("Streaming RPCs open")
                         .Labels(labels)
                         .Register(*registry)
                         .Add({})) {}

  std::vector<prometheus::MetricFamily> Collect() const override {
    std::vector<std::function<void()>> hooks;
    {
      std::lock_guard<std::mutex> lock(mu);
      hooks = scrape_hooks;
    }
    for (const auto& hook : hooks) hook();
    return registry->Collect();
  }

  prometheus::Gauge& NewGauge(const std::string& name, const std::string& help,
                              const std::map<std::string, std::string>& more) {
    std::lock_guard<std::mutex> lock(families_mu);
    auto it = gauge_families.find(name);
    if (it == gauge_families.end()) {
      it = gauge_families
               .emplace(name, &prometheus::BuildGauge()
                                   .Name(name)
                                   .Help(help)
                                   .Labels(labels)
                                   .Register(*registry))
               .first;
    }
    return it->second->Add(more);
  }

  struct MethodSeries {
    std::string label;
    std::array<prometheus::Counter*, kCodes> by_code{};
    prometheus::Histogram* latency = nullptr;
  };

  // The series of `label`, created with code OK and the latency histogram.
  MethodSeries& Method(const std::string& label) {
    std::lock_guard<std::mutex> lock(methods_mu);
    return MethodLocked(label);
  }

  MethodSeries& MethodLocked(const std::string& label) {
    auto it = methods.find(label);
    if (it == methods.end()) {
      it = methods.emplace(label, MethodSeries{}).first;
      it->second.label = label;
      it->second.latency = &latency.Add({{"method", label}}, LatencyBuckets());
      it->second.by_code[0] =
          &requests.Add({{"method", label}, {"code", "OK"}});
    }
    return it->second;
  }

  // The series of the method a call names (as gRPC gives it); names not
  // compiled into the binary all share "unknown" and are not remembered.
  MethodSeries& ForCall(const char* method) {
    const std::string name(method == nullptr ? "" : method);
    std::lock_guard<std::mutex> lock(methods_mu);
    auto known = by_call_name.find(name);
    if (known != by_call_name.end()) return *known->second;
    const std::string label = MethodLabel(method);
    MethodSeries& series = MethodLocked(label);
    if (label != "unknown") by_call_name.emplace(name, &series);
    return series;
  }

  void Count(MethodSeries& series, grpc::StatusCode code) {
    const int index = static_cast<int>(code);
    if (index < 0 || index >= kCodes) return;
    prometheus::Counter* counter = nullptr;
    {
      std::lock_guard<std::mutex> lock(methods_mu);
      if (series.by_code[index] == nullptr) {
        series.by_code[index] = &requests.Add(
            {{"method", series.label}, {"code", StatusCodeName(code)}});
      }
      counter = series.by_code[index];
    }
    counter->Increment();
  }

  std::shared_ptr<prometheus::Registry> registry;
  const std::map<std::string, std::string> labels;
  prometheus::Family<prometheus::Counter>& requests;
  prometheus::Family<prometheus::Histogram>& latency;
  prometheus::Gauge& in_flight;
  prometheus::Gauge& open_streams;

  std::mutex families_mu;
  std::map<std::string, prometheus::Family<prometheus::Gauge>*> gauge_families;
  std::mutex methods_mu;
  std::unordered_map<std::string, MethodSeries> methods;  // by label
  std::unordered_map<std::string, MethodSeries*> by_call_name;

  mutable std::mutex mu;
  std::vector<std::function<void()>> scrape_hooks;
  std::vector<std::function<void()>> refresh_hooks;
  db::Pool* pool = nullptr;
  bool refresher_stopping = false;
  std::condition_variable refresher_wake;
  std::mutex refresh_run_mu;  // one refresh at a time
};

namespace {

class MetricsInterceptor : public grpc::experimental::Interceptor {
 public:
  MetricsInterceptor(std::shared_ptr<Metrics::State> state, ServerRpcInfo* info)
      : state_(std::move(state)),
        series_(state_->ForCall(info->method())),
        unary_(info->type() == ServerRpcInfo::Type::UNARY),
        start_(absl::Now()) {
    (unary_ ? state_->in_flight : state_->open_streams).Increment();
  }

  // A call that ended without a status of ours (the client went away, the
  // server shut down) counts as CANCELLED.
  ~MetricsInterceptor() override {
    if (!recorded_) Record(grpc::StatusCode::CANCELLED);
  }

  void Intercept(
      grpc::experimental::InterceptorBatchMethods* methods) override {
    if (!recorded_ && methods->QueryInterceptionHookPoint(
                          InterceptionHookPoints::PRE_SEND_STATUS)) {
      Record(methods->GetSendStatus().error_code());
    }
    methods->Proceed();
  }

 private:
  // Once the status goes out the call is no longer in flight: the client
  // may see its answer before the server has cleaned up after it.
  void Record(grpc::StatusCode code) {
    recorded_ = true;
    (unary_ ? state_->in_flight : state_->open_streams).Decrement();
    state_->Count(series_, code);
    // Streams last as long as their callers keep them (WatchEvents for up
    // to an hour): their durations would swamp the unary percentiles.
    if (unary_) {
      series_.latency->Observe(absl::ToDoubleSeconds(absl::Now() - start_));
    }
  }

  std::shared_ptr<Metrics::State> state_;
  Metrics::State::MethodSeries& series_;
  const bool unary_;
  const absl::Time start_;
  bool recorded_ = false;
};

class MetricsInterceptorFactory
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit MetricsInterceptorFactory(std::shared_ptr<Metrics::State> state)
      : state_(std::move(state)) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      ServerRpcInfo* info) override {
    return new MetricsInterceptor(state_, info);
  }

 private:
  std::shared_ptr<Metrics::State> state_;
};

}  // namespace

Metrics::Metrics(std::string service, BuildInfo build)
    : service_(std::move(service)), state_(std::make_shared<State>(service_)) {
  state_
      ->NewGauge(
          "unionhub_build_info",
          "1, labelled with the build's version and git commit",
          {{"version", build.version.empty() ? "unknown" : build.version},
           {"git_commit",
            build.git_commit.empty() ? "unknown" : build.git_commit}})
      .Set(1);
}

Metrics::~Metrics() { Shutdown(); }

prometheus::Registry& Metrics::registry() { return *state_->registry; }

absl::StatusOr<int> Metrics::Serve(const std::string& listen) {
  try {
    auto exposer = std::make_unique<prometheus::Exposer>(listen, 2);
    exposer->RegisterCollectable(state_);
    const std::vector<int> ports = exposer->GetListeningPorts();
    if (ports.empty()) throw std::runtime_error("no port");
    port_ = ports.front();
    std::lock_guard<std::mutex> lock(exposer_mu_);
    exposer_ = std::move(exposer);
  } catch (const std::exception&) {
    return absl::UnavailableError(
        absl::StrCat("could not serve metrics on ", listen));
  }
  return port_;
}

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
Metrics::InterceptorFactory() {
  return std::make_unique<MetricsInterceptorFactory>(state_);
}

void Metrics::PrecreateMethods(const std::vector<std::string>& file_prefixes) {
  // The generated database lists every .proto compiled into the binary;
  // the pool then gives each one's services.
  std::vector<std::string> files;
  google::protobuf::DescriptorPool::internal_generated_database()
      ->FindAllFileNames(&files);
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  for (const std::string& name : files) {
    bool wanted = false;
    for (const std::string& prefix : file_prefixes) {
      wanted = wanted || absl::StartsWith(name, prefix);
    }
    if (!wanted) continue;
    const google::protobuf::FileDescriptor* file = pool->FindFileByName(name);
    if (file == nullptr) continue;
    for (int s = 0; s < file->service_count(); ++s) {
      const google::protobuf::ServiceDescriptor* service = file->service(s);
      for (int m = 0; m < service->method_count(); ++m) {
        state_->Method(absl::StrCat(service->full_name(), "/",
                                    service->method(m)->name()));
      }
    }
  }
}

void Metrics::TrackPool(db::Pool& pool) {
  prometheus::Histogram& wait =
      prometheus::BuildHistogram()
          .Name("unionhub_db_pool_wait_seconds")
          .Help("Time callers waited for a database connection")
          .Labels(state_->labels)
          .Register(*state_->registry)
          .Add({}, PoolWaitBuckets());
  prometheus::Counter& timeouts =
      prometheus::BuildCounter()
          .Name("unionhub_db_pool_acquire_timeouts_total")
          .Help("Waits for a database connection that gave up")
          .Labels(state_->labels)
          .Register(*state_->registry)
          .Add({});
  pool.SetAcquireObserver([&wait, &timeouts](absl::Duration waited, bool got) {
    wait.Observe(absl::ToDoubleSeconds(waited));
    if (!got) timeouts.Increment();
  });
  auto& size =
      Gauge("unionhub_db_pool_size", "Database connections the pool may open");
  auto& open =
      Gauge("unionhub_db_pool_open_connections", "Database connections open");
  auto& in_use =
      Gauge("unionhub_db_pool_in_use", "Database connections handed out");
  auto& waiting = Gauge("unionhub_db_pool_waiters",
                        "Callers waiting for a database connection");
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    state_->pool = &pool;
  }
  OnScrape([state = state_.get(), &size, &open, &in_use, &waiting] {
    // Held through the reading so DetachPool waits for it.
    std::lock_guard<std::mutex> lock(state->mu);
    if (state->pool == nullptr) return;
    const db::Pool::Stats stats = state->pool->GetStats();
    size.Set(stats.size);
    open.Set(stats.open);
    in_use.Set(stats.in_use);
    waiting.Set(stats.waiting);
  });
}

void Metrics::DetachPool() {
  std::lock_guard<std::mutex> lock(state_->mu);
  if (state_->pool != nullptr) state_->pool->SetAcquireObserver({});
  state_->pool = nullptr;
}

void Metrics::TrackMigrations(db::Pool& pool,
                              const std::vector<db::MigrationFile>& files) {
  const std::string schema = pool.config().schema;
  const db::AppliedVersions expected = db::NewestVersions(files);
  // [0]: the service's own files, [1]: CommonMigrations().
  std::array<prometheus::Gauge*, 2> applied{};
  const std::array<std::pair<const char*, int>, 2> sets = {
      std::make_pair("service", expected.service),
      std::make_pair("common", expected.common)};
  for (size_t i = 0; i < sets.size(); ++i) {
    const std::map<std::string, std::string> labels{{"schema", schema},
                                                    {"set", sets[i].first}};
    applied[i] = &state_->NewGauge(
        "unionhub_db_migration_version",
        "Newest schema migration recorded in the database", labels);
    state_
        ->NewGauge("unionhub_db_migration_expected_version",
                   "Newest schema migration this binary carries", labels)
        .Set(sets[i].second);
  }
  AddRefresh([&pool, applied] {
    absl::StatusOr<db::AppliedVersions> read =
        db::AppliedMigrationVersions(pool);
    if (!read.ok()) return;  // kept as last read; the pool logs why
    applied[0]->Set(read->service);
    applied[1]->Set(read->common);
  });
}

void Metrics::TrackFeed(const std::string& feed,
                        std::function<FeedLag()> read) {
  const std::map<std::string, std::string> label{{"feed", feed}};
  auto& applied =
      state_->NewGauge("unionhub_feed_applied_sequence",
                       "Sequence of the last change-feed event applied", label);
  auto& head = state_->NewGauge(
      "unionhub_feed_head_sequence",
      "Newest change-feed sequence membership has reported", label);
  auto& events = state_->NewGauge(
      "unionhub_feed_lag_events",
      "Change-feed events membership has that are not applied yet", label);
  auto& seconds = state_->NewGauge(
      "unionhub_feed_lag_seconds",
      "Age of the oldest change-feed event not applied yet (while "
      "disconnected: time since the feed was lost)",
      label);
  auto& connected =
      state_->NewGauge("unionhub_feed_connected",
                       "1 while the change-feed stream is open", label);
  OnScrape([=, &applied, &head, &events, &seconds, &connected] {
    const FeedLag lag = read();
    applied.Set(static_cast<double>(lag.applied_sequence));
    head.Set(static_cast<double>(lag.head_sequence));
    events.Set(static_cast<double>(lag.events_behind));
    seconds.Set(lag.seconds_behind);
    connected.Set(lag.connected ? 1 : 0);
  });
}

ImportRowCounters Metrics::ImportRows(const std::string& import) {
  auto& family = prometheus::BuildCounter()
                     .Name("unionhub_import_rows_total")
                     .Help(
                         "Rows of bulk imports, by import and outcome "
                         "(accepted, rejected, suspense)")
                     .Labels(state_->labels)
                     .Register(*state_->registry);
  return ImportRowCounters(
      &family.Add({{"import", import}, {"outcome", "accepted"}}),
      &family.Add({{"import", import}, {"outcome", "rejected"}}),
      &family.Add({{"import", import}, {"outcome", "suspense"}}));
}

prometheus::Gauge& Metrics::Gauge(const std::string& name,
                                  const std::string& help) {
  return state_->NewGauge(name, help, {});
}

void Metrics::OnScrape(std::function<void()> hook) {
  std::lock_guard<std::mutex> lock(state_->mu);
  state_->scrape_hooks.push_back(std::move(hook));
}

void Metrics::AddRefresh(std::function<void()> hook) {
  std::lock_guard<std::mutex> lock(state_->mu);
  state_->refresh_hooks.push_back(std::move(hook));
}

void Metrics::RefreshNow() {
  std::lock_guard<std::mutex> run(state_->refresh_run_mu);
  std::vector<std::function<void()>> hooks;
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    if (state_->refresher_stopping) return;
    hooks = state_->refresh_hooks;
  }
  for (const auto& hook : hooks) hook();
}

void Metrics::StartRefresher(absl::Duration interval) {
  if (refresher_.joinable()) return;
  refresher_ = std::thread([this, interval] {
    std::unique_lock<std::mutex> lock(state_->mu);
    while (!state_->refresher_stopping) {
      lock.unlock();
      RefreshNow();
      lock.lock();
      state_->refresher_wake.wait_for(
          lock, absl::ToChronoMilliseconds(interval),
          [this] { return state_->refresher_stopping; });
    }
  });
}

void Metrics::Shutdown() {
  std::unique_ptr<prometheus::Exposer> exposer;
  {
    std::lock_guard<std::mutex> lock(exposer_mu_);
    exposer = std::move(exposer_);
  }
  exposer.reset();  // waits for a scrape in progress
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    state_->refresher_stopping = true;
    state_->scrape_hooks.clear();
  }
  state_->refresher_wake.notify_all();
  if (refresher_.joinable()) refresher_.join();
  DetachPool();
}

}  // namespace unionhub::rpc
