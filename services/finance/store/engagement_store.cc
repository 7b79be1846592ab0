#include "services/finance/store/engagement_store.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "common/db/sql.h"
#include "common/db/timestamps.h"

namespace unionhub::finance::store {
namespace {

constexpr char kEngagementColumns[] =
    "e.engagement_id, e.org_id, e.type, e.title, e.period_from, "
    "e.period_to, e.status, e.opened_by, e.created_at, e.updated_at";

void ReadEngagement(sql::ResultSet& rs, v1::Engagement& e) {
  e.set_engagement_id(db::GetInt64(rs, "engagement_id"));
  e.set_org_id(db::GetInt64(rs, "org_id"));
  e.set_type(static_cast<v1::EngagementType>(db::GetInt64(rs, "type")));
  e.set_title(db::GetString(rs, "title"));
  e.set_period_from(db::GetString(rs, "period_from"));
  e.set_period_to(db::GetString(rs, "period_to"));
  e.set_status(static_cast<v1::EngagementStatus>(db::GetInt64(rs, "status")));
  e.set_opened_by(db::GetString(rs, "opened_by"));
  db::SetFromDbTimestamp(db::GetString(rs, "created_at"),
                         e.mutable_create_time());
  db::SetFromDbTimestamp(db::GetString(rs, "updated_at"),
                         e.mutable_update_time());
}

constexpr char kRectificationColumns[] =
    "r.rectification_id, r.finding_id, r.engagement_id, r.owner, r.action, "
    "r.deadline, r.status, r.evidence, r.updated_at";

void ReadRectification(sql::ResultSet& rs, v1::Rectification& r) {
  r.set_rectification_id(db::GetInt64(rs, "rectification_id"));
  r.set_finding_id(db::GetInt64(rs, "finding_id"));
  r.set_owner(db::GetString(rs, "owner"));
  r.set_action(db::GetString(rs, "action"));
  r.set_deadline(db::GetString(rs, "deadline"));
  r.set_status(
      static_cast<v1::RectificationStatus>(db::GetInt64(rs, "status")));
  r.set_evidence(db::GetString(rs, "evidence"));
  db::SetFromDbTimestamp(db::GetString(rs, "updated_at"),
                         r.mutable_update_time());
}

void ReadFinding(sql::ResultSet& rs, v1::Finding& f) {
  f.set_finding_id(db::GetInt64(rs, "finding_id"));
  f.set_engagement_id(db::GetInt64(rs, "engagement_id"));
  f.set_severity(
      static_cast<v1::FindingSeverity>(db::GetInt64(rs, "severity")));
  f.set_category(db::GetString(rs, "category"));
  f.set_amount_fen(db::GetInt64(rs, "amount_fen"));
  f.set_description(db::GetString(rs, "description"));
}

absl::StatusOr<int64_t> OneOrg(db::Connection& conn, const std::string& sql,
                               int64_t id, absl::string_view what) {
  auto rs = db::Query(conn, sql, id);
  if (!rs->next()) {
    return absl::NotFoundError(absl::StrCat(what, " ", id, " not found"));
  }
  return db::GetInt64(*rs, "org_id");
}

}  // namespace

absl::StatusOr<v1::Engagement> GetEngagement(db::Connection& conn,
                                             int64_t engagement_id,
                                             bool for_update) {
  auto rs =
      db::Query(conn,
                absl::StrCat("SELECT ", kEngagementColumns,
                             " FROM engagements e WHERE e.engagement_id = ?",
                             for_update ? " FOR UPDATE" : ""),
                engagement_id);
  if (!rs->next()) {
    return absl::NotFoundError(
        absl::StrCat("engagement ", engagement_id, " not found"));
  }
  v1::Engagement e;
  ReadEngagement(*rs, e);
  return e;
}

void LoadFindings(db::Connection& conn, v1::Engagement& engagement) {
  engagement.clear_findings();
  std::map<int64_t, v1::Finding*> by_id;
  {
    auto rs = db::Query(conn,
                        "SELECT finding_id, engagement_id, severity, "
                        "category, amount_fen, description FROM findings "
                        "WHERE engagement_id = ? ORDER BY finding_id",
                        engagement.engagement_id());
    while (rs->next()) {
      v1::Finding* f = engagement.add_findings();
      ReadFinding(*rs, *f);
    }
  }
  // Pointers taken after the repeated field stops growing.
  for (v1::Finding& f : *engagement.mutable_findings()) {
    by_id[f.finding_id()] = &f;
  }
  auto rs = db::Query(conn,
                      absl::StrCat("SELECT ", kRectificationColumns,
                                   " FROM rectifications r WHERE "
                                   "r.engagement_id = ? ORDER BY "
                                   "r.rectification_id"),
                      engagement.engagement_id());
  while (rs->next()) {
    auto it = by_id.find(db::GetInt64(*rs, "finding_id"));
    if (it == by_id.end()) continue;
    ReadRectification(*rs, *it->second->add_rectifications());
  }
}

int64_t InsertEngagement(db::Connection& conn, const v1::Engagement& engagement,
                         const std::string& org_path) {
  db::Execute(
      conn,
      "INSERT INTO engagements (org_id, org_path, type, title, "
      "period_from, period_to, status, opened_by) VALUES "
      "(?, ?, ?, ?, ?, ?, ?, ?)",
      engagement.org_id(), org_path, static_cast<int64_t>(engagement.type()),
      engagement.title(), engagement.period_from(), engagement.period_to(),
      static_cast<int64_t>(engagement.status()), engagement.opened_by());
  return db::LastInsertId(conn);
}

void SetEngagementStatus(db::Connection& conn, int64_t engagement_id,
                         v1::EngagementStatus status) {
  db::Execute(conn,
              "UPDATE engagements SET status = ?, updated_at = "
              "CURRENT_TIMESTAMP(6) WHERE engagement_id = ?",
              static_cast<int64_t>(status), engagement_id);
}

std::vector<v1::Engagement> ListEngagements(db::Connection& conn,
                                            const std::string& subtree_pattern,
                                            v1::EngagementStatus status,
                                            int64_t after, int limit) {
  // One statement for every filter combination: a filter that is off
  // compares with itself.
  auto rs = db::Query(
      conn,
      absl::StrCat("SELECT ", kEngagementColumns,
                   " FROM engagements e JOIN roster_orgs o ON o.org_id = "
                   "e.org_id WHERE (? = '' OR o.path LIKE ?) AND (? = 0 OR "
                   "e.status = ?) AND e.engagement_id > ? ORDER BY "
                   "e.engagement_id LIMIT ?"),
      subtree_pattern, subtree_pattern, static_cast<int64_t>(status),
      static_cast<int64_t>(status), after, static_cast<int64_t>(limit));
  std::vector<v1::Engagement> out;
  while (rs->next()) ReadEngagement(*rs, out.emplace_back());
  return out;
}

absl::StatusOr<int64_t> OrgOfEngagement(db::Connection& conn,
                                        int64_t engagement_id) {
  return OneOrg(conn, "SELECT org_id FROM engagements WHERE engagement_id = ?",
                engagement_id, "engagement");
}

absl::StatusOr<int64_t> OrgOfFinding(db::Connection& conn, int64_t finding_id) {
  return OneOrg(conn,
                "SELECT e.org_id FROM findings f JOIN engagements e ON "
                "e.engagement_id = f.engagement_id WHERE f.finding_id = ?",
                finding_id, "finding");
}

absl::StatusOr<int64_t> OrgOfRectification(db::Connection& conn,
                                           int64_t rectification_id) {
  return OneOrg(conn,
                "SELECT e.org_id FROM rectifications r JOIN engagements e ON "
                "e.engagement_id = r.engagement_id WHERE "
                "r.rectification_id = ?",
                rectification_id, "rectification item");
}

absl::StatusOr<v1::Finding> GetFinding(db::Connection& conn,
                                       int64_t finding_id) {
  auto rs = db::Query(conn,
                      "SELECT finding_id, engagement_id, severity, category, "
                      "amount_fen, description FROM findings WHERE "
                      "finding_id = ?",
                      finding_id);
  if (!rs->next()) {
    return absl::NotFoundError(
        absl::StrCat("finding ", finding_id, " not found"));
  }
  v1::Finding f;
  ReadFinding(*rs, f);
  return f;
}

int64_t InsertFinding(db::Connection& conn, const v1::Finding& finding) {
  db::Execute(conn,
              "INSERT INTO findings (engagement_id, severity, category, "
              "amount_fen, description) VALUES (?, ?, ?, ?, ?)",
              finding.engagement_id(), static_cast<int64_t>(finding.severity()),
              finding.category(), finding.amount_fen(), finding.description());
  return db::LastInsertId(conn);
}

absl::StatusOr<RectificationRow> GetRectification(db::Connection& conn,
                                                  int64_t rectification_id,
                                                  bool for_update) {
  auto rs = db::Query(
      conn,
      absl::StrCat("SELECT ", kRectificationColumns,
                   " FROM rectifications r WHERE r.rectification_id = ?",
                   for_update ? " FOR UPDATE" : ""),
      rectification_id);
  if (!rs->next()) {
    return absl::NotFoundError(
        absl::StrCat("rectification item ", rectification_id, " not found"));
  }
  RectificationRow row;
  ReadRectification(*rs, row.rectification);
  row.engagement_id = db::GetInt64(*rs, "engagement_id");
  return row;
}

int64_t InsertRectification(db::Connection& conn,
                            const v1::Rectification& rectification,
                            int64_t engagement_id) {
  db::Execute(conn,
              "INSERT INTO rectifications (finding_id, engagement_id, owner, "
              "action, deadline, status, evidence) VALUES "
              "(?, ?, ?, ?, ?, ?, ?)",
              rectification.finding_id(), engagement_id, rectification.owner(),
              rectification.action(), rectification.deadline(),
              static_cast<int64_t>(rectification.status()),
              rectification.evidence());
  return db::LastInsertId(conn);
}

void UpdateRectificationStatus(db::Connection& conn, int64_t rectification_id,
                               v1::RectificationStatus status,
                               const std::string& evidence) {
  db::Execute(conn,
              "UPDATE rectifications SET status = ?, evidence = ?, "
              "updated_at = CURRENT_TIMESTAMP(6) WHERE rectification_id = ?",
              static_cast<int64_t>(status), evidence, rectification_id);
}

std::vector<domain::OpenItem> RectificationStatuses(db::Connection& conn,
                                                    int64_t engagement_id) {
  auto rs = db::Query(conn,
                      "SELECT rectification_id, status FROM rectifications "
                      "WHERE engagement_id = ? ORDER BY rectification_id",
                      engagement_id);
  std::vector<domain::OpenItem> items;
  while (rs->next()) {
    domain::OpenItem& item = items.emplace_back();
    item.rectification_id = db::GetInt64(*rs, "rectification_id");
    item.status =
        static_cast<v1::RectificationStatus>(db::GetInt64(*rs, "status"));
  }
  return items;
}

std::vector<v1::OverdueRectification> OverdueRectifications(
    db::Connection& conn, const std::string& subtree_pattern,
    const std::string& as_of, int64_t after, int limit) {
  auto rs = db::Query(
      conn,
      absl::StrCat(
          "SELECT ", kRectificationColumns,
          ", e.org_id, e.title FROM rectifications r JOIN engagements e ON "
          "e.engagement_id = r.engagement_id JOIN roster_orgs o ON o.org_id "
          "= e.org_id WHERE (? = '' OR o.path LIKE ?) AND r.deadline < ? "
          "AND r.status NOT IN (?, ?) AND r.rectification_id > ? ORDER BY "
          "r.rectification_id LIMIT ?"),
      subtree_pattern, subtree_pattern, as_of,
      static_cast<int64_t>(v1::RECTIFICATION_STATUS_VERIFIED),
      static_cast<int64_t>(v1::RECTIFICATION_STATUS_ACCEPTED), after,
      static_cast<int64_t>(limit));
  std::vector<v1::OverdueRectification> out;
  while (rs->next()) {
    v1::OverdueRectification& item = out.emplace_back();
    ReadRectification(*rs, *item.mutable_rectification());
    item.set_engagement_id(db::GetInt64(*rs, "engagement_id"));
    item.set_org_id(db::GetInt64(*rs, "org_id"));
    item.set_engagement_title(db::GetString(*rs, "title"));
  }
  return out;
}

}  // namespace unionhub::finance::store
