// The finance service's database user gets exactly what it needs: full row
// access to its working tables, only SELECT and INSERT on the append-only
// ones (ledger, audit trail), and no DDL. Run by an administrator after the
// migrations (unionhub-finance --migrate_only --grant_to=...).
#ifndef UNIONHUB_SERVICES_FINANCE_STORE_GRANTS_H_
#define UNIONHUB_SERVICES_FINANCE_STORE_GRANTS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/db/pool.h"

namespace unionhub::finance::store {

// Tables and sequences the service may only read and append to.
const std::vector<std::string>& AppendOnlyTables();

// Grants table by table on the connection's current schema to the existing
// account `user`@`host`. INVALID_ARGUMENT for a user or host outside
// [A-Za-z0-9_.%-] (identifiers cannot be bound as parameters).
absl::Status GrantServiceUser(db::Connection& admin, const std::string& user,
                              const std::string& host);

}  // namespace unionhub::finance::store

#endif  // UNIONHUB_SERVICES_FINANCE_STORE_GRANTS_H_
