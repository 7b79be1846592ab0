// WatchEvents over a real server stream: the backlog in sequence order with
// the full new state, live follow, resuming after the last sequence seen,
// and gap-free sequences under concurrent writers.
#include <gmock/gmock.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

#include "tests/service/membership_helpers.h"
#include "tests/support/membership_fixture.h"

namespace unionhub::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;

// A WatchEvents stream read on its own thread. Never hangs a test: waits
// are bounded, and the destructor cancels the call.
class EventStream {
 public:
  EventStream(MembershipServer& server, int64_t after_sequence)
      : stub_(server.NewStub()) {
    context_.set_deadline(Deadline(300));
    mv1::WatchEventsRequest request;
    request.set_after_sequence(after_sequence);
    reader_ = stub_->WatchEvents(&context_, request);
    thread_ = std::thread([this] {
      mv1::WatchEventsResponse response;
      while (reader_->Read(&response)) {
        std::lock_guard<std::mutex> lock(mu_);
        events_.push_back(response.event());
        changed_.notify_all();
      }
      grpc::Status status = reader_->Finish();
      std::lock_guard<std::mutex> lock(mu_);
      status_ = status;
      finished_ = true;
      changed_.notify_all();
    });
  }

  ~EventStream() {
    context_.TryCancel();
    thread_.join();
  }

  // Every event received so far, once at least `n` arrived or the stream
  // ended or `seconds` passed.
  std::vector<mv1::Event> WaitFor(size_t n, int seconds = 30) {
    std::unique_lock<std::mutex> lock(mu_);
    changed_.wait_for(lock, std::chrono::seconds(seconds),
                      [&] { return events_.size() >= n || finished_; });
    return events_;
  }

  grpc::Status WaitForEnd() {
    std::unique_lock<std::mutex> lock(mu_);
    changed_.wait_for(lock, std::chrono::seconds(30),
                      [&] { return finished_; });
    return status_;
  }

 private:
  std::unique_ptr<Stub> stub_;
  grpc::ClientContext context_;
  std::unique_ptr<grpc::ClientReader<mv1::WatchEventsResponse>> reader_;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable changed_;
  std::vector<mv1::Event> events_;
  bool finished_ = false;
  grpc::Status status_;
};

std::vector<int64_t> Sequences(const std::vector<mv1::Event>& events) {
  std::vector<int64_t> out;
  for (const mv1::Event& e : events) out.push_back(e.sequence());
  return out;
}

std::vector<int64_t> Range(int64_t first, int64_t last) {
  std::vector<int64_t> out;
  for (int64_t s = first; s <= last; ++s) out.push_back(s);
  return out;
}

std::vector<mv1::EventType> Types(const std::vector<mv1::Event>& events) {
  std::vector<mv1::EventType> out;
  for (const mv1::Event& e : events) out.push_back(e.type());
  return out;
}

// The member in an event against the member as read back, timestamps
// aside (the event is the state at the change).
void ExpectSameMember(const mv1::Member& in_event, const mv1::Member& stored) {
  mv1::Member a = in_event;
  mv1::Member b = stored;
  for (mv1::Member* m : {&a, &b}) {
    m->clear_create_time();
    m->clear_update_time();
  }
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(a, b))
      << "event: " << a.ShortDebugString()
      << "\nstored: " << b.ShortDebugString();
}

class WatchTest : public ::testing::Test {
 protected:
  WatchTest() : server_("watch") {}

  mv1::Org County(const std::string& name) {
    return MustCreateOrg(server_, mv1::ORG_TYPE_COUNTY_FEDERATION, 0, name);
  }

  MembershipServer server_;
};

TEST_F(WatchTest, BacklogComesInSequenceWithTheFullNewState) {
  mv1::Org c = County("清河县总工会");
  mv1::Org t = MustCreateOrg(server_, mv1::ORG_TYPE_TOWNSHIP_UNION, c.org_id(),
                             "城关镇");
  mv1::Org g = MustCreateGrassroots(server_, t.org_id(), "机械厂工会", 1, 100);
  mv1::Employer e = MustCreateEmployer(server_, t.org_id(), "五金店", 2, 30);
  mv1::JoinMemberRequest join =
      JoinRequest(Person(g.org_id(), 1), "2024-01-10");
  mv1::JoinMemberResponse joined;
  ASSERT_TRUE(Call(server_.stub(), &Stub::JoinMember, join, &joined).ok());
  const int64_t id = joined.member().member_id();
  mv1::ChangeMemberStatusResponse retained;
  ASSERT_TRUE(ChangeStatus(server_, id, mv1::MEMBER_STATUS_RETAINED,
                           "2024-02-01", mv1::RETAINED_REASON_RETIRED,
                           &retained)
                  .ok());
  mv1::TransferMemberRequest transfer;
  transfer.set_request_id(NewRequestId());
  transfer.set_member_id(id);
  transfer.set_to_org_id(t.org_id());
  transfer.set_effective_on("2024-03-01");
  mv1::TransferMemberResponse transferred;
  ASSERT_TRUE(
      Call(server_.stub(), &Stub::TransferMember, transfer, &transferred).ok());

  EventStream stream(server_, 0);
  std::vector<mv1::Event> events = stream.WaitFor(7);
  ASSERT_EQ(events.size(), 7u);
  EXPECT_THAT(Sequences(events), ElementsAreArray(Range(1, 7)));
  EXPECT_THAT(
      Types(events),
      ElementsAre(mv1::EVENT_TYPE_ORG_CREATED, mv1::EVENT_TYPE_ORG_CREATED,
                  mv1::EVENT_TYPE_ORG_CREATED, mv1::EVENT_TYPE_EMPLOYER_CREATED,
                  mv1::EVENT_TYPE_MEMBER_JOINED,
                  mv1::EVENT_TYPE_MEMBER_STATUS_CHANGED,
                  mv1::EVENT_TYPE_MEMBER_TRANSFERRED));
  for (const mv1::Event& event : events) {
    EXPECT_GT(event.record_time().seconds(), 0) << event.sequence();
    EXPECT_FALSE(event.request_id().empty()) << event.sequence();
  }

  // Orgs: the whole org, with its employer and ancestors.
  ASSERT_TRUE(events[2].has_org());
  const mv1::Org& org = events[2].org();
  EXPECT_EQ(org.org_id(), g.org_id());
  EXPECT_EQ(org.name(), "机械厂工会");
  EXPECT_EQ(org.type(), mv1::ORG_TYPE_GRASSROOTS_UNION);
  EXPECT_EQ(org.parent_id(), t.org_id());
  EXPECT_EQ(org.status(), mv1::ORG_STATUS_ESTABLISHED);
  EXPECT_THAT(Ancestors(org), ElementsAre(c.org_id(), t.org_id()));
  EXPECT_EQ(org.employer().credit_code(), MakeCreditCode(1));
  EXPECT_EQ(org.employer().headcount(), 100);
  EXPECT_EQ(org.employer().union_org_id(), g.org_id());
  ASSERT_TRUE(events[3].has_employer());
  EXPECT_EQ(events[3].employer().employer_id(), e.employer_id());
  EXPECT_EQ(events[3].employer().area_org_id(), t.org_id());
  EXPECT_EQ(events[3].employer().headcount(), 30);

  // Members: the whole member after each change, and what it was before.
  ASSERT_TRUE(events[4].has_member());
  EXPECT_EQ(events[4].request_id(), join.request_id());
  EXPECT_EQ(events[4].effective_on(), "2024-01-10");
  ExpectSameMember(events[4].member(), joined.member());
  ASSERT_TRUE(events[5].has_member());
  ExpectSameMember(events[5].member(), retained.member());
  EXPECT_EQ(events[5].member().status(), mv1::MEMBER_STATUS_RETAINED);
  EXPECT_EQ(events[5].member().retained_reason(), mv1::RETAINED_REASON_RETIRED);
  EXPECT_EQ(events[5].previous_status(), mv1::MEMBER_STATUS_ACTIVE);
  EXPECT_EQ(events[5].effective_on(), "2024-02-01");
  ASSERT_TRUE(events[6].has_member());
  ExpectSameMember(events[6].member(), MustGetMember(server_, id));
  EXPECT_EQ(events[6].member().org_id(), t.org_id());
  EXPECT_EQ(events[6].previous_org_id(), g.org_id());
  EXPECT_EQ(events[6].member().national_id(), MakeNationalId("19900101", 1));
  EXPECT_EQ(events[6].member().card_number(), joined.member().card_number());
  EXPECT_EQ(events[6].request_id(), transfer.request_id());
}

TEST_F(WatchTest, AFollowerReceivesLiveChanges) {
  mv1::Org c = County("清河县总工会");
  EventStream stream(server_, 0);
  ASSERT_EQ(stream.WaitFor(1).size(), 1u);  // the backlog: the stream is live

  mv1::Org t = MustCreateOrg(server_, mv1::ORG_TYPE_TOWNSHIP_UNION, c.org_id(),
                             "城关镇");
  const auto changed = std::chrono::steady_clock::now();
  std::vector<mv1::Event> events = stream.WaitFor(2);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_LT(std::chrono::steady_clock::now() - changed,
            std::chrono::seconds(10));
  EXPECT_EQ(events[1].sequence(), 2);
  EXPECT_EQ(events[1].type(), mv1::EVENT_TYPE_ORG_CREATED);
  EXPECT_EQ(events[1].org().org_id(), t.org_id());

  mv1::Member m = MustJoin(server_, Person(t.org_id(), 1));
  events = stream.WaitFor(3);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[2].sequence(), 3);
  EXPECT_EQ(events[2].type(), mv1::EVENT_TYPE_MEMBER_JOINED);
  EXPECT_EQ(events[2].member().member_id(), m.member_id());
  EXPECT_EQ(events[2].member().card_number(), m.card_number());
}

TEST_F(WatchTest, ResumingAfterTheLastSequenceMissesAndRepeatsNothing) {
  mv1::Org c = County("清河县总工会");
  mv1::Org t = MustCreateOrg(server_, mv1::ORG_TYPE_TOWNSHIP_UNION, c.org_id(),
                             "城关镇");
  MustJoin(server_, Person(t.org_id(), 1));
  int64_t last = 0;
  {
    EventStream first(server_, 0);
    std::vector<mv1::Event> events = first.WaitFor(3);
    ASSERT_EQ(events.size(), 3u);
    last = events.back().sequence();
  }
  ASSERT_EQ(last, 3);
  // Changes while nobody watches.
  mv1::Member m2 = MustJoin(server_, Person(t.org_id(), 3));
  mv1::Member m3 = MustJoin(server_, Person(t.org_id(), 5));
  ASSERT_TRUE(
      ChangeStatus(server_, m2.member_id(), mv1::MEMBER_STATUS_LEFT).ok());

  EventStream resumed(server_, last);
  std::vector<mv1::Event> events = resumed.WaitFor(3);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_THAT(Sequences(events), ElementsAre(4, 5, 6));
  EXPECT_EQ(events[0].member().member_id(), m2.member_id());
  EXPECT_EQ(events[1].member().member_id(), m3.member_id());
  EXPECT_EQ(events[2].type(), mv1::EVENT_TYPE_MEMBER_STATUS_CHANGED);
  EXPECT_EQ(events[2].member().status(), mv1::MEMBER_STATUS_LEFT);
  // The next change is the next event: nothing repeated in between.
  MustJoin(server_, Person(t.org_id(), 7));
  events = resumed.WaitFor(4);
  EXPECT_THAT(Sequences(events), ElementsAre(4, 5, 6, 7));

  EventStream from_middle(server_, 5);
  EXPECT_THAT(Sequences(from_middle.WaitFor(2)), ElementsAre(6, 7));
  EventStream at_end(server_, 7);
  MustJoin(server_, Person(t.org_id(), 9));
  EXPECT_THAT(Sequences(at_end.WaitFor(1)), ElementsAre(8));
}

TEST_F(WatchTest, ConcurrentJoinsHaveGapFreeSequences) {
  mv1::Org c = County("清河县总工会");
  mv1::Org t = MustCreateOrg(server_, mv1::ORG_TYPE_TOWNSHIP_UNION, c.org_id(),
                             "城关镇");
  mv1::Org g = MustCreateGrassroots(server_, t.org_id(), "机械厂工会", 1, 500);
  EventStream live(server_, 0);
  ASSERT_EQ(live.WaitFor(3).size(), 3u);

  constexpr int kThreads = 4;
  constexpr int kJoinsPerThread = 10;
  std::vector<std::thread> threads;
  std::vector<int> failures(kThreads, 0);
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      std::unique_ptr<Stub> stub = server_.NewStub();
      for (int k = 0; k < kJoinsPerThread; ++k) {
        const int seq = i * kJoinsPerThread + k;
        mv1::JoinMemberResponse resp;
        grpc::Status status =
            Call(*stub, &Stub::JoinMember,
                 JoinRequest(Person(k % 2 == 0 ? g.org_id() : t.org_id(), seq)),
                 &resp);
        if (!status.ok()) ++failures[i];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_THAT(failures, ElementsAre(0, 0, 0, 0));
  const int64_t n = 3 + kThreads * kJoinsPerThread;

  std::vector<mv1::Event> followed = live.WaitFor(n);
  EXPECT_THAT(Sequences(followed), ElementsAreArray(Range(1, n)));
  std::set<int64_t> members;
  for (const mv1::Event& e : followed) {
    if (e.type() == mv1::EVENT_TYPE_MEMBER_JOINED) {
      members.insert(e.member().member_id());
    }
  }
  EXPECT_EQ(members.size(), static_cast<size_t>(kThreads * kJoinsPerThread));
  EXPECT_EQ(Count(server_, "members"), "40");

  // A reader starting afresh sees the same events.
  EventStream replay(server_, 0);
  std::vector<mv1::Event> backlog = replay.WaitFor(n);
  ASSERT_EQ(backlog.size(), followed.size());
  for (size_t i = 0; i < backlog.size(); ++i) {
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(backlog[i],
                                                                   followed[i]))
        << i;
  }
}

TEST_F(WatchTest, ABacklogLargerThanOneReadArrivesWhole) {
  mv1::Org c = County("清河县总工会");
  mv1::Org t = MustCreateOrg(server_, mv1::ORG_TYPE_TOWNSHIP_UNION, c.org_id(),
                             "城关镇");
  // 1,200 members in one collective registration: 1,200 events.
  grpc::ClientContext context;
  context.set_deadline(Deadline(120));
  mv1::ImportMembersResponse imported;
  auto writer = server_.stub().ImportMembers(&context, &imported);
  mv1::ImportMembersRequest header;
  header.mutable_header()->set_request_id(NewRequestId());
  header.mutable_header()->set_default_org_id(t.org_id());
  ASSERT_TRUE(writer->Write(header));
  for (int i = 0; i < 1200; ++i) {
    mv1::ImportMembersRequest row;
    *row.mutable_row()->mutable_member() =
        Person(0, i % 600, i < 600 ? "19800101" : "19800102");
    ASSERT_TRUE(writer->Write(row));
  }
  writer->WritesDone();
  grpc::Status status = writer->Finish();
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(imported.rows_joined(), 1200);

  EventStream stream(server_, 0);
  std::vector<mv1::Event> events = stream.WaitFor(1202, 60);
  EXPECT_THAT(Sequences(events), ElementsAreArray(Range(1, 1202)));
  EventStream tail(server_, 1100);
  EXPECT_THAT(Sequences(tail.WaitFor(102)),
              ElementsAreArray(Range(1101, 1202)));
}

TEST_F(WatchTest, ANegativeSequenceIsInvalid) {
  EventStream stream(server_, -1);
  grpc::Status status = stream.WaitForEnd();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadFields(status), ElementsAre("after_sequence"));
  EXPECT_TRUE(stream.WaitFor(0).empty());
}

}  // namespace
}  // namespace unionhub::testing
