// Status reasons as codes with figures (for clients in any language) and
// their English texts (for unionctl and integrators) from one table.
#include "services/awards/domain/reasons.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace unionhub::awards {
namespace {

using ::testing::Contains;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

TEST(Reasons, TheEnglishTextIsTheCodesFormWithItsFigures) {
  const StatusReason approved =
      Because(status_reasons::kApproved, {{"day", "2026-03-12"}});
  EXPECT_EQ(approved.code.code(), "APPROVED");
  EXPECT_THAT(approved.code.params(),
              UnorderedElementsAre(Pair("day", "2026-03-12")));
  EXPECT_EQ(approved.text, "approved on 2026-03-12");
  // The texts awards wrote before it gave codes stay as they were.
  EXPECT_EQ(Because(status_reasons::kEligible).text, "eligible");
  EXPECT_EQ(Because(status_reasons::kClosedUnsubmitted).text,
            "nominations closed before it was submitted");
  EXPECT_EQ(Because(status_reasons::kRejectedByVote, {{"approve", "1"},
                                                      {"cast", "2"},
                                                      {"numerator", "2"},
                                                      {"denominator", "3"}})
                .text,
            "1 of 2 votes cast approve; 2/3 of the votes cast are needed");
  EXPECT_EQ(
      Because(status_reasons::kWithdrawn, {{"reason", "推荐单位撤回"}}).text,
      "推荐单位撤回");
}

TEST(Reasons, ANoteFollowsInParenthesesOnlyWhenGiven) {
  const ReasonParams event = {{"sequence", "7"}, {"on", "2026-03-01"}};
  ReasonParams noted = event;
  noted.emplace_back("note", "严重违纪");
  EXPECT_EQ(Because(status_reasons::kNomineeExpelled, noted).text,
            "membership event 7: the nominee was expelled on 2026-03-01 "
            "(严重违纪)");
  ReasonParams blank = event;
  blank.emplace_back("note", "");
  EXPECT_EQ(Because(status_reasons::kNomineeLeft, blank).text,
            "membership event 7: the nominee left the union on 2026-03-01");
}

TEST(Reasons, IneligibleNamesTheFailedRulesAndJoinsTheirTexts) {
  v1::EligibilityEvidence evidence;
  for (const auto& [rule, passed] :
       std::vector<std::pair<std::string, bool>>{{"member_status", true},
                                                 {"tenure", false},
                                                 {"dues_arrears", false}}) {
    v1::EligibilityCheck* check = evidence.add_checks();
    check->set_rule(rule);
    check->set_passed(passed);
  }
  evidence.add_reasons("tenure is short");
  evidence.add_reasons("dues unpaid");
  const StatusReason reason = Ineligible(evidence);
  EXPECT_EQ(reason.code.code(), "INELIGIBLE");
  EXPECT_THAT(reason.code.params(),
              UnorderedElementsAre(Pair("rules", "tenure,dues_arrears")));
  EXPECT_EQ(reason.text, "tenure is short; dues unpaid");
}

TEST(Reasons, EveryCodeHasAnEnglishForm) {
  const std::vector<std::string> codes = KnownReasonCodes();
  EXPECT_EQ(codes.size(), 17u);
  for (const std::string& code : codes) {
    if (code == status_reasons::kIneligible)
      continue;  // made from the rules' texts
    EXPECT_NE(Because(code).text, "") << code;
    EXPECT_NE(Because(code).text, code) << code;
  }
  EXPECT_THAT(codes, Contains("DUES_IN_ARREARS"));
}

TEST(Reasons, SetStatusReasonSetsTheTextAndTheCode) {
  v1::Nomination n;
  SetStatusReason(
      Because(status_reasons::kInPublicity, {{"until", "2026-03-11"}}), &n);
  EXPECT_EQ(n.status_reason(), "in publicity until 2026-03-11");
  EXPECT_EQ(n.status_reason_code().code(), "IN_PUBLICITY");
}

}  // namespace
}  // namespace unionhub::awards
