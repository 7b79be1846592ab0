// The unionctl binary against real membership and finance services:
// tables with Chinese names, JSON, CSV, errors and exit statuses.
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "tests/unionctl/run_unionctl.h"
#include "tests/unionctl/unionctl_seed.h"

namespace unionhub::testing {
namespace {

class UnionctlCliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    InstallTestPii();
    server_ = new FinanceServer("unionctl_cli");
    county_ = new SmallCounty(SeedCounty(*server_));
  }
  static void TearDownTestSuite() {
    delete county_;
    delete server_;
  }
  std::map<std::string, std::string> Env(
      const std::vector<std::string>& roles = {"admin"}) {
    return UnionctlEnv(*server_, MintTestToken(roles, 0, "unionctl-test"));
  }
  std::string Id(int64_t id) { return absl::StrCat(id); }

  static FinanceServer* server_;
  static SmallCounty* county_;
};
FinanceServer* UnionctlCliTest::server_ = nullptr;
SmallCounty* UnionctlCliTest::county_ = nullptr;

TEST_F(UnionctlCliTest, OrgListTableAlignsChineseNames) {
  Ran r =
      RunUnionctl({"org", "list", "--parent_id", Id(county_->county.org_id()),
                   "--columns", "org_id,name,type,status"},
                  Env());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  const std::string a = Id(county_->township_a.org_id());
  const std::string b = Id(county_->township_b.org_id());
  const int w = std::max<int>(6, static_cast<int>(a.size()));
  EXPECT_EQ(r.out,
            absl::StrFormat("orgs (2):\n"
                            "%-*s  name          type            status\n"
                            "%s  ------------  --------------  -----------\n"
                            "%*s  城关镇总工会  TOWNSHIP_UNION  ESTABLISHED\n"
                            "%*s  新桥镇总工会  TOWNSHIP_UNION  ESTABLISHED\n",
                            w, "org_id", std::string(w, '-'), w, a, w, b));
}

TEST_F(UnionctlCliTest, CollectionReportTableShowsYuanAndPercent) {
  Ran r = RunUnionctl(
      {"audit", "collection", "--org_id", Id(county_->county.org_id()),
       "--from_month", "2025-01", "--to_month", "2025-02", "--rows", "by_child",
       "--columns",
       "org_name,due_fen,paid_fen,collection_rate_bp,members_charged"},
      Env({"auditor"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("by_child (2):\n"
                       "org_name      due_yuan  paid_yuan  "
                       "collection_rate_pct  members_charged\n"
                       "------------  --------  ---------  "
                       "-------------------  ---------------\n"
                       "城关镇总工会    140.00     110.00               "
                       "78.57%                4\n"
                       "新桥镇总工会     50.00       0.00                "
                       "0.00%                2\n"),
            std::string::npos)
      << r.out;
  // The scalar part: the subtree's totals as field/value lines.
  EXPECT_EQ(r.out.rfind(absl::StrCat("field                      value\n"
                                     "-------------------------  ------------\n"
                                     "org_id                     ",
                                     county_->county.org_id(),
                                     "\n"
                                     "org_name                   示范县总工会\n"
                                     "total.org_id               0\n"
                                     "total.due_yuan             190.00\n"
                                     "total.paid_yuan            110.00\n"
                                     "total.collection_rate_pct  57.89%\n"
                                     "total.members_charged      6\n"
                                     "total.members_paid         3\n"),
                        0),
            0u)
      << r.out;
}

TEST_F(UnionctlCliTest, CollectionReportCsvHasHeaderAndExactDecimals) {
  Ran r = RunUnionctl(
      {"audit", "collection", "--org_id", Id(county_->county.org_id()),
       "--from_month=2025-01", "--to_month=2025-02", "-o", "csv"},
      Env({"auditor"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "month,org_id,org_name,due_yuan,paid_yuan,collection_rate_pct,"
            "members_charged,members_paid\n"
            "2025-01,0,,95.00,70.00,73.68,3,2\n"
            "2025-02,0,,95.00,40.00,42.11,3,1\n");
  Ran child = RunUnionctl(
      {"audit", "collection", "--org_id", Id(county_->county.org_id()),
       "--from_month=2025-01", "--to_month=2025-02", "--output=csv",
       "--rows=by_child", "--columns=org_id,org_name,paid_fen"},
      Env({"auditor"}));
  ASSERT_EQ(child.exit_code, 0) << child.err;
  EXPECT_EQ(child.out,
            absl::StrCat("org_id,org_name,paid_yuan\n",
                         county_->township_a.org_id(), ",城关镇总工会,110.00\n",
                         county_->township_b.org_id(), ",新桥镇总工会,0.00\n"));
}

// A response with no list is one CSV row; --columns picks its fields by
// path or by last name, in the order given (scripts capture ids this way).
TEST_F(UnionctlCliTest, ColumnsPickScalarFieldsOfASingleMessage) {
  Ran r = RunUnionctl({"org", "get", "--org_id", Id(county_->union_a1.org_id()),
                       "-o", "csv", "--columns=name,org.org_id"},
                      Env());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, absl::StrCat("org.name,org.org_id\n机械厂工会,",
                                county_->union_a1.org_id(), "\n"));
}

TEST_F(UnionctlCliTest, JsonIsTheProtobufMappingOfTheResponse) {
  Ran r = RunUnionctl({"org", "get", "--org_id", Id(county_->union_a1.org_id()),
                       "--output", "json"},
                      Env());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  mv1::GetOrgResponse parsed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(r.out, &parsed).ok())
      << r.out;
  mv1::GetOrgRequest req;
  req.set_org_id(county_->union_a1.org_id());
  mv1::GetOrgResponse direct;
  ASSERT_TRUE(
      Call(server_->membership().stub(), &Stub::GetOrg, req, &direct).ok());
  EXPECT_TRUE(
      google::protobuf::util::MessageDifferencer::Equals(parsed, direct))
      << r.out;
  EXPECT_NE(r.out.find("\"name\": \"机械厂工会\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"type\": \"ORG_TYPE_GRASSROOTS_UNION\""),
            std::string::npos);
}

TEST_F(UnionctlCliTest, FlagsBuildTheRequestAndMoneyMayBeYuan) {
  const int64_t member = county_->members[2].member_id();
  Ran r = RunUnionctl(
      {"dues", "pay", "--member_id", Id(member), "--amount_yuan=12.50",
       "--method=cash", "--paid_on=2025-03-01", "--reference=收据 42",
       "--request_id=cli-pay-1", "-o", "json"},
      Env({"finance_clerk"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  fv1::RecordDuesPaymentResponse paid;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(r.out, &paid).ok());
  EXPECT_EQ(paid.payment().amount_fen(), 1250);
  EXPECT_EQ(paid.payment().method(), fv1::PAYMENT_METHOD_CASH);
  EXPECT_EQ(paid.payment().reference(), "收据 42");
  // The same request id again is the same payment, not a second one.
  Ran again = RunUnionctl(
      {"dues", "pay", "--member_id", Id(member), "--amount_yuan=12.50",
       "--method=CASH", "--paid_on=2025-03-01", "--reference=收据 42",
       "--request_id=cli-pay-1", "-o", "json"},
      Env({"finance_clerk"}));
  ASSERT_EQ(again.exit_code, 0) << again.err;
  fv1::RecordDuesPaymentResponse repeated;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(again.out, &repeated).ok());
  EXPECT_EQ(repeated.payment().payment_id(), paid.payment().payment_id());
}

TEST_F(UnionctlCliTest, InvalidArgumentPrintsEveryFieldViolation) {
  Ran r = RunUnionctl(
      {"member", "join", "--member.name=李四", "--member.national_id=123",
       "--member.mobile=12", "--member.org_id", Id(county_->union_a1.org_id())},
      Env({"registrar"}));
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_EQ(r.out, "");
  std::vector<std::string> lines = absl::StrSplit(r.err, '\n');
  ASSERT_GE(lines.size(), 3u) << r.err;
  EXPECT_EQ(lines[0].rfind("error: INVALID_ARGUMENT: ", 0), 0u) << r.err;
  bool national_id = false, mobile = false;
  for (const std::string& line : lines) {
    national_id |= line.rfind("  member.national_id: ", 0) == 0;
    mobile |= line.rfind("  member.mobile: ", 0) == 0;
  }
  EXPECT_TRUE(national_id) << r.err;
  EXPECT_TRUE(mobile) << r.err;
}

TEST_F(UnionctlCliTest, ExitStatusFollowsTheCode) {
  Ran missing = RunUnionctl({"org", "get", "--org_id=99999999"}, Env());
  EXPECT_EQ(missing.exit_code, 4) << missing.err;
  EXPECT_EQ(missing.err.rfind("error: NOT_FOUND: ", 0), 0u) << missing.err;

  Ran denied = RunUnionctl({"dues", "assess", "--org_id",
                            Id(county_->county.org_id()), "--month=2025-03"},
                           Env({"reviewer"}));
  EXPECT_EQ(denied.exit_code, 7) << denied.err;
  EXPECT_EQ(denied.err.rfind("error: PERMISSION_DENIED: ", 0), 0u)
      << denied.err;

  auto bad_token = Env();
  bad_token["UNIONHUB_TOKEN"] = "not-a-token";
  Ran unauthenticated = RunUnionctl({"org", "list"}, bad_token);
  EXPECT_EQ(unauthenticated.exit_code, 7) << unauthenticated.err;
  EXPECT_EQ(unauthenticated.err.rfind("error: UNAUTHENTICATED: ", 0), 0u);

  Ran exists = RunUnionctl({"funds", "declare", "--employer_id",
                            Id(county_->employer_without_union.employer_id()),
                            "--month=2025-01", "--total_payroll_yuan=100000"},
                           Env({"finance_clerk"}));
  ASSERT_EQ(exists.exit_code, 0) << exists.err;
  Ran twice = RunUnionctl({"funds", "declare", "--employer_id",
                           Id(county_->employer_without_union.employer_id()),
                           "--month=2025-01", "--total_payroll_yuan=100000"},
                          Env({"finance_clerk"}));
  EXPECT_EQ(twice.exit_code, 5) << twice.err;

  auto down = Env();
  down["UNIONHUB_FINANCE_ADDRESS"] = absl::StrCat("127.0.0.1:", FreePort());
  Ran unavailable = RunUnionctl({"dues", "roster", "--timeout=20"}, down);
  EXPECT_EQ(unavailable.exit_code, 8) << unavailable.err;
}

TEST_F(UnionctlCliTest, UsageErrorsExitTwoWithoutCalling) {
  Ran unknown = RunUnionctl({"org", "list", "--no_such_flag=1"}, Env());
  EXPECT_EQ(unknown.exit_code, 2);
  Ran bad_enum = RunUnionctl({"member", "list", "--status=SLEEPING"}, Env());
  EXPECT_EQ(bad_enum.exit_code, 2);
  EXPECT_NE(bad_enum.err.find("status: \"SLEEPING\" is not one of ACTIVE|"),
            std::string::npos)
      << bad_enum.err;
  Ran no_command = RunUnionctl({}, Env());
  EXPECT_EQ(no_command.exit_code, 2);
  Ran help = RunUnionctl({"--help"}, Env());
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("6   FAILED_PRECONDITION"), std::string::npos);
}

TEST_F(UnionctlCliTest, EveryGroupIsThere) {
  Ran help = RunUnionctl({"--help"}, Env());
  for (const char* group : {"org", "member", "dues", "funds", "audit", "awards",
                            "contest", "token", "call"}) {
    EXPECT_NE(help.out.find(absl::StrCat("\n  ", group, " ")),
              std::string::npos)
        << group << "\n"
        << help.out;
  }
  Ran contest = RunUnionctl({"contest", "--help"}, Env());
  EXPECT_EQ(contest.exit_code, 0);
  EXPECT_NE(contest.out.find("leaderboard"), std::string::npos);
}

TEST_F(UnionctlCliTest, MintedTokenWorksAndShowsItsClaims) {
  auto env = Env();
  Ran minted = RunUnionctl(
      {"token", "mint", "--signing_key", SecretsDir() + "/jwt-signing.pem",
       "--subject=li-auditor", "--roles=auditor", "--ttl=10m"},
      env);
  ASSERT_EQ(minted.exit_code, 0) << minted.err;
  const std::string token(absl::StripTrailingAsciiWhitespace(minted.out));
  env["UNIONHUB_TOKEN"] = token;
  Ran shown = RunUnionctl({"token", "show", "-o", "csv"}, env);
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_NE(shown.out.find("li-auditor"), std::string::npos) << shown.out;
  Ran used = RunUnionctl(
      {"audit", "spending", "--org_id", Id(county_->county.org_id()),
       "--from_month=2025-01", "--to_month=2025-12"},
      env);
  EXPECT_EQ(used.exit_code, 0) << used.err;
}

TEST_F(UnionctlCliTest, MintRefusesAnUnknownRole) {
  Ran minted = RunUnionctl(
      {"token", "mint", "--signing_key", SecretsDir() + "/jwt-signing.pem",
       "--subject=li-auditor", "--roles=auditor,reader"},
      Env());
  EXPECT_EQ(minted.exit_code, 2) << minted.err;
  EXPECT_TRUE(minted.out.empty()) << minted.out;
  EXPECT_NE(minted.err.find("unknown role \"reader\""), std::string::npos)
      << minted.err;
}

TEST_F(UnionctlCliTest, GenericCallAndAllPages) {
  Ran r =
      RunUnionctl({"call", "MembershipService/ListOrgs",
                   absl::StrCat("{\"parent_id\": ", county_->county.org_id(),
                                ", \"recursive\": true, \"page_size\": 2}"),
                   "--all", "-o", "csv", "--columns=name"},
                  Env());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "name\n城关镇总工会\n新桥镇总工会\n机械厂工会\n纺织厂工会\n"
            "食品厂工会\n");
  Ran unknown = RunUnionctl({"call", "NoService/Nothing", "{}"}, Env());
  EXPECT_EQ(unknown.exit_code, 2);
}

TEST_F(UnionctlCliTest, ServerStreamStopsAtLimit) {
  Ran r = RunUnionctl(
      {"org", "events", "--after_sequence=0", "--limit=3", "-o", "json"},
      Env());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> lines =
      absl::StrSplit(r.out, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 3u) << r.out;
  mv1::WatchEventsResponse first;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(lines[0], &first).ok());
  EXPECT_EQ(first.event().sequence(), 1);
}

}  // namespace
}  // namespace unionhub::testing
