#include "bench/harness.h"

#include <algorithm>
#include <mutex>
#include <thread>
#include <vector>

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
}  // namespace

int64_t NextSequence() { return ++sequence; }

Result Run(int callers, const Budget& budget, int warmup, const CallFn& call) {
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

}  // namespace unionhub::bench
