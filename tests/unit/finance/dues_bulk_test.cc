// The shapes of the dues store's multi-row statements (no database needed).
#include <numeric>
#include <set>

#include "gtest/gtest.h"
#include "services/finance/store/dues_store.h"

namespace unionhub::finance::store {
namespace {

TEST(DuesBulkTest, ChunksCoverEveryRowWithFewDistinctSizes) {
  std::set<int> sizes_seen;
  for (int n = 0; n <= 5000; ++n) {
    std::vector<int> sizes = ChunkSizes(n, 1000);
    EXPECT_EQ(std::accumulate(sizes.begin(), sizes.end(), 0), n) << n;
    for (int size : sizes) {
      EXPECT_GT(size, 0);
      EXPECT_LE(size, 1000);
      sizes_seen.insert(size);
    }
  }
  // 1000 and the powers of two below it.
  EXPECT_LE(sizes_seen.size(), 11u);
  EXPECT_EQ(ChunkSizes(2500, 1000),
            (std::vector<int>{1000, 1000, 256, 128, 64, 32, 16, 4}));
  EXPECT_TRUE(ChunkSizes(0, 1000).empty());
}

TEST(DuesBulkTest, InListsArePaddedToPowersOfTwo) {
  EXPECT_EQ(PaddedCount(1), 1);
  EXPECT_EQ(PaddedCount(2), 2);
  EXPECT_EQ(PaddedCount(3), 4);
  EXPECT_EQ(PaddedCount(1000), 1024);
  EXPECT_EQ(PaddedCount(1024), 1024);
  EXPECT_EQ(PaddedCount(1025), 2048);
}

}  // namespace
}  // namespace unionhub::finance::store
