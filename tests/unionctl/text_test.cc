#include "tools/unionctl/text.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace unionhub::unionctl {
namespace {

TEST(UnionctlDisplayWidth, CountsWideCharactersTwice) {
  EXPECT_EQ(DisplayWidth(""), 0);
  EXPECT_EQ(DisplayWidth("abc"), 3);
  EXPECT_EQ(DisplayWidth("张三"), 4);
  EXPECT_EQ(DisplayWidth("机械厂工会 A1"), 13);
  EXPECT_EQ(DisplayWidth("ＡＢ"), 4);       // fullwidth forms
  EXPECT_EQ(DisplayWidth("，。"), 4);       // fullwidth and CJK punctuation
  EXPECT_EQ(DisplayWidth("한국"), 4);       // Hangul
  EXPECT_EQ(DisplayWidth("e\xCC\x81"), 1);  // e + combining acute
  EXPECT_EQ(DisplayWidth("𠀀"), 2);         // CJK extension B (4 bytes)
  EXPECT_EQ(DisplayWidth("\xFF"), 1);       // invalid byte: one column
}

TEST(UnionctlCodePointWidth, Ranges) {
  EXPECT_EQ(CodePointWidth(U'a'), 1);
  EXPECT_EQ(CodePointWidth(U'é'), 1);
  EXPECT_EQ(CodePointWidth(0x4E00), 2);
  EXPECT_EQ(CodePointWidth(0x9FFF), 2);
  EXPECT_EQ(CodePointWidth(0x3000), 2);  // ideographic space
  EXPECT_EQ(CodePointWidth(0xFF61), 1);  // halfwidth katakana punctuation
  EXPECT_EQ(CodePointWidth(0x200B), 0);  // zero width space
}

TEST(UnionctlPad, UsesColumnsNotBytes) {
  EXPECT_EQ(Pad("张三", 6), "张三  ");
  EXPECT_EQ(Pad("张三", 6, /*right=*/true), "  张三");
  EXPECT_EQ(Pad("张三丰", 4), "张三丰");
}

TEST(UnionctlMoney, FenToYuan) {
  EXPECT_EQ(FenToYuan(0), "0.00");
  EXPECT_EQ(FenToYuan(5), "0.05");
  EXPECT_EQ(FenToYuan(-5), "-0.05");
  EXPECT_EQ(FenToYuan(123456), "1234.56");
  EXPECT_EQ(FenToYuan(-100), "-1.00");
  EXPECT_EQ(FenToYuan(INT64_MIN), "-92233720368547758.08");
  EXPECT_EQ(FenToYuan(INT64_MAX), "92233720368547758.07");
}

TEST(UnionctlMoney, YuanToFen) {
  EXPECT_EQ(YuanToFen("12.3"), 1230);
  EXPECT_EQ(YuanToFen("12.34"), 1234);
  EXPECT_EQ(YuanToFen("100"), 10000);
  EXPECT_EQ(YuanToFen("-0.05"), -5);
  EXPECT_EQ(YuanToFen(" 7.00 "), 700);
  EXPECT_EQ(YuanToFen(".5"), 50);
  EXPECT_FALSE(YuanToFen("12.345").has_value());
  EXPECT_FALSE(YuanToFen("12.").has_value());
  EXPECT_FALSE(YuanToFen("").has_value());
  EXPECT_FALSE(YuanToFen("-").has_value());
  EXPECT_FALSE(YuanToFen("1,000").has_value());
  EXPECT_FALSE(YuanToFen("abc").has_value());
}

TEST(UnionctlRates, BasisPointsAsPercent) {
  EXPECT_EQ(BpToPercent(8512), "85.12%");
  EXPECT_EQ(BpToPercent(10000), "100.00%");
  EXPECT_EQ(BpToPercent(5), "0.05%");
  EXPECT_EQ(BpToPercent(50, false), "0.50");
}

// Stored text is whatever some caller sent (a request_id in the audit
// trail, a payee): printed raw, "\x1b[2J" clears the auditor's screen.
TEST(UnionctlText, EscapesControlCharactersForTheTerminal) {
  EXPECT_EQ(EscapeControls("plain 张三"), "plain 张三");
  EXPECT_EQ(EscapeControls("a\x1b[31mb\x07"), "a\\x1b[31mb\\x07");
  EXPECT_EQ(EscapeControls("two\nlines\t"), "two\\x0alines\\x09");
  EXPECT_EQ(EscapeControls("two\nlines\t", true), "two\nlines\t");
  EXPECT_EQ(EscapeControls("csi\xC2\x9B"
                           "2J"),
            "csi\\u009b2J");
  EXPECT_EQ(EscapeControls("rlo\xE2\x80\xAE"
                           "x"),
            "rlo\\u202ex");
  EXPECT_EQ(EscapeControls("bad\xff"), "bad\\xff");
  EXPECT_EQ(EscapeControls(std::string("nul\0", 4)), "nul\\x00");
  EXPECT_EQ(EscapeControls("del\x7f"), "del\\x7f");
}

TEST(UnionctlCsv, QuotesWhatNeedsIt) {
  EXPECT_EQ(CsvField("plain"), "plain");
  EXPECT_EQ(CsvField("张三"), "张三");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvField("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(CsvField(" padded"), "\" padded\"");
  EXPECT_EQ(CsvLine({"a", "b,c", ""}), "a,\"b,c\",\n");
}

// OWASP CSV injection: a cell starting with = + - @ tab or CR is run as a
// formula by spreadsheets; it gets a leading ' (then the usual quoting).
TEST(UnionctlCsv, NeutralisesFormulaCells) {
  EXPECT_EQ(CsvField("=HYPERLINK(\"http://x\")"),
            "\"'=HYPERLINK(\"\"http://x\"\")\"");
  EXPECT_EQ(CsvField("=1+1"), "'=1+1");
  EXPECT_EQ(CsvField("+cmd|' /C calc'!A0"), "'+cmd|' /C calc'!A0");
  EXPECT_EQ(CsvField("-2+3"), "'-2+3");
  EXPECT_EQ(CsvField("@SUM(A1:A9)"), "'@SUM(A1:A9)");
  EXPECT_EQ(CsvField("\t=1+1"), "'\t=1+1");
  EXPECT_EQ(CsvField("\r=1+1"), "\"'\r=1+1\"");
  EXPECT_EQ(CsvField("=a,b"), "\"'=a,b\"");
  EXPECT_EQ(CsvField("-"), "'-");
  EXPECT_EQ(CsvField("-1e9"), "'-1e9");
  EXPECT_EQ(CsvField("-1."), "'-1.");
  EXPECT_EQ(CsvLine({"张三", "=1+1", "-12.50"}), "张三,'=1+1,-12.50\n");
  // Not at the start: nothing to neutralise.
  EXPECT_EQ(CsvField("a=1"), "a=1");
  EXPECT_EQ(CsvField("2025-01"), "2025-01");
}

// Numbers stay numbers: negative money, counts and rates as printed.
TEST(UnionctlCsv, KeepsPlainNumbersNumeric) {
  EXPECT_EQ(CsvField("-12.50"), "-12.50");
  EXPECT_EQ(CsvField(FenToYuan(-5)), "-0.05");
  EXPECT_EQ(CsvField("-3"), "-3");
  EXPECT_EQ(CsvField(BpToPercent(-250, false)), "-2.50");
  EXPECT_EQ(CsvField("12.50"), "12.50");
}

TEST(UnionctlCsv, ParsesWhatItWrites) {
  const std::vector<std::string> fields = {"张三", "a,b", "say \"hi\"",
                                           "two\r\nlines", ""};
  const std::string text = CsvLine(fields) + "x,y\r\n";
  size_t pos = 0;
  std::vector<std::string> got;
  std::string error;
  ASSERT_TRUE(NextCsvRecord(text, &pos, &got, &error)) << error;
  EXPECT_EQ(got, fields);
  ASSERT_TRUE(NextCsvRecord(text, &pos, &got, &error));
  EXPECT_EQ(got, (std::vector<std::string>{"x", "y"}));
  EXPECT_FALSE(NextCsvRecord(text, &pos, &got, &error));
  EXPECT_TRUE(error.empty());
}

TEST(UnionctlCsv, SkipsByteOrderMarkAndReportsOpenQuote) {
  std::string text = "\xEF\xBB\xBFname\n";
  size_t pos = 0;
  std::vector<std::string> got;
  std::string error;
  ASSERT_TRUE(NextCsvRecord(text, &pos, &got, &error));
  EXPECT_EQ(got, (std::vector<std::string>{"name"}));
  pos = 0;
  EXPECT_FALSE(NextCsvRecord("\"open", &pos, &got, &error));
  EXPECT_EQ(error, "unterminated quoted field");
}

TEST(UnionctlTable, AlignsChineseAndRightAlignsNumbers) {
  const std::string table =
      RenderTable({"id", "name", "due"},
                  {{"1", "机械厂工会", "30.00"}, {"12", "ab", "5.00"}});
  EXPECT_EQ(table,
            "id  name        due\n"
            "--  ----------  -----\n"
            " 1  机械厂工会  30.00\n"
            "12  ab           5.00\n");
}

TEST(UnionctlTable, LooksNumeric) {
  EXPECT_TRUE(LooksNumeric("12"));
  EXPECT_TRUE(LooksNumeric("-0.05"));
  EXPECT_TRUE(LooksNumeric("85.12%"));
  EXPECT_FALSE(LooksNumeric("2025-01"));
  EXPECT_FALSE(LooksNumeric(""));
  EXPECT_FALSE(LooksNumeric("1.2.3"));
}

}  // namespace
}  // namespace unionhub::unionctl
