// The auditors' report as plain tables (what `audit report` fetched), and
// their two renderings: an .xlsx workbook with charts, and CSV files.
#ifndef UNIONHUB_TOOLS_UNIONCTL_REPORT_H_
#define UNIONHUB_TOOLS_UNIONCTL_REPORT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"

namespace unionhub::unionctl {

// Money is kept in fen and rates in basis points until written: the
// workbook gets numbers (yuan, fractions) with a display format, CSV gets
// exact decimal text.
enum class Kind { kText, kInt, kMoney, kRate };

struct Value {
  Kind kind = Kind::kText;
  std::string text;
  int64_t number = 0;
};

inline Value Text(std::string s) { return {Kind::kText, std::move(s), 0}; }
inline Value Int(int64_t n) { return {Kind::kInt, "", n}; }
inline Value Money(int64_t fen) { return {Kind::kMoney, "", fen}; }
inline Value Rate(int64_t bp) { return {Kind::kRate, "", bp}; }

struct Column {
  std::string key;    // CSV header, e.g. "due_yuan"
  std::string title;  // sheet header, e.g. "Due (yuan)"
};

struct Chart {
  enum Type { kNone, kLine, kBar } type = kNone;
  std::string title;
  int category_column = 0;
  std::vector<int> value_columns;
};

struct Table {
  std::string sheet;  // worksheet name
  std::string file;   // CSV file name
  std::vector<Column> columns;
  std::vector<std::vector<Value>> rows;
  Chart chart;
};

// The cell as CSV text: money "1234.56", rates "85.12" (percent).
std::string CsvText(const Value& value);

// Writes `tables` as a workbook, one sheet each, charts next to the data.
absl::Status WriteWorkbook(const std::vector<Table>& tables,
                           const std::string& path);

}  // namespace unionhub::unionctl

#endif  // UNIONHUB_TOOLS_UNIONCTL_REPORT_H_
