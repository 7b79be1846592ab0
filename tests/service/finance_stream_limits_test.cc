// Stream limits (common/rpc/stream_limits.h): one scoped caller's idle
// streams cannot take the threads everyone else needs; idle client streams
// are cancelled; every stream ends after its maximum duration, and feed
// followers resume after it. The servers run with small limits so the
// tests provoke them quickly; timings have wide margins for a slow,
// shared machine.
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "tests/service/finance_dues_helpers.h"

namespace unionhub::testing {
namespace {

using ImportWriter = grpc::ClientWriter<fv1::ImportPayrollDeductionsRequest>;

// A payroll import stream opened by its own thread, which sends the header
// and then nothing until Close(); it records when and how it ended.
class IdleImport {
 public:
  IdleImport(FinanceServer& server, const std::string& token,
             int64_t employer_id)
      : stub_(server.FinanceWithToken(token)) {
    context_.set_deadline(Deadline(120));
    opened_ = absl::Now();
    thread_ = std::thread([this, employer_id] {
      std::unique_ptr<ImportWriter> writer =
          stub_->ImportPayrollDeductions(&context_, &response_);
      fv1::ImportPayrollDeductionsRequest header;
      *header.mutable_header() = Header(employer_id);
      writer->Write(header);
      grpc::Status status = writer->Finish();
      absl::MutexLock lock(&mu_);
      status_ = status;
      ended_ = absl::Now();
      done_ = true;
    });
  }
  ~IdleImport() { Close(); }

  bool done() const {
    absl::MutexLock lock(&mu_);
    return done_;
  }
  grpc::Status status() const {
    absl::MutexLock lock(&mu_);
    return status_;
  }
  absl::Duration lasted() const {
    absl::MutexLock lock(&mu_);
    return ended_ - opened_;
  }
  // Waits up to `timeout` for the stream to end.
  bool WaitDone(absl::Duration timeout) const {
    absl::MutexLock lock(&mu_);
    auto ended = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return done_; };
    return mu_.AwaitWithTimeout(absl::Condition(&ended), timeout);
  }
  void Close() {
    context_.TryCancel();
    if (thread_.joinable()) thread_.join();
  }

 private:
  std::unique_ptr<fv1::FinanceService::Stub> stub_;
  grpc::ClientContext context_;
  fv1::ImportPayrollDeductionsResponse response_;
  absl::Time opened_;
  mutable absl::Mutex mu_;
  bool done_ ABSL_GUARDED_BY(mu_) = false;
  grpc::Status status_ ABSL_GUARDED_BY(mu_);
  absl::Time ended_ ABSL_GUARDED_BY(mu_);
  std::thread thread_;
};

ServerLimits SmallLimits() {
  ServerLimits limits;
  limits.max_threads = 8;
  limits.streams.max_streams = 4;  // scoped callers share 3 of them
  limits.streams.max_streams_per_caller = 3;
  limits.streams.idle_timeout = absl::Seconds(90);
  limits.streams.max_duration = absl::Seconds(180);
  return limits;
}

int CountDone(const std::vector<std::unique_ptr<IdleImport>>& streams) {
  int done = 0;
  for (const auto& stream : streams) done += stream->done() ? 1 : 0;
  return done;
}

TEST(FinanceStreamLimits, IdleStreamsOfOneScopedCallerCannotStarveOthers) {
  FinanceServer server("streams_starve", SmallLimits());
  SmallCounty c = BuildSmallCounty(server, {567890, 888800, 500000});
  const int64_t employer = c.union_a1.employer().employer_id();
  const std::string clerk =
      MintTestToken({"finance_clerk"}, c.union_a1.org_id(), "clerk-a1");

  // More idle streams than the server has threads, from one scoped clerk,
  // one after the other (a burst of refusals could itself outrun the
  // threads and be refused by gRPC rather than by the limits).
  constexpr int kStreams = 12;
  std::vector<std::unique_ptr<IdleImport>> streams;
  for (int i = 0; i < kStreams; ++i) {
    streams.push_back(std::make_unique<IdleImport>(server, clerk, employer));
    streams.back()->WaitDone(absl::Seconds(2));
  }
  // (a) all but the caller's three are refused at once.
  const absl::Time limit = absl::Now() + absl::Seconds(30);
  while (CountDone(streams) < kStreams - 3 && absl::Now() < limit) {
    absl::SleepFor(absl::Milliseconds(50));
  }
  absl::SleepFor(absl::Seconds(1));  // nothing else ends on its own
  EXPECT_EQ(CountDone(streams), kStreams - 3);
  for (const auto& stream : streams) {
    if (!stream->done()) continue;
    EXPECT_EQ(stream->status().error_code(),
              grpc::StatusCode::RESOURCE_EXHAUSTED);
    EXPECT_NE(stream->status().error_message().find("limit per caller"),
              std::string::npos)
        << stream->status().error_message();
    EXPECT_LT(stream->lasted(), absl::Seconds(20));
  }

  // (b) unary calls of other callers still get threads...
  const std::string other_clerk =
      MintTestToken({"finance_clerk"}, c.union_b1.org_id(), "clerk-b1");
  std::unique_ptr<fv1::FinanceService::Stub> other =
      server.FinanceWithToken(other_clerk);
  for (int i = 0; i < 20; ++i) {
    fv1::ListSuspenseRequest request;
    request.set_org_id(c.union_b1.org_id());
    fv1::ListSuspenseResponse response;
    grpc::Status status = Rpc(*other, &fv1::FinanceService::Stub::ListSuspense,
                              request, &response);
    EXPECT_TRUE(status.ok())
        << i << ": " << status.error_code() << " " << status.error_message();
    fv1::GetRosterStatusResponse roster;
    grpc::Status admin =
        Rpc(server.finance(), &fv1::FinanceService::Stub::GetRosterStatus,
            fv1::GetRosterStatusRequest(), &roster);
    EXPECT_TRUE(admin.ok())
        << i << ": " << admin.error_code() << " " << admin.error_message();
    if (!status.ok() || !admin.ok()) break;
  }
  // ...another scoped caller finds the scoped share taken, while an
  // unscoped caller (a national administrator) still gets a stream.
  IdleImport scoped_other(server, other_clerk,
                          c.union_b1.employer().employer_id());
  ASSERT_TRUE(scoped_other.WaitDone(absl::Seconds(20)));
  EXPECT_EQ(scoped_other.status().error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(scoped_other.status().error_message().find("organisation-scoped"),
            std::string::npos)
      << scoped_other.status().error_message();
  IdleImport admin(server, MintTestToken({"admin"}, 0, "national-admin"),
                   employer);
  EXPECT_FALSE(admin.WaitDone(absl::Seconds(2)))
      << admin.status().error_message();

  // Closing the clerk's streams gives the clerk its slots back (once the
  // server has seen the cancellations).
  for (auto& stream : streams) stream->Close();
  bool admitted = false;
  for (int attempt = 0; attempt < 20 && !admitted; ++attempt) {
    IdleImport again(server, clerk, employer);
    admitted = !again.WaitDone(absl::Seconds(2));
  }
  EXPECT_TRUE(admitted);
}

TEST(FinanceStreamLimits, IdleClientStreamIsCancelledBusyOneIsNot) {
  ServerLimits limits = SmallLimits();
  limits.streams.idle_timeout = absl::Seconds(2);
  FinanceServer server("streams_idle", limits);
  SmallCounty c = BuildSmallCounty(server, {567890});
  const int64_t employer = c.union_a1.employer().employer_id();
  const std::string clerk =
      MintTestToken({"finance_clerk"}, c.union_a1.org_id(), "clerk-a1");

  // (c) a stream that sends nothing after its header is cancelled.
  IdleImport idle(server, clerk, employer);
  ASSERT_TRUE(idle.WaitDone(absl::Seconds(30)))
      << "the idle stream was never cancelled";
  EXPECT_EQ(idle.status().error_code(), grpc::StatusCode::CANCELLED)
      << idle.status().error_message();
  EXPECT_GE(idle.lasted(), absl::Milliseconds(1500));

  // A stream that keeps sending for longer than the idle timeout is not.
  std::unique_ptr<fv1::FinanceService::Stub> stub =
      server.FinanceWithToken(clerk);
  grpc::ClientContext context;
  context.set_deadline(Deadline(60));
  fv1::ImportPayrollDeductionsResponse response;
  std::unique_ptr<ImportWriter> writer =
      stub->ImportPayrollDeductions(&context, &response);
  fv1::ImportPayrollDeductionsRequest message;
  *message.mutable_header() = Header(employer);
  ASSERT_TRUE(writer->Write(message));
  for (int i = 0; i < 10; ++i) {
    absl::SleepFor(absl::Milliseconds(500));
    *message.mutable_row() =
        RowById(MakeNationalId("19900101", 900 + i), "2025-01", 100);
    ASSERT_TRUE(writer->Write(message)) << "row " << i;
  }
  ASSERT_TRUE(writer->WritesDone());
  grpc::Status status = writer->Finish();
  EXPECT_TRUE(status.ok()) << status.error_code() << " "
                           << status.error_message();
  EXPECT_EQ(response.rows_received(), 10);
}

TEST(FinanceStreamLimits, StreamLongerThanMaximumDurationEnds) {
  ServerLimits limits = SmallLimits();
  limits.streams.idle_timeout = absl::Seconds(30);
  limits.streams.max_duration = absl::Seconds(3);
  FinanceServer server("streams_duration", limits);
  SmallCounty c = BuildSmallCounty(server, {567890});
  const std::string clerk =
      MintTestToken({"finance_clerk"}, c.union_a1.org_id(), "clerk-a1");

  // (d) a busy stream still ends once its maximum duration is over.
  std::unique_ptr<fv1::FinanceService::Stub> stub =
      server.FinanceWithToken(clerk);
  grpc::ClientContext context;
  context.set_deadline(Deadline(60));
  fv1::ImportPayrollDeductionsResponse response;
  const absl::Time opened = absl::Now();
  std::unique_ptr<ImportWriter> writer =
      stub->ImportPayrollDeductions(&context, &response);
  fv1::ImportPayrollDeductionsRequest message;
  *message.mutable_header() = Header(c.union_a1.employer().employer_id());
  bool open = writer->Write(message);
  for (int i = 0; open && absl::Now() - opened < absl::Seconds(40); ++i) {
    absl::SleepFor(absl::Milliseconds(200));
    *message.mutable_row() =
        RowById(MakeNationalId("19900101", i % 1000), "2025-01", 100);
    open = writer->Write(message);
  }
  const absl::Duration lasted = absl::Now() - opened;
  EXPECT_FALSE(open) << "the stream outlived its maximum duration";
  grpc::Status status = writer->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::CANCELLED)
      << status.error_message();
  EXPECT_GE(lasted, absl::Milliseconds(2500));
  EXPECT_LT(lasted, absl::Seconds(30));
}

TEST(FinanceStreamLimits, WatchEndsAtMaximumDurationAndFollowersResume) {
  ServerLimits membership_limits = SmallLimits();
  // Silence from a server stream is not idleness: the watch below waits
  // longer than this without an event and is not cancelled for it.
  membership_limits.streams.idle_timeout = absl::Seconds(1);
  membership_limits.streams.max_duration = absl::Seconds(4);
  FinanceServer server("streams_watch", ServerLimits(), membership_limits);
  SmallCounty c = BuildSmallCounty(server, {567890, 888800});

  // A watch that has caught up ends at the maximum duration with a status
  // followers treat as "reconnect from your cursor".
  std::unique_ptr<mv1::MembershipService::Stub> watcher =
      server.membership().StubWithToken(
          MintTestToken({"service"}, 0, "watch-test"));
  grpc::ClientContext context;
  context.set_deadline(Deadline(60));
  mv1::WatchEventsRequest request;
  const absl::Time opened = absl::Now();
  auto reader = watcher->WatchEvents(&context, request);
  mv1::WatchEventsResponse event;
  int events = 0;
  while (reader->Read(&event)) ++events;
  const absl::Duration lasted = absl::Now() - opened;
  grpc::Status status = reader->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE)
      << status.error_message();
  EXPECT_NE(status.error_message().find("maximum duration"), std::string::npos)
      << status.error_message();
  EXPECT_GT(events, 0);
  EXPECT_GE(lasted, absl::Milliseconds(3500));
  EXPECT_LT(lasted, absl::Seconds(30));

  // Finance's roster consumer has been cut off at least twice meanwhile and
  // still follows: new members made now arrive.
  MembershipServer& m = server.membership();
  for (int i = 0; i < 3; ++i) {
    MustJoin(m, Person(c.union_a2.org_id(), 50 + i), "2025-01-10");
    absl::SleepFor(absl::Seconds(2));
  }
  server.SyncRoster();
  EXPECT_EQ(Sql(server, "SELECT COUNT(*) FROM roster_members"), "5");
}

}  // namespace
}  // namespace unionhub::testing
