// System tests of ImportMembers interrupted half-way: the service process
// SIGKILLed (or SIGTERMed, or the client giving up) while a collective
// registration streams in, then the same stream sent again with the same
// request_id. Every row must end up written exactly once and whole: batches
// committed before the interruption answer from storage, the rest is
// applied, and a further re-send writes nothing.
#include <cppconn/connection.h>
#include <cppconn/exception.h>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "tests/support/membership_fixture.h"
#include "tests/system/process.h"
#include "tests/system/system_fixture.h"

namespace unionhub::testing {
namespace {

constexpr int kBatchRows = 500;  // the server's batch size
constexpr char kJoinedOn[] = "2024-03-01";
constexpr absl::Duration kImportTimeout = absl::Seconds(150);

// An ImportMembers call whose rows are written by a background thread up to
// a limit the test moves (SendUpTo), with the stream held open (no
// WritesDone) until Finish(), so the test decides when and how the call is
// interrupted.
class HeldImport {
 public:
  HeldImport(mv1::MembershipService::Stub& stub,
             const mv1::ImportMembersRequest& header,
             const std::vector<mv1::ImportMembersRequest>& rows,
             size_t send_first)
      : target_(send_first) {
    context_.set_deadline(absl::ToChronoTime(absl::Now() + kImportTimeout));
    writer_ = stub.ImportMembers(&context_, &response_);
    thread_ = std::thread([this, header, &rows] {
      bool open = writer_->Write(header);
      size_t next = 0;
      while (open && next < rows.size()) {
        size_t target;
        {
          std::unique_lock<std::mutex> lock(mu_);
          cv_.wait(lock, [&] { return released_ || target_ > next; });
          if (released_) break;
          target = std::min(target_, rows.size());
        }
        for (; open && next < target; ++next) {
          open = writer_->Write(rows[next]);
          if (open) ++written_;
        }
      }
      write_failed_ = !open;
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return released_; });
    });
  }

  ~HeldImport() {
    if (!finished_) {
      context_.TryCancel();
      Finish();
    }
  }

  // Lets the writer go on up to row `count`.
  void SendUpTo(size_t count) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      target_ = std::max(target_, count);
    }
    cv_.notify_all();
  }

  // Rows handed to gRPC so far.
  size_t written() const { return written_; }
  bool write_failed() const { return write_failed_; }

  void Cancel() { context_.TryCancel(); }

  // Releases the writer thread and collects the call's status. Call after
  // the stream was interrupted (server gone, or Cancel()).
  grpc::Status Finish() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      released_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
    if (!finished_) {
      finished_ = true;
      status_ = writer_->Finish();
    }
    return status_;
  }

 private:
  grpc::ClientContext context_;
  mv1::ImportMembersResponse response_;
  std::unique_ptr<grpc::ClientWriter<mv1::ImportMembersRequest>> writer_;
  std::thread thread_;
  std::atomic<bool> write_failed_{false};
  std::atomic<size_t> written_{0};
  std::mutex mu_;
  std::condition_variable cv_;
  size_t target_;          // guarded by mu_
  bool released_ = false;  // guarded by mu_
  bool finished_ = false;
  grpc::Status status_;
};

// Holds counters.event_sequence FOR UPDATE in an open transaction of its
// own session. Every writing transaction takes that row as its last step,
// so a batch started meanwhile writes its members, periods and history and
// then waits, uncommitted, until Release().
class EventSequenceLock {
 public:
  explicit EventSequenceLock(db::DbConfig config) {
    config.pool_size = 1;
    pool_ = std::make_unique<db::Pool>(config);
  }
  ~EventSequenceLock() {
    Release();
    lease_.reset();
    pool_.reset();
  }

  absl::Status Lock() {
    absl::StatusOr<db::Pool::Lease> lease = pool_->Acquire();
    if (!lease.ok()) return lease.status();
    lease_.emplace(std::move(*lease));
    try {
      sql::Connection& conn = (*lease_)->raw();
      conn.setAutoCommit(false);
      std::unique_ptr<sql::Statement> statement(conn.createStatement());
      std::unique_ptr<sql::ResultSet> rs(statement->executeQuery(
          "SELECT value FROM counters WHERE name = 'event_sequence' FOR "
          "UPDATE"));
      locked_ = true;
    } catch (const sql::SQLException& e) {
      return absl::InternalError(e.what());
    }
    return absl::OkStatus();
  }

  void Release() {
    if (!locked_) return;
    locked_ = false;
    try {
      (*lease_)->raw().rollback();
      (*lease_)->raw().setAutoCommit(true);
    } catch (const sql::SQLException& e) {
      ADD_FAILURE() << "releasing the lock: " << e.what();
      (*lease_)->MarkBroken();
    }
  }

 private:
  std::unique_ptr<db::Pool> pool_;
  std::optional<db::Pool::Lease> lease_;
  bool locked_ = false;
};

// Counts that must not move when a re-send is answered from storage.
struct Snapshot {
  int64_t members, periods, history, events, max_sequence, keys;
  bool operator==(const Snapshot& o) const {
    return members == o.members && periods == o.periods &&
           history == o.history && events == o.events &&
           max_sequence == o.max_sequence && keys == o.keys;
  }
};

std::ostream& operator<<(std::ostream& os, const Snapshot& s) {
  return os << "{members " << s.members << ", periods " << s.periods
            << ", history " << s.history << ", events " << s.events
            << ", max_sequence " << s.max_sequence << ", keys " << s.keys
            << "}";
}

class ImportCrashTest : public MembershipSystemTest {
 protected:
  // COUNTY_FEDERATION root with a TOWNSHIP_UNION child, which may hold
  // members (a grassroots union would need an employer record). Returns the
  // township's id (0 on failure). Writes two ORG_CREATED events.
  int64_t CreateTownship(mv1::MembershipService::Stub& stub) {
    mv1::Org county =
        CreateOrg(stub, mv1::ORG_TYPE_COUNTY_FEDERATION, 0, "清河县总工会");
    if (county.org_id() <= 0) return 0;
    mv1::Org township = CreateOrg(stub, mv1::ORG_TYPE_TOWNSHIP_UNION,
                                  county.org_id(), "城关镇总工会");
    return township.org_id();
  }

  int64_t Members() { return QueryInt("SELECT COUNT(*) FROM members"); }

  Snapshot Take() {
    return Snapshot{
        Members(),
        QueryInt("SELECT COUNT(*) FROM member_periods"),
        QueryInt("SELECT COUNT(*) FROM member_history"),
        QueryInt("SELECT COUNT(*) FROM events"),
        QueryInt("SELECT COALESCE(MAX(sequence), 0) FROM events"),
        QueryInt("SELECT COUNT(*) FROM idempotency_keys"),
    };
  }

  // Waits until the first batch is committed and `sent` rows (a partial
  // second batch) have been written to the stream, then a moment more so
  // the server has read them: the state in which a cut-off stream must not
  // commit its partial batch. Returns the members committed.
  int64_t WaitForPartialSecondBatch(MembershipProcess& process,
                                    const HeldImport& import, size_t sent) {
    const int64_t seen = WaitForMembers(
        process, import, [](int64_t n) { return n >= kBatchRows; },
        absl::Seconds(120));
    const absl::Time sent_deadline = absl::Now() + absl::Seconds(30);
    while (import.written() < sent && absl::Now() < sent_deadline) {
      absl::SleepFor(absl::Milliseconds(10));
    }
    absl::SleepFor(absl::Seconds(1));
    return seen;
  }

  // Polls the members table until `done(count)` holds; fails (returning
  // -1) after `timeout`, or when `process` exits or the import's writer
  // failed meanwhile.
  template <typename Done>
  int64_t WaitForMembers(MembershipProcess& process, const HeldImport& import,
                         Done done, absl::Duration timeout) {
    const absl::Time deadline = absl::Now() + timeout;
    while (true) {
      const int64_t count = Members();
      if (done(count)) return count;
      if (!process.Running()) {
        ADD_FAILURE() << "the service exited during the import: "
                      << process.process().status()->ToString();
        return -1;
      }
      if (import.write_failed()) {
        ADD_FAILURE() << "the import stream failed after " << import.written()
                      << " rows";
        return -1;
      }
      if (absl::Now() >= deadline) {
        ADD_FAILURE() << "members stayed at " << count << " for "
                      << absl::FormatDuration(timeout);
        return -1;
      }
      absl::SleepFor(absl::Milliseconds(10));
    }
  }

  // The database holds exactly `members` members of `org_id`, each one whole
  // (card, one open period, one JOINED history entry, one MEMBER_JOINED
  // event), with `other_events` further events and gapless sequences, and
  // one idempotency key per committed batch of `request_id`.
  void ExpectWholeRows(int64_t members, int64_t org_id,
                       const std::string& request_id, int64_t other_events) {
    SCOPED_TRACE(absl::StrCat("expecting ", members, " whole members"));
    const std::string org = absl::StrCat(org_id);
    EXPECT_EQ(Members(), members);
    // National IDs are sealed at rest; their keyed-hash index tells them
    // apart.
    EXPECT_EQ(QueryInt("SELECT COUNT(DISTINCT national_id_index) FROM members"),
              members);
    EXPECT_EQ(QueryInt("SELECT COUNT(DISTINCT card_number) FROM members WHERE "
                       "card_number <> ''"),
              members)
        << "a member without a card number, or a card twice";
    EXPECT_EQ(QueryInt(absl::StrCat(
                  "SELECT COUNT(*) FROM members WHERE status = 1 AND org_id = ",
                  org, " AND joined_on = '", kJoinedOn, "'")),
              members);

    EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM member_periods"), members);
    EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM members m WHERE (SELECT COUNT(*) "
                       "FROM member_periods p WHERE p.member_id = m.id) <> 1"),
              0)
        << "a member without exactly one member_periods row";
    EXPECT_EQ(QueryInt(absl::StrCat(
                  "SELECT COUNT(*) FROM member_periods WHERE valid_to IS NULL "
                  "AND status = 1 AND org_id = ",
                  org, " AND valid_from = '", kJoinedOn, "'")),
              members);

    EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM member_history"), members);
    EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM members m WHERE (SELECT COUNT(*) "
                       "FROM member_history h WHERE h.member_id = m.id) <> 1"),
              0)
        << "a member without exactly one member_history row";
    EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM member_history WHERE kind = 1 "
                       "AND request_id = ?",
                       request_id),
              members);

    const int64_t events = members + other_events;
    EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM events WHERE type = 1"), members)
        << "MEMBER_JOINED events";
    EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM events"), events);
    EXPECT_EQ(QueryInt("SELECT COALESCE(MIN(sequence), 0) FROM events"),
              events > 0 ? 1 : 0);
    EXPECT_EQ(QueryInt("SELECT COALESCE(MAX(sequence), 0) FROM events"), events)
        << "a gap in the event sequences";
    EXPECT_EQ(QueryInt("SELECT value FROM counters WHERE name = "
                       "'event_sequence'"),
              events);

    EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM idempotency_keys WHERE "
                       "request_id LIKE CONCAT(?, '#%')",
                       request_id),
              (members + kBatchRows - 1) / kBatchRows);
  }

  // Every row JOINED, in row order, with distinct member ids and cards that
  // match what the database holds for that person.
  void ExpectAllJoined(const mv1::ImportMembersResponse& response,
                       const std::vector<mv1::ImportMembersRequest>& rows) {
    const int64_t n = static_cast<int64_t>(rows.size());
    EXPECT_EQ(response.rows_received(), n);
    EXPECT_EQ(response.rows_joined(), n);
    EXPECT_EQ(response.rows_reactivated(), 0);
    EXPECT_EQ(response.rows_rejected(), 0);
    ASSERT_EQ(response.results_size(), n);
    // Each row's person, found by mobile number (unique per row and, unlike
    // the national ID, stored in clear).
    std::map<std::string, std::pair<int64_t, std::string>> stored;
    for (const std::vector<std::string>& row :
         QueryRows("SELECT mobile, id, card_number FROM members")) {
      stored[row[0]] = {std::stoll(row[1]), row[2]};
    }
    std::set<int64_t> ids;
    int mismatches = 0;
    for (int64_t i = 0; i < n; ++i) {
      const mv1::ImportRowResult& result = response.results(i);
      ASSERT_EQ(result.row_number(), i + 1);
      ASSERT_EQ(result.outcome(), mv1::IMPORT_OUTCOME_JOINED)
          << "row " << i + 1 << ": " << result.error_code() << " "
          << result.error_message();
      ids.insert(result.member_id());
      auto it = stored.find(rows[i].row().member().mobile());
      if (it == stored.end() || it->second.first != result.member_id() ||
          it->second.second != result.card_number()) {
        if (++mismatches <= 5) {
          ADD_FAILURE() << "row " << i + 1 << " answered member "
                        << result.member_id() << " card "
                        << result.card_number()
                        << ", which is not what the database holds";
        }
      }
    }
    EXPECT_EQ(mismatches, 0);
    EXPECT_EQ(ids.size(), static_cast<size_t>(n)) << "a member id twice";
  }

  // The change feed, read from the start: `expected_events` events with
  // sequences 1..N in order, `joined` of them MEMBER_JOINED for distinct
  // members, all carrying `request_id`.
  void ExpectFeed(MembershipProcess& process, int64_t expected_events,
                  int64_t joined, const std::string& request_id) {
    std::unique_ptr<mv1::MembershipService::Stub> stub = StubFor(process);
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(90)));
    mv1::WatchEventsRequest request;
    request.set_after_sequence(0);
    std::unique_ptr<grpc::ClientReader<mv1::WatchEventsResponse>> reader =
        stub->WatchEvents(&context, request);
    mv1::WatchEventsResponse message;
    int64_t next = 1;
    int64_t joined_seen = 0;
    std::set<int64_t> members;
    while (next <= expected_events && reader->Read(&message)) {
      const mv1::Event& event = message.event();
      ASSERT_EQ(event.sequence(), next) << "feed out of order or with a gap";
      if (event.type() == mv1::EVENT_TYPE_MEMBER_JOINED) {
        ++joined_seen;
        members.insert(event.member().member_id());
        EXPECT_EQ(event.request_id(), request_id);
      }
      ++next;
    }
    context.TryCancel();
    reader->Finish();
    EXPECT_EQ(next - 1, expected_events) << "events delivered by WatchEvents";
    EXPECT_EQ(joined_seen, joined);
    EXPECT_EQ(members.size(), static_cast<size_t>(joined));
  }

  // Sessions of other connections on this schema executing the outbox's
  // event-sequence UPDATE, the last step of a writing transaction. While
  // EventSequenceLock is held they are waiting, their rows written but not
  // committed. (INNODB_TRX would be the natural place to look, but MariaDB
  // 10.11 does not always list a transaction in LOCK WAIT there.)
  int64_t SessionsWaitingOnEventSequence() {
    return QueryInt(absl::StrCat(
        "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = '",
        database().schema(),
        "' AND ID <> CONNECTION_ID() AND INFO LIKE 'UPDATE counters%' AND "
        "INFO LIKE '%event_sequence%'"));
  }

  // After the first process was killed (or stopped) mid-import: checks that
  // only whole batches remain, restarts the service on the same schema,
  // re-sends the same stream and checks that every row is then written
  // exactly once, that a further re-send writes nothing and answers the
  // same, and that the change feed carries each join once without gaps.
  //
  // `running` is the process to re-send to when the first one was not
  // stopped (the client gave up); otherwise a new process `name` starts.
  void ExpectResendCompletes(const mv1::ImportMembersRequest& header,
                             const std::vector<mv1::ImportMembersRequest>& rows,
                             int64_t township, const std::string& name,
                             MembershipProcess* running = nullptr) {
    const std::string& request_id = header.header().request_id();
    const int64_t n = static_cast<int64_t>(rows.size());
    if (running == nullptr) {
      ASSERT_TRUE(WaitForOtherSessionsToClose(absl::Seconds(60)))
          << "sessions of the stopped process are still open";
    }
    const int64_t committed = Members();
    EXPECT_EQ(committed % kBatchRows, 0) << "a batch was half-written";
    {
      SCOPED_TRACE("before the re-send");
      ExpectWholeRows(committed, township, request_id, /*other_events=*/2);
    }

    if (running == nullptr) {
      running = &NewProcess(name);
      absl::Status started = running->StartAndWaitServing();
      ASSERT_TRUE(started.ok()) << started;
    }
    MembershipProcess& second = *running;
    std::unique_ptr<mv1::MembershipService::Stub> stub = StubFor(second);
    const ImportCall resend = RunImport(*stub, header, rows, kImportTimeout);
    ASSERT_TRUE(resend.status.ok())
        << resend.status.error_code() << " " << resend.status.error_message();
    std::printf("re-send of %lld rows (%lld already committed) took %s\n",
                static_cast<long long>(n), static_cast<long long>(committed),
                absl::FormatDuration(resend.elapsed).c_str());
    ExpectAllJoined(resend.response, rows);
    {
      SCOPED_TRACE("after the re-send");
      ExpectWholeRows(n, township, request_id, /*other_events=*/2);
    }

    // Once more: the same answer, from storage, and nothing written.
    const Snapshot before = Take();
    const ImportCall again = RunImport(*stub, header, rows, kImportTimeout);
    ASSERT_TRUE(again.status.ok()) << again.status.error_message();
    ASSERT_EQ(again.response.results_size(), resend.response.results_size());
    for (int i = 0; i < again.response.results_size(); ++i) {
      const mv1::ImportRowResult& a = again.response.results(i);
      const mv1::ImportRowResult& b = resend.response.results(i);
      ASSERT_TRUE(
          a.row_number() == b.row_number() && a.outcome() == b.outcome() &&
          a.member_id() == b.member_id() && a.card_number() == b.card_number())
          << "row " << i + 1 << " answered differently the second time";
    }
    EXPECT_EQ(again.response.rows_joined(), resend.response.rows_joined());
    EXPECT_EQ(Take(), before) << "the second re-send wrote something";

    // Followers learn of each join exactly once, in order, without gaps.
    ExpectFeed(second, n + 2, n, request_id);

    second.process().Signal(SIGTERM);
    std::optional<ExitStatus> exit =
        second.process().WaitForExit(absl::Seconds(30));
    ASSERT_TRUE(exit.has_value()) << "still running 30 s after SIGTERM";
    EXPECT_TRUE(exit->CleanExit()) << exit->ToString();
  }
};

// The scenario, made deterministic: two batches committed, the
// third written but not committed (held on the event-sequence row lock)
// when the process is SIGKILLed.
TEST_F(ImportCrashTest, SigkillMidBatchTransactionThenResendAppliesRowsOnce) {
  constexpr int kRows = 6000;
  MembershipProcess& first = NewProcess("before-kill");
  absl::Status started = first.StartAndWaitServing();
  ASSERT_TRUE(started.ok()) << started;
  std::unique_ptr<mv1::MembershipService::Stub> stub = StubFor(first);
  const int64_t township = CreateTownship(*stub);
  ASSERT_GT(township, 0);
  const mv1::ImportMembersRequest header =
      MakeImportHeader(absl::StrCat(NewRequestId(), "-kill"), township);
  const std::vector<mv1::ImportMembersRequest> rows = MakeImportRows(kRows);

  {
    HeldImport import(*stub, header, rows, 2 * kBatchRows);
    const int64_t committed = WaitForMembers(
        first, import, [](int64_t n) { return n >= 2 * kBatchRows; },
        absl::Seconds(120));
    ASSERT_EQ(committed, 2 * kBatchRows);

    EventSequenceLock lock(database().config());
    absl::Status locked = lock.Lock();
    ASSERT_TRUE(locked.ok()) << locked;
    // The third batch and half of the fourth.
    import.SendUpTo(6 * kBatchRows + kBatchRows / 2);
    const absl::Time deadline = absl::Now() + absl::Seconds(120);
    while (SessionsWaitingOnEventSequence() == 0) {
      ASSERT_TRUE(first.Running()) << "the service exited during the import";
      ASSERT_FALSE(import.write_failed()) << "the import stream failed";
      ASSERT_LT(absl::Now(), deadline)
          << "no batch transaction started waiting on the lock";
      absl::SleepFor(absl::Milliseconds(10));
    }
    EXPECT_EQ(Members(), 2 * kBatchRows) << "uncommitted rows are visible";

    const ExitStatus killed = first.process().Kill();
    EXPECT_EQ(killed.signal, SIGKILL) << killed.ToString();
    lock.Release();
    const grpc::Status interrupted = import.Finish();
    EXPECT_FALSE(interrupted.ok()) << "an import cut off by SIGKILL succeeded";
    std::printf(
        "SIGKILL with %lld rows committed and the next batch written but not "
        "committed; the call ended with %d %s\n",
        static_cast<long long>(committed),
        static_cast<int>(interrupted.error_code()),
        interrupted.error_message().c_str());
  }
  ASSERT_TRUE(WaitForOtherSessionsToClose(absl::Seconds(60)));
  EXPECT_EQ(Members(), 2 * kBatchRows)
      << "the killed batch was not rolled back";
  ExpectResendCompletes(header, rows, township, "after-kill");
}

// The same with nothing held: the stream flows freely and the process is
// SIGKILLed as soon as some rows are committed, wherever it is then (in a
// batch, committing, or between batches).
TEST_F(ImportCrashTest, SigkillWhileStreamingThenResendAppliesRowsOnce) {
  constexpr int kRows = 6000;
  MembershipProcess& first = NewProcess("before-kill");
  absl::Status started = first.StartAndWaitServing();
  ASSERT_TRUE(started.ok()) << started;
  std::unique_ptr<mv1::MembershipService::Stub> stub = StubFor(first);
  const int64_t township = CreateTownship(*stub);
  ASSERT_GT(township, 0);
  const mv1::ImportMembersRequest header =
      MakeImportHeader(absl::StrCat(NewRequestId(), "-stream"), township);
  const std::vector<mv1::ImportMembersRequest> rows = MakeImportRows(kRows);

  {
    // All rows but the last: the last batch can never complete, so the
    // kill always finds the import unfinished, however slow the poll.
    HeldImport import(*stub, header, rows, kRows - 1);
    const int64_t seen = WaitForMembers(
        first, import, [](int64_t n) { return n > 0; }, absl::Seconds(120));
    ASSERT_GT(seen, 0);
    ASSERT_LT(seen, kRows);
    const ExitStatus killed = first.process().Kill();
    EXPECT_EQ(killed.signal, SIGKILL) << killed.ToString();
    const grpc::Status interrupted = import.Finish();
    EXPECT_FALSE(interrupted.ok()) << "an import cut off by SIGKILL succeeded";
    std::printf(
        "SIGKILL after seeing %lld members; the call ended with %d %s\n",
        static_cast<long long>(seen),
        static_cast<int>(interrupted.error_code()),
        interrupted.error_message().c_str());
  }
  ExpectResendCompletes(header, rows, township, "after-kill");
}

// A client that gives up half-way through a batch (crash, network cut,
// deadline) and later re-sends the same stream must be able to finish it:
// the rows of the cut-off batch must not be committed as if the stream had
// ended there.
TEST_F(ImportCrashTest, ClientCancelMidBatchThenResendCompletes) {
  constexpr int kRows = 1500;
  constexpr size_t kSentBeforeCancel = 750;  // one batch and a half

  MembershipProcess& service = NewProcess("cancel");
  absl::Status started = service.StartAndWaitServing();
  ASSERT_TRUE(started.ok()) << started;
  std::unique_ptr<mv1::MembershipService::Stub> stub = StubFor(service);
  const int64_t township = CreateTownship(*stub);
  ASSERT_GT(township, 0);
  const std::string request_id = absl::StrCat(NewRequestId(), "-cancel");
  const mv1::ImportMembersRequest header =
      MakeImportHeader(request_id, township);
  const std::vector<mv1::ImportMembersRequest> rows = MakeImportRows(kRows);

  {
    HeldImport import(*stub, header, rows, kSentBeforeCancel);
    ASSERT_EQ(WaitForPartialSecondBatch(service, import, kSentBeforeCancel),
              kBatchRows);
    import.Cancel();
    const grpc::Status cancelled = import.Finish();
    EXPECT_EQ(cancelled.error_code(), grpc::StatusCode::CANCELLED)
        << cancelled.error_message();
  }
  // Wait until the server has finished the cancelled call (it logs one
  // "rpc" line per call, with the request id).
  const absl::Time logged_deadline = absl::Now() + absl::Seconds(30);
  auto call_logged = [&] {
    for (absl::string_view line : absl::StrSplit(service.ReadLog(), '\n')) {
      if (absl::StrContains(line, "ImportMembers") &&
          absl::StrContains(line, request_id)) {
        return true;
      }
    }
    return false;
  };
  while (!call_logged() && absl::Now() < logged_deadline) {
    absl::SleepFor(absl::Milliseconds(50));
  }
  EXPECT_TRUE(call_logged()) << "the cancelled call was never logged";
  std::printf("after the cancel: %lld members\n",
              static_cast<long long>(Members()));
  ExpectResendCompletes(header, rows, township, "", &service);
}

// SIGTERM while an import stream is open (a rolling deploy): the process
// still exits 0 after the grace period, and the client's re-send of the
// same stream to the new process completes the import.
TEST_F(ImportCrashTest, SigtermMidBatchThenResendCompletes) {
  constexpr int kRows = 1500;
  constexpr size_t kSentBeforeSigterm = 750;
  constexpr int kGraceSeconds = 3;

  MembershipProcess& first = NewProcess("before-sigterm", kGraceSeconds);
  absl::Status started = first.StartAndWaitServing();
  ASSERT_TRUE(started.ok()) << started;
  std::unique_ptr<mv1::MembershipService::Stub> stub = StubFor(first);
  const int64_t township = CreateTownship(*stub);
  ASSERT_GT(township, 0);
  const std::string request_id = absl::StrCat(NewRequestId(), "-sigterm");
  const mv1::ImportMembersRequest header =
      MakeImportHeader(request_id, township);
  const std::vector<mv1::ImportMembersRequest> rows = MakeImportRows(kRows);

  {
    HeldImport import(*stub, header, rows, kSentBeforeSigterm);
    ASSERT_EQ(WaitForPartialSecondBatch(first, import, kSentBeforeSigterm),
              kBatchRows);
    const absl::Time signalled = absl::Now();
    ASSERT_TRUE(first.process().Signal(SIGTERM));
    std::optional<ExitStatus> exit = first.process().WaitForExit(
        absl::Seconds(kGraceSeconds) + absl::Seconds(15));
    ASSERT_TRUE(exit.has_value()) << "still running after SIGTERM";
    EXPECT_TRUE(exit->CleanExit()) << exit->ToString();
    std::printf("SIGTERM with an open import: exit after %s\n",
                absl::FormatDuration(absl::Now() - signalled).c_str());
    const grpc::Status interrupted = import.Finish();
    EXPECT_FALSE(interrupted.ok());
  }
  ASSERT_TRUE(WaitForOtherSessionsToClose(absl::Seconds(60)));
  std::printf("after SIGTERM: %lld members\n",
              static_cast<long long>(Members()));
  ExpectResendCompletes(header, rows, township, "after-sigterm");
}

}  // namespace
}  // namespace unionhub::testing
