#include "common/rpc/server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/resource_quota.h>
#include <signal.h>

#include <atomic>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/core/log.h"
#include "common/rpc/logging_interceptor.h"

namespace unionhub::rpc {
namespace {

constexpr int kMaxReceiveBytes = 32 << 20;
// Import reports list every row; 64 MiB holds well over a million rows.
constexpr int kMaxSendBytes = 64 << 20;

}  // namespace

absl::StatusOr<RunningServer> StartServer(
    const ServerConfig& config, const std::vector<grpc::Service*>& services) {
  static const bool initialised = [] {
    grpc::EnableDefaultHealthCheckService(true);
    grpc::reflection::InitProtoReflectionServerBuilderPlugin();
    return true;
  }();
  (void)initialised;

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
  grpc::ResourceQuota quota("unionhub-server");
  quota.SetMaxThreads(config.max_threads);
  builder.SetResourceQuota(quota);
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

void SetServing(grpc::Server& server, bool serving) {
  if (auto* health = server.GetHealthCheckService()) {
    health->SetServingStatus(serving);
  }
}

void BlockTerminationSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

void ServeUntilSignal(grpc::Server& server, const std::function<bool()>& ready,
                      absl::Duration grace,
                      const std::function<void()>& on_shutdown_started,
                      absl::Duration drain) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  bool serving = false;
  while (true) {
    const bool now_ready = ready();
    if (now_ready != serving) {
      serving = now_ready;
      SetServing(server, serving);
      log::Info(serving ? "serving" : "not serving (database unreachable)");
    }
    timespec wait{serving ? 5 : 1, 0};
    const int signal_number = sigtimedwait(&set, nullptr, &wait);
    if (signal_number == SIGTERM || signal_number == SIGINT) {
      log::Info("shutting down", {{"signal", absl::StrCat(signal_number)}});
      break;
    }
  }
  SetServing(server, false);
  if (drain > absl::ZeroDuration()) absl::SleepFor(drain);
  if (on_shutdown_started) on_shutdown_started();
  server.Shutdown(std::chrono::system_clock::now() +
                  absl::ToChronoMilliseconds(grace));
  server.Wait();
  log::Info("stopped");
}

}  // namespace unionhub::rpc
