// Storage of the first response of every mutating request, keyed by the
// client's request_id, so a retry returns that response and writes nothing.
// Each service's first migration creates the `idempotency_keys` table.
#ifndef UNIONHUB_COMMON_DB_IDEMPOTENCY_H_
#define UNIONHUB_COMMON_DB_IDEMPOTENCY_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/db/pool.h"

namespace unionhub::db {

// Claims `request_id` for the current transaction by inserting its row
// first (response still empty), or returns the response stored by the
// transaction that claimed it before. The claim is an INSERT, not a locking
// read of a missing key: under REPEATABLE READ such a read locks the gap
// where the key would go, every concurrent request with a nearby id gets the
// same gap lock, and their inserts then starve or deadlock one another
// (docs/performance.md). An insert locks only its own record; a concurrent
// request with the same id waits for that record and, once the first
// commits, gets the duplicate key and reads the stored answer (or, if the
// first rolled back, claims the key itself). On Galera two nodes may both
// claim; the loser gets 1213 at COMMIT and its retry reads the answer.
// A request_id used before for another method or another request body is
// INVALID_ARGUMENT on `field` (where the request carries its id).
absl::StatusOr<std::optional<std::string>> ClaimIdempotencyKey(
    Connection& conn, absl::string_view request_id, absl::string_view method,
    absl::string_view fingerprint, absl::string_view field = "request_id");

// Stores the response on the row claimed in the current transaction.
void StoreIdempotentResponse(Connection& conn, absl::string_view request_id,
                             absl::string_view response);

// DDL for the table, for services' first migration and tests.
inline constexpr absl::string_view kIdempotencyTableDdl =
    "CREATE TABLE idempotency_keys ("
    " request_id VARCHAR(64) NOT NULL PRIMARY KEY,"
    " method VARCHAR(128) NOT NULL,"
    " fingerprint CHAR(64) NOT NULL,"
    " response MEDIUMBLOB NOT NULL,"
    " created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)"
    ") ENGINE=InnoDB";

}  // namespace unionhub::db

#endif  // UNIONHUB_COMMON_DB_IDEMPOTENCY_H_
