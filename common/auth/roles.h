// The one table of what each role may do. Methods name the permission they
// need in their proto declaration; this maps roles to permissions.
#ifndef UNIONHUB_COMMON_AUTH_ROLES_H_
#define UNIONHUB_COMMON_AUTH_ROLES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace unionhub::auth {

// Reading national ID numbers in full (otherwise they are masked).
inline constexpr absl::string_view kReadNationalId =
    "personal_data.national_id.read";

// True when any of `roles` grants `permission`. Unknown roles grant nothing.
bool RolesGrant(const std::vector<std::string>& roles,
                absl::string_view permission);

// Every role name the table knows, for tools and tests.
std::vector<std::string> KnownRoles();

// The roles in a comma-separated list (spaces around names ignored), or
// INVALID_ARGUMENT naming the first role the table does not know: a token
// minted with a misspelt role would silently grant nothing.
absl::StatusOr<std::vector<std::string>> ParseRoles(absl::string_view text);

// The known roles joined by spaces, for help texts.
std::string KnownRolesText();

// Every permission some role other than admin grants, sorted (for tests
// that hold the table against the methods' declarations).
std::vector<std::string> GrantedPermissions();

// Permissions methods declare that only admin holds, on purpose.
std::vector<std::string> AdminOnlyPermissions();

// Every permission `roles` grant, sorted (admin: all the table knows).
// For clients that offer only what the gate would allow (the console's
// navigation); the gate still decides each call.
std::vector<std::string> PermissionsOf(const std::vector<std::string>& roles);

}  // namespace unionhub::auth

#endif  // UNIONHUB_COMMON_AUTH_ROLES_H_
