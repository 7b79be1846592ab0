// unionhub-token: mints RS256 bearer tokens for the services, and verifies
// them for debugging.
//
//   TOKEN=$(unionhub-token --private_key=issuer.pem --subject=alice
//           --roles=registrar,auditor --org=5 --ttl=15m)
//   unionhub-token --public_key=issuer.pub.pem --verify="$TOKEN"
//   echo "$TOKEN" | unionhub-token --public_key=issuer.pub.pem --verify=-
//
// Minting prints the token on stdout and nothing else. Every flag may also
// be given as UNIONHUB_<FLAG> in the environment (e.g. UNIONHUB_PRIVATE_KEY).
// Exit status: 0 ok, 1 failure (including an invalid token with --verify),
// 2 bad or missing flags.
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <iterator>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/auth/jwt.h"
#include "common/auth/roles.h"
#include "common/core/config.h"

ABSL_FLAG(std::string, private_key, "",
          "PEM file with the issuer's RSA private key (required to mint)");
ABSL_FLAG(std::string, subject, "", "\"sub\": who the token is for");
ABSL_FLAG(std::string, roles, "", "\"roles\", comma separated, e.g. registrar");
ABSL_FLAG(int64_t, org, 0,
          "\"org\": the organisation subtree the caller may act in; "
          "0 = everywhere");
ABSL_FLAG(std::string, issuer, "unionhub-dev", "\"iss\"");
ABSL_FLAG(std::string, audience, "unionhub", "\"aud\"");
ABSL_FLAG(absl::Duration, ttl, absl::Hours(8),
          "lifetime of the token, e.g. 8h or 15m");
ABSL_FLAG(std::string, public_key, "",
          "PEM file with the issuer's RSA public key (for --verify)");
ABSL_FLAG(std::string, verify, "",
          "verify this token (\"-\" reads it from stdin) against "
          "--public_key, --issuer and --audience, and print its claims");

namespace {

namespace auth = unionhub::auth;

constexpr char kUsage[] =
    "unionhub-token --private_key=FILE --subject=NAME --roles=a,b "
    "[--org=N] [--issuer=ISS] [--audience=AUD] [--ttl=8h]\n"
    "  prints a signed RS256 bearer token on stdout\n"
    "unionhub-token --public_key=FILE --verify=TOKEN|- "
    "[--issuer=ISS] [--audience=AUD]\n"
    "  verifies a token and prints its claims";

int Usage(absl::string_view message) {
  absl::FPrintF(stderr, "unionhub-token: %s\n", message);
  return 2;
}

int Fail(absl::string_view what, const absl::Status& status) {
  absl::FPrintF(stderr, "unionhub-token: %s: %s\n", what, status.ToString());
  return 1;
}

std::string ShowTime(absl::Time t) {
  if (t == absl::UnixEpoch()) return "-";
  return absl::FormatTime(absl::RFC3339_sec, t, absl::UTCTimeZone());
}

int VerifyMode(std::string token) {
  const std::string public_key_path = absl::GetFlag(FLAGS_public_key);
  if (public_key_path.empty()) return Usage("--verify needs --public_key");
  if (token == "-") {
    token.assign(std::istreambuf_iterator<char>(std::cin),
                 std::istreambuf_iterator<char>());
  }
  token = std::string(absl::StripAsciiWhitespace(token));
  if (token.empty()) return Usage("no token to verify");

  absl::StatusOr<std::string> pem = auth::ReadFile(public_key_path);
  if (!pem.ok()) return Fail("reading --public_key", pem.status());
  auth::VerifierConfig config;
  config.public_key_pem = *std::move(pem);
  config.issuer = absl::GetFlag(FLAGS_issuer);
  config.audience = absl::GetFlag(FLAGS_audience);
  absl::StatusOr<std::unique_ptr<auth::TokenVerifier>> verifier =
      auth::TokenVerifier::Create(std::move(config));
  if (!verifier.ok()) return Fail("loading --public_key", verifier.status());

  const absl::Time now = absl::Now();
  absl::StatusOr<auth::Claims> claims = (*verifier)->Verify(token, now);
  if (!claims.ok()) return Fail("token invalid", claims.status());

  absl::PrintF("subject:   %s\n", claims->subject);
  absl::PrintF("roles:     %s\n", absl::StrJoin(claims->roles, ","));
  if (claims->org_scope == 0) {
    absl::PrintF("org:       0 (everywhere)\n");
  } else {
    absl::PrintF("org:       %d\n", claims->org_scope);
  }
  absl::PrintF("issuer:    %s\n", claims->issuer);
  absl::PrintF("audience:  %s\n", claims->audience);
  absl::PrintF("issued:    %s\n", ShowTime(claims->issued_at));
  absl::PrintF("expires:   %s (in %s)\n", ShowTime(claims->expires_at),
               absl::FormatDuration(
                   absl::Trunc(claims->expires_at - now, absl::Seconds(1))));
  absl::PrintF("token id:  %s\n", claims->token_id);
  return 0;
}

int MintMode() {
  const std::string private_key_path = absl::GetFlag(FLAGS_private_key);
  if (private_key_path.empty()) return Usage("--private_key is required");

  auth::Claims claims;
  claims.subject = absl::GetFlag(FLAGS_subject);
  if (claims.subject.empty()) return Usage("--subject is required");
  absl::StatusOr<std::vector<std::string>> roles =
      auth::ParseRoles(absl::GetFlag(FLAGS_roles));
  if (!roles.ok())
    return Usage(absl::StrCat("--roles: ", roles.status().message()));
  claims.roles = *std::move(roles);
  claims.org_scope = absl::GetFlag(FLAGS_org);
  if (claims.org_scope < 0) return Usage("--org must be >= 0");
  claims.issuer = absl::GetFlag(FLAGS_issuer);
  if (claims.issuer.empty()) return Usage("--issuer must not be empty");
  claims.audience = absl::GetFlag(FLAGS_audience);
  if (claims.audience.empty()) return Usage("--audience must not be empty");
  const absl::Duration ttl = absl::GetFlag(FLAGS_ttl);
  if (ttl <= absl::ZeroDuration() || ttl == absl::InfiniteDuration()) {
    return Usage("--ttl must be a positive, finite duration");
  }
  claims.issued_at = absl::Now();
  claims.expires_at = claims.issued_at + ttl;

  absl::StatusOr<std::string> pem = auth::ReadFile(private_key_path);
  if (!pem.ok()) return Fail("reading --private_key", pem.status());
  absl::StatusOr<std::string> token = auth::MintToken(claims, *pem);
  if (!token.ok()) return Fail("minting", token.status());
  absl::PrintF("%s\n", *token);
  return std::fflush(stdout) == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<char*> rest =
      unionhub::config::ParseFlags(argc, argv, kUsage);
  if (rest.size() > 1) {
    return Usage(absl::StrFormat("unexpected argument '%s'", rest[1]));
  }
  const std::string token = absl::GetFlag(FLAGS_verify);
  if (!token.empty()) return VerifyMode(token);
  return MintMode();
}
