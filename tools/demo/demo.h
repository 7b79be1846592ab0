// unionhub-demo: waits for a service to be healthy, loads the demo county
// into the membership service and prints its coverage.
#ifndef UNIONHUB_TOOLS_DEMO_DEMO_H_
#define UNIONHUB_TOOLS_DEMO_DEMO_H_

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/status.h"
#include "tools/demo/demo_plan.h"
#include "unionhub/membership/v1/membership.grpc.pb.h"

namespace unionhub::demo {

using MembershipStub = mv1::MembershipService::Stub;

// How the tool reaches the services: TLS (or plaintext) and the bearer
// token sent with every call. Set once, before any channel is made.
struct Security {
  std::string ca_pem;           // server CA; empty: plaintext
  std::string client_cert_pem;  // optional client certificate (mutual TLS)
  std::string client_key_pem;
  std::string bearer_token;  // empty: no authorization header
};
void SetSecurity(Security security);

// The one place channels are made, per the Security above.
// `fresh`: a channel that shares no connection or reconnect backoff with any
// other (for polling a server that is starting).
std::shared_ptr<grpc::Channel> MakeChannel(const std::string& target,
                                           bool fresh = false);

// Adds the bearer token (if any) to a call.
void Authorize(grpc::ClientContext& context);

// Polls grpc.health.v1.Health/Check (service "") until it answers SERVING.
// On timeout returns the last answer or error.
absl::Status WaitHealthy(const std::string& target, absl::Duration timeout);

// Creates everything in `plan` that is not there yet. Idempotent: every call
// carries a deterministic request_id. Unless `resend`, nothing is sent when
// the plan's last step is already done.
absl::Status LoadCounty(MembershipStub& stub, const CountyPlan& plan,
                        bool resend);

// Prints the coverage (入会率, 建会率) of the demo county and its townships.
absl::Status PrintCoverage(MembershipStub& stub);

// Every page of ListOrgs for `request`.
absl::StatusOr<std::vector<mv1::Org>> ListAllOrgs(MembershipStub& stub,
                                                  mv1::ListOrgsRequest request);

// The demo county's org, found with ListOrgs from the roots.
absl::StatusOr<mv1::Org> FindCounty(MembershipStub& stub);

// grpc::Status -> absl::Status (the codes are the same numbers), prefixed
// with what was being done.
absl::Status ToStatus(const grpc::Status& s, absl::string_view what);

// Seconds since `start`, for progress lines.
inline double Seconds(absl::Time start) {
  return absl::ToDoubleSeconds(absl::Now() - start);
}

// Stdout is a pipe under scripts/up: flush so progress shows as it happens.
template <typename... Args>
void Progress(const absl::FormatSpec<Args...>& format, const Args&... args) {
  absl::PrintF(format, args...);
  std::fflush(stdout);
}

// "38,000".
std::string Thousands(int64_t n);

// Runs `call(&context)` with a fresh context and deadline, retrying transient
// failures with backoff. Retrying a mutation is safe: each carries a
// request_id, and the server answers a repeat with the first result.
template <typename Call>
grpc::Status WithRetry(Call&& call, absl::Duration deadline = absl::Seconds(30),
                       int attempts = 8) {
  absl::Duration backoff = absl::Milliseconds(200);
  for (int attempt = 1;; ++attempt) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         absl::ToChronoMilliseconds(deadline));
    // Fail fast while the server is away; the backoff below is the wait.
    context.set_wait_for_ready(false);
    Authorize(context);
    const grpc::Status s = call(&context);
    const grpc::StatusCode code = s.error_code();
    const bool transient = code == grpc::StatusCode::UNAVAILABLE ||
                           code == grpc::StatusCode::DEADLINE_EXCEEDED ||
                           code == grpc::StatusCode::ABORTED ||
                           code == grpc::StatusCode::RESOURCE_EXHAUSTED;
    if (s.ok() || !transient || attempt >= attempts) return s;
    absl::SleepFor(backoff);
    backoff = std::min(backoff * 2, absl::Seconds(5));
  }
}

}  // namespace unionhub::demo

#endif  // UNIONHUB_TOOLS_DEMO_DEMO_H_
