// Leases in the database for singleton work (feed consumers, the ledger
// sealer, scheduled jobs) when a service runs as several replicas on one
// schema. A lease is a row of `leases` (common/db/migrations/0003_leases.sql):
// its holder, a fencing token that grows by one on every acquisition, and
// an expiry. Every time is the database's (NOW(6)), never a replica's, so
// replicas with skewed clocks agree on who holds it. Nothing here relies on
// named user locks or SELECT ... FOR UPDATE across nodes: each change is one
// UPDATE whose WHERE names the state it expects, so under MariaDB Galera
// the loser of two racing replicas fails certification (1213 at COMMIT),
// is retried, and then finds the row taken.
//
// Fencing: a holder that pauses (GC, a stopped VM, a lost network) past
// its expiry may wake up still believing it leads. Each of its writes
// therefore runs Fence::Check in the same transaction: an UPDATE of the
// lease row that matches only while the holder's token is the current one.
// Once another replica has taken the lease (token + 1) the check matches
// nothing and the transaction is rolled back; and because the check writes
// the lease row, a takeover racing the transaction either waits for it
// (row lock, one node) or conflicts with it (certification, Galera).
#ifndef UNIONHUB_COMMON_DB_LEASE_H_
#define UNIONHUB_COMMON_DB_LEASE_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/db/pool.h"

namespace unionhub::db {

// A holder id unique to this call: host name, process id and a counter,
// so two hosts in one process (tests) are different holders too.
std::string NewHolderId();

// Where a lease row lives: `leases` (a common migration) for workers, or
// the migrator's own `schema_migration_lock`, which has the same columns
// and exists before any migration has run (see migrations.cc).
enum class LeaseTable { kLeases, kMigrationLock };

// Takes lease `name` for `holder` for `ttl` when it is free or expired
// (creating its row on first use). Returns the new fencing token, or
// nullopt while another holder's lease is still running.
absl::StatusOr<std::optional<int64_t>> TryAcquireLease(
    Pool& pool, const std::string& name, const std::string& holder,
    absl::Duration ttl, LeaseTable table = LeaseTable::kLeases);

// Extends the lease by `ttl` from now if `holder` still holds it with
// `token` (an expired lease nobody took since is still this holder's: the
// token proves no one else wrote in between). False when it was taken.
absl::StatusOr<bool> RenewLease(Pool& pool, const std::string& name,
                                const std::string& holder, int64_t token,
                                absl::Duration ttl,
                                LeaseTable table = LeaseTable::kLeases);

// Frees the lease at once (so another replica need not wait for the
// expiry) if `holder` still holds it with `token`; otherwise does nothing.
absl::Status ReleaseLease(Pool& pool, const std::string& name,
                          const std::string& holder, int64_t token,
                          LeaseTable table = LeaseTable::kLeases);

// In the caller's transaction: OK when lease `name` is still held with
// `token`, FAILED_PRECONDITION ("lease lost") otherwise. Writes the lease
// row (its fenced_writes counter) so the transaction conflicts with a
// concurrent takeover; run it first in the transaction.
absl::Status CheckLeaseToken(Connection& conn, const std::string& name,
                             int64_t token);

// The token a singleton worker currently holds (0 when none), shared by
// the LeaseKeeper that sets it and the worker that checks it.
class Fence {
 public:
  explicit Fence(std::string lease) : lease_(std::move(lease)) {}
  const std::string& lease() const { return lease_; }
  int64_t token() const { return token_.load(); }
  void Set(int64_t token) { token_.store(token); }

  // CheckLeaseToken with the current token; FAILED_PRECONDITION without a
  // database round trip once the keeper knows the lease is lost.
  absl::Status Check(Connection& conn) const;

 private:
  const std::string lease_;
  std::atomic<int64_t> token_{0};
};

// Fence::Check when `fence` is set, else OK: workers built without a lease
// (tests that drive them directly) write unfenced.
absl::Status CheckFence(const Fence* fence, Connection& conn);

struct LeaseTiming {
  absl::Duration ttl = absl::Seconds(10);
  // Renewed this often while held (default ttl / 3).
  absl::Duration renew_every = absl::ZeroDuration();
  // A replica without the lease tries to take it this often (default
  // min(ttl / 5, 1 s)).
  absl::Duration acquire_every = absl::ZeroDuration();
};

// Runs `start` once this replica holds the lease and `stop` as soon as it
// no longer does (taken by another, not renewed before its expiry, or
// Stop()); then tries again. One thread per keeper.
class LeaseKeeper {
 public:
  LeaseKeeper(Pool& pool, Fence& fence, std::string holder, LeaseTiming timing,
              std::function<void()> start, std::function<void()> stop);
  ~LeaseKeeper();  // Stop()s
  LeaseKeeper(const LeaseKeeper&) = delete;
  LeaseKeeper& operator=(const LeaseKeeper&) = delete;

  void Start();
  // Stops the worker if it runs, releases the lease and joins the thread.
  void Stop();

  bool holding() const;
  // For tests: blocks until holding() == `held` or `timeout` passes.
  bool WaitUntilHolding(bool held, absl::Duration timeout) const;

 private:
  void Loop();
  // Stops the worker and forgets the lease (fence cleared first, so the
  // worker's in-flight transactions fail their check).
  void Lose(const char* why);

  Pool& pool_;
  Fence& fence_;
  const std::string holder_;
  LeaseTiming timing_;
  const std::function<void()> start_;
  const std::function<void()> stop_;

  mutable absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool held_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace unionhub::db

#endif  // UNIONHUB_COMMON_DB_LEASE_H_
