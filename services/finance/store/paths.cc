#include "services/finance/store/paths.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/db/sql.h"

namespace unionhub::finance::store {

std::vector<int64_t> PathIds(const std::string& path) {
  std::vector<int64_t> ids;
  if (path.size() < 3 || path.front() != '/' || path.back() != '/') return ids;
  for (absl::string_view part : absl::StrSplit(
           absl::string_view(path).substr(1, path.size() - 2), '/')) {
    int64_t id = 0;
    if (!absl::SimpleAtoi(part, &id) || id <= 0) return {};
    ids.push_back(id);
  }
  return ids;
}

absl::StatusOr<std::string> OrgPath(db::Connection& conn, int64_t org_id) {
  auto rs =
      db::Query(conn, "SELECT path FROM roster_orgs WHERE org_id = ?", org_id);
  if (!rs->next()) {
    return absl::NotFoundError(absl::StrCat(
        "org ", org_id,
        " is not known to finance (unknown, or membership's change feed has "
        "not reached it yet)"));
  }
  return db::GetString(*rs, "path");
}

std::string SubtreePattern(const std::string& path) {
  // Paths hold only digits and '/', so nothing needs escaping.
  return absl::StrCat(path, "%");
}

absl::StatusOr<std::string> SubtreePatternOf(db::Connection& conn,
                                             int64_t org_id) {
  if (org_id == 0) return SubtreePattern("/");
  absl::StatusOr<std::string> path = OrgPath(conn, org_id);
  if (!path.ok()) return path.status();
  return SubtreePattern(*path);
}

}  // namespace unionhub::finance::store
