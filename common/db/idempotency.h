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

// The stored response for `request_id`, locking the key (or the gap where
// it would be) until the transaction ends, so concurrent retries serialise.
// A request_id used before for another method or another request body is
// INVALID_ARGUMENT on `field` (where the request carries its id).
absl::StatusOr<std::optional<std::string>> LookupIdempotentResponse(
    Connection& conn, absl::string_view request_id, absl::string_view method,
    absl::string_view fingerprint, absl::string_view field = "request_id");

// Records the response in the current transaction.
void RememberIdempotentResponse(Connection& conn, absl::string_view request_id,
                                absl::string_view method,
                                absl::string_view fingerprint,
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
