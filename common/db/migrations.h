// Versioned schema migrations, compiled into each service binary (see
// cmake/EmbedMigrations.cmake) and applied at start-up.
#ifndef UNIONHUB_COMMON_DB_MIGRATIONS_H_
#define UNIONHUB_COMMON_DB_MIGRATIONS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/db/pool.h"

namespace unionhub::db {

struct MigrationFile {
  absl::string_view name;  // "0001_init.sql": the number orders them
  absl::string_view sql;   // statements separated by ';' at line ends
};

// The tables every service's schema has (audit_trail, idempotency_keys):
// common/db/migrations/, embedded like a service's own.
const std::vector<MigrationFile>& CommonMigrations();

// Version N of CommonMigrations() is recorded as kCommonVersionBase + N,
// named "common/<file>", in the same schema_migrations as the service's.
inline constexpr int kCommonVersionBase = 100000;

// Applies CommonMigrations() and then `files`, each file not yet recorded
// in `schema_migrations`, in order, while holding the migration lock (the
// row "migrations" of `schema_migration_lock`, taken as a lease with the
// database's clock: see common/db/lease.h; not a named user lock, which
// MariaDB Galera keeps per node), so replicas starting together apply each file
// once: the others wait, then find every file recorded. A lock whose
// holder died expires after a minute. When nothing is pending no lock is
// taken and nothing is written. Each applied file is recorded with its SHA-256;
// a recorded file whose content has since changed is FAILED_PRECONDITION and
// the service must refuse to start, unless the file says the recorded content
// is one it replaced (a line "-- supersedes sha256 <hex>"), as the service
// files did that gave their common tables to CommonMigrations().
absl::Status ApplyMigrations(Pool& pool,
                             const std::vector<MigrationFile>& files);

// `files` alone, as ApplyMigrations did before CommonMigrations() existed:
// for tests that build a schema the way older binaries left it.
absl::Status ApplyMigrationsWithoutCommon(
    Pool& pool, const std::vector<MigrationFile>& files);

// ApplyMigrations, retried every two seconds while the database is
// UNAVAILABLE: it may come up after the service (Kubernetes starts pods in
// any order), and waiting beats a crash loop. Any other error is returned.
absl::Status ApplyMigrationsWhenReachable(
    Pool& pool, const std::vector<MigrationFile>& files);

// The highest version of the service's own files and of CommonMigrations()
// (numbered from 1 again) recorded in `schema_migrations`; 0 when none is
// (or the table does not exist yet). For the metrics.
struct AppliedVersions {
  int service = 0;
  int common = 0;
};
absl::StatusOr<AppliedVersions> AppliedMigrationVersions(Pool& pool);

// The same for the files a binary carries (what it would apply).
AppliedVersions NewestVersions(const std::vector<MigrationFile>& files);

// Splits a migration into statements (';' ending a line; '--' comment lines
// dropped). Exposed for tests.
std::vector<std::string> SplitStatements(absl::string_view sql);

std::string Sha256Hex(absl::string_view data);

// The checksums a file's "-- supersedes sha256 <hex>" lines name. Exposed
// for tests.
std::vector<std::string> SupersededChecksums(absl::string_view sql);

}  // namespace unionhub::db

#endif  // UNIONHUB_COMMON_DB_MIGRATIONS_H_
