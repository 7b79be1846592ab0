#include "bench/harness.h"

#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"

namespace unionhub::bench {

namespace {
std::atomic<int64_t> sequence{0};

double Percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const size_t at =
      std::min(sorted.size() - 1,
               static_cast<size_t>(p * static_cast<double>(sorted.size())));
  return sorted[at];
}

// User plus system CPU seconds of process `pid` so far, from the 14th and
// 15th fields of /proc/PID/stat (after the parenthesised name, which may
// hold spaces); negative when unreadable.
double CpuSeconds(int pid) {
  std::ifstream in(absl::StrCat("/proc/", pid, "/stat"));
  const std::string stat((std::istreambuf_iterator<char>(in)),
                         std::istreambuf_iterator<char>());
  const size_t close = stat.rfind(')');
  if (close == std::string::npos) return -1;
  std::vector<std::string> fields = absl::StrSplit(stat.substr(close + 2), ' ');
  // fields[0] is the 3rd field (state): utime is fields[11], stime [12].
  int64_t utime = 0, stime = 0;
  if (fields.size() < 13 || !absl::SimpleAtoi(fields[11], &utime) ||
      !absl::SimpleAtoi(fields[12], &stime)) {
    return -1;
  }
  return static_cast<double>(utime + stime) /
         static_cast<double>(sysconf(_SC_CLK_TCK));
}

// CPU µs per call between two CpuSeconds readings (0: not measured).
double PerCallUs(double before, double after, int64_t calls) {
  if (before < 0 || after < before || calls <= 0) return 0;
  return (after - before) * 1e6 / static_cast<double>(calls);
}

int database_pid = 0;

Result RunCalls(int callers, const Budget& budget, int warmup,
                const CallFn& call);
}  // namespace

void SetDatabasePid(int pid) { database_pid = pid; }

Result Run(int callers, const Budget& budget, int warmup, const CallFn& call) {
  const double client_before = CpuSeconds(getpid());
  const double db_before = database_pid > 0 ? CpuSeconds(database_pid) : -1;
  Result r = RunCalls(callers, budget, warmup, call);
  // The warm-up calls (caller 0 only) are inside the window too.
  const int64_t calls = r.calls + warmup;
  r.client_cpu_us = PerCallUs(client_before, CpuSeconds(getpid()), calls);
  if (db_before >= 0) {
    r.db_cpu_us = PerCallUs(db_before, CpuSeconds(database_pid), calls);
  }
  return r;
}

int64_t NextSequence() { return ++sequence; }

namespace {

Result RunCalls(int callers, const Budget& budget, int warmup,
                const CallFn& call) {
  for (int i = 0; i < warmup; ++i) (void)call(0);
  Result result;
  result.callers = callers;
  std::mutex mu;
  std::vector<double> latencies_ms;
  const absl::Time start = absl::Now();
  const absl::Time deadline = start + budget.duration;
  std::vector<std::thread> threads;
  for (int c = 0; c < callers; ++c) {
    threads.emplace_back([&, c] {
      std::vector<double> mine;
      int64_t errors = 0, units = 0;
      std::string first_error;
      for (int64_t n = 0;; ++n) {
        if (budget.calls_per_caller > 0 && n >= budget.calls_per_caller) break;
        if (n >= budget.min_calls_per_caller && absl::Now() >= deadline) break;
        const absl::Time t0 = absl::Now();
        absl::StatusOr<int64_t> done = call(c);
        mine.push_back(absl::ToDoubleMilliseconds(absl::Now() - t0));
        if (done.ok()) {
          units += *done;
        } else {
          ++errors;
          if (first_error.empty()) first_error = done.status().ToString();
        }
      }
      std::lock_guard<std::mutex> lock(mu);
      latencies_ms.insert(latencies_ms.end(), mine.begin(), mine.end());
      result.errors += errors;
      result.units += units;
      if (result.first_error.empty()) result.first_error = first_error;
    });
  }
  for (std::thread& t : threads) t.join();
  result.seconds = absl::ToDoubleSeconds(absl::Now() - start);
  std::sort(latencies_ms.begin(), latencies_ms.end());
  result.calls = static_cast<int64_t>(latencies_ms.size());
  result.calls_per_s = result.calls / result.seconds;
  result.units_per_s = result.units / result.seconds;
  result.p50_ms = Percentile(latencies_ms, 0.50);
  result.p99_ms = Percentile(latencies_ms, 0.99);
  return result;
}

}  // namespace

Result RunOnServer(int pid, int callers, const Budget& budget, int warmup,
                   const CallFn& call) {
  const double before = pid > 0 ? CpuSeconds(pid) : -1;
  Result r = Run(callers, budget, warmup, call);
  const double after = before >= 0 ? CpuSeconds(pid) : -1;
  // The warm-up calls (caller 0 only) are inside the window too.
  r.server_cpu_us = PerCallUs(before, after, r.calls + warmup);
  return r;
}

}  // namespace unionhub::bench
