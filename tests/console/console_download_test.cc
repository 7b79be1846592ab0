// The console's downloads against real membership and finance servers:
// the auditors' workbook (opened and checked, as unionctl's is) and the
// arrears CSV, fetched with the signed-in user's session, so the services'
// gate decides what is in them.
#include <grpcpp/create_channel.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/console/console_server.h"
#include "services/console/downloads.h"
#include "tests/support/test_env.h"
#include "tests/unionctl/unionctl_seed.h"

namespace unionhub::testing {
namespace {

using nlohmann::json;

// The workbook as JSON (sheets, cells), by the script unionctl's test uses.
json DumpWorkbook(const std::string& bytes) {
  std::string path = "/tmp/console-book-XXXXXX";
  const int fd = mkstemp(path.data());
  if (fd < 0) return json();
  close(fd);
  std::ofstream(path, std::ios::binary) << bytes;
  json book = json::parse(
      CommandOutput(absl::StrCat("/usr/bin/python3 ", XLSX_DUMP, " ", path)),
      nullptr, false);
  unlink(path.c_str());
  return book;
}

std::string SummaryValue(const json& cells, const std::string& item) {
  for (auto it = cells.begin(); it != cells.end(); ++it) {
    if (it.key()[0] == 'A' && it.value()["v"] == item) {
      return cells[absl::StrCat("B", it.key().substr(1))]["v"];
    }
  }
  return "";
}

class ConsoleDownloadTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    InstallTestPii();
    services_ = new FinanceServer("console_dl");
    county_ = new SmallCounty(SeedCounty(*services_));
  }
  static void TearDownTestSuite() {
    delete county_;
    delete services_;
  }

  void SetUp() override {
    console::ConsoleConfig config;
    config.tls_cert_file = SecretsDir() + "/server.pem";
    config.tls_key_file = SecretsDir() + "/server.key";
    config.verifier = TestVerifier();
    config.gateway.channels["finance"] =
        grpc::CreateChannel(services_->target(), TestChannelCredentials(""));
    console_ = std::make_unique<console::ConsoleServer>(std::move(config));
    ASSERT_TRUE(console_->Start().ok());
  }
  void TearDown() override { console_->Stop(); }

  // A GET as the browser makes it: the session cookie, nothing else.
  httplib::Result Get(const std::string& path, const std::string& token) {
    httplib::SSLClient client("127.0.0.1", console_->port());
    client.set_ca_cert_path((SecretsDir() + "/ca.pem").c_str());
    client.enable_server_certificate_verification(true);
    client.set_read_timeout(120, 0);
    httplib::Headers headers;
    if (!token.empty()) {
      headers.emplace("Cookie", absl::StrCat("uh_session=", token));
    }
    return client.Get(path.c_str(), headers);
  }

  // The response headers as sent (curl; the body is discarded).
  std::string RawHeaders(const std::string& path, const std::string& token) {
    return CommandOutput(
        absl::StrCat("curl -s -o /dev/null -D - --cacert ", SecretsDir(),
                     "/ca.pem -H 'Cookie: uh_session=", token,
                     "' 'https://127.0.0.1:", console_->port(), path, "'"));
  }

  std::string County() const { return absl::StrCat(county_->county.org_id()); }

  static FinanceServer* services_;
  static SmallCounty* county_;
  std::unique_ptr<console::ConsoleServer> console_;
};

FinanceServer* ConsoleDownloadTest::services_ = nullptr;
SmallCounty* ConsoleDownloadTest::county_ = nullptr;

TEST_F(ConsoleDownloadTest, WorkbookIsTheReportInChineseWithAUtf8FileName) {
  httplib::Result r =
      Get(absl::StrCat("/api/download/audit-workbook?org_id=", County(),
                       "&from_month=2025-01&to_month=2025-12"),
          MintTestToken({"auditor"}));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(r->get_header_value("Content-Type"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml."
            "sheet");
  // 经审报告-<org>-2025-01-2025-12.xlsx, percent-encoded UTF-8 on the
  // wire (httplib's client decodes header values, so curl reads them).
  const std::string headers =
      RawHeaders(absl::StrCat("/api/download/audit-workbook?org_id=", County(),
                              "&from_month=2025-01&to_month=2025-12"),
                 MintTestToken({"auditor"}));
  EXPECT_NE(
      headers.find(absl::StrCat(
          "Content-Disposition: attachment; filename=\"audit-report-", County(),
          "-2025-01-2025-12.xlsx\"; filename*=UTF-8''%E7%BB%8F%E5%AE%A1%"
          "E6%8A%A5%E5%91%8A-")),
      std::string::npos)
      << headers;
  EXPECT_EQ(r->get_header_value("Cache-Control"), "no-store");

  json book = DumpWorkbook(r->body);
  ASSERT_TRUE(book.is_object());
  EXPECT_EQ(book["sheets"][0], "汇总");
  EXPECT_EQ(SummaryValue(book["cells"]["汇总"], "组织"), "示范县总工会");
  EXPECT_EQ(
      std::llround(std::stod(SummaryValue(book["cells"]["汇总"], "应收会费")) *
                   100),
      19000);
  EXPECT_EQ(book["cells"]["按月收缴"]["A3"]["v"], "2025-02");

  httplib::Result en =
      Get(absl::StrCat("/api/download/audit-workbook?org_id=", County(),
                       "&from_month=2025-01&to_month=2025-12&lang=en"),
          MintTestToken({"auditor"}));
  ASSERT_TRUE(en);
  ASSERT_EQ(en->status, 200) << en->body;
  json english = DumpWorkbook(en->body);
  EXPECT_EQ(english["sheets"][0], "Summary");
  EXPECT_EQ(SummaryValue(english["cells"]["Summary"], "Dues due"), "190");
}

TEST_F(ConsoleDownloadTest, ArrearsCsvHasAByteOrderMarkAndChineseHeaders) {
  httplib::Result r =
      Get(absl::StrCat("/api/download/arrears.csv?org_id=", County()),
          MintTestToken({"auditor"}));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(r->get_header_value("Content-Type"), "text/csv; charset=utf-8");
  EXPECT_NE(
      RawHeaders(absl::StrCat("/api/download/arrears.csv?org_id=", County()),
                 MintTestToken({"auditor"}))
          .find("filename*=UTF-8''%E6%AC%A0%E7%BC%B4"),  // 欠缴
      std::string::npos);
  ASSERT_TRUE(absl::StartsWith(r->body, "\xEF\xBB\xBF会员编号,姓名,组织编号,"))
      << r->body;
  // Members 0 (February) and 2 (both months) owe: a header and two rows.
  EXPECT_EQ(std::count(r->body.begin(), r->body.end(), '\n'), 3) << r->body;

  // min_months filters as the page's filter does: only member 2.
  httplib::Result two = Get(
      absl::StrCat("/api/download/arrears.csv?min_months=2&org_id=", County(),
                   "&lang=en"),
      MintTestToken({"auditor"}));
  ASSERT_TRUE(two);
  ASSERT_EQ(two->status, 200) << two->body;
  EXPECT_TRUE(absl::StartsWith(two->body, "\xEF\xBB\xBFMember,Name,"));
  EXPECT_EQ(std::count(two->body.begin(), two->body.end(), '\n'), 2)
      << two->body;
}

TEST_F(ConsoleDownloadTest, TheServicesGateDecidesAndBadParametersAreNamed) {
  // An auditor of township B asking for the county: the service refuses,
  // and no file is sent.
  httplib::Result scoped =
      Get(absl::StrCat("/api/download/audit-workbook?org_id=", County(),
                       "&from_month=2025-01&to_month=2025-12"),
          MintTestToken({"auditor"}, county_->township_b.org_id()));
  ASSERT_TRUE(scoped);
  EXPECT_EQ(scoped->status, 403) << scoped->body;
  EXPECT_TRUE(scoped->get_header_value("Content-Disposition").empty());
  EXPECT_EQ(json::parse(scoped->body)["code"], "PERMISSION_DENIED");

  httplib::Result anonymous =
      Get(absl::StrCat("/api/download/arrears.csv?org_id=", County()), "");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401) << anonymous->body;

  httplib::Result bad = Get("/api/download/audit-workbook?org_id=x&lang=fr",
                            MintTestToken({"auditor"}));
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  std::vector<std::string> fields;
  const json refused = json::parse(bad->body);
  for (const auto& v : refused["field_violations"]) {
    fields.push_back(v["field"]);
  }
  EXPECT_EQ(fields, (std::vector<std::string>{"org_id", "lang", "from_month",
                                              "to_month"}));
}

TEST(ConsoleDownloadNameTest, ContentDispositionEncodesUtf8AndKeepsAsciiSafe) {
  EXPECT_EQ(console::ContentDisposition("欠缴 a.csv", "arr\"ears.csv"),
            "attachment; filename=\"arr_ears.csv\"; "
            "filename*=UTF-8''%E6%AC%A0%E7%BC%B4%20a.csv");
}

}  // namespace
}  // namespace unionhub::testing
