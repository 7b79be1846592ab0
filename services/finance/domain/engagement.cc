#include "services/finance/domain/engagement.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "common/core/text.h"

namespace unionhub::finance::domain {

std::optional<std::string> TextProblem(absl::string_view text, bool required,
                                       size_t max_chars, bool multiline) {
  return text::Problem(text, text::TextRule{.min_chars = required ? 1u : 0u,
                                            .max_chars = max_chars,
                                            .allow_newlines = multiline});
}

std::string ShortName(v1::EngagementStatus status) {
  std::string name = v1::EngagementStatus_Name(status);
  if (name.empty()) return absl::StrCat("status ", static_cast<int>(status));
  return std::string(absl::StripPrefix(name, "ENGAGEMENT_STATUS_"));
}

std::string ShortName(v1::RectificationStatus status) {
  std::string name = v1::RectificationStatus_Name(status);
  if (name.empty()) return absl::StrCat("status ", static_cast<int>(status));
  return std::string(absl::StripPrefix(name, "RECTIFICATION_STATUS_"));
}

absl::Status CheckAdvance(v1::EngagementStatus from, v1::EngagementStatus to) {
  const bool ok = (from == v1::ENGAGEMENT_STATUS_PLANNED &&
                   to == v1::ENGAGEMENT_STATUS_FIELDWORK) ||
                  (from == v1::ENGAGEMENT_STATUS_FIELDWORK &&
                   to == v1::ENGAGEMENT_STATUS_REPORTED);
  if (ok) return absl::OkStatus();
  std::string hint;
  if (to == v1::ENGAGEMENT_STATUS_CLOSED) {
    hint = " (an engagement is closed with CloseEngagement)";
  }
  return absl::FailedPreconditionError(absl::StrCat(
      "an engagement cannot go from ", ShortName(from), " to ", ShortName(to),
      "; it goes PLANNED -> FIELDWORK -> REPORTED one step at a "
      "time",
      hint));
}

absl::Status CheckCanAddFinding(v1::EngagementStatus status) {
  if (status == v1::ENGAGEMENT_STATUS_FIELDWORK ||
      status == v1::ENGAGEMENT_STATUS_REPORTED) {
    return absl::OkStatus();
  }
  return absl::FailedPreconditionError(
      absl::StrCat("findings are recorded in FIELDWORK or REPORTED; the "
                   "engagement is ",
                   ShortName(status)));
}

absl::Status CheckCanAddRectification(v1::EngagementStatus status) {
  if (status != v1::ENGAGEMENT_STATUS_CLOSED) return absl::OkStatus();
  return absl::FailedPreconditionError(
      "the engagement is CLOSED; no rectification items can be added");
}

bool IsFinal(v1::RectificationStatus status) {
  return status == v1::RECTIFICATION_STATUS_VERIFIED ||
         status == v1::RECTIFICATION_STATUS_ACCEPTED;
}

bool EvidenceRequired(v1::RectificationStatus to) {
  return to == v1::RECTIFICATION_STATUS_SUBMITTED ||
         to == v1::RECTIFICATION_STATUS_VERIFIED ||
         to == v1::RECTIFICATION_STATUS_ACCEPTED;
}

absl::Status CheckRectificationTransition(v1::RectificationStatus from,
                                          v1::RectificationStatus to) {
  using S = v1::RectificationStatus;
  bool ok = false;
  if (!IsFinal(from) && from != v1::RECTIFICATION_STATUS_UNSPECIFIED) {
    switch (to) {
      case S::RECTIFICATION_STATUS_ACCEPTED:
        ok = true;
        break;
      case S::RECTIFICATION_STATUS_IN_PROGRESS:
        ok = from == v1::RECTIFICATION_STATUS_OPEN ||
             from == v1::RECTIFICATION_STATUS_SUBMITTED;
        break;
      case S::RECTIFICATION_STATUS_SUBMITTED:
        ok = from == v1::RECTIFICATION_STATUS_IN_PROGRESS;
        break;
      case S::RECTIFICATION_STATUS_VERIFIED:
        ok = from == v1::RECTIFICATION_STATUS_SUBMITTED;
        break;
      default:
        break;
    }
  }
  if (ok) return absl::OkStatus();
  if (IsFinal(from)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the rectification item is ", ShortName(from), ", which is final"));
  }
  return absl::FailedPreconditionError(absl::StrCat(
      "a rectification item cannot go from ", ShortName(from), " to ",
      ShortName(to),
      "; allowed: OPEN -> IN_PROGRESS -> SUBMITTED -> VERIFIED, SUBMITTED -> "
      "IN_PROGRESS, and any non-final status -> ACCEPTED"));
}

absl::Status CheckClose(v1::EngagementStatus status,
                        const std::vector<OpenItem>& items) {
  if (status != v1::ENGAGEMENT_STATUS_REPORTED) {
    return absl::FailedPreconditionError(absl::StrCat(
        "only a REPORTED engagement can be closed; it is ", ShortName(status)));
  }
  std::vector<std::string> open;
  for (const OpenItem& item : items) {
    if (IsFinal(item.status)) continue;
    open.push_back(
        absl::StrCat(item.rectification_id, " (", ShortName(item.status), ")"));
  }
  if (open.empty()) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      open.size(), " rectification item(s) are not VERIFIED or ACCEPTED: ",
      absl::StrJoin(open, ", ")));
}

int64_t DaysOverdue(absl::CivilDay deadline, absl::CivilDay as_of) {
  return as_of - deadline;
}

}  // namespace unionhub::finance::domain
