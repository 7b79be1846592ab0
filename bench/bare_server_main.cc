// unionhub-bench-bare: the bound of GetMember on this machine, measured.
//
// A bare gRPC server on the services' TLS certificate that answers
// MembershipService.GetMember with membership's own store::GetMember on a
// pool of membership's runtime user, and does nothing else: no token
// verification, no scope check, no masking, no interceptors (request log,
// metrics, stream limits), no audit decision. bench/run starts it beside
// the services, and the GetMember cells get a line for it, so what the
// service adds to gRPC, TLS and its one statement is measured in the same
// run. Not a service: it exists only for the benchmark.
#include <grpcpp/grpcpp.h>

#include <cstdio>
#include <memory>
#include <string>

#include "absl/flags/flag.h"
#include "absl/synchronization/mutex.h"
#include "common/core/config.h"
#include "common/db/pool.h"
#include "common/rpc/security_flags.h"
#include "common/rpc/server.h"
#include "services/membership/store/store.h"
#include "unionhub/membership/v1/membership.grpc.pb.h"

ABSL_FLAG(std::string, bare_listen, "127.0.0.1:0", "address:port to serve on");
ABSL_FLAG(std::string, bare_db_uri, "", "membership's database");
ABSL_FLAG(std::string, bare_db_user, "unionhub_membership", "");
ABSL_FLAG(std::string, bare_db_password, "", "(prefer the environment)");
ABSL_FLAG(std::string, bare_db_schema, "unionhub_membership", "");
ABSL_FLAG(int, bare_db_pool_size, 8, "as the service's pool");
ABSL_FLAG(int, bare_rpc_threads, 32, "as the service's --rpc_threads");

namespace unionhub::bench {
namespace {

namespace mv1 = ::unionhub::membership::v1;

class BareMembership final : public mv1::MembershipService::Service {
 public:
  explicit BareMembership(db::Pool& pool) : pool_(pool) {}

  grpc::Status GetMember(grpc::ServerContext*, const mv1::GetMemberRequest* req,
                         mv1::GetMemberResponse* resp) override {
    absl::Status s = pool_.Run([&](db::Connection& conn) -> absl::Status {
      absl::StatusOr<mv1::Member> member =
          membership::store::GetMember(conn, req->member_id());
      if (!member.ok()) return member.status();
      *resp->mutable_member() = *std::move(member);
      return absl::OkStatus();
    });
    if (s.ok()) return grpc::Status::OK;
    return grpc::Status(static_cast<grpc::StatusCode>(s.code()),
                        std::string(s.message()));
  }

 private:
  db::Pool& pool_;
};

int Main(int argc, char** argv) {
  rpc::BlockTerminationSignals();
  config::ParseFlags(argc, argv,
                     "unionhub-bench-bare (bench/run starts it; flags may "
                     "also be given as UNIONHUB_<FLAG>)");
  // As the services do (ServiceHost::Run): no lock-order graph per lock.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  auto credentials = rpc::ServerCredentialsFromFlags();
  if (!credentials.ok()) {
    std::fprintf(stderr, "TLS: %s\n",
                 std::string(credentials.status().message()).c_str());
    return 1;
  }
  // The stored national ID is opened as the service opens it.
  if (absl::Status pii = rpc::InstallPiiFromFlags(); !pii.ok()) {
    std::fprintf(stderr, "keys: %s\n", std::string(pii.message()).c_str());
    return 1;
  }
  db::DbConfig db;
  db.uri = absl::GetFlag(FLAGS_bare_db_uri);
  db.user = absl::GetFlag(FLAGS_bare_db_user);
  db.password = absl::GetFlag(FLAGS_bare_db_password);
  db.schema = absl::GetFlag(FLAGS_bare_db_schema);
  db.pool_size = absl::GetFlag(FLAGS_bare_db_pool_size);
  db::Pool pool(db);
  BareMembership service(pool);

  // The transport as rpc::StartServer sets it up (TLS, thread quota,
  // pollers), without its interceptors.
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(absl::GetFlag(FLAGS_bare_listen), *credentials,
                           &port);
  rpc::ConfigureServerThreads(builder, absl::GetFlag(FLAGS_bare_rpc_threads));
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (!server || port == 0) {
    std::fprintf(stderr, "could not listen on %s\n",
                 absl::GetFlag(FLAGS_bare_listen).c_str());
    return 1;
  }
  std::printf("listening on port %d\n", port);
  std::fflush(stdout);
  rpc::WaitForTerminationSignal();
  server->Shutdown();
  return 0;
}

}  // namespace
}  // namespace unionhub::bench

int main(int argc, char** argv) { return unionhub::bench::Main(argc, argv); }
