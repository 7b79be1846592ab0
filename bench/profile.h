// Where a call's time goes, from the database's side: the server's global
// status counters (statements by kind, commits, redo log fsyncs) before
// and after a fixed number of calls, minus an idle window of the same
// length (the services' background work), divided by the calls; and the
// statements of a few calls as the general query log shows them.
#ifndef UNIONHUB_BENCH_PROFILE_H_
#define UNIONHUB_BENCH_PROFILE_H_

#include <string>

#include "bench/harness.h"
#include "common/db/pool.h"

namespace unionhub::bench {

// Prints per-call counter deltas for `calls` calls of `call` made by
// `callers` concurrent callers (row lock waits show what serialises them).
absl::Status ProfileStatements(db::Pool& root, const std::string& name,
                               int callers, int calls, const CallFn& call);

// Runs `calls` calls with the general log on (written to `log_file`, which
// the server must be able to write) and prints the statements of
// connections other than `root`'s own, numbered in order.
absl::Status PrintGeneralLog(db::Pool& root, const std::string& name,
                             const std::string& log_file, int calls,
                             const CallFn& call);

// Microseconds per RS256 verification of `token` with `public_key_pem`
// (what the gate does on every call).
absl::Status PrintJwtCost(const std::string& token,
                          const std::string& public_key_pem);

}  // namespace unionhub::bench

#endif  // UNIONHUB_BENCH_PROFILE_H_
