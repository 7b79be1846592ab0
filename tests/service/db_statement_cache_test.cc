// The per-connection cache of prepared statements (common/db/pool.cc)
// against the real test MariaDB: multi-row statements (bulk inserts, long
// IN lists) are kept only within a placeholder budget, so a long-running
// service's memory does not grow with the imports its connections have
// seen (the soak of bench/run --soak), while small statements stay cached.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/db/pool.h"
#include "tests/support/test_env.h"

namespace unionhub::testing {
namespace {

class StatementCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    database_ = std::make_unique<TestDatabase>("statement_cache");
  }

  // Statements prepared on the server right now, all sessions.
  int64_t PreparedOnServer() {
    int64_t n = -1;
    EXPECT_TRUE(absl::SimpleAtoi(
        database_->QueryValue("SELECT VARIABLE_VALUE FROM "
                              "information_schema.GLOBAL_STATUS WHERE "
                              "VARIABLE_NAME = 'PREPARED_STMT_COUNT'"),
        &n));
    return n;
  }

  // A statement with `n` placeholders (an IN list, as the stores build).
  static std::string InList(int n) {
    return absl::StrCat("SELECT 1 FROM DUAL WHERE 0 IN (",
                        absl::StrJoin(std::vector<std::string>(n, "?"), ","),
                        ")");
  }

  std::unique_ptr<TestDatabase> database_;
};

TEST_F(StatementCacheTest, BulkStatementsStayWithinAPlaceholderBudget) {
  db::DbConfig config = database_->config();
  config.pool_size = 1;  // every call on the same connection
  db::Pool pool(config);
  const std::string small = "SELECT ? + ?";
  sql::PreparedStatement* small_first = nullptr;
  int64_t before = -1, after = -1;
  ASSERT_TRUE(pool.Run([&](db::Connection& conn) {
                    small_first = &conn.Prepare(small);
                    before = PreparedOnServer();
                    // Three 20,000-placeholder statements (an import's
                    // 2,000-row chunks are 28,000): any two pass the
                    // budget, so each drops the one before.
                    for (int extra = 0; extra < 3; ++extra) {
                      conn.Prepare(InList(20000 + extra));
                    }
                    after = PreparedOnServer();
                    return absl::OkStatus();
                  })
                  .ok());
  // One of the three is kept, not all three (the old rule kept up to 8).
  EXPECT_EQ(after - before, 1);
  // The small statement was not dropped with them.
  ASSERT_TRUE(pool.Run([&](db::Connection& conn) {
                    EXPECT_EQ(&conn.Prepare(small), small_first);
                    return absl::OkStatus();
                  })
                  .ok());
}

TEST_F(StatementCacheTest, BulkStatementsWithinTheBudgetStayCached) {
  db::DbConfig config = database_->config();
  config.pool_size = 1;
  db::Pool pool(config);
  sql::PreparedStatement* first = nullptr;
  ASSERT_TRUE(pool.Run([&](db::Connection& conn) {
                    first = &conn.Prepare(InList(4000));
                    conn.Prepare(InList(4001));
                    return absl::OkStatus();
                  })
                  .ok());
  ASSERT_TRUE(pool.Run([&](db::Connection& conn) {
                    EXPECT_EQ(&conn.Prepare(InList(4000)), first);
                    return absl::OkStatus();
                  })
                  .ok());
}

}  // namespace
}  // namespace unionhub::testing
