#include "common/rpc/stream_limits.h"

#include <algorithm>
#include <atomic>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/synchronization/mutex.h"
#include "common/core/log.h"

ABSL_FLAG(int, rpc_max_streams, 0,
          "concurrent streams per server (0 = half of --rpc_threads); the "
          "other threads stay free for unary calls");
ABSL_FLAG(int, rpc_max_streams_per_caller, 4,
          "concurrent streams one caller (token subject) may hold");
ABSL_FLAG(int, rpc_stream_idle_timeout_seconds, 60,
          "a client stream that sends nothing (or a server stream whose "
          "client takes nothing) for this long is cancelled");
ABSL_FLAG(int, rpc_stream_max_duration_seconds, 3600,
          "every stream ends after this long (feed followers resume)");

namespace unionhub::rpc {

using grpc::experimental::InterceptionHookPoints;

// What the limits know of one streaming call. Created by the interceptor
// factory when the call starts, forgotten when its context is destroyed.
struct StreamCall {
  grpc::ServerContextBase* context = nullptr;
  std::shared_ptr<StreamLimits> limits;
  std::string method;
  bool client_sends = false;    // client or bidi stream
  bool self_admitting = false;  // its handler calls AdmitStream
  absl::Time start;
  // Written by the interceptor on the call's thread, read by the watchdog;
  // atomics so the interceptor never takes the limits' mutex (TryCancel,
  // made under it, re-enters the interceptor).
  std::atomic<int64_t> last_received_ns{0};
  std::atomic<bool> half_closed{false};
  std::atomic<int64_t> write_started_ns{0};  // 0: no write pending
  // Guarded by the limits' mutex.
  bool admitted = false;
  bool holds_slot = false;
  bool refused = false;
  bool cancelled = false;
  bool scoped = false;
  std::string subject;
};

namespace {

// A handler that can end by itself at the deadline gets this long to send
// its own status before the watchdog cancels the call.
constexpr absl::Duration kDeadlineGrace = absl::Seconds(2);
// A declared method's handler admits itself right after the gate; one that
// has not done so by now never will.
constexpr absl::Duration kAdmitGrace = absl::Seconds(5);
// The shared caller of streams that carry no verified identity.
constexpr char kAnonymous[] = "(anonymous)";

// Calls by context, so AdmitStream finds its server's limits from the
// handler's ServerContext alone (handlers know nothing else of the server).
struct Registry {
  absl::Mutex mu;
  std::unordered_map<const grpc::ServerContextBase*,
                     std::shared_ptr<StreamCall>>
      calls ABSL_GUARDED_BY(mu);
};

Registry& GlobalRegistry() {
  static Registry* registry = new Registry;
  return *registry;
}

int64_t NowNanos() { return absl::ToUnixNanos(absl::Now()); }

grpc::Status Exhausted(std::string message) {
  return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, std::move(message));
}

// "/pkg.Service/Method" -> "pkg.Service.Method", the name DeclaredAuth takes.
std::string FullMethodName(const char* path) {
  std::string name = path == nullptr ? "" : path;
  if (!name.empty() && name.front() == '/') name.erase(0, 1);
  return absl::StrReplaceAll(name, {{"/", "."}});
}

class StreamInterceptor : public grpc::experimental::Interceptor {
 public:
  explicit StreamInterceptor(std::shared_ptr<StreamCall> call)
      : call_(std::move(call)) {}
  ~StreamInterceptor() override {
    {
      Registry& registry = GlobalRegistry();
      absl::MutexLock lock(&registry.mu);
      registry.calls.erase(call_->context);
    }
    call_->limits->Unregister(*call_);
  }

  void Intercept(grpc::experimental::InterceptorBatchMethods* m) override {
    if (m->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_CANCEL)) {
      return;  // may not be delayed; Proceed is a no-op
    }
    if (m->QueryInterceptionHookPoint(
            InterceptionHookPoints::POST_RECV_MESSAGE)) {
      // A failed receive (nullptr) is the client's half-close: from then
      // on the server is the one working, so the idle clock stops.
      if (m->GetRecvMessage() == nullptr) {
        call_->half_closed = true;
      } else {
        call_->last_received_ns = NowNanos();
      }
    }
    if (m->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_MESSAGE)) {
      call_->write_started_ns = NowNanos();
    }
    if (m->QueryInterceptionHookPoint(
            InterceptionHookPoints::POST_SEND_MESSAGE)) {
      call_->write_started_ns = 0;
    }
    m->Proceed();
  }

 private:
  std::shared_ptr<StreamCall> call_;
};

class StreamInterceptorFactory
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit StreamInterceptorFactory(std::shared_ptr<StreamLimits> limits)
      : limits_(std::move(limits)) {}

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    using Type = grpc::experimental::ServerRpcInfo::Type;
    if (info->type() == Type::UNARY) return nullptr;
    auto call = std::make_shared<StreamCall>();
    call->context = info->server_context();
    call->limits = limits_;
    call->method = FullMethodName(info->method());
    call->client_sends = info->type() == Type::CLIENT_STREAMING ||
                         info->type() == Type::BIDI_STREAMING;
    call->self_admitting = DeclaredAuth(call->method) != nullptr;
    call->start = absl::Now();
    call->last_received_ns = absl::ToUnixNanos(call->start);
    {
      Registry& registry = GlobalRegistry();
      absl::MutexLock lock(&registry.mu);
      registry.calls[call->context] = call;
    }
    limits_->Register(call);
    return new StreamInterceptor(std::move(call));
  }

 private:
  std::shared_ptr<StreamLimits> limits_;
};

}  // namespace

struct StreamLimits::State {
  absl::Mutex mu;
  std::unordered_set<StreamCall*> calls ABSL_GUARDED_BY(mu);
  int held ABSL_GUARDED_BY(mu) = 0;
  int held_scoped ABSL_GUARDED_BY(mu) = 0;
  std::unordered_map<std::string, int> per_caller ABSL_GUARDED_BY(mu);
  bool stopping ABSL_GUARDED_BY(mu) = false;
  std::thread watchdog;
};

StreamLimitsConfig StreamLimitsFromFlags() {
  StreamLimitsConfig config;
  config.max_streams = absl::GetFlag(FLAGS_rpc_max_streams);
  config.max_streams_per_caller =
      absl::GetFlag(FLAGS_rpc_max_streams_per_caller);
  config.idle_timeout =
      absl::Seconds(absl::GetFlag(FLAGS_rpc_stream_idle_timeout_seconds));
  config.max_duration =
      absl::Seconds(absl::GetFlag(FLAGS_rpc_stream_max_duration_seconds));
  return config;
}

absl::StatusOr<StreamLimitsConfig> ResolveStreamLimits(
    const StreamLimitsConfig& config, int max_threads) {
  StreamLimitsConfig resolved = config;
  if (resolved.max_streams == 0) resolved.max_streams = max_threads / 2;
  // One thread polls for new calls and at least one must stay free for
  // unary calls, however many streams are open.
  if (resolved.max_streams < 1 || resolved.max_streams > max_threads - 2) {
    return absl::InvalidArgumentError(
        absl::StrCat("rpc_max_streams must be between 1 and rpc_threads - 2 (",
                     max_threads - 2, "), got ", resolved.max_streams));
  }
  if (resolved.max_streams_per_caller < 1) {
    return absl::InvalidArgumentError(
        "rpc_max_streams_per_caller must be at least 1");
  }
  resolved.max_streams_per_caller =
      std::min(resolved.max_streams_per_caller, resolved.max_streams);
  if (resolved.idle_timeout <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        "rpc_stream_idle_timeout_seconds must be positive");
  }
  if (resolved.max_duration <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        "rpc_stream_max_duration_seconds must be positive");
  }
  return resolved;
}

std::shared_ptr<StreamLimits> StreamLimits::Create(
    const StreamLimitsConfig& config) {
  std::shared_ptr<StreamLimits> limits(new StreamLimits(config));
  limits->state_->watchdog =
      std::thread([raw = limits.get()] { raw->Watch(); });
  return limits;
}

StreamLimits::StreamLimits(const StreamLimitsConfig& config)
    : config_(config), state_(std::make_unique<State>()) {}

StreamLimits::~StreamLimits() {
  {
    absl::MutexLock lock(&state_->mu);
    state_->stopping = true;
  }
  if (state_->watchdog.joinable()) state_->watchdog.join();
}

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
StreamLimits::InterceptorFactory() {
  return std::make_unique<StreamInterceptorFactory>(shared_from_this());
}

void StreamLimits::Register(const std::shared_ptr<StreamCall>& call) {
  absl::MutexLock lock(&state_->mu);
  state_->calls.insert(call.get());
  if (!call->self_admitting) {
    // No handler of ours sees this call; admit it now under the shared
    // anonymous caller, and let the watchdog cancel it if refused.
    call->refused = !AdmitLocked(*call, kAnonymous, true).ok();
  }
}

void StreamLimits::Unregister(StreamCall& call) {
  Release(call);
  absl::MutexLock lock(&state_->mu);
  state_->calls.erase(&call);
}

grpc::Status StreamLimits::Admit(StreamCall& call, const std::string& subject,
                                 bool scoped) {
  absl::MutexLock lock(&state_->mu);
  return AdmitLocked(call, subject, scoped);
}

grpc::Status StreamLimits::AdmitLocked(StreamCall& call,
                                       const std::string& subject,
                                       bool scoped) {
  State& s = *state_;
  if (call.admitted) return grpc::Status::OK;
  // The caller's own limit first: it is the one an abuser hits.
  auto found = s.per_caller.find(subject);
  const int mine = found == s.per_caller.end() ? 0 : found->second;
  if (mine >= config_.max_streams_per_caller) {
    return Exhausted(
        absl::StrCat("this caller already has ", mine,
                     " open streams, the limit per caller; finish one first"));
  }
  if (s.held >= config_.max_streams) {
    return Exhausted(absl::StrCat("the server already serves its limit of ",
                                  config_.max_streams,
                                  " concurrent streams; retry later"));
  }
  // A quarter of the slots is kept from scoped callers, so however many
  // scoped tokens collude, unscoped callers (peer services' feed followers,
  // national administrators) can still open streams.
  const int scoped_share = config_.max_streams - config_.max_streams / 4;
  if (scoped && s.held_scoped >= scoped_share) {
    return Exhausted(absl::StrCat("organisation-scoped callers already hold ",
                                  scoped_share,
                                  " concurrent streams, their limit; retry "
                                  "later"));
  }
  ++s.per_caller[subject];
  ++s.held;
  if (scoped) ++s.held_scoped;
  call.admitted = true;
  call.holds_slot = true;
  call.scoped = scoped;
  call.subject = subject;
  return grpc::Status::OK;
}

void StreamLimits::Release(StreamCall& call) {
  absl::MutexLock lock(&state_->mu);
  if (!call.holds_slot) return;
  call.holds_slot = false;
  State& s = *state_;
  --s.held;
  if (call.scoped) --s.held_scoped;
  auto it = s.per_caller.find(call.subject);
  if (it != s.per_caller.end() && --it->second <= 0) s.per_caller.erase(it);
}

void StreamLimits::Watch() {
  const absl::Duration tick =
      std::clamp(std::min(config_.idle_timeout, config_.max_duration) / 4,
                 absl::Milliseconds(20), absl::Seconds(1));
  State& s = *state_;
  absl::MutexLock lock(&s.mu);
  while (true) {
    auto stopping = [&s]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(s.mu) {
      return s.stopping;
    };
    s.mu.AwaitWithTimeout(absl::Condition(&stopping), tick);
    if (s.stopping) return;
    const absl::Time now = absl::Now();
    for (StreamCall* call : s.calls) {
      if (call->cancelled) continue;
      const char* reason = nullptr;
      const int64_t writing = call->write_started_ns.load();
      if (call->refused) {
        reason = "over the stream limits";
      } else if (call->self_admitting && !call->admitted &&
                 now - call->start > kAdmitGrace) {
        reason = "its handler never admitted it";
      } else if (call->client_sends && !call->half_closed &&
                 now - absl::FromUnixNanos(call->last_received_ns.load()) >
                     config_.idle_timeout) {
        reason = "idle: the client sent nothing";
      } else if (writing != 0 &&
                 now - absl::FromUnixNanos(writing) > config_.idle_timeout) {
        reason = "idle: the client took nothing";
      } else if (now - call->start > config_.max_duration + kDeadlineGrace) {
        reason = "past its maximum duration";
      }
      if (reason == nullptr) continue;
      call->cancelled = true;
      log::Warn("stream cancelled", {{"method", call->method},
                                     {"caller", call->subject},
                                     {"reason", reason}});
      // Under the mutex: the call's context cannot be destroyed meanwhile,
      // since its interceptor unregisters (under this mutex) first.
      call->context->TryCancel();
    }
  }
}

StreamTicket::StreamTicket(StreamTicket&& other) noexcept
    : call_(std::move(other.call_)),
      refusal_(std::move(other.refusal_)),
      deadline_(other.deadline_) {
  other.call_ = nullptr;
}

StreamTicket& StreamTicket::operator=(StreamTicket&& other) noexcept {
  if (this != &other) {
    Release();
    call_ = std::move(other.call_);
    other.call_ = nullptr;
    refusal_ = std::move(other.refusal_);
    deadline_ = other.deadline_;
  }
  return *this;
}

StreamTicket::~StreamTicket() { Release(); }

void StreamTicket::Release() {
  if (call_ != nullptr) call_->limits->Release(*call_);
  call_ = nullptr;
}

StreamTicket AdmitStream(grpc::ServerContextBase& context,
                         const Caller& caller) {
  StreamTicket ticket;
  {
    Registry& registry = GlobalRegistry();
    absl::MutexLock lock(&registry.mu);
    auto it = registry.calls.find(&context);
    if (it != registry.calls.end()) ticket.call_ = it->second;
  }
  // A server not started by StartServer has no limits to apply.
  if (ticket.call_ == nullptr) return ticket;
  ticket.refusal_ = ticket.call_->limits->Admit(
      *ticket.call_, caller.claims.subject, !caller.scope_path.empty());
  if (!ticket.admitted()) {
    log::Warn("stream refused", {{"method", ticket.call_->method},
                                 {"caller", caller.claims.subject},
                                 {"error", ticket.refusal_.error_message()}});
    ticket.call_ = nullptr;
    return ticket;
  }
  ticket.deadline_ =
      ticket.call_->start + ticket.call_->limits->config().max_duration;
  return ticket;
}

}  // namespace unionhub::rpc
