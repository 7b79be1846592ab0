// Why a nomination is in its status, or why a rule of its eligibility
// check failed: a stable code with its figures (v1::Reason) for clients
// that say it in their own language, and the same in English (the
// nomination's status_reason, the evidence's reasons) for unionctl and
// integrators. Both are made here from one table, so they cannot drift.
#ifndef UNIONHUB_SERVICES_AWARDS_DOMAIN_REASONS_H_
#define UNIONHUB_SERVICES_AWARDS_DOMAIN_REASONS_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "unionhub/awards/v1/awards.pb.h"

namespace unionhub::awards {

namespace v1 = ::unionhub::awards::v1;

// The codes. Stable: clients (the console's text/awards.js) key their
// translations on them, so never rename one; each has its English form in
// reasons.cc.
namespace status_reasons {
// A nomination's status.
inline constexpr absl::string_view kEligible = "ELIGIBLE";
inline constexpr absl::string_view kIneligible = "INELIGIBLE";
inline constexpr absl::string_view kWithdrawn = "WITHDRAWN";
inline constexpr absl::string_view kClosedUnsubmitted = "CLOSED_UNSUBMITTED";
inline constexpr absl::string_view kShortlisted = "SHORTLISTED";
inline constexpr absl::string_view kRejectedByVote = "REJECTED_BY_VOTE";
inline constexpr absl::string_view kInPublicity = "IN_PUBLICITY";
inline constexpr absl::string_view kObjectionUpheld = "OBJECTION_UPHELD";
inline constexpr absl::string_view kApproved = "APPROVED";
inline constexpr absl::string_view kNomineeLeft = "NOMINEE_LEFT";
inline constexpr absl::string_view kNomineeExpelled = "NOMINEE_EXPELLED";
inline constexpr absl::string_view kNomineeDeceased = "NOMINEE_DECEASED";
// A failed eligibility rule.
inline constexpr absl::string_view kNotActiveMember = "NOT_ACTIVE_MEMBER";
inline constexpr absl::string_view kTenureTooShort = "TENURE_TOO_SHORT";
inline constexpr absl::string_view kDuesInArrears = "DUES_IN_ARREARS";
inline constexpr absl::string_view kOrgNotEstablished = "ORG_NOT_ESTABLISHED";
inline constexpr absl::string_view kHonouredRecently = "HONOURED_RECENTLY";
}  // namespace status_reasons

// A reason's figures by name, in the order given.
using ReasonParams = std::vector<std::pair<std::string, std::string>>;

struct StatusReason {
  v1::Reason code;
  std::string text;  // English
};

// The reason `code` with `params`; its text is the code's English form
// with each {name} filled, and a "note" figure, when not empty, after it
// in parentheses.
StatusReason Because(absl::string_view code, const ReasonParams& params = {});

// INELIGIBLE for `evidence`'s failed rules: the figure "rules" names them
// (comma-separated rule names), the text is their reasons joined by "; ".
StatusReason Ineligible(const v1::EligibilityEvidence& evidence);

// Sets `n`'s status_reason and status_reason_code.
void SetStatusReason(const StatusReason& reason, v1::Nomination* n);

// Every code the table has, for tests holding clients' translations
// against it.
std::vector<std::string> KnownReasonCodes();

}  // namespace unionhub::awards

#endif  // UNIONHUB_SERVICES_AWARDS_DOMAIN_REASONS_H_
