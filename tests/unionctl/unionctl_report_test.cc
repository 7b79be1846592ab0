// `audit report`: the workbook is opened after writing (as the zip of XML
// parts it is) and checked: its sheets, money as numbers with a yuan
// format, the two charts, and totals equal to the service's own report;
// the CSV files hold the same tables.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "tests/unionctl/run_unionctl.h"
#include "tests/unionctl/unionctl_seed.h"

namespace unionhub::testing {
namespace {

using AStub = fv1::AuditService::Stub;

// The row (1-based) of the Summary sheet whose item is `item`.
std::string SummaryRef(const nlohmann::json& cells, const std::string& item) {
  for (auto it = cells.begin(); it != cells.end(); ++it) {
    if (it.key()[0] == 'A' && it.value()["v"] == item) {
      return absl::StrCat("B", it.key().substr(1));
    }
  }
  return "";
}

int64_t Fen(const nlohmann::json& cell) {
  return std::llround(std::stod(cell["v"].get<std::string>()) * 100);
}

TEST(UnionctlReportTest, WorkbookMatchesTheServicesReport) {
  InstallTestPii();
  FinanceServer server("unionctl_report");
  SmallCounty county = SeedCounty(server);
  const std::string dir = MakeTempDir();
  const std::string xlsx = dir + "/report.xlsx";
  const std::string org = absl::StrCat(county.county.org_id());
  Ran r = RunUnionctl(
      {"audit", "report", "--org", org, "--from", "2025-01", "--to", "2025-12",
       "--xlsx", xlsx, "--csv", dir + "/csv", "--lang", "en"},
      UnionctlEnv(server, MintTestToken({"auditor"})));
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.err, "");  // no progress when stderr is not a terminal
  EXPECT_NE(r.out.find("Dues due"), std::string::npos) << r.out;

  fv1::GetCollectionReportRequest req;
  req.set_org_id(county.county.org_id());
  req.set_from_month("2025-01");
  req.set_to_month("2025-12");
  fv1::GetCollectionReportResponse report = MustRpc(
      server.audit(), &AStub::GetCollectionReport, req, "GetCollectionReport");
  ASSERT_EQ(report.total().due_fen(), 19000);

  const std::string dumped = CommandOutput(
      absl::StrCat("/usr/bin/python3 ", UNIONCTL_XLSX_DUMP, " ", xlsx));
  nlohmann::json book = nlohmann::json::parse(dumped, nullptr, false);
  ASSERT_TRUE(book.is_object()) << dumped;
  EXPECT_EQ(
      book["sheets"],
      nlohmann::json({"Summary", "Monthly collection", "By child organisation",
                      "Arrears", "Lapse candidates", "Funds by month",
                      "Funds by employer", "Spending"}));

  const auto& summary = book["cells"]["Summary"];
  const std::string due = SummaryRef(summary, "Dues due");
  const std::string paid = SummaryRef(summary, "Dues paid");
  const std::string rate = SummaryRef(summary, "Dues collection rate");
  ASSERT_FALSE(due.empty()) << summary.dump();
  EXPECT_EQ(summary[due]["t"], "n");  // a number, not text
  EXPECT_NE(summary[due]["fmt"].get<std::string>().find("¥"),
            std::string::npos);
  EXPECT_EQ(Fen(summary[due]), report.total().due_fen());
  EXPECT_EQ(Fen(summary[paid]), report.total().paid_fen());
  EXPECT_EQ(
      std::llround(std::stod(summary[rate]["v"].get<std::string>()) * 10000),
      report.total().collection_rate_bp());
  EXPECT_EQ(summary[rate]["fmt"], "0.00%");

  // Monthly sheet: one row per month of the service's by_month, summing to
  // its total.
  const auto& monthly = book["cells"]["Monthly collection"];
  ASSERT_EQ(report.by_month_size(), 2);
  int64_t due_sum = 0;
  for (int i = 0; i < report.by_month_size(); ++i) {
    const std::string row = absl::StrCat(i + 2);
    EXPECT_EQ(monthly["A" + row]["v"], report.by_month(i).month());
    EXPECT_EQ(Fen(monthly["B" + row]), report.by_month(i).due_fen());
    EXPECT_EQ(Fen(monthly["C" + row]), report.by_month(i).paid_fen());
    due_sum += Fen(monthly["B" + row]);
  }
  EXPECT_EQ(due_sum, report.total().due_fen());

  const auto& children = book["cells"]["By child organisation"];
  EXPECT_EQ(children["B2"]["v"], "城关镇总工会");
  EXPECT_EQ(Fen(children["C2"]), 14000);
  EXPECT_EQ(Fen(children["D2"]), 11000);
  EXPECT_EQ(children["B3"]["v"], "新桥镇总工会");

  // Arrears: members 0 (February) and 2 (both months) owe.
  const auto& arrears = book["cells"]["Arrears"];
  EXPECT_TRUE(arrears.contains("A3"));
  EXPECT_FALSE(arrears.contains("A4"));

  // The two charts: a line chart of the monthly rate, a bar chart by child.
  std::vector<std::string> kinds;
  for (auto it = book["charts"].begin(); it != book["charts"].end(); ++it) {
    for (const auto& k : it.value()) kinds.push_back(k.get<std::string>());
  }
  std::sort(kinds.begin(), kinds.end());
  EXPECT_EQ(kinds, (std::vector<std::string>{"barChart", "lineChart"}));

  // The CSV files hold the same tables.
  const std::string monthly_csv =
      ReadWholeFile(dir + "/csv/monthly_collection.csv");
  EXPECT_EQ(monthly_csv,
            "\xEF\xBB\xBFMonth,Due (yuan),Paid (yuan),Collection rate,"
            "Member-months charged,Member-months paid\n"
            "2025-01,95.00,70.00,73.68,3,2\n"
            "2025-02,95.00,40.00,42.11,3,1\n");
  const std::string summary_csv = ReadWholeFile(dir + "/csv/summary.csv");
  EXPECT_NE(summary_csv.find("Dues due,190.00\n"), std::string::npos)
      << summary_csv;
  for (const char* file :
       {"collection_by_child.csv", "arrears.csv", "lapse_candidates.csv",
        "funds_by_month.csv", "funds_by_employer.csv", "spending.csv"}) {
    EXPECT_FALSE(ReadWholeFile(dir + "/csv/" + file).empty()) << file;
  }
}

// Without --lang the labels are Chinese: sheet names, headers, summary
// items and the printed summary; figures and file names are the same.
TEST(UnionctlReportTest, LabelsAreChineseByDefault) {
  InstallTestPii();
  FinanceServer server("unionctl_report_zh");
  SmallCounty county = SeedCounty(server);
  const std::string dir = MakeTempDir();
  const std::string xlsx = dir + "/report.xlsx";
  Ran r =
      RunUnionctl({"audit", "report", "--org",
                   absl::StrCat(county.county.org_id()), "--from", "2025-01",
                   "--to", "2025-12", "--xlsx", xlsx, "--csv", dir + "/csv"},
                  UnionctlEnv(server, MintTestToken({"auditor"})));
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("应收会费"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("Dues due"), std::string::npos) << r.out;

  nlohmann::json book = nlohmann::json::parse(
      CommandOutput(
          absl::StrCat("/usr/bin/python3 ", UNIONCTL_XLSX_DUMP, " ", xlsx)),
      nullptr, false);
  ASSERT_TRUE(book.is_object());
  EXPECT_EQ(book["sheets"],
            nlohmann::json({"汇总", "按月收缴", "下级组织收缴", "欠缴名单",
                            "拟停籍名单", "经费按月", "经费按单位", "支出"}));
  const auto& summary = book["cells"]["汇总"];
  const std::string due = SummaryRef(summary, "应收会费");
  ASSERT_FALSE(due.empty()) << summary.dump();
  EXPECT_EQ(Fen(summary[due]), 19000);
  EXPECT_EQ(book["cells"]["按月收缴"]["B1"]["v"], "应收（元）");

  // Excel opens a CSV as UTF-8 only with the byte order mark.
  EXPECT_EQ(ReadWholeFile(dir + "/csv/monthly_collection.csv"),
            "\xEF\xBB\xBF月份,应收（元）,实收（元）,收缴率,应缴人次,"
            "已缴人次\n"
            "2025-01,95.00,70.00,73.68,3,2\n"
            "2025-02,95.00,40.00,42.11,3,1\n");

  Ran bad = RunUnionctl(
      {"audit", "report", "--org", absl::StrCat(county.county.org_id()),
       "--from", "2025-01", "--to", "2025-12", "--lang", "fr"},
      UnionctlEnv(server, MintTestToken({"auditor"})));
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.err.find("--lang"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace unionhub::testing
