// Small helpers the awards handlers share.
#ifndef UNIONHUB_SERVICES_AWARDS_HANDLER_UTIL_H_
#define UNIONHUB_SERVICES_AWARDS_HANDLER_UTIL_H_

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/core/text.h"

namespace unionhub::awards {

inline std::string AwardsMethod(absl::string_view method) {
  return absl::StrCat("unionhub.awards.v1.AwardsService.", method);
}

// The awards' free text (common/core/text.h), sized to the columns that
// hold it (VARCHAR(n) counts characters). Paragraphs allow line feeds.
inline constexpr text::TextRule kLineRule{.min_chars = 1, .max_chars = 128};
inline constexpr text::TextRule kOptionalLineRule{.min_chars = 0,
                                                  .max_chars = 128};
inline constexpr text::TextRule kReasonRule{.min_chars = 1, .max_chars = 500};
inline constexpr text::TextRule kParagraphRule{
    .min_chars = 1, .max_chars = 4000, .allow_newlines = true};
inline constexpr text::TextRule kCommentRule{
    .min_chars = 0, .max_chars = 4000, .allow_newlines = true};
inline constexpr text::TextRule kCitationRule{
    .min_chars = 1, .max_chars = 8000, .allow_newlines = true};
// A competition's top entrants are nominated with one shared citation.
inline constexpr text::TextRule kOptionalCitationRule{
    .min_chars = 0, .max_chars = 6000, .allow_newlines = true};

}  // namespace unionhub::awards

#endif  // UNIONHUB_SERVICES_AWARDS_HANDLER_UTIL_H_
