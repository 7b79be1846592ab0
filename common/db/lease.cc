#include "common/db/lease.h"

#include <unistd.h>

#include <algorithm>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/core/log.h"
#include "common/db/sql.h"

namespace unionhub::db {
namespace {

int64_t Micros(absl::Duration d) { return absl::ToInt64Microseconds(d); }

// A fixed table name, never input: the statements stay constant text.
std::string Sql(LeaseTable table, absl::string_view before,
                absl::string_view after) {
  return absl::StrCat(
      before, table == LeaseTable::kLeases ? "leases" : "schema_migration_lock",
      after);
}

}  // namespace

std::string NewHolderId() {
  static std::atomic<int> counter{0};
  static const std::string process = [] {
    char host[128] = {};
    if (gethostname(host, sizeof(host) - 1) != 0) host[0] = '\0';
    std::random_device random;
    return absl::StrFormat("%s/%d/%06x", host, getpid(), random() & 0xffffff);
  }();
  return absl::StrCat(process, "/", ++counter);
}

absl::StatusOr<std::optional<int64_t>> TryAcquireLease(
    Pool& pool, const std::string& name, const std::string& holder,
    absl::Duration ttl, LeaseTable table) {
  std::optional<int64_t> token;
  absl::Status status = pool.InTransaction([&](Connection& conn) {
    token.reset();
    // The row exists from the first attempt on; a free one expired long ago.
    Execute(conn,
            Sql(table, "INSERT IGNORE INTO ",
                " (name, holder, token, expires_at) "
                "VALUES (?, '', 0, NOW(6) - INTERVAL 1 SECOND)"),
            name);
    const int64_t taken =
        Execute(conn,
                Sql(table, "UPDATE ",
                    " SET holder = ?, token = token + 1, acquired_at = "
                    "NOW(6), renewed_at = NOW(6), expires_at = NOW(6) + "
                    "INTERVAL ? MICROSECOND WHERE name = ? AND (holder = '' "
                    "OR expires_at <= NOW(6))"),
                holder, Micros(ttl), name);
    if (taken != 1) return absl::OkStatus();
    auto rs =
        Query(conn, Sql(table, "SELECT token FROM ", " WHERE name = ?"), name);
    if (!rs->next()) return absl::InternalError("lease row vanished");
    token = GetInt64(*rs, "token");
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return token;
}

absl::StatusOr<bool> RenewLease(Pool& pool, const std::string& name,
                                const std::string& holder, int64_t token,
                                absl::Duration ttl, LeaseTable table) {
  bool renewed = false;
  absl::Status status = pool.InTransaction([&](Connection& conn) {
    renewed = Execute(conn,
                      Sql(table, "UPDATE ",
                          " SET renewed_at = NOW(6), expires_at = NOW(6) + "
                          "INTERVAL ? MICROSECOND WHERE name = ? AND holder = "
                          "? AND token = ?"),
                      Micros(ttl), name, holder, token) == 1;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return renewed;
}

absl::Status ReleaseLease(Pool& pool, const std::string& name,
                          const std::string& holder, int64_t token,
                          LeaseTable table) {
  return pool.InTransaction([&](Connection& conn) {
    Execute(conn,
            Sql(table, "UPDATE ",
                " SET holder = '', expires_at = NOW(6) WHERE name = ? AND "
                "holder = ? AND token = ?"),
            name, holder, token);
    return absl::OkStatus();
  });
}

absl::Status CheckLeaseToken(Connection& conn, const std::string& name,
                             int64_t token) {
  // The token alone decides: an expired lease nobody took is still safe to
  // write under, and one taken has a higher token.
  if (token > 0 &&
      Execute(conn,
              "UPDATE leases SET fenced_writes = fenced_writes + 1 WHERE "
              "name = ? AND token = ?",
              name, token) == 1) {
    return absl::OkStatus();
  }
  return absl::FailedPreconditionError(
      absl::StrCat("lease lost: ", name, " is held by another replica"));
}

absl::Status Fence::Check(Connection& conn) const {
  return CheckLeaseToken(conn, lease_, token());
}

absl::Status CheckFence(const Fence* fence, Connection& conn) {
  return fence == nullptr ? absl::OkStatus() : fence->Check(conn);
}

LeaseKeeper::LeaseKeeper(Pool& pool, Fence& fence, std::string holder,
                         LeaseTiming timing, std::function<void()> start,
                         std::function<void()> stop)
    : pool_(pool),
      fence_(fence),
      holder_(std::move(holder)),
      timing_(timing),
      start_(std::move(start)),
      stop_(std::move(stop)) {
  if (timing_.renew_every <= absl::ZeroDuration()) {
    timing_.renew_every = timing_.ttl / 3;
  }
  if (timing_.acquire_every <= absl::ZeroDuration()) {
    timing_.acquire_every = std::min(timing_.ttl / 5, absl::Seconds(1));
  }
}

LeaseKeeper::~LeaseKeeper() { Stop(); }

void LeaseKeeper::Start() {
  if (thread_.joinable()) return;
  {
    absl::MutexLock lock(&mu_);
    stopping_ = false;
  }
  thread_ = std::thread([this] { Loop(); });
}

void LeaseKeeper::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

bool LeaseKeeper::holding() const {
  absl::MutexLock lock(&mu_);
  return held_;
}

bool LeaseKeeper::WaitUntilHolding(bool held, absl::Duration timeout) const {
  absl::MutexLock lock(&mu_);
  auto reached = [this, held]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return held_ == held;
  };
  return mu_.AwaitWithTimeout(absl::Condition(&reached), timeout);
}

void LeaseKeeper::Lose(const char* why) {
  fence_.Set(0);
  stop_();
  {
    absl::MutexLock lock(&mu_);
    held_ = false;
  }
  log::Warn("lease lost; worker stopped",
            {{"lease", fence_.lease()}, {"why", why}});
}

void LeaseKeeper::Loop() {
  const std::string& name = fence_.lease();
  int64_t token = 0;  // 0: not held
  // When our lease ends at the latest, by this replica's clock: measured
  // from before the statement that set it, so never later than the
  // database's expiry (clock rates aside, which a margin covers).
  absl::Time valid_until = absl::InfinitePast();
  const absl::Duration margin =
      std::min(timing_.ttl / 10, absl::Milliseconds(500));
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      if (stopping_) break;
    }
    absl::Duration wait = timing_.acquire_every;
    const absl::Time begin = absl::Now();
    if (token == 0) {
      absl::StatusOr<std::optional<int64_t>> got =
          TryAcquireLease(pool_, name, holder_, timing_.ttl);
      if (got.ok() && got->has_value()) {
        token = **got;
        valid_until = begin + timing_.ttl;
        fence_.Set(token);
        log::Info("lease acquired; worker starting",
                  {{"lease", name}, {"token", absl::StrCat(token)}});
        start_();
        {
          // Holding means the worker runs (as Lose stops it first).
          absl::MutexLock lock(&mu_);
          held_ = true;
        }
        wait = timing_.renew_every;
      } else if (!got.ok()) {
        log::Warn(
            "lease not acquired",
            {{"lease", name}, {"error", std::string(got.status().message())}});
      }
    } else {
      absl::StatusOr<bool> renewed =
          RenewLease(pool_, name, holder_, token, timing_.ttl);
      if (renewed.ok() && *renewed) {
        valid_until = begin + timing_.ttl;
        wait = timing_.renew_every;
      } else if (renewed.ok()) {
        Lose("taken by another replica");
        token = 0;
      } else if (absl::Now() + margin >= valid_until) {
        Lose("not renewed before it expired");
        token = 0;
      } else {
        log::Warn("lease not renewed; retrying",
                  {{"lease", name},
                   {"error", std::string(renewed.status().message())}});
      }
    }
    // Wake before the lease runs out, to stop the worker in time if the
    // next renewal fails too.
    if (token != 0) {
      wait = std::min(wait, std::max(absl::ZeroDuration(),
                                     valid_until - margin - absl::Now()));
    }
    absl::MutexLock lock(&mu_);
    auto stopping = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return stopping_;
    };
    mu_.AwaitWithTimeout(absl::Condition(&stopping), wait);
  }
  if (token != 0) {
    // Still ours: the worker's last writes (a feed cursor) go through.
    stop_();
    fence_.Set(0);
    {
      absl::MutexLock lock(&mu_);
      held_ = false;
    }
    // Another replica takes over at once instead of after the expiry.
    if (absl::Status released = ReleaseLease(pool_, name, holder_, token);
        !released.ok()) {
      log::Warn("lease not released; it expires by itself",
                {{"lease", name}, {"error", std::string(released.message())}});
    }
  }
}

}  // namespace unionhub::db
