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

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
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

// How many import batches a service holds at once over all its import
// streams: a batch takes a slot before its first row is read and gives it
// back once it is written (or dropped). Rows in flight cost about a
// kilobyte each in the service, so without a cap sixteen concurrent
// 10k-row payroll files held 128,000 rows and carved finance's heap to
// 185 MB (docs/performance.md); with it, a stream that finds every slot
// taken is simply not read until one frees, and gRPC's flow control holds
// its client. A stream that stops sending keeps its slot until its
// deadline or cancellation.
class ImportBatchSlots {
 public:
  // Held by one batch; gives the slot back when destroyed.
  class Slot {
   public:
    Slot() = default;
    Slot(Slot&& other) noexcept
        : owner_(std::exchange(other.owner_, nullptr)) {}
    Slot& operator=(Slot&& other) noexcept;
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
    ~Slot();

   private:
    friend class ImportBatchSlots;
    explicit Slot(ImportBatchSlots* owner) : owner_(owner) {}
    ImportBatchSlots* owner_ = nullptr;
  };

  // `capacity` < 1 counts as 1.
  explicit ImportBatchSlots(int capacity);
  ImportBatchSlots(const ImportBatchSlots&) = delete;
  ImportBatchSlots& operator=(const ImportBatchSlots&) = delete;

  // Waits for a free slot; ImportCutOff() once `cancelled()` turns true
  // while waiting (checked every 100 ms).
  absl::StatusOr<Slot> Acquire(const std::function<bool()>& cancelled);
  int in_use() const;
  int capacity() const { return capacity_; }

 private:
  void Release();

  const int capacity_;
  mutable std::mutex mu_;
  std::condition_variable freed_;
  int in_use_ = 0;
};

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
// the end, go to `flush` with the batch's index and its slot of `slots`
// (taken before the batch's first row is read; `flush` keeps it until the
// batch is written). A stream cut off (the
// client gave up, or the server's shutdown grace ran out) is ImportCutOff()
// with the rest unflushed: they are not the file's last rows, and
// committing them under this batch's key would make the client's re-send
// of the whole stream look like another request. `received` counts the
// rows read.
// `cancelled` says whether the stream was cut off (the server context's
// IsCancelled()).
template <typename Request, typename Pending, typename Reader>
absl::Status ReadImportRows(
    const std::function<bool()>& cancelled, Reader& reader, size_t batch_rows,
    ImportBatchSlots& slots,
    const std::function<absl::StatusOr<Pending>(const Request&, int64_t)>&
        examine,
    const std::function<absl::Status(std::vector<Pending>, int,
                                     ImportBatchSlots::Slot)>& flush,
    int64_t* received) {
  Request message;
  std::vector<Pending> batch;
  int batch_index = 0;
  int64_t arrival = 0;
  while (true) {
    absl::StatusOr<ImportBatchSlots::Slot> slot = slots.Acquire(cancelled);
    if (!slot.ok()) return slot.status();
    batch.reserve(batch_rows);
    while (batch.size() < batch_rows && reader.Read(&message)) {
      absl::StatusOr<Pending> row = examine(message, ++arrival);
      if (!row.ok()) return row.status();
      batch.push_back(*std::move(row));
    }
    if (batch.size() < batch_rows) {  // the stream ended
      if (cancelled()) return ImportCutOff();
      if (!batch.empty()) {
        absl::Status status =
            flush(std::move(batch), batch_index, *std::move(slot));
        if (!status.ok()) return status;
      }
      break;
    }
    absl::Status status =
        flush(std::move(batch), batch_index++, *std::move(slot));
    if (!status.ok()) return status;
    batch = std::vector<Pending>();
  }
  *received = arrival;
  return absl::OkStatus();
}

template <typename Request, typename Pending, typename Reader>
absl::Status ReadImportRows(
    grpc::ServerContext& context, Reader& reader, size_t batch_rows,
    ImportBatchSlots& slots,
    const std::function<absl::StatusOr<Pending>(const Request&, int64_t)>&
        examine,
    const std::function<absl::Status(std::vector<Pending>, int,
                                     ImportBatchSlots::Slot)>& flush,
    int64_t* received) {
  return ReadImportRows<Request, Pending>(
      [&context] { return context.IsCancelled(); }, reader, batch_rows, slots,
      examine, flush, received);
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
