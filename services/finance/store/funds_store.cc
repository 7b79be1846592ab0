#include "services/finance/store/funds_store.h"

#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/core/dates.h"
#include "common/db/sql.h"

namespace unionhub::finance::store {
namespace {

// Each org once, in the order first seen (paths of two orgs share their
// ancestors; a rollup row must get the figures once per event).
std::vector<int64_t> Distinct(const std::vector<int64_t>& ids) {
  std::vector<int64_t> out;
  std::set<int64_t> seen;
  for (int64_t id : ids) {
    if (seen.insert(id).second) out.push_back(id);
  }
  return out;
}

std::string CreatedAt(db::Connection& conn, const char* table, const char* key,
                      int64_t id) {
  auto rs = db::Query(
      conn,
      absl::StrCat("SELECT created_at FROM ", table, " WHERE ", key, " = ?"),
      id);
  return rs->next() ? db::GetString(*rs, "created_at") : "";
}

}  // namespace

absl::StatusOr<RosterEmployer> GetRosterEmployer(db::Connection& conn,
                                                 int64_t employer_id) {
  auto rs = db::Query(conn,
                      "SELECT employer_id, name, union_org_id, area_org_id, "
                      "union_established, headcount, above_designated_size "
                      "FROM roster_employers WHERE employer_id = ?",
                      employer_id);
  if (!rs->next()) {
    return absl::NotFoundError(absl::StrCat(
        "employer ", employer_id,
        " is not known to finance (unknown, or membership's change feed has "
        "not reached it yet)"));
  }
  RosterEmployer e;
  e.employer_id = db::GetInt64(*rs, "employer_id");
  e.name = db::GetString(*rs, "name");
  e.union_org_id = db::GetInt64(*rs, "union_org_id");
  e.area_org_id = db::GetInt64(*rs, "area_org_id");
  e.union_established = db::GetBool(*rs, "union_established");
  e.headcount = db::GetInt64(*rs, "headcount");
  e.above_designated_size = db::GetBool(*rs, "above_designated_size");
  return e;
}

absl::StatusOr<RosterOrg> GetRosterOrg(db::Connection& conn, int64_t org_id) {
  auto rs = db::Query(
      conn,
      "SELECT org_id, path, province_code FROM roster_orgs WHERE org_id = ?",
      org_id);
  if (!rs->next()) {
    return absl::NotFoundError(absl::StrCat(
        "org ", org_id,
        " is not known to finance (unknown, or membership's change feed has "
        "not reached it yet)"));
  }
  RosterOrg org;
  org.org_id = db::GetInt64(*rs, "org_id");
  org.path = db::GetString(*rs, "path");
  org.province_code = db::GetString(*rs, "province_code");
  return org;
}

namespace {

constexpr char kDeclarationColumns[] =
    "declaration_id, employer_id, month, total_payroll_fen, "
    "appropriation_fen, fund, org_id, org_path, collected_fen, entry_id, "
    "created_at";

Declaration DeclarationFromRow(sql::ResultSet& rs) {
  Declaration d;
  d.declaration_id = db::GetInt64(rs, "declaration_id");
  d.employer_id = db::GetInt64(rs, "employer_id");
  d.month = db::GetString(rs, "month");
  d.total_payroll_fen = db::GetInt64(rs, "total_payroll_fen");
  d.appropriation_fen = db::GetInt64(rs, "appropriation_fen");
  d.fund = static_cast<int>(db::GetInt64(rs, "fund"));
  d.org_id = db::GetInt64(rs, "org_id");
  d.org_path = db::GetString(rs, "org_path");
  d.collected_fen = db::GetInt64(rs, "collected_fen");
  d.entry_id = db::GetInt64(rs, "entry_id");
  d.created_at = db::GetString(rs, "created_at");
  return d;
}

}  // namespace

std::optional<Declaration> FindDeclaration(db::Connection& conn,
                                           int64_t employer_id,
                                           const std::string& month,
                                           bool for_update) {
  auto rs = db::Query(
      conn,
      absl::StrCat("SELECT ", kDeclarationColumns,
                   " FROM payroll_declarations WHERE employer_id = ? AND "
                   "month = ?",
                   for_update ? " FOR UPDATE" : ""),
      employer_id, month);
  if (!rs->next()) return std::nullopt;
  return DeclarationFromRow(*rs);
}

void InsertDeclaration(db::Connection& conn, Declaration& d) {
  db::Execute(conn,
              "INSERT INTO payroll_declarations (employer_id, month, "
              "total_payroll_fen, appropriation_fen, fund, org_id, org_path, "
              "collected_fen, entry_id) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?)",
              d.employer_id, d.month, d.total_payroll_fen, d.appropriation_fen,
              d.fund, d.org_id, d.org_path, d.entry_id);
  d.declaration_id = db::LastInsertId(conn);
  d.created_at = CreatedAt(conn, "payroll_declarations", "declaration_id",
                           d.declaration_id);
}

void AddCollected(db::Connection& conn, int64_t declaration_id,
                  int64_t amount_fen) {
  db::Execute(conn,
              "UPDATE payroll_declarations SET collected_fen = collected_fen "
              "+ ? WHERE declaration_id = ?",
              amount_fen, declaration_id);
}

void InsertCollection(db::Connection& conn, Collection& c) {
  db::Execute(
      conn,
      "INSERT INTO funds_collections (declaration_id, employer_id, month, "
      "amount_fen, channel, fund, received_on, province_code, returned_fen, "
      "refund_bonus_fen, upward_json, upward_fen, preparation_held_fen, "
      "entry_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      c.declaration_id, c.employer_id, c.month, c.amount_fen, c.channel, c.fund,
      c.received_on, c.province_code, c.returned_fen, c.refund_bonus_fen,
      SharesToJson(c.upward), c.upward_fen, c.preparation_held_fen, c.entry_id);
  c.collection_id = db::LastInsertId(conn);
  c.created_at =
      CreatedAt(conn, "funds_collections", "collection_id", c.collection_id);
}

std::vector<Collection> HeldCollections(db::Connection& conn,
                                        int64_t employer_id) {
  std::vector<Collection> out;
  auto rs = db::Query(
      conn,
      "SELECT c.collection_id, c.declaration_id, c.employer_id, c.month, "
      "c.amount_fen, c.channel, c.fund, c.received_on, c.province_code, "
      "c.preparation_held_fen, c.entry_id, c.created_at, d.org_id, "
      "d.org_path FROM funds_collections c JOIN payroll_declarations d "
      "ON d.declaration_id = c.declaration_id "
      "WHERE c.employer_id = ? AND c.fund = ? AND c.released = FALSE "
      "ORDER BY c.collection_id FOR UPDATE",
      employer_id, kPreparationFundKind);
  while (rs->next()) {
    Collection c;
    c.collection_id = db::GetInt64(*rs, "collection_id");
    c.declaration_id = db::GetInt64(*rs, "declaration_id");
    c.employer_id = db::GetInt64(*rs, "employer_id");
    c.month = db::GetString(*rs, "month");
    c.amount_fen = db::GetInt64(*rs, "amount_fen");
    c.channel = static_cast<int>(db::GetInt64(*rs, "channel"));
    c.fund = static_cast<int>(db::GetInt64(*rs, "fund"));
    c.received_on = db::GetString(*rs, "received_on");
    c.province_code = db::GetString(*rs, "province_code");
    c.preparation_held_fen = db::GetInt64(*rs, "preparation_held_fen");
    c.entry_id = db::GetInt64(*rs, "entry_id");
    c.created_at = db::GetString(*rs, "created_at");
    c.org_id = db::GetInt64(*rs, "org_id");
    c.org_path = db::GetString(*rs, "org_path");
    out.push_back(std::move(c));
  }
  return out;
}

void MarkReleased(db::Connection& conn, int64_t collection_id,
                  int64_t release_entry_id) {
  db::Execute(conn,
              "UPDATE funds_collections SET released = TRUE, "
              "release_entry_id = ? WHERE collection_id = ?",
              release_entry_id, collection_id);
}

std::vector<std::pair<int64_t, int64_t>> EstablishedEmployersWithHeldFunds(
    db::Connection& conn) {
  std::vector<std::pair<int64_t, int64_t>> out;
  auto rs = db::Query(
      conn,
      "SELECT DISTINCT e.employer_id, e.union_org_id FROM funds_collections c "
      "JOIN roster_employers e ON e.employer_id = c.employer_id "
      "WHERE c.fund = ? AND c.released = FALSE AND e.union_established "
      "AND e.union_org_id <> 0 ORDER BY e.employer_id",
      kPreparationFundKind);
  while (rs->next()) {
    out.emplace_back(db::GetInt64(*rs, "employer_id"),
                     db::GetInt64(*rs, "union_org_id"));
  }
  return out;
}

void AddToEmployerMonth(db::Connection& conn, int64_t employer_id,
                        const std::string& month, int64_t org_id,
                        const std::string& org_path, const FundsDelta& d) {
  db::Execute(
      conn,
      "INSERT INTO funds_employer_month (employer_id, month, org_id, "
      "org_path, declared_payroll_fen, appropriation_fen, collected_fen, "
      "returned_fen, upward_fen, preparation_held_fen, "
      "preparation_returned_fen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
      "ON DUPLICATE KEY UPDATE "
      "declared_payroll_fen = declared_payroll_fen + "
      "VALUES(declared_payroll_fen), "
      "appropriation_fen = appropriation_fen + VALUES(appropriation_fen), "
      "collected_fen = collected_fen + VALUES(collected_fen), "
      "returned_fen = returned_fen + VALUES(returned_fen), "
      "upward_fen = upward_fen + VALUES(upward_fen), "
      "preparation_held_fen = preparation_held_fen + "
      "VALUES(preparation_held_fen), "
      "preparation_returned_fen = preparation_returned_fen + "
      "VALUES(preparation_returned_fen)",
      employer_id, month, org_id, org_path, d.declared_payroll_fen,
      d.appropriation_fen, d.collected_fen, d.returned_fen, d.upward_fen,
      d.preparation_held_fen, d.preparation_returned_fen);
}

void AddToFundsRollup(db::Connection& conn, const std::vector<int64_t>& org_ids,
                      const std::string& month, const FundsDelta& d) {
  const std::vector<int64_t> ids = Distinct(org_ids);
  if (ids.empty()) return;
  sql::PreparedStatement& ps = conn.Prepare(absl::StrCat(
      "INSERT INTO funds_rollup (org_id, month, declared_payroll_fen, "
      "appropriation_fen, collected_fen, returned_fen, upward_fen, "
      "preparation_held_fen, preparation_returned_fen) VALUES ",
      db::Placeholders(static_cast<int>(ids.size()), 9),
      " ON DUPLICATE KEY UPDATE "
      "declared_payroll_fen = declared_payroll_fen + "
      "VALUES(declared_payroll_fen), "
      "appropriation_fen = appropriation_fen + VALUES(appropriation_fen), "
      "collected_fen = collected_fen + VALUES(collected_fen), "
      "returned_fen = returned_fen + VALUES(returned_fen), "
      "upward_fen = upward_fen + VALUES(upward_fen), "
      "preparation_held_fen = preparation_held_fen + "
      "VALUES(preparation_held_fen), "
      "preparation_returned_fen = preparation_returned_fen + "
      "VALUES(preparation_returned_fen)"));
  db::Binder binder(ps);
  for (int64_t id : ids) {
    binder.Add(id)
        .Add(month)
        .Add(d.declared_payroll_fen)
        .Add(d.appropriation_fen)
        .Add(d.collected_fen)
        .Add(d.returned_fen)
        .Add(d.upward_fen)
        .Add(d.preparation_held_fen)
        .Add(d.preparation_returned_fen);
  }
  ps.executeUpdate();
}

void AddToUpwardRollup(
    db::Connection& conn, const std::vector<int64_t>& org_ids,
    const std::string& month,
    const std::vector<std::pair<std::string, int64_t>>& shares) {
  const std::vector<int64_t> ids = Distinct(org_ids);
  if (ids.empty() || shares.empty()) return;
  sql::PreparedStatement& ps = conn.Prepare(absl::StrCat(
      "INSERT INTO funds_upward_rollup (org_id, month, level, amount_fen) "
      "VALUES ",
      db::Placeholders(static_cast<int>(ids.size() * shares.size()), 4),
      " ON DUPLICATE KEY UPDATE amount_fen = amount_fen + VALUES(amount_fen)"));
  db::Binder binder(ps);
  for (int64_t id : ids) {
    for (const auto& [level, amount] : shares) {
      binder.Add(id).Add(month).Add(level).Add(amount);
    }
  }
  ps.executeUpdate();
}

std::vector<StoredTable> ListAllocationTables(
    db::Connection& conn, const std::string& province_code) {
  std::vector<StoredTable> out;
  auto rs = province_code.empty()
                ? db::Query(conn,
                            "SELECT province_code, effective_from, "
                            "shares_json, created_at FROM allocation_tables "
                            "ORDER BY table_id")
                : db::Query(conn,
                            "SELECT province_code, effective_from, "
                            "shares_json, created_at FROM allocation_tables "
                            "WHERE province_code = ? ORDER BY table_id",
                            province_code);
  while (rs->next()) {
    absl::StatusOr<absl::CivilMonth> month =
        dates::ParseMonth(db::GetString(*rs, "effective_from"));
    std::optional<std::vector<std::pair<std::string, int64_t>>> shares =
        SharesFromJson(db::GetString(*rs, "shares_json"));
    if (!month.ok() || !shares.has_value()) continue;  // never written so
    StoredTable t;
    t.table.province_code = db::GetString(*rs, "province_code");
    t.table.effective_from = *month;
    t.table.shares = std::move(*shares);
    t.created_at = db::GetString(*rs, "created_at");
    out.push_back(std::move(t));
  }
  return out;
}

std::string InsertAllocationTable(db::Connection& conn,
                                  const domain::AllocationTable& table) {
  db::Execute(conn,
              "INSERT INTO allocation_tables (province_code, effective_from, "
              "shares_json) VALUES (?, ?, ?)",
              table.province_code, dates::FormatMonth(table.effective_from),
              SharesToJson(table.shares));
  return CreatedAt(conn, "allocation_tables", "table_id",
                   db::LastInsertId(conn));
}

std::vector<StoredRefundPolicy> ListRefundPolicies(db::Connection& conn) {
  std::vector<StoredRefundPolicy> out;
  auto rs = db::Query(conn,
                      "SELECT policy_id, from_month, to_month, "
                      "small_micro_only, refund_bp, description, created_at "
                      "FROM refund_policies ORDER BY policy_id DESC");
  while (rs->next()) {
    absl::StatusOr<absl::CivilMonth> from =
        dates::ParseMonth(db::GetString(*rs, "from_month"));
    absl::StatusOr<absl::CivilMonth> to =
        dates::ParseMonth(db::GetString(*rs, "to_month"));
    if (!from.ok() || !to.ok()) continue;  // never written so
    StoredRefundPolicy p;
    p.policy_id = db::GetInt64(*rs, "policy_id");
    p.policy.from = *from;
    p.policy.to = *to;
    p.policy.small_micro_only = db::GetBool(*rs, "small_micro_only");
    p.policy.refund_bp = db::GetInt64(*rs, "refund_bp");
    p.description = db::GetString(*rs, "description");
    p.created_at = db::GetString(*rs, "created_at");
    out.push_back(std::move(p));
  }
  return out;
}

void InsertRefundPolicy(db::Connection& conn, StoredRefundPolicy& p) {
  db::Execute(conn,
              "INSERT INTO refund_policies (from_month, to_month, "
              "small_micro_only, refund_bp, description) "
              "VALUES (?, ?, ?, ?, ?)",
              dates::FormatMonth(p.policy.from),
              dates::FormatMonth(p.policy.to), p.policy.small_micro_only,
              p.policy.refund_bp, p.description);
  p.policy_id = db::LastInsertId(conn);
  p.created_at = CreatedAt(conn, "refund_policies", "policy_id", p.policy_id);
}

std::string SharesToJson(
    const std::vector<std::pair<std::string, int64_t>>& shares) {
  std::string out = "[";
  for (size_t i = 0; i < shares.size(); ++i) {
    absl::StrAppend(&out, i == 0 ? "" : ",", "[\"", shares[i].first, "\",",
                    shares[i].second, "]");
  }
  out += "]";
  return out;
}

std::optional<std::vector<std::pair<std::string, int64_t>>> SharesFromJson(
    const std::string& json) {
  absl::string_view text = absl::StripAsciiWhitespace(json);
  if (!absl::ConsumePrefix(&text, "[") || !absl::ConsumeSuffix(&text, "]")) {
    return std::nullopt;
  }
  std::vector<std::pair<std::string, int64_t>> shares;
  if (text.empty()) return shares;
  if (!absl::ConsumePrefix(&text, "[") || !absl::ConsumeSuffix(&text, "]")) {
    return std::nullopt;
  }
  for (absl::string_view item : absl::StrSplit(text, "],[")) {
    std::pair<absl::string_view, absl::string_view> parts =
        absl::StrSplit(item, absl::MaxSplits(',', 1));
    absl::string_view level = parts.first;
    int64_t amount = 0;
    if (!absl::ConsumePrefix(&level, "\"") ||
        !absl::ConsumeSuffix(&level, "\"") ||
        !absl::SimpleAtoi(parts.second, &amount)) {
      return std::nullopt;
    }
    shares.emplace_back(std::string(level), amount);
  }
  return shares;
}

}  // namespace unionhub::finance::store
