// W3C Trace Context (https://www.w3.org/TR/trace-context/): the
// `traceparent` header every call carries between the services, so one
// request can be followed through the three services' logs by its trace id.
// A server call, a background iteration (a feed reconnect, a batch, a
// ledger seal) or a unionctl command makes its context current on its
// thread with a Scope; log lines then carry the trace id and calls to peers
// send the same trace id with a new span id.
#ifndef UNIONHUB_COMMON_CORE_TRACE_H_
#define UNIONHUB_COMMON_CORE_TRACE_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace unionhub::trace {

// Header (gRPC metadata) names, lower case as gRPC requires.
inline constexpr char kTraceparent[] = "traceparent";
inline constexpr char kTracestate[] = "tracestate";
// Trace Context Level 2: what a server answers with (its own span).
inline constexpr char kTraceresponse[] = "traceresponse";

// The sampled flag: we log every call, so traces we start are sampled.
inline constexpr uint8_t kSampled = 0x01;

struct Context {
  std::string trace_id;  // 32 lowercase hex digits, not all zero
  std::string span_id;   // 16 lowercase hex digits, not all zero
  uint8_t flags = kSampled;
  // Vendors' opaque state, passed on unchanged (empty: none).
  std::string tracestate;
};

// Parses a traceparent value. Version 00 must be exactly
// "00-<32 hex>-<16 hex>-<2 hex>"; a higher version (not ff) is read as far
// as the spec says (the ids and the sampled bit, followed by the end or a
// '-'). Hex must be lower case; all-zero ids are invalid. Null when invalid:
// the caller then starts a new trace.
std::optional<Context> Parse(absl::string_view traceparent);

// "00-<trace id>-<span id>-<flags>": we always send version 00.
std::string Format(const Context& context);

// Random, never all zero (absl::BitGen: seeded from the OS per thread).
std::string NewTraceId();
std::string NewSpanId();

// A new trace: new trace id and span id, sampled.
Context NewTrace();
// The same trace (id, flags, tracestate) under a new span id: what a call
// to a peer carries, or this server's own span for an incoming call.
Context ChildOf(const Context& parent);

// `traceparent` parsed and continued under a new span, or a new trace when
// it is missing or invalid. A tracestate is kept only with a valid parent
// and at most 512 bytes (the spec lets us drop a longer one).
Context Continue(absl::string_view traceparent, absl::string_view tracestate);

// The context current on this thread (null: none).
const Context* Current();
// Its trace id, or "" when there is none.
std::string CurrentTraceId();

// Makes `context` current on this thread until destroyed, then restores
// what was current before (scopes nest).
class Scope {
 public:
  explicit Scope(Context context);
  ~Scope();
  Scope(const Scope&) = delete;
  Scope& operator=(const Scope&) = delete;

  const Context& context() const { return context_; }

 private:
  Context context_;
  const Context* previous_;
};

}  // namespace unionhub::trace

#endif  // UNIONHUB_COMMON_CORE_TRACE_H_
