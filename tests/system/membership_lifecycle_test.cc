// System tests of the unionhub-membership binary's life cycle: it starts
// as a process, reports SERVING through the standard health service and
// lists its services through reflection; SIGTERM drains it and it exits 0;
// migrations are safe to run again and refuse a changed file.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "tests/system/process.h"
#include "tests/system/reflection.h"
#include "tests/system/system_fixture.h"

namespace unionhub::testing {
namespace {

using ::grpc::health::v1::HealthCheckResponse;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kMembershipService[] =
    "unionhub.membership.v1.MembershipService";
constexpr char kHealthService[] = "grpc.health.v1.Health";

// Sends SIGTERM and waits for the exit; the status, or nullopt if the
// process is still running after `timeout`.
std::optional<ExitStatus> Terminate(MembershipProcess& process,
                                    absl::Duration timeout) {
  process.process().Signal(SIGTERM);
  return process.process().WaitForExit(timeout);
}

// Where `needle` first occurs in `log` (npos if it does not).
size_t Position(const std::string& log, const std::string& needle) {
  return log.find(needle);
}

TEST_F(MembershipSystemTest, StartsServingAndListsServicesThroughReflection) {
  // Root: the service migrates the schema itself at start-up.
  MembershipProcess& service = NewProcess("start", 5, false);
  absl::Status started = service.StartAndWaitServing();
  ASSERT_TRUE(started.ok()) << started;

  absl::StatusOr<HealthCheckResponse::ServingStatus> health =
      service.CheckHealth(absl::Seconds(5));
  ASSERT_TRUE(health.ok()) << health.status();
  EXPECT_EQ(*health, HealthCheckResponse::SERVING);

  absl::StatusOr<std::vector<std::string>> services =
      ListServicesByReflection(service.NewChannel(""), absl::Seconds(30));
  ASSERT_TRUE(services.ok()) << services.status();
  EXPECT_THAT(*services, Contains(kMembershipService));
  EXPECT_THAT(*services, Contains(kHealthService));

  // It answers real calls, from the database it migrated.
  std::unique_ptr<mv1::MembershipService::Stub> stub = StubFor(service);
  mv1::Org county =
      CreateOrg(*stub, mv1::ORG_TYPE_COUNTY_FEDERATION, 0, "清河县总工会");
  EXPECT_GT(county.org_id(), 0);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM orgs"), 1);

  const std::string log = service.ReadLog();
  EXPECT_THAT(log, HasSubstr("\"msg\":\"applied migration\""));
  EXPECT_THAT(log, HasSubstr("\"msg\":\"listening\""));
  EXPECT_THAT(log, HasSubstr("\"msg\":\"serving\""));

  std::optional<ExitStatus> exit = Terminate(service, absl::Seconds(30));
  ASSERT_TRUE(exit.has_value()) << "still running 30 s after SIGTERM";
  EXPECT_TRUE(exit->CleanExit()) << exit->ToString();
}

TEST_F(MembershipSystemTest, SigtermWithOpenStreamAndCallsExitsZeroInGrace) {
  constexpr int kGraceSeconds = 5;
  // Generous for a loaded 2-core machine; a clean drain takes well under a
  // second.
  const absl::Duration exit_limit =
      absl::Seconds(kGraceSeconds) + absl::Seconds(10);
  MembershipProcess& service = NewProcess("sigterm", kGraceSeconds);
  absl::Status started = service.StartAndWaitServing();
  ASSERT_TRUE(started.ok()) << started;
  std::unique_ptr<mv1::MembershipService::Stub> stub = StubFor(service);
  mv1::Org county =
      CreateOrg(*stub, mv1::ORG_TYPE_COUNTY_FEDERATION, 0, "清河县总工会");
  ASSERT_GT(county.org_id(), 0);

  // A follower on the change feed, as finance keeps one.
  std::atomic<int> events_seen{0};
  std::atomic<bool> watch_done{false};
  grpc::Status watch_status;
  grpc::ClientContext watch_context;
  watch_context.set_deadline(
      absl::ToChronoTime(absl::Now() + absl::Seconds(150)));
  std::unique_ptr<mv1::MembershipService::Stub> watch_stub = StubFor(service);
  std::thread watcher([&] {
    mv1::WatchEventsRequest request;
    request.set_after_sequence(0);
    std::unique_ptr<grpc::ClientReader<mv1::WatchEventsResponse>> reader =
        watch_stub->WatchEvents(&watch_context, request);
    mv1::WatchEventsResponse event;
    while (reader->Read(&event)) ++events_seen;
    watch_status = reader->Finish();
    watch_done = true;
  });

  // Unary calls back to back until the server stops answering.
  std::atomic<bool> stop_calls{false};
  std::atomic<int> calls_ok{0};
  std::mutex failures_mu;
  std::vector<grpc::Status> failures;
  std::unique_ptr<mv1::MembershipService::Stub> call_stub = StubFor(service);
  std::thread caller([&] {
    while (!stop_calls) {
      mv1::GetOrgRequest request;
      request.set_org_id(county.org_id());
      mv1::GetOrgResponse response;
      grpc::ClientContext context;
      context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(20)));
      grpc::Status status = call_stub->GetOrg(&context, request, &response);
      if (status.ok()) {
        ++calls_ok;
        continue;
      }
      std::lock_guard<std::mutex> lock(failures_mu);
      failures.push_back(status);
      break;
    }
  });
  struct Joiner {
    std::atomic<bool>& stop;
    grpc::ClientContext& watch;
    std::thread& a;
    std::thread& b;
    ~Joiner() {
      stop = true;
      watch.TryCancel();
      if (a.joinable()) a.join();
      if (b.joinable()) b.join();
    }
  } joiner{stop_calls, watch_context, watcher, caller};

  // Wait until both are really under way: the stream delivered the org's
  // event and unary calls are succeeding.
  const absl::Time ready_deadline = absl::Now() + absl::Seconds(60);
  while ((events_seen < 1 || calls_ok < 3) && absl::Now() < ready_deadline &&
         !watch_done) {
    absl::SleepFor(absl::Milliseconds(20));
  }
  ASSERT_GE(events_seen.load(), 1)
      << "the WatchEvents stream delivered nothing";
  ASSERT_GE(calls_ok.load(), 3) << "unary calls did not succeed";
  ASSERT_FALSE(watch_done.load()) << watch_status.error_message();

  const absl::Time signalled = absl::Now();
  ASSERT_TRUE(service.process().Signal(SIGTERM));
  // Watch the health status flip while the process drains (optional: the
  // window between NOT_SERVING and the listener closing may be too short
  // to observe).
  bool saw_not_serving = false;
  while (service.Running() && absl::Now() - signalled < exit_limit) {
    absl::StatusOr<HealthCheckResponse::ServingStatus> health =
        service.CheckHealth(absl::Milliseconds(200));
    if (health.ok() && *health == HealthCheckResponse::NOT_SERVING) {
      saw_not_serving = true;
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
  std::optional<ExitStatus> exit =
      service.process().WaitForExit(absl::Milliseconds(100));
  const absl::Duration took = absl::Now() - signalled;
  ASSERT_TRUE(exit.has_value())
      << "still running " << absl::FormatDuration(took) << " after SIGTERM";
  EXPECT_TRUE(exit->CleanExit()) << exit->ToString();
  EXPECT_LT(took, exit_limit);
  std::printf("SIGTERM to exit: %s; NOT_SERVING observed: %s\n",
              absl::FormatDuration(took).c_str(),
              saw_not_serving ? "yes" : "no");

  // The feed ended with the server's own goodbye (not a cut connection),
  // telling the follower to resume from its last sequence.
  const absl::Time watch_deadline = absl::Now() + absl::Seconds(20);
  while (!watch_done && absl::Now() < watch_deadline) {
    absl::SleepFor(absl::Milliseconds(20));
  }
  ASSERT_TRUE(watch_done.load()) << "WatchEvents still open after the exit";
  EXPECT_EQ(watch_status.error_code(), grpc::StatusCode::UNAVAILABLE)
      << watch_status.error_message();
  EXPECT_THAT(watch_status.error_message(), HasSubstr("shutting down"));

  // A call racing the shutdown is refused, either as UNAVAILABLE or, when
  // it reached the server just as Shutdown began, as CANCELLED by gRPC
  // itself before any handler saw it. None is broken half-way: every call
  // the service did handle (each is logged) finished OK.
  stop_calls = true;
  caller.join();
  for (const grpc::Status& failure : failures) {
    EXPECT_THAT(failure.error_code(),
                ::testing::AnyOf(grpc::StatusCode::UNAVAILABLE,
                                 grpc::StatusCode::CANCELLED))
        << failure.error_message();
  }
  int handled = 0;
  for (absl::string_view line : absl::StrSplit(service.ReadLog(), '\n')) {
    if (!absl::StrContains(line, "MembershipService/GetOrg")) continue;
    ++handled;
    EXPECT_THAT(std::string(line), HasSubstr("\"code\":\"0\""));
  }
  EXPECT_GE(handled, calls_ok.load());

  const std::string log = service.ReadLog();
  const size_t shutting_down = Position(log, "\"msg\":\"shutting down\"");
  const size_t stopped = Position(log, "\"msg\":\"stopped\"");
  ASSERT_NE(shutting_down, std::string::npos) << LastLines(log, 20);
  ASSERT_NE(stopped, std::string::npos) << LastLines(log, 20);
  EXPECT_LT(shutting_down, stopped);
  EXPECT_THAT(log, HasSubstr("\"signal\":\"15\""));
}

TEST_F(MembershipSystemTest, SecondStartOnMigratedSchemaSucceeds) {
  MembershipProcess& first = NewProcess("first");
  absl::Status started = first.StartAndWaitServing();
  ASSERT_TRUE(started.ok()) << started;
  const int64_t migrations = QueryInt("SELECT COUNT(*) FROM schema_migrations");
  EXPECT_GE(migrations, 1);
  const std::string applied_at =
      database().QueryValue("SELECT MAX(applied_at) FROM schema_migrations");
  std::unique_ptr<mv1::MembershipService::Stub> stub = StubFor(first);
  mv1::Org county =
      CreateOrg(*stub, mv1::ORG_TYPE_COUNTY_FEDERATION, 0, "清河县总工会");
  ASSERT_GT(county.org_id(), 0);
  std::optional<ExitStatus> exit = Terminate(first, absl::Seconds(30));
  ASSERT_TRUE(exit.has_value());
  EXPECT_TRUE(exit->CleanExit()) << exit->ToString();

  MembershipProcess& second = NewProcess("second");
  started = second.StartAndWaitServing();
  ASSERT_TRUE(started.ok()) << started;
  EXPECT_THAT(second.ReadLog(), Not(HasSubstr("applied migration")));
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM schema_migrations"), migrations);
  EXPECT_EQ(
      database().QueryValue("SELECT MAX(applied_at) FROM schema_migrations"),
      applied_at);
  // The data written before the restart is served after it.
  stub = StubFor(second);
  mv1::GetOrgRequest request;
  request.set_org_id(county.org_id());
  mv1::GetOrgResponse response;
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(20)));
  grpc::Status status = stub->GetOrg(&context, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.org().name(), "清河县总工会");

  exit = Terminate(second, absl::Seconds(30));
  ASSERT_TRUE(exit.has_value());
  EXPECT_TRUE(exit->CleanExit()) << exit->ToString();
}

TEST_F(MembershipSystemTest, TwoReplicasStartingTogetherMigrateOnce) {
  // Root: the service migrates the schema itself at start-up.
  MembershipProcess& a = NewProcess("replica-a", 5, false);
  MembershipProcess& b = NewProcess("replica-b", 5, false);
  ASSERT_TRUE(a.Start().ok());
  ASSERT_TRUE(b.Start().ok());
  absl::Status serving_a = a.WaitUntilServing();
  absl::Status serving_b = b.WaitUntilServing();
  ASSERT_TRUE(serving_a.ok()) << serving_a;
  ASSERT_TRUE(serving_b.ok()) << serving_b;
  // Each file was applied once, by one of them.
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM schema_migrations"),
            QueryInt("SELECT COUNT(DISTINCT version) FROM schema_migrations"));
  auto applied_by = [](const std::string& log) {
    int count = 0;
    for (size_t at = log.find("applied migration"); at != std::string::npos;
         at = log.find("applied migration", at + 1)) {
      ++count;
    }
    return count;
  };
  EXPECT_EQ(applied_by(a.ReadLog()) + applied_by(b.ReadLog()),
            QueryInt("SELECT COUNT(*) FROM schema_migrations"));
  for (MembershipProcess* replica : {&a, &b}) {
    std::optional<ExitStatus> exit = Terminate(*replica, absl::Seconds(30));
    ASSERT_TRUE(exit.has_value());
    EXPECT_TRUE(exit->CleanExit()) << exit->ToString();
  }
}

TEST_F(MembershipSystemTest, ChangedMigrationChecksumRefusesToStart) {
  // Root: the service migrates the schema itself at start-up.
  MembershipProcess& first = NewProcess("first", 5, false);
  absl::Status started = first.StartAndWaitServing();
  ASSERT_TRUE(started.ok()) << started;
  std::optional<ExitStatus> exit = Terminate(first, absl::Seconds(30));
  ASSERT_TRUE(exit.has_value());
  ASSERT_TRUE(exit->CleanExit()) << exit->ToString();

  database().Exec("UPDATE schema_migrations SET sha256 = REPEAT('0', 64)");

  MembershipProcess& tampered = NewProcess("tampered", 5, false);
  ASSERT_TRUE(tampered.Start().ok());
  exit = tampered.process().WaitForExit(absl::Seconds(60));
  ASSERT_TRUE(exit.has_value())
      << "still running 60 s after start on a tampered schema; health: "
      << tampered.CheckHealth().status();
  EXPECT_TRUE(exit->exited) << exit->ToString();
  EXPECT_NE(exit->code, 0) << exit->ToString();
  const std::string log = tampered.ReadLog();
  EXPECT_THAT(log,
              HasSubstr("\"msg\":\"migrations failed; refusing to start\""));
  EXPECT_THAT(log, HasSubstr("was changed after it was applied"));
  EXPECT_THAT(log, Not(HasSubstr("\"msg\":\"listening\"")));
  // Nothing was "repaired" behind the operator's back.
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM schema_migrations WHERE sha256 <> "
                     "REPEAT('0', 64)"),
            0);
}

}  // namespace
}  // namespace unionhub::testing
