#include "services/finance/domain/engagement.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"

namespace unionhub::finance::domain {
namespace {

// Decodes one UTF-8 code point at text[*i], advancing *i; false when the
// bytes there are not well-formed UTF-8 (overlong forms and surrogates
// included).
bool NextCodePoint(absl::string_view text, size_t* i, char32_t* out) {
  const auto byte = [&](size_t k) {
    return static_cast<unsigned char>(text[k]);
  };
  const unsigned char b0 = byte(*i);
  size_t len = 0;
  char32_t cp = 0;
  if (b0 < 0x80) {
    len = 1;
    cp = b0;
  } else if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
    cp = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    cp = b0 & 0x0F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    cp = b0 & 0x07;
  } else {
    return false;
  }
  if (*i + len > text.size()) return false;
  for (size_t k = 1; k < len; ++k) {
    const unsigned char b = byte(*i + k);
    if ((b & 0xC0) != 0x80) return false;
    cp = (cp << 6) | (b & 0x3F);
  }
  if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10FFFF ||
      (cp >= 0xD800 && cp <= 0xDFFF)) {
    return false;
  }
  *i += len;
  *out = cp;
  return true;
}

}  // namespace

std::optional<std::string> TextProblem(absl::string_view text, bool required,
                                       size_t max_chars, bool multiline) {
  size_t count = 0;
  bool blank = true;
  for (size_t i = 0; i < text.size();) {
    char32_t cp = 0;
    if (!NextCodePoint(text, &i, &cp)) return "is not valid UTF-8 text";
    ++count;
    const bool allowed_break =
        multiline && (cp == '\n' || cp == '\t' || cp == '\r');
    if ((cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) && !allowed_break) {
      return "must not contain control characters";
    }
    if (cp != ' ' && cp != 0x3000 && cp != 0xA0 && !allowed_break) {
      blank = false;
    }
  }
  if (required && blank) return "is required";
  if (count > max_chars) {
    return absl::StrCat("must be at most ", max_chars, " characters");
  }
  return std::nullopt;
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
