#include "services/console/console_server.h"

#include <httplib.h>

#include <chrono>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/auth/roles.h"
#include "common/core/log.h"
#include "services/console/downloads.h"
#include "services/console/security.h"

namespace unionhub::console {
namespace {

using nlohmann::json;

void Reply(httplib::Response& res, const JsonReply& reply) {
  res.status = reply.http_status;
  res.set_content(reply.body, "application/json; charset=utf-8");
}

void Refuse(
    httplib::Response& res, grpc::StatusCode code, absl::string_view message,
    const std::vector<std::pair<std::string, std::string>>& violations = {}) {
  Reply(res, ErrorReply(code, message, violations));
}

std::string Dump(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace

// Server-streaming calls that are still running, so Stop() can end them
// (a WatchEvents stream would otherwise hold its HTTP thread forever).
class StreamRegistry {
 public:
  void Add(JsonStream* stream) {
    std::lock_guard<std::mutex> lock(mu_);
    streams_.insert(stream);
  }
  void Remove(JsonStream* stream) {
    std::lock_guard<std::mutex> lock(mu_);
    streams_.erase(stream);
  }
  void CancelAll() {
    std::lock_guard<std::mutex> lock(mu_);
    for (JsonStream* stream : streams_) stream->Cancel();
  }

 private:
  std::mutex mu_;
  std::set<JsonStream*> streams_;
};

namespace {
StreamRegistry& Streams() {
  static StreamRegistry* registry = new StreamRegistry();
  return *registry;
}
}  // namespace

ConsoleServer::ConsoleServer(ConsoleConfig config)
    : config_(std::move(config)), gateway_(config_.gateway) {}

ConsoleServer::~ConsoleServer() { Stop(); }

absl::Status ConsoleServer::Start() {
  server_ = std::make_unique<httplib::SSLServer>(config_.tls_cert_file.c_str(),
                                                 config_.tls_key_file.c_str());
  if (!server_->is_valid()) {
    return absl::InvalidArgumentError(
        "cannot load the TLS certificate or key (--tls_cert_file, "
        "--tls_key_file)");
  }
  const int threads = config_.http_threads;
  server_->new_task_queue = [threads] {
    return new httplib::ThreadPool(static_cast<size_t>(threads));
  };
  server_->set_payload_max_length(config_.max_body_bytes);
  httplib::Headers headers;
  for (const auto& [name, value] : SecurityHeaders()) {
    headers.emplace(name, value);
  }
  server_->set_default_headers(headers);
  // Only what the app needs; a file of any other type is not served as
  // something a browser might run.
  server_->set_file_extension_and_mimetype_mapping("js", "text/javascript");
  server_->set_file_extension_and_mimetype_mapping("html",
                                                   "text/html; charset=utf-8");
  server_->set_file_extension_and_mimetype_mapping("css",
                                                   "text/css; charset=utf-8");
  if (!config_.web_root.empty() &&
      !server_->set_mount_point("/", config_.web_root)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--web_root is not a folder: ", config_.web_root));
  }
  Routes();
  if (config_.port == 0) {
    port_ = server_->bind_to_any_port(config_.host);
    if (port_ < 0) port_ = 0;
  } else if (server_->bind_to_port(config_.host, config_.port)) {
    port_ = config_.port;
  }
  if (port_ == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", config_.host, ":", config_.port));
  }
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  // httplib's stop() does nothing until the listen loop runs, so a Stop()
  // right after Start() would leave the loop (and the join) running for
  // good: return only once it runs.
  for (int waited_ms = 0; !server_->is_running() && waited_ms < 10000;
       waited_ms += 5) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  log::Info("console listening (HTTPS)",
            {{"address", config_.host}, {"port", absl::StrCat(port_)}});
  return absl::OkStatus();
}

void ConsoleServer::Stop() {
  if (server_ == nullptr) return;
  server_->stop();
  Streams().CancelAll();
  if (thread_.joinable()) thread_.join();
  server_.reset();
}

void ConsoleServer::Routes() {
  httplib::SSLServer& s = *server_;

  // JSON errors for what httplib refuses itself (too large, no route).
  s.set_error_handler([this](const httplib::Request& req,
                             httplib::Response& res) {
    if (!res.body.empty()) return;
    const int status = res.status;
    if (status == 413) {
      Reply(res,
            {413, ErrorReply(grpc::StatusCode::RESOURCE_EXHAUSTED,
                             absl::StrCat("the request is larger than ",
                                          config_.max_body_bytes, " bytes"))
                      .body});
      return;
    }
    if (absl::StartsWith(req.path, "/api/") || status != 404) {
      JsonReply reply = ErrorReply(grpc::StatusCode::NOT_FOUND, "not found");
      reply.http_status = status;
      Reply(res, reply);
    }
  });
  s.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
        Refuse(res, grpc::StatusCode::INTERNAL, "internal error");
      });
  // One line per request: never the query, body or headers (tokens);
  // not the probes' /healthz every few seconds.
  s.set_logger([](const httplib::Request& req, const httplib::Response& res) {
    if (req.path == "/healthz") return;
    log::Info("http", {{"method", req.method},
                       {"path", req.path},
                       {"status", absl::StrCat(res.status)}});
  });
  s.set_post_routing_handler(
      [](const httplib::Request& req, httplib::Response& res) {
        if (absl::StartsWith(req.path, "/api/")) {
          res.set_header("Cache-Control", "no-store");
        } else {
          res.set_header("Cache-Control", "no-cache");
        }
      });

  // Kubelet's probes (HTTPS, certificate not checked) and load balancers:
  // the process serves. It holds no state and reaches the services only on
  // a caller's behalf, so there is nothing else to report.
  s.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("{\"status\":\"SERVING\"}",
                    "application/json; charset=utf-8");
  });

  // Who is signed in, and whether the development sign-in is offered; also
  // hands the page its CSRF cookie.
  s.Get("/api/session",
        [this](const httplib::Request& req, httplib::Response& res) {
          const std::string cookie_header = req.get_header_value("Cookie");
          if (ParseCookies(cookie_header).count(kCsrfCookie) == 0) {
            res.set_header("Set-Cookie", CsrfCookieValue(NewCsrfToken()));
          }
          CallerToken caller = TokenOf(
              req.get_header_value("Authorization"),
              config_.identity_header.empty()
                  ? ""
                  : req.get_header_value(config_.identity_header.c_str()),
              cookie_header);
          json body = {{"dev_sign_in", !config_.dev_signing_key_pem.empty()},
                       {"signed_in", false}};
          if (!config_.dev_signing_key_pem.empty()) {
            body["known_roles"] = auth::KnownRoles();
          }
          if (!caller.token.empty()) {
            if (config_.verifier == nullptr) {
              body["signed_in"] = true;
            } else {
              absl::StatusOr<auth::Claims> claims =
                  config_.verifier->Verify(caller.token, absl::Now());
              if (claims.ok()) {
                body["signed_in"] = true;
                body["subject"] = claims->subject;
                body["roles"] = claims->roles;
                // What those roles grant, by the gate's own table, so the
                // web app offers only pages the services would serve.
                body["permissions"] = auth::PermissionsOf(claims->roles);
                body["org_id"] = absl::StrCat(claims->org_scope);
              }
            }
          }
          res.set_content(Dump(body), "application/json; charset=utf-8");
        });

  // Every other /api request is a POST carrying the CSRF token when its
  // credential is ambient (a cookie or the identity proxy's header).
  // `always_csrf`: also without a credential (signing in must not be
  // forgeable either, or a page elsewhere could sign a browser in as
  // someone else).
  auto admit = [this](const httplib::Request& req, httplib::Response& res,
                      CallerToken* caller, bool always_csrf = false) {
    if (!absl::StartsWith(req.get_header_value("Content-Type"),
                          "application/json")) {
      Reply(res, {415, ErrorReply(grpc::StatusCode::INVALID_ARGUMENT,
                                  "send Content-Type: application/json")
                           .body});
      return false;
    }
    const std::string cookie_header = req.get_header_value("Cookie");
    *caller =
        TokenOf(req.get_header_value("Authorization"),
                config_.identity_header.empty()
                    ? ""
                    : req.get_header_value(config_.identity_header.c_str()),
                cookie_header);
    if (caller->malformed) {
      Refuse(res, grpc::StatusCode::UNAUTHENTICATED,
             "the bearer token is malformed");
      return false;
    }
    if ((caller->ambient || always_csrf) &&
        !CsrfOk(cookie_header, req.get_header_value(kCsrfHeader))) {
      Refuse(res, grpc::StatusCode::PERMISSION_DENIED,
             "missing or wrong CSRF token: send the uh_csrf cookie's value "
             "in X-CSRF-Token (or use Authorization: Bearer)");
      return false;
    }
    return true;
  };

  s.Post("/api/session/dev-sign-in", [this, admit](const httplib::Request& req,
                                                   httplib::Response& res) {
    if (config_.dev_signing_key_pem.empty()) {
      Refuse(res, grpc::StatusCode::NOT_FOUND, "not found");
      return;
    }
    CallerToken caller;
    if (!admit(req, res, &caller, /*always_csrf=*/true)) return;
    const json body = json::parse(req.body, nullptr, false);
    std::vector<std::pair<std::string, std::string>> violations;
    auth::Claims claims;
    std::string role;
    if (body.is_object() && body.contains("role") && body["role"].is_string()) {
      role = body["role"].get<std::string>();
    }
    absl::StatusOr<std::vector<std::string>> roles = auth::ParseRoles(role);
    if (!roles.ok() || roles->size() != 1) {
      violations.emplace_back("role", "choose one of the known roles");
    } else {
      claims.roles = *roles;
    }
    int64_t org = 0;
    if (body.is_object() && body.contains("org_id")) {
      const json& value = body["org_id"];
      bool good = false;
      if (value.is_number_integer()) {
        org = value.get<int64_t>();
        good = true;
      } else if (value.is_string()) {
        good = absl::SimpleAtoi(value.get<std::string>(), &org);
      }
      if (!good || org < 0) {
        violations.emplace_back("org_id",
                                "an organisation id (0 for everywhere)");
      }
    }
    claims.org_scope = org;
    claims.subject = absl::StrCat("console-", role, org > 0 ? "-" : "",
                                  org > 0 ? absl::StrCat(org) : "");
    if (!violations.empty()) {
      Refuse(res, grpc::StatusCode::INVALID_ARGUMENT,
             "the sign-in form has errors", violations);
      return;
    }
    claims.issuer = config_.dev_issuer;
    claims.audience = config_.dev_audience;
    claims.issued_at = absl::Now();
    claims.expires_at = claims.issued_at + config_.dev_session_ttl;
    absl::StatusOr<std::string> token =
        auth::MintToken(claims, config_.dev_signing_key_pem);
    if (!token.ok()) {
      log::Error("development sign-in: cannot mint",
                 {{"error", std::string(token.status().message())}});
      Refuse(res, grpc::StatusCode::INTERNAL, "cannot sign in");
      return;
    }
    res.set_header(
        "Set-Cookie",
        SessionCookieValue(*token, static_cast<int>(absl::ToInt64Seconds(
                                       config_.dev_session_ttl))));
    json out = {{"subject", claims.subject},
                {"roles", claims.roles},
                {"org_id", absl::StrCat(org)}};
    res.set_content(Dump(out), "application/json; charset=utf-8");
  });

  s.Post("/api/session/sign-out",
         [admit](const httplib::Request& req, httplib::Response& res) {
           CallerToken caller;
           if (!admit(req, res, &caller)) return;
           for (const std::string& cookie : ClearedCookies()) {
             res.set_header("Set-Cookie", cookie);
           }
           res.set_content("{}", "application/json; charset=utf-8");
         });

  // Downloads are GETs a link or fetch() can make with the session; they
  // only read, and the Strict session cookie is not sent from other
  // sites' pages, so no CSRF token is asked for.
  auto download = [this](const httplib::Request& req, httplib::Response& res,
                         Download (*make)(const Gateway&, const Query&,
                                          const std::string&)) {
    CallerToken caller =
        TokenOf(req.get_header_value("Authorization"),
                config_.identity_header.empty()
                    ? ""
                    : req.get_header_value(config_.identity_header.c_str()),
                req.get_header_value("Cookie"));
    if (caller.malformed) {
      Refuse(res, grpc::StatusCode::UNAUTHENTICATED,
             "the bearer token is malformed");
      return;
    }
    Query query;
    for (const auto& [name, value] : req.params) query.emplace(name, value);
    Download file = make(gateway_, query, caller.token);
    if (file.error.http_status != 200) {
      Reply(res, file.error);
      return;
    }
    res.set_header("Content-Disposition", file.content_disposition);
    res.set_content(std::move(file.body), file.content_type);
  };
  s.Get("/api/download/audit-workbook",
        [download](const httplib::Request& req, httplib::Response& res) {
          download(req, res, &AuditWorkbook);
        });
  s.Get("/api/download/arrears.csv",
        [download](const httplib::Request& req, httplib::Response& res) {
          download(req, res, &ArrearsCsv);
        });
  s.Get("/api/download/publicity-notice.pdf",
        [download](const httplib::Request& req, httplib::Response& res) {
          download(req, res, &PublicityNoticePdf);
        });

  s.Post(
      R"(/api/([A-Za-z0-9_.]+/[A-Za-z0-9_]+))",
      [this, admit](const httplib::Request& req, httplib::Response& res) {
        CallerToken caller;
        if (!admit(req, res, &caller)) return;
        Route route;
        JsonReply error;
        if (!gateway_.Resolve(req.matches[1].str(),
                              req.get_param_value("service"), &route, &error)) {
          Reply(res, error);
          return;
        }
        std::unique_ptr<google::protobuf::Message> request =
            gateway_.ParseRequest(route, req.body, &error);
        if (request == nullptr) {
          Reply(res, error);
          return;
        }
        if (!route.method->server_streaming()) {
          Reply(res, gateway_.Unary(route, *request, caller.token));
          return;
        }
        std::shared_ptr<JsonStream> stream =
            gateway_.Stream(route, std::move(request), caller.token);
        Streams().Add(stream.get());
        if (!stream->Begin(&error)) {
          Streams().Remove(stream.get());
          Reply(res, error);
          return;
        }
        res.set_chunked_content_provider(
            "application/x-ndjson",
            [stream](size_t, httplib::DataSink& sink) {
              std::string line;
              if (!stream->NextLine(&line)) {
                sink.done();
                return true;
              }
              if (!sink.write(line.data(), line.size())) {
                stream->Cancel();  // the caller went away
                return false;
              }
              return true;
            },
            [stream](bool) { Streams().Remove(stream.get()); });
      });
}

}  // namespace unionhub::console
