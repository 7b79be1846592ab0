// A MariaDB server of one fault test's own: its data directory under the
// test's temporary directory, its own socket and TCP port, durable settings
// (innodb_flush_log_at_trx_commit=1, doublewrite on), started as a child
// process so the test can SIGKILL it and start it again on the same data
// (crash recovery included), as scripts/lib.sh start_mariadb does for the
// shared test server.
//
// mariadb-install-db takes ~10 s on this machine, so it runs once per build
// directory into a template that each server copies (under a file lock, as
// ctest may start several test processes).
#ifndef UNIONHUB_TESTS_FAULT_PRIVATE_MARIADB_H_
#define UNIONHUB_TESTS_FAULT_PRIVATE_MARIADB_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/db/pool.h"
#include "tests/system/process.h"

namespace unionhub::testing {

class PrivateMariaDb {
 public:
  // Data, socket and logs under `dir` (which must exist; the socket path
  // must stay under ~100 characters).
  explicit PrivateMariaDb(std::string dir);
  ~PrivateMariaDb();  // SIGKILLs the server if it still runs

  // Starts the server (copying the template on the first start) and waits
  // until it answers. `extra_args` are added to mariadbd's command line
  // for this start only (e.g. "--innodb-read-only").
  absl::Status Start(const std::vector<std::string>& extra_args = {},
                     absl::Duration timeout = absl::Seconds(60));
  // kill -9: no shutdown, no flush beyond what InnoDB already made durable.
  void Kill();
  // A clean shutdown (SIGTERM), waited for.
  absl::Status Stop(absl::Duration timeout = absl::Seconds(60));
  bool Running();

  // root over the socket, on `schema` ("" for none).
  db::DbConfig RootConfig(const std::string& schema = "") const;
  // Runs `sql` as root (no schema) once; for set-up and for the test's own
  // SET GLOBAL statements.
  absl::Status Exec(const std::string& sql) const;

  const std::string& socket_path() const { return socket_; }
  int port() const { return port_; }
  std::string ReadLog() const;

 private:
  absl::Status EnsureDataDir();

  std::string dir_;
  std::string datadir_;
  std::string socket_;
  int port_ = 0;
  int starts_ = 0;
  std::unique_ptr<ChildProcess> server_;
};

}  // namespace unionhub::testing

#endif  // UNIONHUB_TESTS_FAULT_PRIVATE_MARIADB_H_
