#include "tests/support/membership_fixture.h"

#include <atomic>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/core/ids.h"
#include "common/rpc/status.h"

namespace unionhub::db {
const std::vector<MigrationFile>& MembershipMigrations();
}

namespace unionhub::testing {

MembershipServer::MembershipServer(const std::string& tag) {
  database_ = std::make_unique<TestDatabase>(tag);
  database_->Migrate(db::MembershipMigrations());
  notifier_ = std::make_unique<membership::EventNotifier>();
  service_ = std::make_unique<membership::MembershipServiceImpl>(
      database_->pool(), *notifier_);
  rpc::ServerConfig config;
  config.listen = "127.0.0.1:0";
  config.max_threads = 16;
  absl::StatusOr<rpc::RunningServer> running =
      rpc::StartServer(config, {service_.get()});
  if (!running.ok()) {
    ADD_FAILURE() << running.status();
    return;
  }
  server_ = std::move(running->server);
  port_ = running->port;
  rpc::SetServing(*server_, true);
  stub_ = NewStub();
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

std::unique_ptr<mv1::MembershipService::Stub> MembershipServer::NewStub()
    const {
  return mv1::MembershipService::NewStub(
      grpc::CreateChannel(target(), grpc::InsecureChannelCredentials()));
}

std::vector<std::string> BadFields(const grpc::Status& status) {
  std::vector<std::string> fields;
  for (const FieldViolation& v :
       ViolationsOf(rpc::FromGrpcStatus(status))) {
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
