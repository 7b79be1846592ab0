// Dues payments settled in memory against members' locked charges and then
// written together: shared by RecordDuesPayment (one payment), the payroll
// import (a batch of rows) and ResolveSuspense. The ledger entry is left to
// the caller, who posts it last and then calls SetEntry, or reserves it
// first (store::ReserveEntry) and hands its id to Write. Reserving takes
// the ledger gate's shared lock, which the sealer waits for: a batch of
// thousands of rows posts last, so it holds the gate only for its entry.
#ifndef UNIONHUB_SERVICES_FINANCE_DUES_PAYMENTS_H_
#define UNIONHUB_SERVICES_FINANCE_DUES_PAYMENTS_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "common/core/violations.h"
#include "common/db/pool.h"
#include "services/finance/domain/postings.h"
#include "services/finance/domain/settlement.h"
#include "services/finance/store/dues_store.h"

namespace unionhub::finance {

// Above this a single dues payment (or payroll row) is certainly a mistake;
// the cap also keeps every sum of a batch far from int64 overflow.
inline constexpr money::Fen kMaxDuesPaymentFen = money::kMaxMemberAmountFen;

// Whether a payroll row's (or suspense item's) amount is money at all: rows
// outside 1..kMaxDuesPaymentFen are parked but never reach the ledger, the
// suspended total or a payment.
inline bool CarriesMoney(money::Fen amount) {
  return amount > 0 && amount <= kMaxDuesPaymentFen;
}

// "YYYY-MM-DD" not after today, or today when empty; a violation on `field`
// otherwise.
absl::CivilDay PaidOnOrToday(absl::string_view text, absl::string_view field,
                             absl::CivilDay today, Violations& violations);

// RecordDuesPayment's work inside the caller's transaction, `req` already
// validated (`month` and `paid_on` are its parsed fields): locks the member
// and their open charges, settles the payment against them, writes the
// payment, allocations, charges, credit, rollup and ledger entry, and fills
// `out` from what it wrote. The handler runs it under rpc::RunIdempotent;
// the benchmark runs the same on a bare connection as the payment's raw
// baseline, so the two execute the same statements.
absl::Status RecordDuesPaymentInTransaction(
    db::Connection& conn, const v1::RecordDuesPaymentRequest& req,
    std::optional<absl::CivilMonth> month, absl::CivilDay paid_on,
    v1::RecordDuesPaymentResponse* out);

class DuesPaymentBatch {
 public:
  // The locked charges of every member this batch may pay (open ones, and
  // any others a caller wants to look at with Find).
  explicit DuesPaymentBatch(const std::vector<store::Charge>& charges);

  struct Payment {
    int64_t member_id = 0;
    int64_t member_org_id = 0;  // the member's org now: holds their credit
    money::Fen amount = 0;
    std::optional<absl::CivilMonth> named_month;
    int method = 0;
    std::string paid_on;  // YYYY-MM-DD
    std::string reference;
    std::string request_id;
    // Where the money came from: cash at an org, or the suspense account.
    std::string debit_account;
  };

  // Settles `payment` against the member's charges as earlier payments of
  // this batch left them (domain::Settle: the named month first, then the
  // oldest open month, the rest kept as credit). On error nothing changes.
  absl::StatusOr<size_t> Add(const Payment& payment);

  // The member's charge for `month` as it stands in the batch, or nullptr
  // when the member has none (or it was not loaded).
  const store::Charge* Find(int64_t member_id, const std::string& month) const;

  // Writes the payments, allocations, charges, credit and (last) the
  // rollup; call it as the last step before posting the ledger entry.
  // `entry_id`, when the caller reserved the entry (store::ReserveEntry),
  // is written with the payments and SetEntry is not needed.
  void Write(db::Connection& conn, int64_t entry_id = 0);
  // Records the ledger entry the caller posted for the batch.
  void SetEntry(db::Connection& conn, int64_t entry_id);

  const domain::PostingSet& postings() const { return postings_; }
  size_t size() const { return payments_.size(); }
  int64_t payment_id(size_t i) const { return ids_.at(i); }
  // Payment `i` as stored (after Write with an entry id): what GetPayment
  // would read back, built from what was written.
  v1::DuesPayment Stored(size_t i) const;
  const domain::SettlementResult& settlement(size_t i) const {
    return settlements_.at(i);
  }
  money::Fen total() const { return total_; }

 private:
  // By member, then month.
  std::map<int64_t, std::map<std::string, store::Charge>> charges_;
  // Charges changed by the batch, and whether each was settled when locked.
  std::map<std::pair<int64_t, std::string>, bool> dirty_;
  std::vector<store::NewPayment> payments_;
  std::vector<domain::SettlementResult> settlements_;
  std::vector<int64_t> ids_;
  std::vector<std::string> created_at_;
  int64_t entry_id_ = 0;
  std::map<int64_t, money::Fen> credit_deltas_;
  store::CollectionRollup rollup_;
  domain::PostingSet postings_;
  money::Fen total_ = 0;
};

}  // namespace unionhub::finance

#endif  // UNIONHUB_SERVICES_FINANCE_DUES_PAYMENTS_H_
