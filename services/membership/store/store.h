// SQL for the membership schema. Every function runs on a connection the
// caller holds (usually inside Pool::InTransaction), so a handler composes
// several of them into one transaction. Driver exceptions propagate to the
// pool, which maps them to statuses and retries deadlocks; expected
// outcomes (not found) are returned as statuses.
#ifndef UNIONHUB_SERVICES_MEMBERSHIP_STORE_STORE_H_
#define UNIONHUB_SERVICES_MEMBERSHIP_STORE_STORE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "common/db/pool.h"
#include "unionhub/membership/v1/membership.pb.h"

namespace unionhub::membership::store {

namespace v1 = ::unionhub::membership::v1;
using db::Connection;

// ------------------------------------------------------------------ orgs

struct OrgRow {
  v1::Org org;       // with employer filled for grassroots unions
  std::string path;  // '/1/5/23/'
};

absl::StatusOr<OrgRow> GetOrg(Connection& conn, int64_t org_id,
                              bool for_update = false);

struct NewOrg {
  v1::Org org;  // type, name, region_code, legal_person_*
  int64_t parent_id = 0;
  std::string parent_path;  // "/" for a root
  v1::OrgStatus status = v1::ORG_STATUS_ESTABLISHED;
  std::optional<std::string> established_on;
  std::optional<int64_t> employer_id;
};
// Inserts the org and fills in its path; returns the new id.
int64_t InsertOrg(Connection& conn, const NewOrg& org);

// Name, region and legal-person fields of an existing org.
void UpdateOrgAttributes(Connection& conn, const v1::Org& org);

// Re-roots the subtree at `org` under `new_parent_path`, rewriting the path
// of every descendant and of every employer counted there.
void MoveOrg(Connection& conn, const OrgRow& org, int64_t new_parent_id,
             const std::string& new_parent_path);

void SetOrgEstablished(Connection& conn, int64_t org_id,
                       const std::string& established_on);
void SetOrgDissolved(Connection& conn, int64_t org_id,
                     const std::string& dissolved_on,
                     const std::string& reason);

// Children that are not dissolved, and members not in a terminal status,
// directly in the org: what stops it from being dissolved.
int64_t CountLiveChildren(Connection& conn, int64_t org_id);
int64_t CountLiveMembers(Connection& conn, int64_t org_id);

struct OrgFilter {
  int64_t parent_id = 0;
  std::string subtree_path;  // set for recursive listing (excludes the root)
  v1::OrgType type = v1::ORG_TYPE_UNSPECIFIED;
  v1::OrgStatus status = v1::ORG_STATUS_UNSPECIFIED;
};
std::vector<v1::Org> ListOrgs(Connection& conn, const OrgFilter& filter,
                              int64_t after_id, int limit);

// ------------------------------------------------------------- employers

absl::StatusOr<v1::Employer> GetEmployer(Connection& conn, int64_t employer_id,
                                         bool for_update = false);
int64_t InsertEmployer(Connection& conn, const v1::Employer& employer,
                       const std::string& coverage_path);
void LinkEmployerToUnion(Connection& conn, int64_t employer_id,
                         int64_t union_org_id, const std::string& union_path);
void UpdateEmployer(Connection& conn, const v1::Employer& employer);
bool CreditCodeExists(Connection& conn, const std::string& credit_code);

// `without_union_only`: employers with no union, or whose union dissolved.
std::vector<v1::Employer> ListEmployers(Connection& conn,
                                        const std::string& subtree_path,
                                        bool without_union_only,
                                        int64_t after_id, int limit);

// --------------------------------------------------------------- members

absl::StatusOr<v1::Member> GetMember(Connection& conn, int64_t member_id,
                                     bool for_update = false);
absl::StatusOr<v1::Member> FindMemberByNationalId(
    Connection& conn, const std::string& national_id, bool for_update = false);
absl::StatusOr<v1::Member> FindMemberByCard(Connection& conn,
                                            const std::string& card_number);
// Members holding any of these national IDs, keyed by ID, locked.
std::map<std::string, v1::Member> FindMembersByNationalIds(
    Connection& conn, const std::vector<std::string>& national_ids);

// Reserves `count` consecutive member ids; returns the first.
int64_t AllocateMemberIds(Connection& conn, int count);
std::string CardNumberFor(int64_t member_id);

// Inserts new members (member_id and card_number already set) together
// with their first period and JOINED history entry.
void InsertNewMembers(Connection& conn, const std::vector<v1::Member>& members,
                      const std::string& request_id);

// Members with ids in [first, last], in id order.
std::vector<v1::Member> GetMembersInRange(Connection& conn, int64_t first,
                                          int64_t last);

// Writes every mutable column of `member` (the whole current state).
void SaveMember(Connection& conn, const v1::Member& member);

// Starts a new period at `effective_on` (closing the current one), or
// rewrites the current one when it started that same day. FAILED_PRECONDITION
// when `effective_on` is before the current period began.
absl::Status ChangePeriod(Connection& conn, int64_t member_id,
                          absl::CivilDay effective_on, int64_t org_id,
                          v1::MemberStatus status);
// The day the member's current period started.
absl::StatusOr<absl::CivilDay> CurrentPeriodStart(Connection& conn,
                                                  int64_t member_id);

void InsertHistory(Connection& conn, int64_t member_id,
                   const v1::HistoryEntry& entry);
std::vector<v1::HistoryEntry> ListHistory(Connection& conn, int64_t member_id);

struct MemberFilter {
  std::string subtree_path;  // members of orgs under this path, or
  int64_t org_id = 0;        // of this org only when direct_only
  v1::MemberStatus status = v1::MEMBER_STATUS_UNSPECIFIED;
  bool front_line_only = false;
  bool migrant_worker_only = false;
  bool enterprise_leader_only = false;
  v1::ModelWorkerLevel min_model_worker_level =
      v1::MODEL_WORKER_LEVEL_UNSPECIFIED;
  // Names starting with this text, matched literally (% and _ are not
  // wildcards); empty for any name. Index members_name (0003).
  std::string name_prefix;
};
std::vector<v1::Member> ListMembers(Connection& conn,
                                    const MemberFilter& filter,
                                    int64_t after_id, int limit);

// ---------------------------------------------------------------- events

// Events written by one transaction. Flush takes the sequence numbers last,
// just before commit (see the events table).
class EventBatch {
 public:
  void Add(v1::Event event) { events_.push_back(std::move(event)); }
  bool empty() const { return events_.empty(); }
  // Returns the highest sequence written (0 when empty).
  int64_t Flush(Connection& conn, const std::string& request_id);

 private:
  std::vector<v1::Event> events_;
};

std::vector<v1::Event> ReadEvents(Connection& conn, int64_t after_sequence,
                                  int limit);
int64_t LastEventSequence(Connection& conn);

// -------------------------------------------------------------- coverage

struct CoverageCounts {
  int64_t workers = 0;
  int64_t members = 0;
  int64_t employers = 0;
  int64_t employers_with_union = 0;
};

// Counts for the subtree at `root_path`, keyed by the id of the direct
// child each row falls under (0: the root org itself).
std::map<int64_t, CoverageCounts> CoverageByChild(Connection& conn,
                                                  const std::string& root_path,
                                                  const std::string& as_of);

}  // namespace unionhub::membership::store

#endif  // UNIONHUB_SERVICES_MEMBERSHIP_STORE_STORE_H_
