// Awards as two replicas on one database, the holder of the feed follower's
// lease (the singleton that withdraws the nominations of members who leave)
// killed with SIGKILL in the middle of the load: members leaving one after
// another while nominations are created through both replicas, each
// retried with its request_id (on the other replica once one is gone). The
// survivor takes the lease once it lapses and carries on: every leaver's
// nomination withdrawn once, naming its event; nobody else's; every
// acknowledged nomination there once.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "common/core/dates.h"
#include "tests/fault/calls.h"
#include "tests/fault/fault_fixture.h"
#include "tests/support/membership_fixture.h"
#include "unionhub/awards/v1/awards.grpc.pb.h"

namespace unionhub::testing {
namespace {

namespace mv1 = ::unionhub::membership::v1;
namespace av1 = ::unionhub::awards::v1;

constexpr int kLeavers = 30;
constexpr int kStayers = 30;

using FaultAwardsReplicasTest = FaultTest;

TEST_F(FaultAwardsReplicasTest, FollowerLeaderKilledMidLoad) {
  MembershipProcess& membership = NewMembership();
  ASSERT_TRUE(membership.StartAndWaitServing().ok()) << membership.ReadLog();
  MembershipProcess& finance = NewFinance(membership);
  ASSERT_TRUE(finance.StartAndWaitServing().ok()) << finance.ReadLog();
  // Both at once (their migrations race for the lock); a killed holder's
  // lease lapses after 3 s.
  MembershipProcess* awards[2] = {
      &NewAwards("awards-a", membership, finance, {"--lease_ttl_seconds=3"}),
      &NewAwards("awards-b", membership, finance, {"--lease_ttl_seconds=3"})};
  ASSERT_TRUE(awards[0]->Start().ok());
  ASSERT_TRUE(awards[1]->Start().ok());
  for (MembershipProcess* replica : awards) {
    ASSERT_TRUE(replica->WaitUntilServing().ok()) << replica->ReadLog();
  }
  auto members =
      mv1::MembershipService::NewStub(membership.NewChannel(admin_token()));
  std::unique_ptr<av1::AwardsService::Stub> stubs[2] = {
      av1::AwardsService::NewStub(awards[0]->NewChannel(admin_token())),
      av1::AwardsService::NewStub(awards[1]->NewChannel(admin_token()))};

  const absl::CivilDay today = dates::TodayInChina();
  auto county = Call(*members, &mv1::MembershipService::Stub::CreateOrg,
                     OrgRequest("aw-county", "清河县总工会"));
  ASSERT_TRUE(county.ok()) << county.status.error_message();
  mv1::CreateOrgRequest grassroots =
      OrgRequest("aw-union", "清河机械厂工会", county.response.org().org_id(),
                 mv1::ORG_TYPE_GRASSROOTS_UNION);
  mv1::Employer* employer = grassroots.mutable_org()->mutable_employer();
  employer->set_name("清河机械厂");
  employer->set_credit_code(MakeCreditCode(7));
  employer->set_ownership(mv1::OWNERSHIP_NON_PUBLIC);
  employer->set_headcount(200);
  employer->set_address("清河县工业路8号");
  auto org =
      Call(*members, &mv1::MembershipService::Stub::CreateOrg, grassroots);
  ASSERT_TRUE(org.ok()) << org.status.error_message();
  const int64_t org_id = org.response.org().org_id();
  std::vector<int64_t> people;
  for (int i = 0; i < kLeavers + kStayers; ++i) {
    mv1::JoinMemberRequest join;
    join.set_request_id(absl::StrCat("aw-join-", i));
    // Names may not contain digits: two characters from a small table.
    static const char* kGiven[] = {"伟", "芳", "娜", "敏",
                                   "静", "丽", "强", "磊"};
    join.mutable_member()->set_name(
        absl::StrCat("王", kGiven[i % 8], kGiven[(i / 8) % 8]));
    join.mutable_member()->set_national_id(MakeNationalId("19880506", 10 + i));
    join.mutable_member()->set_mobile(absl::StrCat("139", 10000000 + i));
    join.mutable_member()->set_wage_base_fen(600000);
    join.mutable_member()->set_org_id(org_id);
    join.set_joined_on(dates::FormatDate(today - 730));
    auto joined =
        Call(*members, &mv1::MembershipService::Stub::JoinMember, join);
    ASSERT_TRUE(joined.ok()) << joined.status.error_message();
    people.push_back(joined.response.member().member_id());
  }
  av1::CreateProgramRequest create;
  create.set_request_id("aw-program");
  av1::Program* p = create.mutable_program();
  p->set_title("最美职工");
  p->set_level(av1::AWARD_LEVEL_COUNTY);
  p->set_year(static_cast<int32_t>(today.year()));
  p->set_subject_type(av1::SUBJECT_TYPE_INDIVIDUAL);
  p->set_organizer_org_id(county.response.org().org_id());
  p->set_total_quota(100);
  p->add_allocations()->set_org_id(org_id);
  p->mutable_allocations(0)->set_quota(100);
  p->set_nomination_opens_on(dates::FormatDate(today - 5));
  p->set_nomination_closes_on(dates::FormatDate(today + 30));
  auto program =
      Call(*stubs[0], &av1::AwardsService::Stub::CreateProgram, create);
  ASSERT_TRUE(program.ok()) << program.status.error_message();
  const int64_t program_id = program.response.program().program_id();
  av1::OpenNominationsRequest open;
  open.set_request_id("aw-open");
  open.set_program_id(program_id);
  ASSERT_TRUE(
      Call(*stubs[0], &av1::AwardsService::Stub::OpenNominations, open).ok());
  auto nominate = [&](int i) {
    av1::CreateNominationRequest req;
    req.set_request_id(absl::StrCat("aw-nominate-", i));
    req.mutable_nomination()->set_program_id(program_id);
    req.mutable_nomination()->set_nominating_org_id(org_id);
    req.mutable_nomination()->set_member_id(people[i]);
    req.mutable_nomination()->set_citation("扎根一线二十年。");
    return req;
  };
  // The leavers' nominations first.
  for (int i = 0; i < kLeavers; ++i) {
    auto created =
        Call(*stubs[i % 2], &av1::AwardsService::Stub::CreateNomination,
             nominate(i));
    ASSERT_TRUE(created.ok()) << created.status.error_message();
  }
  auto holder_pid = [&]() -> std::string {
    const auto rows =
        QueryRows("fault_awards",
                  "SELECT holder FROM leases WHERE name = 'feed follower' AND "
                  "expires_at > NOW(6)");
    if (rows.empty()) return "";
    const std::vector<std::string> parts = absl::StrSplit(rows[0][0], '/');
    return parts.size() > 1 ? parts[1] : "";
  };
  auto leader = [&]() -> int {
    const std::string pid = holder_pid();
    for (int i = 0; i < 2; ++i) {
      if (awards[i]->Running() &&
          pid == std::to_string(awards[i]->process().pid())) {
        return i;
      }
    }
    return -1;
  };
  ASSERT_TRUE(WaitFor([&] { return leader() >= 0; }, absl::Seconds(30)));

  // The load: leavers leave; stayers are nominated through both replicas.
  std::mutex mu;
  std::set<std::string> acked;
  std::map<int, int> retried;
  std::atomic<int> leaves_done{0};
  std::thread leaving([&] {
    for (int i = 0; i < kLeavers; ++i) {
      mv1::ChangeMemberStatusRequest leave;
      leave.set_request_id(absl::StrCat("aw-leave-", i));
      leave.set_member_id(people[i]);
      leave.set_status(mv1::MEMBER_STATUS_LEFT);
      leave.set_reason("调离本单位");
      ASSERT_TRUE(WaitFor(
          [&] {
            return Call(*members,
                        &mv1::MembershipService::Stub::ChangeMemberStatus,
                        leave, absl::Seconds(10))
                .ok();
          },
          absl::Seconds(60)));
      ++leaves_done;
      absl::SleepFor(absl::Milliseconds(100));
    }
  });
  std::thread nominating([&] {
    for (int i = kLeavers; i < kLeavers + kStayers; ++i) {
      const av1::CreateNominationRequest req = nominate(i);
      for (int attempt = 0; attempt < 200; ++attempt) {
        const int replica = (i + attempt) % 2;
        if (!awards[replica]->Running()) continue;
        auto a =
            Call(*stubs[replica], &av1::AwardsService::Stub::CreateNomination,
                 req, absl::Seconds(10));
        if (a.ok()) {
          std::lock_guard<std::mutex> lock(mu);
          acked.insert(req.request_id());
          break;
        }
        std::lock_guard<std::mutex> lock(mu);
        ++retried[a.status.error_code()];
      }
      absl::SleepFor(absl::Milliseconds(100));
    }
  });
  ASSERT_TRUE(
      WaitFor([&] { return leaves_done >= kLeavers / 3; }, absl::Seconds(60)));
  const int first = leader();
  ASSERT_GE(first, 0);
  awards[first]->process().Kill();
  const absl::Time killed = absl::Now();
  const bool took_over =
      WaitFor([&] { return leader() == 1 - first; }, absl::Seconds(30));
  const absl::Duration takeover = absl::Now() - killed;
  EXPECT_TRUE(took_over) << awards[1 - first]->ReadLog();
  leaving.join();
  nominating.join();

  // Every leaver's nomination withdrawn, once, with its event; no other.
  auto count = [&](const std::string& sql) {
    return QueryInt("fault_awards", sql);
  };
  EXPECT_TRUE(WaitFor(
      [&] {
        return count("SELECT COUNT(*) FROM nominations WHERE status = " +
                     std::to_string(av1::NOMINATION_STATUS_WITHDRAWN)) ==
               kLeavers;
      },
      absl::Seconds(60)));
  const int64_t withdrawn_with_event = count(
      "SELECT COUNT(*) FROM nominations WHERE status_reason LIKE "
      "'membership event %: the nominee left the union%'");
  EXPECT_EQ(withdrawn_with_event, kLeavers);
  EXPECT_EQ(count("SELECT COUNT(*) FROM nominations WHERE status <> " +
                  std::to_string(av1::NOMINATION_STATUS_WITHDRAWN)),
            static_cast<int64_t>(acked.size()));
  // Every acknowledged nomination once; one per member.
  EXPECT_EQ(static_cast<int>(acked.size()), kStayers);
  EXPECT_EQ(count("SELECT COUNT(*) FROM nominations"), kLeavers + kStayers);
  EXPECT_EQ(count("SELECT COUNT(*) FROM (SELECT member_id FROM nominations "
                  "GROUP BY member_id HAVING COUNT(*) > 1) d"),
            0);
  std::string codes;
  for (const auto& [code, n] : retried)
    absl::StrAppend(&codes, code, "x", n, " ");
  Report(absl::StrFormat(
      "replica %d (feed follower) killed after %d of %d leaves; the other "
      "took the lease %.1f s later; withdrawn %d of %d (each naming its "
      "event), nominations acknowledged %d of %d, lost 0, duplicated %d; "
      "retried on the other replica [%s]",
      first, kLeavers / 3, kLeavers, absl::ToDoubleSeconds(takeover),
      withdrawn_with_event, kLeavers, acked.size(), kStayers,
      count("SELECT COUNT(*) FROM nominations") - kLeavers - kStayers, codes));
}

}  // namespace
}  // namespace unionhub::testing
