// Members, their periods and history.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/core/dates.h"
#include "common/crypto/pii_global.h"
#include "common/db/sql.h"
#include "common/db/timestamps.h"
#include "services/membership/store/rows.h"
#include "services/membership/store/store.h"

namespace unionhub::membership::store {
namespace {

using db::Execute;
using db::Query;

std::string MemberSelect(absl::string_view where) {
  return absl::StrCat("SELECT ", MemberColumns(), " FROM members m WHERE ",
                      where);
}

absl::StatusOr<v1::Member> OneMember(std::unique_ptr<sql::ResultSet> rs,
                                     absl::string_view what) {
  if (!rs->next()) return absl::NotFoundError(absl::StrCat(what, " not found"));
  return MemberFromRow(*rs);
}

constexpr int kMemberColumnCount = 22;

std::string NationalIdIndex(const std::string& national_id) {
  return crypto::Pii().Index(national_id, crypto::kNationalIdContext);
}

}  // namespace

absl::StatusOr<v1::Member> GetMember(Connection& conn, int64_t member_id,
                                     bool for_update) {
  return OneMember(
      Query(conn, MemberSelect(for_update ? "m.id = ? FOR UPDATE" : "m.id = ?"),
            member_id),
      absl::StrCat("member ", member_id));
}

absl::StatusOr<v1::Member> FindMemberByNationalId(
    Connection& conn, const std::string& national_id, bool for_update) {
  return OneMember(
      Query(conn,
            MemberSelect(for_update ? "m.national_id_index = ? FOR UPDATE"
                                    : "m.national_id_index = ?"),
            db::Bytes{NationalIdIndex(national_id)}),
      "member with this national ID");
}

absl::StatusOr<v1::Member> FindMemberByCard(Connection& conn,
                                            const std::string& card_number) {
  return OneMember(Query(conn, MemberSelect("m.card_number = ?"), card_number),
                   absl::StrCat("member card ", card_number));
}

std::map<std::string, v1::Member> FindMembersByNationalIds(
    Connection& conn, const std::vector<std::string>& national_ids) {
  std::map<std::string, v1::Member> found;
  if (national_ids.empty()) return found;
  sql::PreparedStatement& ps = conn.Prepare(MemberSelect(absl::StrCat(
      "m.national_id_index IN (",
      db::InList(static_cast<int>(national_ids.size())), ") FOR UPDATE")));
  db::Binder binder(ps);
  std::vector<std::string> indexes;
  indexes.reserve(national_ids.size());
  for (const std::string& id : national_ids) {
    indexes.push_back(NationalIdIndex(id));
  }
  for (const std::string& index : indexes) binder.Add(db::Bytes{index});
  std::unique_ptr<sql::ResultSet> rs(ps.executeQuery());
  while (rs->next()) {
    v1::Member member = MemberFromRow(*rs);
    found.emplace(member.national_id(), std::move(member));
  }
  return found;
}

int64_t AllocateMemberIds(Connection& conn, int count) {
  Execute(conn,
          "UPDATE counters SET value = LAST_INSERT_ID(value + ?) WHERE name = "
          "'member_id'",
          static_cast<int64_t>(count));
  return db::LastInsertId(conn) - count + 1;
}

std::string CardNumberFor(int64_t member_id) {
  return absl::StrFormat("GH%010d", member_id);
}

void InsertNewMembers(Connection& conn, const std::vector<v1::Member>& members,
                      const std::string& request_id) {
  if (members.empty()) return;
  const int n = static_cast<int>(members.size());
  {
    sql::PreparedStatement& ps = conn.Prepare(absl::StrCat(
        "INSERT INTO members (id, national_id_sealed, national_id_index, name, "
        "sex, birth_date, mobile, "
        "household, ethnicity, education, front_line, migrant_worker, "
        "model_worker_level, enterprise_leader, wage_base_fen, org_id, "
        "card_number, status, retained_reason, status_reason, joined_on, "
        "status_since) VALUES ",
        db::Placeholders(n, kMemberColumnCount)));
    db::Binder b(ps);
    std::vector<std::string> sealed;
    std::vector<std::string> indexes;
    sealed.reserve(members.size());
    indexes.reserve(members.size());
    for (const v1::Member& m : members) {
      sealed.push_back(
          crypto::Pii().Seal(m.national_id(), crypto::kNationalIdContext));
      indexes.push_back(NationalIdIndex(m.national_id()));
    }
    for (size_t i = 0; i < members.size(); ++i) {
      const v1::Member& m = members[i];
      b.Add(m.member_id())
          .Add(db::Bytes{sealed[i]})
          .Add(db::Bytes{indexes[i]})
          .Add(m.name())
          .Add(static_cast<int64_t>(m.sex()))
          .Add(m.birth_date())
          .Add(m.mobile())
          .Add(static_cast<int64_t>(m.household()))
          .Add(m.ethnicity())
          .Add(static_cast<int64_t>(m.education()))
          .Add(m.front_line())
          .Add(m.migrant_worker())
          .Add(static_cast<int64_t>(m.model_worker_level()))
          .Add(m.enterprise_leader())
          .Add(m.wage_base_fen())
          .Add(m.org_id())
          .Add(m.card_number())
          .Add(static_cast<int64_t>(m.status()))
          .Add(static_cast<int64_t>(m.retained_reason()))
          .Add(m.status_reason())
          .Add(m.joined_on())
          .Add(m.status_since());
    }
    ps.executeUpdate();
  }
  {
    sql::PreparedStatement& ps = conn.Prepare(absl::StrCat(
        "INSERT INTO member_periods (member_id, valid_from, org_id, status) "
        "VALUES ",
        db::Placeholders(n, 4)));
    db::Binder b(ps);
    for (const v1::Member& m : members) {
      b.Add(m.member_id())
          .Add(m.joined_on())
          .Add(m.org_id())
          .Add(static_cast<int64_t>(m.status()));
    }
    ps.executeUpdate();
  }
  {
    sql::PreparedStatement& ps = conn.Prepare(absl::StrCat(
        "INSERT INTO member_history (member_id, kind, effective_on, "
        "to_org_id, to_status, request_id) VALUES ",
        db::Placeholders(n, 6)));
    db::Binder b(ps);
    for (const v1::Member& m : members) {
      b.Add(m.member_id())
          .Add(static_cast<int64_t>(v1::HISTORY_KIND_JOINED))
          .Add(m.joined_on())
          .Add(m.org_id())
          .Add(static_cast<int64_t>(m.status()))
          .Add(request_id);
    }
    ps.executeUpdate();
  }
}

std::vector<v1::Member> GetMembersInRange(Connection& conn, int64_t first,
                                          int64_t last) {
  auto rs = Query(conn, MemberSelect("m.id BETWEEN ? AND ? ORDER BY m.id"),
                  first, last);
  std::vector<v1::Member> out;
  while (rs->next()) out.push_back(MemberFromRow(*rs));
  return out;
}

void SaveMember(Connection& conn, const v1::Member& m) {
  Execute(conn,
          "UPDATE members SET name = ?, mobile = ?, household = ?, ethnicity "
          "= ?, education = ?, front_line = ?, migrant_worker = ?, "
          "model_worker_level = ?, enterprise_leader = ?, wage_base_fen = ?, "
          "org_id = ?, status = ?, retained_reason = ?, status_reason = ?, "
          "joined_on = ?, status_since = ?, updated_at = CURRENT_TIMESTAMP(6) "
          "WHERE id = ?",
          m.name(), m.mobile(), static_cast<int64_t>(m.household()),
          m.ethnicity(), static_cast<int64_t>(m.education()), m.front_line(),
          m.migrant_worker(), static_cast<int64_t>(m.model_worker_level()),
          m.enterprise_leader(), m.wage_base_fen(), m.org_id(),
          static_cast<int64_t>(m.status()),
          static_cast<int64_t>(m.retained_reason()), m.status_reason(),
          m.joined_on(), m.status_since(), m.member_id());
}

absl::StatusOr<absl::CivilDay> CurrentPeriodStart(Connection& conn,
                                                  int64_t member_id) {
  auto rs = Query(conn,
                  "SELECT valid_from FROM member_periods WHERE member_id = ? "
                  "AND valid_to IS NULL FOR UPDATE",
                  member_id);
  if (!rs->next()) {
    return absl::InternalError(
        absl::StrCat("member ", member_id, " has no open period"));
  }
  return dates::ParseDate(db::GetString(*rs, "valid_from"));
}

absl::Status ChangePeriod(Connection& conn, int64_t member_id,
                          absl::CivilDay effective_on, int64_t org_id,
                          v1::MemberStatus status) {
  absl::StatusOr<absl::CivilDay> start = CurrentPeriodStart(conn, member_id);
  if (!start.ok()) return start.status();
  const std::string day = dates::FormatDate(effective_on);
  if (effective_on < *start) {
    return absl::FailedPreconditionError(absl::StrCat(
        "effective_on ", day, " is before the member's last change on ",
        dates::FormatDate(*start)));
  }
  if (effective_on == *start) {
    Execute(conn,
            "UPDATE member_periods SET org_id = ?, status = ? WHERE member_id "
            "= ? AND valid_from = ?",
            org_id, static_cast<int64_t>(status), member_id, day);
    return absl::OkStatus();
  }
  Execute(conn,
          "UPDATE member_periods SET valid_to = ? WHERE member_id = ? AND "
          "valid_to IS NULL",
          day, member_id);
  Execute(conn,
          "INSERT INTO member_periods (member_id, valid_from, org_id, status) "
          "VALUES (?, ?, ?, ?)",
          member_id, day, org_id, static_cast<int64_t>(status));
  return absl::OkStatus();
}

void InsertHistory(Connection& conn, int64_t member_id,
                   const v1::HistoryEntry& e) {
  Execute(conn,
          "INSERT INTO member_history (member_id, kind, effective_on, "
          "from_org_id, to_org_id, from_status, to_status, reason, "
          "changed_fields, request_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          member_id, static_cast<int64_t>(e.kind()), e.effective_on(),
          e.from_org_id(), e.to_org_id(), static_cast<int64_t>(e.from_status()),
          static_cast<int64_t>(e.to_status()), e.reason(),
          absl::StrJoin(e.changed_fields(), ","), e.request_id());
}

std::vector<v1::HistoryEntry> ListHistory(Connection& conn, int64_t member_id) {
  auto rs = Query(conn,
                  "SELECT kind, effective_on, from_org_id, to_org_id, "
                  "from_status, to_status, reason, changed_fields, request_id, "
                  "recorded_at FROM member_history WHERE member_id = ? "
                  "ORDER BY id",
                  member_id);
  std::vector<v1::HistoryEntry> entries;
  while (rs->next()) {
    v1::HistoryEntry e;
    e.set_kind(static_cast<v1::HistoryKind>(rs->getInt("kind")));
    e.set_effective_on(db::GetString(*rs, "effective_on"));
    e.set_from_org_id(rs->getInt64("from_org_id"));
    e.set_to_org_id(rs->getInt64("to_org_id"));
    e.set_from_status(static_cast<v1::MemberStatus>(rs->getInt("from_status")));
    e.set_to_status(static_cast<v1::MemberStatus>(rs->getInt("to_status")));
    e.set_reason(db::GetString(*rs, "reason"));
    for (absl::string_view field : absl::StrSplit(
             db::GetString(*rs, "changed_fields"), ',', absl::SkipEmpty())) {
      e.add_changed_fields(std::string(field));
    }
    e.set_request_id(db::GetString(*rs, "request_id"));
    db::SetFromDbTimestamp(db::GetString(*rs, "recorded_at"),
                           e.mutable_record_time());
    entries.push_back(std::move(e));
  }
  return entries;
}

namespace {
// `text` as a LIKE pattern matching itself: the wildcards and the escape
// character ('!', chosen over '\\' so sql_mode NO_BACKSLASH_ESCAPES does
// not change the meaning) escaped.
std::string LikeLiteral(absl::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '%' || c == '_' || c == '!') out += '!';
    out += c;
  }
  return out;
}
}  // namespace

std::vector<v1::Member> ListMembers(Connection& conn,
                                    const MemberFilter& filter,
                                    int64_t after_id, int limit) {
  // Ordered by id: a stable order, and the key of the page token.
  std::string from = "members m";
  std::string where = "m.id > ?";
  if (filter.org_id != 0) {
    where += " AND m.org_id = ?";
  } else if (!filter.subtree_path.empty()) {
    from = "members m JOIN orgs o ON o.id = m.org_id";
    where += " AND o.path LIKE ?";
  }
  if (filter.status != v1::MEMBER_STATUS_UNSPECIFIED)
    where += " AND m.status = ?";
  if (filter.front_line_only) where += " AND m.front_line";
  if (filter.migrant_worker_only) where += " AND m.migrant_worker";
  if (filter.enterprise_leader_only) where += " AND m.enterprise_leader";
  if (filter.min_model_worker_level != v1::MODEL_WORKER_LEVEL_UNSPECIFIED) {
    where += " AND m.model_worker_level >= ?";
  }
  if (!filter.name_prefix.empty()) where += " AND m.name LIKE ? ESCAPE '!'";
  sql::PreparedStatement& ps =
      conn.Prepare(absl::StrCat("SELECT ", MemberColumns(), " FROM ", from,
                                " WHERE ", where, " ORDER BY m.id LIMIT ?"));
  db::Binder b(ps);
  b.Add(after_id);
  if (filter.org_id != 0) {
    b.Add(filter.org_id);
  } else if (!filter.subtree_path.empty()) {
    b.Add(absl::StrCat(filter.subtree_path, "%"));
  }
  if (filter.status != v1::MEMBER_STATUS_UNSPECIFIED) {
    b.Add(static_cast<int64_t>(filter.status));
  }
  if (filter.min_model_worker_level != v1::MODEL_WORKER_LEVEL_UNSPECIFIED) {
    b.Add(static_cast<int64_t>(filter.min_model_worker_level));
  }
  if (!filter.name_prefix.empty()) {
    b.Add(absl::StrCat(LikeLiteral(filter.name_prefix), "%"));
  }
  b.Add(static_cast<int64_t>(limit));
  std::unique_ptr<sql::ResultSet> rs(ps.executeQuery());
  std::vector<v1::Member> out;
  while (rs->next()) out.push_back(MemberFromRow(*rs));
  return out;
}

}  // namespace unionhub::membership::store
