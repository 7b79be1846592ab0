// Stream limits: the synchronous server gives every open stream one thread
// of its bounded pool until the stream ends, so a caller that opens idle
// streams could otherwise take every thread and leave everyone else with
// RESOURCE_EXHAUSTED ("Server Threadpool Exhausted"). Every server started
// by StartServer enforces, for every streaming method:
//
//  - a global cap on concurrent streams well below the thread count, so a
//    reserve of threads always remains for unary calls;
//  - a per-caller cap (by verified token subject), and a share of the
//    global cap that scoped callers together may not exceed, so unscoped
//    callers (peer services' feed followers, national administrators)
//    always find a slot;
//  - an idle timeout: a client stream that sends nothing for that long
//    (before it half-closes), or a server stream whose client does not
//    take a message for that long, is cancelled;
//  - a maximum duration for every stream. Handlers that can end by
//    themselves (WatchEvents) stop at the ticket's deadline with a status
//    followers resume from; the watchdog cancels whatever is still running
//    a short grace later.
//
// A refused stream is refused at once with RESOURCE_EXHAUSTED, which frees
// its thread. Streams of methods that declare a permission are admitted by
// the adapter (Gate::ClientStream / Gate::ServerStream, see
// common/rpc/adapter.h) right after it authorised the caller.
//
// Refusals are logged, not written to the audit trail: a caller could
// otherwise grow that append-only table by opening streams in a loop.
//
// Streams of methods without a declaration (server reflection, health
// Watch) have no verified caller; they are admitted when they arrive under
// one shared anonymous caller, and cancelled when refused. A declared
// stream whose handler never admits itself is cancelled after a short
// grace, so a new streaming method cannot forget the limits.
#ifndef UNIONHUB_COMMON_RPC_STREAM_LIMITS_H_
#define UNIONHUB_COMMON_RPC_STREAM_LIMITS_H_

#include <grpcpp/grpcpp.h>
#include <grpcpp/support/server_interceptor.h>

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/rpc/gate.h"

namespace unionhub::rpc {

struct StreamLimitsConfig {
  // Concurrent streams on the server; 0 = half of the server's threads.
  // Must leave at least two threads (one poller, one unary call).
  int max_streams = 0;
  int max_streams_per_caller = 4;
  absl::Duration idle_timeout = absl::Seconds(60);
  absl::Duration max_duration = absl::Hours(1);
};

// From --rpc_max_streams, --rpc_max_streams_per_caller,
// --rpc_stream_idle_timeout_seconds, --rpc_stream_max_duration_seconds
// (or UNIONHUB_RPC_... environment variables).
StreamLimitsConfig StreamLimitsFromFlags();

// Fills the default max_streams for `max_threads` and checks the limits
// fit the pool; INVALID_ARGUMENT naming the bad setting otherwise.
absl::StatusOr<StreamLimitsConfig> ResolveStreamLimits(
    const StreamLimitsConfig& config, int max_threads);

struct StreamCall;
class StreamLimits;

// Holds a stream's slot until the handler returns (its thread is free
// then). Move-only.
class StreamTicket {
 public:
  StreamTicket() = default;
  StreamTicket(StreamTicket&& other) noexcept;
  StreamTicket& operator=(StreamTicket&& other) noexcept;
  ~StreamTicket();

  bool admitted() const { return refusal_.ok(); }
  const grpc::Status& refusal() const { return refusal_; }
  // When the stream must end (InfiniteFuture when the server has no limits).
  absl::Time deadline() const { return deadline_; }

 private:
  friend class StreamLimits;
  friend StreamTicket AdmitStream(grpc::ServerContextBase&, const Caller&);
  void Release();

  std::shared_ptr<StreamCall> call_;
  grpc::Status refusal_;
  absl::Time deadline_ = absl::InfiniteFuture();
};

// Admits the current stream for `caller` on the server serving `context`,
// or returns a ticket whose refusal() is RESOURCE_EXHAUSTED.
StreamTicket AdmitStream(grpc::ServerContextBase& context,
                         const Caller& caller);

// The per-server controller; StartServer creates one and installs the
// interceptor that tracks every streaming call.
class StreamLimits : public std::enable_shared_from_this<StreamLimits> {
 public:
  // `config` must come from ResolveStreamLimits.
  static std::shared_ptr<StreamLimits> Create(const StreamLimitsConfig& config);
  ~StreamLimits();

  std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
  InterceptorFactory();

  const StreamLimitsConfig& config() const { return config_; }

  // Internal, used by the interceptor and tickets.
  void Register(const std::shared_ptr<StreamCall>& call);
  void Unregister(StreamCall& call);
  grpc::Status Admit(StreamCall& call, const std::string& subject, bool scoped);
  void Release(StreamCall& call);

 private:
  explicit StreamLimits(const StreamLimitsConfig& config);
  void Watch();
  grpc::Status AdmitLocked(StreamCall& call, const std::string& subject,
                           bool scoped);

  struct State;
  const StreamLimitsConfig config_;
  std::unique_ptr<State> state_;
};

}  // namespace unionhub::rpc

#endif  // UNIONHUB_COMMON_RPC_STREAM_LIMITS_H_
