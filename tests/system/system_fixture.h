// The fixture shared by the membership system tests: a fresh schema, a
// temporary directory for service logs, and the service processes a test
// starts. Teardown kills every process that is still running (whether or
// not the test's assertions passed) and, when the test failed, keeps the
// log directory and prints the tail of each log.
#ifndef UNIONHUB_TESTS_SYSTEM_SYSTEM_FIXTURE_H_
#define UNIONHUB_TESTS_SYSTEM_SYSTEM_FIXTURE_H_

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "tests/support/test_env.h"
#include "tests/system/process.h"
#include "unionhub/membership/v1/membership.grpc.pb.h"

namespace unionhub::testing {

namespace mv1 = ::unionhub::membership::v1;

class MembershipSystemTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // A new (not yet started) process on this test's schema. Owned by the
  // fixture. It runs as an account of its own that root migrated the schema
  // for and granted (as scripts/up does); with `own_db_account` false, as
  // root, migrating the schema itself at start-up.
  MembershipProcess& NewProcess(const std::string& name,
                                int shutdown_grace_seconds = 5,
                                bool own_db_account = true);

  TestDatabase& database() { return *database_; }
  // A stub on a new channel to `process`, calling with an admin token.
  std::unique_ptr<mv1::MembershipService::Stub> StubFor(
      const MembershipProcess& process) const;
  const std::string& admin_token() const { return admin_token_; }

  // Raw rows of `sql` (every column as a string, NULL as "NULL").
  std::vector<std::vector<std::string>> QueryRows(const std::string& sql);
  // QueryValue as an integer (-1 when empty or not a number), with `args`
  // bound to the statement's ? placeholders.
  template <typename... Args>
  int64_t QueryInt(const std::string& sql, const Args&... args) {
    int64_t value = -1;
    const std::string text = database_->QueryValue(sql, args...);
    if (!absl::SimpleAtoi(text, &value)) return -1;
    return value;
  }
  // Connections to this test's schema other than the test's own (a killed
  // service's sessions linger until MariaDB notices and rolls them back).
  int64_t OtherSessionsOnSchema();
  // Waits (up to `timeout`) until no other session uses the schema.
  bool WaitForOtherSessionsToClose(absl::Duration timeout);

  // CreateOrg over `stub`; fails the test (ADD_FAILURE) on error.
  mv1::Org CreateOrg(mv1::MembershipService::Stub& stub, mv1::OrgType type,
                     int64_t parent_id, const std::string& name);

 private:
  std::unique_ptr<TestDatabase> database_;
  std::unique_ptr<TempDir> logs_;
  std::string admin_token_;
  // Declared last: destroyed (killed) before the schema is dropped.
  std::vector<std::unique_ptr<MembershipProcess>> processes_;
};

// Raw rows of `sql` run on `pool` (every column as a string, NULL as
// "NULL"); fails the test (EXPECT) on error.
std::vector<std::vector<std::string>> QueryRowsOn(db::Pool& pool,
                                                  const std::string& sql);

// The rows of a collective registration: `count` valid, distinct people
// (national IDs from MakeNationalId over count/1000+1 birth dates), with
// row_number i+1 and no org_id (they join the header's default org).
std::vector<mv1::ImportMembersRequest> MakeImportRows(int count);

mv1::ImportMembersRequest MakeImportHeader(const std::string& request_id,
                                           int64_t default_org_id);

// One whole ImportMembers call: header, every row, WritesDone, Finish.
struct ImportCall {
  grpc::Status status;
  mv1::ImportMembersResponse response;
  absl::Duration elapsed;
};
ImportCall RunImport(mv1::MembershipService::Stub& stub,
                     const mv1::ImportMembersRequest& header,
                     const std::vector<mv1::ImportMembersRequest>& rows,
                     absl::Duration timeout);

}  // namespace unionhub::testing

#endif  // UNIONHUB_TESTS_SYSTEM_SYSTEM_FIXTURE_H_
