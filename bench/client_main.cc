// unionhub-bench: the load client of bench/run. For each hot path, at each
// number of concurrent callers, it measures the path through the real
// services (TLS, bearer token, one connection per caller) and, in the same
// minute, its raw baseline on the same MariaDB (the handler's store
// statements or a durable insert, no gRPC) and the bare gRPC health check
// on the same TLS port; then prints one table with the ratios. Optionally
// profiles GetMember and RecordDuesPayment from the database's side
// (bench/profile.h). Prints figures; asserts nothing.
#include <grpcpp/grpcpp.h>

#include <string>
#include <tuple>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "bench/paths.h"
#include "bench/profile.h"
#include "bench/stack_flags.h"
#include "bench/synthetic.h"
#include "common/core/dates.h"

ABSL_FLAG(std::string, jwt_public_key_file, "",
          "its public key: times one verification (the gate's per-call work)");
ABSL_FLAG(std::string, raw_schema, "bench_raw",
          "scratch schema for the durable-insert baselines (must exist)");
ABSL_FLAG(double, seconds, 5, "seconds per path and number of callers");
ABSL_FLAG(std::string, callers, "1,16", "numbers of concurrent callers");
ABSL_FLAG(std::string, imports, "10000,100000",
          "rows per ImportPayrollDeductions stream (the largest runs with "
          "one caller only)");
ABSL_FLAG(std::string, paths, "",
          "only the paths whose names start with one of these "
          "(comma-separated; empty: all)");
ABSL_FLAG(int, profile_calls, 200,
          "calls for the statement counts of GetMember and RecordDuesPayment "
          "(0: no profile)");
ABSL_FLAG(int, membership_pid, 0,
          "membership's process id: its CPU time per call is reported (0: "
          "not measured)");
ABSL_FLAG(int, bare_pid, 0, "unionhub-bench-bare's pid (its CPU per call)");
ABSL_FLAG(int, finance_pid, 0, "finance's process id, the same for finance");
ABSL_FLAG(int, mysqld_pid, 0,
          "MariaDB's process id: its CPU time per call is reported too (0: "
          "not measured)");
ABSL_FLAG(std::string, general_log_file, "",
          "where the server writes the general log of 2 profiled calls "
          "(empty: skip)");

namespace {

using namespace unionhub::bench;  // NOLINT: a program of this namespace

int Fail(const std::string& what) {
  absl::FPrintF(stderr, "unionhub-bench: %s\n", what);
  return 1;
}

// One line of the table.
struct Row {
  std::string path, unit, raw_name;
  Result ours, raw, health;
};

std::vector<Row> rows;

std::string Rate(double v) {
  return v >= 100 ? absl::StrFormat("%.0f", v) : absl::StrFormat("%.1f", v);
}

// "ours / health" service CPU µs per call, "-" where not measured.
std::string CpuPair(const Row& r) {
  if (r.ours.server_cpu_us <= 0) return "-";
  if (r.health.server_cpu_us <= 0) {
    return absl::StrFormat("%.0f", r.ours.server_cpu_us);
  }
  return absl::StrFormat("%.0f / %.0f", r.ours.server_cpu_us,
                         r.health.server_cpu_us);
}

// One run's CPU µs per call by process: "client + MariaDB + service = sum"
// (a process not measured is left out).
std::string CpuSum(const Result& r) {
  std::string parts = absl::StrFormat("%.0f", r.client_cpu_us);
  double sum = r.client_cpu_us;
  for (double part : {r.db_cpu_us, r.server_cpu_us}) {
    if (part <= 0) continue;
    absl::StrAppend(&parts, absl::StrFormat(" + %.0f", part));
    sum += part;
  }
  return absl::StrFormat("%s = %.0f", parts, sum);
}

// The whole cost of a call on the shared cores, path ; health ; raw.
std::string CpuByProcess(const Row& r) {
  if (r.ours.client_cpu_us <= 0) return "-";
  return absl::StrCat(CpuSum(r.ours), " ; ",
                      r.health.calls > 0 ? CpuSum(r.health) : "-", " ; ",
                      CpuSum(r.raw));
}

std::string Line(const Row& r) {
  const bool units = !r.unit.empty();
  const double ours = units ? r.ours.units_per_s : r.ours.calls_per_s;
  const double raw = units ? r.raw.units_per_s : r.raw.calls_per_s;
  std::string errors;
  if (r.ours.errors > 0) {
    errors =
        absl::StrCat(" (", r.ours.errors, " failed: ", r.ours.first_error, ")");
  }
  return absl::StrFormat(
      "| %s | %d | %s%s | %.2f | %.2f | %s | %s | %.2f | %.2fx | %s | %s | "
      "%s | %s |%s",
      r.path, r.ours.callers, Rate(ours), units ? " " + r.unit : "",
      r.ours.p50_ms, r.ours.p99_ms, r.raw_name, Rate(raw), r.raw.p50_ms,
      raw > 0 ? ours / raw : 0,
      r.health.calls > 0 ? Rate(r.health.calls_per_s) : "-",
      r.health.calls > 0 && !units
          ? absl::StrFormat("%.2fx", r.ours.calls_per_s / r.health.calls_per_s)
          : "-",
      CpuPair(r), CpuByProcess(r), errors);
}

bool Selected(const std::string& path) {
  const std::string filter = absl::GetFlag(FLAGS_paths);
  if (filter.empty()) return true;
  for (absl::string_view prefix : absl::StrSplit(filter, ',')) {
    if (absl::StartsWith(path, prefix)) return true;
  }
  return false;
}

void Measure(const std::string& path, const std::string& unit, int callers,
             const Budget& budget, int warmup, const CallFn& ours,
             const std::string& raw_name, const Budget& raw_budget,
             const CallFn& raw, const Result& health, int server_pid = 0) {
  if (!Selected(path)) return;
  Row row;
  row.path = path;
  row.unit = unit;
  row.raw_name = raw_name;
  row.ours = RunOnServer(server_pid, callers, budget, warmup, ours);
  row.raw = Run(callers, raw_budget, warmup, raw);
  row.health = health;
  absl::PrintF("%s\n", Line(row));
  std::fflush(stdout);
  rows.push_back(row);
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage("unionhub-bench (bench/run starts it)");
  absl::ParseCommandLine(argc, argv);
  // As the services do (ServiceHost::Run): no lock-order graph per lock.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  Env env;
  env.run_id = absl::StrCat(absl::ToUnixSeconds(absl::Now()));

  std::vector<int> caller_counts;
  for (absl::string_view c :
       absl::StrSplit(absl::GetFlag(FLAGS_callers), ',')) {
    int n = 0;
    if (!absl::SimpleAtoi(c, &n) || n < 1 || n > 256) {
      return Fail("--callers: numbers 1..256, comma-separated");
    }
    caller_counts.push_back(n);
  }
  const int most =
      *std::max_element(caller_counts.begin(), caller_counts.end());
  if (absl::Status s = ConnectToStack(env, "bench", most, absl::Hours(12));
      !s.ok()) {
    return Fail(s.ToString());
  }
  // One root connection per caller, per schema.
  env.membership_db = RootPool(absl::GetFlag(FLAGS_membership_schema), 16);
  env.finance_db = RootPool(absl::GetFlag(FLAGS_finance_schema), 16);
  env.raw_db = RootPool(absl::GetFlag(FLAGS_raw_schema), 16);
  if (absl::Status s = PrepareRaw(env); !s.ok()) return Fail(s.ToString());
  if (absl::Status s = LoadOpenCharges(env, 1000000); !s.ok()) {
    return Fail(s.ToString());
  }
  const size_t open_at_start = env.open.size();

  Budget timed;
  timed.duration = absl::Seconds(absl::GetFlag(FLAGS_seconds));
  const CallFn health_m = HealthCall(env.membership);
  const CallFn health_f = HealthCall(env.finance);

  absl::PrintF(
      "| path | callers | unionhub calls/s | p50 ms | p99 ms | raw baseline "
      "(same MariaDB) | raw calls/s | raw p50 ms | unionhub/raw | TLS health "
      "calls/s | unionhub/health | service CPU us/call (path / health) "
      "| CPU us/call client + MariaDB + service (path ; health ; raw) "
      "|\n|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
  const Result none;  // no health check beside a row
  const int mpid = absl::GetFlag(FLAGS_membership_pid);
  const int fpid = absl::GetFlag(FLAGS_finance_pid);
  SetDatabasePid(absl::GetFlag(FLAGS_mysqld_pid));
  for (int c : caller_counts) {
    const Result hm = RunOnServer(mpid, c, timed, 20, health_m);
    const Result hf = RunOnServer(fpid, c, timed, 20, health_f);
    Measure("GetMember", "", c, timed, 20, GetMemberCall(env),
            "store GetMember (point select)", timed, RawGetMember(env), hm,
            mpid);
    if (!env.bare.empty()) {
      // The bound of the row above: the same call and statement on a bare
      // gRPC server over the same TLS, nothing else
      // (bench/bare_server_main.cc).
      Measure("GetMember on a bare gRPC server (TLS, its point select only)",
              "", c, timed, 20, GetMemberOn(env, env.bare),
              "store GetMember (point select)", timed, RawGetMember(env), hm,
              absl::GetFlag(FLAGS_bare_pid));
    }
    Measure("LookupMember (national ID)", "", c, timed, 20,
            LookupMemberCall(env), "store FindMemberByNationalId", timed,
            RawLookupMember(env), hm, mpid);
    Measure("ListMembers (township, 100)", "", c, timed, 5,
            ListMembersCall(env), "store ListMembers (same page)", timed,
            RawListMembers(env), hm, mpid);
    Measure("GetCollectionReport (province)", "", c, timed, 2,
            CollectionReportCall(env), "store LoadCollectionRows", timed,
            RawCollectionReport(env), hf, fpid);
    Measure("ListArrears (province, 100)", "", c, timed, 1,
            ListArrearsCall(env), "store arrears page queries", timed,
            RawArrearsPage(env), hf, fpid);
    Measure("JoinMember", "", c, timed, 5, JoinMemberCall(env),
            "durable 1-row INSERT", timed, RawDurableInsert(env), hm);
    Measure("RecordDuesPayment", "", c, timed, 5, RecordDuesPaymentCall(env),
            "durable 1-row INSERT", timed, RawDurableInsert(env), hf, fpid);
    // The bound of the row above: the payment's own statements at the
    // database's speed, against the same durable insert.
    Measure("RecordDuesPayment, its transaction without the service", "", c,
            timed, 5, RawRecordDuesPayment(env), "durable 1-row INSERT", timed,
            RawDurableInsert(env), none);
  }

  // Bulk paths: rows per second against multi-row INSERTs of 1,000 rows,
  // one transaction each, for the same time.
  std::vector<int> imports;
  for (absl::string_view r :
       absl::StrSplit(absl::GetFlag(FLAGS_imports), ',')) {
    int n = 0;
    if (absl::SimpleAtoi(r, &n) && n > 0) imports.push_back(n);
  }
  // Months no load charged (2026-01 on, up to the current month), for the
  // imports' charges and then AssessDues.
  std::vector<std::string> months;
  const absl::CivilMonth now(
      absl::ToCivilDay(absl::Now(), absl::LocalTimeZone()));
  for (absl::CivilMonth m(2026, 1); m <= now; ++m) {
    months.push_back(unionhub::dates::FormatMonth(m));
  }
  // Every import row settles a charge, as a month's payroll file does: the
  // months after the loaded ones are assessed first (not timed) for as
  // many rows as the import cells send.
  int64_t import_rows = 0;
  for (size_t i = 0; i < imports.size(); ++i) {
    const bool largest = i + 1 == imports.size() && imports.size() > 1;
    for (int c : caller_counts) {
      // Twice: the service's cell and its raw baseline each send them.
      if (!largest || c == 1) import_rows += 2 * int64_t{imports[i]} * c;
    }
  }
  if (Selected("ImportPayrollDeductions") && import_rows > 0) {
    const absl::Time start = absl::Now();
    absl::StatusOr<int64_t> made = AssessForImports(env, months, import_rows);
    if (!made.ok()) return Fail(made.status().ToString());
    absl::FPrintF(stderr,
                  "imports: %d charges assessed for their rows in %.1f s\n",
                  *made, absl::ToDoubleSeconds(absl::Now() - start));
  }
  for (size_t i = 0; i < imports.size(); ++i) {
    const bool largest = i + 1 == imports.size() && imports.size() > 1;
    for (int c : caller_counts) {
      if (largest && c > 1) continue;
      Budget once;
      once.calls_per_caller = 1;
      Measure(absl::StrCat("ImportPayrollDeductions ", imports[i], " rows"),
              "rows/s", c, once, 0, ImportPayrollCall(env, imports[i]),
              "INSERT of 1,000 rows per txn", timed, RawBulkInsert(env, 1000),
              none, fpid);
      // The bound of the row above: the same file's batches written by
      // finance's own code on a root connection, no stream and no service.
      Measure(absl::StrCat("ImportPayrollDeductions ", imports[i],
                           " rows, its batches without the service"),
              "rows/s", c, once, 0, RawImportPayroll(env, imports[i]),
              "INSERT of 1,000 rows per txn", timed, RawBulkInsert(env, 1000),
              none);
    }
  }
  // AssessDues: each call charges one county for one month not charged
  // yet (2026-01 on, up to the current month), after those the imports'
  // charges took.
  const int64_t pairs =
      env.facts.counties * static_cast<int64_t>(months.size());
  int64_t used = env.next_assessment.load();  // the imports' pairs
  for (int c : caller_counts) {
    const int callers = static_cast<int>(std::min<int64_t>(c, pairs - used));
    if (callers < 1) break;
    Budget once;
    once.calls_per_caller = 1;
    used += callers;
    Measure("AssessDues (county, new month)", "charges/s", callers, once, 0,
            AssessDuesCall(env, months), "INSERT of 1,000 rows per txn", timed,
            RawBulkInsert(env, 1000), none, fpid);
  }

  absl::PrintF(
      "\nPayments settle open charges (%d at the start) while any are left, "
      "then go to credit. Import rows name one member each and settle a "
      "charge of the months assessed for them (%d, before the import cells, "
      "not timed). Import rows: %d applied, %d in suspense; of their raw "
      "baseline: %d applied, %d in suspense.\n\n",
      open_at_start, env.import_open.size(), env.rows_applied.load(),
      env.rows_suspended.load(), env.raw_rows_applied.load(),
      env.raw_rows_suspended.load());
  if (!absl::GetFlag(FLAGS_jwt_public_key_file).empty()) {
    absl::Status s = PrintJwtCost(
        env.tokens[0], ReadFile(absl::GetFlag(FLAGS_jwt_public_key_file)));
    if (!s.ok()) absl::PrintF("JWT cost: %s\n", s.ToString());
  }
  const int profile = absl::GetFlag(FLAGS_profile_calls);
  if (profile > 0) {
    const std::vector<std::tuple<std::string, int, CallFn>> profiled = {
        {"GetMember", 1, GetMemberCall(env)},
        {"RecordDuesPayment", 1, RecordDuesPaymentCall(env)},
        {"RecordDuesPayment", most, RecordDuesPaymentCall(env)},
        {"JoinMember", 1, JoinMemberCall(env)},
        {"JoinMember", most, JoinMemberCall(env)}};
    for (const auto& [name, callers, call] : profiled) {
      absl::Status s =
          ProfileStatements(*env.raw_db, name, callers, profile, call);
      if (!s.ok()) absl::PrintF("%s profile: %s\n", name, s.ToString());
      const std::string log = absl::GetFlag(FLAGS_general_log_file);
      if (!log.empty() && callers == 1) {
        s = PrintGeneralLog(*env.raw_db, name, absl::StrCat(log, ".", name), 2,
                            call);
        if (!s.ok()) absl::PrintF("%s general log: %s\n", name, s.ToString());
      }
    }
  }
  return 0;
}
