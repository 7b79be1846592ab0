// Coverage counts (入会率 / 建会率) for a subtree, grouped by direct child in
// the database rather than walked in C++.
#include <cppconn/resultset.h>

#include "absl/strings/str_cat.h"
#include "common/db/sql.h"
#include "services/membership/store/store.h"

namespace unionhub::membership::store {
namespace {

// The id of the direct child of the root that `path` lies under, taken from
// the first path segment after the root's prefix ('' -> the root itself).
std::string ChildSegment(const char* column) {
  return absl::StrCat("CAST(NULLIF(SUBSTRING_INDEX(SUBSTRING(", column,
                      ", ? + 1), '/', 1), '') AS SIGNED)");
}

}  // namespace

std::map<int64_t, CoverageCounts> CoverageByChild(Connection& conn,
                                                  const std::string& root_path,
                                                  const std::string& as_of) {
  std::map<int64_t, CoverageCounts> by_child;
  const int64_t prefix_length = static_cast<int64_t>(root_path.size());
  const std::string below = absl::StrCat(root_path, "%");
  {
    // Employers and their headcounts are today's records (they carry no
    // history); whether each had an established union is as of the day.
    auto rs = db::Query(
        conn,
        absl::StrCat(
            "SELECT ", ChildSegment("e.coverage_path"),
            " AS child, SUM(e.headcount) AS workers, COUNT(*) AS employers, "
            "SUM(u.id IS NOT NULL AND u.established_on IS NOT NULL AND "
            "u.established_on <= ? AND (u.dissolved_on IS NULL OR "
            "u.dissolved_on > ?)) AS unionised "
            "FROM employers e LEFT JOIN orgs u ON u.id = e.union_org_id "
            "WHERE e.coverage_path LIKE ? GROUP BY child"),
        prefix_length, as_of, as_of, below);
    while (rs->next()) {
      CoverageCounts& c = by_child[db::GetInt64(*rs, "child")];
      c.workers += db::GetInt64(*rs, "workers");
      c.employers += db::GetInt64(*rs, "employers");
      c.employers_with_union += db::GetInt64(*rs, "unionised");
    }
  }
  {
    auto rs = db::Query(
        conn,
        absl::StrCat(
            "SELECT ", ChildSegment("o.path"),
            " AS child, COUNT(*) AS members FROM member_periods p "
            "JOIN orgs o ON o.id = p.org_id WHERE o.path LIKE ? AND "
            "p.valid_from <= ? AND (p.valid_to IS NULL OR p.valid_to > ?) "
            "AND p.status = ? GROUP BY child"),
        prefix_length, below, as_of, as_of,
        static_cast<int64_t>(v1::MEMBER_STATUS_ACTIVE));
    while (rs->next()) {
      by_child[db::GetInt64(*rs, "child")].members +=
          db::GetInt64(*rs, "members");
    }
  }
  return by_child;
}

}  // namespace unionhub::membership::store
