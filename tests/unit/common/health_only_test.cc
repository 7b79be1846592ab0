// The plaintext health-only server (--health_listen): it answers
// grpc.health.v1.Health with the status the host gives it, keeps "liveness"
// SERVING, and carries nothing else, not even the process-wide reflection.
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "common/rpc/server.h"
#include "grpc/health/v1/health.grpc.pb.h"

namespace unionhub::rpc {
namespace {

using grpc::health::v1::Health;
using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

class HealthOnlyServerTest : public testing::Test {
 protected:
  void SetUp() override {
    // A main server first, so the reflection plugin is registered
    // process-wide as in a service.
    ServerConfig config;
    config.listen = "127.0.0.1:0";
    absl::StatusOr<RunningServer> main_server = StartServer(config, {});
    ASSERT_TRUE(main_server.ok()) << main_server.status();
    main_ = std::move(*main_server);
    absl::StatusOr<RunningServer> health = StartHealthOnlyServer("127.0.0.1:0");
    ASSERT_TRUE(health.ok()) << health.status();
    health_ = std::move(*health);
    channel_ = grpc::CreateChannel("127.0.0.1:" + std::to_string(health_.port),
                                   grpc::InsecureChannelCredentials());
  }
  void TearDown() override {
    for (RunningServer* running : {&health_, &main_}) {
      if (running->server) running->server->Shutdown();
    }
  }

  grpc::Status Check(const std::string& service,
                     HealthCheckResponse::ServingStatus* status) {
    HealthCheckRequest request;
    request.set_service(service);
    HealthCheckResponse response;
    grpc::ClientContext context;
    grpc::Status result =
        Health::NewStub(channel_)->Check(&context, request, &response);
    *status = response.status();
    return result;
  }

  // A unary call of any method name, as raw bytes: UNIMPLEMENTED when the
  // server does not carry the method.
  grpc::StatusCode CallAnything(const std::shared_ptr<grpc::Channel>& channel,
                                const std::string& method) {
    grpc::GenericStub stub(channel);
    grpc::CompletionQueue queue;
    grpc::ClientContext context;
    grpc::ByteBuffer request;
    grpc::ByteBuffer response;
    grpc::Status status;
    auto call = stub.PrepareUnaryCall(&context, method, request, &queue);
    call->StartCall();
    call->Finish(&response, &status, reinterpret_cast<void*>(1));
    void* tag = nullptr;
    bool ok = false;
    EXPECT_TRUE(queue.Next(&tag, &ok));
    queue.Shutdown();
    while (queue.Next(&tag, &ok)) {
    }
    return status.error_code();
  }

  RunningServer main_;
  RunningServer health_;
  std::shared_ptr<grpc::Channel> channel_;
};

TEST_F(HealthOnlyServerTest, FollowsTheHostsStatusAndKeepsLivenessServing) {
  HealthCheckResponse::ServingStatus status;
  ASSERT_TRUE(Check("", &status).ok());
  EXPECT_EQ(status, HealthCheckResponse::NOT_SERVING);
  ASSERT_TRUE(Check(kLivenessService, &status).ok());
  EXPECT_EQ(status, HealthCheckResponse::SERVING);

  SetServing(*health_.server, true);
  ASSERT_TRUE(Check("", &status).ok());
  EXPECT_EQ(status, HealthCheckResponse::SERVING);

  // The database went away: not ready, still alive.
  SetServing(*health_.server, false);
  ASSERT_TRUE(Check("", &status).ok());
  EXPECT_EQ(status, HealthCheckResponse::NOT_SERVING);
  ASSERT_TRUE(Check(kLivenessService, &status).ok());
  EXPECT_EQ(status, HealthCheckResponse::SERVING);
}

TEST_F(HealthOnlyServerTest, CarriesNothingButHealth) {
  const std::string reflection =
      "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo";
  EXPECT_EQ(CallAnything(channel_, reflection),
            grpc::StatusCode::UNIMPLEMENTED);
  EXPECT_EQ(CallAnything(channel_,
                         "/unionhub.membership.v1.MembershipService/GetOrg"),
            grpc::StatusCode::UNIMPLEMENTED);
  // The main server, by contrast, does carry the process-wide reflection,
  // so the health-only server's refusal above is not a quirk of the call.
  EXPECT_NE(CallAnything(
                grpc::CreateChannel("127.0.0.1:" + std::to_string(main_.port),
                                    grpc::InsecureChannelCredentials()),
                reflection),
            grpc::StatusCode::UNIMPLEMENTED);
}

}  // namespace
}  // namespace unionhub::rpc
