// `member import` and `dues import` with the real binary: rows streamed,
// rejected rows written to the rejects file with the service's reasons,
// exit status 10 when rows were rejected, nothing on stderr but the
// summary line when not on a terminal.
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "tests/unionctl/run_unionctl.h"
#include "tests/unionctl/unionctl_seed.h"
#include "tools/unionctl/text.h"

namespace unionhub::testing {
namespace {

class UnionctlImportTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    InstallTestPii();
    server_ = new FinanceServer("unionctl_import");
    county_ = new SmallCounty(SeedCounty(*server_));
  }
  static void TearDownTestSuite() {
    delete county_;
    delete server_;
  }
  std::map<std::string, std::string> Env() {
    return UnionctlEnv(*server_, MintTestToken({"admin"}, 0, "importer"));
  }

  static FinanceServer* server_;
  static SmallCounty* county_;
};
FinanceServer* UnionctlImportTest::server_ = nullptr;
SmallCounty* UnionctlImportTest::county_ = nullptr;

std::vector<std::vector<std::string>> Lines(const std::string& csv) {
  std::vector<std::vector<std::string>> out;
  std::vector<std::string> fields;
  std::string error;
  size_t pos = 0;
  while (unionctl::NextCsvRecord(csv, &pos, &fields, &error)) {
    out.push_back(fields);
  }
  EXPECT_EQ(error, "");
  return out;
}

TEST_F(UnionctlImportTest, MemberImportWritesRejectedRowsWithReasons) {
  const std::string dir = MakeTempDir();
  const std::string file = dir + "/members.csv";
  const int64_t org = county_->union_a2.org_id();
  WriteWholeFile(
      file,
      absl::StrCat(
          "name,national_id,mobile,wage_base_yuan,education,front_line\n",
          "赵六,", MakeNationalId("19850312", 101), ",13900000101,5200.50,",
          "college,yes\n", "钱七,", MakeNationalId("19920701", 102),
          ",13900000102,4800,,\n",
          "孙八,110101199003070000,13900000103,4000,,\n",  // bad check char
          "周九,", MakeNationalId("19880101", 104),
          ",13900000104,abc,,\n"));  // not yuan: refused before sending
  const std::string rejects = dir + "/rejects.csv";
  Ran r = RunUnionctl(
      {"member", "import", file, "--default_org_id", absl::StrCat(org),
       "--joined_on=2025-03-01", "--rejects", rejects},
      Env());
  EXPECT_EQ(r.exit_code, 10) << r.out << r.err;
  EXPECT_EQ(r.err, "2 of 4 rows not accepted; see " + rejects + "\n");
  EXPECT_EQ(r.out,
            "field             value\n"
            "----------------  -----\n"
            "rows_received         3\n"
            "rows_joined           2\n"
            "rows_reactivated      0\n"
            "rows_rejected         1\n");
  EXPECT_EQ(r.out.find('\r'), std::string::npos);

  auto lines = Lines(ReadWholeFile(rejects));
  ASSERT_EQ(lines.size(), 3u) << ReadWholeFile(rejects);
  EXPECT_EQ(lines[0], (std::vector<std::string>{
                          "row", "name", "national_id", "mobile",
                          "wage_base_yuan", "education", "front_line",
                          "error_code", "error_message", "bad_fields"}));
  EXPECT_EQ(lines[1][0], "3");
  EXPECT_EQ(lines[1][1], "孙八");
  EXPECT_EQ(lines[1][7], "INVALID_ARGUMENT");
  EXPECT_NE(lines[1].back().find("national_id"), std::string::npos);
  EXPECT_EQ(lines[2][0], "4");
  EXPECT_EQ(lines[2][7], "LOCAL");
  EXPECT_NE(lines[2][8].find("wage_base_yuan: \"abc\" is not yuan"),
            std::string::npos);

  // The two good rows are members of the org now, with their fields.
  mv1::ListMembersRequest list;
  list.set_org_id(org);
  list.set_direct_only(true);
  mv1::ListMembersResponse members;
  ASSERT_TRUE(
      Call(server_->membership().stub(), &Stub::ListMembers, list, &members)
          .ok());
  bool zhao = false;
  for (const auto& m : members.members()) {
    if (m.name() != "赵六") continue;
    zhao = true;
    EXPECT_EQ(m.wage_base_fen(), 520050);
    EXPECT_EQ(m.education(), mv1::EDUCATION_COLLEGE);
    EXPECT_TRUE(m.front_line());
    EXPECT_EQ(m.joined_on(), "2025-03-01");
  }
  EXPECT_TRUE(zhao);
}

TEST_F(UnionctlImportTest, MemberImportRefusesUnknownColumns) {
  const std::string dir = MakeTempDir();
  WriteWholeFile(dir + "/bad.csv", "name,shoe_size\n张三,42\n");
  Ran r = RunUnionctl({"member", "import", dir + "/bad.csv"}, Env());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("unknown column(s) shoe_size"), std::string::npos)
      << r.err;
}

TEST_F(UnionctlImportTest, DuesImportParksUnknownRowsAndReportsThem) {
  const std::string dir = MakeTempDir();
  const std::string file = dir + "/payroll.csv";
  const mv1::Member& m0 = county_->members[0];
  WriteWholeFile(
      file, absl::StrCat("card_number,name,month,amount_yuan\n",
                         m0.card_number(), ",", m0.name(), ",2025-02,30.00\n",
                         "NO-SUCH-CARD,无名,2025-02,25.00\n", m0.card_number(),
                         ",x,2025-02,3.3.3\n"));
  Ran r = RunUnionctl({"dues", "import", file, "--employer_id",
                       absl::StrCat(county_->union_a1.employer().employer_id()),
                       "--paid_on=2025-03-05", "--reference=代扣 2025-02"},
                      Env());
  EXPECT_EQ(r.exit_code, 10) << r.out << r.err;
  EXPECT_EQ(r.out,
            "field           value\n"
            "--------------  -----\n"
            "rows_received       2\n"
            "rows_applied        1\n"
            "rows_suspended      1\n"
            "applied_yuan    30.00\n"
            "suspended_yuan  25.00\n");
  const std::string rejects = ReadWholeFile(file + ".rejects.csv");
  auto lines = Lines(rejects);
  ASSERT_EQ(lines.size(), 3u) << rejects;
  EXPECT_EQ(lines[0],
            (std::vector<std::string>{"row", "card_number", "name", "month",
                                      "amount_yuan", "suspense_id", "reason"}));
  EXPECT_EQ(lines[1][0], "2");
  EXPECT_NE(lines[1][5], "");  // parked: its suspense item
  EXPECT_NE(lines[1][5], "0");
  EXPECT_EQ(lines[2][0], "3");  // refused locally
  EXPECT_EQ(lines[2][5], "");
}

}  // namespace
}  // namespace unionhub::testing
