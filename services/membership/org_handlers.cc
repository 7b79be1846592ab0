// Organisations and employers.
#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/core/dates.h"
#include "common/core/field_checks.h"
#include "common/rpc/gate.h"
#include "common/rpc/idempotent.h"
#include "common/rpc/page_token.h"
#include "common/rpc/violations.h"
#include "services/membership/domain/org_rules.h"
#include "services/membership/membership_service.h"

namespace unionhub::membership {
namespace {

using db::Connection;

void AddOrgEvent(store::EventBatch& events, v1::EventType type,
                 const v1::Org& org, const std::string& effective_on) {
  v1::Event event;
  event.set_type(type);
  event.set_effective_on(effective_on);
  *event.mutable_org() = org;
  events.Add(std::move(event));
}

// Orgs and employers may be placed (as parents or areas) only under an org
// that still exists as a live organisation.
absl::StatusOr<store::OrgRow> LoadParent(Connection& conn, int64_t parent_id) {
  absl::StatusOr<store::OrgRow> parent =
      store::GetOrg(conn, parent_id, /*for_update=*/true);
  if (!parent.ok()) return parent.status();
  absl::Status usable = domain::CheckCanBeParent(parent->org.status());
  if (!usable.ok()) return usable;
  return parent;
}

// An employer's location: the area it was recorded in and, when it had
// one, its last union. A union is founded on an employer only from inside
// the caller's scope (adopting one moves its coverage). For a scoped caller
// an employer located outside is refused exactly as one that does not
// exist, with the gate's own scope check deciding (so "outside" follows
// whatever the gate decides for orgs).
absl::Status CheckEmployerInScope(db::Pool& pool, rpc::Gate& gate,
                                  int64_t employer_id, v1::Employer* checked) {
  const rpc::Caller* caller = rpc::CurrentCaller();
  absl::StatusOr<v1::Employer> employer;
  absl::Status read = pool.Run([&](Connection& conn) {
    employer = store::GetEmployer(conn, employer_id);
    return absl::OkStatus();
  });
  if (!read.ok()) return read;
  if (!employer.ok()) return employer.status();
  *checked = *employer;
  if (caller == nullptr || caller->scope_path.empty()) return absl::OkStatus();
  const absl::Status absent =
      absl::NotFoundError(absl::StrCat("employer ", employer_id, " not found"));
  if (employer->area_org_id() == 0 && employer->union_org_id() == 0) {
    return absent;  // located nowhere: not inside any subtree
  }
  for (int64_t org_id : {employer->area_org_id(), employer->union_org_id()}) {
    if (org_id == 0) continue;
    absl::Status in_scope = gate.CheckOrg(*caller, org_id);
    if (in_scope.code() == absl::StatusCode::kPermissionDenied ||
        in_scope.code() == absl::StatusCode::kNotFound) {
      return absent;
    }
    if (!in_scope.ok()) return in_scope;
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status MembershipServiceImpl::DoCreateOrg(const v1::CreateOrgRequest& req,
                                                v1::CreateOrgResponse* resp) {
  Violations violations;
  rpc::CheckRequestId(req.request_id(), violations);
  const bool adopt = req.existing_employer_id() != 0;
  violations.Merge("org", domain::ValidateOrgFields(req.org(), true, !adopt));
  fields::CheckOptionalId(req.org().parent_id(), "org.parent_id", violations);
  fields::CheckOptionalId(req.existing_employer_id(), "existing_employer_id",
                          violations);
  if (adopt && req.org().type() != v1::ORG_TYPE_GRASSROOTS_UNION) {
    violations.Add("existing_employer_id",
                   "only a grassroots union has an employer");
  }
  if (req.preparing() && !req.established_on().empty()) {
    violations.Add("established_on",
                   "a preparing union is not established yet");
  }
  const absl::CivilDay established =
      DateOrToday(req.established_on(), "established_on", violations);
  if (!violations.empty()) return violations.ToStatus();
  v1::Employer adoptable;
  if (adopt) {
    absl::Status in_scope = CheckEmployerInScope(
        pool_, gate_, req.existing_employer_id(), &adoptable);
    if (!in_scope.ok()) return in_scope;
  }

  absl::Status status = rpc::RunIdempotent<v1::CreateOrgResponse>(
      pool_, "CreateOrg", req.request_id(), req, resp,
      [&](Connection& conn, v1::CreateOrgResponse* out) -> absl::Status {
        store::NewOrg org;
        org.org = req.org();
        org.parent_path = "/";
        std::optional<v1::OrgType> parent_type;
        if (req.org().parent_id() != 0) {
          absl::StatusOr<store::OrgRow> parent =
              LoadParent(conn, req.org().parent_id());
          if (!parent.ok()) return parent.status();
          org.parent_id = parent->org.org_id();
          org.parent_path = parent->path;
          parent_type = parent->org.type();
        }
        absl::Status placement =
            domain::CheckParent(req.org().type(), parent_type);
        if (!placement.ok()) return placement;

        if (adopt) {
          absl::StatusOr<v1::Employer> employer = store::GetEmployer(
              conn, req.existing_employer_id(), /*for_update=*/true);
          if (!employer.ok()) return employer.status();
          if (employer->area_org_id() != adoptable.area_org_id() ||
              employer->union_org_id() != adoptable.union_org_id()) {
            // Moved since its scope was checked: check again on a retry.
            return absl::AbortedError(
                absl::StrCat("employer ", employer->employer_id(),
                             " changed while being adopted; try again"));
          }
          if (employer->union_org_id() != 0) {
            // A dissolved union leaves its employer in the organising gap.
            absl::StatusOr<store::OrgRow> current =
                store::GetOrg(conn, employer->union_org_id());
            if (!current.ok()) return current.status();
            if (current->org.status() != v1::ORG_STATUS_DISSOLVED) {
              return absl::FailedPreconditionError(absl::StrCat(
                  "employer ", employer->employer_id(),
                  " already has a union (org ", employer->union_org_id(), ")"));
            }
          }
          org.employer_id = employer->employer_id();
        } else if (domain::RequiresEmployer(req.org().type())) {
          v1::Employer employer = req.org().employer();
          if (store::CreditCodeExists(conn, employer.credit_code())) {
            return absl::AlreadyExistsError(
                "an employer with this credit code is already registered; "
                "adopt it with existing_employer_id");
          }
          employer.set_area_org_id(org.parent_id);
          org.employer_id =
              store::InsertEmployer(conn, employer, org.parent_path);
        }
        org.status = req.preparing() ? v1::ORG_STATUS_PREPARING
                                     : v1::ORG_STATUS_ESTABLISHED;
        if (!req.preparing())
          org.established_on = dates::FormatDate(established);
        const int64_t id = store::InsertOrg(conn, org);
        absl::StatusOr<store::OrgRow> created = store::GetOrg(conn, id);
        if (!created.ok()) return created.status();
        if (org.employer_id.has_value()) {
          store::LinkEmployerToUnion(conn, *org.employer_id, id, created->path);
          created = store::GetOrg(conn, id);
          if (!created.ok()) return created.status();
        }
        *out->mutable_org() = created->org;
        store::EventBatch events;
        AddOrgEvent(events, v1::EVENT_TYPE_ORG_CREATED, created->org,
                    created->org.established_on());
        events.Flush(conn, req.request_id());
        return absl::OkStatus();
      });
  if (status.ok()) notifier_.Notify();
  return status;
}

absl::Status MembershipServiceImpl::DoGetOrg(const v1::GetOrgRequest& req,
                                             v1::GetOrgResponse* resp) {
  Violations violations;
  fields::CheckOrgId(req.org_id(), violations);
  if (!violations.empty()) return violations.ToStatus();
  return pool_.Run([&](Connection& conn) -> absl::Status {
    absl::StatusOr<store::OrgRow> org = store::GetOrg(conn, req.org_id());
    if (!org.ok()) return org.status();
    *resp->mutable_org() = org->org;
    return absl::OkStatus();
  });
}

absl::Status MembershipServiceImpl::DoUpdateOrg(const v1::UpdateOrgRequest& req,
                                                v1::UpdateOrgResponse* resp) {
  Violations violations;
  rpc::CheckRequestId(req.request_id(), violations);
  fields::CheckId(req.org().org_id(), "org.org_id", violations);
  const std::vector<std::string> paths =
      domain::OrgUpdateMask().Check(req.update_mask(), violations);
  if (!violations.empty()) return violations.ToStatus();

  absl::Status status = rpc::RunIdempotent<v1::UpdateOrgResponse>(
      pool_, "UpdateOrg", req.request_id(), req, resp,
      [&](Connection& conn, v1::UpdateOrgResponse* out) -> absl::Status {
        absl::StatusOr<store::OrgRow> current =
            store::GetOrg(conn, req.org().org_id(), /*for_update=*/true);
        if (!current.ok()) return current.status();
        v1::Org merged = current->org;
        const v1::Org& in = req.org();
        const bool employer_changed =
            std::any_of(paths.begin(), paths.end(), [](const std::string& p) {
              return absl::StartsWith(p, "employer.");
            });
        if (employer_changed && !merged.has_employer()) {
          Violations v;
          v.Add("update_mask", "this org has no employer record");
          return v.ToStatus();
        }
        // The move itself is MoveOrg's, below: parent_id is not an
        // attribute UpdateOrgAttributes writes.
        const bool moved =
            std::find(paths.begin(), paths.end(), "parent_id") != paths.end() &&
            in.parent_id() != merged.parent_id();
        domain::OrgUpdateMask().Apply(in, paths, &merged);
        Violations v;
        v.Merge("org", domain::ValidateOrgFields(merged, /*creating=*/false));
        if (merged.has_employer()) {
          v.Merge("org.employer",
                  domain::ValidateEmployerFields(merged.employer(), false));
        }
        if (!v.empty()) return v.ToStatus();

        store::UpdateOrgAttributes(conn, merged);
        if (employer_changed) store::UpdateEmployer(conn, merged.employer());
        if (moved) {
          if (in.parent_id() == 0) {
            if (rpc::CurrentCallerIsScoped()) {
              return absl::PermissionDeniedError(
                  "making an org a root acts on the whole tree; your token is "
                  "limited to a subtree");
            }
            absl::Status root =
                domain::CheckParent(merged.type(), std::nullopt);
            if (!root.ok()) return root;
            store::MoveOrg(conn, *current, 0, "/");
          } else {
            absl::StatusOr<store::OrgRow> parent =
                LoadParent(conn, in.parent_id());
            if (!parent.ok()) return parent.status();
            if (absl::StartsWith(parent->path, current->path)) {
              return absl::FailedPreconditionError(
                  "an org cannot move under itself or its own descendants");
            }
            absl::Status placement =
                domain::CheckParent(merged.type(), parent->org.type());
            if (!placement.ok()) return placement;
            store::MoveOrg(conn, *current, parent->org.org_id(), parent->path);
          }
        }
        absl::StatusOr<store::OrgRow> updated =
            store::GetOrg(conn, req.org().org_id());
        if (!updated.ok()) return updated.status();
        *out->mutable_org() = updated->org;
        store::EventBatch events;
        AddOrgEvent(
            events,
            moved ? v1::EVENT_TYPE_ORG_MOVED : v1::EVENT_TYPE_ORG_UPDATED,
            updated->org, dates::FormatDate(clock_.Today()));
        events.Flush(conn, req.request_id());
        return absl::OkStatus();
      });
  if (status.ok()) notifier_.Notify();
  return status;
}

absl::Status MembershipServiceImpl::DoListOrgs(const v1::ListOrgsRequest& req,
                                               v1::ListOrgsResponse* resp) {
  Violations violations;
  fields::CheckOptionalId(req.parent_id(), "parent_id", violations);
  if (!v1::OrgType_IsValid(req.type())) violations.Add("type", "unknown type");
  if (!v1::OrgStatus_IsValid(req.status())) {
    violations.Add("status", "unknown status");
  }
  const rpc::Page page = rpc::ReadPage(req, violations);
  if (!violations.empty()) return violations.ToStatus();
  return pool_.Run([&](Connection& conn) -> absl::Status {
    store::OrgFilter filter;
    filter.parent_id = req.parent_id();
    filter.type = req.type();
    filter.status = req.status();
    if (req.parent_id() != 0) {
      absl::StatusOr<store::OrgRow> parent =
          store::GetOrg(conn, req.parent_id());
      if (!parent.ok()) return parent.status();
      if (req.recursive()) filter.subtree_path = parent->path;
    } else if (req.recursive()) {
      filter.subtree_path = "/";
    }
    std::vector<v1::Org> orgs =
        store::ListOrgs(conn, filter, page.after, page.fetch());
    const bool more = page.Trim(orgs);
    for (v1::Org& org : orgs) *resp->add_orgs() = std::move(org);
    if (more) {
      resp->set_next_page_token(
          page.NextToken(resp->orgs(resp->orgs_size() - 1).org_id()));
    }
    return absl::OkStatus();
  });
}

absl::Status MembershipServiceImpl::DoEstablishOrg(
    const v1::EstablishOrgRequest& req, v1::EstablishOrgResponse* resp) {
  Violations violations;
  rpc::CheckRequestId(req.request_id(), violations);
  fields::CheckId(req.org_id(), "org_id", violations);
  const absl::CivilDay day =
      DateOrToday(req.established_on(), "established_on", violations);
  if (!violations.empty()) return violations.ToStatus();
  absl::Status status = rpc::RunIdempotent<v1::EstablishOrgResponse>(
      pool_, "EstablishOrg", req.request_id(), req, resp,
      [&](Connection& conn, v1::EstablishOrgResponse* out) -> absl::Status {
        absl::StatusOr<store::OrgRow> org =
            store::GetOrg(conn, req.org_id(), /*for_update=*/true);
        if (!org.ok()) return org.status();
        absl::Status allowed = domain::CheckCanEstablish(org->org.status());
        if (!allowed.ok()) return allowed;
        store::SetOrgEstablished(conn, req.org_id(), dates::FormatDate(day));
        absl::StatusOr<store::OrgRow> updated =
            store::GetOrg(conn, req.org_id());
        if (!updated.ok()) return updated.status();
        *out->mutable_org() = updated->org;
        store::EventBatch events;
        AddOrgEvent(events, v1::EVENT_TYPE_ORG_ESTABLISHED, updated->org,
                    dates::FormatDate(day));
        events.Flush(conn, req.request_id());
        return absl::OkStatus();
      });
  if (status.ok()) notifier_.Notify();
  return status;
}

absl::Status MembershipServiceImpl::DoDissolveOrg(
    const v1::DissolveOrgRequest& req, v1::DissolveOrgResponse* resp) {
  Violations violations;
  rpc::CheckRequestId(req.request_id(), violations);
  fields::CheckId(req.org_id(), "org_id", violations);
  domain::CheckText(req.reason(), "reason", 0, 200, violations);
  const absl::CivilDay day =
      DateOrToday(req.dissolved_on(), "dissolved_on", violations);
  if (!violations.empty()) return violations.ToStatus();
  absl::Status status = rpc::RunIdempotent<v1::DissolveOrgResponse>(
      pool_, "DissolveOrg", req.request_id(), req, resp,
      [&](Connection& conn, v1::DissolveOrgResponse* out) -> absl::Status {
        absl::StatusOr<store::OrgRow> org =
            store::GetOrg(conn, req.org_id(), /*for_update=*/true);
        if (!org.ok()) return org.status();
        absl::Status allowed = domain::CheckCanDissolve(org->org.status());
        if (!allowed.ok()) return allowed;
        if (int64_t n = store::CountLiveChildren(conn, req.org_id()); n > 0) {
          return absl::FailedPreconditionError(
              absl::StrCat("org ", req.org_id(), " still has ", n,
                           " organisations under it that are not dissolved"));
        }
        if (int64_t n = store::CountLiveMembers(conn, req.org_id()); n > 0) {
          return absl::FailedPreconditionError(
              absl::StrCat("org ", req.org_id(), " still holds ", n,
                           " ACTIVE or RETAINED members; transfer them first"));
        }
        store::SetOrgDissolved(conn, req.org_id(), dates::FormatDate(day),
                               req.reason());
        absl::StatusOr<store::OrgRow> updated =
            store::GetOrg(conn, req.org_id());
        if (!updated.ok()) return updated.status();
        *out->mutable_org() = updated->org;
        store::EventBatch events;
        AddOrgEvent(events, v1::EVENT_TYPE_ORG_DISSOLVED, updated->org,
                    dates::FormatDate(day));
        events.Flush(conn, req.request_id());
        return absl::OkStatus();
      });
  if (status.ok()) notifier_.Notify();
  return status;
}

absl::Status MembershipServiceImpl::DoCreateEmployer(
    const v1::CreateEmployerRequest& req, v1::CreateEmployerResponse* resp) {
  Violations violations;
  rpc::CheckRequestId(req.request_id(), violations);
  violations.Merge("employer",
                   domain::ValidateEmployerFields(req.employer(), true));
  if (!violations.empty()) return violations.ToStatus();
  absl::Status status = rpc::RunIdempotent<v1::CreateEmployerResponse>(
      pool_, "CreateEmployer", req.request_id(), req, resp,
      [&](Connection& conn, v1::CreateEmployerResponse* out) -> absl::Status {
        absl::StatusOr<store::OrgRow> area =
            LoadParent(conn, req.employer().area_org_id());
        if (!area.ok()) return area.status();
        const v1::OrgType type = area->org.type();
        if (type == v1::ORG_TYPE_GRASSROOTS_UNION ||
            type == v1::ORG_TYPE_BRANCH_UNION ||
            type == v1::ORG_TYPE_UNION_GROUP) {
          return absl::FailedPreconditionError(
              "an employer without a union is located in a federation or a "
              "township, not inside another employer's union");
        }
        if (store::CreditCodeExists(conn, req.employer().credit_code())) {
          return absl::AlreadyExistsError(
              "an employer with this credit code is already registered");
        }
        v1::Employer employer = req.employer();
        employer.set_union_org_id(0);
        const int64_t id = store::InsertEmployer(conn, employer, area->path);
        absl::StatusOr<v1::Employer> created = store::GetEmployer(conn, id);
        if (!created.ok()) return created.status();
        *out->mutable_employer() = *created;
        store::EventBatch events;
        v1::Event event;
        event.set_type(v1::EVENT_TYPE_EMPLOYER_CREATED);
        event.set_effective_on(dates::FormatDate(clock_.Today()));
        *event.mutable_employer() = *created;
        events.Add(std::move(event));
        events.Flush(conn, req.request_id());
        return absl::OkStatus();
      });
  if (status.ok()) notifier_.Notify();
  return status;
}

absl::Status MembershipServiceImpl::DoListEmployers(
    const v1::ListEmployersRequest& req, v1::ListEmployersResponse* resp) {
  Violations violations;
  fields::CheckOptionalId(req.org_id(), "org_id", violations);
  const rpc::Page page = rpc::ReadPage(req, violations);
  if (!violations.empty()) return violations.ToStatus();
  return pool_.Run([&](Connection& conn) -> absl::Status {
    std::string path;
    if (req.org_id() != 0) {
      absl::StatusOr<store::OrgRow> org = store::GetOrg(conn, req.org_id());
      if (!org.ok()) return org.status();
      path = org->path;
    }
    std::vector<v1::Employer> employers = store::ListEmployers(
        conn, path, req.without_union_only(), page.after, page.fetch());
    const bool more = page.Trim(employers);
    for (v1::Employer& e : employers) *resp->add_employers() = std::move(e);
    if (more) {
      resp->set_next_page_token(page.NextToken(
          resp->employers(resp->employers_size() - 1).employer_id()));
    }
    return absl::OkStatus();
  });
}

}  // namespace unionhub::membership
