// The health check's question "does the database answer right now": SELECT 1
// on a connection of its own (reopened when it broke), with short timeouts
// and no retries, so it neither queues behind busy pooled connections nor
// spends seconds retrying before it says no.
#ifndef UNIONHUB_COMMON_DB_PROBE_H_
#define UNIONHUB_COMMON_DB_PROBE_H_

#include <memory>
#include <mutex>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/db/pool.h"

namespace unionhub::db {

// One connection to `config` with the session settings every pooled
// connection gets (defined next to the pool, which opens its own with it).
// Any failure is UNAVAILABLE.
absl::StatusOr<std::unique_ptr<Connection>> OpenConnection(
    const DbConfig& config, int connect_timeout_seconds,
    int read_timeout_seconds);

class Probe {
 public:
  explicit Probe(DbConfig config) : config_(std::move(config)) {}

  // OK when the server answered SELECT 1 within about two seconds.
  absl::Status Check();

 private:
  const DbConfig config_;
  std::mutex mu_;
  std::unique_ptr<Connection> conn_;  // guarded by mu_
};

}  // namespace unionhub::db

#endif  // UNIONHUB_COMMON_DB_PROBE_H_
