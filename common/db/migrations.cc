#include "common/db/migrations.h"

#include <cppconn/connection.h>
#include <cppconn/exception.h>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>
#include <openssl/sha.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <map>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/notification.h"
#include "common/core/log.h"
#include "common/db/lease.h"
#include "common/db/sql.h"

namespace unionhub::db {
namespace {

constexpr absl::Duration kLockWait = absl::Seconds(120);
// A migrator that dies holding the lock blocks the others this long at
// most; a live one renews it every kLockTtl / 6.
constexpr absl::Duration kLockTtl = absl::Seconds(60);
constexpr absl::Duration kLockPoll = absl::Milliseconds(250);

absl::StatusOr<int> VersionOf(absl::string_view name) {
  int version = 0;
  if (name.size() < 5 || name[4] != '_' ||
      !absl::SimpleAtoi(name.substr(0, 4), &version)) {
    return absl::InvalidArgumentError(
        absl::StrCat("migration file name must be NNNN_name.sql: ", name));
  }
  return version;
}

}  // namespace

std::string Sha256Hex(absl::string_view data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(),
         digest);
  std::string hex;
  for (unsigned char byte : digest) absl::StrAppendFormat(&hex, "%02x", byte);
  return hex;
}

std::vector<std::string> SplitStatements(absl::string_view sql) {
  std::vector<std::string> statements;
  std::string current;
  for (absl::string_view line : absl::StrSplit(sql, '\n')) {
    absl::string_view trimmed = absl::StripAsciiWhitespace(line);
    if (trimmed.empty() || absl::StartsWith(trimmed, "--")) continue;
    absl::StrAppend(&current, line, "\n");
    if (absl::EndsWith(trimmed, ";")) {
      absl::string_view statement = absl::StripAsciiWhitespace(current);
      statement.remove_suffix(1);
      statements.emplace_back(statement);
      current.clear();
    }
  }
  if (!absl::StripAsciiWhitespace(current).empty()) {
    statements.emplace_back(absl::StripAsciiWhitespace(current));
  }
  return statements;
}

std::vector<std::string> SupersededChecksums(absl::string_view sql) {
  constexpr absl::string_view kPrefix = "-- supersedes sha256 ";
  std::vector<std::string> out;
  for (absl::string_view line : absl::StrSplit(sql, '\n')) {
    line = absl::StripAsciiWhitespace(line);
    if (!absl::ConsumePrefix(&line, kPrefix)) continue;
    line = absl::StripAsciiWhitespace(line);
    if (line.size() == 64) out.emplace_back(absl::AsciiStrToLower(line));
  }
  return out;
}

namespace {

struct Ordered {
  int version = 0;   // as recorded
  std::string name;  // as recorded
  const MigrationFile* file = nullptr;
};

absl::Status Order(const std::vector<MigrationFile>& files, int base,
                   absl::string_view prefix, std::vector<Ordered>* out) {
  std::map<int, const MigrationFile*> ordered;
  for (const MigrationFile& file : files) {
    absl::StatusOr<int> version = VersionOf(file.name);
    if (!version.ok()) return version.status();
    if (!ordered.emplace(*version, &file).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("two migrations share version ", *version));
    }
  }
  for (const auto& [version, file] : ordered) {
    out->push_back({base + version, absl::StrCat(prefix, file->name), file});
  }
  return absl::OkStatus();
}

// The files of `ordered` not yet recorded in schema_migrations (all of
// them when the table does not exist yet); FAILED_PRECONDITION when a
// recorded file has changed since.
absl::StatusOr<std::vector<const Ordered*>> Pending(
    Connection& conn, const std::vector<Ordered>& ordered) {
  std::vector<const Ordered*> pending;
  auto exists = Query(conn,
                      "SELECT COUNT(*) AS n FROM information_schema.tables "
                      "WHERE table_schema = DATABASE() "
                      "AND table_name = 'schema_migrations'");
  exists->next();
  std::map<int, std::pair<std::string, std::string>> applied;
  if (exists->getInt("n") > 0) {
    auto rs =
        Query(conn, "SELECT version, name, sha256 FROM schema_migrations");
    while (rs->next()) {
      applied[rs->getInt("version")] = {GetString(*rs, "name"),
                                        GetString(*rs, "sha256")};
    }
  }
  for (const Ordered& migration : ordered) {
    auto found = applied.find(migration.version);
    if (found == applied.end()) {
      pending.push_back(&migration);
      continue;
    }
    const std::vector<std::string> superseded =
        SupersededChecksums(migration.file->sql);
    if (found->second.second != Sha256Hex(migration.file->sql) &&
        std::find(superseded.begin(), superseded.end(), found->second.second) ==
            superseded.end()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "migration ", migration.name,
          " was changed after it was applied (checksum mismatch); "
          "add a new migration instead of editing an applied one"));
    }
  }
  return pending;
}

// Runs `fn` on one pooled connection, SQL exceptions as statuses.
absl::Status OnConnection(Pool& pool,
                          const std::function<absl::Status(Connection&)>& fn) {
  absl::StatusOr<Pool::Lease> lease = pool.Acquire();
  if (!lease.ok()) return lease.status();
  try {
    return fn(**lease);
  } catch (const sql::SQLException& e) {
    (*lease)->MarkBroken();
    return StatusFromSqlException(e);
  }
}

// Only when missing, like schema_migrations: a service whose user may not
// run DDL (its schema migrated by an administrator) never gets here unless
// a migration is pending, which it could not apply anyway.
void CreateIfMissing(Connection& conn, const char* table, const char* ddl) {
  auto exists = Query(conn,
                      "SELECT COUNT(*) AS n FROM information_schema.tables "
                      "WHERE table_schema = DATABASE() AND table_name = ?",
                      std::string(table));
  exists->next();
  if (exists->getInt("n") > 0) return;
  std::unique_ptr<sql::Statement> statement(conn.raw().createStatement());
  statement->execute(ddl);
}

// The migration lock: one row of schema_migration_lock taken as a lease
// (common/db/lease.h) rather than a named user lock, which MariaDB Galera
// keeps per node. Waits up to kLockWait for another migrator to finish (or for
// its lock to expire if it died); renewed in the background while held, so a
// long ALTER TABLE keeps it.
class MigrationLock {
 public:
  static DbConfig OneConnection(Pool& pool) {
    DbConfig config = pool.config();
    config.pool_size = 1;
    return config;
  }

  explicit MigrationLock(Pool& pool)
      : pool_(pool),
        holder_(NewHolderId()),
        heartbeat_pool_(OneConnection(pool)) {}
  ~MigrationLock() { Release(); }

  absl::Status Acquire() {
    absl::Status created = OnConnection(pool_, [](Connection& conn) {
      CreateIfMissing(conn, "schema_migration_lock", kLockTableDdl);
      return absl::OkStatus();
    });
    if (!created.ok()) return created;
    const absl::Time deadline = absl::Now() + kLockWait;
    bool announced = false;
    while (true) {
      absl::StatusOr<std::optional<int64_t>> got = TryAcquireLease(
          pool_, kLockName, holder_, kLockTtl, LeaseTable::kMigrationLock);
      // A conflict that outlived the pool's retries (Galera: 1213 at
      // COMMIT, another node's migrator won) means "held": wait.
      if (!got.ok() && !IsRetryable(got.status())) return got.status();
      if (got.ok() && got->has_value()) {
        token_ = **got;
        break;
      }
      if (absl::Now() >= deadline) {
        return absl::UnavailableError(
            "timed out waiting for the migration lock (another replica is "
            "migrating)");
      }
      if (!announced) {
        log::Info("waiting for another replica's migrations");
        announced = true;
      }
      absl::SleepFor(kLockPoll);
    }
    heartbeat_ = std::thread([this] {
      while (!done_.WaitForNotificationWithTimeout(kLockTtl / 6)) {
        absl::StatusOr<bool> renewed =
            RenewLease(heartbeat_pool_, kLockName, holder_, token_, kLockTtl,
                       LeaseTable::kMigrationLock);
        if (!renewed.ok() || !*renewed) {
          log::Warn("migration lock not renewed");
        }
      }
    });
    return absl::OkStatus();
  }

  void Release() {
    if (!done_.HasBeenNotified()) done_.Notify();
    if (heartbeat_.joinable()) heartbeat_.join();
    if (token_ == 0) return;
    // On a connection of its own: the migrating one may be broken.
    absl::Status released = ReleaseLease(heartbeat_pool_, kLockName, holder_,
                                         token_, LeaseTable::kMigrationLock);
    if (!released.ok()) {
      log::Warn("migration lock not released; it expires by itself",
                {{"error", std::string(released.message())}});
    }
    token_ = 0;
  }

 private:
  static constexpr const char* kLockName = "migrations";
  static constexpr const char* kLockTableDdl =
      "CREATE TABLE IF NOT EXISTS schema_migration_lock ("
      " name VARCHAR(100) NOT NULL PRIMARY KEY,"
      " holder VARCHAR(160) NOT NULL,"
      " token BIGINT NOT NULL,"
      " acquired_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),"
      " renewed_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),"
      " expires_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),"
      " fenced_writes BIGINT NOT NULL DEFAULT 0"
      ") ENGINE=InnoDB";

  Pool& pool_;
  const std::string holder_;
  // One connection for the heartbeat and the release, so a pool of one
  // (busy migrating) does not starve them.
  Pool heartbeat_pool_;
  int64_t token_ = 0;
  absl::Notification done_;
  std::thread heartbeat_;
};

absl::Status ApplyPending(Connection& conn,
                          const std::vector<const Ordered*>& pending) {
  CreateIfMissing(conn, "schema_migrations",
                  "CREATE TABLE IF NOT EXISTS schema_migrations ("
                  " version INT NOT NULL PRIMARY KEY,"
                  " name VARCHAR(200) NOT NULL,"
                  " sha256 CHAR(64) NOT NULL,"
                  " applied_at TIMESTAMP(6) NOT NULL DEFAULT "
                  "CURRENT_TIMESTAMP(6)"
                  ") ENGINE=InnoDB");
  std::unique_ptr<sql::Statement> ddl(conn.raw().createStatement());
  for (const Ordered* migration : pending) {
    // MariaDB commits DDL implicitly, so a file is not atomic: a crash
    // half-way is repaired by hand. Files are kept to one change each.
    for (const std::string& statement : SplitStatements(migration->file->sql)) {
      ddl->execute(statement);
    }
    Execute(conn,
            "INSERT INTO schema_migrations (version, name, sha256) "
            "VALUES (?, ?, ?)",
            migration->version, migration->name,
            Sha256Hex(migration->file->sql));
    log::Info("applied migration", {{"file", migration->name}});
  }
  return absl::OkStatus();
}

absl::Status Apply(Pool& pool, const std::vector<MigrationFile>& files,
                   bool with_common) {
  std::vector<Ordered> ordered;
  if (with_common) {
    absl::Status status =
        Order(CommonMigrations(), kCommonVersionBase, "common/", &ordered);
    if (!status.ok()) return status;
  }
  if (absl::Status status = Order(files, 0, "", &ordered); !status.ok()) {
    return status;
  }
  // Without the lock first: replicas of an up-to-date schema (the usual
  // start) only read, and contend for nothing.
  std::vector<const Ordered*> pending;
  auto plan = [&](Connection& conn) -> absl::Status {
    absl::StatusOr<std::vector<const Ordered*>> found = Pending(conn, ordered);
    if (!found.ok()) return found.status();
    pending = *std::move(found);
    return absl::OkStatus();
  };
  if (absl::Status planned = OnConnection(pool, plan); !planned.ok()) {
    return planned;
  }
  if (pending.empty()) return absl::OkStatus();
  MigrationLock lock(pool);
  if (absl::Status locked = lock.Acquire(); !locked.ok()) return locked;
  // Whatever a replica that held the lock before us applied is recorded
  // by now: look again.
  return OnConnection(pool, [&](Connection& conn) -> absl::Status {
    if (absl::Status planned = plan(conn); !planned.ok()) return planned;
    return ApplyPending(conn, pending);
  });
}

}  // namespace

absl::Status ApplyMigrations(Pool& pool,
                             const std::vector<MigrationFile>& files) {
  return Apply(pool, files, /*with_common=*/true);
}

absl::Status ApplyMigrationsWithoutCommon(
    Pool& pool, const std::vector<MigrationFile>& files) {
  return Apply(pool, files, /*with_common=*/false);
}

absl::Status ApplyMigrationsWhenReachable(
    Pool& pool, const std::vector<MigrationFile>& files) {
  while (true) {
    absl::Status migrated = ApplyMigrations(pool, files);
    if (migrated.code() != absl::StatusCode::kUnavailable) return migrated;
    log::Warn("database not reachable yet",
              {{"error", std::string(migrated.message())}});
    std::this_thread::sleep_for(std::chrono::seconds(2));
  }
}

absl::StatusOr<AppliedVersions> AppliedMigrationVersions(Pool& pool) {
  AppliedVersions versions;
  absl::Status read = pool.Run([&](Connection& conn) {
    auto exists = Query(conn,
                        "SELECT COUNT(*) AS n FROM information_schema.tables "
                        "WHERE table_schema = DATABASE() "
                        "AND table_name = 'schema_migrations'");
    if (!exists->next() || exists->getInt("n") == 0) return absl::OkStatus();
    auto rs = Query(conn,
                    "SELECT COALESCE(MAX(CASE WHEN version < ? THEN version "
                    "END), 0) AS own, COALESCE(MAX(CASE WHEN version > ? "
                    "THEN version END), 0) AS common FROM schema_migrations",
                    kCommonVersionBase, kCommonVersionBase);
    if (rs->next()) {
      versions.service = rs->getInt("own");
      const int common = rs->getInt("common");
      versions.common = common > 0 ? common - kCommonVersionBase : 0;
    }
    return absl::OkStatus();
  });
  if (!read.ok()) return read;
  return versions;
}

AppliedVersions NewestVersions(const std::vector<MigrationFile>& files) {
  AppliedVersions versions;
  for (const MigrationFile& file : files) {
    absl::StatusOr<int> version = VersionOf(file.name);
    if (version.ok()) versions.service = std::max(versions.service, *version);
  }
  for (const MigrationFile& file : CommonMigrations()) {
    absl::StatusOr<int> version = VersionOf(file.name);
    if (version.ok()) versions.common = std::max(versions.common, *version);
  }
  return versions;
}

}  // namespace unionhub::db
