// Closed-loop load: C callers (threads), each calling as fast as its
// previous call returns, for a fixed time or a fixed number of calls;
// every call's latency is kept, so p50 and p99 are exact.
#ifndef UNIONHUB_BENCH_HARNESS_H_
#define UNIONHUB_BENCH_HARNESS_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace unionhub::bench {

// One call by caller `caller` (0..callers-1): returns how many units it did
// (1 for a plain call; rows for an import, members charged for an
// assessment) or the error.
using CallFn = std::function<absl::StatusOr<int64_t>(int caller)>;

struct Result {
  int callers = 0;
  int64_t calls = 0;
  int64_t errors = 0;
  int64_t units = 0;
  double seconds = 0;
  double calls_per_s = 0;
  double units_per_s = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  // The serving process's CPU time (user + system) per call, from
  // /proc/PID/stat around the run; 0 when not measured.
  double server_cpu_us = 0;
  // The same for this client process (all its threads: the callers and
  // gRPC's or the driver's) and for MariaDB (SetDatabasePid), so a path's
  // whole cost per call on the shared cores can be added up.
  double client_cpu_us = 0;
  double db_cpu_us = 0;
  std::string first_error;
};

struct Budget {
  absl::Duration duration = absl::Seconds(5);
  // Each caller stops after this many calls (0: only the duration counts).
  int64_t calls_per_caller = 0;
  // Every caller makes at least this many calls, whatever the duration.
  int64_t min_calls_per_caller = 1;
};

// The database server's process id, for Result::db_cpu_us (0: none).
void SetDatabasePid(int pid);

// Runs `warmup` untimed calls on caller 0 first, then the timed run.
Result Run(int callers, const Budget& budget, int warmup, const CallFn& call);

// Run, also measuring the CPU time process `pid` (the service the calls go
// to; 0: none) spends per call. On a shared machine throughput moves with
// the load; a service's CPU per call moves much less, so it compares a path
// with the health check of the same server.
Result RunOnServer(int pid, int callers, const Budget& budget, int warmup,
                   const CallFn& call);

// A process-wide sequence: unique request ids, new people, import ranges.
int64_t NextSequence();

}  // namespace unionhub::bench

#endif  // UNIONHUB_BENCH_HARNESS_H_
