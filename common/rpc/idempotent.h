// Runs a mutation exactly once per client request_id: the first response is
// stored in the same transaction as the change, and a retry gets it back
// without anything new being written.
#ifndef UNIONHUB_COMMON_RPC_IDEMPOTENT_H_
#define UNIONHUB_COMMON_RPC_IDEMPOTENT_H_

#include <google/protobuf/message.h>

#include <algorithm>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/crypto/pii_global.h"
#include "common/db/idempotency.h"
#include "common/db/migrations.h"
#include "common/db/pool.h"
#include "common/rpc/call_audit.h"
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
//
// The call's audit row (CallAudit::Pending, set by the gate) is written in
// the same transaction: one commit per acknowledged call, and the row
// commits or rolls back with the change. A COMMIT whose reply was lost is
// retried by the pool; when it had landed, the retry finds this call's own
// stored answer (the sealed bytes carry a random nonce, so they identify
// the attempt that wrote them) and writes no second row.
template <typename Response>
absl::Status RunIdempotent(
    db::Pool& pool, absl::string_view method, const std::string& request_id,
    const google::protobuf::Message& request, Response* response,
    const std::function<absl::Status(db::Connection&, Response*)>& mutate,
    absl::string_view request_id_field = "request_id") {
  const std::string fingerprint = RequestFingerprint(method, request);
  CallAudit* const audit = CallAudit::Pending();
  std::vector<std::string> stored_by_this_call;
  bool audited = false;
  absl::Status status =
      pool.InTransaction([&](db::Connection& conn) -> absl::Status {
        audited = false;
        absl::StatusOr<std::optional<std::string>> stored =
            db::ClaimIdempotencyKey(conn, request_id, method, fingerprint,
                                    request_id_field);
        if (!stored.ok()) return stored.status();
        response->Clear();
        if (stored->has_value()) {
          absl::StatusOr<std::string> plain =
              crypto::Pii().Open(**stored, crypto::kStoredResponseContext);
          if (!plain.ok()) return plain.status();
          if (!response->ParseFromString(*plain)) {
            return absl::InternalError("stored response does not parse");
          }
          if (audit != nullptr) {
            const bool own = std::find(stored_by_this_call.begin(),
                                       stored_by_this_call.end(),
                                       **stored) != stored_by_this_call.end();
            if (!own) audit->Write(conn);  // a replay is a call of its own
            audited = true;
          }
          return absl::OkStatus();
        }
        absl::Status mutated = mutate(conn, response);
        if (!mutated.ok()) return mutated;
        if (audit != nullptr) {
          audit->Write(conn);
          audited = true;
        }
        // Responses may hold personal data, so they are stored sealed.
        std::string sealed = crypto::Pii().Seal(response->SerializeAsString(),
                                                crypto::kStoredResponseContext);
        db::StoreIdempotentResponse(conn, request_id, sealed);
        if (audit != nullptr) stored_by_this_call.push_back(std::move(sealed));
        return absl::OkStatus();
      });
  if (status.ok() && audited) audit->MarkCommitted();
  return status;
}

}  // namespace unionhub::rpc

#endif  // UNIONHUB_COMMON_RPC_IDEMPOTENT_H_
