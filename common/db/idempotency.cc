#include "common/db/idempotency.h"

#include <cppconn/exception.h>

#include "common/core/violations.h"
#include "common/db/sql.h"

namespace unionhub::db {

namespace {
constexpr int kErrDuplicateKey = 1062;
}  // namespace

absl::StatusOr<std::optional<std::string>> ClaimIdempotencyKey(
    Connection& conn, absl::string_view request_id, absl::string_view method,
    absl::string_view fingerprint, absl::string_view field) {
  try {
    Execute(conn,
            "INSERT INTO idempotency_keys (request_id, method, fingerprint, "
            "response) VALUES (?, ?, ?, '')",
            request_id, method, fingerprint);
    return std::nullopt;
  } catch (const sql::SQLException& e) {
    if (e.getErrorCode() != kErrDuplicateKey) throw;
  }
  // The key is committed (a duplicate is reported only once its inserter
  // committed). A share lock on an existing primary-key record takes no gap.
  auto rs = Query(conn,
                  "SELECT method, fingerprint, response FROM idempotency_keys "
                  "WHERE request_id = ? LOCK IN SHARE MODE",
                  request_id);
  if (!rs->next()) {
    // Cannot happen while keys are never deleted; retrying is the safe way.
    return absl::AbortedError("idempotency key vanished; retry");
  }
  if (GetString(*rs, "method") != method ||
      GetString(*rs, "fingerprint") != fingerprint) {
    Violations violations;
    violations.Add(field,
                   "already used for a different request; use a new "
                   "request_id for a new request");
    return violations.ToStatus();
  }
  return GetBytes(*rs, "response");
}

void StoreIdempotentResponse(Connection& conn, absl::string_view request_id,
                             absl::string_view response) {
  Execute(conn, "UPDATE idempotency_keys SET response = ? WHERE request_id = ?",
          Bytes{response}, request_id);
}

}  // namespace unionhub::db
