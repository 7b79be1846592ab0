// `audit report`: the auditors' report (tools/audit_report) for one subtree
// and range, written as a workbook and/or CSV files, its summary printed.
#include <filesystem>
#include <fstream>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "tools/audit_report/audit_report.h"
#include "tools/unionctl/app.h"
#include "tools/unionctl/errors.h"
#include "tools/unionctl/progress.h"
#include "tools/unionctl/text.h"

namespace unionhub::unionctl {
namespace {

namespace ar = ::unionhub::audit_report;

absl::Status WriteCsvDir(const std::vector<ar::Table>& tables,
                         const std::string& dir) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) {
    return absl::InternalError(
        absl::StrCat("cannot create ", dir, ": ", error.message()));
  }
  for (const ar::Table& t : tables) {
    const std::string path = (std::filesystem::path(dir) / t.file).string();
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << ar::CsvDocument(t);
    out.close();
    if (!out) return absl::InternalError(absl::StrCat("cannot write ", path));
  }
  return absl::OkStatus();
}

}  // namespace

int RunAuditReport(Globals& globals, const ReportOptions& options) {
  absl::StatusOr<Format> format = ParseFormat(globals.output);
  if (!format.ok()) {
    std::cerr << "error: " << format.status().message() << "\n";
    return kExitUsage;
  }
  absl::StatusOr<ar::Lang> lang = ar::ParseLang(options.lang);
  if (!lang.ok()) {
    std::cerr << "error: --lang: " << lang.status().message() << "\n";
    return kExitUsage;
  }
  Client client(globals.client);
  absl::Status init = client.Init();
  if (!init.ok()) return ReportLocalError(std::string(init.message()));
  auto stub =
      ar::fv1::AuditService::NewStub(client.ChannelFor(Target::kFinance));
  ar::Options o;
  o.org_id = options.org_id;
  o.from_month = options.from_month;
  o.to_month = options.to_month;
  o.page_size = options.page_size;
  o.lang = *lang;
  ar::Fetched fetched;
  std::vector<ar::Table> tables;
  {
    Progress progress("audit report");
    grpc::Status s = ar::Fetch(
        *stub, [&client] { return client.NewContext(); }, o,
        [&progress](const std::string& status, bool force) {
          progress.Set(status, force);
        },
        &fetched);
    if (!s.ok()) return ReportRpcError(s);
    tables = ar::Tables(o, fetched);
    if (!options.xlsx_path.empty()) {
      progress.Set(absl::StrCat("writing ", options.xlsx_path), true);
      absl::Status written = ar::WriteWorkbook(tables, options.xlsx_path);
      if (!written.ok())
        return ReportLocalError(std::string(written.message()));
    }
    if (!options.csv_dir.empty()) {
      absl::Status written = WriteCsvDir(tables, options.csv_dir);
      if (!written.ok())
        return ReportLocalError(std::string(written.message()));
    }
  }
  const ar::Table& summary = tables.front();
  const std::string item = summary.columns[0].title;
  const std::string value = summary.columns[1].title;
  if (*format == Format::kJson) {
    std::cout << "{\n";
    for (size_t i = 0; i < summary.rows.size(); ++i) {
      const ar::Value& v = summary.rows[i][1];
      const bool quoted = v.kind == ar::Kind::kText;
      std::string text = ar::CsvText(v);
      std::string escaped;
      for (char ch : text) {
        if (ch == '"' || ch == '\\') escaped += '\\';
        escaped += ch;
      }
      std::cout << "  \"" << summary.rows[i][0].text
                << "\": " << (quoted ? "\"" : "") << escaped
                << (quoted ? "\"" : "")
                << (i + 1 < summary.rows.size() ? "," : "") << "\n";
    }
    std::cout << "}\n";
  } else if (*format == Format::kCsv) {
    std::cout << CsvLine({item, value});
    for (const auto& row : summary.rows) {
      std::cout << CsvLine({row[0].text, ar::CsvText(row[1])});
    }
  } else {
    std::vector<std::vector<std::string>> rows;
    for (const auto& row : summary.rows) {
      std::string text = ar::CsvText(row[1]);
      if (row[1].kind == ar::Kind::kRate) text += "%";
      rows.push_back({row[0].text, text});
    }
    std::cout << RenderTable({item, value}, rows);
  }
  return kExitOk;
}

}  // namespace unionhub::unionctl
