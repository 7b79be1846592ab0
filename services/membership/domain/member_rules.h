// Pure rules for members (会员): the status state machine, what joining
// means for a person already on record (one person, one membership), and
// which field values are acceptable. No I/O.
#ifndef UNIONHUB_SERVICES_MEMBERSHIP_DOMAIN_MEMBER_RULES_H_
#define UNIONHUB_SERVICES_MEMBERSHIP_DOMAIN_MEMBER_RULES_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "common/core/violations.h"
#include "common/rpc/field_mask.h"
#include "unionhub/membership/v1/membership.pb.h"

namespace unionhub::membership::domain {

namespace v1 = ::unionhub::membership::v1;

// The youngest age at which a person may join, reached on the join date.
inline constexpr int kMinimumJoinAge = 16;
// A person's name: 1..50 characters (members.name VARCHAR(50)).
inline constexpr size_t kNameMaxChars = 50;
// Upper bound of a plausible monthly wage base: 1,000,000 yuan.
inline constexpr int64_t kMaxWageBaseFen = 100'000'000;

// "ACTIVE" for MEMBER_STATUS_ACTIVE; "UNKNOWN(<n>)" outside the enum.
std::string MemberStatusName(v1::MemberStatus status);

// The ChangeMemberStatus state machine:
//   ACTIVE   -> RETAINED, LAPSED, LEFT, EXPELLED, DECEASED
//   RETAINED -> ACTIVE, LEFT, EXPELLED, DECEASED (pays no dues: cannot lapse)
//   LAPSED   -> ACTIVE, LEFT, EXPELLED, DECEASED
//   LEFT, EXPELLED, DECEASED: terminal here (a LEFT or LAPSED person comes
//   back through JoinMember, see DecideJoin).
// UNSPECIFIED or unknown `to` is INVALID_ARGUMENT; `to` == `from` and any
// other pair are FAILED_PRECONDITION.
absl::Status CheckStatusTransition(v1::MemberStatus from, v1::MemberStatus to);

enum class JoinDecision {
  kNew,         // nobody with this national ID is on record
  kReactivate,  // same member_id, card and history; status back to ACTIVE
};

// What JoinMember does for a person whose existing membership (if any) has
// status `existing`. ACTIVE or RETAINED is ALREADY_EXISTS (the caller may
// append " of <union name>" to the message); EXPELLED and DECEASED are
// FAILED_PRECONDITION.
absl::StatusOr<JoinDecision> DecideJoin(
    std::optional<v1::MemberStatus> existing);

// Only ACTIVE and RETAINED memberships move with employment.
absl::Status CheckTransferable(v1::MemberStatus status);

// The transfer rule on organisation scope, shared by TransferMember and by
// JoinMember/ImportMembers when they reactivate a LEFT or LAPSED member
// (which moves the member just as a transfer does): a member leaves its
// current (or last) org, whose materialised path is `member_org_path`, only
// at the hands of a caller whose scope path (`caller_scope_path`, "" =
// unscoped) holds that org. PERMISSION_DENIED otherwise, naming no org.
absl::Status CheckMayMoveMemberFrom(absl::string_view caller_scope_path,
                                    absl::string_view member_org_path);

// Whether a member in `status` on a month's last day owes that month's dues.
bool OwesDues(v1::MemberStatus status);

// Every bad field of a member about to join `m.org_id()` on `join_date`,
// unprefixed ("national_id"; the caller merges under "member"). `today` is
// the business day, bounding the birth date and the join date. No
// description ever contains the national ID itself.
Violations ValidateNewMember(const v1::Member& m, absl::CivilDay join_date,
                             absl::CivilDay today);

// UpdateMember's mask: the updatable fields, and for the other fields what
// to use instead.
const rpc::FieldMaskRules& MemberUpdateMask();

// Every bad path of an UpdateMember mask (on "update_mask", see
// MemberUpdateMask) and every bad value among the fields it names
// (prefixed "member.").
Violations ValidateMemberUpdate(const v1::Member& m,
                                const std::vector<std::string>& mask_paths);

}  // namespace unionhub::membership::domain

#endif  // UNIONHUB_SERVICES_MEMBERSHIP_DOMAIN_MEMBER_RULES_H_
