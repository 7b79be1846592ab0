// The change feed under faults, with a backlog of thousands of events:
// membership killed (kill -9) while finance is far behind, and finance's
// feed reader killed and restarted at several positions of the backlog.
// Afterwards finance's roster has every event exactly once: no gap, no
// duplicate (one dated state per join event, by sequence).
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "tests/fault/calls.h"
#include "tests/fault/fault_fixture.h"
#include "tests/system/system_fixture.h"

namespace unionhub::testing {
namespace {

namespace mv1 = ::unionhub::membership::v1;

// Finance reads up to 20,000 events ahead of what it has applied
// (FeedClientConfig::max_queued): a backlog larger than that keeps
// membership streaming while finance applies, so killing membership cuts a
// stream in the middle.
constexpr int kLargeBacklog = 24000;
constexpr int kBacklog = 4000;

class FaultFeedTest : public FaultTest {
 protected:
  // Membership serving, with two orgs and `members` members imported (plus
  // their events), and finance created but not started.
  void SetUpBacklog(int members) {
    membership_ = &NewMembership();
    ASSERT_TRUE(membership_->StartAndWaitServing().ok())
        << membership_->ReadLog();
    auto stub =
        mv1::MembershipService::NewStub(membership_->NewChannel(admin_token()));
    auto county = Call(*stub, &mv1::MembershipService::Stub::CreateOrg,
                       OrgRequest("feed-county", "示范县总工会"));
    ASSERT_TRUE(county.ok()) << county.status.error_message();
    auto township = Call(*stub, &mv1::MembershipService::Stub::CreateOrg,
                         OrgRequest("feed-township", "城关镇总工会",
                                    county.response.org().org_id(),
                                    mv1::ORG_TYPE_TOWNSHIP_UNION));
    ASSERT_TRUE(township.ok()) << township.status.error_message();
    const absl::Time start = absl::Now();
    ImportCall import = RunImport(
        *stub,
        MakeImportHeader("feed-import", township.response.org().org_id()),
        MakeImportRows(members), absl::Seconds(300));
    ASSERT_TRUE(import.status.ok()) << import.status.error_message();
    head_ = Head();
    std::fprintf(stderr, "backlog of %lld events made in %s\n",
                 static_cast<long long>(head_),
                 absl::FormatDuration(absl::Now() - start).c_str());
    finance_ = &NewFinance(*membership_);
  }

  int64_t Head() {
    return QueryInt("fault_membership",
                    "SELECT COALESCE(MAX(sequence), 0) FROM events");
  }
  int64_t Cursor() {
    return QueryInt("fault_finance", "SELECT last_sequence FROM roster_cursor");
  }
  bool CaughtUp(absl::Duration timeout) {
    return WaitFor([&] { return Cursor() == Head(); }, timeout);
  }
  // Waits until the cursor passes `target` (polling fast, so the kill
  // lands near it); the cursor then.
  int64_t CursorPast(int64_t target, absl::Duration timeout) {
    const absl::Time deadline = absl::Now() + timeout;
    int64_t cursor = Cursor();
    while (cursor < target && absl::Now() < deadline) {
      absl::SleepFor(absl::Milliseconds(5));
      cursor = Cursor();
    }
    return cursor;
  }

  // Every member event applied exactly once; gaps and duplicates counted.
  void ExpectExactlyOnce(const std::string& figures) {
    const int64_t gaps = QueryInt(
        "fault_finance",
        "SELECT COUNT(*) FROM fault_membership.events e WHERE e.type = 1 AND "
        "NOT EXISTS (SELECT 1 FROM roster_member_states s WHERE s.sequence = "
        "e.sequence)");
    const int64_t duplicates = QueryInt(
        "fault_finance",
        "SELECT COUNT(*) - COUNT(DISTINCT sequence) FROM roster_member_states");
    const int64_t members =
        QueryInt("fault_membership", "SELECT COUNT(*) FROM members");
    EXPECT_EQ(gaps, 0);
    EXPECT_EQ(duplicates, 0);
    EXPECT_EQ(QueryInt("fault_finance", "SELECT COUNT(*) FROM roster_members"),
              members);
    EXPECT_EQ(
        QueryInt("fault_finance", "SELECT COUNT(*) FROM roster_member_states"),
        QueryInt("fault_membership",
                 "SELECT COUNT(*) FROM events WHERE type = 1"));
    EXPECT_EQ(QueryInt("fault_finance", "SELECT COUNT(*) FROM roster_orgs"),
              QueryInt("fault_membership", "SELECT COUNT(*) FROM orgs"));
    Report(
        absl::StrFormat("%s; events %d applied, lost (gaps) %d, duplicated %d",
                        figures, Head(), gaps, duplicates));
  }

  MembershipProcess* membership_ = nullptr;
  MembershipProcess* finance_ = nullptr;
  int64_t head_ = 0;
};

TEST_F(FaultFeedTest, MembershipKilledWhileFinanceIsFarBehind) {
  ASSERT_NO_FATAL_FAILURE(SetUpBacklog(kLargeBacklog));
  ASSERT_TRUE(finance_->StartAndWaitServing().ok()) << finance_->ReadLog();
  const int64_t at_kill = CursorPast(1000, absl::Seconds(60));
  membership_->process().Kill();
  const absl::Time killed = absl::Now();
  EXPECT_LT(at_kill, head_) << "meant to land in the middle of the backlog";
  absl::SleepFor(absl::Seconds(1));
  const int64_t while_down = Cursor();
  ASSERT_TRUE(membership_->StartAndWaitServing().ok())
      << membership_->ReadLog();
  const absl::Time restarted = absl::Now();
  ASSERT_TRUE(CaughtUp(absl::Seconds(180))) << finance_->ReadLog();
  const absl::Time caught_up = absl::Now();
  ExpectExactlyOnce(absl::StrFormat(
      "membership killed at cursor %d of %d (finance at %d while it was "
      "down %.1f s); caught up %.1f s after membership was back",
      at_kill, head_, while_down, absl::ToDoubleSeconds(restarted - killed),
      absl::ToDoubleSeconds(caught_up - restarted)));
}

TEST_F(FaultFeedTest, FeedReaderKilledAtSeveralPositionsOfTheBacklog) {
  ASSERT_NO_FATAL_FAILURE(SetUpBacklog(kBacklog));
  std::vector<std::string> positions;
  int mid_backlog = 0;
  // Killed as soon as the cursor moves (the first batch), then at a tenth,
  // a third, a half and nine tenths of the backlog.
  for (int64_t target :
       {int64_t{1}, head_ / 10, head_ / 3, head_ / 2, head_ * 9 / 10}) {
    ASSERT_TRUE(finance_->StartAndWaitServing().ok()) << finance_->ReadLog();
    CursorPast(target, absl::Seconds(60));
    finance_->process().Kill();
    const int64_t after = Cursor();
    positions.push_back(absl::StrCat(after));
    if (after < head_) ++mid_backlog;
  }
  const absl::Time restarted = absl::Now();
  ASSERT_TRUE(finance_->StartAndWaitServing().ok()) << finance_->ReadLog();
  ASSERT_TRUE(CaughtUp(absl::Seconds(120))) << finance_->ReadLog();
  EXPECT_GE(mid_backlog, 3) << "most kills were meant to land mid-backlog";
  ExpectExactlyOnce(absl::StrFormat(
      "finance killed at cursors [%s] of %d; caught up %.1f s after the last "
      "restart",
      absl::StrJoin(positions, ", "), head_,
      absl::ToDoubleSeconds(absl::Now() - restarted)));
}

}  // namespace
}  // namespace unionhub::testing
