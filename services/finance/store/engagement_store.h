// Audit engagements, their findings and rectification items in SQL.
#ifndef UNIONHUB_SERVICES_FINANCE_STORE_ENGAGEMENT_STORE_H_
#define UNIONHUB_SERVICES_FINANCE_STORE_ENGAGEMENT_STORE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/db/pool.h"
#include "services/finance/domain/engagement.h"
#include "unionhub/finance/v1/finance.pb.h"

namespace unionhub::finance::store {

namespace v1 = ::unionhub::finance::v1;

// The engagement without its findings; NOT_FOUND naming the id. With
// `for_update` the row is locked until commit: every change to an
// engagement, its findings or its items locks the engagement first, so a
// close and an added item cannot pass each other.
absl::StatusOr<v1::Engagement> GetEngagement(db::Connection& conn,
                                             int64_t engagement_id,
                                             bool for_update = false);

// Fills `engagement`'s findings, each with its rectification items, in id
// order.
void LoadFindings(db::Connection& conn, v1::Engagement& engagement);

// Inserts with status, type, title, period and opened_by from `engagement`;
// returns the new id.
int64_t InsertEngagement(db::Connection& conn, const v1::Engagement& engagement,
                         const std::string& org_path);

void SetEngagementStatus(db::Connection& conn, int64_t engagement_id,
                         v1::EngagementStatus status);

// Engagements whose org is in the subtree (by the org's current roster
// path; `subtree_pattern` empty for all), with `status` unless
// UNSPECIFIED, engagement_id > `after`, ascending, at most `limit`;
// without findings.
std::vector<v1::Engagement> ListEngagements(db::Connection& conn,
                                            const std::string& subtree_pattern,
                                            v1::EngagementStatus status,
                                            int64_t after, int limit);

// The audited org of what an id names (for the scope check before the
// transaction); NOT_FOUND naming the id.
absl::StatusOr<int64_t> OrgOfEngagement(db::Connection& conn,
                                        int64_t engagement_id);
absl::StatusOr<int64_t> OrgOfFinding(db::Connection& conn, int64_t finding_id);
absl::StatusOr<int64_t> OrgOfRectification(db::Connection& conn,
                                           int64_t rectification_id);

// Without rectifications; NOT_FOUND naming the id.
absl::StatusOr<v1::Finding> GetFinding(db::Connection& conn,
                                       int64_t finding_id);
int64_t InsertFinding(db::Connection& conn, const v1::Finding& finding);

struct RectificationRow {
  v1::Rectification rectification;
  int64_t engagement_id = 0;
};

// NOT_FOUND naming the id; `for_update` locks the row.
absl::StatusOr<RectificationRow> GetRectification(db::Connection& conn,
                                                  int64_t rectification_id,
                                                  bool for_update = false);
int64_t InsertRectification(db::Connection& conn,
                            const v1::Rectification& rectification,
                            int64_t engagement_id);
void UpdateRectificationStatus(db::Connection& conn, int64_t rectification_id,
                               v1::RectificationStatus status,
                               const std::string& evidence);

// Every item of the engagement with its status, in id order.
std::vector<domain::OpenItem> RectificationStatuses(db::Connection& conn,
                                                    int64_t engagement_id);

// Items whose deadline is before `as_of` ("YYYY-MM-DD") and whose status
// is not final, of engagements whose org is in the subtree (current roster
// path; empty pattern for all), rectification_id > `after`, ascending, at
// most `limit`. days_overdue is left for the caller.
std::vector<v1::OverdueRectification> OverdueRectifications(
    db::Connection& conn, const std::string& subtree_pattern,
    const std::string& as_of, int64_t after, int limit);

}  // namespace unionhub::finance::store

#endif  // UNIONHUB_SERVICES_FINANCE_STORE_ENGAGEMENT_STORE_H_
