// A real MembershipService on a real gRPC server (127.0.0.1, a free port)
// over a fresh MariaDB schema, and a client stub to call it. The server is
// a ServiceHost wired by RegisterMembership, as the binary's is.
#ifndef UNIONHUB_TESTS_SUPPORT_MEMBERSHIP_FIXTURE_H_
#define UNIONHUB_TESTS_SUPPORT_MEMBERSHIP_FIXTURE_H_

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "common/core/clock.h"
#include "common/core/violations.h"
#include "common/rpc/audit_trail_service.h"
#include "common/rpc/gate.h"
#include "common/rpc/server.h"
#include "common/rpc/service_host.h"
#include "services/membership/event_notifier.h"
#include "services/membership/membership_service.h"
#include "services/membership/scope_resolver.h"
#include "tests/support/test_env.h"
#include "unionhub/membership/v1/membership.grpc.pb.h"

namespace unionhub::testing {

namespace mv1 = ::unionhub::membership::v1;

// Server limits a test may lower to provoke them.
struct ServerLimits {
  int max_threads = 16;
  rpc::StreamLimitsConfig streams;
  // Serve /metrics on a free port (metrics_port()), refreshing the
  // database readings every 200 ms.
  bool serve_metrics = false;
};

// A host configuration for a test server: 127.0.0.1 on a free port, the
// test TLS credentials and token verifier, `limits`. Null verifier when the
// test secrets are missing.
rpc::ServiceHostConfig TestHostConfig(const std::string& component,
                                      const ServerLimits& limits);

class MembershipServer {
 public:
  explicit MembershipServer(const std::string& tag,
                            const ServerLimits& limits = {});
  ~MembershipServer();

  // Called with an admin token (no organisation limit).
  mv1::MembershipService::Stub& stub() { return *stub_; }
  // A stub whose calls carry `token` (none when empty).
  std::unique_ptr<mv1::MembershipService::Stub> StubWithToken(
      const std::string& token) const;
  std::shared_ptr<grpc::Channel> Channel(const std::string& token) const;
  TestDatabase& database() { return *database_; }
  // Membership's "today": the wall clock until a test sets it.
  SettableClock& clock() { return clock_; }
  int port() const { return port_; }
  std::string target() const;
  // The /metrics port (ServerLimits::serve_metrics), else 0.
  int metrics_port() const { return host_ ? host_->metrics_port() : 0; }
  // A new stub on a new channel (e.g. for a concurrent stream).
  std::unique_ptr<mv1::MembershipService::Stub> NewStub() const;

 private:
  std::unique_ptr<TestDatabase> database_;
  SettableClock clock_;
  std::unique_ptr<rpc::ServiceHost> host_;  // uses database_ and clock_
  std::unique_ptr<mv1::MembershipService::Stub> stub_;
  int port_ = 0;
};

// The bad fields named in an INVALID_ARGUMENT's error details.
std::vector<std::string> BadFields(const grpc::Status& status);

// Valid national ID for a person born on `birth` ("YYYYMMDD") with
// sequence `seq` (0..999; odd = male) in region 320924.
std::string MakeNationalId(const std::string& birth, int seq);

// Valid unified social credit code, distinct per `n`.
std::string MakeCreditCode(int n);

// A unique request id for this process.
std::string NewRequestId();

}  // namespace unionhub::testing

#endif  // UNIONHUB_TESTS_SUPPORT_MEMBERSHIP_FIXTURE_H_
