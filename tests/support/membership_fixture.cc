#include "tests/support/membership_fixture.h"

#include <atomic>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/core/ids.h"
#include "common/rpc/status.h"
#include "common/rpc/tls.h"

namespace unionhub::db {
const std::vector<MigrationFile>& MembershipMigrations();
}

namespace unionhub::testing {

MembershipServer::MembershipServer(const std::string& tag,
                                   const ServerLimits& limits) {
  InstallTestPii();
  database_ = std::make_unique<TestDatabase>(tag);
  database_->Migrate(db::MembershipMigrations());
  notifier_ = std::make_unique<membership::EventNotifier>();
  std::shared_ptr<const auth::TokenVerifier> verifier = TestVerifier();
  std::shared_ptr<grpc::ServerCredentials> credentials =
      TestServerCredentials();
  if (verifier == nullptr || credentials == nullptr) return;
  resolver_ =
      std::make_unique<membership::MembershipScopeResolver>(database_->pool());
  gate_ = std::make_unique<rpc::Gate>(verifier, *resolver_, database_->pool());
  service_ = std::make_unique<membership::MembershipServiceImpl>(
      database_->pool(), *notifier_, *gate_);
  audit_trail_ =
      std::make_unique<rpc::AuditTrailServiceImpl>(*gate_, database_->pool());
  rpc::ServerConfig config;
  config.listen = "127.0.0.1:0";
  config.max_threads = limits.max_threads;
  config.streams = limits.streams;
  config.credentials = credentials;
  absl::StatusOr<rpc::RunningServer> running =
      rpc::StartServer(config, {service_.get(), audit_trail_.get()});
  if (!running.ok()) {
    ADD_FAILURE() << running.status();
    return;
  }
  server_ = std::move(running->server);
  port_ = running->port;
  rpc::SetServing(*server_, true);
  stub_ = StubWithToken(MintTestToken({"admin"}, 0, "test-admin"));
}

MembershipServer::~MembershipServer() {
  notifier_->Shutdown();
  if (server_) {
    server_->Shutdown(std::chrono::system_clock::now() +
                      std::chrono::seconds(2));
    server_->Wait();
  }
}

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
