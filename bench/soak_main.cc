// unionhub-bench-soak: the soak of bench/run --soak. For --minutes it keeps
// a steady, rate-limited mix of the hot paths going through the real
// services (the same calls as unionhub-bench: TLS, bearer token, one
// connection per caller) and, every --import_every minutes, one payroll
// import and one dues assessment; every minute it samples each service's
// resident memory (VmRSS) and peak (VmHWM) from /proc and prints a table
// row, and at the end a summary per service (start, end, max, growth over
// the last 30 minutes) and per path. The rate is fixed (open loop, not as
// fast as possible) so that memory is measured under the same work all
// along, and so the soak leaves most of a shared machine to others.
// Prints figures; asserts nothing.
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "bench/paths.h"
#include "bench/stack_flags.h"
#include "bench/synthetic.h"
#include "common/core/dates.h"

ABSL_FLAG(double, minutes, 60, "how long the soak runs");
ABSL_FLAG(double, rate, 100, "calls per second of the mix, all callers");
ABSL_FLAG(int, callers, 4, "concurrent callers sharing the rate");
ABSL_FLAG(double, import_every, 5,
          "minutes between the payroll import and assessment pairs");
ABSL_FLAG(int, import_rows, 10000, "rows per payroll import");
ABSL_FLAG(std::string, pids, "",
          "the services to sample: NAME:PID,NAME:PID,... (from /proc)");

namespace {

using namespace unionhub::bench;  // NOLINT: a program of this namespace

int Fail(const std::string& what) {
  absl::FPrintF(stderr, "unionhub-bench-soak: %s\n", what);
  return 1;
}

// VmRSS and VmHWM of a process in kB (0 when it is gone).
struct Memory {
  int64_t rss_kb = 0, hwm_kb = 0;
};

Memory ReadMemory(int pid) {
  Memory m;
  std::ifstream in(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  while (std::getline(in, line)) {
    std::vector<absl::string_view> f =
        absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    if (f.size() < 2) continue;
    if (f[0] == "VmRSS:") (void)absl::SimpleAtoi(f[1], &m.rss_kb);
    if (f[0] == "VmHWM:") (void)absl::SimpleAtoi(f[1], &m.hwm_kb);
  }
  return m;
}

std::string Mb(int64_t kb) { return absl::StrFormat("%.1f", kb / 1024.0); }

std::string LoadAverage() {
  std::vector<std::string> f =
      absl::StrSplit(ReadFile("/proc/loadavg"), ' ', absl::SkipEmpty());
  return f.size() >= 3 ? absl::StrCat(f[0], " ", f[1], " ", f[2]) : "?";
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * v.size()))];
}

// Latencies and errors per path, for the minute and for the whole run.
class Tally {
 public:
  void Add(const std::string& path, double ms, const absl::Status& s) {
    absl::MutexLock lock(&mu_);
    minute_.push_back(ms);
    Path& p = paths_[path];
    p.ms.push_back(ms);
    if (!s.ok()) {
      ++minute_errors_;
      ++p.errors;
      if (p.first_error.empty()) p.first_error = s.ToString();
    }
  }
  // The minute's calls, errors, p50 and p99; starts the next minute.
  void TakeMinute(int64_t& calls, int64_t& errors, double& p50, double& p99) {
    std::vector<double> v;
    {
      absl::MutexLock lock(&mu_);
      v.swap(minute_);
      errors = minute_errors_;
      minute_errors_ = 0;
    }
    calls = static_cast<int64_t>(v.size());
    p50 = Percentile(v, 0.5);
    p99 = Percentile(v, 0.99);
  }
  void Print() {
    absl::MutexLock lock(&mu_);
    absl::PrintF(
        "\n| path | calls | errors | p50 ms | p99 ms | first error |\n"
        "|---|---|---|---|---|---|\n");
    for (const auto& [name, p] : paths_) {
      absl::PrintF("| %s | %d | %d | %.2f | %.2f | %s |\n", name, p.ms.size(),
                   p.errors, Percentile(p.ms, 0.5), Percentile(p.ms, 0.99),
                   p.first_error);
    }
  }

 private:
  struct Path {
    std::vector<double> ms;
    int64_t errors = 0;
    std::string first_error;
  };
  absl::Mutex mu_;
  std::vector<double> minute_ ABSL_GUARDED_BY(mu_);
  int64_t minute_errors_ ABSL_GUARDED_BY(mu_) = 0;
  std::map<std::string, Path> paths_ ABSL_GUARDED_BY(mu_);
};

void Timed(Tally& tally, const std::string& path, const CallFn& call, int c) {
  const absl::Time t0 = absl::Now();
  absl::StatusOr<int64_t> done = call(c);
  tally.Add(path, absl::ToDoubleMilliseconds(absl::Now() - t0), done.status());
}

struct Service {
  std::string name;
  int pid = 0;
  std::vector<Memory> samples;  // one per minute, [0] before the load
};

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage("unionhub-bench-soak (bench/run --soak)");
  absl::ParseCommandLine(argc, argv);
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  Env env;
  const int callers = absl::GetFlag(FLAGS_callers);
  const double rate = absl::GetFlag(FLAGS_rate);
  const double minutes = absl::GetFlag(FLAGS_minutes);
  if (callers < 1 || callers > 64 || rate <= 0 || rate > 1000 || minutes <= 0 ||
      absl::GetFlag(FLAGS_import_every) <= 0 ||
      absl::GetFlag(FLAGS_import_rows) < 1) {
    return Fail(
        "--callers 1..64, --rate (0, 1000], --minutes > 0, --import_every > "
        "0, --import_rows >= 1");
  }
  std::vector<Service> services;
  for (absl::string_view entry :
       absl::StrSplit(absl::GetFlag(FLAGS_pids), ',', absl::SkipEmpty())) {
    std::pair<std::string, std::string> p = absl::StrSplit(entry, ':');
    Service s;
    s.name = p.first;
    if (!absl::SimpleAtoi(p.second, &s.pid) || s.pid <= 0) {
      return Fail("--pids: NAME:PID,...");
    }
    services.push_back(s);
  }

  env.run_id = absl::StrCat("soak-", absl::ToUnixSeconds(absl::Now()));
  // Caller `callers` is the one that imports and assesses.
  const int channels = callers + 1;
  if (absl::Status s = ConnectToStack(env, "soak", channels,
                                      absl::Minutes(minutes) + absl::Hours(1));
      !s.ok()) {
    return Fail(s.ToString());
  }
  env.membership_db = RootPool(absl::GetFlag(FLAGS_membership_schema), 1);
  env.finance_db = RootPool(absl::GetFlag(FLAGS_finance_schema), 1);
  if (absl::Status s = LoadOpenCharges(env, 1000000); !s.ok()) {
    return Fail(s.ToString());
  }

  // The mix, in calls per 100: mostly member reads, then payments, then
  // the subtree reports and joins.
  const std::vector<std::pair<int, std::pair<std::string, CallFn>>> mix = {
      {30, {"GetMember", GetMemberCall(env)}},
      {20, {"LookupMember", LookupMemberCall(env)}},
      {10, {"ListMembers (township, 100)", ListMembersCall(env)}},
      {15, {"RecordDuesPayment", RecordDuesPaymentCall(env)}},
      {5, {"JoinMember", JoinMemberCall(env)}},
      {10, {"GetCollectionReport (province)", CollectionReportCall(env)}},
      {10, {"ListArrears (province, 100)", ListArrearsCall(env)}}};
  std::vector<int> wheel;  // index into mix, one entry per weight unit
  for (size_t i = 0; i < mix.size(); ++i) {
    wheel.insert(wheel.end(), mix[i].first, static_cast<int>(i));
  }
  std::vector<std::string> months;
  const absl::CivilMonth now(
      absl::ToCivilDay(absl::Now(), absl::LocalTimeZone()));
  for (absl::CivilMonth m(2026, 1); m <= now; ++m) {
    months.push_back(unionhub::dates::FormatMonth(m));
  }
  // Every import row settles a charge of a month assessed for it here,
  // before the soak starts (as bench/client_main.cc does).
  const int64_t imports =
      static_cast<int64_t>(minutes / absl::GetFlag(FLAGS_import_every)) + 1;
  if (absl::StatusOr<int64_t> made = AssessForImports(
          env, months, imports * absl::GetFlag(FLAGS_import_rows));
      !made.ok()) {
    return Fail(made.status().ToString());
  }
  const CallFn import =
      ImportPayrollCall(env, absl::GetFlag(FLAGS_import_rows));
  const CallFn assess = AssessDuesCall(env, months);

  for (Service& s : services) s.samples.push_back(ReadMemory(s.pid));
  absl::PrintF(
      "Soak: %.0f minutes, %.0f calls/s over %d callers (GetMember 30%%, "
      "LookupMember 20%%, ListMembers 10%%, RecordDuesPayment 15%%, "
      "JoinMember 5%%, GetCollectionReport 10%%, ListArrears 10%%), and "
      "every %.0f minutes one ImportPayrollDeductions of %d rows and one "
      "AssessDues (county, new month); %d members; load average %s.\n\n",
      minutes, rate, callers, absl::GetFlag(FLAGS_import_every),
      absl::GetFlag(FLAGS_import_rows), env.facts.members, LoadAverage());
  std::string header = "| minute | calls/s | errors | p50 ms | p99 ms |";
  std::string rule = "|---|---|---|---|---|";
  for (const Service& s : services) {
    absl::StrAppend(&header, " ", s.name, " RSS MB (peak) |");
    rule += "---|";
  }
  absl::PrintF("%s load average |\n%s---|\n", header, rule);
  absl::PrintF("| 0 | | | | |");
  for (const Service& s : services) {
    absl::PrintF(" %s (%s) |", Mb(s.samples[0].rss_kb),
                 Mb(s.samples[0].hwm_kb));
  }
  absl::PrintF(" %s |\n", LoadAverage());
  std::fflush(stdout);

  Tally tally;
  std::atomic<bool> stop{false};
  const absl::Time start = absl::Now();
  const absl::Time end = start + absl::Minutes(minutes);
  std::vector<std::thread> threads;
  const absl::Duration interval = absl::Seconds(callers / rate);
  for (int c = 0; c < callers; ++c) {
    threads.emplace_back([&, c] {
      // Staggered starts, then a fixed schedule; a caller that fell more
      // than a second behind (a slow call) starts over rather than bursts.
      absl::Time next = start + interval * c / callers;
      while (!stop.load()) {
        const absl::Time t = absl::Now();
        if (next > t) absl::SleepFor(next - t);
        if (absl::Now() - next > absl::Seconds(1)) next = absl::Now();
        next += interval;
        const auto& [name, call] =
            mix[wheel[Uniform(0, static_cast<int64_t>(wheel.size()) - 1)]]
                .second;
        Timed(tally, name, call, c);
      }
    });
  }
  threads.emplace_back([&] {
    const absl::Duration every =
        absl::Seconds(absl::GetFlag(FLAGS_import_every) * 60);
    for (absl::Time next = start + every / 2; !stop.load(); next += every) {
      while (!stop.load() && absl::Now() < next) {
        absl::SleepFor(absl::Milliseconds(200));
      }
      if (stop.load()) break;
      Timed(tally, "ImportPayrollDeductions", import, callers);
      Timed(tally, "AssessDues (county, new month)", assess, callers);
    }
  });

  for (int minute = 1; absl::Now() < end; ++minute) {
    const absl::Time at = std::min(end, start + absl::Minutes(minute));
    while (absl::Now() < at) absl::SleepFor(absl::Milliseconds(200));
    int64_t calls = 0, errors = 0;
    double p50 = 0, p99 = 0;
    tally.TakeMinute(calls, errors, p50, p99);
    absl::PrintF("| %d | %.1f | %d | %.2f | %.2f |", minute, calls / 60.0,
                 errors, p50, p99);
    for (Service& s : services) {
      s.samples.push_back(ReadMemory(s.pid));
      absl::PrintF(" %s (%s) |", Mb(s.samples.back().rss_kb),
                   Mb(s.samples.back().hwm_kb));
    }
    absl::PrintF(" %s |\n", LoadAverage());
    std::fflush(stdout);
  }
  stop = true;
  for (std::thread& t : threads) t.join();

  absl::PrintF(
      "\n| service | RSS at start MB | at end | max | growth over the last 30 "
      "min | peak (VmHWM) at end |\n|---|---|---|---|---|---|\n");
  for (const Service& s : services) {
    const Memory& first = s.samples.front();
    const Memory& last = s.samples.back();
    int64_t max = 0;
    for (const Memory& m : s.samples) max = std::max(max, m.rss_kb);
    // samples[i] is minute i: the last 30 minutes start at size - 1 - 30.
    const size_t from =
        s.samples.size() > 31 ? s.samples.size() - 31 : size_t{0};
    absl::PrintF("| %s | %s | %s | %s | %+.1f MB (minute %d to %d) | %s |\n",
                 s.name, Mb(first.rss_kb), Mb(last.rss_kb), Mb(max),
                 (last.rss_kb - s.samples[from].rss_kb) / 1024.0, from,
                 s.samples.size() - 1, Mb(last.hwm_kb));
  }
  tally.Print();
  absl::PrintF("\nload average at the end: %s\n", LoadAverage());
  return 0;
}
