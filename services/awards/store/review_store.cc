#include "services/awards/store/review_store.h"

#include "absl/strings/str_cat.h"
#include "common/db/sql.h"

namespace unionhub::awards::store {
namespace {

v1::Reviewer ReadReviewer(sql::ResultSet& rs) {
  v1::Reviewer r;
  r.set_subject(db::GetString(rs, "subject"));
  r.set_name(db::GetString(rs, "name"));
  r.set_org_id(db::GetInt64(rs, "org_id"));
  return r;
}

constexpr char kObjectionColumns[] =
    "id, program_id, nomination_id, filed_by, grounds, status, resolution, "
    "resolved_by, UNIX_TIMESTAMP(created_at) AS created_s, "
    "COALESCE(UNIX_TIMESTAMP(resolved_at), 0) AS resolved_s";

v1::Objection ReadObjection(sql::ResultSet& rs) {
  v1::Objection o;
  o.set_objection_id(db::GetInt64(rs, "id"));
  o.set_program_id(db::GetInt64(rs, "program_id"));
  o.set_nomination_id(db::GetInt64(rs, "nomination_id"));
  o.set_filed_by(db::GetString(rs, "filed_by"));
  o.set_grounds(db::GetString(rs, "grounds"));
  o.set_status(static_cast<v1::ObjectionStatus>(db::GetInt64(rs, "status")));
  o.set_resolution(db::GetString(rs, "resolution"));
  o.set_resolved_by(db::GetString(rs, "resolved_by"));
  o.mutable_create_time()->set_seconds(db::GetInt64(rs, "created_s"));
  if (const int64_t resolved = db::GetInt64(rs, "resolved_s"); resolved > 0) {
    o.mutable_resolve_time()->set_seconds(resolved);
  }
  return o;
}

constexpr char kHonourColumns[] =
    "id, program_id, nomination_id, title, level, year, subject_type, "
    "member_id, org_id, subject_name, DATE_FORMAT(awarded_on, '%Y-%m-%d') AS "
    "awarded_on, status, revoked_reason, COALESCE(DATE_FORMAT(revoked_on, "
    "'%Y-%m-%d'), '') AS revoked_on";

v1::Honour ReadHonour(sql::ResultSet& rs) {
  v1::Honour h;
  h.set_honour_id(db::GetInt64(rs, "id"));
  h.set_program_id(db::GetInt64(rs, "program_id"));
  h.set_nomination_id(db::GetInt64(rs, "nomination_id"));
  h.set_title(db::GetString(rs, "title"));
  h.set_level(static_cast<v1::AwardLevel>(db::GetInt64(rs, "level")));
  h.set_year(static_cast<int32_t>(db::GetInt64(rs, "year")));
  h.set_subject_type(
      static_cast<v1::SubjectType>(db::GetInt64(rs, "subject_type")));
  h.set_member_id(db::GetInt64(rs, "member_id"));
  h.set_org_id(db::GetInt64(rs, "org_id"));
  h.set_subject_name(db::GetString(rs, "subject_name"));
  h.set_awarded_on(db::GetString(rs, "awarded_on"));
  h.set_status(static_cast<v1::HonourStatus>(db::GetInt64(rs, "status")));
  h.set_revoked_reason(db::GetString(rs, "revoked_reason"));
  h.set_revoked_on(db::GetString(rs, "revoked_on"));
  return h;
}

}  // namespace

void AddReviewer(db::Connection& conn, int64_t program_id,
                 const v1::Reviewer& reviewer) {
  db::Execute(conn,
              "INSERT IGNORE INTO reviewers (program_id, subject, name, "
              "org_id) VALUES (?, ?, ?, ?)",
              program_id, reviewer.subject(), reviewer.name(),
              reviewer.org_id());
}

std::vector<v1::Reviewer> ListReviewers(db::Connection& conn,
                                        int64_t program_id) {
  auto rs = db::Query(conn,
                      "SELECT subject, name, org_id FROM reviewers WHERE "
                      "program_id = ? ORDER BY subject",
                      program_id);
  std::vector<v1::Reviewer> out;
  while (rs->next()) out.push_back(ReadReviewer(*rs));
  return out;
}

std::optional<v1::Reviewer> FindReviewer(db::Connection& conn,
                                         int64_t program_id,
                                         const std::string& subject) {
  auto rs = db::Query(conn,
                      "SELECT subject, name, org_id FROM reviewers WHERE "
                      "program_id = ? AND subject = ?",
                      program_id, subject);
  if (!rs->next()) return std::nullopt;
  return ReadReviewer(*rs);
}

void PutVote(db::Connection& conn, int64_t nomination_id,
             const std::string& subject, v1::VoteChoice choice) {
  db::Execute(conn,
              "INSERT INTO votes (nomination_id, subject, choice) VALUES (?, "
              "?, ?) ON DUPLICATE KEY UPDATE choice = VALUES(choice), "
              "updated_at = CURRENT_TIMESTAMP(6)",
              nomination_id, subject, choice);
}

void AddComment(db::Connection& conn, int64_t nomination_id,
                const std::string& subject, const std::string& comment) {
  db::Execute(conn,
              "INSERT INTO vote_comments (nomination_id, subject, comment) "
              "VALUES (?, ?, ?)",
              nomination_id, subject, comment);
}

v1::VoteTally LoadTally(db::Connection& conn, int64_t nomination_id) {
  v1::VoteTally tally;
  auto rs = db::Query(conn,
                      "SELECT choice, COUNT(*) AS n FROM votes WHERE "
                      "nomination_id = ? GROUP BY choice",
                      nomination_id);
  while (rs->next()) {
    const int32_t n = static_cast<int32_t>(db::GetInt64(*rs, "n"));
    switch (db::GetInt64(*rs, "choice")) {
      case v1::VOTE_CHOICE_APPROVE:
        tally.set_approve(n);
        break;
      case v1::VOTE_CHOICE_REJECT:
        tally.set_reject(n);
        break;
      case v1::VOTE_CHOICE_ABSTAIN:
        tally.set_abstain(n);
        break;
      default:
        break;
    }
  }
  auto comments = db::Query(
      conn, "SELECT COUNT(*) AS n FROM vote_comments WHERE nomination_id = ?",
      nomination_id);
  comments->next();
  tally.set_comments(static_cast<int32_t>(db::GetInt64(*comments, "n")));
  return tally;
}

int64_t InsertObjection(db::Connection& conn, const v1::Objection& o) {
  db::Execute(conn,
              "INSERT INTO objections (program_id, nomination_id, filed_by, "
              "grounds, status, resolution) VALUES (?, ?, ?, ?, ?, '')",
              o.program_id(), o.nomination_id(), o.filed_by(), o.grounds(),
              v1::OBJECTION_STATUS_OPEN);
  return db::LastInsertId(conn);
}

absl::StatusOr<v1::Objection> LoadObjection(db::Connection& conn,
                                            int64_t objection_id,
                                            bool for_update) {
  auto rs = db::Query(conn,
                      absl::StrCat("SELECT ", kObjectionColumns,
                                   " FROM objections WHERE id = ?",
                                   for_update ? " FOR UPDATE" : ""),
                      objection_id);
  if (!rs->next()) {
    return absl::NotFoundError(absl::StrCat("objection ", objection_id));
  }
  return ReadObjection(*rs);
}

void ResolveObjection(db::Connection& conn, const v1::Objection& o) {
  db::Execute(conn,
              "UPDATE objections SET status = ?, resolution = ?, resolved_by "
              "= ?, resolved_at = CURRENT_TIMESTAMP(6) WHERE id = ?",
              o.status(), o.resolution(), o.resolved_by(), o.objection_id());
}

std::vector<v1::Objection> ListObjections(db::Connection& conn,
                                          int64_t program_id,
                                          v1::ObjectionStatus status) {
  auto rs = db::Query(conn,
                      absl::StrCat("SELECT ", kObjectionColumns,
                                   " FROM objections WHERE program_id = ? AND "
                                   "(? = 0 OR status = ?) ORDER BY id"),
                      program_id, status, status);
  std::vector<v1::Objection> out;
  while (rs->next()) out.push_back(ReadObjection(*rs));
  return out;
}

int64_t CountOpenObjections(db::Connection& conn, int64_t program_id) {
  auto rs = db::Query(conn,
                      "SELECT COUNT(*) AS n FROM objections WHERE program_id "
                      "= ? AND status = ?",
                      program_id, v1::OBJECTION_STATUS_OPEN);
  rs->next();
  return db::GetInt64(*rs, "n");
}

int64_t InsertHonour(db::Connection& conn, const v1::Honour& h) {
  db::Execute(conn,
              "INSERT INTO honours (program_id, nomination_id, title, level, "
              "year, subject_type, member_id, org_id, subject_name, "
              "awarded_on, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
              h.program_id(), h.nomination_id(), h.title(), h.level(), h.year(),
              h.subject_type(), h.member_id(), h.org_id(), h.subject_name(),
              h.awarded_on(), v1::HONOUR_STATUS_ACTIVE);
  return db::LastInsertId(conn);
}

absl::StatusOr<v1::Honour> LoadHonour(db::Connection& conn, int64_t honour_id,
                                      bool for_update) {
  auto rs = db::Query(
      conn,
      absl::StrCat("SELECT ", kHonourColumns, " FROM honours WHERE id = ?",
                   for_update ? " FOR UPDATE" : ""),
      honour_id);
  if (!rs->next()) {
    return absl::NotFoundError(absl::StrCat("honour ", honour_id));
  }
  return ReadHonour(*rs);
}

void RevokeHonour(db::Connection& conn, int64_t honour_id,
                  const std::string& reason, const std::string& revoked_on) {
  db::Execute(conn,
              "UPDATE honours SET status = ?, revoked_reason = ?, revoked_on "
              "= ? WHERE id = ?",
              v1::HONOUR_STATUS_REVOKED, reason, revoked_on, honour_id);
}

std::vector<v1::Honour> ListHonours(db::Connection& conn,
                                    const HonourFilter& f) {
  auto rs = db::Query(
      conn,
      absl::StrCat("SELECT ", kHonourColumns,
                   " FROM honours WHERE id > ? AND (? = 0 OR member_id = ?) "
                   "AND (? = 0 OR org_id = ?) AND (? = 0 OR program_id = ?) "
                   "ORDER BY id LIMIT ?"),
      f.after_id, f.member_id, f.member_id, f.org_id, f.org_id, f.program_id,
      f.program_id, f.limit);
  std::vector<v1::Honour> out;
  while (rs->next()) out.push_back(ReadHonour(*rs));
  return out;
}

std::vector<int64_t> RecentSameHonours(db::Connection& conn, int64_t member_id,
                                       int64_t org_id, const std::string& title,
                                       v1::AwardLevel level,
                                       int32_t since_year) {
  auto rs = db::Query(
      conn,
      "SELECT id FROM honours WHERE status = ? AND title = ? AND level = ? "
      "AND year >= ? AND ((? <> 0 AND member_id = ?) OR (? = 0 AND "
      "subject_type <> ? AND org_id = ?)) ORDER BY id",
      v1::HONOUR_STATUS_ACTIVE, title, level, since_year, member_id, member_id,
      member_id, v1::SUBJECT_TYPE_INDIVIDUAL, org_id);
  std::vector<int64_t> ids;
  while (rs->next()) ids.push_back(db::GetInt64(*rs, "id"));
  return ids;
}

}  // namespace unionhub::awards::store
