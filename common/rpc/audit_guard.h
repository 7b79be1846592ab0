// What keeps the audit trail useful under abuse: free text stored in it is
// bounded and made harmless to a terminal, and refusals of callers without
// a valid token are aggregated, so an anonymous client cannot flood the
// undeletable table.
#ifndef UNIONHUB_COMMON_RPC_AUDIT_GUARD_H_
#define UNIONHUB_COMMON_RPC_AUDIT_GUARD_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
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

}  // namespace unionhub::rpc

#endif  // UNIONHUB_COMMON_RPC_AUDIT_GUARD_H_
