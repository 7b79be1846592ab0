// Database driver text never reaches a caller or a stored record: statuses
// made from a driver exception become a fixed text per code (naming the
// trace under which the log has the detail); others keep their message.
#include <cppconn/exception.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/core/log.h"
#include "common/core/trace.h"
#include "common/db/pool.h"
#include "common/rpc/status.h"

namespace unionhub {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr char kSocketError[] =
    "Can't connect to local MySQL server through socket "
    "'/srv/db/run/mysqld.sock' (2)";

TEST(DriverText, AnUnreachableDatabaseIsAFixedTextForTheCaller) {
  const absl::Status status = db::StatusFromSqlException(
      sql::SQLException(kSocketError, "HY000", 2002));
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(db::IsDriverError(status));
  // The status itself keeps the detail, for the log.
  EXPECT_THAT(status.message(), HasSubstr("/srv/db/run/mysqld.sock"));

  std::vector<std::string> lines;
  log::SetObserver([&](absl::string_view line) { lines.emplace_back(line); });
  const grpc::Status wire = rpc::ToGrpcStatus(status);
  log::SetObserver(nullptr);
  EXPECT_EQ(wire.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(wire.error_message(), StartsWith("database unavailable"));
  EXPECT_THAT(wire.error_message(), Not(HasSubstr("mysqld.sock")));
  EXPECT_THAT(wire.error_details(), Not(HasSubstr("mysqld.sock")));
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_THAT(lines[0], HasSubstr("/srv/db/run/mysqld.sock"));
}

TEST(DriverText, DuplicatesAndDeadlocksDoNotShowKeysOrValues) {
  const absl::Status duplicate = db::StatusFromSqlException(sql::SQLException(
      "Duplicate entry '110101199003070011' for key 'uk_national_id'", "23000",
      1062));
  EXPECT_EQ(duplicate.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(rpc::PublicMessage(duplicate), Not(HasSubstr("1101011990")));
  EXPECT_THAT(rpc::PublicMessage(duplicate), Not(HasSubstr("uk_national")));
  const absl::Status deadlock = db::StatusFromSqlException(sql::SQLException(
      "Deadlock found when trying to get lock; try restarting transaction",
      "40001", 1213));
  EXPECT_EQ(deadlock.code(), absl::StatusCode::kAborted);
  EXPECT_THAT(rpc::ToGrpcStatus(deadlock).error_message(),
              Not(HasSubstr("Deadlock found")));
  const absl::Status other = db::StatusFromSqlException(
      sql::SQLException("Table 'secret.x' doesn't exist", "42S02", 1146));
  EXPECT_EQ(other.code(), absl::StatusCode::kInternal);
  EXPECT_THAT(rpc::PublicMessage(other), Not(HasSubstr("secret")));
}

TEST(DriverText, OurOwnMessagesAreKeptAndFixedTextsNameTheTrace) {
  EXPECT_EQ(rpc::PublicMessage(absl::UnavailableError(
                "finance is unavailable (GetDuesStanding, UNAVAILABLE)")),
            "finance is unavailable (GetDuesStanding, UNAVAILABLE)");
  EXPECT_EQ(rpc::PublicMessage(absl::NotFoundError("member 7 not found")),
            "member 7 not found");
  trace::Scope scope(
      *trace::Parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
  EXPECT_THAT(rpc::PublicMessage(absl::InternalError("boom at /etc/x")),
              HasSubstr("4bf92f3577b34da6a3ce929d0e0e4736"));
  EXPECT_THAT(rpc::PublicMessage(absl::InternalError("boom at /etc/x")),
              Not(HasSubstr("/etc/x")));
}

}  // namespace
}  // namespace unionhub
