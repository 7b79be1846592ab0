#include "common/rpc/batched_import.h"

#include <chrono>
#include <utility>

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

ImportBatchSlots::Slot& ImportBatchSlots::Slot::operator=(
    Slot&& other) noexcept {
  if (this != &other) {
    if (owner_ != nullptr) owner_->Release();
    owner_ = std::exchange(other.owner_, nullptr);
  }
  return *this;
}

ImportBatchSlots::Slot::~Slot() {
  if (owner_ != nullptr) owner_->Release();
}

ImportBatchSlots::ImportBatchSlots(int capacity)
    : capacity_(capacity < 1 ? 1 : capacity) {}

absl::StatusOr<ImportBatchSlots::Slot> ImportBatchSlots::Acquire(
    const std::function<bool()>& cancelled) {
  std::unique_lock<std::mutex> lock(mu_);
  while (in_use_ >= capacity_) {
    if (cancelled()) return ImportCutOff();
    freed_.wait_for(lock, std::chrono::milliseconds(100));
  }
  ++in_use_;
  return Slot(this);
}

int ImportBatchSlots::in_use() const {
  std::lock_guard<std::mutex> lock(mu_);
  return in_use_;
}

void ImportBatchSlots::Release() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    --in_use_;
  }
  freed_.notify_one();
}

}  // namespace unionhub::rpc
