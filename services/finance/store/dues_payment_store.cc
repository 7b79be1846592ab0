// Payments, allocations and the payroll suspense list (declared in
// dues_store.h).
#include <cppconn/exception.h>

#include <algorithm>
#include <memory>

#include "absl/strings/str_cat.h"
#include "common/db/json_rows.h"
#include "common/db/sql.h"
#include "common/db/timestamps.h"
#include "services/finance/store/dues_store.h"

namespace unionhub::finance::store {

using db::Connection;

namespace {

// Runs a multi-row INSERT ending in "RETURNING <id column>" and gives the
// ids it assigned, in row order. They increase with the rows but need not
// be consecutive (Galera steps AUTO_INCREMENT by the cluster size and
// innodb_autoinc_lock_mode = 2 lets concurrent inserts interleave), and
// RETURNING hands them back in the same round trip, where
// LAST_INSERT_ID() and a read-back of the rows took two more. Checked,
// because a wrong id would attach allocations to someone else's payment.
// A second returned column, when `second` is given, goes there as text.
std::vector<int64_t> InsertReturningIds(
    sql::PreparedStatement& ps, const char* table, size_t count,
    std::vector<std::string>* second = nullptr) {
  std::unique_ptr<sql::ResultSet> rs(ps.executeQuery());
  std::vector<int64_t> ids;
  ids.reserve(count);
  while (rs->next()) {
    ids.push_back(rs->getInt64(1));
    if (second != nullptr) second->push_back(rs->getString(2).asStdString());
  }
  if (ids.size() != count) {
    throw sql::SQLException(absl::StrCat("the rows just inserted into ", table,
                                         " did not all return their ids"));
  }
  return ids;
}

// Sets entry_id on exactly the rows with `ids` (listed: the ids need not
// be consecutive, and a range could catch a concurrent request's rows), in
// one statement whatever their number (db::JsonRows).
void SetEntryIds(Connection& conn, const std::string& table,
                 const std::string& id_column, const std::vector<int64_t>& ids,
                 int64_t entry_id) {
  if (ids.empty()) return;
  db::JsonRows rows;
  for (int64_t id : ids) rows.Row().Add(id);
  db::Execute(conn,
              absl::StrCat("UPDATE ", table,
                           " t JOIN JSON_TABLE(?, '$[*]' "
                           "COLUMNS (id BIGINT PATH '$[0]')) v ON t.",
                           id_column, " = v.id SET t.entry_id = ?"),
              rows.Json(), entry_id);
}

v1::DuesPayment PaymentFromRow(sql::ResultSet& rs) {
  v1::DuesPayment p;
  p.set_payment_id(db::GetInt64(rs, "payment_id"));
  p.set_member_id(db::GetInt64(rs, "member_id"));
  p.set_amount_fen(db::GetInt64(rs, "amount_fen"));
  p.set_method(static_cast<v1::PaymentMethod>(db::GetInt64(rs, "method")));
  p.set_paid_on(db::GetString(rs, "paid_on"));
  p.set_reference(db::GetString(rs, "reference"));
  p.set_credited_fen(db::GetInt64(rs, "credited_fen"));
  p.set_entry_id(db::GetInt64(rs, "entry_id"));
  db::SetFromDbTimestamp(db::GetString(rs, "created_at"),
                         p.mutable_create_time());
  return p;
}

constexpr char kPaymentSelect[] =
    "SELECT payment_id, member_id, amount_fen, method, "
    "DATE_FORMAT(paid_on, '%Y-%m-%d') AS paid_on, reference, credited_fen, "
    "entry_id, created_at FROM dues_payments WHERE ";

void AddAllocationsTo(Connection& conn, int64_t member_id,
                      std::vector<v1::DuesPayment>& payments) {
  if (payments.empty()) return;
  std::map<int64_t, v1::DuesPayment*> by_id;
  for (v1::DuesPayment& p : payments) by_id[p.payment_id()] = &p;
  auto rs = db::Query(conn,
                      "SELECT payment_id, month, amount_fen FROM "
                      "dues_allocations WHERE member_id = ? AND payment_id "
                      "BETWEEN ? AND ? ORDER BY payment_id, month",
                      member_id, by_id.begin()->first, by_id.rbegin()->first);
  while (rs->next()) {
    auto it = by_id.find(db::GetInt64(*rs, "payment_id"));
    if (it == by_id.end()) continue;
    v1::MonthAllocation* a = it->second->add_allocations();
    a->set_month(db::GetString(*rs, "month"));
    a->set_amount_fen(db::GetInt64(*rs, "amount_fen"));
  }
}

v1::SuspenseItem SuspenseFromRow(sql::ResultSet& rs) {
  v1::SuspenseItem s;
  s.set_suspense_id(db::GetInt64(rs, "suspense_id"));
  s.set_employer_id(db::GetInt64(rs, "employer_id"));
  s.set_org_id(db::GetInt64(rs, "org_id"));
  s.set_national_id_masked(db::GetString(rs, "national_id_masked"));
  s.set_card_number(db::GetString(rs, "card_number"));
  s.set_name(db::GetString(rs, "name"));
  s.set_month(db::GetString(rs, "month"));
  s.set_amount_fen(db::GetInt64(rs, "amount_fen"));
  s.set_reason(db::GetString(rs, "reason"));
  s.set_status(static_cast<v1::SuspenseStatus>(db::GetInt64(rs, "status")));
  s.set_member_id(db::GetInt64(rs, "member_id"));
  s.set_payment_id(db::GetInt64(rs, "payment_id"));
  s.set_resolution_note(db::GetString(rs, "resolution_note"));
  s.set_request_id(db::GetString(rs, "request_id"));
  s.set_row_number(static_cast<int32_t>(db::GetInt64(rs, "line_number")));
  db::SetFromDbTimestamp(db::GetString(rs, "created_at"),
                         s.mutable_create_time());
  return s;
}

constexpr char kSuspenseSelect[] =
    "SELECT suspense_id, employer_id, org_id, org_path, national_id_masked, "
    "card_number, name, month, amount_fen, reason, status, member_id, "
    "payment_id, resolution_note, request_id, line_number, created_at "
    "FROM dues_suspense WHERE ";

}  // namespace

// ---------------------------------------------------------------- payments

std::vector<int64_t> InsertPayments(Connection& conn,
                                    const std::vector<NewPayment>& payments,
                                    std::vector<std::string>* created_at) {
  // Multi-row VALUES for the reason given at InsertSuspense.
  std::vector<int64_t> ids;
  ForEachChunk(payments.size(), kValuesChunk, [&](size_t first, size_t count) {
    sql::PreparedStatement& ps = conn.Prepare(
        absl::StrCat("INSERT INTO dues_payments (member_id, org_id, "
                     "amount_fen, method, paid_on, reference, credited_fen, "
                     "entry_id, request_id) VALUES ",
                     db::Placeholders(static_cast<int>(count), 9),
                     " RETURNING payment_id, created_at"));
    db::Binder b(ps);
    for (size_t i = first; i < first + count; ++i) {
      const NewPayment& p = payments[i];
      b.Add(p.member_id)
          .Add(p.org_id)
          .Add(p.amount)
          .Add(p.method)
          .Add(p.paid_on)
          .Add(p.reference)
          .Add(p.credited)
          .Add(p.entry_id)
          .Add(p.request_id);
    }
    std::vector<int64_t> chunk =
        InsertReturningIds(ps, "dues_payments", count, created_at);
    ids.insert(ids.end(), chunk.begin(), chunk.end());
  });
  return ids;
}

void SetPaymentEntries(Connection& conn, const std::vector<int64_t>& ids,
                       int64_t entry_id) {
  SetEntryIds(conn, "dues_payments", "payment_id", ids, entry_id);
}

void AddAllocations(Connection& conn,
                    const std::vector<AllocationRow>& allocations) {
  if (allocations.empty()) return;
  db::JsonRows rows;
  for (const AllocationRow& a : allocations) {
    rows.Row().Add(a.payment_id).Add(a.member_id).Add(a.month).Add(a.amount);
  }
  // The JSON columns are named apart from the table's, so the UPDATE part
  // names only dues_allocations' columns.
  db::Execute(conn,
              "INSERT INTO dues_allocations (payment_id, member_id, month, "
              "amount_fen) SELECT v_payment, v_member, v_month, v_amount "
              "FROM JSON_TABLE(?, '$[*]' COLUMNS (ord FOR ORDINALITY, "
              "v_payment BIGINT PATH '$[0]', v_member BIGINT PATH '$[1]', "
              "v_month VARCHAR(32) PATH '$[2]', v_amount BIGINT PATH '$[3]')) "
              "v ORDER BY ord ON DUPLICATE KEY UPDATE "
              "dues_allocations.amount_fen = dues_allocations.amount_fen + "
              "VALUES(amount_fen)",
              rows.Json());
}

absl::StatusOr<v1::DuesPayment> GetPayment(Connection& conn,
                                           int64_t payment_id) {
  auto rs = db::Query(conn, absl::StrCat(kPaymentSelect, "payment_id = ?"),
                      payment_id);
  if (!rs->next()) {
    return absl::NotFoundError(
        absl::StrCat("dues payment ", payment_id, " does not exist"));
  }
  std::vector<v1::DuesPayment> payments{PaymentFromRow(*rs)};
  AddAllocationsTo(conn, payments.front().member_id(), payments);
  return payments.front();
}

std::vector<v1::DuesPayment> MemberPayments(Connection& conn, int64_t member_id,
                                            const std::string& from_day,
                                            const std::string& to_day) {
  auto rs = db::Query(
      conn,
      absl::StrCat(kPaymentSelect,
                   "member_id = ? AND paid_on BETWEEN ? AND ? ORDER BY "
                   "payment_id"),
      member_id, from_day.empty() ? std::string("1000-01-01") : from_day,
      to_day.empty() ? std::string("9999-12-31") : to_day);
  std::vector<v1::DuesPayment> payments;
  while (rs->next()) payments.push_back(PaymentFromRow(*rs));
  AddAllocationsTo(conn, member_id, payments);
  return payments;
}

// ---------------------------------------------------------------- suspense

std::vector<int64_t> InsertSuspense(Connection& conn,
                                    const std::vector<NewSuspense>& items) {
  // Multi-row VALUES, not JSON_TABLE (db::JsonRows): an INSERT ... SELECT
  // holds the table's AUTO-INC lock to its end under MariaDB's default
  // innodb_autoinc_lock_mode=1, and six concurrent 4,000-row inserts took
  // twice as long that way (docs/performance.md).
  std::vector<int64_t> ids;
  ForEachChunk(items.size(), kValuesChunk, [&](size_t first, size_t count) {
    sql::PreparedStatement& ps = conn.Prepare(absl::StrCat(
        "INSERT INTO dues_suspense (employer_id, org_id, org_path, "
        "national_id_masked, national_id_index, card_number, name, month, "
        "amount_fen, reason, status, request_id, line_number, entry_id) "
        "VALUES ",
        db::Placeholders(static_cast<int>(count), 14),
        " RETURNING suspense_id"));
    db::Binder b(ps);
    for (size_t i = first; i < first + count; ++i) {
      const NewSuspense& s = items[i];
      std::optional<db::Bytes> index;
      if (!s.national_id_index.empty()) index = db::Bytes{s.national_id_index};
      b.Add(s.employer_id)
          .Add(s.org_id)
          .Add(s.org_path)
          .Add(s.national_id_masked)
          .Add(index)
          .Add(s.card_number)
          .Add(s.name)
          .Add(s.month)
          .Add(s.amount)
          .Add(s.reason)
          .Add(static_cast<int64_t>(v1::SUSPENSE_STATUS_OPEN))
          .Add(s.request_id)
          .Add(s.row_number)
          .Add(int64_t{0});
    }
    std::vector<int64_t> chunk = InsertReturningIds(ps, "dues_suspense", count);
    ids.insert(ids.end(), chunk.begin(), chunk.end());
  });
  return ids;
}

void SetSuspenseEntries(Connection& conn, const std::vector<int64_t>& ids,
                        int64_t entry_id) {
  SetEntryIds(conn, "dues_suspense", "suspense_id", ids, entry_id);
}

absl::StatusOr<SuspenseRow> GetSuspense(Connection& conn, int64_t suspense_id,
                                        bool for_update) {
  auto rs = db::Query(
      conn,
      absl::StrCat(kSuspenseSelect, for_update ? "suspense_id = ? FOR UPDATE"
                                               : "suspense_id = ?"),
      suspense_id);
  if (!rs->next()) {
    return absl::NotFoundError(
        absl::StrCat("suspense item ", suspense_id, " does not exist"));
  }
  SuspenseRow row;
  row.item = SuspenseFromRow(*rs);
  row.org_path = db::GetString(*rs, "org_path");
  return row;
}

std::vector<v1::SuspenseItem> ListSuspense(Connection& conn,
                                           const std::string& subtree_pattern,
                                           int status, int64_t after_id,
                                           int limit) {
  auto rs = db::Query(
      conn,
      absl::StrCat(kSuspenseSelect,
                   "org_path LIKE ? AND (? = 0 OR status = ?) AND "
                   "suspense_id > ? ORDER BY suspense_id LIMIT ?"),
      subtree_pattern, status, status, after_id, static_cast<int64_t>(limit));
  std::vector<v1::SuspenseItem> items;
  while (rs->next()) items.push_back(SuspenseFromRow(*rs));
  return items;
}

void MarkSuspenseApplied(Connection& conn, int64_t suspense_id,
                         int64_t member_id, int64_t payment_id,
                         const std::string& note) {
  db::Execute(conn,
              "UPDATE dues_suspense SET status = ?, member_id = ?, "
              "payment_id = ?, resolution_note = ? WHERE suspense_id = ?",
              static_cast<int64_t>(v1::SUSPENSE_STATUS_APPLIED), member_id,
              payment_id, note, suspense_id);
}

void MarkSuspenseDiscarded(Connection& conn, int64_t suspense_id,
                           const std::string& note) {
  db::Execute(conn,
              "UPDATE dues_suspense SET status = ?, resolution_note = ? "
              "WHERE suspense_id = ?",
              static_cast<int64_t>(v1::SUSPENSE_STATUS_DISCARDED), note,
              suspense_id);
}

void SetSuspenseResolutionEntry(Connection& conn, int64_t suspense_id,
                                int64_t entry_id) {
  db::Execute(conn,
              "UPDATE dues_suspense SET resolution_entry_id = ? WHERE "
              "suspense_id = ?",
              entry_id, suspense_id);
}

}  // namespace unionhub::finance::store
