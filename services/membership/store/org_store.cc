// Organisations and employers.
#include "absl/strings/str_cat.h"
#include "common/db/sql.h"
#include "services/membership/store/rows.h"
#include "services/membership/store/store.h"

namespace unionhub::membership::store {
namespace {

using db::Execute;
using db::kNull;
using db::Query;

std::string OrgSelect(absl::string_view where) {
  return absl::StrCat("SELECT ", kOrgColumns,
                      " FROM orgs o LEFT JOIN employers e ON e.id = "
                      "o.employer_id WHERE ",
                      where);
}

std::optional<std::string> OptionalDate(const std::string& date) {
  if (date.empty()) return std::nullopt;
  return date;
}

// LIKE pattern for "every path below this one" (paths are digits and '/',
// so no escaping is needed).
std::string Below(const std::string& path) { return absl::StrCat(path, "%"); }

}  // namespace

absl::StatusOr<OrgRow> GetOrg(Connection& conn, int64_t org_id,
                              bool for_update) {
  auto rs = Query(
      conn,
      for_update ? OrgSelect("o.id = ? FOR UPDATE") : OrgSelect("o.id = ?"),
      org_id);
  if (!rs->next()) {
    return absl::NotFoundError(absl::StrCat("org ", org_id, " not found"));
  }
  OrgRow row;
  row.path = db::GetString(*rs, "path");
  row.org = OrgFromRow(*rs);
  return row;
}

int64_t InsertOrg(Connection& conn, const NewOrg& org) {
  Execute(conn,
          "INSERT INTO orgs (parent_id, type, name, status, region_code, path, "
          "employer_id, legal_person_certified, legal_person_certified_on, "
          "established_on) VALUES (?, ?, ?, ?, ?, '', ?, ?, ?, ?)",
          org.parent_id == 0 ? std::optional<int64_t>() : org.parent_id,
          static_cast<int64_t>(org.org.type()), org.org.name(),
          static_cast<int64_t>(org.status), org.org.region_code(),
          org.employer_id, org.org.legal_person_certified(),
          OptionalDate(org.org.legal_person_certified_on()),
          org.established_on);
  const int64_t id = db::LastInsertId(conn);
  Execute(conn, "UPDATE orgs SET path = ? WHERE id = ?",
          absl::StrCat(org.parent_path, id, "/"), id);
  return id;
}

void UpdateOrgAttributes(Connection& conn, const v1::Org& org) {
  Execute(conn,
          "UPDATE orgs SET name = ?, region_code = ?, legal_person_certified = "
          "?, legal_person_certified_on = ?, updated_at = CURRENT_TIMESTAMP(6) "
          "WHERE id = ?",
          org.name(), org.region_code(), org.legal_person_certified(),
          OptionalDate(org.legal_person_certified_on()), org.org_id());
}

void MoveOrg(Connection& conn, const OrgRow& org, int64_t new_parent_id,
             const std::string& new_parent_path) {
  const std::string new_path =
      absl::StrCat(new_parent_path, org.org.org_id(), "/");
  const int64_t old_length = static_cast<int64_t>(org.path.size());
  Execute(conn,
          "UPDATE orgs SET path = CONCAT(?, SUBSTRING(path, ?)) "
          "WHERE path LIKE ?",
          new_path, old_length + 1, Below(org.path));
  Execute(conn,
          "UPDATE employers SET coverage_path = CONCAT(?, "
          "SUBSTRING(coverage_path, ?)) WHERE coverage_path LIKE ?",
          new_path, old_length + 1, Below(org.path));
  Execute(conn,
          "UPDATE orgs SET parent_id = ?, updated_at = CURRENT_TIMESTAMP(6) "
          "WHERE id = ?",
          new_parent_id == 0 ? std::optional<int64_t>() : new_parent_id,
          org.org.org_id());
}

void SetOrgEstablished(Connection& conn, int64_t org_id,
                       const std::string& established_on) {
  Execute(conn,
          "UPDATE orgs SET status = ?, established_on = ?, updated_at = "
          "CURRENT_TIMESTAMP(6) WHERE id = ?",
          static_cast<int64_t>(v1::ORG_STATUS_ESTABLISHED), established_on,
          org_id);
}

void SetOrgDissolved(Connection& conn, int64_t org_id,
                     const std::string& dissolved_on,
                     const std::string& reason) {
  Execute(conn,
          "UPDATE orgs SET status = ?, dissolved_on = ?, dissolved_reason = ?, "
          "updated_at = CURRENT_TIMESTAMP(6) WHERE id = ?",
          static_cast<int64_t>(v1::ORG_STATUS_DISSOLVED), dissolved_on, reason,
          org_id);
}

int64_t CountLiveChildren(Connection& conn, int64_t org_id) {
  auto rs = Query(conn,
                  "SELECT COUNT(*) AS n FROM orgs WHERE parent_id = ? AND "
                  "status <> ?",
                  org_id, static_cast<int64_t>(v1::ORG_STATUS_DISSOLVED));
  rs->next();
  return rs->getInt64("n");
}

int64_t CountLiveMembers(Connection& conn, int64_t org_id) {
  auto rs = Query(conn,
                  "SELECT COUNT(*) AS n FROM members WHERE org_id = ? AND "
                  "status IN (?, ?)",
                  org_id, static_cast<int64_t>(v1::MEMBER_STATUS_ACTIVE),
                  static_cast<int64_t>(v1::MEMBER_STATUS_RETAINED));
  rs->next();
  return rs->getInt64("n");
}

std::vector<v1::Org> ListOrgs(Connection& conn, const OrgFilter& filter,
                              int64_t after_id, int limit) {
  // The clause set varies with the filter but every value is bound.
  std::string where =
      filter.subtree_path.empty()
          ? (filter.parent_id == 0 ? "o.parent_id IS NULL" : "o.parent_id = ?")
          : "o.path LIKE ? AND o.path <> ?";
  if (filter.type != v1::ORG_TYPE_UNSPECIFIED) where += " AND o.type = ?";
  if (filter.status != v1::ORG_STATUS_UNSPECIFIED) where += " AND o.status = ?";
  where += " AND o.id > ? ORDER BY o.id LIMIT ?";
  sql::PreparedStatement& ps = conn.Prepare(OrgSelect(where));
  db::Binder binder(ps);
  if (!filter.subtree_path.empty()) {
    binder.Add(Below(filter.subtree_path)).Add(filter.subtree_path);
  } else if (filter.parent_id != 0) {
    binder.Add(filter.parent_id);
  }
  if (filter.type != v1::ORG_TYPE_UNSPECIFIED) {
    binder.Add(static_cast<int64_t>(filter.type));
  }
  if (filter.status != v1::ORG_STATUS_UNSPECIFIED) {
    binder.Add(static_cast<int64_t>(filter.status));
  }
  binder.Add(after_id).Add(static_cast<int64_t>(limit));
  std::unique_ptr<sql::ResultSet> rs(ps.executeQuery());
  std::vector<v1::Org> orgs;
  while (rs->next()) orgs.push_back(OrgFromRow(*rs));
  return orgs;
}

absl::StatusOr<v1::Employer> GetEmployer(Connection& conn, int64_t employer_id,
                                         bool for_update) {
  auto rs = Query(conn,
                  absl::StrCat("SELECT ", kEmployerColumns,
                               " FROM employers e WHERE e.id = ?",
                               for_update ? " FOR UPDATE" : ""),
                  employer_id);
  if (!rs->next()) {
    return absl::NotFoundError(
        absl::StrCat("employer ", employer_id, " not found"));
  }
  return EmployerFromRow(*rs, "e_");
}

int64_t InsertEmployer(Connection& conn, const v1::Employer& employer,
                       const std::string& coverage_path) {
  Execute(conn,
          "INSERT INTO employers (name, credit_code, ownership, headcount, "
          "above_designated_size, address, area_org_id, coverage_path) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
          employer.name(), employer.credit_code(),
          static_cast<int64_t>(employer.ownership()),
          static_cast<int64_t>(employer.headcount()),
          employer.above_designated_size(), employer.address(),
          employer.area_org_id() == 0 ? std::optional<int64_t>()
                                      : employer.area_org_id(),
          coverage_path);
  return db::LastInsertId(conn);
}

void LinkEmployerToUnion(Connection& conn, int64_t employer_id,
                         int64_t union_org_id, const std::string& union_path) {
  Execute(conn,
          "UPDATE employers SET union_org_id = ?, coverage_path = ?, "
          "updated_at = CURRENT_TIMESTAMP(6) WHERE id = ?",
          union_org_id, union_path, employer_id);
}

void UpdateEmployer(Connection& conn, const v1::Employer& employer) {
  Execute(conn,
          "UPDATE employers SET name = ?, ownership = ?, headcount = ?, "
          "above_designated_size = ?, address = ?, updated_at = "
          "CURRENT_TIMESTAMP(6) WHERE id = ?",
          employer.name(), static_cast<int64_t>(employer.ownership()),
          static_cast<int64_t>(employer.headcount()),
          employer.above_designated_size(), employer.address(),
          employer.employer_id());
}

bool CreditCodeExists(Connection& conn, const std::string& credit_code) {
  auto rs =
      Query(conn, "SELECT 1 FROM employers WHERE credit_code = ?", credit_code);
  return rs->next();
}

std::vector<v1::Employer> ListEmployers(Connection& conn,
                                        const std::string& subtree_path,
                                        bool without_union_only,
                                        int64_t after_id, int limit) {
  std::string where = "e.id > ?";
  if (!subtree_path.empty()) where += " AND e.coverage_path LIKE ?";
  if (without_union_only) {
    where += " AND (e.union_org_id IS NULL OR u.status = ?)";
  }
  sql::PreparedStatement& ps = conn.Prepare(absl::StrCat(
      "SELECT ", kEmployerColumns,
      " FROM employers e LEFT JOIN orgs u ON u.id = e.union_org_id WHERE ",
      where, " ORDER BY e.id LIMIT ?"));
  db::Binder binder(ps);
  binder.Add(after_id);
  if (!subtree_path.empty()) binder.Add(Below(subtree_path));
  if (without_union_only) {
    binder.Add(static_cast<int64_t>(v1::ORG_STATUS_DISSOLVED));
  }
  binder.Add(static_cast<int64_t>(limit));
  std::unique_ptr<sql::ResultSet> rs(ps.executeQuery());
  std::vector<v1::Employer> out;
  while (rs->next()) out.push_back(EmployerFromRow(*rs, "e_"));
  return out;
}

}  // namespace unionhub::membership::store
