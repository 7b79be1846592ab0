// The one free-text rule every service uses (common/core/text.h).
#include "common/core/text.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace unionhub::text {
namespace {

const TextRule kLine{.min_chars = 1, .max_chars = 10};
const TextRule kParagraph{
    .min_chars = 0, .max_chars = 10, .allow_newlines = true};

TEST(TextRule, AcceptsPlainAndChineseText) {
  EXPECT_EQ(Problem("abc", kLine), std::nullopt);
  EXPECT_EQ(Problem("工会经费", kLine), std::nullopt);
  EXPECT_EQ(Problem("", kParagraph), std::nullopt);
}

TEST(TextRule, RefusesEveryControlCharacterOnOneLine) {
  for (int c = 0; c < 0x20; ++c) {
    const std::string s = std::string("a") + static_cast<char>(c) + "b";
    EXPECT_EQ(Problem(s, kLine), "must not contain control characters") << c;
  }
  EXPECT_NE(Problem("a\x7f", kLine), std::nullopt);
  EXPECT_NE(Problem("a\xc2\x9b"
                    "2J",
                    kLine),
            std::nullopt);  // C1 CSI
  EXPECT_NE(Problem("\x1b[2J", kLine), std::nullopt);
}

TEST(TextRule, AllowsOnlyLineFeedsInParagraphs) {
  EXPECT_EQ(Problem("one\ntwo", kParagraph), std::nullopt);
  EXPECT_NE(Problem("one\r\ntwo", kParagraph), std::nullopt);
  EXPECT_NE(Problem("one\ttwo", kParagraph), std::nullopt);
  EXPECT_NE(Problem("\x1b[31m", kParagraph), std::nullopt);
  EXPECT_NE(Problem("one\ntwo", kLine), std::nullopt);
}

TEST(TextRule, RefusesInvalidUtf8) {
  EXPECT_EQ(Problem("\xff", kLine), "is not valid UTF-8 text");
  EXPECT_EQ(Problem("\xc0\xaf", kLine), "is not valid UTF-8 text");  // overlong
  EXPECT_EQ(Problem("\xed\xa0\x80", kLine), "is not valid UTF-8 text");
  EXPECT_EQ(Problem("\xe5\xb7", kLine), "is not valid UTF-8 text");  // cut
}

TEST(TextRule, CountsCharactersNotBytes) {
  EXPECT_EQ(Problem("一二三四五六七八九十", kLine), std::nullopt);
  EXPECT_EQ(Problem("一二三四五六七八九十一", kLine),
            "must be at most 10 characters");
  EXPECT_EQ(CharCount("工会"), 2u);
}

TEST(TextRule, RequiredMeansNotBlank) {
  EXPECT_EQ(Problem("", kLine), "is required");
  EXPECT_EQ(Problem(" \xe3\x80\x80", kLine), "is required");  // ideographic
  EXPECT_EQ(
      Problem("\n",
              TextRule{.min_chars = 1, .max_chars = 5, .allow_newlines = true}),
      "is required");
}

TEST(TextRule, NamesMayRefuseDigits) {
  const TextRule name{.min_chars = 1, .max_chars = 10, .allow_digits = false};
  EXPECT_EQ(Problem("张3", name), "must not contain digits");
  EXPECT_EQ(Problem("张三", name), std::nullopt);
}

TEST(TextRule, CheckNamesTheField) {
  Violations v;
  Check("a\x1b", "payee", kLine, v);
  ASSERT_EQ(v.list().size(), 1u);
  EXPECT_EQ(v.list()[0].field, "payee");
}

}  // namespace
}  // namespace unionhub::text
