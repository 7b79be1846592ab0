// Text helpers of unionctl with no I/O: display width of UTF-8 text (East
// Asian wide characters take two terminal columns), money and rate
// rendering, CSV quoting and parsing, aligned tables.
#ifndef UNIONHUB_TOOLS_UNIONCTL_TEXT_H_
#define UNIONHUB_TOOLS_UNIONCTL_TEXT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace unionhub::unionctl {

// Terminal columns of one code point: 0 for combining marks and zero-width
// characters, 2 for East Asian Wide and Fullwidth ones, else 1.
int CodePointWidth(char32_t c);

// Columns `text` takes on a terminal. Invalid UTF-8 bytes count one each.
int DisplayWidth(absl::string_view text);

// `text` followed by spaces up to `width` columns (or before them when
// `right`); text already wider is returned unchanged.
std::string Pad(absl::string_view text, int width, bool right = false);

// `text` safe to print on a terminal: control characters (C0, DEL, C1),
// bidirectional overrides and invalid UTF-8 bytes are shown escaped
// ("\x1b", "\u202e", "\xff") instead of acting on the terminal; a
// backslash stays as it is. Tab, CR and LF are kept when
// `keep_line_breaks` (CSV quotes them).
std::string EscapeControls(absl::string_view text,
                           bool keep_line_breaks = false);

// 123456 -> "1234.56", -5 -> "-0.05". Exact: integer arithmetic only.
std::string FenToYuan(int64_t fen);

// 8512 -> "85.12%" (basis points; 1 bp = 0.01 %); without the sign when
// `percent_sign` is false.
std::string BpToPercent(int64_t bp, bool percent_sign = true);

// "12.3" -> 1230, "-0.05" -> -5, "100" -> 10000; nullopt for anything
// else (more than two decimals, no digits, junk).
std::optional<int64_t> YuanToFen(absl::string_view yuan);

// The cell as a spreadsheet may safely open it: one it would run as a
// formula (first character = + - @ tab or CR) gets a leading ', unless it
// is a plain number ("-12.50", "-3"), which stays a number.
std::string SpreadsheetSafe(absl::string_view value);

// A CSV field (RFC 4180) of SpreadsheetSafe(value): quoted when it holds a
// comma, quote, CR or LF, or starts/ends with a space; quotes doubled.
// Every CSV unionctl writes goes through here.
std::string CsvField(absl::string_view value);
std::string CsvLine(const std::vector<std::string>& fields);

// Splits one CSV record starting at `pos` in `text` (quoted fields may
// span lines); advances `pos` past the record's line end. False at the end
// of the text or on an unterminated quote (then `error` says where).
bool NextCsvRecord(absl::string_view text, size_t* pos,
                   std::vector<std::string>* fields, std::string* error);

// An aligned table: a header line, a rule, then the rows; columns two
// spaces apart, numbers (cells that look numeric) right-aligned.
std::string RenderTable(const std::vector<std::string>& header,
                        const std::vector<std::vector<std::string>>& rows);

// True for "-12", "3.50", "85.12%": right-aligned in tables.
bool LooksNumeric(absl::string_view cell);

}  // namespace unionhub::unionctl

#endif  // UNIONHUB_TOOLS_UNIONCTL_TEXT_H_
