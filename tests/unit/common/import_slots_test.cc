// The cap on import batches a service holds at once
// (rpc::ImportBatchSlots) and how ReadImportRows takes a batch's slot.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>
#include <vector>

#include "common/rpc/batched_import.h"

namespace unionhub::rpc {
namespace {

using Slot = ImportBatchSlots::Slot;

const std::function<bool()> kNeverCancelled = [] { return false; };

TEST(ImportBatchSlotsTest, WaitsForAFreeSlotOnceAllAreTaken) {
  ImportBatchSlots slots(2);
  absl::StatusOr<Slot> first = slots.Acquire(kNeverCancelled);
  absl::StatusOr<Slot> second = slots.Acquire(kNeverCancelled);
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(slots.in_use(), 2);

  std::future<absl::StatusOr<Slot>> third = std::async(
      std::launch::async, [&] { return slots.Acquire(kNeverCancelled); });
  EXPECT_EQ(third.wait_for(std::chrono::milliseconds(300)),
            std::future_status::timeout);
  *first = Slot();  // gives the slot back
  ASSERT_EQ(third.wait_for(std::chrono::seconds(10)),
            std::future_status::ready);
  absl::StatusOr<Slot> got = third.get();
  EXPECT_TRUE(got.ok());
  EXPECT_EQ(slots.in_use(), 2);
}

TEST(ImportBatchSlotsTest, AMovedSlotIsGivenBackOnce) {
  ImportBatchSlots slots(1);
  {
    absl::StatusOr<Slot> slot = slots.Acquire(kNeverCancelled);
    ASSERT_TRUE(slot.ok());
    Slot moved = *std::move(slot);
    Slot again = std::move(moved);
    EXPECT_EQ(slots.in_use(), 1);
  }
  EXPECT_EQ(slots.in_use(), 0);
}

TEST(ImportBatchSlotsTest, AStreamCutOffWhileWaitingGetsNoSlot) {
  ImportBatchSlots slots(1);
  absl::StatusOr<Slot> held = slots.Acquire(kNeverCancelled);
  ASSERT_TRUE(held.ok());
  std::atomic<bool> cut_off{false};
  std::future<absl::StatusOr<Slot>> waiting =
      std::async(std::launch::async,
                 [&] { return slots.Acquire([&] { return cut_off.load(); }); });
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  cut_off = true;
  ASSERT_EQ(waiting.wait_for(std::chrono::seconds(10)),
            std::future_status::ready);
  absl::StatusOr<Slot> got = waiting.get();
  EXPECT_EQ(got.status().code(), absl::StatusCode::kCancelled);
  EXPECT_EQ(slots.in_use(), 1);
}

// A stream of numbered messages; records how many slots were taken when
// each message was read.
struct Message {
  int value = 0;
};
class CountingReader {
 public:
  CountingReader(int messages, const ImportBatchSlots& slots)
      : left_(messages), slots_(slots) {}
  bool Read(Message* m) {
    if (left_ == 0) return false;
    m->value = left_--;
    in_use_at_read.push_back(slots_.in_use());
    return true;
  }
  std::vector<int> in_use_at_read;

 private:
  int left_;
  const ImportBatchSlots& slots_;
};

TEST(ReadImportRowsTest, EachBatchHoldsItsSlotFromItsFirstRowUntilFlushed) {
  ImportBatchSlots slots(8);
  CountingReader reader(10, slots);
  std::vector<Slot> kept;  // flushed batches still "being written"
  std::vector<size_t> batch_sizes;
  int64_t received = 0;
  absl::Status status = ReadImportRows<Message, int>(
      kNeverCancelled, reader, /*batch_rows=*/4, slots,
      [](const Message& m, int64_t) -> absl::StatusOr<int> { return m.value; },
      [&](std::vector<int> batch, int, Slot slot) -> absl::Status {
        batch_sizes.push_back(batch.size());
        kept.push_back(std::move(slot));
        return absl::OkStatus();
      },
      &received);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(received, 10);
  EXPECT_EQ(batch_sizes, (std::vector<size_t>{4, 4, 2}));
  // Rows 1-4 are read under one slot, 5-8 under a second, 9-10 under a
  // third: each taken before its batch's first row.
  EXPECT_EQ(reader.in_use_at_read,
            (std::vector<int>{1, 1, 1, 1, 2, 2, 2, 2, 3, 3}));
  EXPECT_EQ(slots.in_use(), 3);
  kept.clear();
  EXPECT_EQ(slots.in_use(), 0);
}

TEST(ReadImportRowsTest, ANewBatchIsNotReadWhileEverySlotIsHeld) {
  ImportBatchSlots slots(1);
  CountingReader reader(6, slots);
  std::promise<void> first_flushed;
  std::vector<Slot> kept;
  std::mutex kept_mu;
  int64_t received = 0;
  std::future<absl::Status> import = std::async(std::launch::async, [&] {
    return ReadImportRows<Message, int>(
        kNeverCancelled, reader, /*batch_rows=*/3, slots,
        [](const Message& m, int64_t) -> absl::StatusOr<int> {
          return m.value;
        },
        [&](std::vector<int>, int index, Slot slot) -> absl::Status {
          if (index == 0) {
            std::lock_guard<std::mutex> lock(kept_mu);
            kept.push_back(std::move(slot));  // still being written
            first_flushed.set_value();
          }
          return absl::OkStatus();
        },
        &received);
  });
  first_flushed.get_future().wait();
  EXPECT_EQ(import.wait_for(std::chrono::milliseconds(300)),
            std::future_status::timeout);
  EXPECT_EQ(reader.in_use_at_read.size(), 3u);  // the second batch waits
  {
    std::lock_guard<std::mutex> lock(kept_mu);
    kept.clear();  // the first batch is written
  }
  ASSERT_EQ(import.wait_for(std::chrono::seconds(10)),
            std::future_status::ready);
  EXPECT_TRUE(import.get().ok());
  EXPECT_EQ(received, 6);
  EXPECT_EQ(slots.in_use(), 0);
}

}  // namespace
}  // namespace unionhub::rpc
