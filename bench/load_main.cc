// unionhub-bench-load: fills a freshly migrated membership schema and
// finance schema with N members, fast, for bench/run. An admin tool like
// unionhub-gen-finance: it writes tables directly (multi-row prepared
// INSERTs, one transaction per batch), never through the services.
//
//  * finance: unionhub-gen-finance's province (org tree, roster copy, one
//    dues charge per member and month with realistic payments, rollups,
//    funds), with the roster's keyed national-ID hashes and card numbers
//    computed as membership's would be;
//  * membership: the same orgs (same ids, paths and names), one employer
//    per union and one without a union per township, and every member with
//    the roster's name, org and wage, written by membership's own
//    store::InsertNewMembers (member row with the national ID sealed and
//    indexed by common/crypto, first period, JOINED history entry), so the
//    rows are those JoinMember would write. The member id counter is moved
//    past them; no change events are written (finance's copy already holds
//    the members, and its cursor stays at 0 like membership's outbox).
//
// The personal-data keys come from the environment the services read
// (UNIONHUB_PII_KEYS, UNIONHUB_PII_ACTIVE_KEY_ID, UNIONHUB_PII_HMAC_KEY).
//
//   unionhub-bench-load --db_uri=unix:///D/mysqld.sock --db_user=root
//       --members=100000
#include <algorithm>
#include <atomic>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "bench/synthetic.h"
#include "common/core/dates.h"
#include "common/core/ids.h"
#include "common/crypto/pii_global.h"
#include "common/db/sql.h"
#include "services/membership/store/store.h"
#include "tools/gen_finance/bulk_insert.h"
#include "tools/gen_finance/province.h"

ABSL_FLAG(std::string, db_uri, "tcp://127.0.0.1:3306",
          "tcp://HOST:PORT or unix:///path/to/mysqld.sock");
ABSL_FLAG(std::string, db_user, "root", "a user that may write both schemas");
ABSL_FLAG(std::string, db_password, "", "its password");
ABSL_FLAG(std::string, membership_schema, "unionhub_membership",
          "membership's schema (migrated, empty)");
ABSL_FLAG(std::string, finance_schema, "unionhub_finance",
          "finance's schema (migrated, empty)");
ABSL_FLAG(int64_t, members, 100000, "members to load");
ABSL_FLAG(int, months, 12, "months charged, from --first_month");
ABSL_FLAG(std::string, first_month, "2025-01", "the first charged month");
ABSL_FLAG(int, rows_per_statement, 5000,
          "rows per multi-row INSERT and transaction (fewer where a table's "
          "columns would pass 65,535 placeholders; membership's members go "
          "1,000 per INSERT, this many per transaction)");

namespace {

// members has 22 columns: 1,000 rows stay well under the 65,535
// placeholders of one prepared statement.
constexpr int kMembersPerStatement = 1000;

using unionhub::db::Connection;
namespace gen = ::unionhub::gen;
namespace mv1 = ::unionhub::membership::v1;
namespace mstore = ::unionhub::membership::store;

void Log(const std::string& line) {
  absl::FPrintF(
      stderr, "[%s] %s\n",
      absl::FormatTime("%H:%M:%S", absl::Now(), absl::LocalTimeZone()), line);
}

int Fail(const absl::Status& status) {
  absl::FPrintF(stderr, "unionhub-bench-load: %s\n", status.ToString());
  return 1;
}

// A valid unified social credit code for employer i.
std::string CreditCodeFor(int64_t i) {
  const std::string first17 = absl::StrFormat("913201007%08d", i);
  absl::StatusOr<char> check = unionhub::ids::CreditCodeCheckChar(first17);
  return absl::StrCat(first17, std::string(1, check.ok() ? *check : '0'));
}

// Orgs with finance's ids and paths, then the employers (the union of
// employer i is union i; one employer per township has none).
absl::Status WriteOrgsAndEmployers(unionhub::db::Pool& pool,
                                   const gen::Tree& tree, int per) {
  // The root first (its parent is NULL, which the bulk rows cannot say),
  // then the rest in id order, parents before children.
  absl::Status s = pool.Run([&](Connection& conn) {
    const gen::Org& root = tree.at(tree.province);
    unionhub::db::Execute(
        conn,
        "INSERT INTO orgs (id, parent_id, type, name, status, region_code, "
        "path, established_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        root.id, std::optional<int64_t>(), static_cast<int64_t>(root.type),
        root.name, static_cast<int64_t>(mv1::ORG_STATUS_ESTABLISHED),
        std::string("320000"), root.path, std::string("2000-01-01"));
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  gen::BulkInserter orgs(pool,
                         "orgs (id, parent_id, type, name, status, "
                         "region_code, path, established_on)",
                         8, per);
  for (const gen::Org& org : tree.orgs) {
    if (org.id == tree.province) continue;
    s = orgs.Add({org.id, org.parent, static_cast<int64_t>(org.type), org.name,
                  static_cast<int64_t>(mv1::ORG_STATUS_ESTABLISHED),
                  std::string(""), org.path, std::string("2000-01-01")});
    if (!s.ok()) return s;
  }
  if (s = orgs.Finish(); !s.ok()) return s;

  gen::BulkInserter employers(pool,
                              "employers (id, name, credit_code, ownership, "
                              "headcount, above_designated_size, area_org_id, "
                              "union_org_id, coverage_path)",
                              9, per);
  for (size_t i = 0; i < tree.unions.size(); ++i) {
    const gen::Org& u = tree.at(tree.unions[i]);
    const int64_t id = gen::UnionEmployerId(i);
    s = employers.Add({id, absl::StrCat("合成企业", i + 1), CreditCodeFor(id),
                       static_cast<int64_t>(mv1::OWNERSHIP_NON_PUBLIC),
                       u.end_member - u.first_member, false, u.parent, u.id,
                       u.path});
    if (!s.ok()) return s;
  }
  for (size_t t = 0; t < tree.townships.size(); ++t) {
    const int64_t id = gen::GapEmployerId(tree, t);
    const gen::Org& township = tree.at(tree.townships[t]);
    s = employers.Add({id, absl::StrCat("未建会企业", t + 1), CreditCodeFor(id),
                       static_cast<int64_t>(mv1::OWNERSHIP_NON_PUBLIC),
                       int64_t{60}, false, township.id, township.id,
                       township.path});
    if (!s.ok()) return s;
  }
  if (s = employers.Finish(); !s.ok()) return s;
  // Gap employers have no union: the placeholder above is cleared here.
  return pool.Run([&](Connection& conn) {
    unionhub::db::Execute(
        conn, "UPDATE employers SET union_org_id = NULL WHERE id > ?",
        static_cast<int64_t>(tree.unions.size()));
    unionhub::db::Execute(conn,
                          "UPDATE orgs SET employer_id = id - ? WHERE type = ?",
                          tree.unions.front() - 1,
                          static_cast<int64_t>(mv1::ORG_TYPE_GRASSROOTS_UNION));
    return absl::OkStatus();
  });
}

// Members first..last from finance's roster copy into membership through
// its own store::InsertNewMembers, on `conn` (in the caller's transaction).
absl::Status WriteMemberBatch(unionhub::db::Pool& finance, Connection& to,
                              int64_t first, int64_t last,
                              const std::string& joined_on) {
  std::vector<mv1::Member> batch;
  batch.reserve(static_cast<size_t>(last - first + 1));
  absl::Status s = finance.Run([&](Connection& conn) {
    auto rs = unionhub::db::Query(
        conn,
        "SELECT member_id, name, org_id, wage_base_fen FROM roster_members "
        "WHERE member_id BETWEEN ? AND ? ORDER BY member_id",
        first, last);
    while (rs->next()) {
      const int64_t id = unionhub::db::GetInt64(*rs, "member_id");
      const std::string national_id = unionhub::bench::NationalIdFor(id);
      mv1::Member m;
      m.set_member_id(id);
      m.set_national_id(national_id);
      m.set_name(unionhub::db::GetString(*rs, "name"));
      m.set_sex((national_id[16] - '0') % 2 == 1 ? mv1::SEX_MALE
                                                 : mv1::SEX_FEMALE);
      m.set_birth_date(absl::StrCat(national_id.substr(6, 4), "-",
                                    national_id.substr(10, 2), "-",
                                    national_id.substr(12, 2)));
      m.set_mobile(unionhub::bench::MobileFor(id));
      m.set_household(id % 4 == 0 ? mv1::HOUSEHOLD_RURAL
                                  : mv1::HOUSEHOLD_URBAN);
      m.set_ethnicity("汉族");
      m.set_education(mv1::EDUCATION_SENIOR_SECONDARY);
      m.set_front_line(id % 3 != 0);
      m.set_migrant_worker(id % 4 == 0);
      m.set_wage_base_fen(unionhub::db::GetInt64(*rs, "wage_base_fen"));
      m.set_org_id(unionhub::db::GetInt64(*rs, "org_id"));
      m.set_card_number(mstore::CardNumberFor(id));
      m.set_status(mv1::MEMBER_STATUS_ACTIVE);
      m.set_joined_on(joined_on);
      m.set_status_since(joined_on);
      batch.push_back(std::move(m));
    }
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  mstore::InsertNewMembers(to, batch, "bench-load");
  return absl::OkStatus();
}

// Members from finance's roster copy, `per` at a time (a multi-row INSERT
// of membership's own), `per_transaction` per transaction. It follows the
// finance generator running on another connection: a roster batch is read
// once `roster_committed` says it is there (or `roster_done` is set; a
// failed generator leaves it short and the batch empty).
absl::Status WriteMembers(unionhub::db::Pool& finance,
                          unionhub::db::Pool& membership, int64_t count,
                          const std::string& joined_on, int per,
                          int per_transaction,
                          const std::atomic<int64_t>& roster_committed,
                          const std::atomic<bool>& roster_done) {
  const absl::Time start = absl::Now();
  const int64_t step = static_cast<int64_t>(per) * per_transaction;
  for (int64_t first = 1; first <= count; first += step) {
    const int64_t last = std::min(count, first + step - 1);
    while (roster_committed.load() < last && !roster_done.load()) {
      absl::SleepFor(absl::Milliseconds(50));
    }
    if (roster_committed.load() < last) {
      return absl::AbortedError("the finance generator stopped early");
    }
    absl::Status s = membership.InTransaction([&](Connection& conn) {
      for (int64_t at = first; at <= last; at += per) {
        absl::Status read = WriteMemberBatch(
            finance, conn, at, std::min(last, at + per - 1), joined_on);
        if (!read.ok()) return read;
      }
      return absl::OkStatus();
    });
    if (!s.ok()) return s;
    if ((last % 100000) < step || last == count) {
      const double secs = absl::ToDoubleSeconds(absl::Now() - start);
      Log(absl::StrFormat("  membership: %d members, %.0f s, %.0f rows/s", last,
                          secs, last / secs));
    }
  }
  return membership.Run([&](Connection& conn) {
    unionhub::db::Execute(
        conn, "UPDATE counters SET value = ? WHERE name = 'member_id'", count);
    return absl::OkStatus();
  });
}

unionhub::db::DbConfig Config(const std::string& schema) {
  unionhub::db::DbConfig config;
  config.uri = absl::GetFlag(FLAGS_db_uri);
  config.user = absl::GetFlag(FLAGS_db_user);
  config.password = absl::GetFlag(FLAGS_db_password);
  config.schema = schema;
  config.pool_size = 2;
  return config;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "fills migrated membership and finance schemas with --members members "
      "(bench/run calls it)");
  absl::ParseCommandLine(argc, argv);
  if (absl::Status s = unionhub::bench::InstallPiiFromEnvironment(); !s.ok()) {
    return Fail(s);
  }
  absl::StatusOr<absl::CivilMonth> first =
      unionhub::dates::ParseMonth(absl::GetFlag(FLAGS_first_month));
  if (!first.ok()) return Fail(first.status());
  gen::Options options;
  options.members = absl::GetFlag(FLAGS_members);
  options.months = absl::GetFlag(FLAGS_months);
  options.first_month = *first;
  options.rows_per_statement = absl::GetFlag(FLAGS_rows_per_statement);
  if (options.members < 1 || options.members > 12000000 || options.months < 1 ||
      options.months > 120 || options.rows_per_statement < 1 ||
      options.rows_per_statement > 20000) {
    return Fail(absl::InvalidArgumentError(
        "--members 1..12000000, --months 1..120, --rows_per_statement "
        "1..20000"));
  }
  options.national_id_index = [](int64_t m) {
    return unionhub::crypto::Pii().Index(unionhub::bench::NationalIdFor(m),
                                         unionhub::crypto::kNationalIdContext);
  };
  options.card_number = [](int64_t m) { return mstore::CardNumberFor(m); };

  unionhub::db::Pool finance(Config(absl::GetFlag(FLAGS_finance_schema)));
  unionhub::db::Pool membership(Config(absl::GetFlag(FLAGS_membership_schema)));
  // Finance's generator and membership's writer run at once, on their own
  // connections (the writer follows the roster as it is committed): the
  // server works on two statements at a time instead of one.
  std::atomic<int64_t> roster_committed{0};
  std::atomic<bool> roster_done{false};
  options.roster_committed = &roster_committed;
  const absl::Time start = absl::Now();
  absl::StatusOr<gen::Generated> out = absl::UnknownError("not run");
  std::thread generator([&] {
    out = gen::GenerateProvince(finance, options, Log);
    roster_done = true;
    Log(absl::StrFormat("finance: %s in %.1f s",
                        out.ok() ? absl::StrCat(out->charges, " charges")
                                 : out.status().ToString(),
                        absl::ToDoubleSeconds(absl::Now() - start)));
  });
  // The same tree the generator builds (BuildTree is deterministic).
  const gen::Tree tree = gen::BuildTree(options.members);
  absl::Status s =
      WriteOrgsAndEmployers(membership, tree, options.rows_per_statement);
  // The roster's members are ACTIVE from this day (gen_finance's one state).
  const std::string joined_on =
      unionhub::dates::FormatDate(absl::CivilDay(options.first_month - 12));
  if (s.ok()) {
    s = WriteMembers(
        finance, membership, options.members, joined_on, kMembersPerStatement,
        std::max(1, options.rows_per_statement / kMembersPerStatement),
        roster_committed, roster_done);
  }
  Log(absl::StrFormat("membership: %d orgs, %d members in %.1f s%s",
                      tree.orgs.size(), options.members,
                      absl::ToDoubleSeconds(absl::Now() - start),
                      s.ok() ? "" : " (failed)"));
  generator.join();
  if (!out.ok()) return Fail(out.status());
  if (!s.ok()) return Fail(s);
  Log(absl::StrFormat("loaded in %.1f s",
                      absl::ToDoubleSeconds(absl::Now() - start)));
  // What the load client needs to know about the tree, on stdout.
  const gen::Tree& t = tree;
  absl::PrintF(
      "province=%d first_city=%d first_county=%d counties=%d "
      "first_township=%d first_union=%d unions=%d members=%d\n",
      t.province, t.cities.front(), t.counties.front(), t.counties.size(),
      t.townships.front(), t.unions.front(), t.unions.size(), options.members);
  return 0;
}
