// Helpers of the finance demo: parallel calls and waiting for finance's
// roster to catch up with membership.
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpcpp/client_context.h"
#include "tools/demo/demo.h"
#include "tools/demo/demo_finance.h"

namespace unionhub::demo {

absl::Status ParallelFor(size_t n, int threads,
                         const std::function<absl::Status(size_t)>& fn) {
  std::atomic<size_t> next{0};
  std::mutex mu;
  absl::Status first_error;
  auto work = [&] {
    for (;;) {
      {
        std::lock_guard<std::mutex> lock(mu);
        if (!first_error.ok()) return;
      }
      const size_t i = next++;
      if (i >= n) return;
      absl::Status s = fn(i);
      if (!s.ok()) {
        std::lock_guard<std::mutex> lock(mu);
        if (first_error.ok()) first_error = std::move(s);
      }
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();
  return first_error;
}

absl::Status WaitForRoster(MembershipStub& membership, FinanceStub& finance,
                           absl::Duration timeout) {
  const absl::Time start = absl::Now();
  const absl::Time deadline = start + timeout;
  absl::Time last_report = start;
  for (;;) {
    fv1::GetRosterStatusResponse status;
    const grpc::Status s = WithRetry([&](grpc::ClientContext* context) {
      return finance.GetRosterStatus(context, fv1::GetRosterStatusRequest(),
                                     &status);
    });
    if (!s.ok()) return ToStatus(s, "GetRosterStatus");
    if (status.connected() && status.pending_events() == 0) {
      // Caught up when membership has nothing after the roster's cursor.
      grpc::ClientContext context;
      Authorize(context);
      context.set_deadline(std::chrono::system_clock::now() +
                           std::chrono::milliseconds(1500));
      mv1::WatchEventsRequest request;
      request.set_after_sequence(status.last_applied_sequence());
      auto reader = membership.WatchEvents(&context, request);
      mv1::WatchEventsResponse event;
      const bool more = reader->Read(&event);
      context.TryCancel();
      reader->Finish().IgnoreError();
      if (!more) {
        Progress(
            "roster: finance has applied membership's %s events (%s "
            "members) after %.1f s\n",
            Thousands(status.last_applied_sequence()),
            Thousands(status.members()), Seconds(start));
        return absl::OkStatus();
      }
    }
    if (absl::Now() >= deadline) {
      return absl::DeadlineExceededError(absl::StrFormat(
          "finance's roster did not catch up with membership within %s "
          "(applied %d, pending %d, connected %v, last error '%s')",
          absl::FormatDuration(timeout), status.last_applied_sequence(),
          status.pending_events(), status.connected(), status.last_error()));
    }
    if (absl::Now() - last_report > absl::Seconds(5)) {
      last_report = absl::Now();
      Progress("  roster: %s events applied, %s pending, lag %d s\n",
               Thousands(status.last_applied_sequence()),
               Thousands(status.pending_events()), status.lag_seconds());
    }
    absl::SleepFor(absl::Milliseconds(500));
  }
}

}  // namespace unionhub::demo
