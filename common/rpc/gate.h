// The one authorisation gate every RPC of every service passes through:
// authenticates the bearer token, checks the permission and organisation
// scope the method declares in its proto options (unionhub.common.v1.auth),
// masks sensitive fields the caller may not read, and records mutating
// calls and bulk exports in the audit trail, allowed or denied.
//
// It is called from each service's handler wrapper (common/rpc/adapter.h)
// rather than being a gRPC interceptor because gRPC C++ 1.51 server
// interceptors cannot end a call with a status of their choosing
// (grpc/grpc#24017).
#ifndef UNIONHUB_COMMON_RPC_GATE_H_
#define UNIONHUB_COMMON_RPC_GATE_H_

#include <google/protobuf/message.h>
#include <grpcpp/grpcpp.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/auth/jwt.h"
#include "common/db/pool.h"
#include "common/rpc/audit_guard.h"
#include "unionhub/common/v1/auth.pb.h"

namespace unionhub::rpc {

struct Caller {
  auth::Claims claims;
  // Materialised path of the caller's scope org ("" = unscoped).
  std::string scope_path;
};

// How a service turns ids into organisation paths ("/1/5/23/") for scope
// checks. NOT_FOUND when the org or member does not exist.
class ScopeResolver {
 public:
  virtual ~ScopeResolver() = default;
  virtual absl::StatusOr<std::string> OrgPath(int64_t org_id) = 0;
  virtual absl::StatusOr<std::string> MemberOrgPath(int64_t member_id) = 0;
};

// The one refusal a scoped caller gets for `target` (named only by what the
// caller sent, e.g. "member 123") whether it lies outside the caller's
// subtree or does not exist at all: PERMISSION_DENIED with the same text
// either way, so a scoped token cannot probe what exists elsewhere.
absl::Status NotWithinScope(absl::string_view target);

// True when `path` (an org's materialised path) lies in the caller's
// subtree; always for an unscoped caller.
bool WithinScope(const Caller& caller, absl::string_view path);

// For a scoped caller, a NOT_FOUND `status` of looking up `target` becomes
// NotWithinScope(target); anything else is returned unchanged.
absl::Status HideAbsence(const Caller& caller, const absl::Status& status,
                         absl::string_view target);

class Gate {
 public:
  // `audit_pool` is the service's own database, whose `audit_trail` table
  // (see services/membership/migrations/0002_audit_trail.sql) receives the
  // records. Refusals of callers without a valid token get one record per
  // method per `refusal_window` (--audit_refusal_window by default), which
  // counts those not recorded singly.
  Gate(std::shared_ptr<const auth::TokenVerifier> verifier,
       ScopeResolver& resolver, db::Pool& audit_pool);
  Gate(std::shared_ptr<const auth::TokenVerifier> verifier,
       ScopeResolver& resolver, db::Pool& audit_pool,
       absl::Duration refusal_window);

  // Authenticates and authorises a call of `method` (full name, e.g.
  // "unionhub.membership.v1.MembershipService.GetOrg") on `request` (null
  // for client streams: their handler checks scope with CheckOrg).
  // `identified`, when given, receives the caller's verified identity even
  // when the call is then refused (so the audit trail names who tried).
  absl::StatusOr<Caller> Authorize(grpc::ServerContext& context,
                                   const std::string& method,
                                   const google::protobuf::Message* request,
                                   Caller* identified = nullptr);

  // The three shapes of call. Each authorises `method` as its proto
  // declaration says, runs `handler` with the caller set as CurrentCaller(),
  // masks the response and, when the method is audited (AuditedMethod),
  // records the outcome, refusals included. An allowed unary call's row is
  // written by its own transaction when it runs one through RunIdempotent
  // (common/rpc/call_audit.h); every other row is written here, after the
  // handler. Services reach them through the templates in
  // common/rpc/adapter.h.
  //
  // Unary: the scope is checked on `request` before the handler runs.
  grpc::Status Unary(grpc::ServerContext& context, const std::string& method,
                     const google::protobuf::Message& request,
                     google::protobuf::Message* response,
                     const std::function<absl::Status(const Caller&)>& handler);
  // Client stream: no request exists yet, so the handler checks the scope of
  // what arrives (CheckOrg) and reports the request_id it read, for the
  // audit row. The stream limits admit the call first.
  grpc::Status ClientStream(
      grpc::ServerContext& context, const std::string& method,
      google::protobuf::Message* response,
      const std::function<absl::Status(const Caller&, std::string* request_id)>&
          handler);
  // Server stream: `handler` gets the time the stream limits end the
  // stream by; it writes every message through rpc::ResponseStream, which
  // masks each one.
  grpc::Status ServerStream(
      grpc::ServerContext& context, const std::string& method,
      const google::protobuf::Message& request,
      const std::function<absl::Status(const Caller&, absl::Time deadline)>&
          handler);

  // Scope check for ids found inside a call (e.g. each row of an import).
  // For a scoped caller an id that does not exist is refused exactly as
  // one outside the scope (NotWithinScope("org <id>")); unscoped callers
  // pass, and the handler reports NOT_FOUND.
  absl::Status CheckOrg(const Caller& caller, int64_t org_id);
  absl::Status CheckMember(const Caller& caller, int64_t member_id);
  // The same for an org the caller did not name but reached through
  // `target` (e.g. "the member with this national_id"): the refusal names
  // only `target`.
  absl::Status CheckOrgOf(const Caller& caller, int64_t org_id,
                          absl::string_view target);

  // Replaces sensitive fields the caller may not read, recursively.
  static void Mask(const Caller& caller, google::protobuf::Message& message);

  // Records a call of an audited method (the three shapes above do, for
  // every one). Without a verified `caller` (no or bad token) the record
  // may be folded into the next one of the same method (see
  // RefusalThrottle). Free text is stored through SanitizeAuditText. A row
  // the database does not take (it is down) waits in an AuditSpool and is
  // written, with the call's time, once the database is back.
  void Audit(const Caller* caller, const std::string& method,
             const google::protobuf::Message* request,
             const absl::Status& result, const std::string& request_id);

 private:
  // The one flow behind Unary, ClientStream and ServerStream. `request` is
  // null for client streams; `stream` calls go through the stream limits.
  grpc::Status Serve(
      grpc::ServerContext& context, const std::string& method,
      const google::protobuf::Message* request,
      google::protobuf::Message* response, bool stream,
      const std::function<absl::Status(const Caller&, absl::Time deadline,
                                       std::string* request_id)>& handler);
  absl::Status CheckScope(const Caller& caller,
                          const common::v1::MethodAuth& declared,
                          const google::protobuf::Message& request);

  // The row Audit writes, sanitised; `detail` is what the caller was told.
  static AuditRow ComposeAuditRow(const Caller* caller,
                                  const std::string& method,
                                  const google::protobuf::Message* request,
                                  const absl::Status& result,
                                  const std::string& request_id,
                                  std::string detail);
  absl::Status WriteAuditRows(const std::vector<AuditRow>& rows);

  std::shared_ptr<const auth::TokenVerifier> verifier_;
  ScopeResolver& resolver_;
  db::Pool& audit_pool_;
  RefusalThrottle anonymous_refusals_;
  // Declared last: destroyed (its last write attempted) first.
  AuditSpool audit_spool_;
};

// The caller of the call this thread is serving (set by the Gate for all
// three shapes of call, through CallerScope), or nullptr outside a call.
const Caller* CurrentCaller();

// True when the current caller is limited to a subtree.
bool CurrentCallerIsScoped();

class CallerScope {
 public:
  explicit CallerScope(const Caller& caller);
  ~CallerScope();
  CallerScope(const CallerScope&) = delete;
  CallerScope& operator=(const CallerScope&) = delete;

 private:
  const Caller* previous_;
};

// The declaration of `method`, or nullptr when it has none.
const common::v1::MethodAuth* DeclaredAuth(const std::string& method);

// True when calls of `method` go to the audit trail, allowed or refused:
// it changes state (`mutating`) or hands out data in bulk (`audited`).
bool AuditedMethod(const std::string& method);

}  // namespace unionhub::rpc

#endif  // UNIONHUB_COMMON_RPC_GATE_H_
