#include "common/db/idempotency.h"

#include "common/core/violations.h"
#include "common/db/sql.h"

namespace unionhub::db {

absl::StatusOr<std::optional<std::string>> LookupIdempotentResponse(
    Connection& conn, absl::string_view request_id, absl::string_view method,
    absl::string_view fingerprint, absl::string_view field) {
  auto rs = Query(conn,
                  "SELECT method, fingerprint, response FROM idempotency_keys "
                  "WHERE request_id = ? FOR UPDATE",
                  request_id);
  if (!rs->next()) return std::nullopt;
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

void RememberIdempotentResponse(Connection& conn, absl::string_view request_id,
                                absl::string_view method,
                                absl::string_view fingerprint,
                                absl::string_view response) {
  Execute(conn,
          "INSERT INTO idempotency_keys (request_id, method, fingerprint, "
          "response) VALUES (?, ?, ?, ?)",
          request_id, method, fingerprint, Bytes{response});
}

}  // namespace unionhub::db
