#include "services/awards/scope_resolver.h"

#include "absl/strings/str_cat.h"

namespace unionhub::awards {

std::string PathOf(const mv1::Org& org) {
  std::string path = "/";
  for (int64_t ancestor : org.ancestor_ids()) {
    absl::StrAppend(&path, ancestor, "/");
  }
  absl::StrAppend(&path, org.org_id(), "/");
  return path;
}

absl::StatusOr<std::string> AwardsScopeResolver::OrgPath(int64_t org_id) {
  absl::StatusOr<mv1::Org> org = peers_.GetOrg(org_id);
  if (!org.ok()) return org.status();
  return PathOf(*org);
}

absl::StatusOr<std::string> AwardsScopeResolver::MemberOrgPath(
    int64_t member_id) {
  absl::StatusOr<mv1::Member> member = peers_.GetMember(member_id);
  if (!member.ok()) return member.status();
  return OrgPath(member->org_id());
}

}  // namespace unionhub::awards
