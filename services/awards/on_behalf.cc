#include "services/awards/on_behalf.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/awards/scope_resolver.h"

namespace unionhub::awards {

absl::Status OutsideScope(absl::string_view what, int64_t id) {
  return rpc::NotWithinScope(absl::StrCat(what, " ", id));
}

bool InScope(const rpc::Caller& caller, absl::string_view path) {
  return rpc::WithinScope(caller, path);
}

absl::Status SeenBy(const rpc::Caller& caller, absl::Status status,
                    absl::string_view what, int64_t id) {
  if (status.code() == absl::StatusCode::kPermissionDenied ||
      (status.code() == absl::StatusCode::kNotFound &&
       !caller.scope_path.empty())) {
    return OutsideScope(what, id);
  }
  return status;
}

namespace {

// Fails closed: a read on someone's behalf outside a call is a bug.
absl::StatusOr<const rpc::Caller*> Current() {
  const rpc::Caller* caller = rpc::CurrentCaller();
  if (caller == nullptr) {
    return absl::InternalError("membership read on behalf of no caller");
  }
  return caller;
}

}  // namespace

absl::Status OnBehalf::Check(const rpc::Caller& caller, const mv1::Org& org,
                             int64_t within_org, absl::string_view what,
                             int64_t id) {
  const std::string path = PathOf(org);
  if (!InScope(caller, path)) return OutsideScope(what, id);
  // Materialised paths hold each ancestor once, delimited by slashes.
  if (within_org != 0 &&
      !absl::StrContains(path, absl::StrCat("/", within_org, "/"))) {
    return OutsideScope(what, id);
  }
  return absl::OkStatus();
}

absl::StatusOr<MemberRead> OnBehalf::Member(int64_t member_id,
                                            int64_t within_org) {
  absl::StatusOr<const rpc::Caller*> caller = Current();
  if (!caller.ok()) return caller.status();
  absl::StatusOr<mv1::Member> member = peers_.GetMember(member_id);
  if (!member.ok()) {
    return SeenBy(**caller, member.status(), "member", member_id);
  }
  absl::StatusOr<mv1::Org> org = peers_.GetOrg(member->org_id());
  if (!org.ok()) {
    // A member whose org membership cannot show is nobody's to see.
    return org.status().code() == absl::StatusCode::kNotFound
               ? OutsideScope("member", member_id)
               : org.status();
  }
  if (absl::Status s = Check(**caller, *org, within_org, "member", member_id);
      !s.ok()) {
    return s;
  }
  return MemberRead{*std::move(member), *std::move(org)};
}

absl::StatusOr<mv1::Org> OnBehalf::Org(int64_t org_id, int64_t within_org) {
  absl::StatusOr<const rpc::Caller*> caller = Current();
  if (!caller.ok()) return caller.status();
  absl::StatusOr<mv1::Org> org = peers_.GetOrg(org_id);
  if (!org.ok()) return SeenBy(**caller, org.status(), "org", org_id);
  if (absl::Status s = Check(**caller, *org, within_org, "org", org_id);
      !s.ok()) {
    return s;
  }
  return org;
}

}  // namespace unionhub::awards
