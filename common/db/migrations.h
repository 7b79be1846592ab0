// Versioned schema migrations, compiled into each service binary (see
// cmake/EmbedMigrations.cmake) and applied at start-up.
#ifndef UNIONHUB_COMMON_DB_MIGRATIONS_H_
#define UNIONHUB_COMMON_DB_MIGRATIONS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/db/pool.h"

namespace unionhub::db {

struct MigrationFile {
  absl::string_view name;  // "0001_init.sql": the number orders them
  absl::string_view sql;   // statements separated by ';' at line ends
};

// Applies every file not yet recorded in `schema_migrations`, in order,
// while holding the named lock GET_LOCK('<schema>.migrations'), so replicas
// starting together apply each file once. Each applied file is recorded with
// its SHA-256; a recorded file whose content has since changed is
// FAILED_PRECONDITION and the service must refuse to start.
absl::Status ApplyMigrations(Pool& pool,
                             const std::vector<MigrationFile>& files);

// ApplyMigrations, retried every two seconds while the database is
// UNAVAILABLE: it may come up after the service (Kubernetes starts pods in
// any order), and waiting beats a crash loop. Any other error is returned.
absl::Status ApplyMigrationsWhenReachable(
    Pool& pool, const std::vector<MigrationFile>& files);

// Splits a migration into statements (';' ending a line; '--' comment lines
// dropped). Exposed for tests.
std::vector<std::string> SplitStatements(absl::string_view sql);

std::string Sha256Hex(absl::string_view data);

}  // namespace unionhub::db

#endif  // UNIONHUB_COMMON_DB_MIGRATIONS_H_
