// The load of the database-kill experiments, shared by the fault suite
// (one MariaDB killed) and the cluster suite (a Galera node killed): two
// clients joining members (membership) and two recording dues payments
// (finance), each request retried with its request_id until acknowledged,
// and the exactly-once checks afterwards: every acknowledged join and
// payment present once with its id and amount, nothing else; sums, charges
// against their allocations, rollups against the raw rows, the roster
// following every join once, and VerifyLedger.
#ifndef UNIONHUB_TESTS_FAULT_DUES_LOAD_H_
#define UNIONHUB_TESTS_FAULT_DUES_LOAD_H_

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/time/time.h"
#include "tests/fault/calls.h"
#include "unionhub/finance/v1/finance.grpc.pb.h"
#include "unionhub/membership/v1/membership.grpc.pb.h"

namespace unionhub::testing {

struct DuesLoadEnv {
  membership::v1::MembershipService::Stub* members = nullptr;
  finance::v1::FinanceService::Stub* dues = nullptr;
  finance::v1::AuditService::Stub* audit = nullptr;
  // Raw rows of `sql` on membership's (finance = false) or finance's schema.
  std::function<std::vector<std::vector<std::string>>(bool finance,
                                                      const std::string& sql)>
      rows;
  // How long a client keeps retrying one request before giving up.
  absl::Duration give_up_after = absl::Seconds(90);
  // Prefix of every request_id (several loads may share a schema).
  std::string tag = "dues";
};

// What the checks found, for the test's report line.
struct DuesOutcome {
  int64_t acknowledged = 0;
  int64_t joins = 0;
  int64_t payments = 0;
  int64_t lost = 0;
  int64_t duplicated = 0;
  int64_t gave_up = 0;
  int64_t ledger_entries = 0;
  std::map<int, int> retried_codes;  // grpc code -> failures retried
  std::string retried;               // "code x count" pairs
  std::string lost_ids;              // request_ids of lost writes
};

class DuesLoad {
 public:
  explicit DuesLoad(DuesLoadEnv env);
  ~DuesLoad();  // stops the clients

  // A county and a township, `base` members (who the payments are for),
  // the roster caught up, a dues policy and the month assessed. Fails the
  // test (ADD_FAILURE) and returns false when a step fails.
  bool Prepare(int base = 30);
  // Starts two joiners and two payers.
  void Start();
  int64_t Acknowledged();
  // Failures retried so far, of any code.
  int64_t Retried();
  // Waits until one more write than now is acknowledged; how long it took
  // (or `timeout` when none came).
  absl::Duration UntilNextAcknowledgement(absl::Duration timeout);
  void Stop();
  // The exactly-once checks (EXPECTs); call after Stop.
  DuesOutcome Check();

 private:
  int64_t Int(bool finance, const std::string& sql);
  bool UntilAcknowledged(const std::function<grpc::Status()>& once);
  membership::v1::JoinMemberRequest JoinRequest(int i) const;

  DuesLoadEnv env_;
  int64_t org_id_ = 0;
  std::vector<int64_t> base_;
  std::vector<membership::v1::ImportMembersRequest> people_;
  std::atomic<bool> stop_{false};
  std::atomic<int> next_person_{0};
  std::vector<std::thread> clients_;

  std::mutex mu_;
  std::map<std::string, int64_t> joins_;  // request_id -> member_id
  std::map<std::string, std::pair<int64_t, int64_t>>
      payments_;                // request_id -> (payment_id, amount)
  std::map<int, int> retried_;  // grpc code -> count
  int gave_up_ = 0;
};

}  // namespace unionhub::testing

#endif  // UNIONHUB_TESTS_FAULT_DUES_LOAD_H_
