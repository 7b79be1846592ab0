#include "tests/support/membership_fixture.h"

#include <atomic>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/core/ids.h"
#include "common/rpc/status.h"
#include "common/rpc/tls.h"
#include "services/membership/register.h"

namespace unionhub::testing {

rpc::ServiceHostConfig TestHostConfig(const std::string& component,
                                      const ServerLimits& limits) {
  rpc::ServiceHostConfig config;
  config.component = component;
  config.listen = "127.0.0.1:0";
  config.rpc_threads = limits.max_threads;
  config.streams = limits.streams;
  config.shutdown_grace = absl::Seconds(2);
  config.credentials = TestServerCredentials();
  config.verifier = config.credentials ? TestVerifier() : nullptr;
  if (limits.serve_metrics) {
    config.metrics_listen = "127.0.0.1:0";
    config.metrics_refresh = absl::Milliseconds(200);
  }
  return config;
}

MembershipServer::MembershipServer(const std::string& tag,
                                   const ServerLimits& limits) {
  InstallTestPii();
  database_ = std::make_unique<TestDatabase>(tag);
  rpc::ServiceHostConfig config = TestHostConfig("membership", limits);
  config.migrations = membership::MembershipSpec().migrations();
  host_ =
      std::make_unique<rpc::ServiceHost>(std::move(config), database_->pool());
  membership::MembershipDeps deps;
  deps.clock = &clock_;
  absl::Status wired = membership::RegisterMembership(*host_, deps);
  if (!wired.ok()) {
    ADD_FAILURE() << wired;
    return;
  }
  if (absl::Status started = host_->Start(); !started.ok()) {
    ADD_FAILURE() << started;
    return;
  }
  port_ = host_->port();
  host_->SetServing(true);
  stub_ = StubWithToken(MintTestToken({"admin"}, 0, "test-admin"));
}

MembershipServer::~MembershipServer() { host_.reset(); }

std::string MembershipServer::target() const {
  return absl::StrCat("127.0.0.1:", port_);
}

std::shared_ptr<grpc::Channel> MembershipServer::Channel(
    const std::string& token) const {
  return grpc::CreateChannel(target(), TestChannelCredentials(token));
}

std::unique_ptr<mv1::MembershipService::Stub> MembershipServer::StubWithToken(
    const std::string& token) const {
  return mv1::MembershipService::NewStub(Channel(token));
}

std::unique_ptr<mv1::MembershipService::Stub> MembershipServer::NewStub()
    const {
  return StubWithToken(MintTestToken({"admin"}, 0, "test-admin"));
}

std::vector<std::string> BadFields(const grpc::Status& status) {
  std::vector<std::string> fields;
  for (const FieldViolation& v : ViolationsOf(rpc::FromGrpcStatus(status))) {
    fields.push_back(v.field);
  }
  return fields;
}

std::string MakeNationalId(const std::string& birth, int seq) {
  std::string first17 = absl::StrFormat("320924%s%03d", birth, seq);
  return first17 + ids::NationalIdCheckChar(first17);
}

std::string MakeCreditCode(int n) {
  std::string first17 = absl::StrFormat("91320924MA%07d", n);
  absl::StatusOr<char> check = ids::CreditCodeCheckChar(first17);
  return first17 + (check.ok() ? *check : '0');
}

std::string NewRequestId() {
  static std::atomic<int> counter{0};
  return absl::StrCat("t-", getpid(), "-", ++counter);
}

}  // namespace unionhub::testing
