// The one validator per field type (common/core/field_checks.h) and the
// text rule's character counting as the services use it.
#include "common/core/field_checks.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "common/core/text.h"
#include "common/core/violations.h"

namespace unionhub::fields {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;

auto Is(const std::string& field, absl::string_view description) {
  return AllOf(Field(&FieldViolation::field, field),
               Field(&FieldViolation::description, std::string(description)));
}

TEST(CheckId, RequiredPositive) {
  Violations v;
  EXPECT_TRUE(CheckId(7, "program_id", v));
  EXPECT_TRUE(v.empty());
  EXPECT_FALSE(CheckId(0, "program_id", v));
  EXPECT_FALSE(CheckId(-3, "score.entrant_id", v));
  EXPECT_THAT(v.list(), ElementsAre(Is("program_id", kRequired),
                                    Is("score.entrant_id", kBadId)));
}

TEST(CheckId, MemberAndOrgIdsUseTheirFieldNames) {
  Violations v;
  EXPECT_TRUE(CheckMemberId(1, v));
  EXPECT_TRUE(CheckOrgId(1, v));
  EXPECT_FALSE(CheckMemberId(0, v));
  EXPECT_FALSE(CheckOrgId(-1, v));
  EXPECT_FALSE(CheckMemberId(-1, v, "member.member_id"));
  EXPECT_THAT(v.list(),
              ElementsAre(Is("member_id", kRequired), Is("org_id", kBadId),
                          Is("member.member_id", kBadId)));
}

TEST(CheckOptionalId, ZeroMeansAnyNegativeIsRefused) {
  Violations v;
  EXPECT_TRUE(CheckOptionalId(0, "org_id", v));
  EXPECT_TRUE(CheckOptionalId(12, "org_id", v));
  EXPECT_TRUE(v.empty());
  EXPECT_FALSE(CheckOptionalId(-1, "org_id", v));
  EXPECT_THAT(v.list(), ElementsAre(Is("org_id", kBadFilterId)));
}

TEST(CheckMonth, StrictYearMonth) {
  Violations v;
  EXPECT_EQ(CheckMonth("2026-03", "month", v), absl::CivilMonth(2026, 3));
  EXPECT_EQ(CheckMonth("", "to_month", v, Presence::kOptional), std::nullopt);
  EXPECT_TRUE(v.empty());
  for (const char* bad : {"2026-3", "2026-13", "2026-03-01", "1899-12", "x"}) {
    Violations one;
    EXPECT_EQ(CheckMonth(bad, "month", one), std::nullopt) << bad;
    EXPECT_THAT(one.list(), ElementsAre(Is("month", kBadMonth))) << bad;
  }
  EXPECT_EQ(CheckMonth("", "period_from", v), std::nullopt);
  EXPECT_THAT(v.list(), ElementsAre(Is("period_from", kRequired)));
}

TEST(CheckDate, RealCalendarDays) {
  Violations v;
  EXPECT_EQ(CheckDate("2024-02-29", "deadline", v),
            absl::CivilDay(2024, 2, 29));
  EXPECT_EQ(CheckDate("", "as_of", v, Presence::kOptional), std::nullopt);
  EXPECT_TRUE(v.empty());
  for (const char* bad : {"2023-02-29", "2024-2-29", "2024-02", "29/02/2024"}) {
    Violations one;
    EXPECT_EQ(CheckDate(bad, "deadline", one), std::nullopt) << bad;
    EXPECT_THAT(one.list(), ElementsAre(Is("deadline", kBadDate))) << bad;
  }
  EXPECT_EQ(CheckDate("", "deadline", v), std::nullopt);
  EXPECT_THAT(v.list(), ElementsAre(Is("deadline", kRequired)));
}

TEST(CheckPastDateOrToday, TodayWhenEmptyAndNeverInTheFuture) {
  const absl::CivilDay today(2026, 12, 6);
  Violations v;
  EXPECT_EQ(CheckPastDateOrToday("", "paid_on", today, v), today);
  EXPECT_EQ(CheckPastDateOrToday("2026-12-06", "paid_on", today, v), today);
  EXPECT_EQ(CheckPastDateOrToday("2020-01-31", "paid_on", today, v),
            absl::CivilDay(2020, 1, 31));
  EXPECT_TRUE(v.empty());
  EXPECT_EQ(CheckPastDateOrToday("2026-12-07", "paid_on", today, v), today);
  EXPECT_EQ(CheckPastDateOrToday("2026-12-32", "spent_on", today, v), today);
  EXPECT_THAT(v.list(), ElementsAre(Is("paid_on", kFutureDate),
                                    Is("spent_on", kBadDate)));
}

TEST(CheckPastMonth, RequiredAndNotAfterTheCurrentMonth) {
  const absl::CivilMonth current(2026, 12);
  Violations v;
  EXPECT_EQ(CheckPastMonth("2026-12", "month", current, v), current);
  EXPECT_TRUE(v.empty());
  EXPECT_EQ(CheckPastMonth("2027-01", "month", current, v), std::nullopt);
  EXPECT_EQ(CheckPastMonth("", "period", current, v), std::nullopt);
  EXPECT_THAT(v.list(),
              ElementsAre(Is("month", std::string(kFutureMonth) + " 2026-12"),
                          Is("period", kRequired)));
}

// Free text is counted in characters the way VARCHAR(n) counts them, so a
// Chinese text at the limit (three bytes a character) is accepted.
TEST(TextRule, CountsChineseCharactersNotBytes) {
  const text::TextRule rule{.min_chars = 1, .max_chars = 4};
  Violations v;
  text::Check("先进集体", "title", rule, v);
  EXPECT_TRUE(v.empty());
  text::Check("先进集体奖", "title", rule, v);
  EXPECT_THAT(v.list(),
              ElementsAre(Is("title", "must be at most 4 characters")));
}

TEST(TextPrefix, CutsOnCharacterBoundaries) {
  EXPECT_EQ(text::Prefix("工会经费", 2), "工会");
  EXPECT_EQ(text::Prefix("ab工会", 3), "ab工");
  EXPECT_EQ(text::Prefix("工会", 5), "工会");
  EXPECT_EQ(text::Prefix("工会", 0), "");
  EXPECT_EQ(text::CharCount(text::Prefix("一二三四五", 4)), 4u);
}

}  // namespace
}  // namespace unionhub::fields
