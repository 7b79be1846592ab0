// unionhub-console: the web console and JSON gateway. flags/env -> wiring
// -> serve until SIGTERM. It has no database: it only forwards the
// caller's token to the three services, whose gate decides everything.
//
// It takes the services' flag conventions (UNIONHUB_<FLAG> environment
// fallbacks, --tls_cert_file/--tls_key_file, the peers' --<peer>_address
// and TLS client-certificate flags from common/rpc/service_host.h) but not
// the ServiceHost itself, which is a gRPC server over a database pool.
#include <grpcpp/create_channel.h>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "common/core/config.h"
#include "common/core/log.h"
#include "common/rpc/security_flags.h"
#include "common/rpc/server.h"
#include "common/rpc/service_host.h"
#include "services/console/console_server.h"

ABSL_DECLARE_FLAG(std::string, tls_cert_file);
ABSL_DECLARE_FLAG(std::string, tls_key_file);
ABSL_DECLARE_FLAG(std::string, jwt_public_key_file);
ABSL_DECLARE_FLAG(std::string, jwt_issuer);
ABSL_DECLARE_FLAG(std::string, jwt_audience);

ABSL_FLAG(std::string, console_listen, "127.0.0.1:8443",
          "address:port of the console's HTTPS server");
ABSL_FLAG(std::string, web_root, "",
          "folder of the web app's files (services/console/web)");
ABSL_FLAG(std::string, dev_signing_key_file, "",
          "DEVELOPMENT ONLY: the token signing key; turns on the sign-in "
          "page that mints a token for any role and org. Never in "
          "production, where the identity proxy supplies the token");
ABSL_FLAG(std::string, identity_header, "",
          "header in which the organisation's identity proxy passes the "
          "signed-in user's bearer token (e.g. X-Forwarded-Access-Token); "
          "empty: none trusted");
ABSL_FLAG(int, max_body_bytes, 1 << 20, "largest request body accepted");
ABSL_FLAG(int, call_deadline_seconds, 30, "deadline of each unary call");
ABSL_FLAG(int, http_threads, 32,
          "threads serving HTTP requests (a stream holds one)");

namespace {

using namespace unionhub;

absl::Status Configure(console::ConsoleConfig& config) {
  const std::string listen = absl::GetFlag(FLAGS_console_listen);
  const size_t colon = listen.rfind(':');
  if (colon == std::string::npos ||
      !absl::SimpleAtoi(listen.substr(colon + 1), &config.port)) {
    return absl::InvalidArgumentError("--console_listen: want host:port");
  }
  config.host = listen.substr(0, colon);
  config.tls_cert_file = absl::GetFlag(FLAGS_tls_cert_file);
  config.tls_key_file = absl::GetFlag(FLAGS_tls_key_file);
  if (config.tls_cert_file.empty() || config.tls_key_file.empty()) {
    return absl::InvalidArgumentError(
        "HTTPS only: give --tls_cert_file and --tls_key_file");
  }
  config.web_root = absl::GetFlag(FLAGS_web_root);
  config.identity_header = absl::GetFlag(FLAGS_identity_header);
  config.max_body_bytes =
      static_cast<size_t>(std::max(1024, absl::GetFlag(FLAGS_max_body_bytes)));
  config.http_threads = std::max(4, absl::GetFlag(FLAGS_http_threads));
  config.gateway.deadline =
      absl::Seconds(std::max(1, absl::GetFlag(FLAGS_call_deadline_seconds)));
  if (const std::string key = absl::GetFlag(FLAGS_dev_signing_key_file);
      !key.empty()) {
    absl::StatusOr<std::string> pem = auth::ReadFile(key);
    if (!pem.ok()) return pem.status();
    config.dev_signing_key_pem = *pem;
    config.dev_issuer = absl::GetFlag(FLAGS_jwt_issuer);
    config.dev_audience = absl::GetFlag(FLAGS_jwt_audience);
    log::Warn("development sign-in is ON (--dev_signing_key_file)");
  }
  if (!absl::GetFlag(FLAGS_jwt_public_key_file).empty()) {
    auto verifier = rpc::TokenVerifierFromFlags();
    if (!verifier.ok()) return verifier.status();
    config.verifier = *verifier;
  }
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(64 << 20);  // reports can be large
  for (const char* name : {"membership", "finance", "awards"}) {
    absl::StatusOr<rpc::PeerEndpoint> peer = rpc::PeerFromFlags(name);
    if (!peer.ok()) return peer.status();
    config.gateway.channels[name] =
        grpc::CreateCustomChannel(peer->target, peer->credentials, args);
  }
  return absl::OkStatus();
}

}  // namespace

int main(int argc, char** argv) {
  rpc::BlockTerminationSignals();
  config::ParseFlags(argc, argv,
                     "unionhub-console: the web console and JSON gateway "
                     "(flags may also be given as UNIONHUB_<FLAG> "
                     "environment variables)");
  log::SetComponent("console");
  console::ConsoleConfig config;
  if (absl::Status configured = Configure(config); !configured.ok()) {
    log::Error("bad configuration; refusing to start",
               {{"error", std::string(configured.message())}});
    return 1;
  }
  console::ConsoleServer server(std::move(config));
  if (absl::Status started = server.Start(); !started.ok()) {
    log::Error("cannot start", {{"error", std::string(started.message())}});
    return 1;
  }
  rpc::WaitForTerminationSignal();
  server.Stop();
  log::Info("stopped");
  return 0;
}
