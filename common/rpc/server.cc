#include "common/rpc/server.h"

#include <grpcpp/ext/health_check_service_server_builder_option.h>
#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/impl/server_builder_option.h>
#include <grpcpp/impl/server_builder_plugin.h>
#include <grpcpp/resource_quota.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/core/log.h"
#include "common/rpc/logging_interceptor.h"
#include "grpc/health/v1/health.grpc.pb.h"

namespace unionhub::rpc {
namespace {

constexpr int kMaxReceiveBytes = 32 << 20;
// Import reports list every row; 64 MiB holds well over a million rows.
constexpr int kMaxSendBytes = 64 << 20;
// Threads waiting for calls while the server is idle.
constexpr int kMinPollers = 2;

// Process-wide builder plugins (server reflection) would add their services
// to every server; the health-only server carries nothing but health.
class WithoutPlugins : public grpc::ServerBuilderOption {
 public:
  void UpdateArguments(grpc::ChannelArguments*) override {}
  void UpdatePlugins(std::vector<std::unique_ptr<grpc::ServerBuilderPlugin>>*
                         plugins) override {
    plugins->clear();
  }
};

// The health-only server's statuses by service name ("" is the whole
// server), shared by the Health service it serves and the interface
// SetServing drives. gRPC's default health service needs other methods on
// the server to start, and the health-only server has none.
class HealthStatuses {
 public:
  HealthStatuses() { serving_[""] = false; }
  void Set(const std::string& name, bool serving) {
    std::lock_guard<std::mutex> lock(mu_);
    serving_[name] = serving && !shut_down_;
  }
  void SetAll(bool serving) {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& [name, value] : serving_) value = serving && !shut_down_;
  }
  void ShutDown() {
    std::lock_guard<std::mutex> lock(mu_);
    shut_down_ = true;
    for (auto& [name, value] : serving_) value = false;
  }
  // Null for a name never set.
  std::optional<bool> Get(const std::string& name) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = serving_.find(name);
    if (it == serving_.end()) return std::nullopt;
    return it->second;
  }

 private:
  std::mutex mu_;
  std::map<std::string, bool> serving_;
  bool shut_down_ = false;
};

class HealthOnlyService final : public grpc::health::v1::Health::Service {
 public:
  explicit HealthOnlyService(std::shared_ptr<HealthStatuses> statuses)
      : statuses_(std::move(statuses)) {}
  grpc::Status Check(grpc::ServerContext*,
                     const grpc::health::v1::HealthCheckRequest* request,
                     grpc::health::v1::HealthCheckResponse* response) override {
    std::optional<bool> serving = statuses_->Get(request->service());
    if (!serving.has_value()) {
      return grpc::Status(grpc::StatusCode::NOT_FOUND, "unknown service");
    }
    response->set_status(
        *serving ? grpc::health::v1::HealthCheckResponse::SERVING
                 : grpc::health::v1::HealthCheckResponse::NOT_SERVING);
    return grpc::Status::OK;
  }

 private:
  std::shared_ptr<HealthStatuses> statuses_;
};

class HealthOnlyControl final : public grpc::HealthCheckServiceInterface {
 public:
  explicit HealthOnlyControl(std::shared_ptr<HealthStatuses> statuses)
      : statuses_(std::move(statuses)) {}
  void SetServingStatus(const std::string& name, bool serving) override {
    statuses_->Set(name, serving);
  }
  void SetServingStatus(bool serving) override { statuses_->SetAll(serving); }
  void Shutdown() override { statuses_->ShutDown(); }

 private:
  std::shared_ptr<HealthStatuses> statuses_;
};

void EnableProcessWideServerFeatures() {
  static const bool initialised = [] {
    grpc::EnableDefaultHealthCheckService(true);
    grpc::reflection::InitProtoReflectionServerBuilderPlugin();
    return true;
  }();
  (void)initialised;
}

}  // namespace

void ConfigureServerThreads(grpc::ServerBuilder& builder, int max_threads) {
  grpc::ResourceQuota quota("unionhub-server");
  quota.SetMaxThreads(max_threads);
  builder.SetResourceQuota(quota);
  // gRPC's sync server keeps between 1 and 2 threads polling by default:
  // under concurrent calls a thread that finishes a call exits (more than 2
  // pollers) and the next call starts a new one (fewer than 1), a clone()
  // per 2.5 calls at 16 callers (docs/performance.md). Letting every thread
  // the quota allows go back to polling reuses them instead; the quota still
  // bounds how many there are.
  builder.SetSyncServerOption(
      grpc::ServerBuilder::SyncServerOption::MIN_POLLERS,
      std::min(kMinPollers, max_threads));
  builder.SetSyncServerOption(
      grpc::ServerBuilder::SyncServerOption::MAX_POLLERS, max_threads);
}

absl::StatusOr<RunningServer> StartServer(
    const ServerConfig& config, const std::vector<grpc::Service*>& services) {
  EnableProcessWideServerFeatures();

  absl::StatusOr<StreamLimitsConfig> stream_limits =
      ResolveStreamLimits(config.streams, config.max_threads);
  if (!stream_limits.ok()) return stream_limits.status();

  grpc::ServerBuilder builder;
  RunningServer running;
  builder.AddListeningPort(config.listen,
                           config.credentials
                               ? config.credentials
                               : grpc::InsecureServerCredentials(),
                           &running.port);
  ConfigureServerThreads(builder, config.max_threads);
  builder.SetMaxReceiveMessageSize(kMaxReceiveBytes);
  builder.SetMaxSendMessageSize(kMaxSendBytes);
  for (grpc::Service* service : services) builder.RegisterService(service);
  std::vector<
      std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
      interceptors;
  interceptors.push_back(
      StreamLimits::Create(*stream_limits)->InterceptorFactory());
  interceptors.push_back(std::make_unique<LoggingInterceptorFactory>());
  for (const InterceptorFactoryMaker& make : config.interceptors) {
    interceptors.push_back(make());
  }
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  running.server = builder.BuildAndStart();
  if (!running.server || running.port == 0) {
    return absl::UnavailableError(
        absl::StrCat("could not listen on ", config.listen));
  }
  SetServing(*running.server, false);
  return running;
}

absl::StatusOr<RunningServer> StartHealthOnlyServer(const std::string& listen) {
  EnableProcessWideServerFeatures();
  grpc::ServerBuilder builder;
  RunningServer running;
  builder.AddListeningPort(listen, grpc::InsecureServerCredentials(),
                           &running.port);
  builder.SetOption(std::make_unique<WithoutPlugins>());
  auto statuses = std::make_shared<HealthStatuses>();
  auto service = std::make_shared<HealthOnlyService>(statuses);
  builder.RegisterService(service.get());
  builder.SetOption(
      std::make_unique<grpc::HealthCheckServiceServerBuilderOption>(
          std::make_unique<HealthOnlyControl>(statuses)));
  running.keep_alive = service;
  grpc::ResourceQuota quota("unionhub-health");
  quota.SetMaxThreads(4);
  builder.SetResourceQuota(quota);
  running.server = builder.BuildAndStart();
  if (!running.server || running.port == 0) {
    return absl::UnavailableError(absl::StrCat("could not listen on ", listen));
  }
  SetServing(*running.server, false);
  return running;
}

void SetServing(grpc::Server& server, bool serving) {
  if (auto* health = server.GetHealthCheckService()) {
    health->SetServingStatus(serving);
    health->SetServingStatus(kLivenessService, true);
  }
}

void BlockTerminationSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

void WaitForTerminationSignal() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  int signal_number = 0;
  while (sigwait(&set, &signal_number) != 0) {
  }
  log::Info("shutting down", {{"signal", absl::StrCat(signal_number)}});
}

void ServeUntilSignal(grpc::Server& server, const std::function<bool()>& ready,
                      absl::Duration grace,
                      const std::function<void()>& on_shutdown_started,
                      absl::Duration drain, grpc::Server* health_only) {
  auto set_serving = [&](bool serving) {
    SetServing(server, serving);
    if (health_only != nullptr) SetServing(*health_only, serving);
  };
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  bool serving = false;
  while (true) {
    const bool now_ready = ready();
    if (now_ready != serving) {
      serving = now_ready;
      set_serving(serving);
      log::Info(serving ? "serving" : "not serving (database unreachable)");
    }
    // Once a second either way: a database that died is NOT_SERVING within
    // about a second even when no call noticed it (ready must be cheap).
    timespec wait{1, 0};
    const int signal_number = sigtimedwait(&set, nullptr, &wait);
    if (signal_number == SIGTERM || signal_number == SIGINT) {
      log::Info("shutting down", {{"signal", absl::StrCat(signal_number)}});
      break;
    }
  }
  set_serving(false);
  if (drain > absl::ZeroDuration()) absl::SleepFor(drain);
  if (on_shutdown_started) on_shutdown_started();
  server.Shutdown(std::chrono::system_clock::now() +
                  absl::ToChronoMilliseconds(grace));
  server.Wait();
  if (health_only != nullptr) {
    health_only->Shutdown(std::chrono::system_clock::now());
    health_only->Wait();
  }
  log::Info("stopped");
}

}  // namespace unionhub::rpc
