#include "common/auth/roles.h"

#include <map>
#include <set>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace unionhub::auth {
namespace {

using PermissionSet = std::set<std::string, std::less<>>;

// admin holds everything; the rest hold exactly what their work needs.
// Organisation scope (the token's "org") narrows any of these further.
const std::map<std::string, PermissionSet, std::less<>>& Table() {
  static const auto* table = new std::map<std::string, PermissionSet,
                                          std::less<>>{
      {"registrar",
       {"membership.orgs.read", "membership.orgs.write",
        "membership.members.read", "membership.members.write",
        "membership.coverage.read", std::string(kReadNationalId)}},
      {"finance_clerk",
       {"membership.orgs.read", "membership.members.read",
        "membership.coverage.read", "finance.dues.read", "finance.dues.write",
        "finance.standing.read", "finance.funds.read", "finance.funds.write",
        "finance.ledger.read", "finance.ledger.write", "finance.spending.read",
        "finance.spending.write", "audit.reports.read"}},
      // Auditors read everything and write only their engagements.
      {"auditor",
       {"membership.orgs.read", "membership.members.read",
        "membership.coverage.read", "audit.trail.read", "finance.dues.read",
        "finance.standing.read", "finance.funds.read", "finance.ledger.read",
        "finance.spending.read", "audit.reports.read", "audit.ledger.read",
        "audit.engagements.read", "audit.engagements.write"}},
      // The awards committee runs programmes and contests end to end.
      {"award_committee",
       {"membership.orgs.read", "membership.members.read",
        "membership.coverage.read", "finance.standing.read",
        "awards.programs.read", "awards.programs.write",
        "awards.nominations.read", "awards.nominations.write",
        "awards.review.vote", "awards.objections.write", "awards.honours.read",
        "awards.honours.write", "awards.contests.read", "awards.contests.write",
        "awards.contests.score"}},
      {"reviewer",
       {"membership.orgs.read", "membership.members.read",
        "awards.programs.read", "awards.nominations.read", "awards.review.vote",
        "awards.objections.write", "awards.honours.read"}},
      {"nominator",
       {"membership.orgs.read", "membership.members.read",
        "awards.programs.read", "awards.nominations.read",
        "awards.nominations.write", "awards.objections.write",
        "awards.honours.read", "awards.contests.read"}},
      // Contest judges score; they read contests and nothing else.
      {"judge",
       {"membership.orgs.read", "membership.members.read",
        "awards.contests.read", "awards.contests.score"}},
      {"service",
       {"membership.orgs.read", "membership.members.read",
        "membership.coverage.read", "membership.events.read",
        "finance.standing.read", std::string(kReadNationalId)}},
  };
  return *table;
}

// Declared by methods, granted to no role: admin holds them through its
// wildcard. Listed so a permission nobody holds by mistake stands out.
const PermissionSet& AdminOnly() {
  static const auto* set = new PermissionSet{"finance.config.write"};
  return *set;
}

}  // namespace

bool RolesGrant(const std::vector<std::string>& roles,
                absl::string_view permission) {
  for (const std::string& role : roles) {
    if (role == "admin") return true;
    auto it = Table().find(role);
    if (it != Table().end() && it->second.count(permission) > 0) return true;
  }
  return false;
}

std::vector<std::string> KnownRoles() {
  std::vector<std::string> roles = {"admin"};
  for (const auto& [role, permissions] : Table()) roles.push_back(role);
  return roles;
}

std::string KnownRolesText() { return absl::StrJoin(KnownRoles(), " "); }

absl::StatusOr<std::vector<std::string>> ParseRoles(absl::string_view text) {
  std::vector<std::string> roles;
  for (absl::string_view role : absl::StrSplit(text, ',')) {
    role = absl::StripAsciiWhitespace(role);
    if (role.empty()) continue;
    if (role != "admin" && Table().find(role) == Table().end()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "unknown role \"", role, "\" (known: ", KnownRolesText(), ")"));
    }
    roles.emplace_back(role);
  }
  if (roles.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("no role given (known: ", KnownRolesText(), ")"));
  }
  return roles;
}

std::vector<std::string> GrantedPermissions() {
  PermissionSet all;
  for (const auto& [role, permissions] : Table()) {
    all.insert(permissions.begin(), permissions.end());
  }
  return {all.begin(), all.end()};
}

std::vector<std::string> AdminOnlyPermissions() {
  return {AdminOnly().begin(), AdminOnly().end()};
}

std::vector<std::string> PermissionsOf(const std::vector<std::string>& roles) {
  PermissionSet all(AdminOnly().begin(), AdminOnly().end());
  for (const auto& [role, permissions] : Table()) {
    all.insert(permissions.begin(), permissions.end());
  }
  std::vector<std::string> granted;
  for (const std::string& permission : all) {
    if (RolesGrant(roles, permission)) granted.push_back(permission);
  }
  return granted;
}

}  // namespace unionhub::auth
