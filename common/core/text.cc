#include "common/core/text.h"

#include <cstddef>
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace unionhub::text {
namespace {

// Decodes one UTF-8 sequence at `s[*i]`, advancing `*i`. Strict: overlong
// forms, surrogates and values above U+10FFFF are rejected, so a length
// limit cannot be dodged and the database never sees invalid text.
bool NextCodePoint(absl::string_view s, size_t* i, char32_t* out) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b0 = byte(*i);
  size_t len;
  char32_t cp;
  char32_t min;
  if (b0 < 0x80) {
    *out = b0;
    *i += 1;
    return true;
  } else if ((b0 & 0xE0) == 0xC0) {
    len = 2;
    cp = b0 & 0x1F;
    min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3;
    cp = b0 & 0x0F;
    min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4;
    cp = b0 & 0x07;
    min = 0x10000;
  } else {
    return false;
  }
  if (*i + len > s.size()) return false;
  for (size_t k = 1; k < len; ++k) {
    const unsigned char b = byte(*i + k);
    if ((b & 0xC0) != 0x80) return false;
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    return false;
  }
  *out = cp;
  *i += len;
  return true;
}

// C0, DEL and C1 (C1 includes the 8-bit CSI, U+009B, that some terminals
// honour as ESC '[').
bool IsControl(char32_t cp) { return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F); }

// ASCII and full-width digits: both are typed into name fields by mistake.
bool IsDigit(char32_t cp) {
  return (cp >= '0' && cp <= '9') || (cp >= 0xFF10 && cp <= 0xFF19);
}

// Ideographic space is what a Chinese input method types for a space.
bool IsSpace(char32_t cp) { return cp == ' ' || cp == 0x3000 || cp == 0xA0; }

}  // namespace

std::optional<FieldViolation> Diagnose(absl::string_view text,
                                       const TextRule& rule) {
  // (field is left empty: the caller names it.)
  const auto problem = [](absl::string_view reason, std::string description) {
    return FieldViolation{"", std::move(description), std::string(reason)};
  };
  size_t count = 0;
  bool blank = true;
  bool control = false;
  bool digit = false;
  for (size_t i = 0; i < text.size();) {
    char32_t cp;
    if (!NextCodePoint(text, &i, &cp)) {
      return problem(reasons::kTextInvalidUtf8, "is not valid UTF-8 text");
    }
    ++count;
    if (IsControl(cp) && !(rule.allow_newlines && cp == '\n')) control = true;
    if (IsDigit(cp)) digit = true;
    if (!IsSpace(cp) && !(rule.allow_newlines && cp == '\n')) blank = false;
  }
  if (rule.min_chars > 0 && blank) {
    return problem(reasons::kRequired, "is required");
  }
  if (control) {
    return problem(reasons::kTextControlChars,
                   "must not contain control characters");
  }
  if (!rule.allow_digits && digit) {
    return problem(reasons::kTextDigits, "must not contain digits");
  }
  if (count < rule.min_chars) {
    return problem(
        reasons::kTextTooShort,
        absl::StrCat("must be at least ", rule.min_chars, " characters"));
  }
  if (count > rule.max_chars) {
    return problem(
        reasons::kTextTooLong,
        absl::StrCat("must be at most ", rule.max_chars, " characters"));
  }
  return std::nullopt;
}

std::optional<std::string> Problem(absl::string_view text,
                                   const TextRule& rule) {
  std::optional<FieldViolation> problem = Diagnose(text, rule);
  if (!problem.has_value()) return std::nullopt;
  return std::move(problem->description);
}

void Check(absl::string_view text, absl::string_view field,
           const TextRule& rule, Violations& violations) {
  if (std::optional<FieldViolation> problem = Diagnose(text, rule)) {
    violations.Add(field, problem->description, problem->reason);
  }
}

namespace {
bool StartsCharacter(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
}
}  // namespace

size_t CharCount(absl::string_view text) {
  size_t n = 0;
  for (char c : text) n += StartsCharacter(c);
  return n;
}

std::string Prefix(absl::string_view text, size_t max_chars) {
  size_t count = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (StartsCharacter(text[i]) && count++ == max_chars) {
      return std::string(text.substr(0, i));
    }
  }
  return std::string(text);
}

}  // namespace unionhub::text
