// Members: joining, reading, updating, transfers and status changes.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/core/dates.h"
#include "common/core/field_checks.h"
#include "common/core/ids.h"
#include "common/rpc/idempotent.h"
#include "common/rpc/page_token.h"
#include "common/rpc/violations.h"
#include "services/membership/domain/member_rules.h"
#include "services/membership/domain/org_rules.h"
#include "services/membership/membership_service.h"

namespace unionhub::membership {
namespace {

using db::Connection;

void AddMemberEvent(store::EventBatch& events, v1::EventType type,
                    const v1::Member& member, absl::CivilDay effective_on,
                    const v1::Member* before = nullptr) {
  v1::Event event;
  event.set_type(type);
  event.set_effective_on(dates::FormatDate(effective_on));
  *event.mutable_member() = member;
  if (before != nullptr) {
    event.set_previous_org_id(before->org_id());
    event.set_previous_status(before->status());
  }
  events.Add(std::move(event));
}

v1::HistoryEntry History(v1::HistoryKind kind, absl::CivilDay effective_on,
                         const v1::Member& before, const v1::Member& after,
                         const std::string& reason,
                         const std::string& request_id) {
  v1::HistoryEntry entry;
  entry.set_kind(kind);
  entry.set_effective_on(dates::FormatDate(effective_on));
  entry.set_from_org_id(before.org_id());
  entry.set_to_org_id(after.org_id());
  entry.set_from_status(before.status());
  entry.set_to_status(after.status());
  entry.set_reason(reason);
  entry.set_request_id(request_id);
  return entry;
}

// A transfer or status change after its own checks: the member's new
// period, row, history entry and event, in the caller's transaction.
// Returns the stored member.
absl::StatusOr<v1::Member> ApplyMemberChange(
    Connection& conn, const v1::Member& before, const v1::Member& after,
    absl::CivilDay effective, v1::HistoryKind kind, v1::EventType event_type,
    const std::string& reason, const std::string& request_id) {
  absl::Status period = store::ChangePeriod(conn, after.member_id(), effective,
                                            after.org_id(), after.status());
  if (!period.ok()) return period;
  store::SaveMember(conn, after);
  store::InsertHistory(
      conn, after.member_id(),
      History(kind, effective, before, after, reason, request_id));
  absl::StatusOr<v1::Member> saved = store::GetMember(conn, after.member_id());
  if (!saved.ok()) return saved.status();
  store::EventBatch events;
  AddMemberEvent(events, event_type, *saved, effective, &before);
  events.Flush(conn, request_id);
  return saved;
}

void CheckReason(const std::string& reason, Violations& violations) {
  domain::CheckText(reason, "reason", 0, 200, violations);
}

}  // namespace

absl::Status MembershipServiceImpl::DoJoinMember(
    const v1::JoinMemberRequest& req, v1::JoinMemberResponse* resp) {
  Violations violations;
  rpc::CheckRequestId(req.request_id(), violations);
  const absl::CivilDay join_date =
      DateOrToday(req.joined_on(), "joined_on", violations);
  violations.Merge("member", domain::ValidateNewMember(req.member(), join_date,
                                                       clock_.Today()));
  if (!violations.empty()) return violations.ToStatus();
  v1::Member candidate = req.member();
  internal::FillDerivedFields(candidate, clock_.Today());

  absl::Status status = rpc::RunIdempotent<v1::JoinMemberResponse>(
      pool_, "JoinMember", req.request_id(), req, resp,
      [&](Connection& conn, v1::JoinMemberResponse* out) -> absl::Status {
        absl::StatusOr<store::OrgRow> org =
            store::GetOrg(conn, candidate.org_id(), /*for_update=*/true);
        if (!org.ok()) return org.status();
        absl::Status holds = internal::CheckCanHoldMembers(org->org);
        if (!holds.ok()) return holds;
        absl::StatusOr<v1::Member> found = store::FindMemberByNationalId(
            conn, candidate.national_id(), /*for_update=*/true);
        if (!found.ok() &&
            found.status().code() != absl::StatusCode::kNotFound) {
          return found.status();
        }
        std::optional<v1::Member> existing;
        if (found.ok()) existing = *found;
        store::EventBatch events;
        std::vector<v1::Member> new_members;
        absl::StatusOr<std::optional<v1::Member>> joined =
            internal::Join(conn, candidate, *org, existing, join_date,
                           req.request_id(), events, new_members);
        if (!joined.ok()) return joined.status();
        internal::InsertJoined(conn, new_members, req.request_id(), events);
        const int64_t member_id = joined->has_value()
                                      ? (*joined)->member_id()
                                      : new_members.front().member_id();
        absl::StatusOr<v1::Member> saved = store::GetMember(conn, member_id);
        if (!saved.ok()) return saved.status();
        *out->mutable_member() = *saved;
        out->set_reactivated(joined->has_value());
        events.Flush(conn, req.request_id());
        return absl::OkStatus();
      });
  if (status.ok()) notifier_.Notify();
  return status;
}

absl::Status MembershipServiceImpl::DoGetMember(const v1::GetMemberRequest& req,
                                                v1::GetMemberResponse* resp) {
  Violations violations;
  fields::CheckMemberId(req.member_id(), violations);
  if (!violations.empty()) return violations.ToStatus();
  return pool_.Run([&](Connection& conn) -> absl::Status {
    absl::StatusOr<v1::Member> member = store::GetMember(conn, req.member_id());
    if (!member.ok()) return member.status();
    *resp->mutable_member() = *std::move(member);
    return absl::OkStatus();
  });
}

absl::Status MembershipServiceImpl::DoLookupMember(
    const rpc::Caller& caller, const v1::LookupMemberRequest& req,
    v1::LookupMemberResponse* resp) {
  Violations violations;
  std::string national_id;
  switch (req.key_case()) {
    case v1::LookupMemberRequest::kNationalId: {
      absl::StatusOr<ids::NationalIdInfo> info =
          ids::ParseNationalId(req.national_id(), clock_.Today());
      if (!info.ok()) {
        violations.Add("national_id", info.status().message(),
                       reasons::kBadNationalId);
      } else {
        national_id = info->normalized;
      }
      break;
    }
    case v1::LookupMemberRequest::kCardNumber:
      if (req.card_number().empty() || req.card_number().size() > 16) {
        violations.Add("card_number", "must be 1 to 16 characters",
                       reasons::kBadCardNumber);
      }
      break;
    default:
      violations.Add("key", "give national_id or card_number");
  }
  if (!violations.empty()) return violations.ToStatus();
  absl::Status found = pool_.Run([&](Connection& conn) -> absl::Status {
    absl::StatusOr<v1::Member> member =
        national_id.empty() ? store::FindMemberByCard(conn, req.card_number())
                            : store::FindMemberByNationalId(conn, national_id);
    if (!member.ok()) return member.status();
    *resp->mutable_member() = *std::move(member);
    return absl::OkStatus();
  });
  // The key names no org, so scope is checked on what was found; to a
  // scoped caller nobody and somebody elsewhere look the same.
  const std::string target = national_id.empty()
                                 ? "the member with this card_number"
                                 : "the member with this national_id";
  if (!found.ok()) return rpc::HideAbsence(caller, found, target);
  absl::Status allowed =
      gate_.CheckOrgOf(caller, resp->member().org_id(), target);
  if (!allowed.ok()) resp->Clear();
  return allowed;
}

absl::Status MembershipServiceImpl::DoListMembers(
    const v1::ListMembersRequest& req, v1::ListMembersResponse* resp) {
  Violations violations;
  fields::CheckOptionalId(req.org_id(), "org_id", violations);
  if (req.direct_only() && req.org_id() == 0) {
    violations.Add("direct_only", "needs an org_id");
  }
  if (!v1::MemberStatus_IsValid(req.status())) {
    violations.Add("status", "unknown status");
  }
  if (!v1::ModelWorkerLevel_IsValid(req.min_model_worker_level())) {
    violations.Add("min_model_worker_level", "unknown level");
  }
  // A name prefix: the name rule without its minimum (empty = any name).
  domain::CheckText(req.name(), "name", 0, domain::kNameMaxChars, violations,
                    /*allow_digits=*/false);
  const rpc::Page page = rpc::ReadPage(req, violations);
  if (!violations.empty()) return violations.ToStatus();
  return pool_.Run([&](Connection& conn) -> absl::Status {
    store::MemberFilter filter;
    if (req.org_id() != 0) {
      absl::StatusOr<store::OrgRow> org = store::GetOrg(conn, req.org_id());
      if (!org.ok()) return org.status();
      if (req.direct_only()) {
        filter.org_id = req.org_id();
      } else {
        filter.subtree_path = org->path;
      }
    }
    filter.status = req.status();
    filter.front_line_only = req.front_line_only();
    filter.migrant_worker_only = req.migrant_worker_only();
    filter.enterprise_leader_only = req.enterprise_leader_only();
    filter.min_model_worker_level = req.min_model_worker_level();
    filter.name_prefix = req.name();
    std::vector<v1::Member> members =
        store::ListMembers(conn, filter, page.after, page.fetch());
    const bool more = page.Trim(members);
    for (v1::Member& m : members) *resp->add_members() = std::move(m);
    if (more) {
      resp->set_next_page_token(
          page.NextToken(resp->members(resp->members_size() - 1).member_id()));
    }
    return absl::OkStatus();
  });
}

absl::Status MembershipServiceImpl::DoUpdateMember(
    const v1::UpdateMemberRequest& req, v1::UpdateMemberResponse* resp) {
  Violations violations;
  rpc::CheckRequestId(req.request_id(), violations);
  fields::CheckMemberId(req.member().member_id(), violations,
                        "member.member_id");
  const std::vector<std::string> paths(req.update_mask().paths().begin(),
                                       req.update_mask().paths().end());
  violations.Merge("", domain::ValidateMemberUpdate(req.member(), paths));
  const absl::CivilDay effective =
      DateOrToday(req.effective_on(), "effective_on", violations);
  if (!violations.empty()) return violations.ToStatus();

  absl::Status status = rpc::RunIdempotent<v1::UpdateMemberResponse>(
      pool_, "UpdateMember", req.request_id(), req, resp,
      [&](Connection& conn, v1::UpdateMemberResponse* out) -> absl::Status {
        absl::StatusOr<v1::Member> before = store::GetMember(
            conn, req.member().member_id(), /*for_update=*/true);
        if (!before.ok()) return before.status();
        if (before->status() == v1::MEMBER_STATUS_DECEASED) {
          return absl::FailedPreconditionError(
              "the record of a deceased member is closed");
        }
        v1::Member after = *before;
        const std::vector<std::string> changed =
            domain::MemberUpdateMask().Apply(req.member(), paths, &after);
        if (!changed.empty()) {
          store::SaveMember(conn, after);
          v1::HistoryEntry entry =
              History(v1::HISTORY_KIND_UPDATED, effective, *before, after, "",
                      req.request_id());
          for (const std::string& name : changed)
            entry.add_changed_fields(name);
          store::InsertHistory(conn, after.member_id(), entry);
        }
        absl::StatusOr<v1::Member> saved =
            store::GetMember(conn, after.member_id());
        if (!saved.ok()) return saved.status();
        *out->mutable_member() = *saved;
        if (!changed.empty()) {
          // Finance keeps dated wage bases: a wage change is its own event.
          const bool wage = std::find(changed.begin(), changed.end(),
                                      "wage_base_fen") != changed.end();
          store::EventBatch events;
          AddMemberEvent(events,
                         wage ? v1::EVENT_TYPE_MEMBER_WAGE_CHANGED
                              : v1::EVENT_TYPE_MEMBER_UPDATED,
                         *saved, effective, &*before);
          events.Flush(conn, req.request_id());
        }
        return absl::OkStatus();
      });
  if (status.ok()) notifier_.Notify();
  return status;
}

absl::Status MembershipServiceImpl::DoTransferMember(
    const v1::TransferMemberRequest& req, v1::TransferMemberResponse* resp) {
  Violations violations;
  rpc::CheckRequestId(req.request_id(), violations);
  fields::CheckMemberId(req.member_id(), violations);
  fields::CheckId(req.to_org_id(), "to_org_id", violations);
  CheckReason(req.reason(), violations);
  const absl::CivilDay effective =
      DateOrToday(req.effective_on(), "effective_on", violations);
  if (!violations.empty()) return violations.ToStatus();

  absl::Status status = rpc::RunIdempotent<v1::TransferMemberResponse>(
      pool_, "TransferMember", req.request_id(), req, resp,
      [&](Connection& conn, v1::TransferMemberResponse* out) -> absl::Status {
        absl::StatusOr<v1::Member> before =
            store::GetMember(conn, req.member_id(), /*for_update=*/true);
        if (!before.ok()) return before.status();
        absl::Status movable = domain::CheckTransferable(before->status());
        if (!movable.ok()) return movable;
        // The gate checked the member's org before the transaction; checked
        // again under the row lock by the rule rejoins share.
        absl::Status may_move = internal::CheckMayMoveMember(conn, *before);
        if (!may_move.ok()) return may_move;
        absl::StatusOr<store::OrgRow> target =
            store::GetOrg(conn, req.to_org_id(), /*for_update=*/true);
        if (!target.ok()) return target.status();
        absl::Status holds = internal::CheckCanHoldMembers(target->org);
        if (!holds.ok()) return holds;
        if (target->org.org_id() == before->org_id()) {
          return absl::FailedPreconditionError(
              absl::StrCat("member is already in org ", before->org_id()));
        }
        v1::Member after = *before;
        after.set_org_id(req.to_org_id());  // join date and card stay
        absl::StatusOr<v1::Member> saved = ApplyMemberChange(
            conn, *before, after, effective, v1::HISTORY_KIND_TRANSFERRED,
            v1::EVENT_TYPE_MEMBER_TRANSFERRED, req.reason(), req.request_id());
        if (!saved.ok()) return saved.status();
        *out->mutable_member() = *saved;
        return absl::OkStatus();
      });
  if (status.ok()) notifier_.Notify();
  return status;
}

absl::Status MembershipServiceImpl::DoChangeMemberStatus(
    const v1::ChangeMemberStatusRequest& req,
    v1::ChangeMemberStatusResponse* resp) {
  Violations violations;
  rpc::CheckRequestId(req.request_id(), violations);
  fields::CheckMemberId(req.member_id(), violations);
  if (!v1::MemberStatus_IsValid(req.status()) ||
      req.status() == v1::MEMBER_STATUS_UNSPECIFIED) {
    violations.Add("status", "required: the new status", reasons::kRequired);
  }
  const bool retained = req.status() == v1::MEMBER_STATUS_RETAINED;
  if (!v1::RetainedReason_IsValid(req.retained_reason())) {
    violations.Add("retained_reason", "unknown reason");
  } else if (retained &&
             req.retained_reason() == v1::RETAINED_REASON_UNSPECIFIED) {
    violations.Add("retained_reason",
                   "required for RETAINED: retired, unemployed or laid off",
                   reasons::kRequired);
  } else if (!retained &&
             req.retained_reason() != v1::RETAINED_REASON_UNSPECIFIED) {
    violations.Add("retained_reason", "only for status RETAINED");
  }
  CheckReason(req.reason(), violations);
  const absl::CivilDay effective =
      DateOrToday(req.effective_on(), "effective_on", violations);
  if (!violations.empty()) return violations.ToStatus();

  absl::Status status = rpc::RunIdempotent<v1::ChangeMemberStatusResponse>(
      pool_, "ChangeMemberStatus", req.request_id(), req, resp,
      [&](Connection& conn,
          v1::ChangeMemberStatusResponse* out) -> absl::Status {
        absl::StatusOr<v1::Member> before =
            store::GetMember(conn, req.member_id(), /*for_update=*/true);
        if (!before.ok()) return before.status();
        absl::Status allowed =
            domain::CheckStatusTransition(before->status(), req.status());
        if (!allowed.ok()) return allowed;
        v1::Member after = *before;
        after.set_status(req.status());
        after.set_retained_reason(req.retained_reason());
        after.set_status_reason(req.reason());
        after.set_status_since(dates::FormatDate(effective));
        absl::StatusOr<v1::Member> saved = ApplyMemberChange(
            conn, *before, after, effective, v1::HISTORY_KIND_STATUS_CHANGED,
            v1::EVENT_TYPE_MEMBER_STATUS_CHANGED, req.reason(),
            req.request_id());
        if (!saved.ok()) return saved.status();
        *out->mutable_member() = *saved;
        return absl::OkStatus();
      });
  if (status.ok()) notifier_.Notify();
  return status;
}

absl::Status MembershipServiceImpl::DoGetMemberHistory(
    const v1::GetMemberHistoryRequest& req,
    v1::GetMemberHistoryResponse* resp) {
  Violations violations;
  fields::CheckMemberId(req.member_id(), violations);
  if (!violations.empty()) return violations.ToStatus();
  return pool_.Run([&](Connection& conn) -> absl::Status {
    absl::StatusOr<v1::Member> member = store::GetMember(conn, req.member_id());
    if (!member.ok()) return member.status();
    for (v1::HistoryEntry& entry : store::ListHistory(conn, req.member_id())) {
      *resp->add_entries() = std::move(entry);
    }
    return absl::OkStatus();
  });
}

}  // namespace unionhub::membership
