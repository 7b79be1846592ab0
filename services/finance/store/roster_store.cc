#include "services/finance/store/roster_store.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "common/core/dates.h"
#include "common/crypto/pii_global.h"
#include "common/db/sql.h"
#include "services/finance/store/paths.h"

namespace unionhub::finance::store {
namespace {

namespace mv1 = ::unionhub::membership::v1;
using db::Connection;

std::string PathOf(const mv1::Org& org) {
  std::string path = "/";
  for (int64_t id : org.ancestor_ids()) absl::StrAppend(&path, id, "/");
  absl::StrAppend(&path, org.org_id(), "/");
  return path;
}

// A province's code is its first two digits padded with zeros ("320000").
std::string ProvinceOf(const std::string& region_code) {
  if (region_code.size() < 2) return "";
  return region_code.substr(0, 2) + "0000";
}

std::string ParentProvince(Connection& conn, int64_t parent_id) {
  auto rs =
      db::Query(conn, "SELECT province_code FROM roster_orgs WHERE org_id = ?",
                parent_id);
  return rs->next() ? db::GetString(*rs, "province_code") : "";
}

// The date a change took effect: the event's effective_on, else the day it
// was recorded (China time).
std::string EffectiveDate(const mv1::Event& event) {
  if (!event.effective_on().empty()) return event.effective_on();
  const absl::Time recorded =
      absl::FromUnixSeconds(event.record_time().seconds());
  return dates::FormatDate(
      absl::ToCivilDay(recorded, absl::FixedTimeZone(8 * 3600)));
}

struct EmployerState {
  bool known = false;
  bool union_established = false;
};

EmployerState LoadEmployer(Connection& conn, int64_t employer_id) {
  auto rs = db::Query(conn,
                      "SELECT union_established FROM roster_employers "
                      "WHERE employer_id = ?",
                      employer_id);
  EmployerState state;
  if (rs->next()) {
    state.known = true;
    state.union_established = db::GetBool(*rs, "union_established");
  }
  return state;
}

bool UnionEstablished(Connection& conn, int64_t union_org_id) {
  if (union_org_id == 0) return false;
  auto rs = db::Query(conn, "SELECT status FROM roster_orgs WHERE org_id = ?",
                      union_org_id);
  return rs->next() && db::GetInt64(*rs, "status") ==
                           static_cast<int64_t>(mv1::ORG_STATUS_ESTABLISHED);
}

void UpsertEmployer(Connection& conn, const mv1::Employer& employer,
                    bool union_established) {
  db::Execute(
      conn,
      "INSERT INTO roster_employers (employer_id, name, credit_code, "
      "union_org_id, area_org_id, union_established, headcount, "
      "above_designated_size) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
      "ON DUPLICATE KEY UPDATE name = VALUES(name), "
      "credit_code = VALUES(credit_code), union_org_id = VALUES(union_org_id), "
      "area_org_id = VALUES(area_org_id), "
      "union_established = VALUES(union_established), "
      "headcount = VALUES(headcount), "
      "above_designated_size = VALUES(above_designated_size)",
      employer.employer_id(), employer.name(), employer.credit_code(),
      employer.union_org_id(), employer.area_org_id(), union_established,
      static_cast<int64_t>(employer.headcount()),
      employer.above_designated_size());
}

// An employer whose union has just become established (created established,
// or a 筹备组 established) gets its preparation fund back.
absl::Status ApplyEmployerOfUnion(Connection& conn, const mv1::Org& org,
                                  const std::string& request_id,
                                  const UnionEstablishedHook& hook) {
  if (org.employer().employer_id() == 0) return absl::OkStatus();
  mv1::Employer employer = org.employer();
  employer.set_union_org_id(org.org_id());
  const bool established = org.status() == mv1::ORG_STATUS_ESTABLISHED;
  const EmployerState before = LoadEmployer(conn, employer.employer_id());
  UpsertEmployer(conn, employer, established);
  if (established && !before.union_established) {
    return hook(conn, employer.employer_id(), org.org_id(), request_id);
  }
  return absl::OkStatus();
}

// The subtree rollups: per table, its extra key columns and the summed
// columns that belong to a whole subtree (own_* columns stay with the org).
struct RollupTable {
  const char* name;
  std::vector<const char*> keys;
  std::vector<const char*> sums;
};

const std::vector<RollupTable>& RollupTables() {
  static const auto* tables = new std::vector<RollupTable>{
      // Shard rows move one for one: every writer puts a transaction's
      // rows for all of a path's orgs in the same shard (migration 0007).
      {"collection_rollup",
       {"month", "shard"},
       {"due_fen", "paid_fen", "members_charged", "members_paid"}},
      {"funds_rollup",
       {"month"},
       {"declared_payroll_fen", "appropriation_fen", "collected_fen",
        "returned_fen", "upward_fen", "preparation_held_fen",
        "preparation_returned_fen"}},
      {"funds_upward_rollup", {"month", "level"}, {"amount_fen"}},
      {"spending_rollup",
       {"month", "category"},
       {"amount_fen", "front_line_fen", "expenses"}},
  };
  return *tables;
}

// Tables holding an org path copied at write time.
const std::vector<const char*>& PathColumnsTables() {
  static const auto* tables = new std::vector<const char*>{
      "dues_charges",         "dues_suspense", "payroll_declarations",
      "funds_employer_month", "expenses",      "engagements",
      "dues_arrears_summary"};
  return *tables;
}

// The moved org's subtree totals leave the ancestors it no longer has and
// join the ones it gained; ancestors on both paths are unchanged.
void MoveRollups(Connection& conn, int64_t org_id,
                 const std::vector<int64_t>& leaving,
                 const std::vector<int64_t>& joining) {
  for (const RollupTable& table : RollupTables()) {
    std::vector<std::string> join_on, subtract, columns, add;
    for (const char* key : table.keys) {
      join_on.push_back(absl::StrCat("m.", key, " = a.", key));
      columns.push_back(key);
    }
    for (const char* sum : table.sums) {
      subtract.push_back(absl::StrCat("a.", sum, " = a.", sum, " - m.", sum));
      columns.push_back(sum);
      add.push_back(absl::StrCat(sum, " = ", table.name, ".", sum, " + VALUES(",
                                 sum, ")"));
    }
    for (int64_t ancestor : leaving) {
      db::Execute(
          conn,
          absl::StrCat("UPDATE ", table.name, " a JOIN ", table.name,
                       " m ON m.org_id = ? AND ",
                       absl::StrJoin(join_on, " AND "), " SET ",
                       absl::StrJoin(subtract, ", "), " WHERE a.org_id = ?"),
          org_id, ancestor);
    }
    for (int64_t ancestor : joining) {
      // Through a derived table: MariaDB may not read the table it inserts
      // into in the same statement otherwise.
      db::Execute(
          conn,
          absl::StrCat("INSERT INTO ", table.name, " (org_id, ",
                       absl::StrJoin(columns, ", "), ") SELECT ?, ",
                       absl::StrJoin(columns, ", "), " FROM (SELECT ",
                       absl::StrJoin(columns, ", "), " FROM ", table.name,
                       " WHERE org_id = ?) moved ", "ON DUPLICATE KEY UPDATE ",
                       absl::StrJoin(add, ", ")),
          ancestor, org_id);
    }
  }
}

void MoveSubtree(Connection& conn, int64_t org_id, const std::string& old_path,
                 const std::string& new_path) {
  std::vector<int64_t> old_ids = PathIds(old_path);
  std::vector<int64_t> new_ids = PathIds(new_path);
  if (!old_ids.empty()) old_ids.pop_back();  // the org itself
  if (!new_ids.empty()) new_ids.pop_back();
  std::vector<int64_t> leaving, joining;
  for (int64_t id : old_ids) {
    if (std::find(new_ids.begin(), new_ids.end(), id) == new_ids.end()) {
      leaving.push_back(id);
    }
  }
  for (int64_t id : new_ids) {
    if (std::find(old_ids.begin(), old_ids.end(), id) == old_ids.end()) {
      joining.push_back(id);
    }
  }
  MoveRollups(conn, org_id, leaving, joining);
  const int64_t keep_from = static_cast<int64_t>(old_path.size()) + 1;
  db::Execute(conn,
              "UPDATE roster_orgs SET path = CONCAT(?, SUBSTRING(path, ?)) "
              "WHERE path LIKE ?",
              new_path, keep_from, SubtreePattern(old_path));
  for (const char* table : PathColumnsTables()) {
    db::Execute(
        conn,
        absl::StrCat("UPDATE ", table,
                     " SET org_path = CONCAT(?, SUBSTRING(org_path, ?)) "
                     "WHERE org_path LIKE ?"),
        new_path, keep_from, SubtreePattern(old_path));
  }
}

absl::Status ApplyOrg(Connection& conn, const mv1::Event& event,
                      const std::string& request_id,
                      const UnionEstablishedHook& hook) {
  const mv1::Org& org = event.org();
  const std::string path = PathOf(org);
  std::string province = ProvinceOf(org.region_code());
  if (province.empty() && org.parent_id() != 0) {
    province = ParentProvince(conn, org.parent_id());
  }
  std::string old_path;
  {
    auto rs = db::Query(conn, "SELECT path FROM roster_orgs WHERE org_id = ?",
                        org.org_id());
    if (rs->next()) old_path = db::GetString(*rs, "path");
  }
  if (!old_path.empty() && old_path != path) {
    MoveSubtree(conn, org.org_id(), old_path, path);
    // Descendants without a region code of their own follow the move.
    db::Execute(conn,
                "UPDATE roster_orgs SET province_code = ? "
                "WHERE path LIKE ? AND region_code = ''",
                province, SubtreePattern(path));
  }
  db::Execute(conn,
              "INSERT INTO roster_orgs (org_id, parent_id, path, name, type, "
              "status, region_code, province_code) "
              "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE "
              "parent_id = VALUES(parent_id), path = VALUES(path), "
              "name = VALUES(name), type = VALUES(type), "
              "status = VALUES(status), region_code = VALUES(region_code), "
              "province_code = VALUES(province_code)",
              org.org_id(), org.parent_id(), path, org.name(),
              static_cast<int64_t>(org.type()),
              static_cast<int64_t>(org.status()), org.region_code(), province);
  return ApplyEmployerOfUnion(conn, org, request_id, hook);
}

absl::Status ApplyEmployer(Connection& conn, const mv1::Employer& employer,
                           const std::string& request_id,
                           const UnionEstablishedHook& hook) {
  const EmployerState before = LoadEmployer(conn, employer.employer_id());
  const bool established = UnionEstablished(conn, employer.union_org_id());
  UpsertEmployer(conn, employer, established);
  if (established && before.known && !before.union_established) {
    return hook(conn, employer.employer_id(), employer.union_org_id(),
                request_id);
  }
  return absl::OkStatus();
}

void ApplyMember(Connection& conn, const mv1::Event& event) {
  const mv1::Member& member = event.member();
  const std::string index =
      member.national_id().empty()
          ? std::string(32, '\0')
          : crypto::Pii().Index(member.national_id(),
                                crypto::kNationalIdContext);
  db::Execute(conn,
              "INSERT INTO roster_members (member_id, name, national_id_index, "
              "card_number, org_id, status, wage_base_fen) "
              "VALUES (?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE "
              "name = VALUES(name), national_id_index = "
              "VALUES(national_id_index), card_number = VALUES(card_number), "
              "org_id = VALUES(org_id), status = VALUES(status), "
              "wage_base_fen = VALUES(wage_base_fen)",
              member.member_id(), member.name(), db::Bytes{index},
              member.card_number(), member.org_id(),
              static_cast<int64_t>(member.status()), member.wage_base_fen());
  db::Execute(conn,
              "INSERT IGNORE INTO roster_member_states (member_id, valid_from, "
              "sequence, org_id, status, wage_base_fen) "
              "VALUES (?, ?, ?, ?, ?, ?)",
              member.member_id(), EffectiveDate(event), event.sequence(),
              member.org_id(), static_cast<int64_t>(member.status()),
              member.wage_base_fen());
}

absl::Status ApplyEvent(Connection& conn, const mv1::Event& event,
                        const UnionEstablishedHook& hook) {
  const std::string request_id =
      absl::StrCat("membership-event-", event.sequence());
  switch (event.subject_case()) {
    case mv1::Event::kOrg:
      return ApplyOrg(conn, event, request_id, hook);
    case mv1::Event::kEmployer:
      return ApplyEmployer(conn, event.employer(), request_id, hook);
    case mv1::Event::kMember:
      ApplyMember(conn, event);
      return absl::OkStatus();
    case mv1::Event::SUBJECT_NOT_SET:
      break;
  }
  return absl::OkStatus();  // nothing finance follows
}

}  // namespace

int64_t RosterCursor(db::Connection& conn) {
  auto rs =
      db::Query(conn, "SELECT last_sequence FROM roster_cursor WHERE id = 1");
  return rs->next() ? db::GetInt64(*rs, "last_sequence") : 0;
}

absl::StatusOr<int64_t> ApplyRosterEvents(
    db::Connection& conn, const std::vector<membership::v1::Event>& events,
    const UnionEstablishedHook& on_union_established) {
  int64_t cursor = 0;
  {
    auto rs = db::Query(
        conn,
        "SELECT last_sequence FROM roster_cursor WHERE id = 1 FOR UPDATE");
    if (!rs->next()) return absl::InternalError("roster_cursor row missing");
    cursor = db::GetInt64(*rs, "last_sequence");
  }
  const int64_t start = cursor;
  int64_t last_record_seconds = -1;
  for (const mv1::Event& event : events) {
    if (event.sequence() <= cursor) continue;  // replayed
    // Membership's sequences have no holes: a jump means events were lost
    // on the way (or the stored cursor is not where the reader thought).
    // Applying past it would drop them for good, so nothing of the batch
    // is kept and the feed reads again from the stored cursor.
    if (event.sequence() != cursor + 1) {
      return absl::OutOfRangeError(absl::StrCat(
          "roster event ", event.sequence(),
          " does not follow the stored cursor ", cursor, ": events ",
          cursor + 1, " to ", event.sequence() - 1, " are missing"));
    }
    if (absl::Status applied = ApplyEvent(conn, event, on_union_established);
        !applied.ok()) {
      return applied;
    }
    cursor = event.sequence();
    last_record_seconds = event.record_time().seconds();
  }
  if (cursor != start) {
    db::Execute(conn,
                "UPDATE roster_cursor SET last_sequence = ?, "
                "last_event_time = FROM_UNIXTIME(?), applied_at = NOW(6) "
                "WHERE id = 1",
                cursor, last_record_seconds);
  }
  return cursor;
}

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

}  // namespace unionhub::finance::store
