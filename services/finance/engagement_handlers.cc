// Audit engagements (PLANNED -> FIELDWORK -> REPORTED -> CLOSED), their
// findings and rectification items: the only thing auditors write.
// The rules are in domain/engagement.h; this file validates, checks the
// scope of what an id names, and runs each change in one transaction.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/core/dates.h"
#include "common/core/field_checks.h"
#include "common/core/money.h"
#include "common/core/text.h"
#include "common/rpc/idempotent.h"
#include "common/rpc/page_token.h"
#include "common/rpc/violations.h"
#include "services/finance/domain/engagement.h"
#include "services/finance/finance_service.h"
#include "services/finance/store/engagement_store.h"
#include "services/finance/store/paths.h"

namespace unionhub::finance {
namespace {

using db::Connection;

constexpr size_t kMaxTitleChars = 256;
constexpr size_t kMaxCategoryChars = 64;
constexpr size_t kMaxOwnerChars = 128;
constexpr size_t kMaxLongTextChars = 1024;

constexpr text::TextRule kTitleRule{.min_chars = 1,
                                    .max_chars = kMaxTitleChars};
constexpr text::TextRule kCategoryRule{.min_chars = 1,
                                       .max_chars = kMaxCategoryChars};
constexpr text::TextRule kOwnerRule{.min_chars = 1,
                                    .max_chars = kMaxOwnerChars};
constexpr text::TextRule kLongTextRule{
    .min_chars = 1, .max_chars = kMaxLongTextChars, .allow_newlines = true};

// The scope check for an org found through an id (an engagement's, a
// finding's, an item's). Done before the transaction, outside any pooled
// connection, because the gate resolves paths on a connection of its own;
// an engagement never changes org, so the answer cannot go stale.
absl::Status CheckFoundOrg(
    db::Pool& pool, rpc::Gate& gate, const rpc::Caller& caller,
    const std::function<absl::StatusOr<int64_t>(Connection&)>& find_org) {
  absl::StatusOr<int64_t> org_id;
  absl::Status read = pool.Run([&](Connection& conn) {
    org_id = find_org(conn);
    return absl::OkStatus();
  });
  if (!read.ok()) return read;
  if (!org_id.ok()) return org_id.status();
  return gate.CheckOrg(caller, *org_id);
}

absl::StatusOr<v1::Engagement> LoadWithFindings(Connection& conn,
                                                int64_t engagement_id) {
  absl::StatusOr<v1::Engagement> e = store::GetEngagement(conn, engagement_id);
  if (!e.ok()) return e.status();
  store::LoadFindings(conn, *e);
  return e;
}

}  // namespace

absl::Status AuditServiceImpl::DoOpenEngagement(
    const rpc::Caller& caller, const v1::OpenEngagementRequest& req,
    v1::OpenEngagementResponse* resp) {
  Violations violations;
  rpc::CheckRequestId(req.request_id(), violations);
  fields::CheckId(req.org_id(), "org_id", violations);
  if (req.type() == v1::ENGAGEMENT_TYPE_UNSPECIFIED) {
    violations.Add("type", "required: ANNUAL, SPECIAL or LEAVING_OFFICE");
  } else if (!v1::EngagementType_IsValid(req.type())) {
    violations.Add("type", "unknown engagement type");
  }
  text::Check(req.title(), "title", kTitleRule, violations);
  const std::optional<absl::CivilMonth> from =
      fields::CheckMonth(req.period_from(), "period_from", violations);
  const std::optional<absl::CivilMonth> to =
      fields::CheckMonth(req.period_to(), "period_to", violations);
  if (from.has_value() && to.has_value() && *to < *from) {
    violations.Add("period_to", "must not be before period_from");
  }
  if (!violations.empty()) return violations.ToStatus();

  return rpc::RunIdempotent<v1::OpenEngagementResponse>(
      pool_, "OpenEngagement", req.request_id(), req, resp,
      [&](Connection& conn, v1::OpenEngagementResponse* out) -> absl::Status {
        absl::StatusOr<std::string> path = store::OrgPath(conn, req.org_id());
        if (!path.ok()) return path.status();
        v1::Engagement e;
        e.set_org_id(req.org_id());
        e.set_type(req.type());
        e.set_title(req.title());
        e.set_period_from(dates::FormatMonth(*from));
        e.set_period_to(dates::FormatMonth(*to));
        e.set_status(v1::ENGAGEMENT_STATUS_PLANNED);
        e.set_opened_by(caller.claims.subject);
        const int64_t id = store::InsertEngagement(conn, e, *path);
        absl::StatusOr<v1::Engagement> stored = LoadWithFindings(conn, id);
        if (!stored.ok()) return stored.status();
        *out->mutable_engagement() = std::move(*stored);
        return absl::OkStatus();
      });
}

absl::Status AuditServiceImpl::DoAdvanceEngagement(
    const rpc::Caller& caller, const v1::AdvanceEngagementRequest& req,
    v1::AdvanceEngagementResponse* resp) {
  Violations violations;
  rpc::CheckRequestId(req.request_id(), violations);
  fields::CheckId(req.engagement_id(), "engagement_id", violations);
  if (req.status() == v1::ENGAGEMENT_STATUS_UNSPECIFIED) {
    violations.Add("status", "required: FIELDWORK or REPORTED");
  } else if (!v1::EngagementStatus_IsValid(req.status())) {
    violations.Add("status", "unknown engagement status");
  }
  if (!violations.empty()) return violations.ToStatus();
  absl::Status scope =
      CheckFoundOrg(pool_, gate_, caller, [&](Connection& conn) {
        return store::OrgOfEngagement(conn, req.engagement_id());
      });
  if (!scope.ok()) return scope;

  return rpc::RunIdempotent<v1::AdvanceEngagementResponse>(
      pool_, "AdvanceEngagement", req.request_id(), req, resp,
      [&](Connection& conn,
          v1::AdvanceEngagementResponse* out) -> absl::Status {
        absl::StatusOr<v1::Engagement> e =
            store::GetEngagement(conn, req.engagement_id(), true);
        if (!e.ok()) return e.status();
        absl::Status allowed = domain::CheckAdvance(e->status(), req.status());
        if (!allowed.ok()) return allowed;
        store::SetEngagementStatus(conn, req.engagement_id(), req.status());
        absl::StatusOr<v1::Engagement> stored =
            LoadWithFindings(conn, req.engagement_id());
        if (!stored.ok()) return stored.status();
        *out->mutable_engagement() = std::move(*stored);
        return absl::OkStatus();
      });
}

absl::Status AuditServiceImpl::DoGetEngagement(
    const rpc::Caller& caller, const v1::GetEngagementRequest& req,
    v1::GetEngagementResponse* resp) {
  Violations violations;
  fields::CheckId(req.engagement_id(), "engagement_id", violations);
  if (!violations.empty()) return violations.ToStatus();
  absl::Status scope =
      CheckFoundOrg(pool_, gate_, caller, [&](Connection& conn) {
        return store::OrgOfEngagement(conn, req.engagement_id());
      });
  if (!scope.ok()) return scope;
  // One snapshot: findings and items as of the same moment.
  return pool_.InTransaction([&](Connection& conn) -> absl::Status {
    absl::StatusOr<v1::Engagement> e =
        LoadWithFindings(conn, req.engagement_id());
    if (!e.ok()) return e.status();
    *resp->mutable_engagement() = std::move(*e);
    return absl::OkStatus();
  });
}

// Without findings (GetEngagement has them), in id order.
absl::Status AuditServiceImpl::DoListEngagements(
    const rpc::Caller&, const v1::ListEngagementsRequest& req,
    v1::ListEngagementsResponse* resp) {
  Violations violations;
  fields::CheckOptionalId(req.org_id(), "org_id", violations);
  if (!v1::EngagementStatus_IsValid(req.status())) {
    violations.Add("status", "unknown engagement status");
  }
  const rpc::Page page = rpc::ReadPage(req, violations);
  if (!violations.empty()) return violations.ToStatus();

  return pool_.Run([&](Connection& conn) -> absl::Status {
    resp->Clear();
    absl::StatusOr<std::string> pattern =
        store::SubtreePatternOf(conn, req.org_id());
    if (!pattern.ok()) return pattern.status();
    std::vector<v1::Engagement> list = store::ListEngagements(
        conn, *pattern, req.status(), page.after, page.fetch());
    const bool more = page.Trim(list);
    for (v1::Engagement& e : list) *resp->add_engagements() = std::move(e);
    if (more) {
      resp->set_next_page_token(page.NextToken(
          resp->engagements(resp->engagements_size() - 1).engagement_id()));
    }
    return absl::OkStatus();
  });
}

absl::Status AuditServiceImpl::DoAddFinding(const rpc::Caller& caller,
                                            const v1::AddFindingRequest& req,
                                            v1::AddFindingResponse* resp) {
  Violations violations;
  rpc::CheckRequestId(req.request_id(), violations);
  fields::CheckId(req.engagement_id(), "engagement_id", violations);
  if (req.severity() == v1::FINDING_SEVERITY_UNSPECIFIED) {
    violations.Add("severity", "required: LOW, MEDIUM, HIGH or CRITICAL");
  } else if (!v1::FindingSeverity_IsValid(req.severity())) {
    violations.Add("severity", "unknown severity");
  }
  text::Check(req.category(), "category", kCategoryRule, violations);
  money::CheckAmount(req.amount_fen(), 0, money::kMaxAmountFen, "amount_fen",
                     violations);
  text::Check(req.description(), "description", kLongTextRule, violations);
  if (!violations.empty()) return violations.ToStatus();
  absl::Status scope =
      CheckFoundOrg(pool_, gate_, caller, [&](Connection& conn) {
        return store::OrgOfEngagement(conn, req.engagement_id());
      });
  if (!scope.ok()) return scope;

  return rpc::RunIdempotent<v1::AddFindingResponse>(
      pool_, "AddFinding", req.request_id(), req, resp,
      [&](Connection& conn, v1::AddFindingResponse* out) -> absl::Status {
        absl::StatusOr<v1::Engagement> e =
            store::GetEngagement(conn, req.engagement_id(), true);
        if (!e.ok()) return e.status();
        absl::Status allowed = domain::CheckCanAddFinding(e->status());
        if (!allowed.ok()) return allowed;
        v1::Finding f;
        f.set_engagement_id(req.engagement_id());
        f.set_severity(req.severity());
        f.set_category(req.category());
        f.set_amount_fen(req.amount_fen());
        f.set_description(req.description());
        absl::StatusOr<v1::Finding> stored =
            store::GetFinding(conn, store::InsertFinding(conn, f));
        if (!stored.ok()) return stored.status();
        *out->mutable_finding() = std::move(*stored);
        return absl::OkStatus();
      });
}

absl::Status AuditServiceImpl::DoAddRectification(
    const rpc::Caller& caller, const v1::AddRectificationRequest& req,
    v1::AddRectificationResponse* resp) {
  Violations violations;
  rpc::CheckRequestId(req.request_id(), violations);
  fields::CheckId(req.finding_id(), "finding_id", violations);
  text::Check(req.owner(), "owner", kOwnerRule, violations);
  text::Check(req.action(), "action", kLongTextRule, violations);
  fields::CheckDate(req.deadline(), "deadline", violations);
  if (!violations.empty()) return violations.ToStatus();
  absl::Status scope =
      CheckFoundOrg(pool_, gate_, caller, [&](Connection& conn) {
        return store::OrgOfFinding(conn, req.finding_id());
      });
  if (!scope.ok()) return scope;

  return rpc::RunIdempotent<v1::AddRectificationResponse>(
      pool_, "AddRectification", req.request_id(), req, resp,
      [&](Connection& conn, v1::AddRectificationResponse* out) -> absl::Status {
        absl::StatusOr<v1::Finding> finding =
            store::GetFinding(conn, req.finding_id());
        if (!finding.ok()) return finding.status();
        absl::StatusOr<v1::Engagement> e =
            store::GetEngagement(conn, finding->engagement_id(), true);
        if (!e.ok()) return e.status();
        absl::Status allowed = domain::CheckCanAddRectification(e->status());
        if (!allowed.ok()) return allowed;
        v1::Rectification r;
        r.set_finding_id(req.finding_id());
        r.set_owner(req.owner());
        r.set_action(req.action());
        r.set_deadline(req.deadline());
        r.set_status(v1::RECTIFICATION_STATUS_OPEN);
        const int64_t id =
            store::InsertRectification(conn, r, finding->engagement_id());
        absl::StatusOr<store::RectificationRow> stored =
            store::GetRectification(conn, id);
        if (!stored.ok()) return stored.status();
        *out->mutable_rectification() = std::move(stored->rectification);
        return absl::OkStatus();
      });
}

// Evidence given replaces what the item held; a step without evidence
// (starting work, sending it back) keeps the previous evidence.
absl::Status AuditServiceImpl::DoUpdateRectification(
    const rpc::Caller& caller, const v1::UpdateRectificationRequest& req,
    v1::UpdateRectificationResponse* resp) {
  Violations violations;
  rpc::CheckRequestId(req.request_id(), violations);
  fields::CheckId(req.rectification_id(), "rectification_id", violations);
  if (req.status() == v1::RECTIFICATION_STATUS_UNSPECIFIED) {
    violations.Add("status", "required: the item's next status");
  } else if (!v1::RectificationStatus_IsValid(req.status())) {
    violations.Add("status", "unknown rectification status");
  }
  std::optional<std::string> evidence_problem = domain::TextProblem(
      req.evidence(), domain::EvidenceRequired(req.status()), kMaxLongTextChars,
      true);
  if (evidence_problem == "is required") {
    evidence_problem = absl::StrCat(
        "required when the item becomes ", domain::ShortName(req.status()),
        ": what was handed in, checked or why it is accepted");
  }
  if (evidence_problem.has_value()) {
    violations.Add("evidence", *evidence_problem);
  }
  if (!violations.empty()) return violations.ToStatus();
  absl::Status scope =
      CheckFoundOrg(pool_, gate_, caller, [&](Connection& conn) {
        return store::OrgOfRectification(conn, req.rectification_id());
      });
  if (!scope.ok()) return scope;

  return rpc::RunIdempotent<v1::UpdateRectificationResponse>(
      pool_, "UpdateRectification", req.request_id(), req, resp,
      [&](Connection& conn,
          v1::UpdateRectificationResponse* out) -> absl::Status {
        absl::StatusOr<store::RectificationRow> current =
            store::GetRectification(conn, req.rectification_id());
        if (!current.ok()) return current.status();
        // The engagement first, as every writer does (see the store).
        absl::StatusOr<v1::Engagement> e =
            store::GetEngagement(conn, current->engagement_id, true);
        if (!e.ok()) return e.status();
        current = store::GetRectification(conn, req.rectification_id(), true);
        if (!current.ok()) return current.status();
        const v1::Rectification& r = current->rectification;
        absl::Status allowed =
            domain::CheckRectificationTransition(r.status(), req.status());
        if (!allowed.ok()) return allowed;
        store::UpdateRectificationStatus(
            conn, req.rectification_id(), req.status(),
            req.evidence().empty() ? r.evidence() : req.evidence());
        absl::StatusOr<store::RectificationRow> stored =
            store::GetRectification(conn, req.rectification_id());
        if (!stored.ok()) return stored.status();
        *out->mutable_rectification() = std::move(stored->rectification);
        return absl::OkStatus();
      });
}

absl::Status AuditServiceImpl::DoListOverdueRectifications(
    const rpc::Caller&, const v1::ListOverdueRectificationsRequest& req,
    v1::ListOverdueRectificationsResponse* resp) {
  Violations violations;
  fields::CheckOptionalId(req.org_id(), "org_id", violations);
  absl::CivilDay as_of = clock_.Today();
  if (std::optional<absl::CivilDay> day = fields::CheckDate(
          req.as_of(), "as_of", violations, fields::Presence::kOptional)) {
    as_of = *day;
  }
  const rpc::Page page = rpc::ReadPage(req, violations);
  if (!violations.empty()) return violations.ToStatus();

  return pool_.Run([&](Connection& conn) -> absl::Status {
    resp->Clear();
    absl::StatusOr<std::string> pattern =
        store::SubtreePatternOf(conn, req.org_id());
    if (!pattern.ok()) return pattern.status();
    std::vector<v1::OverdueRectification> items = store::OverdueRectifications(
        conn, *pattern, dates::FormatDate(as_of), page.after, page.fetch());
    const bool more = page.Trim(items);
    for (v1::OverdueRectification& item : items) {
      absl::StatusOr<absl::CivilDay> deadline =
          dates::ParseDate(item.rectification().deadline());
      if (deadline.ok()) {
        item.set_days_overdue(
            static_cast<int32_t>(domain::DaysOverdue(*deadline, as_of)));
      }
      *resp->add_items() = std::move(item);
    }
    if (more) {
      resp->set_next_page_token(
          page.NextToken(resp->items(resp->items_size() - 1)
                             .rectification()
                             .rectification_id()));
    }
    return absl::OkStatus();
  });
}

absl::Status AuditServiceImpl::DoCloseEngagement(
    const rpc::Caller& caller, const v1::CloseEngagementRequest& req,
    v1::CloseEngagementResponse* resp) {
  Violations violations;
  rpc::CheckRequestId(req.request_id(), violations);
  fields::CheckId(req.engagement_id(), "engagement_id", violations);
  if (!violations.empty()) return violations.ToStatus();
  absl::Status scope =
      CheckFoundOrg(pool_, gate_, caller, [&](Connection& conn) {
        return store::OrgOfEngagement(conn, req.engagement_id());
      });
  if (!scope.ok()) return scope;

  return rpc::RunIdempotent<v1::CloseEngagementResponse>(
      pool_, "CloseEngagement", req.request_id(), req, resp,
      [&](Connection& conn, v1::CloseEngagementResponse* out) -> absl::Status {
        absl::StatusOr<v1::Engagement> e =
            store::GetEngagement(conn, req.engagement_id(), true);
        if (!e.ok()) return e.status();
        absl::Status allowed = domain::CheckClose(
            e->status(),
            store::RectificationStatuses(conn, e->engagement_id()));
        if (!allowed.ok()) return allowed;
        store::SetEngagementStatus(conn, req.engagement_id(),
                                   v1::ENGAGEMENT_STATUS_CLOSED);
        absl::StatusOr<v1::Engagement> stored =
            LoadWithFindings(conn, req.engagement_id());
        if (!stored.ok()) return stored.status();
        *out->mutable_engagement() = std::move(*stored);
        return absl::OkStatus();
      });
}

}  // namespace unionhub::finance
