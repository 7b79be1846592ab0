#include "services/membership/domain/org_rules.h"

#include <cstdint>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "common/core/dates.h"
#include "common/core/field_checks.h"
#include "common/core/ids.h"
#include "common/core/text.h"

namespace unionhub::membership::domain {
namespace {

constexpr size_t kOrgNameMaxChars = 100;
constexpr size_t kEmployerNameMaxChars = 200;
constexpr size_t kAddressMaxChars = 300;
constexpr int32_t kMaxHeadcount = 10'000'000;

struct ParentRule {
  bool may_be_root;
  std::vector<v1::OrgType> parents;
};

// The one place the tree's shape is written down (DOMAIN.md §1). Federations
// may be roots so that a province or a county can run its own deployment.
const ParentRule& ParentRuleFor(v1::OrgType child) {
  static const ParentRule kNone{false, {}};
  static const ParentRule kNational{true, {}};
  static const ParentRule kProvincial{true, {v1::ORG_TYPE_NATIONAL_FEDERATION}};
  static const ParentRule kCity{true, {v1::ORG_TYPE_PROVINCIAL_FEDERATION}};
  static const ParentRule kCounty{true, {v1::ORG_TYPE_CITY_FEDERATION}};
  static const ParentRule kTownship{false, {v1::ORG_TYPE_COUNTY_FEDERATION}};
  static const ParentRule kRegional{
      false, {v1::ORG_TYPE_COUNTY_FEDERATION, v1::ORG_TYPE_TOWNSHIP_UNION}};
  static const ParentRule kGrassroots{
      false,
      {v1::ORG_TYPE_NATIONAL_FEDERATION, v1::ORG_TYPE_PROVINCIAL_FEDERATION,
       v1::ORG_TYPE_CITY_FEDERATION, v1::ORG_TYPE_COUNTY_FEDERATION,
       v1::ORG_TYPE_TOWNSHIP_UNION, v1::ORG_TYPE_REGIONAL_FEDERATION}};
  static const ParentRule kBranch{false, {v1::ORG_TYPE_GRASSROOTS_UNION}};
  static const ParentRule kGroup{
      false, {v1::ORG_TYPE_GRASSROOTS_UNION, v1::ORG_TYPE_BRANCH_UNION}};
  switch (child) {
    case v1::ORG_TYPE_NATIONAL_FEDERATION:
      return kNational;
    case v1::ORG_TYPE_PROVINCIAL_FEDERATION:
      return kProvincial;
    case v1::ORG_TYPE_CITY_FEDERATION:
      return kCity;
    case v1::ORG_TYPE_COUNTY_FEDERATION:
      return kCounty;
    case v1::ORG_TYPE_TOWNSHIP_UNION:
      return kTownship;
    case v1::ORG_TYPE_REGIONAL_FEDERATION:
      return kRegional;
    case v1::ORG_TYPE_GRASSROOTS_UNION:
      return kGrassroots;
    case v1::ORG_TYPE_BRANCH_UNION:
      return kBranch;
    case v1::ORG_TYPE_UNION_GROUP:
      return kGroup;
    default:
      return kNone;
  }
}

bool IsKnownOrgType(v1::OrgType type) {
  return type != v1::ORG_TYPE_UNSPECIFIED && v1::OrgType_IsValid(type);
}

std::string AllowedParentsText(const ParentRule& rule) {
  std::vector<std::string> names;
  for (v1::OrgType p : rule.parents) names.push_back(OrgTypeName(p));
  if (names.empty()) return "none (it is always a root)";
  std::string text = absl::StrJoin(names, ", ");
  if (rule.may_be_root) absl::StrAppend(&text, " (or none, as a root)");
  return text;
}

std::string OrgStatusName(v1::OrgStatus status) {
  if (!v1::OrgStatus_IsValid(status)) {
    return absl::StrCat("UNKNOWN(", static_cast<int>(status), ")");
  }
  return std::string(
      absl::StripPrefix(v1::OrgStatus_Name(status), "ORG_STATUS_"));
}

bool IsSixDigits(absl::string_view s) {
  if (s.size() != 6) return false;
  for (char c : s) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

void CheckText(absl::string_view text, absl::string_view field,
               size_t min_chars, size_t max_chars, Violations& violations,
               bool allow_digits) {
  text::TextRule rule;
  rule.min_chars = min_chars;
  rule.max_chars = max_chars;
  rule.allow_digits = allow_digits;
  text::Check(text, field, rule, violations);
}

bool MayHoldMembers(v1::OrgType type) {
  switch (type) {
    case v1::ORG_TYPE_TOWNSHIP_UNION:
    case v1::ORG_TYPE_REGIONAL_FEDERATION:
    case v1::ORG_TYPE_GRASSROOTS_UNION:
    case v1::ORG_TYPE_BRANCH_UNION:
    case v1::ORG_TYPE_UNION_GROUP:
      return true;
    default:
      return false;
  }
}

bool RequiresEmployer(v1::OrgType type) {
  return type == v1::ORG_TYPE_GRASSROOTS_UNION;
}

std::string OrgTypeName(v1::OrgType type) {
  if (!v1::OrgType_IsValid(type)) {
    return absl::StrCat("UNKNOWN(", static_cast<int>(type), ")");
  }
  return std::string(absl::StripPrefix(v1::OrgType_Name(type), "ORG_TYPE_"));
}

absl::Status CheckParent(v1::OrgType child, std::optional<v1::OrgType> parent) {
  if (!IsKnownOrgType(child)) {
    return absl::InvalidArgumentError(
        absl::StrCat("org type ", OrgTypeName(child), " is not a valid type"));
  }
  const ParentRule& rule = ParentRuleFor(child);
  if (!parent.has_value()) {
    if (rule.may_be_root) return absl::OkStatus();
    return absl::FailedPreconditionError(
        absl::StrCat("a ", OrgTypeName(child),
                     " cannot be a root (no parent); allowed parent types: ",
                     AllowedParentsText(rule)));
  }
  for (v1::OrgType allowed : rule.parents) {
    if (allowed == *parent) return absl::OkStatus();
  }
  return absl::FailedPreconditionError(
      absl::StrCat("a ", OrgTypeName(child), " cannot be placed under a ",
                   OrgTypeName(*parent),
                   "; allowed parent types: ", AllowedParentsText(rule)));
}

absl::Status CheckCanEstablish(v1::OrgStatus current) {
  switch (current) {
    case v1::ORG_STATUS_PREPARING:
      return absl::OkStatus();
    case v1::ORG_STATUS_ESTABLISHED:
      return absl::FailedPreconditionError("the org is already ESTABLISHED");
    default:
      return absl::FailedPreconditionError(
          absl::StrCat("only a PREPARING org can be established; this one is ",
                       OrgStatusName(current)));
  }
}

absl::Status CheckCanDissolve(v1::OrgStatus current) {
  switch (current) {
    case v1::ORG_STATUS_PREPARING:
    case v1::ORG_STATUS_ESTABLISHED:
      return absl::OkStatus();
    case v1::ORG_STATUS_DISSOLVED:
      return absl::FailedPreconditionError("the org is already DISSOLVED");
    default:
      return absl::FailedPreconditionError(absl::StrCat(
          "only a PREPARING or ESTABLISHED org can be dissolved; this one is ",
          OrgStatusName(current)));
  }
}

absl::Status CheckCanBeParent(v1::OrgStatus parent_status) {
  switch (parent_status) {
    // A 筹备组 already recruits members and sets up branches.
    case v1::ORG_STATUS_PREPARING:
    case v1::ORG_STATUS_ESTABLISHED:
      return absl::OkStatus();
    case v1::ORG_STATUS_DISSOLVED:
      return absl::FailedPreconditionError(
          "a DISSOLVED org cannot receive new child orgs or members");
    default:
      return absl::FailedPreconditionError(
          absl::StrCat("an org in status ", OrgStatusName(parent_status),
                       " cannot receive new child orgs or members"));
  }
}

const rpc::FieldMaskRules& OrgUpdateMask() {
  static const auto* rules = new rpc::FieldMaskRules(
      v1::Org::descriptor(),
      {"name", "region_code", "parent_id", "legal_person_certified",
       "legal_person_certified_on", "employer.name", "employer.ownership",
       "employer.headcount", "employer.above_designated_size",
       "employer.address"},
      {{"type", "type cannot be updated; an org keeps its type"},
       rpc::FieldMaskRules::UseInstead("status", "EstablishOrg or DissolveOrg"),
       rpc::FieldMaskRules::UseInstead("established_on",
                                       "EstablishOrg or DissolveOrg"),
       rpc::FieldMaskRules::UseInstead("dissolved_on",
                                       "EstablishOrg or DissolveOrg"),
       rpc::FieldMaskRules::UseInstead("dissolved_reason",
                                       "EstablishOrg or DissolveOrg"),
       rpc::FieldMaskRules::OutputOnly("org_id"),
       rpc::FieldMaskRules::OutputOnly("ancestor_ids"),
       rpc::FieldMaskRules::OutputOnly("create_time"),
       rpc::FieldMaskRules::OutputOnly("update_time")});
  return *rules;
}

Violations ValidateOrgFields(const v1::Org& org, bool creating,
                             bool employer_required) {
  Violations v;
  CheckText(org.name(), "name", 1, kOrgNameMaxChars, v);
  if (!IsKnownOrgType(org.type())) {
    v.Add("type", org.type() == v1::ORG_TYPE_UNSPECIFIED
                      ? "is required"
                      : "is not a known org type");
  }
  if (!org.region_code().empty() && !IsSixDigits(org.region_code())) {
    v.Add("region_code", "must be empty or 6 digits");
  }
  if (!org.legal_person_certified_on().empty()) {
    fields::CheckDate(org.legal_person_certified_on(),
                      "legal_person_certified_on", v);
  } else if (org.legal_person_certified()) {
    v.Add("legal_person_certified_on",
          "is required when legal_person_certified is true");
  }
  if (RequiresEmployer(org.type())) {
    if (creating) {
      if (!employer_required) {
        if (org.has_employer()) {
          v.Add("employer",
                "must be absent when an existing employer is adopted");
        }
      } else if (!org.has_employer()) {
        v.Add("employer", "is required for a grassroots union");
      } else {
        v.Merge("employer", ValidateEmployerFields(org.employer(),
                                                   /*require_area_org=*/false));
      }
    }
  } else if (org.has_employer()) {
    v.Add("employer", "only a grassroots union carries an employer record");
  }
  return v;
}

Violations ValidateEmployerFields(const v1::Employer& e,
                                  bool require_area_org) {
  Violations v;
  CheckText(e.name(), "name", 1, kEmployerNameMaxChars, v);
  if (e.credit_code().empty()) {
    v.Add("credit_code", "is required");
  } else if (auto code = ids::ParseCreditCode(e.credit_code()); !code.ok()) {
    v.Add("credit_code", code.status().message());
  }
  if (e.ownership() == v1::OWNERSHIP_UNSPECIFIED) {
    v.Add("ownership", "is required");
  } else if (!v1::Ownership_IsValid(e.ownership())) {
    v.Add("ownership", "is not a known ownership");
  }
  if (e.headcount() < 0) {
    v.Add("headcount", "must not be negative");
  } else if (e.headcount() > kMaxHeadcount) {
    v.Add("headcount", absl::StrCat("must be at most ", kMaxHeadcount));
  }
  CheckText(e.address(), "address", 0, kAddressMaxChars, v);
  if (require_area_org && e.area_org_id() <= 0) {
    v.Add("area_org_id",
          "is required: the federation or township the employer is in");
  } else if (e.area_org_id() < 0) {
    v.Add("area_org_id", "must not be negative");
  }
  return v;
}

}  // namespace unionhub::membership::domain
