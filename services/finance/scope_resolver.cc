#include "services/finance/scope_resolver.h"

#include "absl/strings/str_cat.h"
#include "common/db/sql.h"
#include "services/finance/store/paths.h"

namespace unionhub::finance {

absl::StatusOr<std::string> FinanceScopeResolver::OrgPath(int64_t org_id) {
  absl::StatusOr<std::string> path;
  absl::Status status = pool_.Run([&](db::Connection& conn) {
    path = store::OrgPath(conn, org_id);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return path;
}

absl::StatusOr<std::string> FinanceScopeResolver::MemberOrgPath(
    int64_t member_id) {
  absl::StatusOr<std::string> path;
  absl::Status status = pool_.Run([&](db::Connection& conn) {
    auto rs = db::Query(conn,
                        "SELECT o.path FROM roster_members m JOIN roster_orgs "
                        "o ON o.org_id = m.org_id WHERE m.member_id = ?",
                        member_id);
    if (rs->next()) {
      path = db::GetString(*rs, "path");
    } else {
      path = absl::NotFoundError(
          absl::StrCat("member ", member_id, " is not known to finance"));
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return path;
}

}  // namespace unionhub::finance
