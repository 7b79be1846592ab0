#include "common/db/probe.h"

#include <cppconn/connection.h>
#include <cppconn/exception.h>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>

namespace unionhub::db {

absl::Status Probe::Check() {
  std::lock_guard<std::mutex> lock(mu_);
  // Two tries: a connection left from before a server restart fails once
  // and is replaced by a fresh one, whose answer is the real one.
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (conn_ == nullptr) {
      absl::StatusOr<std::unique_ptr<Connection>> opened =
          OpenConnection(config_, /*connect_timeout_seconds=*/2,
                         /*read_timeout_seconds=*/2);
      if (!opened.ok()) return opened.status();
      conn_ = *std::move(opened);
    }
    try {
      std::unique_ptr<sql::Statement> statement(conn_->raw().createStatement());
      std::unique_ptr<sql::ResultSet> rs(statement->executeQuery("SELECT 1"));
      if (rs->next()) return absl::OkStatus();
    } catch (const sql::SQLException&) {
      // Broken: dropped below and, on the first try, reopened.
    }
    conn_.reset();
  }
  return absl::UnavailableError("the database does not answer");
}

}  // namespace unionhub::db
