#include "common/rpc/status.h"

#include "absl/strings/str_cat.h"
#include "common/core/log.h"
#include "common/core/preconditions.h"
#include "common/core/trace.h"
#include "common/core/violations.h"
#include "common/db/pool.h"
#include "common/rpc/violations.h"
#include "unionhub/common/v1/errors.pb.h"

namespace unionhub::rpc {
namespace {

// With kMaxDetailViolationBytes this keeps a refusal's header and trailers
// (message twice, details base64-encoded) well under gRPC's default 8 KiB.
constexpr size_t kMaxStatusMessageBytes = 800;

bool ServerFault(absl::StatusCode code) {
  return code == absl::StatusCode::kInternal ||
         code == absl::StatusCode::kUnknown ||
         code == absl::StatusCode::kDataLoss;
}

// The fixed text for a driver's error with this code.
std::string DriverText(absl::StatusCode code) {
  switch (code) {
    // A lost connection may have lost only the answer to a COMMIT, so we
    // cannot say nothing was changed: the request_id makes the retry safe.
    case absl::StatusCode::kUnavailable:
      return "database unavailable; try again with the same request_id";
    case absl::StatusCode::kAborted:
      return "the database gave up on conflicting changes; try again with "
             "the same request_id";
    case absl::StatusCode::kAlreadyExists:
      return "the record already exists";
    default:
      return "database error";
  }
}

// The broken rules of a FAILED_PRECONDITION as error details, bounded as
// field violations are (CapViolations): at most kMaxDetailViolations, each
// text cut to kMaxViolationTextBytes, within kMaxDetailViolationBytes.
common::v1::PreconditionFailure PreconditionDetails(
    const std::vector<PreconditionViolation>& violations) {
  common::v1::PreconditionFailure out;
  size_t bytes = 0;
  for (const PreconditionViolation& v : violations) {
    if (static_cast<size_t>(out.violations_size()) >= kMaxDetailViolations) {
      break;
    }
    common::v1::PreconditionViolation item;
    item.set_type(CapText(v.type, kMaxViolationTextBytes));
    item.set_subject(CapText(v.subject, kMaxViolationTextBytes));
    item.set_description(CapText(v.description, kMaxViolationTextBytes));
    item.set_actual(v.actual);
    item.set_required(v.required);
    bytes += item.ByteSizeLong();
    if (bytes > kMaxDetailViolationBytes) break;
    *out.add_violations() = std::move(item);
  }
  return out;
}

}  // namespace

std::string PublicMessage(const absl::Status& status) {
  std::string fixed;
  if (ServerFault(status.code())) {
    fixed = "internal error";
  } else if (db::IsDriverError(status)) {
    fixed = DriverText(status.code());
  } else {
    return std::string(status.message());
  }
  const std::string trace_id = trace::CurrentTraceId();
  return trace_id.empty()
             ? absl::StrCat(fixed, "; the details are in the server log")
             : absl::StrCat(fixed,
                            "; the details are in the server log (trace ",
                            trace_id, ")");
}

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  const auto code = static_cast<grpc::StatusCode>(status.code());
  const std::string public_message = PublicMessage(status);
  if (public_message != status.message()) {
    const bool fault = ServerFault(status.code());
    log::Write(
        fault ? log::Level::kError : log::Level::kWarn,
        fault ? "internal error" : "database error",
        {{"code", StatusCodeName(code)},
         {"error", CapText(status.message(), 4 * kMaxStatusMessageBytes)}});
  }
  // The message travels in a header too (percent-encoded, so up to three
  // times its size); an unbounded one would turn the call into
  // RESOURCE_EXHAUSTED at the caller's metadata limit.
  std::string message = CapText(public_message, kMaxStatusMessageBytes);
  common::v1::ErrorStatus details;
  details.set_code(static_cast<int>(code));
  details.set_message(message);
  std::vector<FieldViolation> violations = CapViolations(ViolationsOf(status));
  if (!violations.empty()) {
    common::v1::BadRequest bad_request;
    for (const FieldViolation& v : violations) {
      auto* out = bad_request.add_field_violations();
      out->set_field(v.field);
      out->set_description(v.description);
      out->set_reason(v.reason);
    }
    details.add_details()->PackFrom(bad_request);
  }
  if (common::v1::PreconditionFailure failure =
          PreconditionDetails(PreconditionViolationsOf(status));
      failure.violations_size() > 0) {
    details.add_details()->PackFrom(failure);
  }
  return grpc::Status(code, message, details.SerializeAsString());
}

absl::Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  common::v1::ErrorStatus details;
  Violations violations;
  if (!status.error_details().empty() &&
      details.ParseFromString(status.error_details())) {
    for (const auto& any : details.details()) {
      common::v1::BadRequest bad_request;
      if (any.UnpackTo(&bad_request)) {
        for (const auto& v : bad_request.field_violations()) {
          violations.Add(v.field(), v.description(), v.reason());
        }
      }
    }
  }
  absl::Status out(static_cast<absl::StatusCode>(status.error_code()),
                   status.error_message());
  if (!violations.empty()) {
    auto payload = violations.ToStatus().GetPayload(kViolationsPayloadUrl);
    if (payload.has_value()) out.SetPayload(kViolationsPayloadUrl, *payload);
  }
  return out;
}

absl::Status FromPeerStatus(absl::string_view peer, absl::string_view what,
                            const grpc::Status& status) {
  switch (status.error_code()) {
    case grpc::StatusCode::OK:
      return absl::OkStatus();
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      log::Warn("peer call failed",
                {{"peer", std::string(peer)},
                 {"call", std::string(what)},
                 {"code", StatusCodeName(status.error_code())},
                 {"error", status.error_message()}});
      return absl::UnavailableError(absl::StrCat(
          peer, " is unavailable (", what, ", ",
          StatusCodeName(status.error_code()), "); nothing was changed"));
    case grpc::StatusCode::NOT_FOUND:
      return FromGrpcStatus(status);
    default:
      return absl::InternalError(absl::StrCat(
          peer, " refused ", what, ": ", StatusCodeName(status.error_code()),
          " ", status.error_message()));
  }
}

std::string StatusCodeName(grpc::StatusCode code) {
  return absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
}

}  // namespace unionhub::rpc
