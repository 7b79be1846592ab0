#include "services/console/gateway.h"

#include <google/protobuf/util/json_util.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/core/log.h"
#include "common/rpc/status.h"

namespace unionhub::console {
namespace {

namespace pb = ::google::protobuf;

// Which service serves a package.
std::string BackendOf(const pb::ServiceDescriptor* service) {
  const std::string& package = service->file()->package();
  if (absl::StartsWith(package, "unionhub.membership.")) return "membership";
  if (absl::StartsWith(package, "unionhub.finance.")) return "finance";
  if (absl::StartsWith(package, "unionhub.awards.")) return "awards";
  return "";  // the audit trail: in every service
}

}  // namespace

int HttpStatusFor(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return 200;
    case grpc::StatusCode::CANCELLED:
      return 499;
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::FAILED_PRECONDITION:
    case grpc::StatusCode::OUT_OF_RANGE:
      return 400;
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return 504;
    case grpc::StatusCode::NOT_FOUND:
      return 404;
    case grpc::StatusCode::ALREADY_EXISTS:
    case grpc::StatusCode::ABORTED:
      return 409;
    case grpc::StatusCode::PERMISSION_DENIED:
      return 403;
    case grpc::StatusCode::UNAUTHENTICATED:
      return 401;
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return 429;
    case grpc::StatusCode::UNIMPLEMENTED:
      return 501;
    case grpc::StatusCode::UNAVAILABLE:
      return 503;
    default:  // UNKNOWN, INTERNAL, DATA_LOSS
      return 500;
  }
}

namespace {

nlohmann::json ErrorBody(grpc::StatusCode code, absl::string_view message,
                         const std::vector<FieldViolation>& violations) {
  nlohmann::json body = {{"code", rpc::StatusCodeName(code)},
                         {"message", std::string(message)},
                         {"field_violations", nlohmann::json::array()}};
  for (const FieldViolation& v : violations) {
    body["field_violations"].push_back({{"field", v.field},
                                        {"description", v.description},
                                        {"reason", v.reason}});
  }
  return body;
}

JsonReply Dump(grpc::StatusCode code, const nlohmann::json& body) {
  // Invalid UTF-8 from anywhere is replaced, never a reason to fail.
  return {HttpStatusFor(code),
          body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)};
}

}  // namespace

JsonReply ErrorReply(grpc::StatusCode code, absl::string_view message,
                     const std::vector<FieldViolation>& violations) {
  return Dump(code, ErrorBody(code, message, violations));
}

JsonReply ErrorReply(
    grpc::StatusCode code, absl::string_view message,
    const std::vector<std::pair<std::string, std::string>>& violations) {
  std::vector<FieldViolation> plain;
  for (const auto& [field, description] : violations) {
    plain.push_back({field, description});
  }
  return ErrorReply(code, message, plain);
}

JsonReply CallErrorReply(const grpc::Status& status,
                         absl::string_view backend) {
  const grpc::StatusCode code = status.error_code();
  if (code == grpc::StatusCode::UNAVAILABLE ||
      code == grpc::StatusCode::DEADLINE_EXCEEDED) {
    // gRPC's own text names addresses and socket errors: the log gets it.
    log::Warn("call to a service failed", {{"service", std::string(backend)},
                                           {"code", rpc::StatusCodeName(code)},
                                           {"error", status.error_message()}});
    return ErrorReply(code, absl::StrCat("the ", backend,
                                         " service did not answer; try again"));
  }
  nlohmann::json body = ErrorBody(code, status.error_message(),
                                  rpc::FieldViolations(status.error_details()));
  const std::vector<PreconditionViolation> broken =
      rpc::PreconditionViolations(status.error_details());
  if (!broken.empty()) {
    body["precondition_violations"] = nlohmann::json::array();
    for (const PreconditionViolation& v : broken) {
      body["precondition_violations"].push_back({{"type", v.type},
                                                 {"subject", v.subject},
                                                 {"description", v.description},
                                                 {"actual", v.actual},
                                                 {"required", v.required}});
    }
  }
  return Dump(code, body);
}

std::string ToJson(const pb::Message& message) {
  pb::util::JsonPrintOptions options;
  options.always_print_primitive_fields = true;
  options.preserve_proto_field_names = true;
  std::string out;
  // Our generated messages always print; an error would be a bug.
  (void)pb::util::MessageToJsonString(message, &out, options);
  return out;
}

// ------------------------------------------------------------------ stream

JsonStream::JsonStream(std::unique_ptr<grpc::ClientContext> context,
                       const Route& route, std::unique_ptr<pb::Message> request)
    : context_(std::move(context)),
      route_(route),
      request_(std::move(request)) {}

JsonStream::~JsonStream() {
  if (reader_ != nullptr && !done_) {
    context_->TryCancel();
    std::unique_ptr<pb::Message> rest =
        rpc::NewMessage(route_.method->output_type());
    while (reader_->Read(rest.get())) {
    }
    (void)reader_->Finish();
  }
}

bool JsonStream::Begin(JsonReply* error) {
  reader_ = std::make_unique<rpc::StreamReader>(*route_.channel, route_.method,
                                                *context_, *request_);
  pending_ = rpc::NewMessage(route_.method->output_type());
  if (reader_->Read(pending_.get())) return true;
  pending_.reset();
  done_ = true;
  grpc::Status status = reader_->Finish();
  if (status.ok()) return true;  // an empty stream: no lines
  *error = CallErrorReply(status, route_.backend);
  return false;
}

bool JsonStream::NextLine(std::string* line) {
  // The first message was read by Begin (to tell a stream from an error);
  // every later one is read here and written at once, so a line reaches
  // the caller as soon as its message arrives, not one message late.
  if (pending_ != nullptr) {
    *line = ToJson(*pending_) + "\n";
    pending_.reset();
    return true;
  }
  if (done_) return false;
  std::unique_ptr<pb::Message> next =
      rpc::NewMessage(route_.method->output_type());
  if (reader_->Read(next.get())) {
    *line = ToJson(*next) + "\n";
    return true;
  }
  done_ = true;
  grpc::Status status = reader_->Finish();
  if (status.ok()) return false;
  JsonReply error = CallErrorReply(status, route_.backend);
  *line = absl::StrCat("{\"error\":", error.body, "}\n");
  return true;
}

void JsonStream::Cancel() { context_->TryCancel(); }

// ------------------------------------------------------------------ gateway

Gateway::Gateway(GatewayConfig config) : config_(std::move(config)) {}

bool Gateway::Resolve(absl::string_view service_and_method,
                      absl::string_view backend_hint, Route* route,
                      JsonReply* error) const {
  const size_t slash = service_and_method.rfind('/');
  const pb::MethodDescriptor* method = nullptr;
  if (slash != absl::string_view::npos) {
    const absl::string_view service = service_and_method.substr(0, slash);
    const absl::string_view name = service_and_method.substr(slash + 1);
    for (const auto* s : rpc::UnionhubServices()) {
      if (s->full_name() != service) continue;
      method = s->FindMethodByName(std::string(name));
    }
  }
  if (method == nullptr) {
    *error =
        ErrorReply(grpc::StatusCode::NOT_FOUND,
                   "no such method (POST /api/<package.Service>/<Method>)");
    return false;
  }
  if (method->client_streaming()) {
    *error = ErrorReply(grpc::StatusCode::UNIMPLEMENTED,
                        "methods that stream their requests are not offered "
                        "over JSON; use gRPC or unionctl");
    return false;
  }
  std::string backend = BackendOf(method->service());
  if (backend.empty()) backend = std::string(backend_hint);
  auto channel = config_.channels.find(backend);
  if (channel == config_.channels.end()) {
    *error =
        ErrorReply(grpc::StatusCode::NOT_FOUND,
                   backend.empty() ? "this service runs in every service: add "
                                     "?service=membership, finance or awards"
                                   : "no such service");
    return false;
  }
  route->method = method;
  route->backend = backend;
  route->channel = channel->second.get();
  return true;
}

std::unique_ptr<pb::Message> Gateway::ParseRequest(const Route& route,
                                                   absl::string_view body,
                                                   JsonReply* error) const {
  std::unique_ptr<pb::Message> request =
      rpc::NewMessage(route.method->input_type());
  const absl::string_view trimmed = absl::StripAsciiWhitespace(body);
  if (trimmed.empty()) return request;
  pb::util::JsonParseOptions options;
  auto parsed = pb::util::JsonStringToMessage(
      pb::StringPiece(trimmed.data(), trimmed.size()), request.get(), options);
  if (!parsed.ok()) {
    *error =
        ErrorReply(grpc::StatusCode::INVALID_ARGUMENT,
                   absl::StrCat("the request body is not a ",
                                route.method->input_type()->full_name(),
                                " in JSON: ", parsed.message().as_string()));
    return nullptr;
  }
  return request;
}

std::unique_ptr<grpc::ClientContext> Gateway::NewContext(
    const std::string& bearer, bool stream) const {
  auto context = std::make_unique<grpc::ClientContext>();
  if (!bearer.empty()) {
    context->AddMetadata("authorization", absl::StrCat("Bearer ", bearer));
  }
  if (!stream) {
    context->set_deadline(std::chrono::system_clock::now() +
                          absl::ToChronoMilliseconds(config_.deadline));
  }
  return context;
}

std::shared_ptr<grpc::Channel> Gateway::ChannelOf(
    const std::string& backend) const {
  auto it = config_.channels.find(backend);
  return it == config_.channels.end() ? nullptr : it->second;
}

JsonReply Gateway::Unary(const Route& route, const pb::Message& request,
                         const std::string& bearer) const {
  std::unique_ptr<grpc::ClientContext> context = NewContext(bearer, false);
  std::unique_ptr<pb::Message> response =
      rpc::NewMessage(route.method->output_type());
  grpc::Status status = rpc::CallUnary(*route.channel, route.method, *context,
                                       request, response.get());
  if (!status.ok()) return CallErrorReply(status, route.backend);
  return {200, ToJson(*response)};
}

std::unique_ptr<JsonStream> Gateway::Stream(
    const Route& route, std::unique_ptr<pb::Message> request,
    const std::string& bearer) const {
  return std::make_unique<JsonStream>(NewContext(bearer, true), route,
                                      std::move(request));
}

}  // namespace unionhub::console
