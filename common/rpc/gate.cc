#include "common/rpc/gate.h"

#include <google/protobuf/descriptor.h>

#include <optional>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "common/auth/roles.h"
#include "common/core/ids.h"
#include "common/core/log.h"
#include "common/db/sql.h"
#include "common/rpc/call_audit.h"
#include "common/rpc/call_context.h"
#include "common/rpc/fault_hook.h"
#include "common/rpc/fields.h"
#include "common/rpc/security_flags.h"
#include "common/rpc/status.h"
#include "common/rpc/stream_limits.h"

namespace unionhub::rpc {
namespace {

using google::protobuf::FieldDescriptor;

constexpr absl::string_view kBearer = "Bearer ";

std::string CodeName(absl::StatusCode code) {
  return absl::StatusCodeToString(code);
}

std::string Target(const common::v1::MethodAuth& declared,
                   const google::protobuf::Message* request) {
  if (request == nullptr) return "";
  std::vector<std::string> parts;
  for (const std::string& field : declared.org_fields()) {
    if (auto value = Int64AtPath(*request, field); value && *value != 0) {
      parts.push_back(absl::StrCat(field, "=", *value));
    }
  }
  for (const std::string& field : declared.member_fields()) {
    if (auto value = Int64AtPath(*request, field); value && *value != 0) {
      parts.push_back(absl::StrCat(field, "=", *value));
    }
  }
  return absl::StrJoin(parts, " ");
}

thread_local const Caller* current_caller = nullptr;

}  // namespace

absl::Status NotWithinScope(absl::string_view target) {
  return absl::PermissionDeniedError(
      absl::StrCat(target, " is not within your organisation scope"));
}

bool WithinScope(const Caller& caller, absl::string_view path) {
  return caller.scope_path.empty() || absl::StartsWith(path, caller.scope_path);
}

absl::Status HideAbsence(const Caller& caller, const absl::Status& status,
                         absl::string_view target) {
  if (!caller.scope_path.empty() &&
      status.code() == absl::StatusCode::kNotFound) {
    return NotWithinScope(target);
  }
  return status;
}

const Caller* CurrentCaller() { return current_caller; }

bool CurrentCallerIsScoped() {
  return current_caller != nullptr && !current_caller->scope_path.empty();
}

CallerScope::CallerScope(const Caller& caller) : previous_(current_caller) {
  current_caller = &caller;
}

CallerScope::~CallerScope() { current_caller = previous_; }

const common::v1::MethodAuth* DeclaredAuth(const std::string& method) {
  const google::protobuf::MethodDescriptor* descriptor =
      google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(
          method);
  if (descriptor == nullptr ||
      !descriptor->options().HasExtension(common::v1::auth)) {
    return nullptr;
  }
  return &descriptor->options().GetExtension(common::v1::auth);
}

bool AuditedMethod(const std::string& method) {
  const common::v1::MethodAuth* declared = DeclaredAuth(method);
  return declared != nullptr && (declared->mutating() || declared->audited());
}

Gate::Gate(std::shared_ptr<const auth::TokenVerifier> verifier,
           ScopeResolver& resolver, db::Pool& audit_pool)
    : Gate(std::move(verifier), resolver, audit_pool,
           AuditRefusalWindowFromFlags()) {}

Gate::Gate(std::shared_ptr<const auth::TokenVerifier> verifier,
           ScopeResolver& resolver, db::Pool& audit_pool,
           absl::Duration refusal_window)
    : verifier_(std::move(verifier)),
      resolver_(resolver),
      audit_pool_(audit_pool),
      anonymous_refusals_(refusal_window),
      audit_spool_([this](const std::vector<AuditRow>& rows) {
        return WriteAuditRows(rows);
      }) {}

absl::StatusOr<Caller> Gate::Authorize(grpc::ServerContext& context,
                                       const std::string& method,
                                       const google::protobuf::Message* request,
                                       Caller* identified) {
  const common::v1::MethodAuth* declared = DeclaredAuth(method);
  if (declared == nullptr || declared->permission().empty()) {
    return absl::PermissionDeniedError(
        "this method declares no permission, so nobody may call it");
  }
  const auto& metadata = context.client_metadata();
  auto header = metadata.find("authorization");
  if (header == metadata.end()) {
    return absl::UnauthenticatedError(
        "missing bearer token (metadata 'authorization: Bearer <token>')");
  }
  absl::string_view value(header->second.data(), header->second.size());
  if (!absl::StartsWith(value, kBearer)) {
    return absl::UnauthenticatedError("authorization must be 'Bearer <token>'");
  }
  value.remove_prefix(kBearer.size());
  absl::StatusOr<auth::Claims> claims = verifier_->Verify(value, absl::Now());
  if (!claims.ok()) return claims.status();
  Caller caller;
  caller.claims = *std::move(claims);
  if (identified != nullptr) *identified = caller;
  if (!auth::RolesGrant(caller.claims.roles, declared->permission())) {
    return absl::PermissionDeniedError(
        absl::StrCat("roles [", absl::StrJoin(caller.claims.roles, ","),
                     "] do not grant ", declared->permission()));
  }
  if (caller.claims.org_scope != 0) {
    absl::StatusOr<std::string> path =
        resolver_.OrgPath(caller.claims.org_scope);
    if (!path.ok()) {
      if (path.status().code() == absl::StatusCode::kNotFound) {
        return absl::PermissionDeniedError(
            "the token's organisation scope does not exist");
      }
      return path.status();
    }
    caller.scope_path = *path;
    if (declared->global()) {
      return absl::PermissionDeniedError(
          "acts on the whole system; a token limited to one organisation may "
          "not call it");
    }
    if (request != nullptr) {
      absl::Status in_scope = CheckScope(caller, *declared, *request);
      if (!in_scope.ok()) return in_scope;
    }
  }
  return caller;
}

absl::Status Gate::CheckScope(const Caller& caller,
                              const common::v1::MethodAuth& declared,
                              const google::protobuf::Message& request) {
  if (declared.org_fields().empty() && declared.member_fields().empty()) {
    return absl::OkStatus();  // the handler checks what it finds
  }
  bool any = false;
  for (const std::string& field : declared.org_fields()) {
    std::optional<int64_t> id = Int64AtPath(request, field);
    if (!id.has_value() || *id == 0) continue;
    any = true;
    absl::Status status = CheckOrg(caller, *id);
    if (!status.ok()) return status;
  }
  for (const std::string& field : declared.member_fields()) {
    std::optional<int64_t> id = Int64AtPath(request, field);
    if (!id.has_value() || *id == 0) continue;
    any = true;
    absl::Status status = CheckMember(caller, *id);
    if (!status.ok()) return status;
  }
  if (!any) {
    return absl::PermissionDeniedError(absl::StrCat(
        "the request acts on the whole tree; your token is limited to org ",
        caller.claims.org_scope));
  }
  return absl::OkStatus();
}

namespace {

// For a scoped caller (the only kind checked) a target the resolver could
// not find is refused exactly as one outside the subtree: a different
// answer would tell the caller what exists elsewhere.
absl::Status PathInScope(const Caller& caller,
                         const absl::StatusOr<std::string>& path,
                         absl::string_view target) {
  if (!path.ok()) return HideAbsence(caller, path.status(), target);
  if (!WithinScope(caller, *path)) return NotWithinScope(target);
  return absl::OkStatus();
}

}  // namespace

absl::Status Gate::CheckOrg(const Caller& caller, int64_t org_id) {
  return CheckOrgOf(caller, org_id, absl::StrCat("org ", org_id));
}

absl::Status Gate::CheckOrgOf(const Caller& caller, int64_t org_id,
                              absl::string_view target) {
  if (caller.scope_path.empty()) return absl::OkStatus();
  return PathInScope(caller, resolver_.OrgPath(org_id), target);
}

absl::Status Gate::CheckMember(const Caller& caller, int64_t member_id) {
  if (caller.scope_path.empty()) return absl::OkStatus();
  return PathInScope(caller, resolver_.MemberOrgPath(member_id),
                     absl::StrCat("member ", member_id));
}

namespace {

// What Gate::Mask does to one field of a caller who may not read national
// IDs in full. The ID keeps only its last four characters and the birth
// date goes entirely: together with the org's region code, a birth date
// (or even a birth year) beside a partial ID narrows it to a handful of
// candidates, and no role without the permission needs either.
void MaskSensitiveField(google::protobuf::Message& message,
                        const FieldDescriptor* field) {
  const auto* reflection = message.GetReflection();
  switch (field->options().GetExtension(common::v1::sensitivity)) {
    case common::v1::SENSITIVITY_NATIONAL_ID:
      if (field->cpp_type() != FieldDescriptor::CPPTYPE_STRING) {
        reflection->ClearField(&message, field);  // cannot mask: withhold
      } else if (field->is_repeated()) {
        for (int k = 0; k < reflection->FieldSize(message, field); ++k) {
          reflection->SetRepeatedString(
              &message, field, k,
              ids::MaskNationalId(
                  reflection->GetRepeatedString(message, field, k)));
        }
      } else {
        const std::string value = reflection->GetString(message, field);
        if (!value.empty()) {
          reflection->SetString(&message, field, ids::MaskNationalId(value));
        }
      }
      return;
    case common::v1::SENSITIVITY_BIRTH_DATE:
      reflection->ClearField(&message, field);
      return;
    default:
      return;
  }
}

void MaskSensitiveFields(google::protobuf::Message& message) {
  const auto* descriptor = message.GetDescriptor();
  const auto* reflection = message.GetReflection();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const FieldDescriptor* field = descriptor->field(i);
    if (field->options().GetExtension(common::v1::sensitivity) !=
        common::v1::SENSITIVITY_UNSPECIFIED) {
      MaskSensitiveField(message, field);
      continue;
    }
    if (field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) continue;
    if (field->is_repeated()) {
      for (int k = 0; k < reflection->FieldSize(message, field); ++k) {
        MaskSensitiveFields(
            *reflection->MutableRepeatedMessage(&message, field, k));
      }
    } else if (reflection->HasField(message, field)) {
      MaskSensitiveFields(*reflection->MutableMessage(&message, field));
    }
  }
}

}  // namespace

void Gate::Mask(const Caller& caller, google::protobuf::Message& message) {
  if (auth::RolesGrant(caller.claims.roles, auth::kReadNationalId)) return;
  MaskSensitiveFields(message);
}

AuditRow Gate::ComposeAuditRow(const Caller* caller, const std::string& method,
                               const google::protobuf::Message* request,
                               const absl::Status& result,
                               const std::string& request_id,
                               std::string detail) {
  const common::v1::MethodAuth* declared = DeclaredAuth(method);
  AuditRow row;
  row.recorded_at = absl::Now();
  row.actor = caller == nullptr
                  ? std::string("anonymous")
                  : SanitizeAuditText(caller->claims.subject, 128);
  row.roles =
      caller == nullptr
          ? std::string()
          : SanitizeAuditText(absl::StrJoin(caller->claims.roles, ","), 256);
  row.method = SanitizeAuditText(method, 160);
  row.target = SanitizeAuditText(
      declared == nullptr ? "" : Target(*declared, request), 256);
  row.request_id = SanitizeAuditText(request_id, 80);
  row.result = CodeName(result.code());
  row.detail = SanitizeAuditText(detail, 500);
  return row;
}

void Gate::Audit(const Caller* caller, const std::string& method,
                 const google::protobuf::Message* request,
                 const absl::Status& result, const std::string& request_id) {
  // What the caller was told: driver text must not reach the stored trail.
  std::string detail = result.ok() ? "" : PublicMessage(result);
  if (caller == nullptr && !result.ok()) {
    // Anyone can send calls without a token; one row each would let them
    // fill the undeletable table, so they are counted instead.
    int64_t suppressed = 0;
    if (!anonymous_refusals_.ShouldRecord(method, &suppressed)) return;
    if (suppressed > 0) {
      detail = absl::StrCat("[+", suppressed,
                            " earlier refusals without a valid token not "
                            "recorded singly] ",
                            detail);
    }
  }
  audit_spool_.Record(ComposeAuditRow(caller, method, request, result,
                                      request_id, std::move(detail)));
}

absl::Status Gate::WriteAuditRows(const std::vector<AuditRow>& rows) {
  if (rows.size() == 1) {
    // The usual case, one call's row: a single autocommit INSERT is atomic
    // and one round trip instead of a transaction's three.
    return audit_pool_.Run([&](db::Connection& conn) {
      InsertAuditRow(conn, rows.front());
      return absl::OkStatus();
    });
  }
  return audit_pool_.InTransaction([&](db::Connection& conn) {
    for (const AuditRow& row : rows) InsertAuditRow(conn, row);
    return absl::OkStatus();
  });
}

grpc::Status Gate::Serve(
    grpc::ServerContext& context, const std::string& method,
    const google::protobuf::Message* request,
    google::protobuf::Message* response, bool stream,
    const std::function<absl::Status(const Caller&, absl::Time, std::string*)>&
        handler) {
  CallScope call(context);  // the trace id and deadline, for what follows
  const bool audited = AuditedMethod(method);
  std::string request_id = request == nullptr ? "" : RequestIdOf(*request);
  Caller identified;
  absl::StatusOr<Caller> caller =
      Authorize(context, method, request, &identified);
  if (!caller.ok()) {
    if (audited) {
      Audit(identified.claims.subject.empty() ? nullptr : &identified, method,
            request, caller.status(), request_id);
    }
    return ToGrpcStatus(caller.status());
  }
  // Held until the call returns: the slot is the thread the call occupies.
  StreamTicket ticket;
  if (stream) {
    ticket = AdmitStream(context, *caller);
    if (!ticket.admitted()) return ticket.refusal();
  }
  absl::Status status;
  bool recorded = false;
  {
    CallerScope scope(*caller);
    // An allowed unary call's row goes into its own transaction
    // (call_audit.h). Not while older rows wait in the spool: the table
    // keeps the order of the calls.
    std::optional<CallAudit> in_transaction;
    if (audited && !stream && audit_spool_.pending() == 0) {
      in_transaction.emplace(ComposeAuditRow(&*caller, method, request,
                                             absl::OkStatus(), request_id, ""));
    }
    status = handler(*caller, ticket.deadline(), &request_id);
    recorded = in_transaction.has_value() && in_transaction->committed();
  }
  if (status.ok()) MaybeCrashAfterCommit(method);  // tests only (fault_hook.h)
  if (status.ok() && response != nullptr) Mask(*caller, *response);
  // A call that failed after its change committed (rare) gets the failure
  // recorded beside the committed row.
  if (audited && !(recorded && status.ok())) {
    Audit(&*caller, method, request, status, request_id);
  }
  return ToGrpcStatus(status);
}

grpc::Status Gate::Unary(
    grpc::ServerContext& context, const std::string& method,
    const google::protobuf::Message& request,
    google::protobuf::Message* response,
    const std::function<absl::Status(const Caller&)>& handler) {
  return Serve(context, method, &request, response, /*stream=*/false,
               [&](const Caller& caller, absl::Time, std::string*) {
                 return handler(caller);
               });
}

grpc::Status Gate::ClientStream(
    grpc::ServerContext& context, const std::string& method,
    google::protobuf::Message* response,
    const std::function<absl::Status(const Caller&, std::string*)>& handler) {
  return Serve(context, method, nullptr, response, /*stream=*/true,
               [&](const Caller& caller, absl::Time, std::string* request_id) {
                 return handler(caller, request_id);
               });
}

grpc::Status Gate::ServerStream(
    grpc::ServerContext& context, const std::string& method,
    const google::protobuf::Message& request,
    const std::function<absl::Status(const Caller&, absl::Time)>& handler) {
  return Serve(context, method, &request, nullptr, /*stream=*/true,
               [&](const Caller& caller, absl::Time deadline, std::string*) {
                 return handler(caller, deadline);
               });
}

}  // namespace unionhub::rpc
