// The payroll suspense list: rows of employers' deduction files that could
// not be applied, until someone applies them to a member or discards them
// (the money goes back to the employer).
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/core/dates.h"
#include "common/core/field_checks.h"
#include "common/core/text.h"
#include "common/rpc/idempotent.h"
#include "common/rpc/page_token.h"
#include "common/rpc/violations.h"
#include "services/finance/domain/accounts.h"
#include "services/finance/dues_payments.h"
#include "services/finance/finance_service.h"
#include "services/finance/store/dues_store.h"
#include "services/finance/store/ledger_store.h"
#include "services/finance/store/paths.h"

namespace unionhub::finance {
namespace {

using db::Connection;

constexpr text::TextRule kNoteRule{
    .min_chars = 0, .max_chars = 256, .allow_newlines = true};

const char* StatusName(v1::SuspenseStatus status) {
  switch (status) {
    case v1::SUSPENSE_STATUS_APPLIED:
      return "applied";
    case v1::SUSPENSE_STATUS_DISCARDED:
      return "discarded";
    default:
      return "open";
  }
}

// Applies an open item to `member_id` as a payment (the item's month first
// when the member owes it, else oldest first) and marks it applied; the
// ledger moves the money out of suspense.
absl::Status ApplyItem(Connection& conn, const store::SuspenseRow& row,
                       int64_t member_id, const v1::ResolveSuspenseRequest& req,
                       absl::CivilDay today, v1::ResolveSuspenseResponse* out) {
  const v1::SuspenseItem& item = row.item;
  absl::StatusOr<store::DuesMember> member =
      store::GetDuesMember(conn, member_id, /*for_update=*/true);
  if (!member.ok()) return member.status();
  DuesPaymentBatch batch(store::LockCharges(conn, {{member_id, item.month()}}));
  // The member is in the subtree where the money arrived, or was when the
  // item's month was charged (a late file from the union they have left).
  const store::Charge* month_charge = batch.Find(member_id, item.month());
  if (!absl::StartsWith(member->org_path, row.org_path) &&
      (month_charge == nullptr ||
       !absl::StartsWith(month_charge->org_path, row.org_path))) {
    return absl::FailedPreconditionError(absl::StrCat(
        "member ", member_id, " is not in org ", item.org_id(),
        "'s subtree, where suspense item ", item.suspense_id(),
        " was paid, and was not charged there for ", item.month()));
  }
  if (!CarriesMoney(item.amount_fen())) {
    return absl::FailedPreconditionError(
        absl::StrCat("suspense item ", item.suspense_id(),
                     " carries no money; discard it instead"));
  }
  DuesPaymentBatch::Payment payment;
  payment.member_id = member_id;
  payment.member_org_id = member->org_id;
  payment.amount = item.amount_fen();
  if (absl::StatusOr<absl::CivilMonth> month = dates::ParseMonth(item.month());
      month.ok()) {
    const store::Charge* charge = batch.Find(member_id, item.month());
    if (charge != nullptr && !charge->settled()) payment.named_month = *month;
  }
  payment.method = v1::PAYMENT_METHOD_PAYROLL_DEDUCTION;
  payment.paid_on = dates::FormatDate(today);
  payment.reference = absl::StrCat("suspense ", item.suspense_id());
  payment.request_id = req.request_id();
  payment.debit_account =
      domain::AccountName(domain::accounts::kDuesSuspense, item.org_id());
  absl::StatusOr<size_t> added = batch.Add(payment);
  if (!added.ok()) return added.status();
  batch.Write(conn);
  const int64_t payment_id = batch.payment_id(*added);
  store::MarkSuspenseApplied(conn, item.suspense_id(), member_id, payment_id,
                             req.note());
  domain::Entry entry;
  entry.kind = store::kSuspenseApplied;
  entry.memo = absl::StrCat("suspense item ", item.suspense_id(),
                            " applied to member ", member_id);
  entry.postings = batch.postings().Postings();
  absl::StatusOr<domain::Entry> posted =
      store::PostEntry(conn, std::move(entry), req.request_id());
  if (!posted.ok()) return posted.status();
  batch.SetEntry(conn, posted->entry_id);
  absl::StatusOr<v1::DuesPayment> stored = store::GetPayment(conn, payment_id);
  if (!stored.ok()) return stored.status();
  *out->mutable_payment() = *std::move(stored);
  return absl::OkStatus();
}

// Marks an open item discarded; its money (if any) becomes payable back to
// the employer.
absl::Status DiscardItem(Connection& conn, const store::SuspenseRow& row,
                         const v1::ResolveSuspenseRequest& req) {
  const v1::SuspenseItem& item = row.item;
  store::MarkSuspenseDiscarded(conn, item.suspense_id(), req.note());
  // An item with no money (amount outside 1..kMaxDuesPaymentFen as filed)
  // never reached the ledger.
  if (!CarriesMoney(item.amount_fen())) return absl::OkStatus();
  domain::Entry entry;
  entry.kind = store::kSuspenseDiscarded;
  entry.memo = absl::StrCat("suspense item ", item.suspense_id(),
                            " returned to employer ", item.employer_id());
  entry.postings = {
      {domain::AccountName(domain::accounts::kDuesSuspense, item.org_id()),
       item.amount_fen()},
      {domain::AccountName(domain::accounts::kPayableToEmployer, item.org_id()),
       -item.amount_fen()}};
  absl::StatusOr<domain::Entry> posted =
      store::PostEntry(conn, std::move(entry), req.request_id());
  if (!posted.ok()) return posted.status();
  store::SetSuspenseResolutionEntry(conn, item.suspense_id(), posted->entry_id);
  return absl::OkStatus();
}

}  // namespace

absl::Status FinanceServiceImpl::DoListSuspense(
    const rpc::Caller&, const v1::ListSuspenseRequest& req,
    v1::ListSuspenseResponse* resp) {
  Violations violations;
  fields::CheckOptionalId(req.org_id(), "org_id", violations);
  if (!v1::SuspenseStatus_IsValid(req.status())) {
    violations.Add("status", "unknown suspense status");
  }
  const rpc::Page page = rpc::ReadPage(req, violations);
  if (!violations.empty()) return violations.ToStatus();
  return pool_.Run([&](Connection& conn) -> absl::Status {
    absl::StatusOr<std::string> pattern =
        store::SubtreePatternOf(conn, req.org_id());
    if (!pattern.ok()) return pattern.status();
    std::vector<v1::SuspenseItem> items = store::ListSuspense(
        conn, *pattern, req.status(), page.after, page.fetch());
    const bool more = page.Trim(items);
    for (v1::SuspenseItem& item : items) *resp->add_items() = std::move(item);
    if (more) {
      resp->set_next_page_token(
          page.NextToken(resp->items(resp->items_size() - 1).suspense_id()));
    }
    return absl::OkStatus();
  });
}

absl::Status FinanceServiceImpl::DoResolveSuspense(
    const rpc::Caller& caller, const v1::ResolveSuspenseRequest& req,
    v1::ResolveSuspenseResponse* resp) {
  Violations violations;
  rpc::CheckRequestId(req.request_id(), violations);
  fields::CheckId(req.suspense_id(), "suspense_id", violations);
  if (req.discard()) {
    if (req.member_id() != 0) {
      violations.Add("member_id", "must be 0 when discarding the item");
    }
    if (req.note().empty()) {
      violations.Add("note", "is required when discarding: say why");
    }
  } else if (req.member_id() <= 0) {
    violations.Add("member_id",
                   "is required (> 0) unless the item is discarded");
  }
  text::Check(req.note(), "note", kNoteRule, violations);
  if (!violations.empty()) return violations.ToStatus();

  // The item's org decides who may resolve it (and the member, when it is
  // applied); neither changes, so both are checked before the transaction.
  absl::StatusOr<store::SuspenseRow> found;
  absl::Status read = pool_.Run([&](Connection& conn) {
    found = store::GetSuspense(conn, req.suspense_id(), /*for_update=*/false);
    return absl::OkStatus();
  });
  if (!read.ok()) return read;
  if (!found.ok()) return found.status();
  // An item outside the caller's scope is reported exactly as a missing
  // one: its existence (and org) is not the caller's to learn.
  if (absl::Status allowed = gate_.CheckOrg(caller, found->item.org_id());
      !allowed.ok()) {
    if (allowed.code() != absl::StatusCode::kPermissionDenied) return allowed;
    return absl::NotFoundError(
        absl::StrCat("suspense item ", req.suspense_id(), " does not exist"));
  }
  if (req.member_id() != 0) {
    if (absl::Status allowed = gate_.CheckMember(caller, req.member_id());
        !allowed.ok()) {
      return allowed;
    }
  }

  return rpc::RunIdempotent<v1::ResolveSuspenseResponse>(
      pool_, "ResolveSuspense", req.request_id(), req, resp,
      [&](Connection& conn, v1::ResolveSuspenseResponse* out) -> absl::Status {
        absl::StatusOr<store::SuspenseRow> row =
            store::GetSuspense(conn, req.suspense_id(), /*for_update=*/true);
        if (!row.ok()) return row.status();
        if (row->item.status() != v1::SUSPENSE_STATUS_OPEN) {
          return absl::FailedPreconditionError(
              absl::StrCat("suspense item ", req.suspense_id(), " was already ",
                           StatusName(row->item.status())));
        }
        absl::Status done = req.discard()
                                ? DiscardItem(conn, *row, req)
                                : ApplyItem(conn, *row, req.member_id(), req,
                                            clock_.Today(), out);
        if (!done.ok()) return done;
        absl::StatusOr<store::SuspenseRow> after =
            store::GetSuspense(conn, req.suspense_id(), /*for_update=*/false);
        if (!after.ok()) return after.status();
        *out->mutable_item() = std::move(after->item);
        return absl::OkStatus();
      });
}

}  // namespace unionhub::finance
