// Channel, health checking and lookups shared by the demo tool's modes.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"
#include "tools/demo/demo.h"

namespace unionhub::demo {

namespace {

Security& TheSecurity() {
  static Security* security = new Security();
  return *security;
}

}  // namespace

void SetSecurity(Security security) { TheSecurity() = std::move(security); }

void Authorize(grpc::ClientContext& context) {
  const std::string& token = TheSecurity().bearer_token;
  if (!token.empty()) context.AddMetadata("authorization", "Bearer " + token);
}

std::shared_ptr<grpc::Channel> MakeChannel(const std::string& target,
                                           bool fresh) {
  const Security& security = TheSecurity();
  std::shared_ptr<grpc::ChannelCredentials> credentials;
  if (security.ca_pem.empty()) {
    credentials = grpc::InsecureChannelCredentials();
  } else {
    grpc::SslCredentialsOptions options;
    options.pem_root_certs = security.ca_pem;
    options.pem_cert_chain = security.client_cert_pem;
    options.pem_private_key = security.client_key_pem;
    credentials = grpc::SslCredentials(options);
  }
  grpc::ChannelArguments args;
  if (fresh) args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  // Reconnect quickly to a server that is still starting (the default backoff
  // grows to two minutes).
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 1000);
  args.SetMaxReceiveMessageSize(64 << 20);
  return grpc::CreateCustomChannel(target, credentials, args);
}

absl::Status ToStatus(const grpc::Status& s, absl::string_view what) {
  if (s.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(s.error_code()),
                      absl::StrCat(what, ": ", s.error_message()));
}

std::string Thousands(int64_t n) {
  std::string digits = absl::StrCat(n < 0 ? -n : n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

absl::Status WaitHealthy(const std::string& target, absl::Duration timeout) {
  using grpc::health::v1::HealthCheckRequest;
  using grpc::health::v1::HealthCheckResponse;
  const absl::Time deadline = absl::Now() + timeout;
  absl::Status last = absl::DeadlineExceededError(
      absl::StrCat("health check of ", target, ": no answer"));
  for (;;) {
    // A new channel each time: an old one may sit in reconnect backoff for
    // a while after the server came up.
    auto stub =
        grpc::health::v1::Health::NewStub(MakeChannel(target, /*fresh=*/true));
    const absl::Duration left = deadline - absl::Now();
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         absl::ToChronoMilliseconds(std::clamp(
                             left, absl::Milliseconds(200), absl::Seconds(2))));
    // Fail fast while nothing listens; the loop is the retry.
    context.set_wait_for_ready(false);
    HealthCheckRequest request;
    request.set_service("");
    HealthCheckResponse response;
    const grpc::Status s = stub->Check(&context, request, &response);
    if (s.ok() && response.status() == HealthCheckResponse::SERVING) {
      return absl::OkStatus();
    }
    last =
        s.ok()
            ? absl::UnavailableError(absl::StrCat(
                  "health check of ", target, ": ",
                  HealthCheckResponse::ServingStatus_Name(response.status())))
            : ToStatus(s, absl::StrCat("health check of ", target));
    if (absl::Now() >= deadline) return last;
    absl::SleepFor(std::min(absl::Milliseconds(250), deadline - absl::Now()));
  }
}

absl::StatusOr<std::vector<mv1::Org>> ListAllOrgs(
    MembershipStub& stub, mv1::ListOrgsRequest request) {
  std::vector<mv1::Org> out;
  request.set_page_size(1000);
  for (;;) {
    mv1::ListOrgsResponse response;
    const grpc::Status s = WithRetry([&](grpc::ClientContext* context) {
      return stub.ListOrgs(context, request, &response);
    });
    if (!s.ok()) return ToStatus(s, "ListOrgs");
    for (mv1::Org& org : *response.mutable_orgs()) {
      out.push_back(std::move(org));
    }
    if (response.next_page_token().empty()) return out;
    request.set_page_token(response.next_page_token());
  }
}

absl::StatusOr<mv1::Org> FindCounty(MembershipStub& stub) {
  absl::StatusOr<std::vector<mv1::Org>> roots =
      ListAllOrgs(stub, mv1::ListOrgsRequest());
  if (!roots.ok()) return roots.status();
  std::vector<mv1::Org> counties;
  for (const mv1::Org& root : *roots) {
    mv1::ListOrgsRequest request;
    request.set_parent_id(root.org_id());
    request.set_recursive(true);
    request.set_type(mv1::ORG_TYPE_COUNTY_FEDERATION);
    absl::StatusOr<std::vector<mv1::Org>> found = ListAllOrgs(stub, request);
    if (!found.ok()) return found.status();
    for (mv1::Org& org : *found) {
      if (org.name() == kCountyName) return std::move(org);
      counties.push_back(std::move(org));
    }
  }
  if (counties.empty()) {
    return absl::NotFoundError(
        "no county federation found (load the demo data with --load first)");
  }
  return counties.front();
}

}  // namespace unionhub::demo
