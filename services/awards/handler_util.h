// Small helpers the awards handlers share.
#ifndef UNIONHUB_SERVICES_AWARDS_HANDLER_UTIL_H_
#define UNIONHUB_SERVICES_AWARDS_HANDLER_UTIL_H_

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/core/dates.h"
#include "common/core/violations.h"

namespace unionhub::awards {

inline std::string AwardsMethod(absl::string_view method) {
  return absl::StrCat("unionhub.awards.v1.AwardsService.", method);
}

// A required "YYYY-MM-DD": adds a violation when missing or malformed.
inline void CheckDate(const std::string& text, absl::string_view field,
                      Violations& violations, bool required = true) {
  if (text.empty()) {
    if (required) violations.Add(field, "required (YYYY-MM-DD)");
    return;
  }
  if (!dates::ParseDate(text).ok()) {
    violations.Add(field, "must be a real date YYYY-MM-DD");
  }
}

inline void CheckId(int64_t id, absl::string_view field,
                    Violations& violations) {
  if (id <= 0) violations.Add(field, "required");
}

}  // namespace unionhub::awards

#endif  // UNIONHUB_SERVICES_AWARDS_HANDLER_UTIL_H_
