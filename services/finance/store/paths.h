// Materialised organisation paths ("/1/5/23/", the org itself last) as
// finance's roster keeps them.
#ifndef UNIONHUB_SERVICES_FINANCE_STORE_PATHS_H_
#define UNIONHUB_SERVICES_FINANCE_STORE_PATHS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/db/pool.h"

namespace unionhub::finance::store {

// The ids along `path`, root first; the org itself is the last one. Empty
// for a malformed path.
std::vector<int64_t> PathIds(const std::string& path);

// The org's path from the roster; NOT_FOUND naming the org when finance has
// not (yet) heard of it.
absl::StatusOr<std::string> OrgPath(db::Connection& conn, int64_t org_id);

// The LIKE pattern matching `path` and everything below it.
std::string SubtreePattern(const std::string& path);

// The LIKE pattern of org_id's subtree from the roster ("/%", the whole
// tree, for 0); NOT_FOUND as OrgPath.
absl::StatusOr<std::string> SubtreePatternOf(db::Connection& conn,
                                             int64_t org_id);

}  // namespace unionhub::finance::store

#endif  // UNIONHUB_SERVICES_FINANCE_STORE_PATHS_H_
