// The console's HTTPS server: the web app's static files, the JSON gateway
// under /api/<package.Service>/<Method>, and the session endpoints
// (/api/session, the development sign-in). Used by main.cc and by the
// tests, so tests run production's wiring.
#ifndef UNIONHUB_SERVICES_CONSOLE_CONSOLE_SERVER_H_
#define UNIONHUB_SERVICES_CONSOLE_CONSOLE_SERVER_H_

#include <memory>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/auth/jwt.h"
#include "services/console/gateway.h"

namespace httplib {
class SSLServer;
}

namespace unionhub::console {

struct ConsoleConfig {
  std::string host = "127.0.0.1";
  int port = 0;               // 0: any free port
  std::string tls_cert_file;  // PEM; HTTPS only, there is no plain listener
  std::string tls_key_file;
  std::string web_root;  // the web app's folder ("" serves no files)
  GatewayConfig gateway;
  // Requests larger than this are refused with 413.
  size_t max_body_bytes = 1 << 20;
  int http_threads = 32;
  // The header the identity proxy puts the user's bearer token in
  // (production); empty: none is trusted.
  std::string identity_header;
  // Development only: a signing key turns on the sign-in page, which mints
  // a token for a chosen role and org.
  std::string dev_signing_key_pem;
  std::string dev_issuer = "unionhub-dev";
  std::string dev_audience = "unionhub";
  absl::Duration dev_session_ttl = absl::Hours(8);
  // Shows who is signed in (GET /api/session); optional.
  std::shared_ptr<const auth::TokenVerifier> verifier;
};

class ConsoleServer {
 public:
  explicit ConsoleServer(ConsoleConfig config);
  ~ConsoleServer();  // Stop()s
  ConsoleServer(const ConsoleServer&) = delete;
  ConsoleServer& operator=(const ConsoleServer&) = delete;

  // Loads the certificate, binds and serves on a thread of its own.
  absl::Status Start();
  // Stops accepting, lets requests in progress finish. Idempotent.
  void Stop();
  int port() const { return port_; }

 private:
  void Routes();
  ConsoleConfig config_;
  Gateway gateway_;
  std::unique_ptr<httplib::SSLServer> server_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace unionhub::console

#endif  // UNIONHUB_SERVICES_CONSOLE_CONSOLE_SERVER_H_
