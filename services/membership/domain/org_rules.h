// Pure rules for organisations (组织) and their employer records: which
// type may sit under which, which status changes are allowed, and which
// field values are acceptable. No I/O: the service loads what these rules
// need (the parent's type and status) and asks.
#ifndef UNIONHUB_SERVICES_MEMBERSHIP_DOMAIN_ORG_RULES_H_
#define UNIONHUB_SERVICES_MEMBERSHIP_DOMAIN_ORG_RULES_H_

#include <cstddef>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/core/violations.h"
#include "common/rpc/field_mask.h"
#include "unionhub/membership/v1/membership.pb.h"

namespace unionhub::membership::domain {

namespace v1 = ::unionhub::membership::v1;

// Township, regional, grassroots, branch unions and union groups. The
// federations above county level only hold other organisations.
bool MayHoldMembers(v1::OrgType type);

// Only a grassroots union (基层工会) is the union *of* one employer.
bool RequiresEmployer(v1::OrgType type);

// Whether an org of type `child` may sit directly under an org of type
// `parent` (std::nullopt: as a root). A root may be a national, provincial,
// city or county federation, so a deployment can start at any federation
// level. UNSPECIFIED or unknown `child` is INVALID_ARGUMENT; a forbidden
// combination is FAILED_PRECONDITION naming the child type, the parent type
// and the parent types that would be allowed.
absl::Status CheckParent(v1::OrgType child, std::optional<v1::OrgType> parent);

// "GRASSROOTS_UNION" for ORG_TYPE_GRASSROOTS_UNION; "UNKNOWN(<n>)" for a
// value outside the enum (proto3 enums are open).
std::string OrgTypeName(v1::OrgType type);

// PREPARING (筹备组) -> ESTABLISHED only.
absl::Status CheckCanEstablish(v1::OrgStatus current);
// From PREPARING or ESTABLISHED.
absl::Status CheckCanDissolve(v1::OrgStatus current);
// Whether an org in `parent_status` may receive new child orgs or members:
// not once it is DISSOLVED (nor in an unknown status).
absl::Status CheckCanBeParent(v1::OrgStatus parent_status);

// UpdateOrg's mask: the updatable fields (parent_id moves the subtree),
// and for the other fields what to use instead.
const rpc::FieldMaskRules& OrgUpdateMask();

// Every bad field of `org`, named by its proto field path ("name",
// "employer.credit_code"). When `creating` a grassroots union, its employer
// record is validated too, unless the caller adopts an existing employer
// (`employer_required` false), in which case no new record may be given.
// Any other type must not carry an employer record.
Violations ValidateOrgFields(const v1::Org& org, bool creating,
                             bool employer_required = true);

// Every bad field of an employer record, unprefixed ("credit_code").
// `require_area_org` for an employer without a union of its own, whose
// workers must be counted in some federation's or township's coverage.
Violations ValidateEmployerFields(const v1::Employer& employer,
                                  bool require_area_org);

// The suite's one text rule (common/core/text.h) for membership's
// single-line fields: length in Unicode code points (a Chinese name is 3
// bytes a character in UTF-8), no control characters. Adds what is wrong
// with `text` (with the rule's reason) as `field`'s violation. With
// `min_chars` > 0 a blank (empty or whitespace-only) text is "is required".
void CheckText(absl::string_view text, absl::string_view field,
               size_t min_chars, size_t max_chars, Violations& violations,
               bool allow_digits = true);

}  // namespace unionhub::membership::domain

#endif  // UNIONHUB_SERVICES_MEMBERSHIP_DOMAIN_ORG_RULES_H_
