// A service's own database account in a system test, set up the way
// scripts/up sets it up: created empty by root, then the service binary run
// with root's credentials as `--migrate_only --grant_to=<account>`
// (migrations, then db::GrantServiceUser), so the service then runs with
// only the privileges production gives it.
#ifndef UNIONHUB_TESTS_SYSTEM_DB_ACCOUNT_H_
#define UNIONHUB_TESTS_SYSTEM_DB_ACCOUNT_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/db/pool.h"

namespace unionhub::testing {

class ServiceDbAccount {
 public:
  // A new account (random name and password) for hosts '%' and 'localhost'
  // with no privileges; `admin` is root on the service's schema.
  static absl::StatusOr<std::unique_ptr<ServiceDbAccount>> Create(
      const db::DbConfig& admin);
  ~ServiceDbAccount();  // drops the account
  ServiceDbAccount(const ServiceDbAccount&) = delete;
  ServiceDbAccount& operator=(const ServiceDbAccount&) = delete;

  // `binary --migrate_only --grant_to=<this account>` with the admin's
  // credentials; OK once it exited 0 (else the tail of `log_path`).
  absl::Status MigrateAndGrant(const std::string& binary,
                               const std::string& log_path);
  // Runs one statement as the administrator, once per host of the account
  // with `{grantee}` replaced by it (e.g. an old GRANT ALL to take away).
  absl::Status AdminExecForEachHost(const std::string& sql);

  // The account on the service's schema.
  const db::DbConfig& config() const { return config_; }

 private:
  ServiceDbAccount(const db::DbConfig& admin, std::string user,
                   std::string password);

  db::DbConfig admin_;
  db::DbConfig config_;
};

}  // namespace unionhub::testing

#endif  // UNIONHUB_TESTS_SYSTEM_DB_ACCOUNT_H_
