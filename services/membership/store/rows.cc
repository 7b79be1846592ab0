#include "services/membership/store/rows.h"

#include <array>
#include <stdexcept>
#include <string_view>

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

namespace {

// The members columns MemberFromRow reads, in the order of kMemberColumns'
// SELECT list. MemberFromRow takes each by its position, found here from
// its name at compile time, so the list and the reader cannot disagree.
constexpr std::array<std::string_view, 23> kMemberColumnNames = {
    "id",
    "national_id_sealed",
    "name",
    "sex",
    "birth_date",
    "mobile",
    "household",
    "ethnicity",
    "education",
    "front_line",
    "migrant_worker",
    "model_worker_level",
    "enterprise_leader",
    "wage_base_fen",
    "org_id",
    "card_number",
    "status",
    "retained_reason",
    "status_reason",
    "joined_on",
    "status_since",
    "created_at",
    "updated_at"};

// 1-based, as the driver counts; a name not in the list does not compile.
constexpr uint32_t MemberColumn(std::string_view name) {
  for (size_t i = 0; i < kMemberColumnNames.size(); ++i) {
    if (kMemberColumnNames[i] == name) return static_cast<uint32_t>(i + 1);
  }
  throw std::logic_error("not a member column");
}

std::string MemberColumnList() {
  std::string list;
  for (std::string_view name : kMemberColumnNames) {
    absl::StrAppend(&list, list.empty() ? "" : ", ", "m.",
                    absl::string_view(name.data(), name.size()));
  }
  return list;
}

}  // namespace

const std::string& MemberColumns() {
  static const std::string* const list = new std::string(MemberColumnList());
  return *list;
}

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
  using db::GetBoolAt;
  using db::GetInt64At;
  using db::GetStringAt;
  constexpr uint32_t kId = MemberColumn("id");
  constexpr uint32_t kSealed = MemberColumn("national_id_sealed");
  constexpr uint32_t kName = MemberColumn("name");
  constexpr uint32_t kSex = MemberColumn("sex");
  constexpr uint32_t kBirthDate = MemberColumn("birth_date");
  constexpr uint32_t kMobile = MemberColumn("mobile");
  constexpr uint32_t kHousehold = MemberColumn("household");
  constexpr uint32_t kEthnicity = MemberColumn("ethnicity");
  constexpr uint32_t kEducation = MemberColumn("education");
  constexpr uint32_t kFrontLine = MemberColumn("front_line");
  constexpr uint32_t kMigrant = MemberColumn("migrant_worker");
  constexpr uint32_t kModelWorker = MemberColumn("model_worker_level");
  constexpr uint32_t kLeader = MemberColumn("enterprise_leader");
  constexpr uint32_t kWageBase = MemberColumn("wage_base_fen");
  constexpr uint32_t kOrgId = MemberColumn("org_id");
  constexpr uint32_t kCard = MemberColumn("card_number");
  constexpr uint32_t kStatus = MemberColumn("status");
  constexpr uint32_t kRetained = MemberColumn("retained_reason");
  constexpr uint32_t kStatusReason = MemberColumn("status_reason");
  constexpr uint32_t kJoinedOn = MemberColumn("joined_on");
  constexpr uint32_t kStatusSince = MemberColumn("status_since");
  constexpr uint32_t kCreatedAt = MemberColumn("created_at");
  constexpr uint32_t kUpdatedAt = MemberColumn("updated_at");
  v1::Member m;
  m.set_member_id(GetInt64At(rs, kId));
  absl::StatusOr<std::string> national_id =
      crypto::Pii().Open(GetStringAt(rs, kSealed), crypto::kNationalIdContext);
  if (national_id.ok()) {
    m.set_national_id(*std::move(national_id));
  } else {
    // Never silently wrong: the field stays empty and the fault is logged.
    log::Error("a stored national ID does not open",
               {{"member_id", absl::StrCat(m.member_id())},
                {"error", std::string(national_id.status().message())}});
  }
  m.set_name(GetStringAt(rs, kName));
  m.set_sex(static_cast<v1::Sex>(GetInt64At(rs, kSex)));
  m.set_birth_date(GetStringAt(rs, kBirthDate));
  m.set_mobile(GetStringAt(rs, kMobile));
  m.set_household(static_cast<v1::Household>(GetInt64At(rs, kHousehold)));
  m.set_ethnicity(GetStringAt(rs, kEthnicity));
  m.set_education(static_cast<v1::Education>(GetInt64At(rs, kEducation)));
  m.set_front_line(GetBoolAt(rs, kFrontLine));
  m.set_migrant_worker(GetBoolAt(rs, kMigrant));
  m.set_model_worker_level(
      static_cast<v1::ModelWorkerLevel>(GetInt64At(rs, kModelWorker)));
  m.set_enterprise_leader(GetBoolAt(rs, kLeader));
  m.set_wage_base_fen(GetInt64At(rs, kWageBase));
  m.set_org_id(GetInt64At(rs, kOrgId));
  m.set_card_number(GetStringAt(rs, kCard));
  m.set_status(static_cast<v1::MemberStatus>(GetInt64At(rs, kStatus)));
  m.set_retained_reason(
      static_cast<v1::RetainedReason>(GetInt64At(rs, kRetained)));
  m.set_status_reason(GetStringAt(rs, kStatusReason));
  m.set_joined_on(GetStringAt(rs, kJoinedOn));
  m.set_status_since(GetStringAt(rs, kStatusSince));
  db::SetFromDbTimestamp(GetStringAt(rs, kCreatedAt), m.mutable_create_time());
  db::SetFromDbTimestamp(GetStringAt(rs, kUpdatedAt), m.mutable_update_time());
  return m;
}

}  // namespace unionhub::membership::store
