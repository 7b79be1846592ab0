#include "services/finance/store/dues_store.h"

#include <algorithm>
#include <atomic>
#include <map>
#include <memory>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/core/dates.h"
#include "common/db/json_rows.h"
#include "common/db/sql.h"
#include "common/db/timestamps.h"
#include "services/finance/store/arrears_store.h"
#include "services/finance/store/paths.h"

namespace unionhub::finance::store {

using db::Connection;

std::vector<int> ChunkSizes(int n, int max_chunk) {
  std::vector<int> sizes;
  while (n >= max_chunk) {
    sizes.push_back(max_chunk);
    n -= max_chunk;
  }
  for (int bit = 1 << 30; bit > 0; bit >>= 1) {
    if (n & bit) sizes.push_back(bit);
  }
  return sizes;
}

int PaddedCount(int n) {
  int padded = 1;
  while (padded < n) padded <<= 1;
  return padded;
}

namespace {

// Rows per JSON_TABLE statement: one bound parameter, whatever the count.
constexpr int kJsonChunk = 2000;
constexpr int kInChunk = 2048;

// Binds values[first..first+count) and pads the IN list to PaddedCount.
template <typename T, typename Wrap>
void BindPadded(db::Binder& binder, const std::vector<T>& values, size_t first,
                size_t count, Wrap wrap) {
  const int padded = PaddedCount(static_cast<int>(count));
  for (int i = 0; i < padded; ++i) {
    binder.Add(wrap(values[first + std::min<size_t>(i, count - 1)]));
  }
}

const auto kSame = [](const auto& value) -> const auto& { return value; };

v1::DuesPolicy PolicyFromRow(sql::ResultSet& rs) {
  v1::DuesPolicy p;
  p.set_policy_id(db::GetInt64(rs, "policy_id"));
  p.set_scope_org_id(db::GetInt64(rs, "scope_org_id"));
  p.set_effective_from(db::GetString(rs, "effective_from"));
  p.set_rate_bp(db::GetInt64(rs, "rate_bp"));
  p.set_ignore_below_fen(db::GetInt64(rs, "ignore_below_fen"));
  p.set_note(db::GetString(rs, "note"));
  db::SetFromDbTimestamp(db::GetString(rs, "created_at"),
                         p.mutable_create_time());
  return p;
}

constexpr char kPolicyColumns[] =
    "policy_id, scope_org_id, scope_path, effective_from, rate_bp, "
    "ignore_below_fen, note, created_at";

// Hot-path rows (thousands per batch) are read by column position: the
// driver's lookup by name upper-cases and allocates on every call, which
// showed up in profiles of the payroll import. The positions follow the
// SELECT lists right next to each reader; every column read so is NOT NULL.
int64_t IntAt(sql::ResultSet& rs, uint32_t column) {
  return rs.getInt64(column);
}
std::string TextAt(sql::ResultSet& rs, uint32_t column) {
  return std::string(rs.getString(column).asStdString());
}

DuesMember MemberFromRow(sql::ResultSet& rs) {
  DuesMember m;
  m.member_id = IntAt(rs, 1);
  m.org_id = IntAt(rs, 2);
  m.status = static_cast<int>(IntAt(rs, 3));
  m.credit = IntAt(rs, 4);
  m.card_number = TextAt(rs, 5);
  m.national_id_index = TextAt(rs, 6);  // BINARY(32): exact bytes
  return m;
}

constexpr char kMemberSelect[] =
    "SELECT member_id, org_id, status, credit_fen, card_number, "
    "national_id_index FROM roster_members WHERE ";

// Fills org_path from roster_orgs with one plain (non-locking) read:
// locking the org rows too would serialise every payment of an org.
void FillOrgPaths(Connection& conn, std::vector<DuesMember>& members) {
  std::vector<int64_t> org_ids;
  for (const DuesMember& m : members) org_ids.push_back(m.org_id);
  std::sort(org_ids.begin(), org_ids.end());
  org_ids.erase(std::unique(org_ids.begin(), org_ids.end()), org_ids.end());
  std::map<int64_t, std::string> paths;
  ForEachChunk(org_ids.size(), kInChunk, [&](size_t first, size_t count) {
    sql::PreparedStatement& ps = conn.Prepare(
        absl::StrCat("SELECT org_id, path FROM roster_orgs WHERE org_id IN (",
                     db::InList(PaddedCount(static_cast<int>(count))), ")"));
    db::Binder binder(ps);
    BindPadded(binder, org_ids, first, count, kSame);
    std::unique_ptr<sql::ResultSet> rs(ps.executeQuery());
    while (rs->next()) {
      paths[IntAt(*rs, 1)] = TextAt(*rs, 2);
    }
  });
  for (DuesMember& m : members) m.org_path = paths[m.org_id];
}

absl::Status MemberNotKnown(int64_t member_id) {
  return absl::NotFoundError(absl::StrCat(
      "member ", member_id,
      " is not known to finance (unknown, or membership's change feed has "
      "not reached it yet)"));
}

template <typename T, typename Wrap>
std::vector<DuesMember> LockMembersWhere(Connection& conn,
                                         const std::string& column,
                                         std::vector<T> keys, Wrap wrap) {
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  std::vector<DuesMember> members;
  ForEachChunk(keys.size(), kInChunk, [&](size_t first, size_t count) {
    sql::PreparedStatement& ps = conn.Prepare(absl::StrCat(
        kMemberSelect, column, " IN (",
        db::InList(PaddedCount(static_cast<int>(count))), ") FOR UPDATE"));
    db::Binder binder(ps);
    BindPadded(binder, keys, first, count, wrap);
    std::unique_ptr<sql::ResultSet> rs(ps.executeQuery());
    while (rs->next()) members.push_back(MemberFromRow(*rs));
  });
  FillOrgPaths(conn, members);
  return members;
}

// kChargeColumns from column `first` on.
Charge ChargeFromRow(sql::ResultSet& rs, uint32_t first = 1) {
  Charge c;
  // kChargeColumns order; column 9 (settled) is derived from paid and due.
  c.member_id = IntAt(rs, first);
  c.month = TextAt(rs, first + 1);
  c.org_id = IntAt(rs, first + 2);
  c.org_path = TextAt(rs, first + 3);
  c.wage_base = IntAt(rs, first + 4);
  c.rate_bp = IntAt(rs, first + 5);
  c.due = IntAt(rs, first + 6);
  c.paid = IntAt(rs, first + 7);
  c.assessment_id = IntAt(rs, first + 9);
  return c;
}

constexpr char kChargeColumns[] =
    "member_id, month, org_id, org_path, wage_base_fen, rate_bp, due_fen, "
    "paid_fen, settled, assessment_id";
// The same columns of dues_charges joined as `c`.
constexpr char kChargeColumnsOfC[] =
    "c.member_id, c.month, c.org_id, c.org_path, c.wage_base_fen, "
    "c.rate_bp, c.due_fen, c.paid_fen, c.settled, c.assessment_id";

void BindCharge(db::Binder& b, const Charge& c) {
  b.Add(c.member_id)
      .Add(c.month)
      .Add(c.org_id)
      .Add(c.org_path)
      .Add(c.wage_base)
      .Add(c.rate_bp)
      .Add(c.due)
      .Add(c.paid)
      .Add(c.settled())
      .Add(c.assessment_id);
}

}  // namespace

// ---------------------------------------------------------------- policies

int64_t InsertDuesPolicy(Connection& conn, const v1::DuesPolicy& policy,
                         const std::string& scope_path) {
  db::Execute(conn,
              "INSERT INTO dues_policies (scope_org_id, scope_path, "
              "effective_from, rate_bp, ignore_below_fen, note) "
              "VALUES (?, ?, ?, ?, ?, ?)",
              policy.scope_org_id(), scope_path, policy.effective_from(),
              policy.rate_bp(), policy.ignore_below_fen(), policy.note());
  return db::LastInsertId(conn);
}

absl::StatusOr<v1::DuesPolicy> GetDuesPolicy(Connection& conn,
                                             int64_t policy_id) {
  auto rs = db::Query(conn,
                      absl::StrCat("SELECT ", kPolicyColumns,
                                   " FROM dues_policies WHERE policy_id = ?"),
                      policy_id);
  if (!rs->next()) {
    return absl::NotFoundError(
        absl::StrCat("dues policy ", policy_id, " does not exist"));
  }
  return PolicyFromRow(*rs);
}

std::vector<v1::DuesPolicy> ListDuesPolicies(Connection& conn,
                                             const std::string& related_path,
                                             int64_t after_id, int limit) {
  std::unique_ptr<sql::ResultSet> rs;
  if (related_path.empty()) {
    rs = db::Query(conn,
                   absl::StrCat("SELECT ", kPolicyColumns,
                                " FROM dues_policies WHERE policy_id > ? "
                                "ORDER BY policy_id LIMIT ?"),
                   after_id, static_cast<int64_t>(limit));
  } else {
    // Descendants: their path starts with ours; ancestors (and the org
    // itself): ours starts with theirs.
    rs = db::Query(
        conn,
        absl::StrCat("SELECT ", kPolicyColumns,
                     " FROM dues_policies WHERE policy_id > ? AND "
                     "(scope_path LIKE ? OR ? LIKE CONCAT(scope_path, '%')) "
                     "ORDER BY policy_id LIMIT ?"),
        after_id, SubtreePattern(related_path), related_path,
        static_cast<int64_t>(limit));
  }
  std::vector<v1::DuesPolicy> policies;
  while (rs->next()) policies.push_back(PolicyFromRow(*rs));
  return policies;
}

std::vector<domain::DuesPolicy> LoadDuesPolicies(Connection& conn) {
  auto rs = db::Query(
      conn, absl::StrCat("SELECT ", kPolicyColumns, " FROM dues_policies"));
  std::vector<domain::DuesPolicy> policies;
  while (rs->next()) {
    absl::StatusOr<absl::CivilMonth> from =
        dates::ParseMonth(db::GetString(*rs, "effective_from"));
    if (!from.ok()) continue;  // validated on the way in
    domain::DuesPolicy p;
    p.policy_id = db::GetInt64(*rs, "policy_id");
    p.scope_path = db::GetString(*rs, "scope_path");
    p.effective_from = *from;
    p.rate_bp = db::GetInt64(*rs, "rate_bp");
    p.ignore_below_fen = db::GetInt64(*rs, "ignore_below_fen");
    policies.push_back(std::move(p));
  }
  return policies;
}

// ----------------------------------------------------------------- members

absl::StatusOr<DuesMember> GetDuesMember(Connection& conn, int64_t member_id,
                                         bool for_update) {
  auto rs = db::Query(
      conn,
      absl::StrCat(kMemberSelect,
                   for_update ? "member_id = ? FOR UPDATE" : "member_id = ?"),
      member_id);
  if (!rs->next()) return MemberNotKnown(member_id);
  std::vector<DuesMember> members{MemberFromRow(*rs)};
  FillOrgPaths(conn, members);
  return members.front();
}

absl::StatusOr<LockedMember> LockMemberWithOpenCharges(Connection& conn,
                                                       int64_t member_id) {
  // The member's row first, then its open charges (the order of every
  // dues writer), in one statement where GetDuesMember, its org-path read
  // and LockCharges took three: the roster row is a constant-table read,
  // locked before the charges are scanned by the primary key's prefix.
  auto rs = db::Query(
      conn,
      absl::StrCat("SELECT m.member_id, m.org_id, m.status, m.credit_fen, "
                   "m.card_number, m.national_id_index, ",
                   kChargeColumnsOfC,
                   " FROM roster_members m LEFT JOIN dues_charges c ON "
                   "c.member_id = m.member_id AND c.settled = 0 WHERE "
                   "m.member_id = ? ORDER BY c.month FOR UPDATE"),
      member_id);
  LockedMember out;
  bool found = false;
  while (rs->next()) {
    if (!found) out.member = MemberFromRow(*rs);
    found = true;
    if (!rs->isNull(7)) out.open_charges.push_back(ChargeFromRow(*rs, 7));
  }
  if (!found) return MemberNotKnown(member_id);
  return out;
}

std::vector<DuesMember> LockMembersByIndex(
    Connection& conn, const std::vector<std::string>& indexes) {
  return LockMembersWhere(conn, "national_id_index", indexes,
                          [](const std::string& v) { return db::Bytes{v}; });
}

std::vector<DuesMember> LockMembersByCard(
    Connection& conn, const std::vector<std::string>& cards) {
  return LockMembersWhere(conn, "card_number", cards, kSame);
}

std::map<int64_t, Fen> LockCredits(Connection& conn,
                                   const std::vector<int64_t>& member_ids) {
  std::map<int64_t, Fen> credits;
  ForEachChunk(member_ids.size(), kInChunk, [&](size_t first, size_t count) {
    sql::PreparedStatement& ps = conn.Prepare(absl::StrCat(
        "SELECT member_id, credit_fen FROM roster_members WHERE member_id IN "
        "(",
        db::InList(PaddedCount(static_cast<int>(count))), ") FOR UPDATE"));
    db::Binder binder(ps);
    BindPadded(binder, member_ids, first, count, kSame);
    std::unique_ptr<sql::ResultSet> rs(ps.executeQuery());
    while (rs->next()) {
      const Fen credit = IntAt(*rs, 2);
      if (credit > 0) credits[IntAt(*rs, 1)] = credit;
    }
  });
  return credits;
}

void AddCredits(Connection& conn, const std::map<int64_t, Fen>& deltas) {
  for (const auto& [member_id, delta] : deltas) {
    if (delta == 0) continue;
    db::Execute(conn,
                "UPDATE roster_members SET credit_fen = credit_fen + ? "
                "WHERE member_id = ?",
                delta, member_id);
  }
}

std::map<int64_t, int64_t> LatestCreditingPayments(
    Connection& conn, const std::vector<int64_t>& member_ids) {
  std::map<int64_t, int64_t> latest;
  ForEachChunk(member_ids.size(), kInChunk, [&](size_t first, size_t count) {
    sql::PreparedStatement& ps = conn.Prepare(absl::StrCat(
        "SELECT member_id, MAX(payment_id) AS payment_id FROM dues_payments "
        "WHERE credited_fen > 0 AND member_id IN (",
        db::InList(PaddedCount(static_cast<int>(count))),
        ") GROUP BY member_id"));
    db::Binder binder(ps);
    BindPadded(binder, member_ids, first, count, kSame);
    std::unique_ptr<sql::ResultSet> rs(ps.executeQuery());
    while (rs->next()) {
      latest[db::GetInt64(*rs, "member_id")] = db::GetInt64(*rs, "payment_id");
    }
  });
  return latest;
}

// ----------------------------------------------------------------- charges

std::vector<Charge> LockCharges(
    Connection& conn,
    const std::vector<std::pair<int64_t, std::string>>& member_months) {
  // One JSON row per member: [member_id, "YYYY-MM,YYYY-MM"] with the months
  // asked about (FIND_IN_SET; a month that is not YYYY-MM names no charge
  // and is left out). The months are matched per member: an IN list of
  // every month the batch names returned each member's whole year when a
  // file's rows spread over the year, 12 charges sent and held in memory
  // per row where one or two are needed.
  std::map<int64_t, std::set<std::string>> months_of;
  for (const auto& [member_id, month] : member_months) {
    std::set<std::string>& months = months_of[member_id];
    if (absl::StatusOr<absl::CivilMonth> parsed = dates::ParseMonth(month);
        parsed.ok()) {
      months.insert(dates::FormatMonth(*parsed));
    }
  }
  std::vector<Charge> charges;
  auto member = months_of.begin();
  while (member != months_of.end()) {
    db::JsonRows rows;
    for (; member != months_of.end() && rows.rows() < kJsonChunk; ++member) {
      rows.Row().Add(member->first).Add(absl::StrJoin(member->second, ","));
    }
    // JSON first (STRAIGHT_JOIN) and each member's charges by the primary
    // key: left to itself the optimizer scanned a small dues_charges whole,
    // locking every row. Members in id order (the JSON's), each member's
    // charges by month: the lock order of every dues writer. Under
    // REPEATABLE READ the prefix scan still locks all of a member's
    // charges; only the rows returned are fewer.
    auto rs = db::Query(
        conn,
        absl::StrCat("SELECT ", kChargeColumnsOfC,
                     " FROM JSON_TABLE(?, '$[*]' COLUMNS (member_id BIGINT "
                     "PATH '$[0]', months TEXT PATH '$[1]')) v STRAIGHT_JOIN "
                     "dues_charges c FORCE INDEX (PRIMARY) ON c.member_id = "
                     "v.member_id AND (c.settled = 0 OR FIND_IN_SET(c.month, "
                     "v.months) > 0) ORDER BY c.member_id, c.month FOR UPDATE"),
        rows.Json());
    while (rs->next()) charges.push_back(ChargeFromRow(*rs));
  }
  return charges;
}

std::vector<Charge> MemberCharges(Connection& conn, int64_t member_id,
                                  const std::string& from_month,
                                  const std::string& to_month) {
  auto rs = db::Query(
      conn,
      absl::StrCat("SELECT ", kChargeColumns,
                   " FROM dues_charges WHERE member_id = ? AND month >= ? AND "
                   "month <= ? ORDER BY month"),
      member_id, from_month.empty() ? std::string("0000-00") : from_month,
      to_month.empty() ? std::string("9999-99") : to_month);
  std::vector<Charge> charges;
  while (rs->next()) charges.push_back(ChargeFromRow(*rs));
  return charges;
}

int64_t InsertCharges(Connection& conn, const std::vector<Charge>& charges) {
  int64_t inserted = 0;
  ForEachChunk(charges.size(), kValuesChunk, [&](size_t first, size_t count) {
    sql::PreparedStatement& ps = conn.Prepare(absl::StrCat(
        "INSERT IGNORE INTO dues_charges (", kChargeColumns, ") VALUES ",
        db::Placeholders(static_cast<int>(count), 10)));
    db::Binder binder(ps);
    for (size_t i = first; i < first + count; ++i)
      BindCharge(binder, charges[i]);
    inserted += ps.executeUpdate();
  });
  // A short count means some already existed; the caller then aborts the
  // transaction (AssessDues does), so counting them all here is safe.
  if (inserted == static_cast<int64_t>(charges.size())) {
    CountNewCharges(conn, charges);
  }
  return inserted;
}

void UpdateChargePayments(Connection& conn,
                          const std::vector<PaidCharge>& changed) {
  CountSettlementChanges(conn, changed);
  // One UPDATE joined to the new values passed as a single JSON parameter
  // (JSON_TABLE): each charge is found by primary key. It took about half
  // the time of a multi-row INSERT ... ON DUPLICATE KEY UPDATE, which first
  // tries (and fails) to insert every row. The values are numbers and
  // "YYYY-MM" months read from dues_charges.
  ForEachChunk(changed.size(), kJsonChunk, [&](size_t first, size_t count) {
    std::string values = "[";
    for (size_t i = first; i < first + count; ++i) {
      const Charge& charge = changed[i].charge;
      absl::StrAppend(&values, i == first ? "" : ",", "[", charge.member_id,
                      ",\"", charge.month, "\",", charge.paid, "]");
    }
    values += "]";
    db::Execute(conn,
                "UPDATE dues_charges c JOIN JSON_TABLE(?, '$[*]' COLUMNS ("
                "member_id BIGINT PATH '$[0]', month CHAR(7) PATH '$[1]', "
                "paid BIGINT PATH '$[2]')) v ON c.member_id = v.member_id AND "
                "c.month = v.month SET c.paid_fen = v.paid, "
                "c.settled = (v.paid >= c.due_fen)",
                values);
  });
}

// -------------------------------------------------------------- assessment

void LockAssessmentMonth(Connection& conn, const std::string& month) {
  db::Execute(conn,
              "INSERT INTO dues_assessed_months (month, runs) VALUES (?, 1) "
              "ON DUPLICATE KEY UPDATE runs = runs + 1",
              month);
}

std::vector<AssessmentCandidate> AssessmentCandidates(
    Connection& conn, const std::string& subtree_pattern,
    const std::string& last_day, const std::string& month) {
  // The state in force on the last day is the one with the greatest
  // (valid_from, sequence) not after it; its org decides the subtree. The
  // states are reached from the subtree's orgs (roster_states_org), and
  // each is kept only when no later state of the member exists (a primary
  // key probe), so a county's run reads the county's states, not the
  // whole province's.
  auto rs = db::Query(
      conn,
      "SELECT s.member_id, s.org_id, s.wage_base_fen, o.path, "
      "(c.member_id IS NOT NULL) AS charged "
      "FROM roster_orgs o "
      "JOIN roster_member_states s ON s.org_id = o.org_id "
      "AND s.valid_from <= ? "
      "LEFT JOIN dues_charges c ON c.member_id = s.member_id AND c.month = ? "
      "WHERE o.path LIKE ? AND s.status = 1 AND NOT EXISTS ("
      "SELECT 1 FROM roster_member_states n WHERE n.member_id = s.member_id "
      "AND n.valid_from <= ? AND (n.valid_from > s.valid_from OR "
      "(n.valid_from = s.valid_from AND n.sequence > s.sequence))) "
      "ORDER BY s.member_id",
      last_day, month, subtree_pattern, last_day);
  std::vector<AssessmentCandidate> candidates;
  while (rs->next()) {
    AssessmentCandidate c;
    c.member_id = IntAt(*rs, 1);
    c.org_id = IntAt(*rs, 2);
    c.payer.wage = IntAt(*rs, 3);
    c.payer.org_path = TextAt(*rs, 4);
    c.already_charged = IntAt(*rs, 5) != 0;
    candidates.push_back(std::move(c));
  }
  return candidates;
}

int64_t InsertAssessment(Connection& conn, const Assessment& a) {
  db::Execute(conn,
              "INSERT INTO dues_assessments (month, org_id, org_path, "
              "members_charged, already_charged, total_due_fen, "
              "credit_applied_fen, request_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
              a.month, a.org_id, a.org_path, a.members_charged,
              a.already_charged, a.total_due, a.credit_applied, a.request_id);
  return db::LastInsertId(conn);
}

void SetAssessmentEntry(Connection& conn, int64_t assessment_id,
                        int64_t entry_id) {
  db::Execute(
      conn, "UPDATE dues_assessments SET entry_id = ? WHERE assessment_id = ?",
      entry_id, assessment_id);
}

// ----------------------------------------------------------------- rollup

void CollectionRollup::Add(const std::string& org_path,
                           const std::string& month, const Delta& delta) {
  const std::vector<int64_t> ids = PathIds(org_path);
  for (size_t i = 0; i < ids.size(); ++i) {
    Row& row = rows_[{ids[i], month}];
    for (Delta* d : {&row.subtree, i + 1 == ids.size() ? &row.own : nullptr}) {
      if (d == nullptr) continue;
      d->due += delta.due;
      d->paid += delta.paid;
      d->charged += delta.charged;
      d->paid_members += delta.paid_members;
    }
  }
}

int64_t CollectionRollup::NextShard() {
  // Round robin over the process's writers: transactions in flight at the
  // same time take different shards, so they share no rollup row (a
  // province's row was a queue of one commit at a time: migration 0007).
  static std::atomic<uint32_t> next{0};
  return static_cast<int64_t>(next.fetch_add(1, std::memory_order_relaxed) %
                              kRollupShards);
}

void CollectionRollup::Flush(Connection& conn) {
  if (rows_.empty()) return;
  // One shard for all of this flush's rows, in key order (the map's), so
  // concurrent writers lock rollup rows in the same order; one statement
  // for any number of rows (db::JsonRows), the JSON columns named apart
  // from the table's for the UPDATE part.
  const int64_t shard = NextShard();
  db::JsonRows json;
  for (const auto& [key, row] : rows_) {
    json.Row()
        .Add(key.first)
        .Add(key.second)
        .Add(shard)
        .Add(row.subtree.due)
        .Add(row.subtree.paid)
        .Add(row.subtree.charged)
        .Add(row.subtree.paid_members)
        .Add(row.own.due)
        .Add(row.own.paid)
        .Add(row.own.charged)
        .Add(row.own.paid_members);
  }
  db::Execute(
      conn,
      "INSERT INTO collection_rollup (org_id, month, shard, due_fen, "
      "paid_fen, members_charged, members_paid, own_due_fen, own_paid_fen, "
      "own_members_charged, own_members_paid) SELECT v_org, v_month, "
      "v_shard, v_due, v_paid, v_charged, v_paid_members, v_own_due, "
      "v_own_paid, v_own_charged, v_own_paid_members FROM JSON_TABLE(?, "
      "'$[*]' COLUMNS (ord FOR ORDINALITY, v_org BIGINT PATH '$[0]', "
      "v_month VARCHAR(32) PATH '$[1]', v_shard INT PATH '$[2]', "
      "v_due BIGINT PATH '$[3]', v_paid BIGINT PATH '$[4]', "
      "v_charged BIGINT PATH '$[5]', v_paid_members BIGINT PATH '$[6]', "
      "v_own_due BIGINT PATH '$[7]', v_own_paid BIGINT PATH '$[8]', "
      "v_own_charged BIGINT PATH '$[9]', "
      "v_own_paid_members BIGINT PATH '$[10]')) v ORDER BY ord "
      "ON DUPLICATE KEY UPDATE due_fen = due_fen + VALUES(due_fen), "
      "paid_fen = paid_fen + VALUES(paid_fen), "
      "members_charged = members_charged + VALUES(members_charged), "
      "members_paid = members_paid + VALUES(members_paid), "
      "own_due_fen = own_due_fen + VALUES(own_due_fen), "
      "own_paid_fen = own_paid_fen + VALUES(own_paid_fen), "
      "own_members_charged = own_members_charged + "
      "VALUES(own_members_charged), "
      "own_members_paid = own_members_paid + VALUES(own_members_paid)",
      json.Json());
  rows_.clear();
}

}  // namespace unionhub::finance::store
