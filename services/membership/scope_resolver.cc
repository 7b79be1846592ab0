#include "services/membership/scope_resolver.h"

#include "absl/strings/str_cat.h"
#include "common/db/sql.h"

namespace unionhub::membership {
namespace {

absl::StatusOr<std::string> OnePath(db::Pool& pool, const std::string& sql,
                                    int64_t id, absl::string_view what) {
  std::string path;
  bool found = false;
  absl::Status status = pool.Run([&](db::Connection& conn) {
    auto rs = db::Query(conn, sql, id);
    if (rs->next()) {
      path = db::GetString(*rs, "path");
      found = true;
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!found)
    return absl::NotFoundError(absl::StrCat(what, " ", id, " not found"));
  return path;
}

}  // namespace

absl::StatusOr<std::string> MembershipScopeResolver::OrgPath(int64_t org_id) {
  return OnePath(pool_, "SELECT path FROM orgs WHERE id = ?", org_id, "org");
}

absl::StatusOr<std::string> MembershipScopeResolver::MemberOrgPath(
    int64_t member_id) {
  return OnePath(pool_,
                 "SELECT o.path FROM members m JOIN orgs o ON o.id = m.org_id "
                 "WHERE m.id = ?",
                 member_id, "member");
}

}  // namespace unionhub::membership
