// A service's database accounts: an administrator migrates the schema (DDL,
// triggers) and then grants the service's own runtime account exactly the
// rows it works on, so a compromised service can neither change the schema
// nor drop the triggers and rewrite what is meant to be append-only.
//
//   unionhub-<service> --migrate_only --grant_to=USER@HOST[,USER@HOST...]
//
// run with the administrator's credentials (scripts/up runs it as root),
// then the service starts as USER.
#ifndef UNIONHUB_COMMON_DB_GRANTS_H_
#define UNIONHUB_COMMON_DB_GRANTS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/db/migrations.h"
#include "common/db/pool.h"

namespace unionhub::db {

// Makes the privileges of the existing account `user`@`host` on the
// connection's current schema exactly, table by table:
//   schema_migrations                         SELECT
//   each of `append_only_tables`              SELECT, INSERT
//   every other table                         SELECT, INSERT, UPDATE, DELETE
// and nothing else on the schema: no DDL, TRIGGER, LOCK TABLES, GRANT OPTION
// (earlier schema- or table-level grants, e.g. an old GRANT ALL, are revoked
// first). INVALID_ARGUMENT for a user or host outside [A-Za-z0-9_.%-]
// (identifiers cannot be bound as parameters); FAILED_PRECONDITION when the
// account does not exist, holds global privileges (they would override
// every table grant), or a listed append-only table is not in the schema.
absl::Status GrantServiceUser(
    Connection& admin, const std::string& user, const std::string& host,
    const std::vector<std::string>& append_only_tables);

// --migrate_only: applies `migrations` (waiting for the database), then
// GrantServiceUser for each USER@HOST in the comma-separated `grant_to`
// (may be empty). `pool` holds the administrator's credentials.
absl::Status MigrateAndGrant(
    Pool& pool, const std::vector<MigrationFile>& migrations,
    absl::string_view grant_to,
    const std::vector<std::string>& append_only_tables);

}  // namespace unionhub::db

#endif  // UNIONHUB_COMMON_DB_GRANTS_H_
