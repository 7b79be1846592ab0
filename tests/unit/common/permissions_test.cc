// The permission table (common/auth/roles.cc) against the methods'
// declarations in the protos: every permission a method names is granted by
// some role other than admin or is explicitly admin-only, and every
// permission the table grants is needed by some method (or is the one data
// permission the mask checks). Walks the generated descriptors of every
// unionhub service.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "common/auth/roles.h"
#include "google/protobuf/descriptor.h"
#include "unionhub/awards/v1/awards.pb.h"
#include "unionhub/awards/v1/competition.pb.h"
#include "unionhub/common/v1/audit_trail.pb.h"
#include "unionhub/common/v1/auth.pb.h"
#include "unionhub/finance/v1/finance.pb.h"
#include "unionhub/membership/v1/membership.pb.h"

namespace unionhub {
namespace {

using google::protobuf::FileDescriptor;
using google::protobuf::MethodDescriptor;
using google::protobuf::ServiceDescriptor;

// Every proto file that defines a unionhub service. Naming a message of
// each links its generated code, which registers the file in the pool.
std::vector<const FileDescriptor*> ServiceFiles() {
  return {
      membership::v1::Member::descriptor()->file(),
      finance::v1::GetDuesStandingRequest::descriptor()->file(),
      awards::v1::Program::descriptor()->file(),
      awards::v1::Competition::descriptor()->file(),
      common::v1::ListAuditTrailRequest::descriptor()->file(),
  };
}

// permission -> the methods declaring it.
std::map<std::string, std::vector<std::string>> DeclaredPermissions() {
  std::map<std::string, std::vector<std::string>> out;
  for (const FileDescriptor* file : ServiceFiles()) {
    for (int s = 0; s < file->service_count(); ++s) {
      const ServiceDescriptor* service = file->service(s);
      for (int m = 0; m < service->method_count(); ++m) {
        const MethodDescriptor* method = service->method(m);
        const common::v1::MethodAuth& auth =
            method->options().GetExtension(common::v1::auth);
        out[auth.permission()].push_back(method->full_name());
      }
    }
  }
  return out;
}

TEST(Permissions, EveryServiceFileIsWalked) {
  std::set<std::string> services;
  for (const FileDescriptor* file : ServiceFiles()) {
    for (int s = 0; s < file->service_count(); ++s) {
      services.insert(file->service(s)->full_name());
    }
  }
  EXPECT_THAT(services, ::testing::IsSupersetOf(
                            {"unionhub.membership.v1.MembershipService",
                             "unionhub.finance.v1.FinanceService",
                             "unionhub.finance.v1.AuditService",
                             "unionhub.awards.v1.AwardsService",
                             "unionhub.awards.v1.CompetitionService",
                             "unionhub.common.v1.AuditTrailService"}));
}

TEST(Permissions, EveryMethodDeclaresOne) {
  const auto declared = DeclaredPermissions();
  auto none = declared.find("");
  EXPECT_EQ(none, declared.end())
      << "methods without a permission (denied to everyone): "
      << ::testing::PrintToString(none->second);
}

TEST(Permissions, EveryDeclaredPermissionIsInTheTable) {
  const std::vector<std::string> granted = auth::GrantedPermissions();
  const std::vector<std::string> admin_only = auth::AdminOnlyPermissions();
  const std::set<std::string> known(granted.begin(), granted.end());
  for (const auto& [permission, methods] : DeclaredPermissions()) {
    if (permission.empty()) continue;
    const bool is_admin_only = std::find(admin_only.begin(), admin_only.end(),
                                         permission) != admin_only.end();
    EXPECT_TRUE(known.count(permission) > 0 || is_admin_only)
        << permission << " (declared by " << ::testing::PrintToString(methods)
        << ") is granted by no role and not listed as admin-only";
    EXPECT_FALSE(known.count(permission) > 0 && is_admin_only)
        << permission << " is listed as admin-only but a role grants it";
  }
}

TEST(Permissions, EveryPermissionInTheTableIsUsed) {
  const auto declared = DeclaredPermissions();
  std::vector<std::string> all = auth::GrantedPermissions();
  for (const std::string& p : auth::AdminOnlyPermissions()) all.push_back(p);
  for (const std::string& permission : all) {
    // The one permission checked on data rather than on a method: the
    // gate's mask of national ID numbers.
    if (permission == auth::kReadNationalId) continue;
    EXPECT_TRUE(declared.count(permission) > 0)
        << permission << " is in common/auth/roles.cc but no method needs it";
  }
}

TEST(Permissions, AdminGrantsEveryDeclaredPermission) {
  for (const auto& [permission, methods] : DeclaredPermissions()) {
    EXPECT_TRUE(auth::RolesGrant({"admin"}, permission)) << permission;
  }
}

// The console's navigation offers pages by this list: it must say exactly
// what RolesGrant decides, admin's admin-only permissions included.
TEST(Permissions, PermissionsOfListsWhatTheRolesGrant) {
  for (const auto& [permission, methods] : DeclaredPermissions()) {
    for (const std::string& role : auth::KnownRoles()) {
      const std::vector<std::string> granted = auth::PermissionsOf({role});
      EXPECT_EQ(std::count(granted.begin(), granted.end(), permission) == 1,
                auth::RolesGrant({role}, permission))
          << role << " " << permission;
    }
  }
  EXPECT_THAT(auth::PermissionsOf({"nominator"}),
              testing::Not(testing::Contains("audit.reports.read")));
  EXPECT_THAT(auth::PermissionsOf({"auditor"}),
              testing::Contains("audit.reports.read"));
  EXPECT_THAT(auth::PermissionsOf({"admin"}),
              testing::Contains("finance.config.write"));
  EXPECT_TRUE(auth::PermissionsOf({"emperor"}).empty());
}

// Minting tools parse roles through this: a misspelt role must be refused,
// not turned into a token that silently grants nothing.
TEST(Permissions, ParseRolesAcceptsKnownRolesAndRefusesUnknownOnes) {
  absl::StatusOr<std::vector<std::string>> roles =
      auth::ParseRoles(" registrar, auditor ,admin");
  ASSERT_TRUE(roles.ok()) << roles.status();
  EXPECT_THAT(*roles, testing::ElementsAre("registrar", "auditor", "admin"));

  absl::StatusOr<std::vector<std::string>> misspelt =
      auth::ParseRoles("registrar,reader");
  ASSERT_EQ(misspelt.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(misspelt.status().message(),
              testing::HasSubstr("unknown role \"reader\""));
  EXPECT_THAT(misspelt.status().message(),
              testing::HasSubstr(auth::KnownRolesText()));
  EXPECT_EQ(auth::ParseRoles(" , ").status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace unionhub
