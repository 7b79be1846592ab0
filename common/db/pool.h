// A small pool of MySQL Connector/C++ connections with per-connection
// prepared-statement caches, explicit transactions and retry of deadlocks,
// lock-wait timeouts and lost connections.
#ifndef UNIONHUB_COMMON_DB_POOL_H_
#define UNIONHUB_COMMON_DB_POOL_H_

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace sql {
class Connection;
class PreparedStatement;
class SQLException;
}  // namespace sql

namespace unionhub::db {

struct DbConfig {
  // "unix:///path/to/mysqld.sock" or "tcp://127.0.0.1:3306".
  std::string uri;
  std::string user;
  std::string password;
  std::string schema;
  int pool_size = 8;
  absl::Duration acquire_timeout = absl::Seconds(10);
  int max_attempts = 6;  // for retryable failures
};

// One server session plus the statements prepared on it. Used by one thread
// at a time (the pool hands it out exclusively).
class Connection {
 public:
  explicit Connection(std::unique_ptr<sql::Connection> raw);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Prepared once per connection and cached by SQL text; parameters are
  // cleared before the statement is handed out.
  sql::PreparedStatement& Prepare(const std::string& sql_text);
  sql::Connection& raw() { return *raw_; }

  void MarkBroken() { broken_ = true; }
  bool broken() const { return broken_; }
  absl::Time last_used() const { return last_used_; }
  void Touch();

 private:
  std::unique_ptr<sql::Connection> raw_;
  std::unordered_map<std::string, std::unique_ptr<sql::PreparedStatement>>
      statements_;
  bool broken_ = false;
  absl::Time last_used_;
};

class Pool {
 public:
  class Lease {
   public:
    Lease(Pool* pool, std::unique_ptr<Connection> conn)
        : pool_(pool), conn_(std::move(conn)) {}
    Lease(Lease&&) = default;
    Lease& operator=(Lease&&) = default;
    ~Lease();
    Connection* operator->() { return conn_.get(); }
    Connection& operator*() { return *conn_; }

   private:
    Pool* pool_;
    std::unique_ptr<Connection> conn_;
  };

  explicit Pool(DbConfig config);
  ~Pool();

  // Waits for a free connection (opening one if fewer than pool_size are
  // open) up to the acquire timeout: UNAVAILABLE after that.
  absl::StatusOr<Lease> Acquire();

  // Runs `fn` in one transaction (REPEATABLE READ), committing when it
  // returns OK and rolling back otherwise. Retries the whole function on
  // deadlock, lock-wait timeout and a lost connection, so `fn` must have no
  // effects outside the database. SQL exceptions become statuses.
  absl::Status InTransaction(
      const std::function<absl::Status(Connection&)>& fn);

  // Runs `fn` in autocommit mode (reads, DDL), with the same retries.
  absl::Status Run(const std::function<absl::Status(Connection&)>& fn);

  // SELECT 1 on a pooled connection.
  absl::Status Ping();

  const DbConfig& config() const { return config_; }

  // For the metrics: connections open, handed out, and callers waiting
  // for one right now.
  struct Stats {
    int size = 0;  // pool_size: open connections at most
    int open = 0;
    int in_use = 0;
    int waiting = 0;
  };
  Stats GetStats();
  // Told how long every Acquire waited and whether it got a connection;
  // empty: nobody. The observer must outlive the pool or be replaced first.
  using AcquireObserver = std::function<void(absl::Duration waited, bool got)>;
  void SetAcquireObserver(AcquireObserver observer);

 private:
  absl::StatusOr<std::unique_ptr<Connection>> Open();
  absl::StatusOr<Lease> AcquireWaiting();
  void Return(std::unique_ptr<Connection> conn);
  absl::Status RunWithRetry(bool transactional,
                            const std::function<absl::Status(Connection&)>& fn);

  DbConfig config_;
  std::mutex mu_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Connection>> idle_;
  int open_ = 0;
  int waiting_ = 0;
  std::shared_ptr<const AcquireObserver> observer_;
};

// Maps a driver exception to a status: duplicate key -> ALREADY_EXISTS,
// deadlock / lock wait timeout -> ABORTED (retryable), lost or refused
// connection -> UNAVAILABLE, anything else INTERNAL. The message keeps the
// server's error code and the driver's text (which may name the server's
// socket path or host) for the log, but never bound parameter values; the
// status is marked (IsDriverError) so rpc::ToGrpcStatus shows callers a
// fixed text instead.
absl::Status StatusFromSqlException(const sql::SQLException& e);

// The mark of a status whose message is the driver's text.
inline constexpr char kDriverErrorPayloadUrl[] = "unionhub.db/DriverError";
bool IsDriverError(const absl::Status& status);

// True for the statuses InTransaction retries.
bool IsRetryable(const absl::Status& status);

}  // namespace unionhub::db

#endif  // UNIONHUB_COMMON_DB_POOL_H_
