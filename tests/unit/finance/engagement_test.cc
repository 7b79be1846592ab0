#include "services/finance/domain/engagement.h"

#include <set>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "gtest/gtest.h"

namespace unionhub::finance::domain {
namespace {

using ES = v1::EngagementStatus;
using RS = v1::RectificationStatus;

const std::vector<ES>& AllEngagementStatuses() {
  static const auto* all = new std::vector<ES>{
      v1::ENGAGEMENT_STATUS_UNSPECIFIED, v1::ENGAGEMENT_STATUS_PLANNED,
      v1::ENGAGEMENT_STATUS_FIELDWORK, v1::ENGAGEMENT_STATUS_REPORTED,
      v1::ENGAGEMENT_STATUS_CLOSED};
  return *all;
}

const std::vector<RS>& AllRectificationStatuses() {
  static const auto* all = new std::vector<RS>{
      v1::RECTIFICATION_STATUS_UNSPECIFIED, v1::RECTIFICATION_STATUS_OPEN,
      v1::RECTIFICATION_STATUS_IN_PROGRESS, v1::RECTIFICATION_STATUS_SUBMITTED,
      v1::RECTIFICATION_STATUS_VERIFIED,    v1::RECTIFICATION_STATUS_ACCEPTED};
  return *all;
}

TEST(EngagementRulesTest, OnlyOneStepForwardUpToReported) {
  const std::set<std::pair<ES, ES>> allowed = {
      {v1::ENGAGEMENT_STATUS_PLANNED, v1::ENGAGEMENT_STATUS_FIELDWORK},
      {v1::ENGAGEMENT_STATUS_FIELDWORK, v1::ENGAGEMENT_STATUS_REPORTED}};
  for (ES from : AllEngagementStatuses()) {
    for (ES to : AllEngagementStatuses()) {
      absl::Status status = CheckAdvance(from, to);
      if (allowed.count({from, to}) > 0) {
        EXPECT_TRUE(status.ok()) << ShortName(from) << "->" << ShortName(to);
      } else {
        EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition)
            << ShortName(from) << "->" << ShortName(to);
      }
    }
  }
}

TEST(EngagementRulesTest, ClosingPointsAtCloseEngagement) {
  absl::Status status = CheckAdvance(v1::ENGAGEMENT_STATUS_REPORTED,
                                     v1::ENGAGEMENT_STATUS_CLOSED);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(status.message().find("CloseEngagement"), std::string::npos);
  EXPECT_NE(status.message().find("REPORTED"), std::string::npos);
}

TEST(EngagementRulesTest, FindingsInFieldworkAndReportedOnly) {
  for (ES s : AllEngagementStatuses()) {
    const bool want = s == v1::ENGAGEMENT_STATUS_FIELDWORK ||
                      s == v1::ENGAGEMENT_STATUS_REPORTED;
    absl::Status status = CheckCanAddFinding(s);
    EXPECT_EQ(status.ok(), want) << ShortName(s);
    if (!want) {
      EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
    }
  }
}

TEST(EngagementRulesTest, RectificationsUntilClosed) {
  for (ES s : AllEngagementStatuses()) {
    EXPECT_EQ(CheckCanAddRectification(s).ok(),
              s != v1::ENGAGEMENT_STATUS_CLOSED)
        << ShortName(s);
  }
}

TEST(EngagementRulesTest, TransitionTable) {
  const std::set<std::pair<RS, RS>> allowed = {
      {v1::RECTIFICATION_STATUS_OPEN, v1::RECTIFICATION_STATUS_IN_PROGRESS},
      {v1::RECTIFICATION_STATUS_IN_PROGRESS,
       v1::RECTIFICATION_STATUS_SUBMITTED},
      {v1::RECTIFICATION_STATUS_SUBMITTED, v1::RECTIFICATION_STATUS_VERIFIED},
      {v1::RECTIFICATION_STATUS_SUBMITTED,
       v1::RECTIFICATION_STATUS_IN_PROGRESS},
      {v1::RECTIFICATION_STATUS_OPEN, v1::RECTIFICATION_STATUS_ACCEPTED},
      {v1::RECTIFICATION_STATUS_IN_PROGRESS, v1::RECTIFICATION_STATUS_ACCEPTED},
      {v1::RECTIFICATION_STATUS_SUBMITTED, v1::RECTIFICATION_STATUS_ACCEPTED}};
  int ok_count = 0;
  for (RS from : AllRectificationStatuses()) {
    for (RS to : AllRectificationStatuses()) {
      absl::Status status = CheckRectificationTransition(from, to);
      const bool want = allowed.count({from, to}) > 0;
      EXPECT_EQ(status.ok(), want) << ShortName(from) << "->" << ShortName(to);
      if (!want) {
        EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
      } else {
        ++ok_count;
      }
    }
  }
  EXPECT_EQ(ok_count, 7);
}

TEST(EngagementRulesTest, FinalStatusesSaySo) {
  absl::Status status = CheckRectificationTransition(
      v1::RECTIFICATION_STATUS_VERIFIED, v1::RECTIFICATION_STATUS_IN_PROGRESS);
  EXPECT_NE(status.message().find("final"), std::string::npos);
  EXPECT_TRUE(IsFinal(v1::RECTIFICATION_STATUS_VERIFIED));
  EXPECT_TRUE(IsFinal(v1::RECTIFICATION_STATUS_ACCEPTED));
  EXPECT_FALSE(IsFinal(v1::RECTIFICATION_STATUS_SUBMITTED));
  EXPECT_FALSE(IsFinal(v1::RECTIFICATION_STATUS_OPEN));
}

TEST(EngagementRulesTest, EvidenceForSubmittedVerifiedAccepted) {
  for (RS s : AllRectificationStatuses()) {
    const bool want = s == v1::RECTIFICATION_STATUS_SUBMITTED ||
                      s == v1::RECTIFICATION_STATUS_VERIFIED ||
                      s == v1::RECTIFICATION_STATUS_ACCEPTED;
    EXPECT_EQ(EvidenceRequired(s), want) << ShortName(s);
  }
}

TEST(EngagementRulesTest, OnlyFromReported) {
  for (ES s : AllEngagementStatuses()) {
    EXPECT_EQ(CheckClose(s, {}).ok(), s == v1::ENGAGEMENT_STATUS_REPORTED)
        << ShortName(s);
  }
}

TEST(EngagementRulesTest, NamesEveryOpenItem) {
  std::vector<OpenItem> items = {{11, v1::RECTIFICATION_STATUS_VERIFIED},
                                 {12, v1::RECTIFICATION_STATUS_SUBMITTED},
                                 {13, v1::RECTIFICATION_STATUS_ACCEPTED},
                                 {14, v1::RECTIFICATION_STATUS_OPEN}};
  absl::Status status = CheckClose(v1::ENGAGEMENT_STATUS_REPORTED, items);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(status.message().find("12 (SUBMITTED)"), std::string::npos)
      << status.message();
  EXPECT_NE(status.message().find("14 (OPEN)"), std::string::npos);
  EXPECT_EQ(status.message().find("11 ("), std::string::npos);
  EXPECT_EQ(status.message().find("13 ("), std::string::npos);

  items[1].status = v1::RECTIFICATION_STATUS_VERIFIED;
  items[3].status = v1::RECTIFICATION_STATUS_ACCEPTED;
  EXPECT_TRUE(CheckClose(v1::ENGAGEMENT_STATUS_REPORTED, items).ok());
}

TEST(EngagementRulesTest, DaysBetweenDeadlineAndAsOf) {
  EXPECT_EQ(DaysOverdue(absl::CivilDay(2025, 3, 1), absl::CivilDay(2025, 3, 1)),
            0);
  EXPECT_EQ(
      DaysOverdue(absl::CivilDay(2025, 2, 28), absl::CivilDay(2025, 3, 1)), 1);
  EXPECT_EQ(
      DaysOverdue(absl::CivilDay(2024, 2, 28), absl::CivilDay(2024, 3, 1)), 2);
  EXPECT_EQ(
      DaysOverdue(absl::CivilDay(2024, 12, 31), absl::CivilDay(2025, 12, 31)),
      365);
  EXPECT_LT(DaysOverdue(absl::CivilDay(2025, 4, 1), absl::CivilDay(2025, 3, 1)),
            0);
}

TEST(EngagementRulesTest, RequiredLengthAndControlCharacters) {
  EXPECT_EQ(TextProblem("", true, 10, false), "is required");
  EXPECT_EQ(TextProblem(" \u3000 ", true, 10, false), "is required");
  EXPECT_FALSE(TextProblem("", false, 10, false).has_value());
  EXPECT_FALSE(TextProblem("经费审查", true, 4, false).has_value());
  EXPECT_EQ(TextProblem("经费审查报告", true, 4, false),
            "must be at most 4 characters");
  EXPECT_EQ(TextProblem("a\nb", true, 10, false),
            "must not contain control characters");
  EXPECT_FALSE(TextProblem("a\nb", true, 10, true).has_value());
  // The common text rule (common/core/text.h): a line feed is the only
  // control character a multi-line field takes; tab and carriage return
  // were accepted before it and are refused now.
  EXPECT_EQ(TextProblem("a\tb", true, 10, true),
            "must not contain control characters");
  EXPECT_EQ(TextProblem("a\r\nb", true, 10, true),
            "must not contain control characters");
  EXPECT_EQ(TextProblem("\n\n", true, 10, true), "is required");
  EXPECT_EQ(TextProblem("a\x01", true, 10, true),
            "must not contain control characters");
  EXPECT_EQ(TextProblem("\xC0\xAF", true, 10, false),
            "is not valid UTF-8 text");  // overlong '/'
  EXPECT_EQ(TextProblem("\xE4\xB8", true, 10, false),
            "is not valid UTF-8 text");  // cut short
}

TEST(EngagementRulesTest, StripsPrefixAndSurvivesUnknownValues) {
  EXPECT_EQ(ShortName(v1::ENGAGEMENT_STATUS_FIELDWORK), "FIELDWORK");
  EXPECT_EQ(ShortName(v1::RECTIFICATION_STATUS_IN_PROGRESS), "IN_PROGRESS");
  EXPECT_EQ(ShortName(static_cast<ES>(99)), "status 99");
}

}  // namespace
}  // namespace unionhub::finance::domain
