// Runs a mutation exactly once per client request_id: the first response is
// stored in the same transaction as the change, and a retry gets it back
// without anything new being written.
#ifndef UNIONHUB_COMMON_RPC_IDEMPOTENT_H_
#define UNIONHUB_COMMON_RPC_IDEMPOTENT_H_

#include <google/protobuf/message.h>

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/crypto/pii_global.h"
#include "common/db/idempotency.h"
#include "common/db/migrations.h"
#include "common/db/pool.h"
#include "common/rpc/page_token.h"

namespace unionhub::rpc {

// Identifies a request body, so a request_id reused for a different request
// is refused rather than answered with an unrelated response.
inline std::string RequestFingerprint(
    absl::string_view method, const google::protobuf::Message& request) {
  return db::Sha256Hex(absl::StrCat(method, "\n", DeterministicBytes(request)));
}

// `mutate` runs inside the transaction and fills `response`; it may run
// more than once (deadlock retries), so it must only touch the database.
// The key is claimed first (db::ClaimIdempotencyKey), so concurrent calls
// with the same request_id serialise on that one record and the loser finds
// the winner's response; calls with different ids never wait for each other
// on this table.
template <typename Response>
absl::Status RunIdempotent(
    db::Pool& pool, absl::string_view method, const std::string& request_id,
    const google::protobuf::Message& request, Response* response,
    const std::function<absl::Status(db::Connection&, Response*)>& mutate,
    absl::string_view request_id_field = "request_id") {
  const std::string fingerprint = RequestFingerprint(method, request);
  return pool.InTransaction([&](db::Connection& conn) -> absl::Status {
    absl::StatusOr<std::optional<std::string>> stored = db::ClaimIdempotencyKey(
        conn, request_id, method, fingerprint, request_id_field);
    if (!stored.ok()) return stored.status();
    response->Clear();
    if (stored->has_value()) {
      absl::StatusOr<std::string> plain =
          crypto::Pii().Open(**stored, crypto::kStoredResponseContext);
      if (!plain.ok()) return plain.status();
      if (!response->ParseFromString(*plain)) {
        return absl::InternalError("stored response does not parse");
      }
      return absl::OkStatus();
    }
    absl::Status status = mutate(conn, response);
    if (!status.ok()) return status;
    // Responses may hold personal data, so they are stored sealed.
    db::StoreIdempotentResponse(
        conn, request_id,
        crypto::Pii().Seal(response->SerializeAsString(),
                           crypto::kStoredResponseContext));
    return absl::OkStatus();
  });
}

}  // namespace unionhub::rpc

#endif  // UNIONHUB_COMMON_RPC_IDEMPOTENT_H_
