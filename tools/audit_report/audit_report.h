// The auditors' report: every figure an auditor asks for one subtree and
// month range, read from AuditService and laid out as plain tables, and
// their two renderings: an .xlsx workbook with charts, and CSV. One builder
// for `unionctl audit report` and the web console's downloads, so the file
// an auditor gets is the same whichever way they asked for it.
#ifndef UNIONHUB_TOOLS_AUDIT_REPORT_AUDIT_REPORT_H_
#define UNIONHUB_TOOLS_AUDIT_REPORT_AUDIT_REPORT_H_

#include <grpcpp/client_context.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "unionhub/finance/v1/finance.grpc.pb.h"

namespace unionhub::audit_report {

namespace fv1 = ::unionhub::finance::v1;

// The language of people-facing labels (sheet names, headers, summary
// items, yes/no). Chinese unless asked otherwise: the auditors read it.
enum class Lang { kZh, kEn };

// "zh", "zh-CN", "" -> kZh; "en", "en-US" -> kEn; anything else refused.
absl::StatusOr<Lang> ParseLang(absl::string_view text);

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
  std::string key;    // stable name, e.g. "due_yuan"
  std::string title;  // header in the chosen language, e.g. "应缴（元）"
};

struct Chart {
  enum Type { kNone, kLine, kBar } type = kNone;
  std::string title;
  int category_column = 0;
  std::vector<int> value_columns;
};

struct Table {
  std::string sheet;  // worksheet name (chosen language)
  std::string file;   // CSV file name (ASCII, the same in every language)
  std::vector<Column> columns;
  std::vector<std::vector<Value>> rows;
  Chart chart;
};

struct Options {
  int64_t org_id = 0;
  std::string from_month, to_month;
  int page_size = 1000;
  Lang lang = Lang::kZh;
};

// What the service answered, every page merged.
struct Fetched {
  fv1::GetCollectionReportResponse collection;
  std::vector<fv1::ArrearsEntry> arrears, lapse;
  std::string as_of_month;
  fv1::GetFundsReconciliationResponse funds;
  fv1::GetSpendingReportResponse spending;
};

// A fresh context per call, carrying the caller's credentials and deadline.
using ContextFactory = std::function<std::unique_ptr<grpc::ClientContext>()>;
// Progress lines ("arrears: 2000 members"); `force` for a new phase.
using ProgressFn = std::function<void(const std::string&, bool force)>;

// Reads every part of the report; the first failed call's status.
grpc::Status Fetch(fv1::AuditService::StubInterface& stub,
                   const ContextFactory& new_context, const Options& options,
                   const ProgressFn& progress, Fetched* out);

// The tables in `options.lang`: Summary first, then monthly collection, by
// child organisation, arrears, lapse candidates, funds by month and by
// employer, spending.
std::vector<Table> Tables(const Options& options, const Fetched& fetched);

// The arrears list alone (the console's arrears CSV).
Table ArrearsTable(Lang lang, const std::vector<fv1::ArrearsEntry>& entries);

// The cell as CSV text: money "1234.56", rates "85.12" (percent).
std::string CsvText(const Value& value);

// One table as a CSV document: a UTF-8 byte order mark (so Excel reads
// Chinese as UTF-8, not the system code page), the column titles, then the
// rows; every cell through unionctl's CsvField, which quotes and defuses
// cells a spreadsheet would run as a formula.
std::string CsvDocument(const Table& table);

// Writes `tables` as a workbook, one sheet each, charts next to the data.
absl::Status WriteWorkbook(const std::vector<Table>& tables,
                           const std::string& path);

// The same workbook as bytes (written through a private temporary file,
// which libxlsxwriter needs, and removed).
absl::StatusOr<std::string> WorkbookBytes(const std::vector<Table>& tables);

}  // namespace unionhub::audit_report

#endif  // UNIONHUB_TOOLS_AUDIT_REPORT_AUDIT_REPORT_H_
