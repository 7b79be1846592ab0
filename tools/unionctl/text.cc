#include "tools/unionctl/text.h"

#include <algorithm>
#include <cstdlib>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"

namespace unionhub::unionctl {
namespace {

struct Range {
  char32_t first, last;
};

// East Asian Wide (W) and Fullwidth (F) blocks of Unicode's
// EastAsianWidth.txt, merged into ranges: CJK ideographs, kana, Hangul,
// CJK punctuation, fullwidth forms, emoji presentation.
constexpr Range kWide[] = {
    {0x1100, 0x115F},   {0x231A, 0x231B},   {0x2329, 0x232A},
    {0x23E9, 0x23EC},   {0x2E80, 0x303E},   {0x3041, 0x33FF},
    {0x3400, 0x4DBF},   {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},
    {0xA960, 0xA97F},   {0xAC00, 0xD7A3},   {0xF900, 0xFAFF},
    {0xFE10, 0xFE19},   {0xFE30, 0xFE6F},   {0xFF00, 0xFF60},
    {0xFFE0, 0xFFE6},   {0x1F300, 0x1F64F}, {0x1F900, 0x1F9FF},
    {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD},
};

// Combining marks and zero-width characters.
constexpr Range kZero[] = {
    {0x0300, 0x036F}, {0x0483, 0x0489}, {0x0591, 0x05BD}, {0x200B, 0x200F},
    {0x2028, 0x202E}, {0x2060, 0x2064}, {0x20D0, 0x20FF}, {0xFE00, 0xFE0F},
    {0xFE20, 0xFE2F}, {0xFEFF, 0xFEFF},
};

template <size_t N>
bool In(const Range (&ranges)[N], char32_t c) {
  for (const Range& r : ranges) {
    if (c >= r.first && c <= r.last) return true;
  }
  return false;
}

// Decodes one UTF-8 code point at `i`; an invalid byte decodes as itself
// and advances one byte.
char32_t Decode(absl::string_view s, size_t* i) {
  const auto b0 = static_cast<unsigned char>(s[*i]);
  int len = b0 < 0x80         ? 1
            : (b0 >> 5) == 6  ? 2
            : (b0 >> 4) == 14 ? 3
            : (b0 >> 3) == 30 ? 4
                              : 0;
  if (len == 0 || *i + len > s.size()) {
    ++*i;
    return b0;
  }
  char32_t c = len == 1   ? b0
               : len == 2 ? (b0 & 0x1F)
               : len == 3 ? (b0 & 0x0F)
                          : (b0 & 0x07);
  for (int k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[*i + k]);
    if ((b >> 6) != 2) {
      ++*i;
      return b0;
    }
    c = (c << 6) | (b & 0x3F);
  }
  *i += len;
  return c;
}

}  // namespace

int CodePointWidth(char32_t c) {
  if (c == 0) return 0;
  if (In(kZero, c)) return 0;
  if (In(kWide, c)) return 2;
  return 1;
}

int DisplayWidth(absl::string_view text) {
  int width = 0;
  for (size_t i = 0; i < text.size();)
    width += CodePointWidth(Decode(text, &i));
  return width;
}

std::string Pad(absl::string_view text, int width, bool right) {
  const int fill = width - DisplayWidth(text);
  if (fill <= 0) return std::string(text);
  return right ? absl::StrCat(std::string(fill, ' '), text)
               : absl::StrCat(text, std::string(fill, ' '));
}

std::string EscapeControls(absl::string_view text, bool keep_line_breaks) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const size_t start = i;
    const char32_t c = Decode(text, &i);
    const auto b0 = static_cast<unsigned char>(text[start]);
    if (i - start == 1 && b0 >= 0x80) {
      absl::StrAppendFormat(&out, "\\x%02x", b0);  // not UTF-8
    } else if (keep_line_breaks && (c == '\t' || c == '\n' || c == '\r')) {
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7F) {
      absl::StrAppendFormat(&out, "\\x%02x", static_cast<unsigned>(c));
    } else if ((c >= 0x80 && c <= 0x9F) || c == 0x200E || c == 0x200F ||
               (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069)) {
      absl::StrAppendFormat(&out, "\\u%04x", static_cast<unsigned>(c));
    } else {
      out.append(text.data() + start, i - start);
    }
  }
  return out;
}

std::string FenToYuan(int64_t fen) {
  // Unsigned magnitude so INT64_MIN has one too.
  const bool negative = fen < 0;
  const uint64_t magnitude =
      negative ? 0 - static_cast<uint64_t>(fen) : static_cast<uint64_t>(fen);
  return absl::StrFormat("%s%d.%02d", negative ? "-" : "", magnitude / 100,
                         magnitude % 100);
}

std::string BpToPercent(int64_t bp, bool percent_sign) {
  return absl::StrCat(FenToYuan(bp), percent_sign ? "%" : "");
}

std::optional<int64_t> YuanToFen(absl::string_view yuan) {
  yuan = absl::StripAsciiWhitespace(yuan);
  bool negative = false;
  if (!yuan.empty() && (yuan[0] == '-' || yuan[0] == '+')) {
    negative = yuan[0] == '-';
    yuan.remove_prefix(1);
  }
  const size_t dot = yuan.find('.');
  absl::string_view whole = yuan.substr(0, dot);
  absl::string_view cents =
      dot == absl::string_view::npos ? "" : yuan.substr(dot + 1);
  if (whole.empty() && cents.empty()) return std::nullopt;
  if (cents.size() > 2 || whole.size() > 16) return std::nullopt;
  if (dot != absl::string_view::npos && cents.empty()) return std::nullopt;
  int64_t fen = 0;
  for (char c : whole) {
    if (!absl::ascii_isdigit(c)) return std::nullopt;
    fen = fen * 10 + (c - '0');
  }
  int64_t sub = 0;
  for (size_t k = 0; k < 2; ++k) {
    char c = k < cents.size() ? cents[k] : '0';
    if (!absl::ascii_isdigit(c)) return std::nullopt;
    sub = sub * 10 + (c - '0');
  }
  fen = fen * 100 + sub;
  return negative ? -fen : fen;
}

namespace {

// "-12.50", "3", "0.05": a number a spreadsheet reads as a number. Exactly
// what FenToYuan, BpToPercent(.., false) and integers print; nothing that
// could carry a formula.
bool IsPlainNumber(absl::string_view cell) {
  absl::ConsumePrefix(&cell, "-");
  auto digits = [](absl::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), absl::ascii_isdigit);
  };
  const size_t dot = cell.find('.');
  if (dot == absl::string_view::npos) return digits(cell);
  return digits(cell.substr(0, dot)) && digits(cell.substr(dot + 1));
}

}  // namespace

std::string SpreadsheetSafe(absl::string_view value) {
  // A spreadsheet runs a cell starting with one of these as a formula
  // (=HYPERLINK, +cmd|..., @SUM); OWASP's defence is a leading ' that makes
  // it text. Negative money stays a number: a plain number runs nothing.
  if (!value.empty() &&
      absl::string_view("=+-@\t\r").find(value.front()) !=
          absl::string_view::npos &&
      !IsPlainNumber(value)) {
    return absl::StrCat("'", value);
  }
  return std::string(value);
}

std::string CsvField(absl::string_view raw) {
  const std::string safe = SpreadsheetSafe(raw);
  const absl::string_view value = safe;
  const bool quote =
      value.find_first_of(",\"\r\n") != absl::string_view::npos ||
      (!value.empty() && (value.front() == ' ' || value.back() == ' '));
  if (!quote) return std::string(value);
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string CsvLine(const std::vector<std::string>& fields) {
  std::string line;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) line += ',';
    line += CsvField(fields[i]);
  }
  line += '\n';
  return line;
}

bool NextCsvRecord(absl::string_view text, size_t* pos,
                   std::vector<std::string>* fields, std::string* error) {
  fields->clear();
  error->clear();
  size_t i = *pos;
  if (i == 0 && text.substr(0, 3) == "\xEF\xBB\xBF") i = 3;  // spreadsheet BOM
  if (i >= text.size()) return false;
  std::string field;
  bool quoted = false;
  while (true) {
    if (i >= text.size()) {
      if (quoted) {
        *error = "unterminated quoted field";
        return false;
      }
      fields->push_back(std::move(field));
      break;
    }
    const char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        ++i;
        continue;
      }
      field += c;
      ++i;
      continue;
    }
    if (c == '"' && field.empty()) {
      quoted = true;
      ++i;
    } else if (c == ',') {
      fields->push_back(std::move(field));
      field.clear();
      ++i;
    } else if (c == '\n' || c == '\r') {
      fields->push_back(std::move(field));
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      ++i;
      break;
    } else {
      field += c;
      ++i;
    }
  }
  *pos = i;
  return true;
}

bool LooksNumeric(absl::string_view cell) {
  if (cell.empty()) return false;
  if (cell.back() == '%') cell.remove_suffix(1);
  if (!cell.empty() && cell[0] == '-') cell.remove_prefix(1);
  if (cell.empty()) return false;
  bool dot = false;
  for (char c : cell) {
    if (c == '.' && !dot) {
      dot = true;
    } else if (!absl::ascii_isdigit(c)) {
      return false;
    }
  }
  return true;
}

std::string RenderTable(const std::vector<std::string>& header,
                        const std::vector<std::vector<std::string>>& rows) {
  std::vector<int> width(header.size(), 0);
  std::vector<bool> numeric(header.size(), true);
  std::vector<bool> any(header.size(), false);
  for (size_t c = 0; c < header.size(); ++c) {
    width[c] = DisplayWidth(header[c]);
  }
  for (const auto& row : rows) {
    for (size_t c = 0; c < header.size() && c < row.size(); ++c) {
      width[c] = std::max(width[c], DisplayWidth(row[c]));
      if (row[c].empty()) continue;
      any[c] = true;
      if (!LooksNumeric(row[c])) numeric[c] = false;
    }
  }
  auto line = [&](const std::vector<std::string>& cells, bool is_header) {
    std::string out;
    for (size_t c = 0; c < header.size(); ++c) {
      const std::string& cell = c < cells.size() ? cells[c] : "";
      const bool right = !is_header && numeric[c] && any[c];
      const bool last = c + 1 == header.size();
      std::string padded = (last && !right) ? cell : Pad(cell, width[c], right);
      if (c > 0) out += "  ";
      out += padded;
    }
    // Trailing spaces of a right-padded last cell are noise in goldens.
    while (!out.empty() && out.back() == ' ') out.pop_back();
    out += '\n';
    return out;
  };
  std::string out = line(header, true);
  std::vector<std::string> rule;
  for (int w : width) rule.push_back(std::string(w, '-'));
  out += line(rule, true);
  for (const auto& row : rows) out += line(row, false);
  return out;
}

}  // namespace unionhub::unionctl
