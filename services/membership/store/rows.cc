#include "services/membership/store/rows.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "common/core/log.h"
#include "common/crypto/pii_global.h"
#include "common/db/sql.h"
#include "common/db/timestamps.h"

namespace unionhub::membership::store {

using db::GetBool;
using db::GetInt64;
using db::GetString;

const char* const kEmployerColumns =
    "e.id AS e_id, e.name AS e_name, e.credit_code AS e_credit_code, "
    "e.ownership AS e_ownership, e.headcount AS e_headcount, "
    "e.above_designated_size AS e_above, e.address AS e_address, "
    "e.area_org_id AS e_area_org_id, e.union_org_id AS e_union_org_id, "
    "e.created_at AS e_created_at, e.updated_at AS e_updated_at";

const char* const kOrgColumns =
    "o.id, o.parent_id, o.type, o.name, o.status, o.region_code, o.path, "
    "o.employer_id, o.legal_person_certified, o.legal_person_certified_on, "
    "o.established_on, o.dissolved_on, o.dissolved_reason, o.created_at, "
    "o.updated_at, "
    "e.id AS e_id, e.name AS e_name, e.credit_code AS e_credit_code, "
    "e.ownership AS e_ownership, e.headcount AS e_headcount, "
    "e.above_designated_size AS e_above, e.address AS e_address, "
    "e.area_org_id AS e_area_org_id, e.union_org_id AS e_union_org_id, "
    "e.created_at AS e_created_at, e.updated_at AS e_updated_at";

const char* const kMemberColumns =
    "m.id, m.national_id_sealed, m.name, m.sex, m.birth_date, m.mobile, "
    "m.household, m.ethnicity, m.education, m.front_line, m.migrant_worker, "
    "m.model_worker_level, m.enterprise_leader, m.wage_base_fen, m.org_id, "
    "m.card_number, m.status, m.retained_reason, m.status_reason, "
    "m.joined_on, m.status_since, m.created_at, m.updated_at";

std::vector<int64_t> PathIds(const std::string& path) {
  std::vector<int64_t> ids;
  for (absl::string_view part : absl::StrSplit(path, '/', absl::SkipEmpty())) {
    int64_t id = 0;
    if (absl::SimpleAtoi(part, &id)) ids.push_back(id);
  }
  return ids;
}

v1::Employer EmployerFromRow(sql::ResultSet& rs, const char* /*prefix*/) {
  v1::Employer e;
  e.set_employer_id(GetInt64(rs, "e_id"));
  e.set_name(GetString(rs, "e_name"));
  e.set_credit_code(GetString(rs, "e_credit_code"));
  e.set_ownership(static_cast<v1::Ownership>(GetInt64(rs, "e_ownership")));
  e.set_headcount(static_cast<int32_t>(GetInt64(rs, "e_headcount")));
  e.set_above_designated_size(GetBool(rs, "e_above"));
  e.set_address(GetString(rs, "e_address"));
  e.set_area_org_id(GetInt64(rs, "e_area_org_id"));
  e.set_union_org_id(GetInt64(rs, "e_union_org_id"));
  db::SetFromDbTimestamp(GetString(rs, "e_created_at"),
                         e.mutable_create_time());
  db::SetFromDbTimestamp(GetString(rs, "e_updated_at"),
                         e.mutable_update_time());
  return e;
}

v1::Org OrgFromRow(sql::ResultSet& rs) {
  v1::Org org;
  org.set_org_id(GetInt64(rs, "id"));
  org.set_parent_id(GetInt64(rs, "parent_id"));
  org.set_type(static_cast<v1::OrgType>(GetInt64(rs, "type")));
  org.set_name(GetString(rs, "name"));
  org.set_status(static_cast<v1::OrgStatus>(GetInt64(rs, "status")));
  org.set_region_code(GetString(rs, "region_code"));
  org.set_legal_person_certified(GetBool(rs, "legal_person_certified"));
  org.set_legal_person_certified_on(GetString(rs, "legal_person_certified_on"));
  org.set_established_on(GetString(rs, "established_on"));
  org.set_dissolved_on(GetString(rs, "dissolved_on"));
  org.set_dissolved_reason(GetString(rs, "dissolved_reason"));
  std::vector<int64_t> ids = PathIds(GetString(rs, "path"));
  if (!ids.empty()) ids.pop_back();  // the org itself
  for (int64_t id : ids) org.add_ancestor_ids(id);
  db::SetFromDbTimestamp(GetString(rs, "created_at"),
                         org.mutable_create_time());
  db::SetFromDbTimestamp(GetString(rs, "updated_at"),
                         org.mutable_update_time());
  if (!rs.isNull("e_id")) *org.mutable_employer() = EmployerFromRow(rs, "e_");
  return org;
}

v1::Member MemberFromRow(sql::ResultSet& rs) {
  v1::Member m;
  m.set_member_id(GetInt64(rs, "id"));
  absl::StatusOr<std::string> national_id = crypto::Pii().Open(
      db::GetBytes(rs, "national_id_sealed"), crypto::kNationalIdContext);
  if (national_id.ok()) {
    m.set_national_id(*national_id);
  } else {
    // Never silently wrong: the field stays empty and the fault is logged.
    log::Error("a stored national ID does not open",
               {{"member_id", absl::StrCat(m.member_id())},
                {"error", std::string(national_id.status().message())}});
  }
  m.set_name(GetString(rs, "name"));
  m.set_sex(static_cast<v1::Sex>(GetInt64(rs, "sex")));
  m.set_birth_date(GetString(rs, "birth_date"));
  m.set_mobile(GetString(rs, "mobile"));
  m.set_household(static_cast<v1::Household>(GetInt64(rs, "household")));
  m.set_ethnicity(GetString(rs, "ethnicity"));
  m.set_education(static_cast<v1::Education>(GetInt64(rs, "education")));
  m.set_front_line(GetBool(rs, "front_line"));
  m.set_migrant_worker(GetBool(rs, "migrant_worker"));
  m.set_model_worker_level(
      static_cast<v1::ModelWorkerLevel>(GetInt64(rs, "model_worker_level")));
  m.set_enterprise_leader(GetBool(rs, "enterprise_leader"));
  m.set_wage_base_fen(GetInt64(rs, "wage_base_fen"));
  m.set_org_id(GetInt64(rs, "org_id"));
  m.set_card_number(GetString(rs, "card_number"));
  m.set_status(static_cast<v1::MemberStatus>(GetInt64(rs, "status")));
  m.set_retained_reason(
      static_cast<v1::RetainedReason>(GetInt64(rs, "retained_reason")));
  m.set_status_reason(GetString(rs, "status_reason"));
  m.set_joined_on(GetString(rs, "joined_on"));
  m.set_status_since(GetString(rs, "status_since"));
  db::SetFromDbTimestamp(GetString(rs, "created_at"), m.mutable_create_time());
  db::SetFromDbTimestamp(GetString(rs, "updated_at"), m.mutable_update_time());
  return m;
}

}  // namespace unionhub::membership::store
