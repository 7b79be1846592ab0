// Gate::Mask: what a caller who may not read national IDs in full receives
// of the personal data in a response (issue 11, item 2), and a check that
// every field of the API carrying an ID or a birth date is annotated, so
// the one mask reaches it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "common/rpc/gate.h"
#include "unionhub/awards/v1/awards.pb.h"
#include "unionhub/awards/v1/competition.pb.h"
#include "unionhub/common/v1/audit_trail.pb.h"
#include "unionhub/common/v1/auth.pb.h"
#include "unionhub/finance/v1/finance.pb.h"
#include "unionhub/membership/v1/membership.pb.h"

namespace unionhub::rpc {
namespace {

namespace mv1 = ::unionhub::membership::v1;
namespace fv1 = ::unionhub::finance::v1;
namespace av1 = ::unionhub::awards::v1;
namespace cv1 = ::unionhub::common::v1;
using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;

constexpr char kId[] = "32092419900101008X";
constexpr char kMasked[] = "**************008X";

Caller CallerWith(const std::string& role) {
  Caller caller;
  caller.claims.subject = "t-" + role;
  caller.claims.roles = {role};
  return caller;
}

mv1::Member Person() {
  mv1::Member m;
  m.set_member_id(7);
  m.set_name("张三");
  m.set_national_id(kId);
  m.set_sex(mv1::SEX_MALE);
  m.set_birth_date("1990-01-01");
  m.set_card_number("C0007");
  return m;
}

TEST(GateMask, RolesWithoutTheFullIdSeeTheLastFourAndNoBirthDate) {
  for (const std::string role : {"nominator", "finance_clerk", "auditor",
                                 "award_committee", "reviewer", "judge"}) {
    mv1::GetMemberResponse response;
    *response.mutable_member() = Person();
    Gate::Mask(CallerWith(role), response);
    EXPECT_EQ(response.member().national_id(), kMasked) << role;
    EXPECT_EQ(response.member().birth_date(), "") << role;
    // Nothing else of the person is lost to the mask.
    EXPECT_EQ(response.member().name(), "张三") << role;
    EXPECT_EQ(response.member().sex(), mv1::SEX_MALE) << role;
    EXPECT_EQ(response.member().card_number(), "C0007") << role;
  }
}

TEST(GateMask, RolesThatMayReadTheIdSeeEverything) {
  for (const std::string role : {"admin", "registrar", "service"}) {
    mv1::GetMemberResponse response;
    *response.mutable_member() = Person();
    Gate::Mask(CallerWith(role), response);
    EXPECT_EQ(response.member().national_id(), kId) << role;
    EXPECT_EQ(response.member().birth_date(), "1990-01-01") << role;
  }
}

TEST(GateMask, ReachesNestedRepeatedAndOneofFields) {
  const Caller nominator = CallerWith("nominator");
  mv1::ListMembersResponse list;
  *list.add_members() = Person();
  *list.add_members() = Person();
  Gate::Mask(nominator, list);
  for (const mv1::Member& m : list.members()) {
    EXPECT_EQ(m.national_id(), kMasked);
    EXPECT_EQ(m.birth_date(), "");
  }

  mv1::WatchEventsResponse event;
  *event.mutable_event()->mutable_member() = Person();
  Gate::Mask(nominator, event);
  EXPECT_EQ(event.event().member().national_id(), kMasked);
  EXPECT_EQ(event.event().member().birth_date(), "");

  av1::GetNominationResponse nomination;
  nomination.mutable_nomination()->set_national_id(kId);
  Gate::Mask(nominator, nomination);
  EXPECT_EQ(nomination.nomination().national_id(), kMasked);

  // Suspense rows stored under the old mask are masked again on output.
  fv1::ListSuspenseResponse suspense;
  suspense.add_items()->set_national_id_masked("320***********008X");
  Gate::Mask(CallerWith("finance_clerk"), suspense);
  EXPECT_EQ(suspense.items(0).national_id_masked(), kMasked);
}

// What a masked response holds cannot be matched back to the person: no
// region code, no birth date in any common spelling.
TEST(GateMask, MaskedResponsesHoldNoRegionCodeOrBirthDate) {
  mv1::ListMembersResponse list;
  for (int i = 0; i < 20; ++i) {
    mv1::Member m = Person();
    m.set_member_id(i + 1);
    list.add_members()->Swap(&m);
  }
  Gate::Mask(CallerWith("finance_clerk"), list);
  const std::string text = list.DebugString();
  EXPECT_FALSE(std::regex_search(text, std::regex("[0-9]{6}"))) << text;
  EXPECT_FALSE(absl::StrContains(text, "1990")) << text;
}

// Every field of the API named like a national ID, birth date or age is
// annotated, so Gate::Mask reaches it; request messages carry the caller's
// own input and are exempt.
TEST(GateMask, EveryIdAndBirthDateFieldIsAnnotated) {
  const std::vector<const google::protobuf::FileDescriptor*> files = {
      mv1::Member::descriptor()->file(),
      fv1::SuspenseItem::descriptor()->file(),
      av1::Nomination::descriptor()->file(),
      av1::Entrant::descriptor()->file(),
      cv1::AuditRecord::descriptor()->file(),
  };
  std::vector<const Descriptor*> pending;
  for (const auto* file : files) {
    for (int i = 0; i < file->message_type_count(); ++i) {
      pending.push_back(file->message_type(i));
    }
  }
  const std::regex birth_or_age("(^|_)(birth|birthday|born|age|dob)(_|$)");
  int annotated = 0;
  while (!pending.empty()) {
    const Descriptor* message = pending.back();
    pending.pop_back();
    for (int i = 0; i < message->nested_type_count(); ++i) {
      pending.push_back(message->nested_type(i));
    }
    if (absl::EndsWith(message->name(), "Request")) continue;
    for (int i = 0; i < message->field_count(); ++i) {
      const FieldDescriptor* field = message->field(i);
      const cv1::Sensitivity sensitivity =
          field->options().GetExtension(cv1::sensitivity);
      if (sensitivity != cv1::SENSITIVITY_UNSPECIFIED) ++annotated;
      if (absl::StrContains(field->name(), "national_id")) {
        EXPECT_EQ(sensitivity, cv1::SENSITIVITY_NATIONAL_ID)
            << field->full_name();
      }
      if (sensitivity == cv1::SENSITIVITY_NATIONAL_ID) {
        EXPECT_EQ(field->cpp_type(), FieldDescriptor::CPPTYPE_STRING)
            << field->full_name();
      }
      if (std::regex_search(field->name(), birth_or_age)) {
        EXPECT_EQ(sensitivity, cv1::SENSITIVITY_BIRTH_DATE)
            << field->full_name();
      }
    }
  }
  // Member (ID, birth date), PayrollRow, SuspenseItem, Nomination,
  // PublicityEntry.
  EXPECT_GE(annotated, 6);
}

}  // namespace
}  // namespace unionhub::rpc
