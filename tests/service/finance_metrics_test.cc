// The Prometheus endpoint (--metrics_listen) of real membership and finance
// hosts: scraped with a plain HTTP GET as Prometheus does, the series move
// by exactly what the test's own calls did, and the pool, build, migration,
// change-feed, ledger and import series are there with the right values.
#include <gtest/gtest.h>

#include <functional>

#include "absl/time/clock.h"
#include "common/db/migrations.h"
#include "services/finance/ledger_sealer.h"
#include "services/finance/register.h"
#include "services/membership/register.h"
#include "tests/service/finance_dues_helpers.h"
#include "tests/support/metrics_scrape.h"

namespace unionhub::testing {
namespace {

constexpr char kListOrgs[] =
    "unionhub.membership.v1.MembershipService/ListOrgs";
constexpr char kGetOrg[] = "unionhub.membership.v1.MembershipService/GetOrg";

ServerLimits WithMetrics() {
  ServerLimits limits;
  limits.serve_metrics = true;
  return limits;
}

// Scrapes `port` until `ready` holds (the database readings refresh every
// 200 ms in tests) or 30 s pass; returns the last scrape.
Scrape ScrapeUntil(int port, const std::function<bool(const Scrape&)>& ready) {
  const absl::Time give_up = absl::Now() + absl::Seconds(30);
  while (true) {
    Scrape scrape = Scrape::Of(port);
    if (ready(scrape) || absl::Now() > give_up) return scrape;
    absl::SleepFor(absl::Milliseconds(100));
  }
}

TEST(FinanceMetrics, RpcCountersLatencyPoolBuildAndMigrationSeries) {
  FinanceServer server("metrics_rpc", WithMetrics(), WithMetrics());
  MembershipServer& membership = server.membership();
  const int port = membership.metrics_port();
  ASSERT_GT(port, 0);
  const std::map<std::string, std::string> ok{
      {"service", "membership"}, {"method", kListOrgs}, {"code", "OK"}};
  const std::map<std::string, std::string> invalid{
      {"service", "membership"},
      {"method", kGetOrg},
      {"code", "INVALID_ARGUMENT"}};
  const Scrape before = Scrape::Of(port);
  // Pre-created: every method of the service's API exists at 0.
  EXPECT_TRUE(before.Has("unionhub_rpc_requests_total",
                         {{"method", kGetOrg}, {"code", "OK"}}));
  EXPECT_TRUE(
      before.Has("unionhub_rpc_duration_seconds_count", {{"method", kGetOrg}}));

  mv1::ListOrgsRequest list;
  mv1::ListOrgsResponse listed;
  ASSERT_TRUE(Rpc(membership.stub(), &mv1::MembershipService::Stub::ListOrgs,
                  list, &listed)
                  .ok());
  mv1::GetOrgRequest get;  // org_id 0: INVALID_ARGUMENT
  mv1::GetOrgResponse got;
  ASSERT_EQ(
      Rpc(membership.stub(), &mv1::MembershipService::Stub::GetOrg, get, &got)
          .error_code(),
      grpc::StatusCode::INVALID_ARGUMENT);

  // A member that does not exist: NOT_FOUND after a database read.
  mv1::GetMemberRequest get_member;
  get_member.set_member_id(987654321);
  mv1::GetMemberResponse member;
  ASSERT_EQ(Rpc(membership.stub(), &mv1::MembershipService::Stub::GetMember,
                get_member, &member)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);

  const Scrape after = Scrape::Of(port);
  EXPECT_EQ(after.Sum("unionhub_rpc_requests_total", ok) -
                before.Sum("unionhub_rpc_requests_total", ok),
            1);
  EXPECT_EQ(after.Sum("unionhub_rpc_requests_total", invalid) -
                before.Sum("unionhub_rpc_requests_total", invalid),
            1);
  for (const char* method : {kListOrgs, kGetOrg}) {
    const std::map<std::string, std::string> of{{"method", method}};
    EXPECT_EQ(after.Sum("unionhub_rpc_duration_seconds_count", of) -
                  before.Sum("unionhub_rpc_duration_seconds_count", of),
              1)
        << method;
    // The +Inf bucket holds every call: the histogram is consistent.
    EXPECT_EQ(after.Sum("unionhub_rpc_duration_seconds_bucket",
                        {{"method", method}, {"le", "+Inf"}}),
              after.Sum("unionhub_rpc_duration_seconds_count", of));
  }
  // Finance follows membership's feed: one stream open once finance holds
  // its lease and has connected, which a slow machine may take a while to
  // do; no unary call is in flight while nobody calls.
  // A health probe or a peer's call may be in flight at any one scrape; a
  // leaked count never returns to 0, so wait for the settled value.
  double streams = after.Sum("unionhub_rpc_open_streams");
  double in_flight = after.Sum("unionhub_rpc_in_flight");
  for (const absl::Time until = absl::Now() + absl::Seconds(60);
       (streams < 1 || in_flight != 0) && absl::Now() < until;) {
    absl::SleepFor(absl::Milliseconds(100));
    const Scrape now = Scrape::Of(port);
    streams = now.Sum("unionhub_rpc_open_streams");
    in_flight = now.Sum("unionhub_rpc_in_flight");
  }
  EXPECT_GE(streams, 1);
  EXPECT_EQ(in_flight, 0);

  // The pool: its size, and every connection taken was timed.
  EXPECT_EQ(after.Sum("unionhub_db_pool_size", {{"service", "membership"}}),
            membership.database().pool().config().pool_size);
  EXPECT_TRUE(after.Has("unionhub_db_pool_in_use"));
  EXPECT_TRUE(after.Has("unionhub_db_pool_waiters"));
  EXPECT_TRUE(after.Has("unionhub_db_pool_open_connections"));
  EXPECT_GE(after.Sum("unionhub_db_pool_wait_seconds_count") -
                before.Sum("unionhub_db_pool_wait_seconds_count"),
            2);  // ListOrgs and GetMember; GetOrg was refused before any
                 // read, and a read's refusal writes no audit row

  // Build info: 1, with a version and a commit.
  ASSERT_TRUE(after.Has("unionhub_build_info", {{"service", "membership"}}));
  EXPECT_EQ(after.Sum("unionhub_build_info"), 1);
  for (const MetricSample& sample : after.samples()) {
    if (sample.name != "unionhub_build_info") continue;
    EXPECT_FALSE(sample.labels.at("version").empty());
    EXPECT_FALSE(sample.labels.at("git_commit").empty());
  }

  // Migrations: what the database records is what the binary carries.
  const db::AppliedVersions expected =
      db::NewestVersions(membership::MembershipSpec().migrations());
  ASSERT_GT(expected.service, 0);
  const std::string schema = membership.database().pool().config().schema;
  const std::map<std::string, std::string> own{{"schema", schema},
                                               {"set", "service"}};
  const Scrape migrated = ScrapeUntil(port, [&](const Scrape& s) {
    return s.Sum("unionhub_db_migration_version", own) == expected.service;
  });
  EXPECT_EQ(migrated.Sum("unionhub_db_migration_version", own),
            expected.service);
  EXPECT_EQ(migrated.Sum("unionhub_db_migration_expected_version", own),
            expected.service);
  EXPECT_EQ(migrated.Sum("unionhub_db_migration_version",
                         {{"schema", schema}, {"set", "common"}}),
            expected.common);

  // Only /metrics is served there.
  absl::StatusOr<HttpResponse> other = HttpGet(port, "/");
  ASSERT_TRUE(other.ok()) << other.status();
  EXPECT_EQ(other->status, 404);
}

TEST(FinanceMetrics, FeedLagLedgerSealsAndImportRows) {
  FinanceServer server("metrics_fin", WithMetrics(), WithMetrics());
  const int port = server.metrics_port();
  ASSERT_GT(port, 0);
  SmallCounty c = BuildSmallCounty(server, {567890, 888800, 500000, 600000});
  Assess(server, c.county.org_id(), "2025-01");
  server.SyncRoster();

  // The feed: caught up with everything membership recorded.
  const int64_t head = std::stoll(server.membership().database().QueryValue(
      "SELECT COALESCE(MAX(sequence), 0) FROM events"));
  ASSERT_GT(head, 0);
  const std::map<std::string, std::string> feed{{"service", "finance"},
                                                {"feed", "membership"}};
  Scrape scrape = ScrapeUntil(port, [&](const Scrape& s) {
    return s.Sum("unionhub_feed_applied_sequence", feed) == head;
  });
  EXPECT_EQ(scrape.Sum("unionhub_feed_applied_sequence", feed), head);
  EXPECT_EQ(scrape.Sum("unionhub_feed_head_sequence", feed), head);
  EXPECT_EQ(scrape.Sum("unionhub_feed_lag_events", feed), 0);
  EXPECT_EQ(scrape.Sum("unionhub_feed_lag_seconds", feed), 0);
  EXPECT_EQ(scrape.Sum("unionhub_feed_connected", feed), 1);

  // Imports: pre-created at 0, then moved by one file's rows.
  const std::map<std::string, std::string> accepted{
      {"import", "payroll_deductions"}, {"outcome", "accepted"}};
  const std::map<std::string, std::string> suspense{
      {"import", "payroll_deductions"}, {"outcome", "suspense"}};
  const std::map<std::string, std::string> rejected{
      {"import", "payroll_deductions"}, {"outcome", "rejected"}};
  EXPECT_TRUE(scrape.Has("unionhub_import_rows_total", rejected));
  const double accepted_before =
      scrape.Sum("unionhub_import_rows_total", accepted);
  const double suspense_before =
      scrape.Sum("unionhub_import_rows_total", suspense);
  const std::string member0 = MakeNationalId("19900101", 0);
  fv1::ImportPayrollDeductionsResponse imported;
  grpc::Status status = ImportDeductions(
      server.finance(), Header(c.union_a1.employer().employer_id()),
      {RowById(member0, "2025-01", 2835),
       RowById(MakeNationalId("19900101", 500), "2025-01", 2835),
       RowById(member0, "2025-06", 100)},
      &imported);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(imported.rows_applied(), 1);
  ASSERT_EQ(imported.rows_suspended(), 2);
  scrape = Scrape::Of(port);
  EXPECT_EQ(
      scrape.Sum("unionhub_import_rows_total", accepted) - accepted_before, 1);
  EXPECT_EQ(
      scrape.Sum("unionhub_import_rows_total", suspense) - suspense_before, 2);
  // A client-stream call counts once, with its code, and no latency.
  EXPECT_GE(scrape.Sum("unionhub_rpc_requests_total",
                       {{"method",
                         "unionhub.finance.v1.FinanceService/"
                         "ImportPayrollDeductions"},
                        {"code", "OK"}}),
            1);

  // The ledger: entries wait for their seal, then none does.
  const int64_t entries = SqlInt(server, "SELECT COUNT(*) FROM ledger_entries");
  ASSERT_GT(entries, 0);
  scrape = ScrapeUntil(port, [&](const Scrape& s) {
    return s.Sum("unionhub_ledger_unsealed_entries") == entries;
  });
  EXPECT_EQ(scrape.Sum("unionhub_ledger_unsealed_entries"), entries);
  EXPECT_EQ(scrape.Sum("unionhub_ledger_last_seal_timestamp_seconds"), 0);
  EXPECT_TRUE(scrape.Has("unionhub_ledger_oldest_unsealed_age_seconds"));
  const double now = absl::ToDoubleSeconds(absl::Now() - absl::UnixEpoch());
  absl::StatusOr<int64_t> sealed = finance::SealOnce(server.database().pool());
  ASSERT_TRUE(sealed.ok()) << sealed.status();
  ASSERT_EQ(*sealed, entries);
  scrape = ScrapeUntil(port, [](const Scrape& s) {
    return s.Sum("unionhub_ledger_last_seal_timestamp_seconds") > 0;
  });
  EXPECT_EQ(scrape.Sum("unionhub_ledger_unsealed_entries"), 0);
  EXPECT_EQ(scrape.Sum("unionhub_ledger_oldest_unsealed_age_seconds"), 0);
  // The database's clock and ours: within a minute of each other.
  EXPECT_NEAR(scrape.Sum("unionhub_ledger_last_seal_timestamp_seconds"), now,
              60);
}

}  // namespace
}  // namespace unionhub::testing
