// What the suite's client-stream imports (membership's ImportMembers,
// finance's ImportPayrollDeductions) share: a header first, then rows read
// in batches; each batch committed in its own transaction under its own
// idempotency key (request_id#batch) whose fingerprint is the batch's rows,
// so a stream cut off half-way and sent again with the same request_id
// re-applies nothing: committed batches answer from their stored results.
// How a row is examined, decided and written stays with each import.
#ifndef UNIONHUB_COMMON_RPC_BATCHED_IMPORT_H_
#define UNIONHUB_COMMON_RPC_BATCHED_IMPORT_H_

#include <google/protobuf/message.h>
#include <grpcpp/server_context.h>

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/db/pool.h"
#include "common/rpc/idempotent.h"

namespace unionhub::rpc {

// INVALID_ARGUMENT for a stream whose first message is not the header.
absl::Status MissingImportHeader();

// CANCELLED for a stream cut off before its end (see ReadImportRows).
absl::Status ImportCutOff();

// The rows of one batch, for its idempotency fingerprint: a retried batch
// must carry the same rows (numbers and content) to be answered from the
// stored results.
class ImportBatchDigest {
 public:
  void Add(int64_t row_number, const google::protobuf::Message& row);
  std::string Sha256() const;

 private:
  std::string rows_;
};

// "request_id#batch_index".
std::string ImportBatchKey(absl::string_view request_id, int batch_index);

// Reads the header (the first message) into `first`: MissingImportHeader()
// when there is none.
template <typename Request, typename Reader>
absl::Status ReadImportHeader(Reader& reader, Request* first) {
  if (!reader.Read(first) || !first->has_header()) return MissingImportHeader();
  return absl::OkStatus();
}

// Reads the rows after the header: `examine` turns each message (with its
// 1-based arrival number among the rows) into a pending row or refuses the
// whole stream; every `batch_rows` pending rows, and once for the rest at
// the end, go to `flush` with the batch's index. A stream cut off (the
// client gave up, or the server's shutdown grace ran out) is ImportCutOff()
// with the rest unflushed: they are not the file's last rows, and
// committing them under this batch's key would make the client's re-send
// of the whole stream look like another request. `received` counts the
// rows read.
template <typename Request, typename Pending, typename Reader>
absl::Status ReadImportRows(
    grpc::ServerContext& context, Reader& reader, size_t batch_rows,
    const std::function<absl::StatusOr<Pending>(const Request&, int64_t)>&
        examine,
    const std::function<absl::Status(std::vector<Pending>, int)>& flush,
    int64_t* received) {
  Request message;
  std::vector<Pending> batch;
  batch.reserve(batch_rows);
  int batch_index = 0;
  int64_t arrival = 0;
  while (reader.Read(&message)) {
    absl::StatusOr<Pending> row = examine(message, ++arrival);
    if (!row.ok()) return row.status();
    batch.push_back(*std::move(row));
    if (batch.size() == batch_rows) {
      absl::Status status = flush(std::move(batch), batch_index++);
      if (!status.ok()) return status;
      batch = std::vector<Pending>();
      batch.reserve(batch_rows);
    }
  }
  if (context.IsCancelled()) return ImportCutOff();
  if (!batch.empty()) {
    absl::Status status = flush(std::move(batch), batch_index);
    if (!status.ok()) return status;
  }
  *received = arrival;
  return absl::OkStatus();
}

// Runs `apply` for one batch exactly once per (request_id, batch_index):
// the fingerprint is `header` with its request_id replaced by the digest
// of the batch's rows.
// `apply(db::Connection&, Response*)` may run more than once (deadlock
// retries), so it must only touch the database.
template <typename Request, typename Response, typename Header, typename Apply>
absl::Status RunImportBatch(db::Pool& pool, absl::string_view method,
                            const Header& header, const ImportBatchDigest& rows,
                            int batch_index, Response* out, Apply&& apply) {
  Request fingerprint_source;
  *fingerprint_source.mutable_header() = header;
  fingerprint_source.mutable_header()->set_request_id(rows.Sha256());
  return RunIdempotent<Response>(
      pool, method, ImportBatchKey(header.request_id(), batch_index),
      fingerprint_source, out, std::forward<Apply>(apply), "header.request_id");
}

}  // namespace unionhub::rpc

#endif  // UNIONHUB_COMMON_RPC_BATCHED_IMPORT_H_
