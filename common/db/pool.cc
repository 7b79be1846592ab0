#include "common/db/pool.h"

#include <cppconn/connection.h>
#include <cppconn/exception.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>
#include <mysql_driver.h>

#include <algorithm>
#include <random>
#include <thread>

#include "absl/strings/cord.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/core/log.h"
#include "common/db/probe.h"

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
// Galera: the node left the Primary component (lost quorum) or is still
// joining. Another node may serve, so the connection is dropped and the
// work retried through the load balancer.
constexpr int kErrWsrepNotReady = 1047;
constexpr int kErrOutOfRangeValue = 1264;  // a value too large for its column
constexpr int kErrDataOutOfRange = 1690;   // "BIGINT value is out of range"
// The server takes no writes: read_only (1290 for accounts without READ ONLY
// ADMIN, 1836 inside a read-only transaction) or innodb_read_only (1015/1036
// "table is read only").
constexpr int kErrOptionPrevents = 1290;
constexpr int kErrReadOnlyMode = 1836;
constexpr int kErrTableReadOnly = 1036;
// No room: a tablespace at its size limit (1114 "table is full") or the
// disk full (1021). Nothing was written; it passes once space returns.
constexpr int kErrTableFull = 1114;
constexpr int kErrDiskFull = 1021;

bool IsConnectionError(int code) {
  return code == kErrServerGone || code == kErrServerLost ||
         code == kErrCannotConnect || code == kErrCannotConnectTcp ||
         code == kErrLostAtInitial || code == kErrServerShutdown ||
         code == kErrWsrepNotReady;
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
  // Nothing was written, and it may pass (a failover, an operator): the
  // caller may retry later with the same request_id. The driver's text
  // stays out because it reaches the caller.
  if (code == kErrOptionPrevents || code == kErrReadOnlyMode ||
      code == kErrTableReadOnly || code == kErrTableFull ||
      code == kErrDiskFull) {
    return absl::UnavailableError("the database accepts no writes right now");
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

namespace {

// Multi-row statements (bulk inserts, long IN lists) hold megabytes each in
// the driver (bind arrays and the last parameters' buffers), and their texts
// vary with the chunk size, so caching every one made a long-running
// service's memory grow with the imports it had seen (finance at 300+ MB,
// docs/performance.md). Only a few of them are kept per connection.
constexpr long kBigStatementPlaceholders = 64;
constexpr int kMaxBigStatements = 8;

bool IsBigStatement(const std::string& sql_text) {
  return std::count(sql_text.begin(), sql_text.end(), '?') >
         kBigStatementPlaceholders;
}

}  // namespace

sql::PreparedStatement& Connection::Prepare(const std::string& sql_text) {
  auto it = statements_.find(sql_text);
  if (it == statements_.end()) {
    if (IsBigStatement(sql_text)) {
      // Callers prepare, bind and run one statement at a time, so none of
      // the big ones dropped here is in use.
      int big = 0;
      for (const auto& [text, statement] : statements_) {
        if (IsBigStatement(text)) ++big;
      }
      if (big >= kMaxBigStatements) {
        for (auto old = statements_.begin(); old != statements_.end();) {
          old = IsBigStatement(old->first) ? statements_.erase(old) : ++old;
        }
      }
    }
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

absl::StatusOr<std::unique_ptr<Connection>> OpenConnection(
    const DbConfig& config, int connect_timeout_seconds,
    int read_timeout_seconds) {
  try {
    sql::mysql::MySQL_Driver* driver = sql::mysql::get_mysql_driver_instance();
    sql::ConnectOptionsMap options;
    options["hostName"] = sql::SQLString(config.uri);
    options["userName"] = sql::SQLString(config.user);
    options["password"] = sql::SQLString(config.password);
    if (!config.schema.empty()) {
      options["schema"] = sql::SQLString(config.schema);
    }
    options["OPT_CHARSET_NAME"] = sql::SQLString("utf8mb4");
    options["OPT_CONNECT_TIMEOUT"] = connect_timeout_seconds;
    options["OPT_READ_TIMEOUT"] = read_timeout_seconds;
    options["OPT_WRITE_TIMEOUT"] = read_timeout_seconds;
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

absl::StatusOr<std::unique_ptr<Connection>> Pool::Open() {
  return OpenConnection(config_, /*connect_timeout_seconds=*/5,
                        /*read_timeout_seconds=*/60);
}

absl::StatusOr<Pool::Lease> Pool::Acquire() {
  const absl::Time start = absl::Now();
  absl::StatusOr<Lease> lease = AcquireWaiting();
  std::shared_ptr<const AcquireObserver> observer;
  {
    std::lock_guard<std::mutex> lock(mu_);
    observer = observer_;
  }
  if (observer != nullptr) (*observer)(absl::Now() - start, lease.ok());
  return lease;
}

Pool::Stats Pool::GetStats() {
  std::lock_guard<std::mutex> lock(mu_);
  Stats stats;
  stats.size = config_.pool_size;
  stats.open = open_;
  stats.in_use = open_ - static_cast<int>(idle_.size());
  stats.waiting = waiting_;
  return stats;
}

void Pool::SetAcquireObserver(AcquireObserver observer) {
  std::lock_guard<std::mutex> lock(mu_);
  observer_ = observer
                  ? std::make_shared<const AcquireObserver>(std::move(observer))
                  : nullptr;
}

absl::StatusOr<Pool::Lease> Pool::AcquireWaiting() {
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
    ++waiting_;
    const std::cv_status waited =
        available_.wait_until(lock, absl::ToChronoTime(deadline));
    --waiting_;
    if (waited == std::cv_status::timeout) {
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

namespace {

void BeginTransaction(Connection& conn) {
  std::unique_ptr<sql::Statement> statement(conn.raw().createStatement());
  statement->execute("START TRANSACTION");
}

}  // namespace

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
          // One round trip where SET autocommit=0 ... SET autocommit=1 took
          // two; COMMIT and ROLLBACK end it and leave autocommit on.
          BeginTransaction(conn);
          in_transaction = true;
        }
        last = fn(conn);
        if (transactional) {
          if (last.ok()) {
            // Not raw().commit(): Connector/C++ 1.1.12 drops its result, so
            // a COMMIT lost with the connection or refused (Galera's 1213)
            // came back as success. As a statement, a failure throws.
            std::unique_ptr<sql::Statement>(conn.raw().createStatement())
                ->execute("COMMIT");
          } else {
            conn.raw().rollback();
          }
        }
      } catch (const sql::SQLException& e) {
        last = StatusFromSqlException(e);
        if (IsConnectionError(e.getErrorCode())) {
          conn.MarkBroken();
        } else if (in_transaction) {
          try {
            conn.raw().rollback();
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
