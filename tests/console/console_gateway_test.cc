// The console's JSON gateway and its browser-facing rules against real
// membership and finance servers (tests/support fixtures) on a fresh
// schema, called over HTTPS as a browser or an integrator would.
#include <grpcpp/create_channel.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/console/console_server.h"
#include "tests/support/finance_fixture.h"
#include "tests/support/test_env.h"

namespace unionhub::testing {
namespace {

using nlohmann::json;

constexpr char kCreateOrg[] =
    "/api/unionhub.membership.v1.MembershipService/CreateOrg";

class ConsoleGatewayTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    InstallTestPii();
    services_ = new FinanceServer("console_gw");
  }
  static void TearDownTestSuite() {
    delete services_;
    services_ = nullptr;
  }

  void SetUp() override {
    console::ConsoleConfig config;
    config.tls_cert_file = SecretsDir() + "/server.pem";
    config.tls_key_file = SecretsDir() + "/server.key";
    config.web_root = UNIONHUB_CONSOLE_WEB_ROOT;
    config.max_body_bytes = 64 * 1024;
    config.dev_signing_key_pem = ReadSecret("jwt-signing.pem");
    config.verifier = TestVerifier();
    config.gateway.channels["membership"] = grpc::CreateChannel(
        services_->membership().target(), TestChannelCredentials(""));
    config.gateway.channels["finance"] =
        grpc::CreateChannel(services_->target(), TestChannelCredentials(""));
    console_ = std::make_unique<console::ConsoleServer>(std::move(config));
    ASSERT_TRUE(console_->Start().ok());
  }
  void TearDown() override { console_->Stop(); }

  std::unique_ptr<httplib::SSLClient> Client() const {
    auto client =
        std::make_unique<httplib::SSLClient>("127.0.0.1", console_->port());
    client->set_ca_cert_path((SecretsDir() + "/ca.pem").c_str());
    client->enable_server_certificate_verification(true);
    client->set_read_timeout(60, 0);
    return client;
  }

  // A POST as an integrator: Authorization: Bearer, no cookie, no CSRF.
  httplib::Result PostBearer(const std::string& path, const std::string& token,
                             const json& body) const {
    return Client()->Post(path.c_str(),
                          {{"Authorization", absl::StrCat("Bearer ", token)}},
                          body.dump(), "application/json");
  }

  json CreateOrgBody(const std::string& name, int64_t parent = 0) const {
    static int counter = 0;
    return {{"request_id", absl::StrCat("gw-", getpid(), "-", ++counter)},
            {"org",
             {{"type", parent == 0 ? "ORG_TYPE_COUNTY_FEDERATION"
                                   : "ORG_TYPE_TOWNSHIP_UNION"},
              {"name", name},
              {"parent_id", absl::StrCat(parent)}}}};
  }

  static FinanceServer* services_;
  std::unique_ptr<console::ConsoleServer> console_;
  const std::string admin_ = MintTestToken({"admin"});
};

FinanceServer* ConsoleGatewayTest::services_ = nullptr;

TEST_F(ConsoleGatewayTest, UnaryCallMapsJsonBothWays) {
  httplib::Result created =
      PostBearer(kCreateOrg, admin_, CreateOrgBody("网关县总工会"));
  ASSERT_TRUE(created);
  ASSERT_EQ(created->status, 200) << created->body;
  EXPECT_TRUE(absl::StartsWith(created->get_header_value("Content-Type"),
                               "application/json"));
  const json org = json::parse(created->body)["org"];
  // int64 as a string (protobuf's JSON mapping), proto field names.
  ASSERT_TRUE(org["org_id"].is_string());
  EXPECT_EQ(org["name"], "网关县总工会");

  httplib::Result got =
      PostBearer("/api/unionhub.membership.v1.MembershipService/GetOrg", admin_,
                 {{"org_id", org["org_id"]}});
  ASSERT_TRUE(got);
  ASSERT_EQ(got->status, 200) << got->body;
  EXPECT_EQ(json::parse(got->body)["org"]["name"], "网关县总工会");
  // Zero-valued fields are printed too, so pages need no defaults.
  EXPECT_TRUE(json::parse(got->body)["org"].contains("legal_person_certified"));
}

TEST_F(ConsoleGatewayTest, InvalidArgumentCarriesFieldViolationsAsJson) {
  httplib::Result result = PostBearer(
      kCreateOrg, admin_,
      {{"request_id", "gw-bad"}, {"org", {{"name", ""}, {"parent_id", "0"}}}});
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 400);
  const json body = json::parse(result->body);
  EXPECT_EQ(body["code"], "INVALID_ARGUMENT");
  ASSERT_FALSE(body["field_violations"].empty()) << result->body;
  std::vector<std::string> fields;
  for (const json& v : body["field_violations"]) {
    fields.push_back(v["field"].get<std::string>());
    EXPECT_FALSE(v["description"].get<std::string>().empty());
    // The stable reason the web app translates (the org name's text rule
    // says REQUIRED for an empty name).
    if (v["field"] == "org.name") {
      EXPECT_EQ(v["reason"], "REQUIRED");
    }
  }
  EXPECT_NE(std::find(fields.begin(), fields.end(), "org.name"), fields.end())
      << result->body;
}

TEST_F(ConsoleGatewayTest, ARequestBodyThatIsNotTheMessageIsRefusedHere) {
  httplib::Result result =
      PostBearer(kCreateOrg, admin_, {{"no_such_field", 1}});
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 400);
  EXPECT_EQ(json::parse(result->body)["code"], "INVALID_ARGUMENT");
}

TEST_F(ConsoleGatewayTest, TheServicesGateDecidesWithTheCallersToken) {
  httplib::Result denied = PostBearer(kCreateOrg, MintTestToken({"auditor"}),
                                      CreateOrgBody("审计员不能建"));
  ASSERT_TRUE(denied);
  EXPECT_EQ(denied->status, 403) << denied->body;
  EXPECT_EQ(json::parse(denied->body)["code"], "PERMISSION_DENIED");

  httplib::Result anonymous = Client()->Post(
      kCreateOrg, CreateOrgBody("无令牌").dump(), "application/json");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401) << anonymous->body;

  httplib::Result forged =
      PostBearer(kCreateOrg, "not.a.valid-token", CreateOrgBody("伪造"));
  ASSERT_TRUE(forged);
  EXPECT_EQ(forged->status, 401) << forged->body;
  EXPECT_EQ(json::parse(forged->body)["code"], "UNAUTHENTICATED");
}

TEST_F(ConsoleGatewayTest, UnknownServicesAndMethodsAre404) {
  for (const char* path :
       {"/api/unionhub.membership.v1.MembershipService/NoSuchMethod",
        "/api/unionhub.nothing.v1.Nothing/Get",
        "/api/grpc.health.v1.Health/Check"}) {
    httplib::Result result = PostBearer(path, admin_, json::object());
    ASSERT_TRUE(result) << path;
    EXPECT_EQ(result->status, 404) << path;
    EXPECT_EQ(json::parse(result->body)["code"], "NOT_FOUND") << path;
  }
  // Client-streaming methods are not offered over JSON.
  httplib::Result import =
      PostBearer("/api/unionhub.membership.v1.MembershipService/ImportMembers",
                 admin_, json::object());
  ASSERT_TRUE(import);
  EXPECT_EQ(import->status, 501);
}

TEST_F(ConsoleGatewayTest, OversizedBodiesAndOtherContentTypesAreRefused) {
  const std::string big(128 * 1024, ' ');
  httplib::Result large = Client()->Post(
      kCreateOrg, {{"Authorization", absl::StrCat("Bearer ", admin_)}},
      absl::StrCat("{", big, "}"), "application/json");
  ASSERT_TRUE(large);
  EXPECT_EQ(large->status, 413);

  httplib::Result form = Client()->Post(
      kCreateOrg, {{"Authorization", absl::StrCat("Bearer ", admin_)}},
      "org.name=x", "application/x-www-form-urlencoded");
  ASSERT_TRUE(form);
  EXPECT_EQ(form->status, 415);
}

TEST_F(ConsoleGatewayTest, ServerStreamsAreNdjson) {
  // Two events exist once the orgs are made; WatchEvents then follows
  // forever, so the client reads two lines and hangs up.
  ASSERT_EQ(PostBearer(kCreateOrg, admin_, CreateOrgBody("流甲县"))->status,
            200);
  ASSERT_EQ(PostBearer(kCreateOrg, admin_, CreateOrgBody("流乙县"))->status,
            200);
  std::string received;
  httplib::Request request;
  request.method = "POST";
  request.path = "/api/unionhub.membership.v1.MembershipService/WatchEvents";
  request.headers = {{"Authorization", absl::StrCat("Bearer ", admin_)},
                     {"Content-Type", "application/json"}};
  request.body = R"({"after_sequence": "0"})";
  std::string content_type;
  request.response_handler = [&](const httplib::Response& response) {
    content_type = response.get_header_value("Content-Type");
    return response.status == 200;
  };
  request.content_receiver = [&](const char* data, size_t size, uint64_t,
                                 uint64_t) {
    received.append(data, size);
    return std::count(received.begin(), received.end(), '\n') < 2;
  };
  (void)Client()->send(request);
  EXPECT_EQ(content_type, "application/x-ndjson");
  std::vector<std::string> lines =
      absl::StrSplit(received, '\n', absl::SkipEmpty());
  ASSERT_GE(lines.size(), 2u) << received;
  for (size_t i = 0; i < 2; ++i) {
    const json line = json::parse(lines[i]);
    EXPECT_TRUE(line.contains("event")) << lines[i];
    EXPECT_TRUE(line["event"]["sequence"].is_string()) << lines[i];
  }

  // A failure before the first message is an ordinary JSON error.
  httplib::Result denied =
      PostBearer("/api/unionhub.membership.v1.MembershipService/WatchEvents",
                 MintTestToken({"reviewer"}), {{"after_sequence", "0"}});
  ASSERT_TRUE(denied);
  EXPECT_EQ(denied->status, 403) << denied->body;
  EXPECT_EQ(json::parse(denied->body)["code"], "PERMISSION_DENIED");
}

TEST_F(ConsoleGatewayTest, CookieSessionsNeedTheCsrfToken) {
  const std::string session = absl::StrCat("uh_session=", admin_);
  httplib::Result without =
      Client()->Post(kCreateOrg, {{"Cookie", session}},
                     CreateOrgBody("无CSRF").dump(), "application/json");
  ASSERT_TRUE(without);
  EXPECT_EQ(without->status, 403);
  EXPECT_TRUE(absl::StrContains(without->body, "CSRF")) << without->body;

  const std::string csrf(64, 'a');
  httplib::Result wrong =
      Client()->Post(kCreateOrg,
                     {{"Cookie", absl::StrCat(session, "; uh_csrf=", csrf)},
                      {"X-CSRF-Token", std::string(64, 'b')}},
                     CreateOrgBody("错CSRF").dump(), "application/json");
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 403);

  httplib::Result right =
      Client()->Post(kCreateOrg,
                     {{"Cookie", absl::StrCat(session, "; uh_csrf=", csrf)},
                      {"X-CSRF-Token", csrf}},
                     CreateOrgBody("有CSRF县").dump(), "application/json");
  ASSERT_TRUE(right);
  EXPECT_EQ(right->status, 200) << right->body;
}

TEST_F(ConsoleGatewayTest, DevelopmentSignInSetsAStrictHttpOnlyCookie) {
  auto client = Client();
  httplib::Result session = client->Get("/api/session");
  ASSERT_TRUE(session);
  ASSERT_EQ(session->status, 200);
  EXPECT_EQ(json::parse(session->body)["dev_sign_in"], true);
  const std::string csrf_cookie = session->get_header_value("Set-Cookie");
  ASSERT_TRUE(absl::StartsWith(csrf_cookie, "uh_csrf=")) << csrf_cookie;
  EXPECT_TRUE(absl::StrContains(csrf_cookie, "Secure"));
  EXPECT_TRUE(absl::StrContains(csrf_cookie, "SameSite=Strict"));
  const std::string csrf = std::string(absl::StripPrefix(
      std::string(
          absl::string_view(csrf_cookie).substr(0, csrf_cookie.find(';'))),
      "uh_csrf="));

  // Signing in needs the CSRF token too (no forged sign-in as someone).
  httplib::Result forged =
      client->Post("/api/session/dev-sign-in",
                   R"({"role":"admin","org_id":"0"})", "application/json");
  ASSERT_TRUE(forged);
  EXPECT_EQ(forged->status, 403);
  EXPECT_TRUE(forged->get_header_value("Set-Cookie").empty());

  httplib::Result bad = client->Post(
      "/api/session/dev-sign-in",
      {{"Cookie", absl::StrCat("uh_csrf=", csrf)}, {"X-CSRF-Token", csrf}},
      R"({"role":"emperor","org_id":"-1"})", "application/json");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(json::parse(bad->body)["field_violations"].size(), 2u) << bad->body;

  httplib::Result signed_in = client->Post(
      "/api/session/dev-sign-in",
      {{"Cookie", absl::StrCat("uh_csrf=", csrf)}, {"X-CSRF-Token", csrf}},
      R"({"role":"auditor","org_id":"0"})", "application/json");
  ASSERT_TRUE(signed_in);
  ASSERT_EQ(signed_in->status, 200) << signed_in->body;
  const std::string cookie = signed_in->get_header_value("Set-Cookie");
  EXPECT_TRUE(absl::StartsWith(cookie, "uh_session=")) << cookie;
  for (const char* attribute : {"HttpOnly", "Secure", "SameSite=Strict"}) {
    EXPECT_TRUE(absl::StrContains(cookie, attribute)) << cookie;
  }
  // The session's token is the auditor's: the gate refuses CreateOrg.
  const std::string token = cookie.substr(11, cookie.find(';') - 11);
  httplib::Result who = client->Get(
      "/api/session", {{"Cookie", absl::StrCat("uh_session=", token)}});
  ASSERT_TRUE(who);
  EXPECT_EQ(json::parse(who->body)["roles"], json::array({"auditor"}));
  // What the auditor's role grants, for the web app's navigation.
  const json granted = json::parse(who->body)["permissions"];
  ASSERT_TRUE(granted.is_array()) << who->body;
  auto grants = [&](const std::string& permission) {
    return std::find(granted.begin(), granted.end(), permission) !=
           granted.end();
  };
  EXPECT_TRUE(grants("audit.reports.read")) << who->body;
  EXPECT_TRUE(grants("audit.engagements.write")) << who->body;
  EXPECT_FALSE(grants("awards.programs.read")) << who->body;
  EXPECT_FALSE(grants("membership.members.write")) << who->body;
}

TEST_F(ConsoleGatewayTest, WithoutTheSigningKeyThereIsNoSignInPage) {
  console_->Stop();
  console::ConsoleConfig config;
  config.tls_cert_file = SecretsDir() + "/server.pem";
  config.tls_key_file = SecretsDir() + "/server.key";
  console_ = std::make_unique<console::ConsoleServer>(std::move(config));
  ASSERT_TRUE(console_->Start().ok());
  auto client = Client();
  httplib::Result session = client->Get("/api/session");
  ASSERT_TRUE(session);
  EXPECT_EQ(json::parse(session->body)["dev_sign_in"], false);
  const std::string csrf(64, 'c');
  httplib::Result sign_in = client->Post(
      "/api/session/dev-sign-in",
      {{"Cookie", absl::StrCat("uh_csrf=", csrf)}, {"X-CSRF-Token", csrf}},
      R"({"role":"admin","org_id":"0"})", "application/json");
  ASSERT_TRUE(sign_in);
  EXPECT_EQ(sign_in->status, 404);
}

TEST_F(ConsoleGatewayTest, EveryResponseCarriesTheSecurityHeaders) {
  auto client = Client();
  for (const char* path : {"/", "/js/app.js", "/api/session", "/nothing"}) {
    httplib::Result result = client->Get(path);
    ASSERT_TRUE(result) << path;
    const std::string csp = result->get_header_value("Content-Security-Policy");
    EXPECT_TRUE(absl::StrContains(csp, "default-src 'self'")) << path;
    EXPECT_TRUE(absl::StrContains(csp, "frame-ancestors 'none'")) << path;
    EXPECT_FALSE(absl::StrContains(csp, "unsafe-inline")) << path;
    EXPECT_EQ(result->get_header_value("X-Content-Type-Options"), "nosniff")
        << path;
    EXPECT_EQ(result->get_header_value("Referrer-Policy"), "no-referrer")
        << path;
  }
  httplib::Result index = client->Get("/");
  ASSERT_EQ(index->status, 200);
  // The app has no inline script for the policy to forbid.
  EXPECT_TRUE(absl::StrContains(index->body, "<script type=\"module\" src="));
  EXPECT_FALSE(absl::StrContains(index->body, "<script>"));
  EXPECT_EQ(client->Get("/js/app.js")->get_header_value("Content-Type"),
            "text/javascript");
}

}  // namespace
}  // namespace unionhub::testing
