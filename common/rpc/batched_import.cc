#include "common/rpc/batched_import.h"

#include "absl/strings/str_cat.h"
#include "common/core/violations.h"
#include "common/db/migrations.h"

namespace unionhub::rpc {

absl::Status MissingImportHeader() {
  Violations v;
  v.Add("header", "the first message must be the header with a request_id");
  return v.ToStatus();
}

absl::Status ImportCutOff() {
  return absl::CancelledError(
      "the stream was cut off; send it again with the same request_id: "
      "committed batches are not applied twice");
}

void ImportBatchDigest::Add(int64_t row_number,
                            const google::protobuf::Message& row) {
  absl::StrAppend(&rows_, row_number, ":", row.SerializeAsString(), ";");
}

std::string ImportBatchDigest::Sha256() const { return db::Sha256Hex(rows_); }

std::string ImportBatchKey(absl::string_view request_id, int batch_index) {
  return absl::StrCat(request_id, "#", batch_index);
}

}  // namespace unionhub::rpc
