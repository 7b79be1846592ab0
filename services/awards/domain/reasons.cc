#include "services/awards/domain/reasons.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"

namespace unionhub::awards {
namespace {

// Each code's English form, the texts awards wrote before it gave codes
// (unionctl and integrators read them).
const std::map<absl::string_view, absl::string_view>& Forms() {
  static const auto* forms = new std::map<absl::string_view, absl::string_view>{
      {status_reasons::kEligible, "eligible"},
      // Made by Ineligible() from the failed rules' own texts.
      {status_reasons::kIneligible, ""},
      // The requester's own words.
      {status_reasons::kWithdrawn, "{reason}"},
      {status_reasons::kClosedUnsubmitted,
       "nominations closed before it was submitted"},
      {status_reasons::kShortlisted, "{approve} of {cast} votes cast approve"},
      {status_reasons::kRejectedByVote,
       "{approve} of {cast} votes cast approve; {numerator}/{denominator} of "
       "the votes cast are needed"},
      {status_reasons::kInPublicity, "in publicity until {until}"},
      {status_reasons::kObjectionUpheld,
       "objection {objection_id} upheld: {resolution}"},
      {status_reasons::kApproved, "approved on {day}"},
      {status_reasons::kNomineeLeft,
       "membership event {sequence}: the nominee left the union on {on}"},
      {status_reasons::kNomineeExpelled,
       "membership event {sequence}: the nominee was expelled on {on}"},
      {status_reasons::kNomineeDeceased,
       "membership event {sequence}: the nominee died on {on}"},
      {status_reasons::kNotActiveMember,
       "the nominee is not an active member ({status})"},
      {status_reasons::kTenureTooShort,
       "membership tenure is {tenure} months since joining on {joined_on}; "
       "at least {required} are required"},
      {status_reasons::kDuesInArrears,
       "dues are {months} months in arrears ({outstanding_fen} fen "
       "outstanding, unpaid since {since}); at most {allowed} are allowed"},
      {status_reasons::kOrgNotEstablished,
       "the organisation has no established union ({status})"},
      {status_reasons::kHonouredRecently,
       "already holds {title} at this level within {years} years (honours "
       "{honours})"},
  };
  return *forms;
}

}  // namespace

StatusReason Because(absl::string_view code, const ReasonParams& params) {
  StatusReason out;
  out.code.set_code(std::string(code));
  std::vector<std::pair<std::string, std::string>> fills;
  std::string note;
  for (const auto& [name, value] : params) {
    (*out.code.mutable_params())[name] = value;
    fills.emplace_back(absl::StrCat("{", name, "}"), value);
    if (name == "note") note = value;
  }
  auto form = Forms().find(code);
  out.text =
      absl::StrReplaceAll(form == Forms().end() ? code : form->second, fills);
  if (!note.empty()) absl::StrAppend(&out.text, " (", note, ")");
  return out;
}

StatusReason Ineligible(const v1::EligibilityEvidence& evidence) {
  std::vector<std::string> rules;
  for (const v1::EligibilityCheck& check : evidence.checks()) {
    if (!check.passed()) rules.push_back(check.rule());
  }
  StatusReason out = Because(status_reasons::kIneligible,
                             {{"rules", absl::StrJoin(rules, ",")}});
  out.text = absl::StrJoin(evidence.reasons(), "; ");
  return out;
}

void SetStatusReason(const StatusReason& reason, v1::Nomination* n) {
  n->set_status_reason(reason.text);
  *n->mutable_status_reason_code() = reason.code;
}

std::vector<std::string> KnownReasonCodes() {
  std::vector<std::string> codes;
  for (const auto& [code, form] : Forms()) codes.emplace_back(code);
  return codes;
}

}  // namespace unionhub::awards
