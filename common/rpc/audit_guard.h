// What keeps the audit trail useful under abuse: free text stored in it is
// bounded and made harmless to a terminal, and refusals of callers without
// a valid token are aggregated, so an anonymous client cannot flood the
// undeletable table.
#ifndef UNIONHUB_COMMON_RPC_AUDIT_GUARD_H_
#define UNIONHUB_COMMON_RPC_AUDIT_GUARD_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace unionhub::rpc {

// `text` as valid UTF-8 of at most `max_chars` code points (the columns are
// VARCHAR(n) in characters): invalid bytes, control characters (C0, DEL,
// C1) and bidirectional overrides become U+FFFD, so nothing stored can
// drive a terminal or reorder what an auditor reads.
std::string SanitizeAuditText(absl::string_view text, size_t max_chars);

// Decides which unauthenticated refusals get a row of their own: the first
// of each key (a method) per `window`; the rest are counted, and the count
// is handed to the next row written for that key. Memory is bounded by
// `max_keys`; beyond it every further key shares one overflow entry.
class RefusalThrottle {
 public:
  explicit RefusalThrottle(absl::Duration window, size_t max_keys = 1024,
                           std::function<absl::Time()> clock = absl::Now);

  // True when this refusal is to be written; then `*suppressed` is how
  // many refusals of `key` since the previous row were not.
  bool ShouldRecord(absl::string_view key, int64_t* suppressed);

 private:
  struct Entry {
    absl::Time last_written;
    int64_t suppressed = 0;
  };

  const absl::Duration window_;
  const size_t max_keys_;
  const std::function<absl::Time()> clock_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, Entry> entries_ ABSL_GUARDED_BY(mu_);
};

// One audit_trail row as the gate composes it (already sanitised), with the
// time of the call: a row written late still says when the call happened.
struct AuditRow {
  absl::Time recorded_at;
  std::string actor;
  std::string roles;
  std::string method;
  std::string target;
  std::string request_id;
  std::string result;
  std::string detail;
};

// Keeps the audit trail complete across a database outage: rows the gate
// could not write wait here, in memory and in call order, and a background
// thread writes them (oldest first, in batches) once the database takes
// them again. While rows wait, newer ones queue behind them, so the table's
// order stays the order of the calls.
//
// Bounded: at most `capacity` rows wait. Past that, further rows are
// counted and dropped (one log line per overflow); once the backlog is
// written, one more row (method kOverflowMethod, result DATA_LOSS) records
// how many were lost. Rows still waiting when the process stops or dies are
// lost (the log says how many on a clean stop).
class AuditSpool {
 public:
  // Writes `rows` in one transaction, all or none.
  using Writer = std::function<absl::Status(const std::vector<AuditRow>&)>;

  static constexpr size_t kDefaultCapacity = 10000;
  static constexpr char kOverflowMethod[] = "unionhub.audit.SpoolOverflow";

  explicit AuditSpool(Writer writer, size_t capacity = kDefaultCapacity,
                      absl::Duration retry_every = absl::Milliseconds(500));
  // Stops the thread after one last attempt to write what waits.
  ~AuditSpool();
  AuditSpool(const AuditSpool&) = delete;
  AuditSpool& operator=(const AuditSpool&) = delete;

  // Writes `row` now when nothing waits and the write succeeds; otherwise
  // queues it for the background thread.
  void Record(AuditRow row);

  // Rows waiting to be written, and rows lost to the cap so far.
  size_t pending();
  int64_t dropped();

 private:
  void Enqueue(AuditRow row) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  bool HasWork() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Drain();
  // Writes the oldest waiting rows once: how many, or -1 when it failed.
  int64_t FlushOnce();

  const Writer writer_;
  const size_t capacity_;
  const absl::Duration retry_every_;
  absl::Mutex mu_;
  std::deque<AuditRow> waiting_ ABSL_GUARDED_BY(mu_);
  int64_t dropped_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t dropped_unreported_ ABSL_GUARDED_BY(mu_) = 0;
  bool overflowing_ ABSL_GUARDED_BY(mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  // Serialises writers so rows reach the table in order.
  absl::Mutex write_mu_;
  std::thread drainer_;  // started with the first queued row
};

}  // namespace unionhub::rpc

#endif  // UNIONHUB_COMMON_RPC_AUDIT_GUARD_H_
