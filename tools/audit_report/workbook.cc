// The report's renderings: the .xlsx workbook (libxlsxwriter) and CSV.
#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "tools/audit_report/audit_report.h"
#include "tools/unionctl/text.h"

namespace unionhub::audit_report {

using unionctl::BpToPercent;
using unionctl::CsvLine;
using unionctl::DisplayWidth;
using unionctl::FenToYuan;

std::string CsvText(const Value& value) {
  switch (value.kind) {
    case Kind::kText:
      return value.text;
    case Kind::kInt:
      return absl::StrCat(value.number);
    case Kind::kMoney:
      return FenToYuan(value.number);
    case Kind::kRate:
      return BpToPercent(value.number, false);
  }
  return "";
}

absl::Status WriteWorkbook(const std::vector<Table>& tables,
                           const std::string& path) {
  lxw_workbook* workbook = workbook_new(path.c_str());
  if (workbook == nullptr) {
    return absl::InternalError(absl::StrCat("cannot create ", path));
  }
  lxw_format* bold = workbook_add_format(workbook);
  format_set_bold(bold);
  format_set_bottom(bold, LXW_BORDER_THIN);
  // Numbers in yuan shown with the yuan sign and two decimals (a number
  // format, so the cells stay numbers a spreadsheet can sum).
  lxw_format* money = workbook_add_format(workbook);
  format_set_num_format(money, "[$\xC2\xA5-804]#,##0.00");
  lxw_format* rate = workbook_add_format(workbook);
  format_set_num_format(rate, "0.00%");

  for (const Table& table : tables) {
    lxw_worksheet* sheet =
        workbook_add_worksheet(workbook, table.sheet.c_str());
    std::vector<int> width(table.columns.size(), 8);
    for (size_t c = 0; c < table.columns.size(); ++c) {
      worksheet_write_string(sheet, 0, static_cast<lxw_col_t>(c),
                             table.columns[c].title.c_str(), bold);
      width[c] = std::max(width[c], DisplayWidth(table.columns[c].title) + 2);
    }
    for (size_t r = 0; r < table.rows.size(); ++r) {
      const auto row = static_cast<lxw_row_t>(r + 1);
      for (size_t c = 0; c < table.rows[r].size(); ++c) {
        const Value& v = table.rows[r][c];
        const auto col = static_cast<lxw_col_t>(c);
        switch (v.kind) {
          case Kind::kText:
            worksheet_write_string(sheet, row, col, v.text.c_str(), nullptr);
            width[c] = std::max(width[c], DisplayWidth(v.text) + 2);
            break;
          case Kind::kInt:
            worksheet_write_number(sheet, row, col,
                                   static_cast<double>(v.number), nullptr);
            break;
          case Kind::kMoney:
            // Exact for any amount below 2^53 fen (90 trillion yuan).
            worksheet_write_number(
                sheet, row, col, static_cast<double>(v.number) / 100.0, money);
            width[c] = std::max(width[c], 16);
            break;
          case Kind::kRate:
            worksheet_write_number(
                sheet, row, col, static_cast<double>(v.number) / 10000.0, rate);
            break;
        }
      }
    }
    for (size_t c = 0; c < width.size(); ++c) {
      worksheet_set_column(sheet, static_cast<lxw_col_t>(c),
                           static_cast<lxw_col_t>(c), std::min(width[c], 60),
                           nullptr);
    }
    worksheet_freeze_panes(sheet, 1, 0);
    if (table.chart.type == Chart::kNone || table.rows.empty()) continue;
    lxw_chart* chart = workbook_add_chart(
        workbook,
        table.chart.type == Chart::kLine ? LXW_CHART_LINE : LXW_CHART_BAR);
    const auto last = static_cast<lxw_row_t>(table.rows.size());
    const auto category = static_cast<lxw_col_t>(table.chart.category_column);
    for (int column : table.chart.value_columns) {
      const auto col = static_cast<lxw_col_t>(column);
      lxw_chart_series* series = chart_add_series(chart, nullptr, nullptr);
      chart_series_set_categories(series, table.sheet.c_str(), 1, category,
                                  last, category);
      chart_series_set_values(series, table.sheet.c_str(), 1, col, last, col);
      chart_series_set_name_range(series, table.sheet.c_str(), 0, col);
      if (table.chart.type == Chart::kLine) {
        chart_series_set_marker_type(series, LXW_CHART_MARKER_CIRCLE);
      }
    }
    chart_title_set_name(chart, table.chart.title.c_str());
    lxw_chart_options options = {};
    options.x_scale = 1.5;
    options.y_scale = table.chart.type == Chart::kBar
                          ? std::max(1.0, table.rows.size() / 8.0)
                          : 1.2;
    worksheet_insert_chart_opt(sheet, 1,
                               static_cast<lxw_col_t>(table.columns.size() + 1),
                               chart, &options);
  }
  const lxw_error closed = workbook_close(workbook);
  if (closed != LXW_NO_ERROR) {
    return absl::InternalError(
        absl::StrCat("writing ", path, ": ", lxw_strerror(closed)));
  }
  return absl::OkStatus();
}

std::string CsvDocument(const Table& table) {
  std::string out = "\xEF\xBB\xBF";
  std::vector<std::string> header;
  for (const Column& c : table.columns) header.push_back(c.title);
  out += CsvLine(header);
  for (const auto& row : table.rows) {
    std::vector<std::string> cells;
    for (const Value& v : row) cells.push_back(CsvText(v));
    out += CsvLine(cells);
  }
  return out;
}

absl::StatusOr<std::string> WorkbookBytes(const std::vector<Table>& tables) {
  const char* tmp = std::getenv("TMPDIR");
  std::string path = absl::StrCat(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp",
                                  "/unionhub-workbook-XXXXXX");
  // mkstemp makes the name ours alone (mode 0600) before libxlsxwriter
  // reopens it; nobody else can read the figures in between.
  const int fd = mkstemp(path.data());
  if (fd < 0) return absl::InternalError("cannot create a temporary file");
  close(fd);
  absl::Status written = WriteWorkbook(tables, path);
  std::string bytes;
  if (written.ok()) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    bytes = buffer.str();
    if (!in || bytes.empty()) {
      written = absl::InternalError("cannot read the written workbook");
    }
  }
  unlink(path.c_str());
  if (!written.ok()) return absl::InternalError("cannot write the workbook");
  return bytes;
}

}  // namespace unionhub::audit_report
