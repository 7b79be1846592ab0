#include "services/finance/dues_payments.h"

#include "absl/strings/str_cat.h"
#include "common/core/dates.h"
#include "common/core/field_checks.h"
#include "common/db/timestamps.h"
#include "services/finance/domain/accounts.h"
#include "services/finance/store/ledger_store.h"

namespace unionhub::finance {

absl::CivilDay PaidOnOrToday(absl::string_view text, absl::string_view field,
                             absl::CivilDay today, Violations& violations) {
  return fields::CheckPastDateOrToday(text, field, today, violations);
}

absl::Status RecordDuesPaymentInTransaction(
    db::Connection& conn, const v1::RecordDuesPaymentRequest& req,
    std::optional<absl::CivilMonth> month, absl::CivilDay paid_on,
    v1::RecordDuesPaymentResponse* out) {
  // The member row first, then the charges: the same order as every other
  // dues writer, so they queue rather than deadlock.
  absl::StatusOr<store::LockedMember> locked =
      store::LockMemberWithOpenCharges(conn, req.member_id());
  if (!locked.ok()) return locked.status();
  const store::DuesMember& member = locked->member;
  DuesPaymentBatch batch(locked->open_charges);
  DuesPaymentBatch::Payment payment;
  payment.member_id = member.member_id;
  payment.member_org_id = member.org_id;
  payment.amount = req.amount_fen();
  payment.named_month = month;
  payment.method = req.method();
  payment.paid_on = dates::FormatDate(paid_on);
  payment.reference = req.reference();
  payment.request_id = req.request_id();
  payment.debit_account =
      domain::AccountName(domain::accounts::kCash, member.org_id);
  absl::StatusOr<size_t> added = batch.Add(payment);
  if (!added.ok()) return added.status();
  // The entry's id first, so the payment row is written with it rather
  // than updated after the entry (a round trip less).
  domain::Entry entry;
  entry.kind = store::kDuesPaid;
  entry.memo = absl::StrCat("dues paid by member ", member.member_id);
  entry.postings = batch.postings().Postings();
  store::ReserveEntry(conn, entry);
  batch.Write(conn, entry.entry_id);
  absl::StatusOr<domain::Entry> posted =
      store::PostEntry(conn, std::move(entry), req.request_id());
  if (!posted.ok()) return posted.status();
  // Built from what was written: reading it back took two more.
  *out->mutable_payment() = batch.Stored(*added);
  out->set_credit_balance_fen(member.credit + batch.settlement(*added).credit);
  return absl::OkStatus();
}

DuesPaymentBatch::DuesPaymentBatch(const std::vector<store::Charge>& charges) {
  for (const store::Charge& c : charges) charges_[c.member_id][c.month] = c;
}

const store::Charge* DuesPaymentBatch::Find(int64_t member_id,
                                            const std::string& month) const {
  auto member = charges_.find(member_id);
  if (member == charges_.end()) return nullptr;
  auto charge = member->second.find(month);
  return charge == member->second.end() ? nullptr : &charge->second;
}

absl::StatusOr<size_t> DuesPaymentBatch::Add(const Payment& payment) {
  std::map<std::string, store::Charge>& charges = charges_[payment.member_id];
  std::vector<domain::OpenCharge> open;
  for (const auto& [month, charge] : charges) {
    if (charge.settled()) continue;
    absl::StatusOr<absl::CivilMonth> parsed = dates::ParseMonth(month);
    if (!parsed.ok()) continue;  // written by AssessDues: always valid
    open.push_back({*parsed, charge.due, charge.paid});
  }
  absl::StatusOr<domain::SettlementResult> settled =
      domain::Settle(payment.amount, std::move(open), payment.named_month);
  if (!settled.ok()) return settled.status();

  for (const domain::Allocation& a : settled->allocations) {
    store::Charge& charge = charges.at(dates::FormatMonth(a.month));
    const bool was_settled = charge.settled();
    charge.paid += a.amount;
    dirty_.emplace(std::make_pair(charge.member_id, charge.month),
                   was_settled);  // as locked: the first change keeps it
    rollup_.Add(charge.org_path, charge.month,
                {0, a.amount, 0, !was_settled && charge.settled() ? 1 : 0});
    postings_.Credit(
        domain::AccountName(domain::accounts::kDuesReceivable, charge.org_id),
        a.amount);
  }
  postings_.Debit(payment.debit_account, payment.amount);
  if (settled->credit > 0) {
    postings_.Credit(domain::AccountName(domain::accounts::kMemberCredit,
                                         payment.member_org_id),
                     settled->credit);
    credit_deltas_[payment.member_id] += settled->credit;
  }
  store::NewPayment row;
  row.member_id = payment.member_id;
  row.org_id = payment.member_org_id;
  row.amount = payment.amount;
  row.method = payment.method;
  row.paid_on = payment.paid_on;
  row.reference = payment.reference;
  row.credited = settled->credit;
  row.request_id = payment.request_id;
  payments_.push_back(std::move(row));
  settlements_.push_back(*std::move(settled));
  total_ += payment.amount;
  return payments_.size() - 1;
}

void DuesPaymentBatch::Write(db::Connection& conn, int64_t entry_id) {
  if (payments_.empty()) return;
  entry_id_ = entry_id;
  for (store::NewPayment& p : payments_) p.entry_id = entry_id;
  created_at_.clear();
  ids_ = store::InsertPayments(conn, payments_, &created_at_);
  std::vector<store::AllocationRow> allocations;
  for (size_t i = 0; i < payments_.size(); ++i) {
    for (const domain::Allocation& a : settlements_[i].allocations) {
      allocations.push_back({ids_[i], payments_[i].member_id,
                             dates::FormatMonth(a.month), a.amount});
    }
  }
  store::AddAllocations(conn, allocations);
  std::vector<store::PaidCharge> changed;
  for (const auto& [key, was_settled] : dirty_) {
    changed.push_back({charges_.at(key.first).at(key.second), was_settled});
  }
  store::UpdateChargePayments(conn, changed);
  store::AddCredits(conn, credit_deltas_);
  // Last: rollup rows are shared by every writer in the subtree, so their
  // locks should be held only for the ledger entry and the commit.
  rollup_.Flush(conn);
}

void DuesPaymentBatch::SetEntry(db::Connection& conn, int64_t entry_id) {
  entry_id_ = entry_id;
  store::SetPaymentEntries(conn, ids_, entry_id);
}

v1::DuesPayment DuesPaymentBatch::Stored(size_t i) const {
  const store::NewPayment& row = payments_.at(i);
  v1::DuesPayment p;
  p.set_payment_id(ids_.at(i));
  p.set_member_id(row.member_id);
  p.set_amount_fen(row.amount);
  p.set_method(static_cast<v1::PaymentMethod>(row.method));
  p.set_paid_on(row.paid_on);
  p.set_reference(row.reference);
  p.set_credited_fen(row.credited);
  p.set_entry_id(entry_id_);
  db::SetFromDbTimestamp(created_at_.at(i), p.mutable_create_time());
  // By month, as dues_allocations holds them (one row a month).
  std::map<std::string, money::Fen> by_month;
  for (const domain::Allocation& a : settlements_.at(i).allocations) {
    by_month[dates::FormatMonth(a.month)] += a.amount;
  }
  for (const auto& [month, amount] : by_month) {
    v1::MonthAllocation* a = p.add_allocations();
    a->set_month(month);
    a->set_amount_fen(amount);
  }
  return p;
}

}  // namespace unionhub::finance
