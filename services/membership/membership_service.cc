#include "services/membership/membership_service.h"

#include "absl/strings/match.h"
#include "common/core/dates.h"
#include "common/core/field_checks.h"
#include "common/core/ids.h"
#include "common/rpc/adapter.h"
#include "common/rpc/gate.h"
#include "services/membership/domain/member_rules.h"
#include "services/membership/domain/org_rules.h"

namespace unionhub::membership {

constexpr char kService[] = "unionhub.membership.v1.MembershipService";

UNIONHUB_RPC_UNARY(MembershipServiceImpl, kService, CreateOrg)
UNIONHUB_RPC_UNARY(MembershipServiceImpl, kService, GetOrg)
UNIONHUB_RPC_UNARY(MembershipServiceImpl, kService, UpdateOrg)
UNIONHUB_RPC_UNARY(MembershipServiceImpl, kService, ListOrgs)
UNIONHUB_RPC_UNARY(MembershipServiceImpl, kService, EstablishOrg)
UNIONHUB_RPC_UNARY(MembershipServiceImpl, kService, DissolveOrg)
UNIONHUB_RPC_UNARY(MembershipServiceImpl, kService, CreateEmployer)
UNIONHUB_RPC_UNARY(MembershipServiceImpl, kService, ListEmployers)
UNIONHUB_RPC_UNARY(MembershipServiceImpl, kService, JoinMember)
UNIONHUB_RPC_UNARY(MembershipServiceImpl, kService, GetMember)
UNIONHUB_RPC_UNARY(MembershipServiceImpl, kService, ListMembers)
UNIONHUB_RPC_UNARY(MembershipServiceImpl, kService, UpdateMember)
UNIONHUB_RPC_UNARY(MembershipServiceImpl, kService, TransferMember)
UNIONHUB_RPC_UNARY(MembershipServiceImpl, kService, ChangeMemberStatus)
UNIONHUB_RPC_UNARY(MembershipServiceImpl, kService, GetMemberHistory)
UNIONHUB_RPC_UNARY(MembershipServiceImpl, kService, GetCoverage)
UNIONHUB_RPC_UNARY(MembershipServiceImpl, kService, LookupMember)

grpc::Status MembershipServiceImpl::ImportMembers(
    grpc::ServerContext* context,
    grpc::ServerReader<v1::ImportMembersRequest>* reader,
    v1::ImportMembersResponse* response) {
  return rpc::ServeClientStream(
      gate_, *context, std::string(kService) + ".ImportMembers", *reader,
      response, *this, &MembershipServiceImpl::DoImportMembers);
}

// Declared `global`: the gate refuses every token limited to a subtree
// before the handler runs, so a scoped caller sees no event at all (the
// feed spans every org); the handler runs as the unscoped caller.
grpc::Status MembershipServiceImpl::WatchEvents(
    grpc::ServerContext* context, const v1::WatchEventsRequest* request,
    grpc::ServerWriter<v1::WatchEventsResponse>* writer) {
  return rpc::ServeServerStream(
      gate_, *context, std::string(kService) + ".WatchEvents", *request,
      *writer, *this, &MembershipServiceImpl::DoWatchEvents);
}

absl::CivilDay MembershipServiceImpl::DateOrToday(
    const std::string& text, absl::string_view field,
    Violations& violations) const {
  return fields::CheckPastDateOrToday(text, field, clock_.Today(), violations);
}

namespace internal {

absl::Status CheckCanHoldMembers(const v1::Org& org) {
  if (!domain::MayHoldMembers(org.type())) {
    return absl::FailedPreconditionError(absl::StrCat(
        "org ", org.org_id(), " is a ", domain::OrgTypeName(org.type()),
        ", which cannot hold members; choose a grassroots, branch, group, "
        "township or regional union"));
  }
  if (org.status() == v1::ORG_STATUS_DISSOLVED) {
    return absl::FailedPreconditionError(
        absl::StrCat("org ", org.org_id(), " is dissolved"));
  }
  return absl::OkStatus();
}

absl::Status CheckMayMoveMember(db::Connection& conn,
                                const v1::Member& member) {
  const rpc::Caller* caller = rpc::CurrentCaller();
  if (caller == nullptr || caller->scope_path.empty()) return absl::OkStatus();
  absl::StatusOr<store::OrgRow> from = store::GetOrg(conn, member.org_id());
  if (!from.ok()) return from.status();
  return domain::CheckMayMoveMemberFrom(caller->scope_path, from->path);
}

void FillDerivedFields(v1::Member& member, absl::CivilDay today) {
  absl::StatusOr<ids::NationalIdInfo> info =
      ids::ParseNationalId(member.national_id(), today);
  if (!info.ok()) return;  // validated by the caller
  member.set_national_id(info->normalized);
  member.set_sex(info->sex == ids::Sex::kMale ? v1::SEX_MALE : v1::SEX_FEMALE);
  member.set_birth_date(dates::FormatDate(info->birth_date));
}

absl::StatusOr<std::optional<v1::Member>> Join(
    db::Connection& conn, const v1::Member& candidate, const store::OrgRow& org,
    const std::optional<v1::Member>& existing, absl::CivilDay join_date,
    const std::string& request_id, store::EventBatch& events,
    std::vector<v1::Member>& new_members) {
  absl::StatusOr<domain::JoinDecision> decision = domain::DecideJoin(
      existing.has_value() ? std::optional<v1::MemberStatus>(existing->status())
                           : std::nullopt);
  if (!decision.ok()) {
    absl::StatusOr<store::OrgRow> current =
        store::GetOrg(conn, existing->org_id());
    // A caller limited to a subtree learns only that the person is
    // registered elsewhere: not where, nor in which status.
    const rpc::Caller* caller = rpc::CurrentCaller();
    if (caller != nullptr && !caller->scope_path.empty() &&
        (!current.ok() || !rpc::WithinScope(*caller, current->path))) {
      return absl::AlreadyExistsError(
          "the person is already registered with a union outside your "
          "organisation scope");
    }
    if (decision.status().code() == absl::StatusCode::kAlreadyExists) {
      return absl::AlreadyExistsError(absl::StrCat(
          decision.status().message(), " of ",
          current.ok() ? current->org.name() : "an org", " (org ",
          existing->org_id(), ", member ", existing->member_id(), ")"));
    }
    return decision.status();
  }
  if (*decision == domain::JoinDecision::kReactivate) {
    // Rejoining elsewhere moves the member out of its last org: the
    // transfer rule applies, or a scoped registrar pulls in people of
    // another subtree.
    absl::Status may_move = CheckMayMoveMember(conn, *existing);
    if (!may_move.ok()) return may_move;
  }
  const std::string day = dates::FormatDate(join_date);
  v1::Member member = candidate;
  member.set_org_id(org.org.org_id());
  member.set_status(v1::MEMBER_STATUS_ACTIVE);
  member.set_retained_reason(v1::RETAINED_REASON_UNSPECIFIED);
  member.set_status_reason("");
  member.set_joined_on(day);
  member.set_status_since(day);
  if (*decision == domain::JoinDecision::kNew) {
    new_members.push_back(std::move(member));
    return std::nullopt;
  }
  member.set_member_id(existing->member_id());
  member.set_card_number(existing->card_number());
  absl::Status period =
      store::ChangePeriod(conn, member.member_id(), join_date, org.org.org_id(),
                          v1::MEMBER_STATUS_ACTIVE);
  if (!period.ok()) return period;
  store::SaveMember(conn, member);
  v1::HistoryEntry entry;
  entry.set_kind(v1::HISTORY_KIND_REJOINED);
  entry.set_effective_on(day);
  entry.set_from_org_id(existing->org_id());
  entry.set_to_org_id(org.org.org_id());
  entry.set_from_status(existing->status());
  entry.set_to_status(v1::MEMBER_STATUS_ACTIVE);
  entry.set_request_id(request_id);
  store::InsertHistory(conn, member.member_id(), entry);
  absl::StatusOr<v1::Member> saved = store::GetMember(conn, member.member_id());
  if (!saved.ok()) return saved.status();
  v1::Event event;
  event.set_type(v1::EVENT_TYPE_MEMBER_REJOINED);
  event.set_effective_on(day);
  *event.mutable_member() = *saved;
  event.set_previous_org_id(existing->org_id());
  event.set_previous_status(existing->status());
  events.Add(std::move(event));
  return *saved;
}

void InsertJoined(db::Connection& conn, std::vector<v1::Member>& new_members,
                  const std::string& request_id, store::EventBatch& events) {
  if (new_members.empty()) return;
  int64_t id =
      store::AllocateMemberIds(conn, static_cast<int>(new_members.size()));
  for (v1::Member& member : new_members) {
    member.set_member_id(id);
    member.set_card_number(store::CardNumberFor(id));
    ++id;
  }
  store::InsertNewMembers(conn, new_members, request_id);
  // Re-read so events carry the stored state, timestamps included.
  new_members = store::GetMembersInRange(conn, new_members.front().member_id(),
                                         new_members.back().member_id());
  for (const v1::Member& member : new_members) {
    v1::Event event;
    event.set_type(v1::EVENT_TYPE_MEMBER_JOINED);
    event.set_effective_on(member.joined_on());
    *event.mutable_member() = member;
    events.Add(std::move(event));
  }
}

}  // namespace internal
}  // namespace unionhub::membership
