// Member dues in SQL: policies, assessment runs and charges, payments and
// their allocations, the payroll suspense list and the collection rollup.
// Bulk paths (assessment, payroll import) use multi-row statements in
// chunks and IN lists; nothing here makes one round trip per member.
#ifndef UNIONHUB_SERVICES_FINANCE_STORE_DUES_STORE_H_
#define UNIONHUB_SERVICES_FINANCE_STORE_DUES_STORE_H_

#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "absl/status/statusor.h"
#include "common/core/money.h"
#include "common/db/pool.h"
#include "services/finance/domain/dues.h"
#include "services/finance/store/roster_store.h"
#include "unionhub/finance/v1/finance.pb.h"

namespace unionhub::finance::store {

namespace v1 = ::unionhub::finance::v1;
using money::Fen;

// ------------------------------------------------------------- bulk shapes

// Row counts for multi-row statements over `n` rows: as many `max_chunk`
// as fit, then the binary decomposition of the rest. Statements are
// prepared and cached per connection by their text, so this keeps the
// number of distinct texts per statement to about log2(max_chunk).
std::vector<int> ChunkSizes(int n, int max_chunk);

// The IN-list length used for `n` (>= 1) values: the next power of two;
// the list is padded by repeating a value, which changes no result.
int PaddedCount(int n);

// Rows per multi-row "INSERT ... VALUES (?, ...), ..." (charges, payments,
// suspense rows). A prepared statement's driver memory grows with its
// placeholders (a 2,000-row suspense INSERT has 28,000) and stays cached
// per connection, and MariaDB spends more on one huge statement than on
// several small ones: sixteen concurrent 10k-row payroll imports measured
// 27-33k rows/s with finance at 116-125 MB after them (peak 258-299) in
// 2,000-row statements, 38-42k rows/s at 56-68 MB (peak 164-171) in
// 256-row ones (docs/performance.md, 2026-12-07).
inline constexpr int kValuesChunk = 256;

// Calls `fn(first, count)` for consecutive slices of `n` items, sized by
// ChunkSizes.
template <typename Fn>
void ForEachChunk(size_t n, int max_chunk, Fn fn) {
  size_t first = 0;
  for (int count : ChunkSizes(static_cast<int>(n), max_chunk)) {
    fn(first, static_cast<size_t>(count));
    first += count;
  }
}

// ---------------------------------------------------------------- policies

int64_t InsertDuesPolicy(db::Connection& conn, const v1::DuesPolicy& policy,
                         const std::string& scope_path);
absl::StatusOr<v1::DuesPolicy> GetDuesPolicy(db::Connection& conn,
                                             int64_t policy_id);
// Policies whose scope is `related_path`'s org, an ancestor or a
// descendant of it ("" for all), policy_id > after_id, in id order.
std::vector<v1::DuesPolicy> ListDuesPolicies(db::Connection& conn,
                                             const std::string& related_path,
                                             int64_t after_id, int limit);
std::vector<domain::DuesPolicy> LoadDuesPolicies(db::Connection& conn);

// ----------------------------------------------------------------- members

// A member as dues see them: finance's roster row plus the org's path.
struct DuesMember {
  int64_t member_id = 0;
  int64_t org_id = 0;
  std::string org_path;
  int status = 0;
  Fen credit = 0;
  std::string card_number;
  std::string national_id_index;  // raw 32 bytes
};

// NOT_FOUND when finance's roster does not know the member.
absl::StatusOr<DuesMember> GetDuesMember(db::Connection& conn,
                                         int64_t member_id, bool for_update);
// Members whose keyed national-ID hash / card number is in the list,
// locked for update.
std::vector<DuesMember> LockMembersByIndex(
    db::Connection& conn, const std::vector<std::string>& indexes);
std::vector<DuesMember> LockMembersByCard(
    db::Connection& conn, const std::vector<std::string>& cards);
// Locks the members' roster rows and returns the credit of those that have
// any.
std::map<int64_t, Fen> LockCredits(db::Connection& conn,
                                   const std::vector<int64_t>& member_ids);
// credit_fen += delta for each member.
void AddCredits(db::Connection& conn, const std::map<int64_t, Fen>& deltas);
// Each member's latest payment that left credit: where credit applied
// later is recorded as coming from.
std::map<int64_t, int64_t> LatestCreditingPayments(
    db::Connection& conn, const std::vector<int64_t>& member_ids);

// ----------------------------------------------------------------- charges

struct Charge {
  int64_t member_id = 0;
  std::string month;  // YYYY-MM
  int64_t org_id = 0;
  std::string org_path;
  Fen wage_base = 0;
  int64_t rate_bp = 0;
  Fen due = 0;
  Fen paid = 0;
  int64_t assessment_id = 0;
  bool settled() const { return paid >= due; }
};

// For each (member, month) pair: the member's open charges plus its charge
// for that month (settled or not), locked for update, by member and month.
std::vector<Charge> LockCharges(
    db::Connection& conn,
    const std::vector<std::pair<int64_t, std::string>>& member_months);
// The member's roster row and their open charges (by month), all locked
// for update, in one round trip; org_path is left empty (a payment needs
// the org id only). NOT_FOUND as GetDuesMember.
struct LockedMember {
  DuesMember member;
  std::vector<Charge> open_charges;
};
absl::StatusOr<LockedMember> LockMemberWithOpenCharges(db::Connection& conn,
                                                       int64_t member_id);
// A member's charges with from <= month <= to ("" = unbounded), by month.
std::vector<Charge> MemberCharges(db::Connection& conn, int64_t member_id,
                                  const std::string& from_month,
                                  const std::string& to_month);
// Inserts charges that do not exist yet; returns how many were inserted.
int64_t InsertCharges(db::Connection& conn, const std::vector<Charge>& charges);
// A charge whose paid amount a batch changed: as it is now, and whether it
// was settled when it was locked.
struct PaidCharge {
  Charge charge;
  bool was_settled = false;
};
// Writes paid_fen and settled of existing (locked) charges, and the change
// in each member's count of unsettled ones.
void UpdateChargePayments(db::Connection& conn,
                          const std::vector<PaidCharge>& changed);

// -------------------------------------------------------------- assessment

struct AssessmentCandidate {
  int64_t member_id = 0;
  int64_t org_id = 0;
  // What the dues rules look at (org path, wage): a fact a new rule needs
  // is added there and read here, and the assessment passes it on as is.
  domain::DuesPayer payer;
  bool already_charged = false;
};

// Serialises assessments of one month (see dues_assessed_months). Must be
// the first statement of the transaction after the idempotency lookup.
void LockAssessmentMonth(db::Connection& conn, const std::string& month);

// Members whose latest dated state on `last_day` (YYYY-MM-DD) is ACTIVE in
// an org whose path matches `subtree_pattern`, by member id, with whether
// they already have a charge for `month`.
std::vector<AssessmentCandidate> AssessmentCandidates(
    db::Connection& conn, const std::string& subtree_pattern,
    const std::string& last_day, const std::string& month);

struct Assessment {
  std::string month;
  int64_t org_id = 0;
  std::string org_path;
  int members_charged = 0;
  int already_charged = 0;
  Fen total_due = 0;
  Fen credit_applied = 0;
  std::string request_id;
};
int64_t InsertAssessment(db::Connection& conn, const Assessment& assessment);
void SetAssessmentEntry(db::Connection& conn, int64_t assessment_id,
                        int64_t entry_id);

// ---------------------------------------------------------------- payments

struct NewPayment {
  int64_t member_id = 0;
  int64_t org_id = 0;
  Fen amount = 0;
  int method = 0;
  std::string paid_on;  // YYYY-MM-DD
  std::string reference;
  Fen credited = 0;
  std::string request_id;
  int64_t entry_id = 0;  // 0: set later with SetPaymentEntries
};
// Returns the payments' ids, in order. All carry the same request_id.
// `created_at`, when given, receives each row's created_at as stored.
std::vector<int64_t> InsertPayments(
    db::Connection& conn, const std::vector<NewPayment>& payments,
    std::vector<std::string>* created_at = nullptr);
void SetPaymentEntries(db::Connection& conn, const std::vector<int64_t>& ids,
                       int64_t entry_id);

struct AllocationRow {
  int64_t payment_id = 0;
  int64_t member_id = 0;
  std::string month;
  Fen amount = 0;
};
// Adds to an existing (payment, month) allocation rather than failing.
void AddAllocations(db::Connection& conn,
                    const std::vector<AllocationRow>& allocations);

absl::StatusOr<v1::DuesPayment> GetPayment(db::Connection& conn,
                                           int64_t payment_id);
// A member's payments paid on from_day..to_day ("" = unbounded), oldest
// first, with their allocations.
std::vector<v1::DuesPayment> MemberPayments(db::Connection& conn,
                                            int64_t member_id,
                                            const std::string& from_day,
                                            const std::string& to_day);

// ----------------------------------------------------------------- rollup

// Accumulates changes to collection_rollup and writes them in one
// multi-row upsert: each change counts for every org on the charge's path
// and, in the own_* columns, for the charged org itself. Each Flush adds to
// one of kRollupShards rows per (org, month), taken round robin, so
// concurrent writers do not queue on a shared ancestor's row; readers sum
// an org's shards (migration 0007).
class CollectionRollup {
 public:
  static constexpr int kRollupShards = 16;

  struct Delta {
    Fen due = 0;
    Fen paid = 0;
    int64_t charged = 0;
    int64_t paid_members = 0;
  };
  void Add(const std::string& org_path, const std::string& month,
           const Delta& delta);
  void Flush(db::Connection& conn);

 private:
  static int64_t NextShard();

  struct Row {
    Delta subtree;
    Delta own;
  };
  std::map<std::pair<int64_t, std::string>, Row> rows_;
};

// ---------------------------------------------------------------- suspense

struct NewSuspense {
  int64_t employer_id = 0;
  int64_t org_id = 0;
  std::string org_path;
  std::string national_id_masked;
  std::string national_id_index;  // raw bytes; empty = NULL
  std::string card_number;
  std::string name;
  std::string month;
  Fen amount = 0;
  std::string reason;
  std::string request_id;
  int row_number = 0;
};
// Returns the items' ids, in order. All carry the same request_id.
std::vector<int64_t> InsertSuspense(db::Connection& conn,
                                    const std::vector<NewSuspense>& items);
void SetSuspenseEntries(db::Connection& conn, const std::vector<int64_t>& ids,
                        int64_t entry_id);

struct SuspenseRow {
  v1::SuspenseItem item;
  std::string org_path;
};
// NOT_FOUND when there is no such item.
absl::StatusOr<SuspenseRow> GetSuspense(db::Connection& conn,
                                        int64_t suspense_id, bool for_update);
// Items whose org path matches `subtree_pattern` with the given status
// (0 = any), suspense_id > after_id, in id order.
std::vector<v1::SuspenseItem> ListSuspense(db::Connection& conn,
                                           const std::string& subtree_pattern,
                                           int status, int64_t after_id,
                                           int limit);
void MarkSuspenseApplied(db::Connection& conn, int64_t suspense_id,
                         int64_t member_id, int64_t payment_id,
                         const std::string& note);
void MarkSuspenseDiscarded(db::Connection& conn, int64_t suspense_id,
                           const std::string& note);
void SetSuspenseResolutionEntry(db::Connection& conn, int64_t suspense_id,
                                int64_t entry_id);

// --------------------------------------------------------------- employers

}  // namespace unionhub::finance::store

#endif  // UNIONHUB_SERVICES_FINANCE_STORE_DUES_STORE_H_
