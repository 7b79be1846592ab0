// db::JsonRows: the one bound parameter a multi-row statement unpacks with
// JSON_TABLE. Text must reach the table unchanged, so quotes, backslashes
// and control characters are escaped and nothing else is touched.
#include "common/db/json_rows.h"

#include <gtest/gtest.h>

#include <string>

namespace unionhub::db {
namespace {

TEST(JsonRows, NoRowsIsAnEmptyArray) { EXPECT_EQ(JsonRows().Json(), "[]"); }

TEST(JsonRows, RowsOfNumbersAndText) {
  JsonRows rows;
  rows.Row().Add(int64_t{1}).Add("a");
  rows.Row().Add(int64_t{-9007199254740993}).Add("");
  EXPECT_EQ(rows.rows(), 2u);
  EXPECT_EQ(rows.Json(), R"([[1,"a"],[-9007199254740993,""]])");
}

TEST(JsonRows, TextIsEscapedForJsonOnly) {
  JsonRows rows;
  rows.Row()
      .Add(R"(say "hi" \ bye)")
      .Add(std::string("tab\tnl\ncr\rnul") + std::string(1, '\0'))
      .Add("张三 ' ; -- ")
      .Add("\x1f\x7f");
  EXPECT_EQ(rows.Json(),
            "[[\"say \\\"hi\\\" \\\\ bye\",\"tab\\u0009nl\\u000acr\\u000dnul"
            "\\u0000\",\"张三 ' ; -- \",\"\\u001f\x7f\"]]");
}

}  // namespace
}  // namespace unionhub::db
