#include "services/membership/domain/member_rules.h"

#include <cstddef>
#include <set>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/core/dates.h"
#include "common/core/field_checks.h"
#include "common/core/ids.h"
#include "services/membership/domain/org_rules.h"

namespace unionhub::membership::domain {
namespace {

constexpr size_t kEthnicityMaxChars = 20;

bool IsKnownStatus(v1::MemberStatus s) {
  return s != v1::MEMBER_STATUS_UNSPECIFIED && v1::MemberStatus_IsValid(s);
}

// Each Check* adds at most one violation on its own field, so that the new
// member and the update paths report a bad value identically.

void CheckName(const v1::Member& m, Violations& v) {
  CheckText(m.name(), "name", 1, kNameMaxChars, v, /*allow_digits=*/false);
}

void CheckMobile(const v1::Member& m, Violations& v) {
  if (m.mobile().empty()) {
    v.Add("mobile", "is required", reasons::kRequired);
  } else if (!ids::IsValidMobile(m.mobile())) {
    v.Add("mobile",
          "must be an 11-digit mainland mobile number starting with 13-19",
          reasons::kBadMobile);
  }
}

void CheckHousehold(const v1::Member& m, Violations& v) {
  if (!v1::Household_IsValid(m.household())) {
    v.Add("household", "is not a known household registration");
  }
}

void CheckEthnicity(const v1::Member& m, Violations& v) {
  CheckText(m.ethnicity(), "ethnicity", 0, kEthnicityMaxChars, v);
}

void CheckEducation(const v1::Member& m, Violations& v) {
  if (!v1::Education_IsValid(m.education())) {
    v.Add("education", "is not a known education level");
  }
}

void CheckModelWorkerLevel(const v1::Member& m, Violations& v) {
  if (!v1::ModelWorkerLevel_IsValid(m.model_worker_level())) {
    v.Add("model_worker_level", "is not a known model worker level");
  }
}

void CheckWageBase(const v1::Member& m, Violations& v) {
  if (m.wage_base_fen() < 0) {
    v.Add("wage_base_fen", "must not be negative", reasons::kNegative);
  } else if (m.wage_base_fen() > kMaxWageBaseFen) {
    v.Add("wage_base_fen",
          absl::StrCat("must be at most ", kMaxWageBaseFen,
                       " fen (1,000,000 yuan)"),
          reasons::kTooLarge);
  }
}

// The national ID is personal data: its parser promises not to echo it,
// and this guard keeps that promise even if a message ever slips.
std::string NationalIdProblem(const absl::Status& status,
                              absl::string_view id) {
  std::string message(status.message());
  if (message.empty() || absl::StrContains(message, id) ||
      (id.size() >= 17 && absl::StrContains(message, id.substr(0, 17)))) {
    return "is not a valid 18-character national ID";
  }
  return message;
}

void CheckIdentity(const v1::Member& m, absl::CivilDay join_date,
                   absl::CivilDay today, Violations& v) {
  std::optional<ids::NationalIdInfo> info;
  if (m.national_id().empty()) {
    v.Add("national_id", "is required", reasons::kRequired);
  } else if (auto parsed = ids::ParseNationalId(m.national_id(), today);
             !parsed.ok()) {
    v.Add("national_id", NationalIdProblem(parsed.status(), m.national_id()),
          reasons::kBadNationalId);
  } else {
    info = *std::move(parsed);
  }

  if (m.sex() != v1::SEX_UNSPECIFIED) {
    if (!v1::Sex_IsValid(m.sex())) {
      v.Add("sex", "is not a known sex");
    } else if (info.has_value()) {
      v1::Sex from_id =
          info->sex == ids::Sex::kMale ? v1::SEX_MALE : v1::SEX_FEMALE;
      if (m.sex() != from_id) {
        v.Add("sex", "does not match the sex encoded in the national ID",
              reasons::kNationalIdMismatch);
      }
    }
  }

  if (std::optional<absl::CivilDay> birth = fields::CheckDate(
          m.birth_date(), "birth_date", v, fields::Presence::kOptional);
      birth.has_value() && info.has_value() && *birth != info->birth_date) {
    v.Add("birth_date",
          "does not match the birth date encoded in the national ID",
          reasons::kNationalIdMismatch);
  }

  // The join date is the request's own field (checked by the handler);
  // the age problem lies in the person, whose birth date the ID carries.
  if (info.has_value() && join_date <= today &&
      dates::YearsBetween(info->birth_date, join_date) < kMinimumJoinAge) {
    v.Add("national_id", "the person would be under 16 on the join date",
          reasons::kUnderJoinAge);
  }
}

void CheckUpdatableField(const v1::Member& m, absl::string_view path,
                         Violations& v) {
  if (path == "name") {
    CheckName(m, v);
  } else if (path == "mobile") {
    CheckMobile(m, v);
  } else if (path == "household") {
    CheckHousehold(m, v);
  } else if (path == "ethnicity") {
    CheckEthnicity(m, v);
  } else if (path == "education") {
    CheckEducation(m, v);
  } else if (path == "model_worker_level") {
    CheckModelWorkerLevel(m, v);
  } else if (path == "wage_base_fen") {
    CheckWageBase(m, v);
  }
  // The booleans (front_line, migrant_worker, enterprise_leader) have no
  // bad values.
}

}  // namespace

std::string MemberStatusName(v1::MemberStatus status) {
  if (!v1::MemberStatus_IsValid(status)) {
    return absl::StrCat("UNKNOWN(", static_cast<int>(status), ")");
  }
  return std::string(
      absl::StripPrefix(v1::MemberStatus_Name(status), "MEMBER_STATUS_"));
}

absl::Status CheckStatusTransition(v1::MemberStatus from, v1::MemberStatus to) {
  if (!IsKnownStatus(to)) {
    return absl::InvalidArgumentError(
        absl::StrCat("status ", MemberStatusName(to),
                     " is not a status a member can be given"));
  }
  if (from == to) {
    return absl::FailedPreconditionError(
        absl::StrCat("the member is already ", MemberStatusName(to)));
  }
  bool allowed = false;
  std::string why;
  switch (from) {
    case v1::MEMBER_STATUS_ACTIVE:
      allowed = true;
      break;
    case v1::MEMBER_STATUS_RETAINED:
      allowed = to != v1::MEMBER_STATUS_LAPSED;
      why = "a RETAINED member pays no dues and so cannot lapse";
      break;
    case v1::MEMBER_STATUS_LAPSED:
      allowed = to != v1::MEMBER_STATUS_RETAINED;
      why = "a LAPSED member must become ACTIVE again first";
      break;
    case v1::MEMBER_STATUS_LEFT:
      why = "a member who left comes back through JoinMember";
      break;
    case v1::MEMBER_STATUS_EXPELLED:
    case v1::MEMBER_STATUS_DECEASED:
      why = "the status is final";
      break;
    default:
      why = "the current status is not a valid member status";
      break;
  }
  if (allowed) return absl::OkStatus();
  return absl::FailedPreconditionError(
      absl::StrCat("cannot change a member from ", MemberStatusName(from),
                   " to ", MemberStatusName(to), ": ", why));
}

absl::StatusOr<JoinDecision> DecideJoin(
    std::optional<v1::MemberStatus> existing) {
  if (!existing.has_value()) return JoinDecision::kNew;
  switch (*existing) {
    case v1::MEMBER_STATUS_LEFT:
    case v1::MEMBER_STATUS_LAPSED:
      return JoinDecision::kReactivate;
    case v1::MEMBER_STATUS_ACTIVE:
      return absl::AlreadyExistsError("the person is already an ACTIVE member");
    case v1::MEMBER_STATUS_RETAINED:
      return absl::AlreadyExistsError(
          "the person is already a RETAINED member");
    case v1::MEMBER_STATUS_EXPELLED:
      return absl::FailedPreconditionError(
          "an EXPELLED member cannot rejoin through registration");
    case v1::MEMBER_STATUS_DECEASED:
      return absl::FailedPreconditionError(
          "the person is recorded as DECEASED");
    default:
      return absl::FailedPreconditionError(
          absl::StrCat("the person's existing membership has status ",
                       MemberStatusName(*existing)));
  }
}

absl::Status CheckTransferable(v1::MemberStatus status) {
  if (status == v1::MEMBER_STATUS_ACTIVE ||
      status == v1::MEMBER_STATUS_RETAINED) {
    return absl::OkStatus();
  }
  return absl::FailedPreconditionError(
      absl::StrCat("only an ACTIVE or RETAINED member can be transferred; "
                   "this member is ",
                   MemberStatusName(status)));
}

absl::Status CheckMayMoveMemberFrom(absl::string_view caller_scope_path,
                                    absl::string_view member_org_path) {
  if (caller_scope_path.empty() ||
      absl::StartsWith(member_org_path, caller_scope_path)) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(
      "this person's membership is held by a union outside your "
      "organisation scope; only a registrar whose scope holds it may transfer "
      "or rejoin them");
}

bool OwesDues(v1::MemberStatus status) {
  return status == v1::MEMBER_STATUS_ACTIVE;
}

Violations ValidateNewMember(const v1::Member& m, absl::CivilDay join_date,
                             absl::CivilDay today) {
  Violations v;
  CheckName(m, v);
  CheckIdentity(m, join_date, today, v);
  CheckMobile(m, v);
  CheckHousehold(m, v);
  CheckEthnicity(m, v);
  CheckEducation(m, v);
  CheckModelWorkerLevel(m, v);
  CheckWageBase(m, v);
  if (m.org_id() <= 0) v.Add("org_id", "is required", reasons::kRequired);
  return v;
}

const rpc::FieldMaskRules& MemberUpdateMask() {
  auto derived = [](const char* path) {
    return rpc::FieldMaskRules::Refused{
        path, absl::StrCat(path,
                           " is derived from the national ID and "
                           "cannot be updated")};
  };
  static const auto* rules = new rpc::FieldMaskRules(
      v1::Member::descriptor(),
      {"name", "mobile", "household", "ethnicity", "education", "front_line",
       "migrant_worker", "model_worker_level", "enterprise_leader",
       "wage_base_fen"},
      {{"national_id", "national_id is immutable once a member joined"},
       derived("sex"),
       derived("birth_date"),
       rpc::FieldMaskRules::UseInstead("org_id", "TransferMember"),
       rpc::FieldMaskRules::UseInstead("status", "ChangeMemberStatus"),
       rpc::FieldMaskRules::UseInstead("retained_reason", "ChangeMemberStatus"),
       rpc::FieldMaskRules::UseInstead("status_reason", "ChangeMemberStatus"),
       rpc::FieldMaskRules::UseInstead("status_since", "ChangeMemberStatus"),
       rpc::FieldMaskRules::OutputOnly("member_id"),
       rpc::FieldMaskRules::OutputOnly("card_number"),
       rpc::FieldMaskRules::OutputOnly("joined_on"),
       rpc::FieldMaskRules::OutputOnly("create_time"),
       rpc::FieldMaskRules::OutputOnly("update_time")});
  return *rules;
}

Violations ValidateMemberUpdate(const v1::Member& m,
                                const std::vector<std::string>& mask_paths) {
  Violations v;
  Violations fields;
  for (const std::string& path : MemberUpdateMask().Check(mask_paths, v)) {
    CheckUpdatableField(m, path, fields);
  }
  v.Merge("member", fields);
  return v;
}

}  // namespace unionhub::membership::domain
