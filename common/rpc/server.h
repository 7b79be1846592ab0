// Server bootstrap shared by every service: health checking, reflection,
// a bounded thread pool, the logging interceptor, graceful shutdown.
#ifndef UNIONHUB_COMMON_RPC_SERVER_H_
#define UNIONHUB_COMMON_RPC_SERVER_H_

#include <grpcpp/grpcpp.h>
#include <grpcpp/support/server_interceptor.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/rpc/stream_limits.h"

namespace unionhub::rpc {

// Makes a server interceptor factory: the extension point for per-call
// observers such as metrics (ServiceHost::AddInterceptor).
using InterceptorFactoryMaker = std::function<
    std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>()>;

struct ServerConfig {
  std::string listen = "127.0.0.1:0";
  // Upper bound on threads serving RPCs; sized with the database pool so a
  // burst waits in gRPC's queue instead of on connections.
  int max_threads = 32;
  // Bounds on streams so they cannot take the threads unary calls need
  // (common/rpc/stream_limits.h).
  StreamLimitsConfig streams;
  std::shared_ptr<grpc::ServerCredentials> credentials;  // plaintext if null
  // Run after the stream limits and the logging interceptor, in order.
  std::vector<InterceptorFactoryMaker> interceptors;
};

struct RunningServer {
  // What the server serves from and must outlive it (declared first so it
  // is destroyed last).
  std::shared_ptr<void> keep_alive;
  std::unique_ptr<grpc::Server> server;
  int port = 0;
};

// The thread quota and pollers every server here uses (StartServer, and the
// benchmark's bare server, which must run the same transport).
void ConfigureServerThreads(grpc::ServerBuilder& builder, int max_threads);

// Builds and starts a server for `services`. Health starts NOT_SERVING; the
// caller flips it with SetServing once the service is ready.
absl::StatusOr<RunningServer> StartServer(
    const ServerConfig& config, const std::vector<grpc::Service*>& services);

// Sets every service's health on `server`, except kLivenessService, which
// stays SERVING while the process runs.
void SetServing(grpc::Server& server, bool serving);

// The health service name a liveness probe asks for: SERVING while the
// process runs even when the database is away, so a database outage does
// not make the orchestrator restart every replica.
inline constexpr char kLivenessService[] = "liveness";

// A plaintext server on `listen` carrying grpc.health.v1.Health and nothing
// else (no reflection, no service), for probes that speak no TLS (kubelet's
// native gRPC probe). The caller mirrors the main server's health onto it
// with SetServing; it starts NOT_SERVING.
absl::StatusOr<RunningServer> StartHealthOnlyServer(const std::string& listen);

// Call first in main, before any thread exists, so SIGTERM and SIGINT are
// delivered only to ServeUntilSignal.
void BlockTerminationSignals();

// Blocks until SIGTERM or SIGINT (blocked by BlockTerminationSignals), for
// servers that are not gRPC servers (the web console).
void WaitForTerminationSignal();

// Serves until SIGTERM or SIGINT, re-checking `ready` every second and
// publishing the result as the health status. On the signal: NOT_SERVING,
// then `drain` so load balancers notice, then Shutdown with `grace` for
// in-flight calls.
// `health_only` (may be null) is a StartHealthOnlyServer server that follows
// the same status and is shut down last.
void ServeUntilSignal(grpc::Server& server, const std::function<bool()>& ready,
                      absl::Duration grace,
                      const std::function<void()>& on_shutdown_started = {},
                      absl::Duration drain = absl::ZeroDuration(),
                      grpc::Server* health_only = nullptr);

}  // namespace unionhub::rpc

#endif  // UNIONHUB_COMMON_RPC_SERVER_H_
