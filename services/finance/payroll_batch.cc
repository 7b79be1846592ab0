#include "services/finance/payroll_batch.h"

#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/core/dates.h"
#include "common/core/ids.h"
#include "common/core/money.h"
#include "common/core/text.h"
#include "common/crypto/pii_global.h"
#include "services/finance/domain/accounts.h"
#include "services/finance/dues_payments.h"
#include "services/finance/store/dues_store.h"
#include "services/finance/store/ledger_store.h"

namespace unionhub::finance {
namespace {

using db::Connection;

constexpr text::TextRule kNameRule{.min_chars = 0, .max_chars = 64};
constexpr text::TextRule kFileTextRule{.min_chars = 0, .max_chars = 32};

// `raw` when it is acceptable text, else "" (the row's reason says why).
std::string Storable(absl::string_view raw, const text::TextRule& rule,
                     size_t max_chars) {
  return text::Problem(raw, rule) ? "" : text::Prefix(raw, max_chars);
}

// What is kept of a national ID that failed validation: masked, and only
// when it looks enough like one that masking hides the middle.
std::string MaskInvalid(absl::string_view raw) {
  if (raw.size() > 18) return "";
  for (char c : raw) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c))) return "";
  }
  return ids::MaskNationalId(absl::AsciiStrToUpper(raw));
}

bool UnderPath(const std::string& path, const std::string& prefix) {
  return path.rfind(prefix, 0) == 0;
}

// Whether the file's org may pay for `member` in the row's month: the
// month's charge was made in its subtree (a file for a month before a
// transfer still pays the old union's charge), or, with no charge, the
// member is in it now.
bool Payable(const store::DuesMember& member, const store::Charge* charge,
             const PayrollTarget& target) {
  return UnderPath(charge != nullptr ? charge->org_path : member.org_path,
                   target.org_path);
}

// Whether the file's org may know of `member` at all: it is in the subtree
// now or was charged there for the row's month.
bool Visible(const store::DuesMember& member, const store::Charge* charge,
             const PayrollTarget& target) {
  return UnderPath(member.org_path, target.org_path) ||
         (charge != nullptr && UnderPath(charge->org_path, target.org_path));
}

// Which member a row names among those the file's org may know of, or why
// none. A member elsewhere counts as no member at all, with the very same
// reason: a clerk scoped to one union must not learn from a suspense reason
// that an ID or card belongs to someone in another union.
const store::DuesMember* Match(
    const PendingPayrollRow& row,
    const std::multimap<std::string, const store::DuesMember*>& by_index,
    const std::multimap<std::string, const store::DuesMember*>& by_card,
    const DuesPaymentBatch& batch, const PayrollTarget& target,
    std::string* reason) {
  const bool by_id = !row.index.empty();
  const auto& map = by_id ? by_index : by_card;
  const std::string& key = by_id ? row.index : row.card;
  const std::string month = dates::FormatMonth(*row.month);
  std::vector<const store::DuesMember*> visible;
  auto [first, last] = map.equal_range(key);
  for (auto it = first; it != last; ++it) {
    const store::DuesMember* m = it->second;
    if (Visible(*m, batch.Find(m->member_id, month), target)) {
      visible.push_back(m);
    }
  }
  if (visible.empty()) {
    *reason =
        absl::StrCat("no member of org ", target.org_id, "'s subtree has this ",
                     by_id ? "national ID" : "card number");
    return nullptr;
  }
  if (visible.size() > 1) {
    *reason = by_id ? "several members have this national ID"
                    : "several members have this card number";
    return nullptr;
  }
  const store::DuesMember* member = visible.front();
  if (by_id && !row.card.empty() && member->card_number != row.card) {
    *reason = "national_id and card_number name different members";
    return nullptr;
  }
  return member;
}

}  // namespace

PendingPayrollRow ExaminePayrollRow(int row_number, const v1::PayrollRow& in,
                                    absl::CivilDay today) {
  PendingPayrollRow row;
  row.row_number = row_number;
  row.row = in;
  const absl::string_view national_id =
      absl::StripAsciiWhitespace(in.national_id());
  row.card =
      absl::AsciiStrToUpper(absl::StripAsciiWhitespace(in.card_number()));
  if (!national_id.empty()) {
    absl::StatusOr<ids::NationalIdInfo> parsed =
        ids::ParseNationalId(national_id, today);
    if (parsed.ok()) {
      // Exactly what membership hashes (the normalised ID), so it matches
      // roster_members.national_id_index.
      row.index =
          crypto::Pii().Index(parsed->normalized, crypto::kNationalIdContext);
      row.masked = ids::MaskNationalId(parsed->normalized);
    } else {
      row.masked = MaskInvalid(national_id);
      row.problems.push_back(
          absl::StrCat("invalid national_id: ", parsed.status().message()));
    }
  } else if (row.card.empty()) {
    row.problems.push_back("neither national_id nor card_number is given");
  }
  if (std::optional<std::string> problem =
          text::Problem(in.name(), kNameRule)) {
    row.problems.push_back(absl::StrCat("name ", *problem));
  }
  if (std::optional<std::string> problem =
          text::Problem(in.card_number(), kFileTextRule)) {
    row.problems.push_back(absl::StrCat("card_number ", *problem));
  }
  absl::StatusOr<absl::CivilMonth> month =
      dates::ParseMonth(absl::StripAsciiWhitespace(in.month()));
  if (month.ok()) {
    row.month = *month;
  } else {
    row.problems.push_back("month must be YYYY-MM");
  }
  if (!CarriesMoney(in.amount_fen())) {
    row.problems.push_back(absl::StrCat("amount_fen must be between 1 and ",
                                        kMaxDuesPaymentFen, " fen"));
  }
  return row;
}

// Decides and writes every row of one batch in one transaction.
absl::Status ApplyPayrollBatch(Connection& conn, const PayrollTarget& target,
                               const std::vector<PendingPayrollRow>& rows,
                               v1::ImportPayrollDeductionsResponse* out) {
  std::vector<std::string> indexes, cards;
  for (const PendingPayrollRow& row : rows) {
    if (!row.problems.empty()) continue;
    if (!row.index.empty()) {
      indexes.push_back(row.index);
    } else {
      cards.push_back(row.card);
    }
  }
  const std::vector<store::DuesMember> found_by_index =
      store::LockMembersByIndex(conn, indexes);
  const std::vector<store::DuesMember> found_by_card =
      store::LockMembersByCard(conn, cards);
  std::multimap<std::string, const store::DuesMember*> by_index, by_card;
  for (const store::DuesMember& m : found_by_index) {
    by_index.emplace(m.national_id_index, &m);
  }
  for (const store::DuesMember& m : found_by_card) {
    by_card.emplace(m.card_number, &m);
  }

  // Every candidate's charges are read before matching: whether a member
  // is one the file's org may know of depends on where the month was
  // charged.
  std::vector<std::pair<int64_t, std::string>> member_months;
  for (const PendingPayrollRow& row : rows) {
    if (!row.problems.empty()) continue;
    const bool by_id = !row.index.empty();
    auto [first, last] =
        (by_id ? by_index : by_card).equal_range(by_id ? row.index : row.card);
    for (auto it = first; it != last; ++it) {
      member_months.emplace_back(it->second->member_id,
                                 dates::FormatMonth(*row.month));
    }
  }

  DuesPaymentBatch batch(store::LockCharges(conn, member_months));
  std::vector<const store::DuesMember*> matched(rows.size(), nullptr);
  std::vector<std::string> reasons(rows.size());
  std::vector<int> payment_of(rows.size(), -1);
  for (size_t i = 0; i < rows.size(); ++i) {
    if (!rows[i].problems.empty()) {
      reasons[i] = absl::StrJoin(rows[i].problems, "; ");
      continue;
    }
    matched[i] = Match(rows[i], by_index, by_card, batch, target, &reasons[i]);
    const store::DuesMember* member = matched[i];
    if (member == nullptr) continue;
    const std::string month = dates::FormatMonth(*rows[i].month);
    const store::Charge* charge = batch.Find(member->member_id, month);
    if (!Payable(*member, charge, target)) {
      reasons[i] = absl::StrCat("month ", month,
                                " was charged to this member in another org "
                                "(before a transfer)");
      continue;
    }
    if (charge == nullptr) {
      reasons[i] = absl::StrCat("month ", month,
                                " is not charged to this member (not "
                                "assessed yet, or not ACTIVE then)");
      continue;
    }
    if (charge->settled()) {
      reasons[i] = absl::StrCat("month ", month, " is already paid");
      continue;
    }
    DuesPaymentBatch::Payment payment;
    payment.member_id = member->member_id;
    payment.member_org_id = member->org_id;
    payment.amount = rows[i].row.amount_fen();
    payment.named_month = *rows[i].month;
    payment.method = v1::PAYMENT_METHOD_PAYROLL_DEDUCTION;
    payment.paid_on = target.paid_on;
    payment.reference = target.header.reference();
    payment.request_id = target.header.request_id();
    payment.debit_account =
        domain::AccountName(domain::accounts::kCash, target.org_id);
    absl::StatusOr<size_t> added = batch.Add(payment);
    if (!added.ok()) {
      reasons[i] = std::string(added.status().message());
      continue;
    }
    payment_of[i] = static_cast<int>(*added);
  }

  std::vector<store::NewSuspense> parked;
  std::vector<size_t> parked_rows;
  money::Fen suspended = 0;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (payment_of[i] >= 0) continue;
    const PendingPayrollRow& row = rows[i];
    store::NewSuspense s;
    s.employer_id = target.header.employer_id();
    s.org_id = target.org_id;
    s.org_path = target.org_path;
    s.national_id_masked = row.masked;
    s.national_id_index = row.index;
    s.card_number = Storable(row.card, kFileTextRule, 32);
    s.name = Storable(row.row.name(), kNameRule, 64);
    s.month = Storable(row.row.month(), kFileTextRule, 16);
    s.amount = row.row.amount_fen();
    s.reason = text::Prefix(reasons[i], 256);
    s.request_id = target.header.request_id();
    s.row_number = row.row_number;
    if (CarriesMoney(s.amount) && !money::AddTo(&suspended, s.amount)) {
      return absl::FailedPreconditionError(
          "the batch's suspended total exceeds the largest amount that can "
          "be represented");
    }
    parked.push_back(std::move(s));
    parked_rows.push_back(i);
  }
  const std::vector<int64_t> suspense_ids = store::InsertSuspense(conn, parked);
  batch.Write(conn);

  // The ledger last: the payments' entry, then the suspense entry. Not
  // reserved first (so the payments could be written with its id): that
  // takes the ledger gate's shared lock, and a batch of thousands of rows
  // would hold it, and make the sealer wait, for all of its writes.
  if (batch.size() > 0) {
    domain::Entry entry;
    entry.kind = store::kDuesPaid;
    entry.memo = absl::StrCat("payroll deductions of employer ",
                              target.header.employer_id());
    entry.postings = batch.postings().Postings();
    absl::StatusOr<domain::Entry> posted =
        store::PostEntry(conn, std::move(entry), target.header.request_id());
    if (!posted.ok()) return posted.status();
    batch.SetEntry(conn, posted->entry_id);
  }
  if (suspended > 0) {
    domain::Entry entry;
    entry.kind = store::kDuesSuspended;
    entry.memo = absl::StrCat("unmatched payroll deductions of employer ",
                              target.header.employer_id());
    entry.postings = {
        {domain::AccountName(domain::accounts::kCash, target.org_id),
         suspended},
        {domain::AccountName(domain::accounts::kDuesSuspense, target.org_id),
         -suspended}};
    absl::StatusOr<domain::Entry> posted =
        store::PostEntry(conn, std::move(entry), target.header.request_id());
    if (!posted.ok()) return posted.status();
    store::SetSuspenseEntries(conn, suspense_ids, posted->entry_id);
  }

  std::vector<int64_t> suspense_of(rows.size(), 0);
  for (size_t k = 0; k < parked_rows.size(); ++k) {
    suspense_of[parked_rows[k]] = suspense_ids[k];
  }
  for (size_t i = 0; i < rows.size(); ++i) {
    v1::PayrollRowResult* r = out->add_results();
    r->set_row_number(rows[i].row_number);
    if (payment_of[i] >= 0) {
      r->set_outcome(v1::PAYROLL_ROW_OUTCOME_APPLIED);
      r->set_member_id(matched[i]->member_id);
      out->set_rows_applied(out->rows_applied() + 1);
      out->set_applied_fen(out->applied_fen() + rows[i].row.amount_fen());
    } else {
      r->set_outcome(v1::PAYROLL_ROW_OUTCOME_SUSPENSE);
      r->set_suspense_id(suspense_of[i]);
      r->set_reason(reasons[i]);
      // Only a member inside the subtree is named back to the caller.
      if (matched[i] != nullptr) r->set_member_id(matched[i]->member_id);
      out->set_rows_suspended(out->rows_suspended() + 1);
    }
  }
  out->set_suspended_fen(suspended);
  return absl::OkStatus();
}

}  // namespace unionhub::finance
