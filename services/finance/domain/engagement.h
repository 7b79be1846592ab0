// Audit engagements (经费审查, DOMAIN §5): the engagement state machine and
// the rectification (整改) item transitions. Pure rules over the proto
// enums; the handlers load the current state, ask here, then write.
//
// Engagement: PLANNED -> FIELDWORK -> REPORTED -> CLOSED, one step at a
// time and never back. Findings are recorded while the auditors are in the
// field or writing up (FIELDWORK, REPORTED); rectification items can be
// added to a finding until the engagement is closed. Closing needs every
// rectification item final.
//
// Rectification: OPEN -> IN_PROGRESS -> SUBMITTED -> VERIFIED, with
// SUBMITTED -> IN_PROGRESS when the auditors send the work back, and any
// non-final status -> ACCEPTED (accepted without change, with a reason).
// VERIFIED and ACCEPTED are final. SUBMITTED, VERIFIED and ACCEPTED need
// evidence (what was handed in, what was checked, why it is accepted).
#ifndef UNIONHUB_SERVICES_FINANCE_DOMAIN_ENGAGEMENT_H_
#define UNIONHUB_SERVICES_FINANCE_DOMAIN_ENGAGEMENT_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "unionhub/finance/v1/finance.pb.h"

namespace unionhub::finance::domain {

namespace v1 = ::unionhub::finance::v1;

// OK for PLANNED -> FIELDWORK and FIELDWORK -> REPORTED; FAILED_PRECONDITION
// naming both statuses otherwise (CLOSED only through CloseEngagement).
absl::Status CheckAdvance(v1::EngagementStatus from, v1::EngagementStatus to);

// FAILED_PRECONDITION unless the engagement is in FIELDWORK or REPORTED.
absl::Status CheckCanAddFinding(v1::EngagementStatus status);

// FAILED_PRECONDITION when the engagement is CLOSED.
absl::Status CheckCanAddRectification(v1::EngagementStatus status);

bool IsFinal(v1::RectificationStatus status);

// Whether moving to `to` must carry evidence.
bool EvidenceRequired(v1::RectificationStatus to);

// OK for the transitions listed above; FAILED_PRECONDITION naming both
// statuses otherwise (including staying in the same status).
absl::Status CheckRectificationTransition(v1::RectificationStatus from,
                                          v1::RectificationStatus to);

struct OpenItem {
  int64_t rectification_id = 0;
  v1::RectificationStatus status = v1::RECTIFICATION_STATUS_UNSPECIFIED;
};

// OK only from REPORTED with every item in `items` final; otherwise
// FAILED_PRECONDITION naming the status or every item still open.
absl::Status CheckClose(v1::EngagementStatus status,
                        const std::vector<OpenItem>& items);

// Whole days from `deadline` to `as_of` (0 or less when not overdue).
int64_t DaysOverdue(absl::CivilDay deadline, absl::CivilDay as_of);

// What is wrong with a free-text field, if anything: required and blank
// (only spaces), not UTF-8, control characters (only line feeds are
// allowed, and only when `multiline`: the common rule of common/core/
// text.h), or more than `max_chars` characters (code points, as the VARCHAR
// columns count them).
std::optional<std::string> TextProblem(absl::string_view text, bool required,
                                       size_t max_chars, bool multiline);

// Short names for messages: "PLANNED", "IN_PROGRESS".
std::string ShortName(v1::EngagementStatus status);
std::string ShortName(v1::RectificationStatus status);

}  // namespace unionhub::finance::domain

#endif  // UNIONHUB_SERVICES_FINANCE_DOMAIN_ENGAGEMENT_H_
