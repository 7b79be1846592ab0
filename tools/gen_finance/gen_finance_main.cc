// unionhub-gen-finance: writes a province-size synthetic data set into a
// finance schema (applying the finance migrations first), then times the
// collection report's store query for the whole province.
//
//   unionhub-gen-finance --db_uri=unix:///tmp/db/mysqld.sock
//       --db_user=root --db_schema=finance_bench --members=1000000
//   unionhub-gen-finance ... --generate=false      # only the benchmark
//
// An admin tool: it writes tables directly (multi-row prepared INSERTs, one
// transaction per statement), never through the service.
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/core/dates.h"
#include "common/db/migrations.h"
#include "common/db/sql.h"
#include "services/finance/store/paths.h"
#include "services/finance/store/report_store.h"
#include "tools/gen_finance/province.h"

ABSL_FLAG(std::string, db_uri, "tcp://127.0.0.1:3306",
          "tcp://HOST:PORT or unix:///path/to/mysqld.sock");
ABSL_FLAG(std::string, db_user, "root", "a user that may create the schema");
ABSL_FLAG(std::string, db_password, "", "its password");
ABSL_FLAG(std::string, db_schema, "unionhub_finance_gen",
          "the finance schema to fill (created if missing; must be empty)");
ABSL_FLAG(int64_t, members, 1000000, "members in the province");
ABSL_FLAG(int, months, 12, "months charged, from --first_month");
ABSL_FLAG(std::string, first_month, "2025-01", "the first month (YYYY-MM)");
ABSL_FLAG(uint64_t, seed, 20250101, "random seed (same seed, same data)");
ABSL_FLAG(int, rows_per_statement, 1000, "rows per multi-row INSERT");
ABSL_FLAG(bool, generate, true,
          "write the data set; false: only run the benchmark on what the "
          "schema holds");
ABSL_FLAG(int, bench_runs, 20,
          "time the collection report's store query for the root org over "
          "all months this many times (0: no benchmark)");
ABSL_FLAG(int, arrears_runs, 3,
          "time the arrears candidate query (one page) for the root, a "
          "county and a township this many times (0: skip)");

namespace unionhub::db {
const std::vector<MigrationFile>& FinanceMigrations();
}  // namespace unionhub::db

namespace {

using unionhub::db::Connection;
namespace store = ::unionhub::finance::store;

void Log(const std::string& line) {
  absl::FPrintF(
      stderr, "[%s] %s\n",
      absl::FormatTime("%H:%M:%S", absl::Now(), absl::LocalTimeZone()), line);
}

int Fail(const absl::Status& status) {
  absl::FPrintF(stderr, "unionhub-gen-finance: %s\n", status.ToString());
  return 1;
}

bool PlainName(const std::string& name) {
  return !name.empty() && name.size() <= 64 &&
         std::all_of(name.begin(), name.end(), [](char c) {
           return absl::ascii_isalnum(static_cast<unsigned char>(c)) ||
                  c == '_';
         });
}

struct Stats {
  double min = 0, median = 0, max = 0;
};

Stats Summarise(std::vector<double> ms) {
  std::sort(ms.begin(), ms.end());
  return {ms.front(), ms[ms.size() / 2], ms.back()};
}

// The root org (the province), its name, and the months its rollup holds.
struct Root {
  int64_t org_id = 0;
  std::string name, path, from, to;
};

absl::StatusOr<Root> FindRoot(unionhub::db::Pool& pool) {
  Root root;
  absl::Status s = pool.Run([&](Connection& conn) {
    auto rs = unionhub::db::Query(
        conn,
        "SELECT org_id, name, path FROM roster_orgs WHERE parent_id = 0 "
        "ORDER BY org_id LIMIT 1");
    if (!rs->next()) return absl::NotFoundError("the schema holds no orgs");
    root.org_id = unionhub::db::GetInt64(*rs, "org_id");
    root.name = unionhub::db::GetString(*rs, "name");
    root.path = unionhub::db::GetString(*rs, "path");
    auto months = unionhub::db::Query(
        conn,
        "SELECT MIN(month) AS f, MAX(month) AS t FROM collection_rollup "
        "WHERE org_id = ?",
        root.org_id);
    months->next();
    root.from = unionhub::db::GetString(*months, "f");
    root.to = unionhub::db::GetString(*months, "t");
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return root;
}

// Times `fn` (one read in autocommit mode) `runs` times, in milliseconds.
template <typename Fn>
absl::StatusOr<Stats> Time(unionhub::db::Pool& pool, int runs, Fn fn) {
  std::vector<double> ms;
  for (int i = 0; i < runs; ++i) {
    const absl::Time start = absl::Now();
    absl::Status s = pool.Run([&](Connection& conn) {
      fn(conn);
      return absl::OkStatus();
    });
    if (!s.ok()) return s;
    ms.push_back(absl::ToDoubleMilliseconds(absl::Now() - start));
  }
  return Summarise(ms);
}

absl::Status Bench(unionhub::db::Pool& pool) {
  absl::StatusOr<Root> root = FindRoot(pool);
  if (!root.ok()) return root.status();
  const int runs = absl::GetFlag(FLAGS_bench_runs);
  if (runs > 0) {
    size_t by_child = 0, by_child_month = 0, by_month = 0;
    int64_t charged = 0;
    absl::StatusOr<Stats> t = Time(pool, runs, [&](Connection& conn) {
      store::CollectionRows rows = store::LoadCollectionRows(
          conn, root->org_id, root->name, root->from, root->to);
      by_month = rows.by_month.size();
      by_child = rows.by_child.size();
      by_child_month = rows.by_child_month.size();
      charged = 0;
      for (const auto& m : rows.by_month) charged += m.members_charged();
    });
    if (!t.ok()) return t.status();
    absl::PrintF(
        "collection report, org %d (%s), %s..%s: %d months, %d children, "
        "%d child-months, %d charges covered\n"
        "  %d runs: min %.2f ms, median %.2f ms, max %.2f ms\n",
        root->org_id, root->name, root->from, root->to, by_month, by_child,
        by_child_month, charged, runs, t->min, t->median, t->max);
  }
  const int arrears_runs = absl::GetFlag(FLAGS_arrears_runs);
  if (arrears_runs <= 0) return absl::OkStatus();
  // The root, its first county and first township (deepest federations).
  std::vector<std::pair<std::string, std::string>> scopes = {
      {"province", root->path}};
  absl::Status s = pool.Run([&](Connection& conn) {
    for (int type : {4, 5}) {
      auto rs = unionhub::db::Query(
          conn,
          "SELECT path FROM roster_orgs WHERE type = ? ORDER BY org_id "
          "LIMIT 1",
          type);
      if (rs->next()) {
        scopes.emplace_back(type == 4 ? "county" : "township",
                            unionhub::db::GetString(*rs, "path"));
      }
    }
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  absl::StatusOr<absl::CivilMonth> last = unionhub::dates::ParseMonth(root->to);
  if (!last.ok()) return last.status();
  const std::string before = unionhub::dates::FormatMonth(*last + 1);
  // ListArrears reads one page of 101 members with >= 1 open month;
  // ListLapseCandidates batches of 1000 with >= 6.
  for (const auto& [min_open, limit] :
       {std::make_pair(1, 101), std::make_pair(6, 1000)}) {
    for (const auto& [what, path] : scopes) {
      size_t found = 0;
      absl::StatusOr<Stats> t = Time(pool, arrears_runs, [&](Connection& conn) {
        found = store::MembersWithOpenCharges(conn, store::SubtreePattern(path),
                                              before, 0, min_open, limit)
                    .size();
      });
      if (!t.ok()) return t.status();
      absl::PrintF(
          "members with >= %d open months (first %d), %s %s: %d found\n"
          "  %d runs: min %.2f ms, median %.2f ms, max %.2f ms\n",
          min_open, limit, what, path, found, arrears_runs, t->min, t->median,
          t->max);
    }
  }
  return absl::OkStatus();
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "writes a province-size synthetic finance data set and times the "
      "collection report");
  absl::ParseCommandLine(argc, argv);
  const std::string schema = absl::GetFlag(FLAGS_db_schema);
  if (!PlainName(schema)) {
    return Fail(absl::InvalidArgumentError(
        "--db_schema: letters, digits and '_' only, at most 64"));
  }
  absl::StatusOr<absl::CivilMonth> first =
      unionhub::dates::ParseMonth(absl::GetFlag(FLAGS_first_month));
  if (!first.ok()) return Fail(first.status());
  unionhub::gen::Options options;
  options.members = absl::GetFlag(FLAGS_members);
  options.months = absl::GetFlag(FLAGS_months);
  options.first_month = *first;
  options.seed = absl::GetFlag(FLAGS_seed);
  options.rows_per_statement = absl::GetFlag(FLAGS_rows_per_statement);
  if (options.members < 1 || options.months < 1 || options.months > 120 ||
      options.rows_per_statement < 1 || options.rows_per_statement > 5000) {
    return Fail(absl::InvalidArgumentError(
        "--members >= 1, --months 1..120, --rows_per_statement 1..5000"));
  }

  unionhub::db::DbConfig config;
  config.uri = absl::GetFlag(FLAGS_db_uri);
  config.user = absl::GetFlag(FLAGS_db_user);
  config.password = absl::GetFlag(FLAGS_db_password);
  config.pool_size = 2;
  {
    unionhub::db::Pool server(config);
    // An identifier cannot be bound; the name was checked above.
    absl::Status s = server.Run([&](Connection& conn) {
      unionhub::db::Execute(
          conn, absl::StrCat("CREATE DATABASE IF NOT EXISTS `", schema,
                             "` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"));
      return absl::OkStatus();
    });
    if (!s.ok()) return Fail(s);
  }
  config.schema = schema;
  unionhub::db::Pool pool(config);
  if (absl::Status s = unionhub::db::ApplyMigrations(
          pool, unionhub::db::FinanceMigrations());
      !s.ok()) {
    return Fail(s);
  }

  if (absl::GetFlag(FLAGS_generate)) {
    std::string orgs;
    absl::Status s = pool.Run([&](Connection& conn) {
      auto rs =
          unionhub::db::Query(conn, "SELECT COUNT(*) AS n FROM roster_orgs");
      rs->next();
      orgs = absl::StrCat(unionhub::db::GetInt64(*rs, "n"));
      return absl::OkStatus();
    });
    if (!s.ok()) return Fail(s);
    if (orgs != "0") {
      return Fail(absl::FailedPreconditionError(absl::StrCat(
          "schema ", schema, " already holds ", orgs,
          " orgs; use a fresh schema, or --generate=false to benchmark it")));
    }
    const absl::Time start = absl::Now();
    absl::StatusOr<unionhub::gen::Generated> out =
        unionhub::gen::GenerateProvince(pool, options, Log);
    if (!out.ok()) return Fail(out.status());
    const double secs = absl::ToDoubleSeconds(absl::Now() - start);
    absl::PrintF(
        "generated in %.1f s: %d orgs (%d unions), %d members, %d charges "
        "(%.1f%% settled, %.2f%% of dues paid), %d declarations, %d "
        "collections, %d expenses, %d rollup rows; %.0f charges/s overall\n",
        secs, out->tree.orgs.size(), out->tree.unions.size(), options.members,
        out->charges, 100.0 * out->charges_settled / out->charges,
        100.0 * out->paid_fen / std::max<int64_t>(1, out->due_fen),
        out->declarations, out->collections, out->expenses, out->rollup_rows,
        out->charges / secs);
  }
  if (absl::Status s = Bench(pool); !s.ok()) return Fail(s);
  return 0;
}
