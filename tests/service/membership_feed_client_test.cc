// The common change-feed client (common/rpc/feed_client.h) against a fake
// membership WatchEvents: cursor, batches, reconnects, gaps, apply retries,
// cursor saves, the token sent by the channel, and a last_error that never
// carries transport or database text and is cleared once the feed recovers
// (the old roster consumer kept "feed ended: 14 <transport text>" forever).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/rpc/feed_client.h"
#include "common/rpc/status.h"
#include "grpcpp/grpcpp.h"
#include "tests/support/test_env.h"
#include "unionhub/membership/v1/membership.grpc.pb.h"

namespace unionhub::testing {
namespace {

namespace mv1 = ::unionhub::membership::v1;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

// Serves events 1..N after the requested sequence, then holds the stream
// open; the test may make the next calls fail, skip an event, or end.
class FakeFeed final : public mv1::MembershipService::Service {
 public:
  grpc::Status WatchEvents(
      grpc::ServerContext* context, const mv1::WatchEventsRequest* request,
      grpc::ServerWriter<mv1::WatchEventsResponse>* writer) override {
    int64_t skip = 0;
    {
      absl::MutexLock lock(&mu_);
      after_.push_back(request->after_sequence());
      auto auth = context->client_metadata().find("authorization");
      authorization_.push_back(
          auth == context->client_metadata().end()
              ? ""
              : std::string(auth->second.data(), auth->second.size()));
      if (failures_left_ > 0) {
        --failures_left_;
        return grpc::Status(
            grpc::StatusCode::UNAVAILABLE,
            "ipv4:10.9.8.7:5555: Connection refused (errno 111)");
      }
      skip = skip_once_;
      skip_once_ = 0;
    }
    int64_t next = request->after_sequence() + 1;
    while (!context->IsCancelled()) {
      int64_t last = 0;
      {
        absl::MutexLock lock(&mu_);
        last = last_;
      }
      if (next <= last) {
        if (next == skip) {
          ++next;
          continue;
        }
        mv1::WatchEventsResponse response;
        response.mutable_event()->set_sequence(next);
        response.mutable_event()->mutable_record_time()->set_seconds(
            1700000000 + next);
        if (!writer->Write(response)) break;
        ++next;
        continue;
      }
      absl::SleepFor(absl::Milliseconds(5));
    }
    return grpc::Status::OK;
  }

  void Publish(int64_t last) {
    absl::MutexLock lock(&mu_);
    last_ = last;
  }
  void FailNext(int calls) {
    absl::MutexLock lock(&mu_);
    failures_left_ = calls;
  }
  void SkipOnce(int64_t sequence) {
    absl::MutexLock lock(&mu_);
    skip_once_ = sequence;
  }
  std::vector<int64_t> After() const {
    absl::MutexLock lock(&mu_);
    return after_;
  }
  std::vector<std::string> Authorization() const {
    absl::MutexLock lock(&mu_);
    return authorization_;
  }

 private:
  mutable absl::Mutex mu_;
  int64_t last_ ABSL_GUARDED_BY(mu_) = 0;
  int failures_left_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t skip_once_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<int64_t> after_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> authorization_ ABSL_GUARDED_BY(mu_);
};

class FakeServer {
 public:
  explicit FakeServer(bool tls) {
    grpc::ServerBuilder builder;
    builder.AddListeningPort(
        "127.0.0.1:0",
        tls ? TestServerCredentials() : grpc::InsecureServerCredentials(),
        &port_);
    builder.RegisterService(&feed_);
    server_ = builder.BuildAndStart();
  }
  ~FakeServer() {
    server_->Shutdown(std::chrono::system_clock::now() +
                      std::chrono::seconds(1));
  }
  std::string target() const { return "127.0.0.1:" + std::to_string(port_); }
  FakeFeed& feed() { return feed_; }

 private:
  FakeFeed feed_;
  int port_ = 0;
  std::unique_ptr<grpc::Server> server_;
};

// What the consumer saw.
struct Recorder {
  absl::Mutex mu;
  std::vector<int64_t> applied ABSL_GUARDED_BY(mu);
  std::vector<size_t> batch_sizes ABSL_GUARDED_BY(mu);
  std::vector<int64_t> saved ABSL_GUARDED_BY(mu);
  int fail_applies ABSL_GUARDED_BY(mu) = 0;
  bool stores_cursor = true;

  rpc::FeedConsumer Consumer(int64_t cursor) {
    rpc::FeedConsumer consumer;
    consumer.load_cursor = [cursor]() -> absl::StatusOr<int64_t> {
      return cursor;
    };
    consumer.apply =
        [this](
            const std::vector<mv1::Event>& batch) -> absl::StatusOr<int64_t> {
      absl::MutexLock lock(&mu);
      if (fail_applies > 0) {
        --fail_applies;
        return absl::InternalError(
            "You have an error in your SQL syntax near 'secret_table'");
      }
      batch_sizes.push_back(batch.size());
      for (const mv1::Event& e : batch) applied.push_back(e.sequence());
      return stores_cursor ? batch.back().sequence() : 0;
    };
    consumer.save_cursor = [this](int64_t sequence) {
      absl::MutexLock lock(&mu);
      saved.push_back(sequence);
      return absl::OkStatus();
    };
    return consumer;
  }
  std::vector<int64_t> Applied() {
    absl::MutexLock lock(&mu);
    return applied;
  }
};

rpc::FeedClientConfig Config(const std::string& target, bool tls) {
  rpc::FeedClientConfig config;
  config.membership_target = target;
  config.credentials =
      tls ? TestChannelCredentials("") : grpc::InsecureChannelCredentials();
  config.token = [] { return std::string("feed-token"); };
  config.initial_backoff = absl::Milliseconds(20);
  config.max_backoff = absl::Milliseconds(100);
  return config;
}

std::vector<int64_t> Range(int64_t from, int64_t to) {
  std::vector<int64_t> out;
  for (int64_t i = from; i <= to; ++i) out.push_back(i);
  return out;
}

// Polls `done` for up to five seconds.
template <typename Done>
bool Eventually(Done done) {
  const absl::Time deadline = absl::Now() + absl::Seconds(5);
  while (absl::Now() < deadline) {
    if (done()) return true;
    absl::SleepFor(absl::Milliseconds(10));
  }
  return done();
}

TEST(FeedClient, ResumesAfterTheCursorAndAppliesInOrderInBatches) {
  FakeServer server(false);
  server.feed().Publish(25);
  Recorder recorder;
  rpc::FeedClientConfig config = Config(server.target(), false);
  config.batch_size = 4;
  rpc::FeedClient client(config, recorder.Consumer(5));
  client.Start();
  ASSERT_TRUE(client.WaitForSequence(25, absl::Seconds(5)));
  EXPECT_EQ(recorder.Applied(), Range(6, 25));
  {
    absl::MutexLock lock(&recorder.mu);
    for (size_t size : recorder.batch_sizes) EXPECT_LE(size, 4u);
  }
  EXPECT_EQ(server.feed().After().front(), 5);
  const rpc::FeedStatus status = client.Status();
  EXPECT_TRUE(status.connected);
  EXPECT_EQ(status.applied_sequence, 25);
  EXPECT_EQ(status.pending_events, 0);
  EXPECT_EQ(status.last_event_time, absl::FromUnixSeconds(1700000025));
  EXPECT_EQ(status.last_error, "");
  client.Stop();
}

TEST(FeedClient, TheChannelSendsTheTokenOverPlaintextAndTls) {
  for (bool tls : {false, true}) {
    FakeServer server(tls);
    server.feed().Publish(1);
    Recorder recorder;
    rpc::FeedClient client(Config(server.target(), tls), recorder.Consumer(0));
    client.Start();
    ASSERT_TRUE(client.WaitForSequence(1, absl::Seconds(5))) << tls;
    client.Stop();
    EXPECT_THAT(server.feed().Authorization(), ElementsAre("Bearer feed-token"))
        << tls;
  }
}

TEST(FeedClient, ReconnectsReportingOnlyTheCodeAndClearsTheErrorOnceBack) {
  FakeServer server(false);
  server.feed().FailNext(1000);
  server.feed().Publish(3);
  Recorder recorder;
  rpc::FeedClient client(Config(server.target(), false), recorder.Consumer(0));
  client.Start();
  ASSERT_TRUE(Eventually([&] { return server.feed().After().size() >= 3; }));
  const rpc::FeedStatus down = client.Status();
  EXPECT_FALSE(down.connected);
  EXPECT_THAT(down.last_error, HasSubstr("UNAVAILABLE"));
  EXPECT_THAT(down.last_error, Not(HasSubstr("10.9.8.7")));
  EXPECT_THAT(down.last_error, Not(HasSubstr("refused")));
  EXPECT_THAT(down.last_error, Not(HasSubstr("errno")));

  server.feed().FailNext(0);
  ASSERT_TRUE(client.WaitForSequence(3, absl::Seconds(5)));
  EXPECT_TRUE(Eventually([&] { return client.Status().last_error.empty(); }))
      << client.Status().last_error;
  EXPECT_TRUE(client.Status().connected);
  EXPECT_EQ(recorder.Applied(), Range(1, 3));
  client.Stop();
}

TEST(FeedClient, AGapReconnectsFromTheLastEventReceived) {
  FakeServer server(false);
  server.feed().SkipOnce(3);
  server.feed().Publish(5);
  Recorder recorder;
  rpc::FeedClient client(Config(server.target(), false), recorder.Consumer(0));
  client.Start();
  ASSERT_TRUE(client.WaitForSequence(5, absl::Seconds(5)));
  EXPECT_EQ(recorder.Applied(), Range(1, 5));
  EXPECT_THAT(server.feed().After(), ElementsAre(0, 2));
  client.Stop();
}

TEST(FeedClient, AFailedApplyIsRetriedAndReportedWithoutTheDatabaseText) {
  FakeServer server(false);
  Recorder recorder;
  {
    absl::MutexLock lock(&recorder.mu);
    recorder.fail_applies = 1000;
  }
  server.feed().Publish(4);
  rpc::FeedClient client(Config(server.target(), false), recorder.Consumer(0));
  client.Start();
  ASSERT_TRUE(Eventually([&] { return !client.Status().last_error.empty(); }));
  const std::string error = client.Status().last_error;
  EXPECT_THAT(error, HasSubstr("applying events from 1"));
  EXPECT_THAT(error, HasSubstr("INTERNAL"));
  EXPECT_THAT(error, Not(HasSubstr("SQL")));
  EXPECT_THAT(error, Not(HasSubstr("secret_table")));
  EXPECT_EQ(client.Status().applied_sequence, 0);
  {
    absl::MutexLock lock(&recorder.mu);
    recorder.fail_applies = 0;
  }
  ASSERT_TRUE(client.WaitForSequence(4, absl::Seconds(5)));
  EXPECT_EQ(recorder.Applied(), Range(1, 4));  // each once
  EXPECT_TRUE(Eventually([&] { return client.Status().last_error.empty(); }));
  client.Stop();
}

TEST(FeedClient, ACursorApplyDoesNotStoreIsSavedEveryNEventsAndOnStop) {
  FakeServer server(false);
  Recorder recorder;
  recorder.stores_cursor = false;
  rpc::FeedClientConfig config = Config(server.target(), false);
  config.batch_size = 1;
  config.cursor_flush_every = 4;
  rpc::FeedClient client(config, recorder.Consumer(0));
  client.Start();
  server.feed().Publish(10);
  ASSERT_TRUE(client.WaitForSequence(10, absl::Seconds(5)));
  ASSERT_TRUE(Eventually([&] {
    absl::MutexLock lock(&recorder.mu);
    return recorder.saved.size() >= 2;
  }));
  client.Stop();
  absl::MutexLock lock(&recorder.mu);
  EXPECT_EQ(recorder.saved[0], 4);
  EXPECT_EQ(recorder.saved[1], 8);
  EXPECT_EQ(recorder.saved.back(), 10);
}

TEST(FeedClient, StopsPromptlyWithTheStreamOpenAndStartsAgain) {
  FakeServer server(false);
  server.feed().Publish(2);
  Recorder recorder;
  rpc::FeedClient client(Config(server.target(), false), recorder.Consumer(0));
  client.Start();
  ASSERT_TRUE(client.WaitForSequence(2, absl::Seconds(5)));
  const absl::Time before = absl::Now();
  client.Stop();
  EXPECT_LT(absl::Now() - before, absl::Seconds(2));
  server.feed().Publish(3);
  client.Start();  // from the consumer's cursor (0) again: replays are no-ops
  ASSERT_TRUE(client.WaitForSequence(3, absl::Seconds(5)));
  client.Stop();
}

TEST(PeerStatus, UnavailableNamesThePeerButNotTheTransport) {
  const absl::Status status = rpc::FromPeerStatus(
      "membership", "GetMember",
      grpc::Status(grpc::StatusCode::UNAVAILABLE,
                   "failed to connect to all addresses; last error: "
                   "ipv4:10.0.0.1:443: Connection refused"));
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(status.message(), HasSubstr("membership is unavailable"));
  EXPECT_THAT(status.message(), HasSubstr("GetMember"));
  EXPECT_THAT(status.message(), HasSubstr("nothing was changed"));
  EXPECT_THAT(status.message(), Not(HasSubstr("10.0.0.1")));
  EXPECT_EQ(
      rpc::FromPeerStatus("finance", "GetDuesStanding",
                          grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED,
                                       "Deadline Exceeded"))
          .code(),
      absl::StatusCode::kUnavailable);
}

TEST(PeerStatus, NotFoundIsThePeersAnswerAndAnyOtherRefusalIsOurs) {
  const absl::Status missing = rpc::FromPeerStatus(
      "membership", "GetMember",
      grpc::Status(grpc::StatusCode::NOT_FOUND, "member 7 not found"));
  EXPECT_EQ(missing, absl::NotFoundError("member 7 not found"));
  const absl::Status refused = rpc::FromPeerStatus(
      "membership", "GetMember",
      grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "role"));
  EXPECT_EQ(refused.code(), absl::StatusCode::kInternal);
  // Internal text reaches only the log (ToGrpcStatus replaces it).
  EXPECT_EQ(rpc::ToGrpcStatus(refused).error_message(),
            "internal error; the details are in the server log");
  EXPECT_TRUE(
      rpc::FromPeerStatus("membership", "GetMember", grpc::Status::OK).ok());
}

}  // namespace
}  // namespace unionhub::testing
