#include "services/awards/store/competition_store.h"

#include "absl/strings/str_cat.h"
#include "common/db/sql.h"

namespace unionhub::awards::store {
namespace {

constexpr char kCompetitionColumns[] =
    "id, organizer_org_id, kind, name, year, status, linked_program_id, "
    "max_points_centi, COALESCE(DATE_FORMAT(finished_on, '%Y-%m-%d'), '') AS "
    "finished, UNIX_TIMESTAMP(created_at) AS created_s";

v1::Competition ReadCompetition(sql::ResultSet& rs) {
  v1::Competition c;
  c.set_competition_id(db::GetInt64(rs, "id"));
  c.set_organizer_org_id(db::GetInt64(rs, "organizer_org_id"));
  c.set_kind(static_cast<v1::CompetitionKind>(db::GetInt64(rs, "kind")));
  c.set_name(db::GetString(rs, "name"));
  c.set_year(static_cast<int32_t>(db::GetInt64(rs, "year")));
  c.set_status(static_cast<v1::CompetitionStatus>(db::GetInt64(rs, "status")));
  c.set_linked_program_id(db::GetInt64(rs, "linked_program_id"));
  c.set_max_points_centi(db::GetInt64(rs, "max_points_centi"));
  c.set_finished_on(db::GetString(rs, "finished"));
  c.mutable_create_time()->set_seconds(db::GetInt64(rs, "created_s"));
  return c;
}

// Events, judges and the entrant count of a competition read from its row.
void Complete(db::Connection& conn, v1::Competition& c) {
  auto events = db::Query(conn,
                          "SELECT id, name, weight_bp FROM competition_events "
                          "WHERE competition_id = ? ORDER BY position",
                          c.competition_id());
  while (events->next()) {
    v1::CompetitionEvent* e = c.add_events();
    e->set_event_id(db::GetInt64(*events, "id"));
    e->set_name(db::GetString(*events, "name"));
    e->set_weight_bp(static_cast<int32_t>(db::GetInt64(*events, "weight_bp")));
  }
  auto judges = db::Query(conn,
                          "SELECT subject, name FROM competition_judges "
                          "WHERE competition_id = ? ORDER BY position",
                          c.competition_id());
  while (judges->next()) {
    v1::Judge* j = c.add_judges();
    j->set_subject(db::GetString(*judges, "subject"));
    j->set_name(db::GetString(*judges, "name"));
  }
  auto count = db::Query(conn,
                         "SELECT COUNT(*) AS n FROM competition_entrants "
                         "WHERE competition_id = ?",
                         c.competition_id());
  if (count->next()) {
    c.set_entrant_count(static_cast<int32_t>(db::GetInt64(*count, "n")));
  }
}

constexpr char kEntrantColumns[] =
    "id, competition_id, member_id, team_name, employer_org_id, name, "
    "employer_name";

v1::Entrant ReadEntrant(sql::ResultSet& rs) {
  v1::Entrant e;
  e.set_entrant_id(db::GetInt64(rs, "id"));
  e.set_competition_id(db::GetInt64(rs, "competition_id"));
  e.set_member_id(db::GetInt64(rs, "member_id"));
  e.set_team_name(db::GetString(rs, "team_name"));
  e.set_employer_org_id(db::GetInt64(rs, "employer_org_id"));
  e.set_name(db::GetString(rs, "name"));
  e.set_employer_name(db::GetString(rs, "employer_name"));
  return e;
}

}  // namespace

int64_t InsertCompetition(db::Connection& conn, const v1::Competition& c) {
  db::Execute(conn,
              "INSERT INTO competitions (organizer_org_id, kind, name, year, "
              "status, linked_program_id, max_points_centi) VALUES (?, ?, ?, "
              "?, ?, ?, ?)",
              c.organizer_org_id(), c.kind(), c.name(), c.year(), c.status(),
              c.linked_program_id(), c.max_points_centi());
  const int64_t id = db::LastInsertId(conn);
  for (int i = 0; i < c.events_size(); ++i) {
    db::Execute(conn,
                "INSERT INTO competition_events (competition_id, position, "
                "name, weight_bp) VALUES (?, ?, ?, ?)",
                id, i, c.events(i).name(), c.events(i).weight_bp());
  }
  for (int i = 0; i < c.judges_size(); ++i) {
    db::Execute(conn,
                "INSERT INTO competition_judges (competition_id, subject, "
                "position, name) VALUES (?, ?, ?, ?)",
                id, c.judges(i).subject(), i, c.judges(i).name());
  }
  return id;
}

absl::StatusOr<v1::Competition> LoadCompetition(db::Connection& conn,
                                                int64_t competition_id,
                                                bool for_update) {
  auto rs = db::Query(conn,
                      absl::StrCat("SELECT ", kCompetitionColumns,
                                   " FROM competitions WHERE id = ?",
                                   for_update ? " FOR UPDATE" : ""),
                      competition_id);
  if (!rs->next()) {
    return absl::NotFoundError(absl::StrCat("competition ", competition_id));
  }
  v1::Competition c = ReadCompetition(*rs);
  Complete(conn, c);
  return c;
}

void MarkFinished(db::Connection& conn, int64_t competition_id,
                  const std::string& finished_on) {
  db::Execute(conn,
              "UPDATE competitions SET status = ?, finished_on = ?, "
              "updated_at = CURRENT_TIMESTAMP(6) WHERE id = ?",
              v1::COMPETITION_STATUS_FINISHED, finished_on, competition_id);
}

std::vector<v1::Competition> ListCompetitions(db::Connection& conn,
                                              const CompetitionFilter& filter) {
  auto rs = db::Query(
      conn,
      absl::StrCat("SELECT ", kCompetitionColumns,
                   " FROM competitions WHERE id > ? AND (? = 0 OR "
                   "organizer_org_id = ?) AND (? = 0 OR kind = ?) ORDER BY id "
                   "LIMIT ?"),
      filter.after_id, filter.organizer_org_id, filter.organizer_org_id,
      filter.kind, filter.kind, filter.limit);
  std::vector<v1::Competition> out;
  while (rs->next()) out.push_back(ReadCompetition(*rs));
  rs.reset();
  for (v1::Competition& c : out) Complete(conn, c);
  return out;
}

int64_t InsertEntrant(db::Connection& conn, const v1::Entrant& e) {
  db::Execute(conn,
              "INSERT INTO competition_entrants (competition_id, member_id, "
              "team_name, employer_org_id, name, employer_name) VALUES (?, ?, "
              "?, ?, ?, ?)",
              e.competition_id(), e.member_id(), e.team_name(),
              e.employer_org_id(), e.name(), e.employer_name());
  return db::LastInsertId(conn);
}

absl::StatusOr<v1::Entrant> LoadEntrant(db::Connection& conn,
                                        int64_t entrant_id) {
  auto rs = db::Query(conn,
                      absl::StrCat("SELECT ", kEntrantColumns,
                                   " FROM competition_entrants WHERE id = ?"),
                      entrant_id);
  if (!rs->next()) {
    return absl::NotFoundError(absl::StrCat("entrant ", entrant_id));
  }
  return ReadEntrant(*rs);
}

int64_t FindEntrant(db::Connection& conn, int64_t competition_id,
                    int64_t member_id, const std::string& team_name,
                    int64_t employer_org_id) {
  auto rs =
      member_id != 0
          ? db::Query(conn,
                      "SELECT id FROM competition_entrants WHERE "
                      "competition_id = ? AND member_id = ?",
                      competition_id, member_id)
          : db::Query(conn,
                      "SELECT id FROM competition_entrants WHERE "
                      "competition_id = ? AND member_id = 0 AND team_name = ? "
                      "AND employer_org_id = ?",
                      competition_id, team_name, employer_org_id);
  return rs->next() ? db::GetInt64(*rs, "id") : 0;
}

std::vector<v1::Entrant> ListEntrants(db::Connection& conn,
                                      int64_t competition_id, int64_t after_id,
                                      int limit) {
  auto rs = db::Query(
      conn,
      absl::StrCat("SELECT ", kEntrantColumns,
                   " FROM competition_entrants WHERE competition_id = ? AND "
                   "id > ? ORDER BY id LIMIT ?"),
      competition_id, after_id,
      limit > 0 ? static_cast<int64_t>(limit) : INT64_MAX);
  std::vector<v1::Entrant> out;
  while (rs->next()) out.push_back(ReadEntrant(*rs));
  return out;
}

int32_t PutScore(db::Connection& conn, const v1::Score& s) {
  db::Execute(conn,
              "INSERT INTO competition_scores (competition_id, entrant_id, "
              "event_id, judge, points_centi, revision) VALUES (?, ?, ?, ?, "
              "?, 1) ON DUPLICATE KEY UPDATE points_centi = "
              "VALUES(points_centi), revision = revision + 1, updated_at = "
              "CURRENT_TIMESTAMP(6)",
              s.competition_id(), s.entrant_id(), s.event_id(), s.judge(),
              s.points_centi());
  auto rs = db::Query(conn,
                      "SELECT revision FROM competition_scores WHERE "
                      "entrant_id = ? AND event_id = ? AND judge = ?",
                      s.entrant_id(), s.event_id(), s.judge());
  return rs->next() ? static_cast<int32_t>(db::GetInt64(*rs, "revision")) : 0;
}

std::vector<v1::Score> ListScores(db::Connection& conn,
                                  int64_t competition_id) {
  auto rs = db::Query(conn,
                      "SELECT entrant_id, event_id, judge, points_centi, "
                      "revision FROM competition_scores WHERE competition_id "
                      "= ? ORDER BY entrant_id, event_id, judge",
                      competition_id);
  std::vector<v1::Score> out;
  while (rs->next()) {
    v1::Score s;
    s.set_competition_id(competition_id);
    s.set_entrant_id(db::GetInt64(*rs, "entrant_id"));
    s.set_event_id(db::GetInt64(*rs, "event_id"));
    s.set_judge(db::GetString(*rs, "judge"));
    s.set_points_centi(db::GetInt64(*rs, "points_centi"));
    s.set_revision(static_cast<int32_t>(db::GetInt64(*rs, "revision")));
    out.push_back(std::move(s));
  }
  return out;
}

void LinkNomination(db::Connection& conn, int64_t nomination_id,
                    int64_t competition_id, int64_t entrant_id, int32_t rank,
                    int64_t points_centi) {
  db::Execute(conn,
              "INSERT INTO competition_nominations (nomination_id, "
              "competition_id, entrant_id, overall_rank, points_centi) "
              "VALUES (?, ?, ?, ?, ?)",
              nomination_id, competition_id, entrant_id, rank, points_centi);
}

}  // namespace unionhub::awards::store
