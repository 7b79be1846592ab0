// One rule for free text a caller sends (names, payees, memos, reasons,
// notes): valid UTF-8, no control characters, a length counted in
// characters (code points), not bytes. Control characters are refused
// because the text is printed by terminals, logs and spreadsheets, where
// escape sequences and carriage returns rewrite what an operator sees.
#ifndef UNIONHUB_COMMON_CORE_TEXT_H_
#define UNIONHUB_COMMON_CORE_TEXT_H_

#include <cstddef>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "common/core/violations.h"

namespace unionhub::text {

struct TextRule {
  size_t min_chars = 0;  // > 0: required (and not only spaces)
  size_t max_chars = 0;
  // Only fields that really hold paragraphs (descriptions, evidence,
  // actions) allow line feeds; a bare '\n' is the only control character
  // ever allowed, never '\r', tab or ESC.
  bool allow_newlines = false;
  bool allow_digits = true;  // people's names refuse digits
};

// The problem with `text` under `rule`, phrased to follow a field name
// ("is required", "must not contain control characters"), or nullopt.
// Checked in this order: UTF-8, blank, control characters, digits, length.
std::optional<std::string> Problem(absl::string_view text,
                                   const TextRule& rule);

// The same problem with its stable reason (reasons::kTextTooLong, ...);
// `field` is left empty for the caller to name.
std::optional<FieldViolation> Diagnose(absl::string_view text,
                                       const TextRule& rule);

// Adds `field`'s problem, if any, with its reason, to `violations`.
void Check(absl::string_view text, absl::string_view field,
           const TextRule& rule, Violations& violations);

// Length in code points of valid UTF-8 `text`, as VARCHAR(n) counts it.
size_t CharCount(absl::string_view text);

// The first `max_chars` characters of valid UTF-8 `text`.
std::string Prefix(absl::string_view text, size_t max_chars);

}  // namespace unionhub::text

#endif  // UNIONHUB_COMMON_CORE_TEXT_H_
