// The JSON gateway: POST /api/<package.Service>/<Method> mapped onto the
// gRPC method by its compiled-in descriptors (common/rpc/generic_call.h),
// request and response in protobuf's JSON mapping, the caller's bearer
// token forwarded so the services' gate decides everything. No HTTP
// library here: the console's server (console_server.cc) hands in the
// path, body and token and writes out what it gets back.
#ifndef UNIONHUB_SERVICES_CONSOLE_GATEWAY_H_
#define UNIONHUB_SERVICES_CONSOLE_GATEWAY_H_

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/rpc/generic_call.h"

namespace unionhub::console {

// An HTTP status and a JSON body.
struct JsonReply {
  int http_status = 200;
  std::string body;
};

// The HTTP status of a gRPC status code (the usual gateway mapping:
// INVALID_ARGUMENT 400, UNAUTHENTICATED 401, PERMISSION_DENIED 403,
// NOT_FOUND 404, ALREADY_EXISTS/ABORTED 409, UNAVAILABLE 503, ...).
int HttpStatusFor(grpc::StatusCode code);

// {"code":"INVALID_ARGUMENT","message":"...","field_violations":[{"field":
// "...","description":"...","reason":"..."}]} with HttpStatusFor(code).
// The reason (common/core/violations.h, "" when none) is what the web app
// translates; the description stays the service's English.
JsonReply ErrorReply(grpc::StatusCode code, absl::string_view message,
                     const std::vector<FieldViolation>& violations);
// The console's own refusals, whose checks give no reason.
JsonReply ErrorReply(
    grpc::StatusCode code, absl::string_view message,
    const std::vector<std::pair<std::string, std::string>>& violations = {});

// A reply for a failed call: the service's code, message and field
// violations, and for FAILED_PRECONDITION its broken rules as
// "precondition_violations":[{"type","subject","description","actual",
// "required"}] (actual and required as JSON numbers: counts, not money). A
// transport failure of our own channel (UNAVAILABLE, DEADLINE_EXCEEDED) names
// the service instead of its address.
JsonReply CallErrorReply(const grpc::Status& status, absl::string_view backend);

// A message in protobuf's JSON mapping with the proto field names
// ("org_id") and every field, zeros included, so pages need no defaults;
// int64 (money in fen) as strings, which browsers read without rounding.
std::string ToJson(const google::protobuf::Message& message);

struct GatewayConfig {
  // "membership", "finance", "awards" -> channel (TLS, no token of its own).
  std::map<std::string, std::shared_ptr<grpc::Channel>> channels;
  absl::Duration deadline = absl::Seconds(30);  // of a unary call
};

// A method the gateway may call and where it lives.
struct Route {
  const google::protobuf::MethodDescriptor* method = nullptr;
  std::string backend;  // key of GatewayConfig::channels
  grpc::Channel* channel = nullptr;
};

// An NDJSON stream in progress: one message per line.
class JsonStream {
 public:
  JsonStream(std::unique_ptr<grpc::ClientContext> context, const Route& route,
             std::unique_ptr<google::protobuf::Message> request);
  ~JsonStream();
  // Reads the first message; false (and `error` set) when the call failed
  // before sending anything, so the caller can still answer with a status.
  bool Begin(JsonReply* error);
  // The next line ("...\n"): first the message Begin read, then the rest;
  // a failure after the first message becomes a last line {"error":{...}}.
  // False when nothing is left.
  bool NextLine(std::string* line);
  // The HTTP client went away.
  void Cancel();

 private:
  std::unique_ptr<grpc::ClientContext> context_;
  Route route_;
  std::unique_ptr<google::protobuf::Message> request_;
  std::unique_ptr<rpc::StreamReader> reader_;
  std::unique_ptr<google::protobuf::Message> pending_;
  bool done_ = false;
};

class Gateway {
 public:
  explicit Gateway(GatewayConfig config);

  // "unionhub.finance.v1.FinanceService/GetCollectionReport" -> the route;
  // the audit trail service runs in every service, so `backend_hint`
  // ("?service=finance") picks one. A 404 reply for an unknown service or
  // method, 501 for client-streaming methods (not offered over JSON).
  bool Resolve(absl::string_view service_and_method,
               absl::string_view backend_hint, Route* route,
               JsonReply* error) const;

  // The request from its JSON body ("" is {}); a 400 reply naming the
  // problem when the JSON does not fit the request message.
  std::unique_ptr<google::protobuf::Message> ParseRequest(
      const Route& route, absl::string_view body, JsonReply* error) const;

  // One unary call with `bearer` (may be empty: the service then answers
  // UNAUTHENTICATED).
  JsonReply Unary(const Route& route, const google::protobuf::Message& request,
                  const std::string& bearer) const;

  // A server-streaming call (no deadline: the services' idle and stream
  // limits end it).
  std::unique_ptr<JsonStream> Stream(
      const Route& route, std::unique_ptr<google::protobuf::Message> request,
      const std::string& bearer) const;

  // A context carrying `bearer`, with the unary deadline unless `stream`
  // (the downloads make their calls with it too).
  std::unique_ptr<grpc::ClientContext> NewContext(const std::string& bearer,
                                                  bool stream) const;
  // The channel to `backend` ("finance"), or null when not configured.
  std::shared_ptr<grpc::Channel> ChannelOf(const std::string& backend) const;

 private:
  GatewayConfig config_;
};

}  // namespace unionhub::console

#endif  // UNIONHUB_SERVICES_CONSOLE_GATEWAY_H_
