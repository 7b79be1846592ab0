#include "services/finance/store/report_store.h"

#include "absl/strings/str_cat.h"
#include "common/db/sql.h"

namespace unionhub::finance::store {
namespace {

void AddTo(v1::CollectionFigures& sum, const v1::CollectionFigures& row) {
  sum.set_due_fen(sum.due_fen() + row.due_fen());
  sum.set_paid_fen(sum.paid_fen() + row.paid_fen());
  sum.set_members_charged(sum.members_charged() + row.members_charged());
  sum.set_members_paid(sum.members_paid() + row.members_paid());
}

// The figure columns of funds_rollup and funds_employer_month, summed.
constexpr char kFundsSums[] =
    "SUM(declared_payroll_fen) AS declared, SUM(appropriation_fen) AS "
    "appropriation, SUM(collected_fen) AS collected, SUM(returned_fen) AS "
    "returned, SUM(upward_fen) AS upward, SUM(preparation_held_fen) AS held, "
    "SUM(preparation_returned_fen) AS prep_returned";

void ReadFunds(sql::ResultSet& rs, v1::FundsFigures& f) {
  f.set_declared_payroll_fen(db::GetInt64(rs, "declared"));
  f.set_appropriation_fen(db::GetInt64(rs, "appropriation"));
  f.set_collected_fen(db::GetInt64(rs, "collected"));
  f.set_returned_fen(db::GetInt64(rs, "returned"));
  f.set_allocated_upward_fen(db::GetInt64(rs, "upward"));
  f.set_preparation_held_fen(db::GetInt64(rs, "held"));
  f.set_preparation_returned_fen(db::GetInt64(rs, "prep_returned"));
}

}  // namespace

CollectionRows LoadCollectionRows(db::Connection& conn, int64_t org_id,
                                  const std::string& org_name,
                                  const std::string& from_month,
                                  const std::string& to_month) {
  CollectionRows out;
  {
    auto rs = db::Query(
        conn,
        // An org's month is the sum of its shard rows (migration 0007).
        "SELECT month, SUM(due_fen) AS due_fen, SUM(paid_fen) AS paid_fen, "
        "SUM(members_charged) AS members_charged, SUM(members_paid) AS "
        "members_paid, SUM(own_due_fen) AS own_due_fen, SUM(own_paid_fen) AS "
        "own_paid_fen, SUM(own_members_charged) AS own_members_charged, "
        "SUM(own_members_paid) AS own_members_paid FROM collection_rollup "
        "WHERE org_id = ? AND month BETWEEN ? AND ? GROUP BY month "
        "ORDER BY month",
        org_id, from_month, to_month);
    while (rs->next()) {
      v1::CollectionFigures& m = out.by_month.emplace_back();
      m.set_month(db::GetString(*rs, "month"));
      m.set_due_fen(db::GetInt64(*rs, "due_fen"));
      m.set_paid_fen(db::GetInt64(*rs, "paid_fen"));
      m.set_members_charged(db::GetInt64(*rs, "members_charged"));
      m.set_members_paid(db::GetInt64(*rs, "members_paid"));
      const int64_t own_charged = db::GetInt64(*rs, "own_members_charged");
      const int64_t own_due = db::GetInt64(*rs, "own_due_fen");
      const int64_t own_paid = db::GetInt64(*rs, "own_paid_fen");
      if (own_charged == 0 && own_due == 0 && own_paid == 0) continue;
      v1::CollectionFigures& own = out.own_by_month.emplace_back();
      own.set_month(m.month());
      own.set_org_id(org_id);
      own.set_org_name(org_name);
      own.set_due_fen(own_due);
      own.set_paid_fen(own_paid);
      own.set_members_charged(own_charged);
      own.set_members_paid(db::GetInt64(*rs, "own_members_paid"));
    }
  }
  // Children with their months in one pass: the parent index gives the
  // children, the rollup's primary key their months.
  auto rs =
      db::Query(conn,
                "SELECT o.org_id, o.name, r.month, SUM(r.due_fen) AS "
                "due_fen, SUM(r.paid_fen) AS paid_fen, SUM(r.members_charged) "
                "AS members_charged, SUM(r.members_paid) AS members_paid "
                "FROM roster_orgs o LEFT JOIN collection_rollup r ON "
                "r.org_id = o.org_id AND r.month BETWEEN ? AND ? WHERE "
                "o.parent_id = ? GROUP BY o.org_id, o.name, r.month "
                "ORDER BY o.org_id, r.month",
                from_month, to_month, org_id);
  while (rs->next()) {
    const int64_t child = db::GetInt64(*rs, "org_id");
    if (out.by_child.empty() || out.by_child.back().org_id() != child) {
      v1::CollectionFigures& c = out.by_child.emplace_back();
      c.set_org_id(child);
      c.set_org_name(db::GetString(*rs, "name"));
    }
    if (rs->isNull("month")) continue;
    v1::CollectionFigures& cm = out.by_child_month.emplace_back();
    cm.set_month(db::GetString(*rs, "month"));
    cm.set_org_id(child);
    cm.set_org_name(out.by_child.back().org_name());
    cm.set_due_fen(db::GetInt64(*rs, "due_fen"));
    cm.set_paid_fen(db::GetInt64(*rs, "paid_fen"));
    cm.set_members_charged(db::GetInt64(*rs, "members_charged"));
    cm.set_members_paid(db::GetInt64(*rs, "members_paid"));
    AddTo(out.by_child.back(), cm);
  }
  return out;
}

std::vector<int64_t> MembersWithOpenCharges(db::Connection& conn,
                                            const std::string& subtree_pattern,
                                            const std::string& before_month,
                                            int64_t after_member,
                                            int64_t min_open, int limit) {
  // Pages over the summary in member order (its primary key at a large
  // subtree, its path index at a small one: the optimizer picks), so a page
  // reads about `limit` members' rows rather than every open charge of the
  // subtree. The summary counts all unsettled charges; those of
  // `before_month` and later are not arrears yet and are subtracted by
  // reading the member's charges, only for rows whose newest_month says
  // there may be such (AssessDues charges past months only, so rarely).
  auto rs = db::Query(
      conn,
      "SELECT s.member_id FROM dues_arrears_summary s "
      "WHERE s.org_path LIKE ? AND s.member_id > ? AND s.open_months > 0 "
      "GROUP BY s.member_id HAVING SUM(s.open_months) - "
      "IF(MAX(s.newest_month) < ?, 0, (SELECT COUNT(*) FROM dues_charges c "
      "WHERE c.member_id = s.member_id AND c.month >= ? AND c.settled = "
      "FALSE AND c.org_path LIKE ?)) >= ? ORDER BY s.member_id LIMIT ?",
      subtree_pattern, after_member, before_month, before_month,
      subtree_pattern, min_open, static_cast<int64_t>(limit));
  std::vector<int64_t> ids;
  while (rs->next()) ids.push_back(db::GetInt64(*rs, "member_id"));
  return ids;
}

std::vector<ChargeRow> SubtreeCharges(db::Connection& conn,
                                      const std::vector<int64_t>& member_ids,
                                      const std::string& subtree_pattern,
                                      const std::string& before_month) {
  std::vector<ChargeRow> out;
  if (member_ids.empty()) return out;
  sql::PreparedStatement& ps = conn.Prepare(absl::StrCat(
      "SELECT member_id, month, org_id, due_fen, paid_fen FROM dues_charges "
      "WHERE member_id IN (",
      db::InList(static_cast<int>(member_ids.size())),
      ") AND month < ? AND org_path LIKE ? ORDER BY member_id, month"));
  db::Binder binder(ps);
  for (int64_t id : member_ids) binder.Add(id);
  binder.Add(before_month).Add(subtree_pattern);
  std::unique_ptr<sql::ResultSet> rs(ps.executeQuery());
  // By position (the SELECT list above; all NOT NULL): a page reads about a
  // thousand rows, and the driver's lookup by name upper-cases and
  // allocates per column and row (most of ListArrears' CPU at 1M members).
  while (rs->next()) {
    ChargeRow& c = out.emplace_back();
    c.member_id = rs->getInt64(1);
    c.month = rs->getString(2).asStdString();
    c.org_id = rs->getInt64(3);
    c.due = rs->getInt64(4);
    c.paid = rs->getInt64(5);
  }
  return out;
}

std::map<int64_t, std::string> MemberNames(
    db::Connection& conn, const std::vector<int64_t>& member_ids) {
  std::map<int64_t, std::string> names;
  if (member_ids.empty()) return names;
  sql::PreparedStatement& ps = conn.Prepare(
      absl::StrCat("SELECT member_id, name FROM roster_members WHERE "
                   "member_id IN (",
                   db::InList(static_cast<int>(member_ids.size())), ")"));
  db::Binder binder(ps);
  for (int64_t id : member_ids) binder.Add(id);
  std::unique_ptr<sql::ResultSet> rs(ps.executeQuery());
  while (rs->next()) {  // by position, as SubtreeCharges
    names[rs->getInt64(1)] = rs->getString(2).asStdString();
  }
  return names;
}

std::vector<v1::FundsFigures> FundsByMonth(db::Connection& conn, int64_t org_id,
                                           const std::string& from_month,
                                           const std::string& to_month) {
  auto rs = db::Query(conn,
                      absl::StrCat("SELECT month, ", kFundsSums,
                                   " FROM funds_rollup WHERE org_id = ? AND "
                                   "month BETWEEN ? AND ? GROUP BY month "
                                   "ORDER BY month"),
                      org_id, from_month, to_month);
  std::vector<v1::FundsFigures> out;
  while (rs->next()) {
    v1::FundsFigures& f = out.emplace_back();
    f.set_month(db::GetString(*rs, "month"));
    f.set_org_id(org_id);
    ReadFunds(*rs, f);
  }
  return out;
}

std::vector<v1::FundsFigures> FundsByEmployer(
    db::Connection& conn, const std::string& subtree_pattern,
    const std::string& from_month, const std::string& to_month,
    int64_t after_employer, int limit) {
  auto rs = db::Query(
      conn,
      absl::StrCat(
          "SELECT g.*, COALESCE(e.name, '') AS employer_name FROM ("
          "SELECT employer_id, CAST(SUBSTRING_INDEX(GROUP_CONCAT(org_id "
          "ORDER BY month DESC), ',', 1) AS SIGNED) AS org_id, ",
          kFundsSums,
          " FROM funds_employer_month WHERE org_path LIKE ? AND month "
          "BETWEEN ? AND ? AND employer_id > ? GROUP BY employer_id "
          "ORDER BY employer_id LIMIT ?) g LEFT JOIN roster_employers e "
          "ON e.employer_id = g.employer_id ORDER BY g.employer_id"),
      subtree_pattern, from_month, to_month, after_employer,
      static_cast<int64_t>(limit));
  std::vector<v1::FundsFigures> out;
  while (rs->next()) {
    v1::FundsFigures& f = out.emplace_back();
    f.set_employer_id(db::GetInt64(*rs, "employer_id"));
    f.set_employer_name(db::GetString(*rs, "employer_name"));
    f.set_org_id(db::GetInt64(*rs, "org_id"));
    ReadFunds(*rs, f);
  }
  return out;
}

std::vector<v1::UpwardShare> UpwardByLevel(db::Connection& conn, int64_t org_id,
                                           const std::string& from_month,
                                           const std::string& to_month) {
  auto rs = db::Query(conn,
                      "SELECT level, SUM(amount_fen) AS amount FROM "
                      "funds_upward_rollup WHERE org_id = ? AND month "
                      "BETWEEN ? AND ? GROUP BY level ORDER BY level",
                      org_id, from_month, to_month);
  std::vector<v1::UpwardShare> out;
  while (rs->next()) {
    v1::UpwardShare& s = out.emplace_back();
    s.set_level(db::GetString(*rs, "level"));
    s.set_amount_fen(db::GetInt64(*rs, "amount"));
  }
  return out;
}

domain::FundsTotals ToTotals(const v1::FundsFigures& f) {
  domain::FundsTotals t;
  t.declared_payroll = f.declared_payroll_fen();
  t.appropriation = f.appropriation_fen();
  t.collected = f.collected_fen();
  t.returned = f.returned_fen();
  t.upward = f.allocated_upward_fen();
  t.preparation_held = f.preparation_held_fen();
  t.preparation_returned = f.preparation_returned_fen();
  return t;
}

std::vector<SpendingRow> SpendingByCategory(db::Connection& conn,
                                            int64_t org_id,
                                            const std::string& from_month,
                                            const std::string& to_month) {
  auto rs = db::Query(
      conn,
      "SELECT category, SUM(amount_fen) AS amount, SUM(front_line_fen) AS "
      "front_line, SUM(expenses) AS expenses FROM spending_rollup WHERE "
      "org_id = ? AND month BETWEEN ? AND ? GROUP BY category "
      "ORDER BY category",
      org_id, from_month, to_month);
  std::vector<SpendingRow> out;
  while (rs->next()) {
    SpendingRow& row = out.emplace_back();
    row.category = static_cast<int>(db::GetInt64(*rs, "category"));
    row.amount = db::GetInt64(*rs, "amount");
    row.front_line = db::GetInt64(*rs, "front_line");
    row.expenses = db::GetInt64(*rs, "expenses");
  }
  return out;
}

std::map<int, domain::Fen> SubtreeBudgets(db::Connection& conn,
                                          const std::string& subtree_pattern,
                                          int from_year, int to_year) {
  auto rs = db::Query(
      conn,
      "SELECT b.category, SUM(b.amount_fen) AS amount FROM roster_orgs o "
      "JOIN budgets b ON b.org_id = o.org_id AND b.year BETWEEN ? AND ? "
      "WHERE o.path LIKE ? GROUP BY b.category",
      static_cast<int64_t>(from_year), static_cast<int64_t>(to_year),
      subtree_pattern);
  std::map<int, domain::Fen> out;
  while (rs->next()) {
    out[static_cast<int>(db::GetInt64(*rs, "category"))] =
        db::GetInt64(*rs, "amount");
  }
  return out;
}

}  // namespace unionhub::finance::store
