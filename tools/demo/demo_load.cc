// --load: creates the demo county through the membership API.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpcpp/client_context.h"
#include "tools/demo/demo.h"

namespace unionhub::demo {
namespace {

// True when the plan's last step is already done: a previous load ran to the
// end, so there is nothing to send again.
absl::StatusOr<bool> AlreadyLoaded(MembershipStub& stub,
                                   const CountyPlan& plan) {
  if (plan.changes.empty()) return false;
  const PlannedChange& last = plan.changes.back();
  mv1::MemberStatus done;
  switch (last.kind) {
    case ChangeKind::kLeave:
      done = mv1::MEMBER_STATUS_LEFT;
      break;
    case ChangeKind::kRetire:
      done = mv1::MEMBER_STATUS_RETAINED;
      break;
    default:
      return false;
  }
  mv1::LookupMemberRequest request;
  request.set_national_id(plan.members[last.member].member.national_id());
  mv1::LookupMemberResponse response;
  const grpc::Status s = WithRetry([&](grpc::ClientContext* context) {
    return stub.LookupMember(context, request, &response);
  });
  if (s.error_code() == grpc::StatusCode::NOT_FOUND) return false;
  if (!s.ok()) return ToStatus(s, "LookupMember");
  return response.member().status() == done;
}

class Loader {
 public:
  Loader(MembershipStub& stub, const CountyPlan& plan)
      : stub_(stub), plan_(plan) {}

  absl::Status Run();

 private:
  absl::StatusOr<int64_t> CreateOrg(const PlannedOrg& o, int64_t parent_id);
  absl::Status CreateOrgs();
  absl::Status CreateEmployers();
  absl::Status ImportMembers();
  absl::Status ImportOne(const ImportChunk& chunk);
  absl::Status ApplyChanges();

  MembershipStub& stub_;
  const CountyPlan& plan_;
  int64_t county_id_ = 0;
  std::vector<int64_t> township_ids_;
  std::vector<int64_t> union_ids_;
  std::vector<int64_t> member_ids_;  // 0 where the row was rejected
  int64_t rows_ = 0, joined_ = 0, reactivated_ = 0, rejected_ = 0;
  std::vector<std::string> rejections_;  // the first few, for the report
  double import_seconds_ = 0;
  int changes_done_ = 0, changes_skipped_ = 0;
};

absl::StatusOr<int64_t> Loader::CreateOrg(const PlannedOrg& o,
                                          int64_t parent_id) {
  mv1::CreateOrgRequest request;
  request.set_request_id(o.request_id);
  request.set_established_on(o.established_on);
  mv1::Org* org = request.mutable_org();
  org->set_parent_id(parent_id);
  org->set_type(o.type);
  org->set_name(o.name);
  org->set_region_code(o.region_code);
  mv1::CreateOrgResponse response;
  const grpc::Status s = WithRetry([&](grpc::ClientContext* context) {
    return stub_.CreateOrg(context, request, &response);
  });
  if (!s.ok()) return ToStatus(s, absl::StrCat("CreateOrg ", o.name));
  return response.org().org_id();
}

absl::Status Loader::CreateOrgs() {
  const absl::Time start = absl::Now();
  int64_t parent = 0;
  for (const PlannedOrg& o : plan_.chain) {
    absl::StatusOr<int64_t> id = CreateOrg(o, parent);
    if (!id.ok()) return id.status();
    parent = *id;
  }
  county_id_ = parent;
  for (const PlannedOrg& o : plan_.townships) {
    absl::StatusOr<int64_t> id = CreateOrg(o, county_id_);
    if (!id.ok()) return id.status();
    township_ids_.push_back(*id);
  }
  int preparing = 0;
  for (const PlannedUnion& u : plan_.unions) {
    mv1::CreateOrgRequest request;
    request.set_request_id(u.request_id);
    request.set_preparing(u.preparing);
    request.set_established_on(u.established_on);
    mv1::Org* org = request.mutable_org();
    org->set_parent_id(township_ids_[u.township]);
    org->set_type(mv1::ORG_TYPE_GRASSROOTS_UNION);
    org->set_name(u.name);
    *org->mutable_employer() = u.employer;
    mv1::CreateOrgResponse response;
    const grpc::Status s = WithRetry([&](grpc::ClientContext* context) {
      return stub_.CreateOrg(context, request, &response);
    });
    if (!s.ok()) return ToStatus(s, absl::StrCat("CreateOrg ", u.name));
    union_ids_.push_back(response.org().org_id());
    preparing += u.preparing;
  }
  Progress(
      "orgs: %d federations, %d townships, %d grassroots unions (%d "
      "preparing) in %.1f s\n",
      plan_.chain.size(), plan_.townships.size(), plan_.unions.size(),
      preparing, Seconds(start));
  return absl::OkStatus();
}

absl::Status Loader::CreateEmployers() {
  const absl::Time start = absl::Now();
  int64_t workers = 0;
  for (const PlannedEmployer& e : plan_.employers) {
    mv1::CreateEmployerRequest request;
    request.set_request_id(e.request_id);
    *request.mutable_employer() = e.employer;
    request.mutable_employer()->set_area_org_id(township_ids_[e.township]);
    mv1::CreateEmployerResponse response;
    const grpc::Status s = WithRetry([&](grpc::ClientContext* context) {
      return stub_.CreateEmployer(context, request, &response);
    });
    if (!s.ok()) {
      return ToStatus(s, absl::StrCat("CreateEmployer ", e.employer.name()));
    }
    workers += e.employer.headcount();
  }
  Progress("employers without a union: %d (%s workers) in %.1f s\n",
           plan_.employers.size(), Thousands(workers), Seconds(start));
  return absl::OkStatus();
}

absl::Status Loader::ImportOne(const ImportChunk& chunk) {
  const absl::Time start = absl::Now();
  mv1::ImportMembersResponse response;
  const grpc::Status s = WithRetry(
      [&](grpc::ClientContext* context) {
        response.Clear();
        auto writer = stub_.ImportMembers(context, &response);
        mv1::ImportMembersRequest message;
        mv1::ImportHeader* header = message.mutable_header();
        header->set_request_id(chunk.request_id);
        header->set_joined_on(chunk.joined_on);
        header->set_default_org_id(
            union_ids_[plan_.members[chunk.members.front()].union_index]);
        bool open = writer->Write(message);
        for (size_t i = 0; open && i < chunk.members.size(); ++i) {
          const PlannedMember& pm = plan_.members[chunk.members[i]];
          message.Clear();
          mv1::ImportRow* row = message.mutable_row();
          row->set_row_number(static_cast<int64_t>(i) + 1);
          *row->mutable_member() = pm.member;
          row->mutable_member()->set_org_id(union_ids_[pm.union_index]);
          open = writer->Write(message);
        }
        if (open) writer->WritesDone();
        return writer->Finish();
      },
      absl::Minutes(10));
  if (!s.ok())
    return ToStatus(s, absl::StrCat("ImportMembers ", chunk.request_id));

  int64_t chunk_rejected = 0;
  for (const mv1::ImportRowResult& r : response.results()) {
    const int64_t i = r.row_number() - 1;
    if (i < 0 || i >= static_cast<int64_t>(chunk.members.size())) continue;
    if (r.outcome() == mv1::IMPORT_OUTCOME_REJECTED) {
      ++chunk_rejected;
      if (rejections_.size() < 5) {
        rejections_.push_back(
            absl::StrFormat("%s row %d: %s %s (fields: %s)", chunk.request_id,
                            r.row_number(), r.error_code(), r.error_message(),
                            absl::StrJoin(r.bad_fields(), ", ")));
      }
    } else {
      member_ids_[chunk.members[i]] = r.member_id();
    }
  }
  const int64_t n = static_cast<int64_t>(chunk.members.size());
  rows_ += n;
  joined_ += response.rows_joined();
  reactivated_ += response.rows_reactivated();
  rejected_ += std::max(chunk_rejected, response.rows_rejected());
  if (response.rows_received() != n) {
    Progress("  warning: %s: the server received %d rows of %d\n",
             chunk.request_id, response.rows_received(), n);
  }
  const double seconds = Seconds(start);
  import_seconds_ += seconds;
  Progress("  %s (joined on %s): %s rows, %s joined, %s rejected in %.1f s\n",
           chunk.request_id, chunk.joined_on, Thousands(n),
           Thousands(response.rows_joined() + response.rows_reactivated()),
           Thousands(response.rows_rejected()), seconds);
  return absl::OkStatus();
}

absl::Status Loader::ImportMembers() {
  member_ids_.assign(plan_.members.size(), 0);
  Progress("members: importing %s rows in %d streams\n",
           Thousands(static_cast<int64_t>(plan_.members.size())),
           plan_.chunks.size());
  for (const ImportChunk& chunk : plan_.chunks) {
    if (absl::Status s = ImportOne(chunk); !s.ok()) return s;
  }
  Progress(
      "members: %s rows, %s joined, %s reactivated, %s rejected in %.1f s "
      "(%.0f rows/s)\n",
      Thousands(rows_), Thousands(joined_), Thousands(reactivated_),
      Thousands(rejected_), import_seconds_,
      import_seconds_ > 0 ? rows_ / import_seconds_ : 0.0);
  for (const std::string& r : rejections_) Progress("  rejected: %s\n", r);
  if (rejected_ * 100 > rows_) {
    return absl::FailedPreconditionError(
        absl::StrFormat("%d of %d import rows were rejected (more than 1 %%)",
                        rejected_, rows_));
  }
  return absl::OkStatus();
}

absl::Status Loader::ApplyChanges() {
  const absl::Time start = absl::Now();
  int transfers = 0, retired = 0, left = 0;
  for (const PlannedChange& c : plan_.changes) {
    const int64_t member_id = member_ids_[c.member];
    if (member_id == 0) {  // its import row was rejected
      ++changes_skipped_;
      continue;
    }
    grpc::Status s;
    if (c.kind == ChangeKind::kTransfer) {
      mv1::TransferMemberRequest request;
      request.set_request_id(c.request_id);
      request.set_member_id(member_id);
      request.set_to_org_id(union_ids_[c.to_union]);
      request.set_effective_on(c.effective_on);
      request.set_reason(c.reason);
      mv1::TransferMemberResponse response;
      s = WithRetry([&](grpc::ClientContext* context) {
        return stub_.TransferMember(context, request, &response);
      });
      ++transfers;
    } else {
      mv1::ChangeMemberStatusRequest request;
      request.set_request_id(c.request_id);
      request.set_member_id(member_id);
      if (c.kind == ChangeKind::kRetire) {
        request.set_status(mv1::MEMBER_STATUS_RETAINED);
        request.set_retained_reason(mv1::RETAINED_REASON_RETIRED);
        ++retired;
      } else {
        request.set_status(mv1::MEMBER_STATUS_LEFT);
        ++left;
      }
      request.set_reason(c.reason);
      request.set_effective_on(c.effective_on);
      mv1::ChangeMemberStatusResponse response;
      s = WithRetry([&](grpc::ClientContext* context) {
        return stub_.ChangeMemberStatus(context, request, &response);
      });
    }
    if (!s.ok()) return ToStatus(s, c.request_id);
    ++changes_done_;
  }
  Progress(
      "changes: %d transfers, %d retired (保留会籍), %d left (退会)%s in "
      "%.1f s\n",
      transfers, retired, left,
      changes_skipped_ > 0
          ? absl::StrFormat(", %d skipped (rejected rows)", changes_skipped_)
          : "",
      Seconds(start));
  return absl::OkStatus();
}

absl::Status Loader::Run() {
  const absl::Time start = absl::Now();
  if (absl::Status s = CreateOrgs(); !s.ok()) return s;
  if (absl::Status s = CreateEmployers(); !s.ok()) return s;
  if (absl::Status s = ImportMembers(); !s.ok()) return s;
  if (absl::Status s = ApplyChanges(); !s.ok()) return s;
  Progress(
      "loaded: %d orgs, %d employers (%s workers), %s members imported "
      "(%s rejected), %d changes in %.1f s; import %.0f rows/s\n",
      plan_.chain.size() + plan_.townships.size() + plan_.unions.size(),
      plan_.unions.size() + plan_.employers.size(),
      Thousands(plan_.total_workers), Thousands(joined_ + reactivated_),
      Thousands(rejected_), changes_done_, Seconds(start),
      import_seconds_ > 0 ? rows_ / import_seconds_ : 0.0);
  return absl::OkStatus();
}

}  // namespace

absl::Status LoadCounty(MembershipStub& stub, const CountyPlan& plan,
                        bool resend) {
  if (resend) return Loader(stub, plan).Run();
  absl::StatusOr<bool> loaded = AlreadyLoaded(stub, plan);
  if (!loaded.ok()) return loaded.status();
  if (*loaded) {
    Progress(
        "demo data already loaded (its last step is done); nothing sent\n");
    return absl::OkStatus();
  }
  return Loader(stub, plan).Run();
}

}  // namespace unionhub::demo
