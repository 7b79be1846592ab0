#include "services/awards/domain/eligibility.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/core/dates.h"
#include "services/awards/domain/reasons.h"

namespace unionhub::awards {
namespace {

namespace mv1 = ::unionhub::membership::v1;

void Check(v1::EligibilityEvidence* evidence, const std::string& rule,
           bool passed, const std::string& actual, const std::string& required,
           const StatusReason& reason) {
  v1::EligibilityCheck* check = evidence->add_checks();
  check->set_rule(rule);
  check->set_passed(passed);
  check->set_actual(actual);
  check->set_required(required);
  if (!passed) {
    evidence->add_reasons(reason.text);
    *evidence->add_reason_codes() = reason.code;
  }
}

}  // namespace

int MonthsBetween(absl::CivilDay from, absl::CivilDay to) {
  if (to < from) return 0;
  int months = static_cast<int>((to.year() - from.year()) * 12 +
                                (to.month() - from.month()));
  // The anniversary day in `to`'s month, clamped to its length.
  const absl::CivilDay last = dates::LastDayOfMonth(absl::CivilMonth(to));
  const int anniversary = std::min<int>(from.day(), last.day());
  if (to.day() < anniversary) --months;
  return std::max(months, 0);
}

void DecideEligibility(const v1::Program& program, v1::SubjectType subject,
                       absl::CivilDay today,
                       v1::EligibilityEvidence* evidence) {
  evidence->clear_checks();
  evidence->clear_reasons();
  evidence->clear_reason_codes();
  evidence->set_checked_on(dates::FormatDate(today));
  const v1::EligibilityRules& rules = program.eligibility();
  if (subject == v1::SUBJECT_TYPE_INDIVIDUAL) {
    const bool active = evidence->member_status() == mv1::MEMBER_STATUS_ACTIVE;
    Check(evidence, "member_status", active,
          mv1::MemberStatus_Name(evidence->member_status()),
          "MEMBER_STATUS_ACTIVE",
          Because(
              status_reasons::kNotActiveMember,
              {{"status", mv1::MemberStatus_Name(evidence->member_status())}}));
    absl::StatusOr<absl::CivilDay> joined =
        dates::ParseDate(evidence->joined_on());
    const int tenure = joined.ok() ? MonthsBetween(*joined, today) : 0;
    evidence->set_tenure_months(tenure);
    if (rules.min_tenure_months() > 0) {
      Check(evidence, "tenure", tenure >= rules.min_tenure_months(),
            absl::StrCat(tenure, " months"),
            absl::StrCat(">= ", rules.min_tenure_months(), " months"),
            Because(status_reasons::kTenureTooShort,
                    {{"tenure", absl::StrCat(tenure)},
                     {"joined_on", evidence->joined_on()},
                     {"required", absl::StrCat(rules.min_tenure_months())}}));
    }
    Check(
        evidence, "dues_arrears",
        evidence->months_in_arrears() <= rules.max_arrears_months(),
        absl::StrCat(evidence->months_in_arrears(), " months"),
        absl::StrCat("<= ", rules.max_arrears_months(), " months"),
        Because(status_reasons::kDuesInArrears,
                {{"months", absl::StrCat(evidence->months_in_arrears())},
                 {"outstanding_fen", absl::StrCat(evidence->outstanding_fen())},
                 {"since", evidence->oldest_open_month().empty()
                               ? std::string("-")
                               : evidence->oldest_open_month()},
                 {"allowed", absl::StrCat(rules.max_arrears_months())}}));
  } else {
    const bool established =
        evidence->org_status() == mv1::ORG_STATUS_ESTABLISHED;
    Check(evidence, "org_established", established,
          mv1::OrgStatus_Name(evidence->org_status()), "ORG_STATUS_ESTABLISHED",
          Because(status_reasons::kOrgNotEstablished,
                  {{"status", mv1::OrgStatus_Name(evidence->org_status())}}));
  }
  if (rules.no_repeat_years() > 0) {
    const bool none = evidence->prior_honour_ids().empty();
    Check(
        evidence, "no_repeat", none,
        none ? "none"
             : absl::StrCat("honours ",
                            absl::StrJoin(evidence->prior_honour_ids(), ", ")),
        absl::StrCat("no ", program.title(), " at this level since ",
                     program.year() - rules.no_repeat_years()),
        Because(
            status_reasons::kHonouredRecently,
            {{"title", program.title()},
             {"years", absl::StrCat(rules.no_repeat_years())},
             {"honours", absl::StrJoin(evidence->prior_honour_ids(), ", ")}}));
  }
  evidence->set_eligible(evidence->reasons().empty());
}

}  // namespace unionhub::awards
