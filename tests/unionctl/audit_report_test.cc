// The auditors' report library without a service: CSV documents (byte
// order mark, titles, formula-safe cells), languages, and the tables built
// from a hand-made answer.
#include "tools/audit_report/audit_report.h"

#include <gtest/gtest.h>

namespace unionhub::audit_report {
namespace {

TEST(AuditReportCsv, HasAByteOrderMarkAndDefusesFormulas) {
  Table t{
      "欠缴名单", "arrears.csv", {{"name", "姓名"}, {"owed", "欠缴"}}, {}, {}};
  t.rows.push_back({Text("=HYPERLINK(\"http://x\")"), Money(-1250)});
  t.rows.push_back({Text("+cmd|' /C calc'!A0"), Money(500)});
  t.rows.push_back({Text("@SUM(A1)"), Int(-3)});
  t.rows.push_back({Text("-2+3"), Rate(8512)});
  t.rows.push_back({Text("张三"), Money(0)});
  EXPECT_EQ(CsvDocument(t),
            "\xEF\xBB\xBF姓名,欠缴\n"
            "\"'=HYPERLINK(\"\"http://x\"\")\",-12.50\n"
            "'+cmd|' /C calc'!A0,5.00\n"
            "'@SUM(A1),-3\n"
            "'-2+3,85.12\n"
            "张三,0.00\n");
}

TEST(AuditReportLang, ChineseUnlessEnglishIsAskedFor) {
  EXPECT_EQ(*ParseLang(""), Lang::kZh);
  EXPECT_EQ(*ParseLang("zh-CN"), Lang::kZh);
  EXPECT_EQ(*ParseLang("en"), Lang::kEn);
  EXPECT_FALSE(ParseLang("fr").ok());
}

TEST(AuditReportTables, LabelsFollowTheLanguageAndFiguresDoNot) {
  Fetched f;
  f.collection.set_org_name("示范县总工会");
  f.collection.mutable_total()->set_due_fen(19000);
  fv1::ArrearsEntry owing;
  owing.set_name("李四");
  owing.set_outstanding_fen(4500);
  owing.set_lapse_candidate(true);
  f.arrears.push_back(owing);
  Options o;
  const std::vector<Table> zh = Tables(o, f);
  o.lang = Lang::kEn;
  const std::vector<Table> en = Tables(o, f);
  ASSERT_EQ(zh.size(), en.size());
  EXPECT_EQ(zh[0].sheet, "汇总");
  EXPECT_EQ(en[0].sheet, "Summary");
  EXPECT_EQ(zh[0].rows[4][0].text, "应收会费");
  EXPECT_EQ(en[0].rows[4][0].text, "Dues due");
  EXPECT_EQ(zh[0].rows[4][1].number, 19000);
  EXPECT_EQ(en[0].rows[4][1].number, 19000);
  for (size_t i = 0; i < zh.size(); ++i) {
    EXPECT_EQ(zh[i].file, en[i].file);  // file names never translated
    EXPECT_NE(zh[i].sheet, en[i].sheet);
  }
  EXPECT_EQ(zh[3].rows[0].back().text, "是");
  EXPECT_EQ(en[3].rows[0].back().text, "yes");
}

}  // namespace
}  // namespace unionhub::audit_report
