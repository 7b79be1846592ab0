#include "common/db/pool.h"

#include <cppconn/connection.h>
#include <cppconn/exception.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>
#include <mysql_driver.h>

#include <random>
#include <thread>

#include "absl/strings/cord.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/core/log.h"

namespace unionhub::db {
namespace {

// MySQL/MariaDB error numbers we react to.
constexpr int kErrDuplicateKey = 1062;
constexpr int kErrLockWaitTimeout = 1205;
constexpr int kErrDeadlock = 1213;
constexpr int kErrServerGone = 2006;
constexpr int kErrServerLost = 2013;
constexpr int kErrCannotConnect = 2002;
constexpr int kErrCannotConnectTcp = 2003;
constexpr int kErrLostAtInitial = 2055;
constexpr int kErrServerShutdown = 1053;
constexpr int kErrOutOfRangeValue = 1264;  // a value too large for its column
constexpr int kErrDataOutOfRange = 1690;   // "BIGINT value is out of range"

bool IsConnectionError(int code) {
  return code == kErrServerGone || code == kErrServerLost ||
         code == kErrCannotConnect || code == kErrCannotConnectTcp ||
         code == kErrLostAtInitial || code == kErrServerShutdown;
}

// A connection unused for this long is checked before it is handed out: the
// server may have dropped it (wait_timeout) or restarted.
constexpr absl::Duration kValidateAfterIdle = absl::Seconds(30);

absl::Status DriverError(absl::StatusCode code, absl::string_view message) {
  absl::Status status(code, message);
  status.SetPayload(kDriverErrorPayloadUrl, absl::Cord("1"));
  return status;
}

}  // namespace

bool IsDriverError(const absl::Status& status) {
  return status.GetPayload(kDriverErrorPayloadUrl).has_value();
}

absl::Status StatusFromSqlException(const sql::SQLException& e) {
  const int code = e.getErrorCode();
  std::string message = absl::StrCat("database error ", code, " (",
                                     e.getSQLStateCStr(), "): ", e.what());
  if (code == kErrDuplicateKey) {
    return DriverError(absl::StatusCode::kAlreadyExists, message);
  }
  if (code == kErrDeadlock || code == kErrLockWaitTimeout) {
    return DriverError(absl::StatusCode::kAborted, message);
  }
  if (IsConnectionError(code)) {
    return DriverError(absl::StatusCode::kUnavailable, message);
  }
  // A running total (a rollup, a balance) that would leave its column is a
  // state the request cannot be applied to, not a fault of the service; the
  // message leaves the driver's text out because it reaches the caller.
  if (code == kErrOutOfRangeValue || code == kErrDataOutOfRange) {
    return absl::FailedPreconditionError(
        "a stored total would exceed the largest amount it can hold");
  }
  return DriverError(absl::StatusCode::kInternal, message);
}

bool IsRetryable(const absl::Status& status) {
  return status.code() == absl::StatusCode::kAborted ||
         status.code() == absl::StatusCode::kUnavailable;
}

Connection::Connection(std::unique_ptr<sql::Connection> raw)
    : raw_(std::move(raw)), last_used_(absl::Now()) {}

Connection::~Connection() {
  statements_.clear();
  try {
    if (raw_ && !raw_->isClosed()) raw_->close();
  } catch (const sql::SQLException&) {
    // Closing a dead connection fails; there is nothing left to release.
  }
}

sql::PreparedStatement& Connection::Prepare(const std::string& sql_text) {
  auto it = statements_.find(sql_text);
  if (it == statements_.end()) {
    std::unique_ptr<sql::PreparedStatement> statement(
        raw_->prepareStatement(sql_text));
    it = statements_.emplace(sql_text, std::move(statement)).first;
  } else {
    it->second->clearParameters();
  }
  return *it->second;
}

void Connection::Touch() { last_used_ = absl::Now(); }

Pool::Lease::~Lease() {
  if (pool_ != nullptr && conn_ != nullptr) pool_->Return(std::move(conn_));
}

Pool::Pool(DbConfig config) : config_(std::move(config)) {
  if (config_.pool_size < 1) config_.pool_size = 1;
}

Pool::~Pool() {
  std::lock_guard<std::mutex> lock(mu_);
  idle_.clear();
}

absl::StatusOr<std::unique_ptr<Connection>> Pool::Open() {
  try {
    sql::mysql::MySQL_Driver* driver = sql::mysql::get_mysql_driver_instance();
    sql::ConnectOptionsMap options;
    options["hostName"] = sql::SQLString(config_.uri);
    options["userName"] = sql::SQLString(config_.user);
    options["password"] = sql::SQLString(config_.password);
    if (!config_.schema.empty()) {
      options["schema"] = sql::SQLString(config_.schema);
    }
    options["OPT_CHARSET_NAME"] = sql::SQLString("utf8mb4");
    options["OPT_CONNECT_TIMEOUT"] = 5;
    options["OPT_READ_TIMEOUT"] = 60;
    options["OPT_WRITE_TIMEOUT"] = 60;
    std::unique_ptr<sql::Connection> raw(driver->connect(options));
    {
      std::unique_ptr<sql::Statement> statement(raw->createStatement());
      // Strict mode turns silent truncation into errors; UTC keeps
      // TIMESTAMP columns independent of the server's zone.
      statement->execute(
          "SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_DATE,"
          "NO_ZERO_IN_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION',"
          " time_zone = '+00:00'");
    }
    return std::make_unique<Connection>(std::move(raw));
  } catch (const sql::SQLException& e) {
    // Any failure to open is the database being unreachable to the caller.
    return DriverError(absl::StatusCode::kUnavailable,
                       StatusFromSqlException(e).message());
  }
}

absl::StatusOr<Pool::Lease> Pool::Acquire() {
  const absl::Time deadline = absl::Now() + config_.acquire_timeout;
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    if (!idle_.empty()) {
      std::unique_ptr<Connection> conn = std::move(idle_.back());
      idle_.pop_back();
      lock.unlock();
      if (absl::Now() - conn->last_used() > kValidateAfterIdle) {
        bool valid = false;
        try {
          valid = conn->raw().isValid();
        } catch (const sql::SQLException&) {
        }
        if (!valid) {
          conn.reset();
          lock.lock();
          --open_;
          continue;
        }
      }
      return Lease(this, std::move(conn));
    }
    if (open_ < config_.pool_size) {
      ++open_;
      lock.unlock();
      absl::StatusOr<std::unique_ptr<Connection>> conn = Open();
      if (!conn.ok()) {
        lock.lock();
        --open_;
        available_.notify_one();
        return conn.status();
      }
      return Lease(this, *std::move(conn));
    }
    if (available_.wait_until(lock, absl::ToChronoTime(deadline)) ==
        std::cv_status::timeout) {
      return absl::UnavailableError(
          "no database connection became free in time");
    }
  }
}

void Pool::Return(std::unique_ptr<Connection> conn) {
  std::lock_guard<std::mutex> lock(mu_);
  if (conn->broken()) {
    --open_;
    conn.reset();
  } else {
    conn->Touch();
    idle_.push_back(std::move(conn));
  }
  available_.notify_one();
}

absl::Status Pool::RunWithRetry(
    bool transactional, const std::function<absl::Status(Connection&)>& fn) {
  static thread_local std::mt19937 rng(std::random_device{}());
  absl::Status last;
  for (int attempt = 1; attempt <= config_.max_attempts; ++attempt) {
    absl::StatusOr<Lease> lease = Acquire();
    if (!lease.ok()) {
      last = lease.status();
    } else {
      Connection& conn = **lease;
      bool in_transaction = false;
      try {
        if (transactional) {
          conn.raw().setAutoCommit(false);
          in_transaction = true;
        }
        last = fn(conn);
        if (transactional) {
          if (last.ok()) {
            conn.raw().commit();
          } else {
            conn.raw().rollback();
          }
          conn.raw().setAutoCommit(true);
        }
      } catch (const sql::SQLException& e) {
        last = StatusFromSqlException(e);
        if (IsConnectionError(e.getErrorCode())) {
          conn.MarkBroken();
        } else if (in_transaction) {
          try {
            conn.raw().rollback();
            conn.raw().setAutoCommit(true);
          } catch (const sql::SQLException&) {
            conn.MarkBroken();
          }
        }
      }
    }
    if (last.ok() || !IsRetryable(last) || attempt == config_.max_attempts) {
      break;
    }
    // Jittered exponential backoff: colliding writers should not collide
    // again on the next attempt.
    const int base_ms = 5 << std::min(attempt, 6);
    std::uniform_int_distribution<int> jitter(base_ms / 2, base_ms);
    log::Write(log::Level::kDebug, "retrying database work",
               {{"attempt", absl::StrCat(attempt)},
                {"error", std::string(last.message())}});
    std::this_thread::sleep_for(std::chrono::milliseconds(jitter(rng)));
  }
  return last;
}

absl::Status Pool::InTransaction(
    const std::function<absl::Status(Connection&)>& fn) {
  return RunWithRetry(true, fn);
}

absl::Status Pool::Run(const std::function<absl::Status(Connection&)>& fn) {
  return RunWithRetry(false, fn);
}

absl::Status Pool::Ping() {
  return Run([](Connection& conn) {
    std::unique_ptr<sql::Statement> statement(conn.raw().createStatement());
    // The result must be read and freed, or the session is out of sync.
    std::unique_ptr<sql::ResultSet> rs(statement->executeQuery("SELECT 1"));
    return rs->next() ? absl::OkStatus()
                      : absl::UnavailableError("SELECT 1 returned nothing");
  });
}

}  // namespace unionhub::db
