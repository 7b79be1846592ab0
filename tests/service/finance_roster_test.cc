// Finance's roster follows membership's change feed: orgs with their paths,
// employers, members with dated states; the cursor moves with each applied
// change, so a restart resumes exactly and a replay changes nothing; an org
// move carries its subtree's rollups to the new ancestors.
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "common/db/sql.h"
#include "services/finance/store/roster_store.h"
#include "tests/service/finance_helpers.h"

namespace unionhub::testing {
namespace {

template <typename... Args>
std::string Value(FinanceServer& server, const std::string& sql,
                  const Args&... args) {
  return server.database().QueryValue(sql, args...);
}

int64_t MembershipEvents(FinanceServer& server) {
  return std::stoll(
      server.membership().database().QueryValue("SELECT COUNT(*) FROM events"));
}

TEST(FinanceRoster, FollowsOrgsEmployersAndMembers) {
  FinanceServer server("roster_follow");
  SmallCounty c = BuildSmallCounty(server, {500000, 800000, 300000, 450000});
  const std::string county = absl::StrCat(c.county.org_id());
  EXPECT_EQ(Value(server, "SELECT path FROM roster_orgs WHERE org_id = ?",
                  c.union_a1.org_id()),
            absl::StrCat("/", county, "/", c.township_a.org_id(), "/",
                         c.union_a1.org_id(), "/"));
  EXPECT_EQ(Value(server, "SELECT COUNT(*) FROM roster_orgs"), "6");
  EXPECT_EQ(Value(server, "SELECT COUNT(*) FROM roster_members"), "4");
  EXPECT_EQ(Value(server, "SELECT COUNT(*) FROM roster_member_states"), "4");
  EXPECT_EQ(Value(server,
                  "SELECT union_established FROM roster_employers WHERE "
                  "union_org_id = ?",
                  c.union_b1.org_id()),
            "1");
  EXPECT_EQ(Value(server,
                  "SELECT union_established FROM roster_employers WHERE "
                  "employer_id = ?",
                  c.employer_without_union.employer_id()),
            "0");
  EXPECT_EQ(
      Value(server,
            "SELECT wage_base_fen FROM roster_members WHERE member_id = ?",
            c.members[1].member_id()),
      "800000");
  // The national ID is kept only as its keyed index.
  EXPECT_EQ(Value(server,
                  "SELECT COUNT(*) FROM roster_members "
                  "WHERE national_id_index = REPEAT(CHAR(0), 32)"),
            "0");
  EXPECT_EQ(Value(server, "SELECT last_sequence FROM roster_cursor"),
            absl::StrCat(MembershipEvents(server)));

  fv1::GetRosterStatusResponse status =
      MustRpc(server.finance(), &fv1::FinanceService::Stub::GetRosterStatus,
              fv1::GetRosterStatusRequest(), "GetRosterStatus");
  EXPECT_EQ(status.last_applied_sequence(), MembershipEvents(server));
  EXPECT_TRUE(status.connected());
  EXPECT_EQ(status.members(), 4);
  EXPECT_EQ(status.pending_events(), 0);
}

TEST(FinanceRoster, DatedStatesFollowWageAndStatusChanges) {
  FinanceServer server("roster_states");
  SmallCounty c = BuildSmallCounty(server, {500000});
  const int64_t member = c.members[0].member_id();
  mv1::UpdateMemberRequest wage;
  wage.set_request_id(NewRequestId());
  wage.mutable_member()->set_member_id(member);
  wage.mutable_member()->set_wage_base_fen(620000);
  wage.mutable_update_mask()->add_paths("wage_base_fen");
  wage.set_effective_on("2025-06-01");
  MustRpc(server.membership().stub(), &Stub::UpdateMember, wage,
          "UpdateMember");
  ASSERT_TRUE(ChangeStatus(server.membership(), member,
                           mv1::MEMBER_STATUS_RETAINED, "2025-09-01",
                           mv1::RETAINED_REASON_RETIRED)
                  .ok());
  server.SyncRoster();
  EXPECT_EQ(Value(server,
                  "SELECT GROUP_CONCAT(CONCAT(valid_from, ':', status, ':', "
                  "wage_base_fen) ORDER BY valid_from, sequence) FROM "
                  "roster_member_states WHERE member_id = ?",
                  member),
            "2025-01-10:1:500000,2025-06-01:1:620000,2025-09-01:2:620000");
}

TEST(FinanceRoster, ResumesAfterRestartWithNothingMissedOrRepeated) {
  FinanceServer server("roster_resume");
  SmallCounty c = BuildSmallCounty(server, {500000, 600000});
  server.roster().Stop();
  // Changes while finance is not following.
  for (int i = 0; i < 30; ++i) {
    mv1::Member person = Person(c.union_a2.org_id(), 100 + i);
    MustJoin(server.membership(), person, "2025-03-01");
  }
  server.roster().Start();
  server.SyncRoster();
  EXPECT_EQ(Value(server, "SELECT COUNT(*) FROM roster_members"), "32");
  EXPECT_EQ(Value(server, "SELECT COUNT(*) FROM roster_member_states"), "32");
  EXPECT_EQ(Value(server, "SELECT last_sequence FROM roster_cursor"),
            absl::StrCat(MembershipEvents(server)));
}

TEST(FinanceRoster, ReplayedEventsChangeNothing) {
  FinanceServer server("roster_replay");
  SmallCounty c = BuildSmallCounty(server, {500000});
  server.roster().Stop();
  const std::string cursor =
      Value(server, "SELECT last_sequence FROM roster_cursor");
  // The first event again, but as if it said something else.
  mv1::Event replay;
  replay.set_sequence(1);
  replay.set_type(mv1::EVENT_TYPE_ORG_CREATED);
  *replay.mutable_org() = c.county;
  replay.mutable_org()->set_name("被篡改的名字");
  absl::Status status =
      server.database().pool().InTransaction([&](db::Connection& conn) {
        return finance::store::ApplyRosterEvents(
                   conn, {replay},
                   [](db::Connection&, int64_t, int64_t, const std::string&) {
                     return absl::InternalError("must not be called");
                   })
            .status();
      });
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(Value(server, "SELECT name FROM roster_orgs WHERE org_id = ?",
                  c.county.org_id()),
            "示范县总工会");
  EXPECT_EQ(Value(server, "SELECT last_sequence FROM roster_cursor"), cursor);
}

// An event that does not follow the stored cursor is refused, and nothing
// of its batch is applied: skipping past the missing sequences would lose
// those events for good.
TEST(FinanceRoster, RefusesAGapInSequences) {
  FinanceServer server("roster_gap");
  SmallCounty c = BuildSmallCounty(server, {500000});
  server.roster().Stop();
  const int64_t cursor =
      std::stoll(Value(server, "SELECT last_sequence FROM roster_cursor"));
  mv1::Event next;  // a new org, two sequences past the cursor
  next.set_sequence(cursor + 2);
  next.set_type(mv1::EVENT_TYPE_ORG_CREATED);
  *next.mutable_org() = c.county;
  next.mutable_org()->set_org_id(c.county.org_id() + 1000);
  absl::Status status =
      server.database().pool().InTransaction([&](db::Connection& conn) {
        return finance::store::ApplyRosterEvents(
                   conn, {next},
                   [](db::Connection&, int64_t, int64_t, const std::string&) {
                     return absl::InternalError("must not be called");
                   })
            .status();
      });
  EXPECT_EQ(status.code(), absl::StatusCode::kOutOfRange) << status;
  EXPECT_EQ(Value(server, "SELECT last_sequence FROM roster_cursor"),
            absl::StrCat(cursor));
  EXPECT_EQ(Value(server, "SELECT COUNT(*) FROM roster_orgs WHERE org_id = ?",
                  next.org().org_id()),
            "0");
}

// The running consumer meets a gap (its stored cursor is behind what its
// reader holds: here set back by hand, with what those events wrote
// removed): it reads again from the stored cursor, so the missing events
// are applied and none is skipped.
TEST(FinanceRoster, ConsumerReadsAgainFromTheCursorAfterAGap) {
  FinanceServer server("roster_gap_heal");
  SmallCounty c = BuildSmallCounty(server, {500000});
  std::vector<int64_t> joined;
  for (int i = 0; i < 3; ++i) {
    joined.push_back(MustJoin(server.membership(),
                              Person(c.union_a2.org_id(), 200 + i),
                              "2025-03-01")
                         .member_id());
  }
  server.SyncRoster();
  const int64_t head = MembershipEvents(server);
  const int64_t members = std::stoll(server.membership().database().QueryValue(
      "SELECT COUNT(*) FROM members"));
  // The three joins' events "lost": the cursor before them, their rows gone.
  server.database().Exec(
      "UPDATE roster_cursor SET last_sequence = ? WHERE id = 1", head - 3);
  for (int64_t member : joined) {
    server.database().Exec(
        "DELETE FROM roster_member_states WHERE member_id = ?", member);
    server.database().Exec("DELETE FROM roster_members WHERE member_id = ?",
                           member);
  }
  // The next event reaches the consumer, whose reader is already past the
  // three.
  MustJoin(server.membership(), Person(c.union_a2.org_id(), 300), "2025-03-01");
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (Value(server, "SELECT COUNT(*) FROM roster_members") !=
             absl::StrCat(members + 1) &&
         absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(100));
  }
  EXPECT_EQ(Value(server, "SELECT COUNT(*) FROM roster_members"),
            absl::StrCat(members + 1))
      << "the consumer skipped past the missing events";
  EXPECT_EQ(Value(server, "SELECT last_sequence FROM roster_cursor"),
            absl::StrCat(head + 1));
  EXPECT_EQ(Value(server, "SELECT COUNT(*) FROM roster_member_states"),
            absl::StrCat(members + 1));
}

TEST(FinanceRoster, OrgMoveCarriesPathsAndRollups) {
  FinanceServer server("roster_move");
  SmallCounty c = BuildSmallCounty(server, {500000});
  const int64_t a1 = c.union_a1.org_id();
  const int64_t ta = c.township_a.org_id();
  const int64_t tb = c.township_b.org_id();
  const int64_t county = c.county.org_id();
  // Subtree rollups as the dues code keeps them: a1's row and every
  // ancestor's include a1's figures; township B has figures of its own.
  server.database().Exec(
      "INSERT INTO collection_rollup (org_id, month, due_fen, paid_fen, "
      "members_charged, members_paid) VALUES (?, '2025-02', 1000, 600, 10, 6), "
      "(?, '2025-02', 1500, 900, 15, 9), (?, '2025-02', 700, 700, 7, 7), (?, "
      "'2025-02', 2200, 1600, 22, 16)",
      a1, ta, tb, county);
  server.database().Exec(
      "INSERT INTO spending_rollup (org_id, month, category, amount_fen, "
      "front_line_fen, expenses) VALUES (?, '2025-02', 4, 5000, 5000, 1), (?, "
      "'2025-02', 4, 5000, 5000, 1), (?, '2025-02', 4, 5000, 5000, 1)",
      a1, ta, county);

  mv1::UpdateOrgRequest move;
  move.set_request_id(NewRequestId());
  move.mutable_org()->set_org_id(a1);
  move.mutable_org()->set_parent_id(tb);
  move.mutable_update_mask()->add_paths("parent_id");
  MustRpc(server.membership().stub(), &Stub::UpdateOrg, move, "UpdateOrg");
  server.SyncRoster();

  EXPECT_EQ(Value(server, "SELECT path FROM roster_orgs WHERE org_id = ?", a1),
            absl::StrCat("/", county, "/", tb, "/", a1, "/"));
  auto row = [&](int64_t org, const std::string& table,
                 const std::string& columns) {
    return Value(
        server,  // `columns` and `table` come from the fixed lists below.
        absl::StrCat("SELECT CONCAT_WS(',', ", columns, ") FROM ", table,
                     " WHERE org_id = ? AND month = '2025-02'"),
        org);
  };
  // An org's month is the sum of its shard rows (migration 0007).
  const std::string cols =
      "SUM(due_fen), SUM(paid_fen), SUM(members_charged), SUM(members_paid)";
  EXPECT_EQ(row(a1, "collection_rollup", cols), "1000,600,10,6");
  EXPECT_EQ(row(ta, "collection_rollup", cols), "500,300,5,3");
  EXPECT_EQ(row(tb, "collection_rollup", cols), "1700,1300,17,13");
  EXPECT_EQ(row(county, "collection_rollup", cols), "2200,1600,22,16");
  // A rollup row the new ancestor did not have yet is created.
  EXPECT_EQ(row(tb, "spending_rollup", "amount_fen, front_line_fen, expenses"),
            "5000,5000,1");
  EXPECT_EQ(row(ta, "spending_rollup", "amount_fen, front_line_fen, expenses"),
            "0,0,0");
}

}  // namespace
}  // namespace unionhub::testing
