// unionhub-demo: the local stack's helper.
//
//   unionhub-demo --wait_healthy_seconds=60     wait until SERVING
//   unionhub-demo --load                        load the demo county
//   unionhub-demo --summary                     print its coverage
//   ... --finance=HOST:PORT                     with --load and --summary:
//                                               also the county's 2025 money
//   ... --awards=HOST:PORT                      with --load: also an awards
//                                               programme in publicity and a
//                                               finished skills contest
//
// Modes combine and run in that order. With TLS: --tls_ca_file, and a
// bearer token (--token, $UNIONHUB_TOKEN, or on a development box one
// minted with --jwt_signing_key_file).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/auth/jwt.h"
#include "tools/demo/demo.h"
#include "tools/demo/demo_awards.h"
#include "tools/demo/demo_contest.h"
#include "tools/demo/demo_finance.h"
#include "tools/demo/demo_plan.h"

ABSL_FLAG(std::string, membership, "127.0.0.1:50051",
          "address of the membership service");
ABSL_FLAG(std::string, finance, "",
          "address of the finance service; with --load and --summary also "
          "the demo county's 2025 dues, funds, spending and audit");
ABSL_FLAG(std::string, awards, "",
          "address of the awards service; with --load also the demo "
          "county's awards programme, left in publicity, and a finished "
          "skills contest");
ABSL_FLAG(std::string, awards_reviewer, "unionhub-demo",
          "the subject of the token the tool calls with (a minted token's is "
          "unionhub-demo): it joins the programme's committee to cast the "
          "demo's votes");
ABSL_FLAG(std::string, health_target, "",
          "address to health-check with --wait_healthy_seconds (any "
          "service; default: --membership)");
ABSL_FLAG(int, wait_healthy_seconds, 0,
          "wait up to this long until grpc.health.v1.Health/Check says "
          "SERVING; exit non-zero if it does not");
ABSL_FLAG(bool, load, false,
          "load the demo county (idempotent: a repeat sends nothing new)");
ABSL_FLAG(bool, resend, false,
          "with --load: send every step even when the data are already "
          "there (checks that the server's idempotency holds)");
ABSL_FLAG(bool, summary, false, "print the coverage of the demo county");
ABSL_FLAG(std::string, tls_ca_file, "",
          "CA certificate (PEM) of the services; empty: plaintext");
ABSL_FLAG(std::string, tls_client_cert_file, "",
          "client certificate (PEM) for mutual TLS, optional");
ABSL_FLAG(std::string, tls_client_key_file, "", "its private key (PEM)");
ABSL_FLAG(std::string, token, "",
          "bearer token sent with every call (default: $UNIONHUB_TOKEN)");
ABSL_FLAG(std::string, jwt_signing_key_file, "",
          "development only: mint an admin token with this RSA private key "
          "(PEM) instead of --token");
ABSL_FLAG(std::string, jwt_issuer, "unionhub-dev", "issuer of a minted token");
ABSL_FLAG(std::string, jwt_audience, "unionhub", "audience of a minted token");

namespace {

int Fail(const absl::Status& s) {
  absl::FPrintF(stderr, "unionhub-demo: %s\n", s.ToString());
  if (s.code() == absl::StatusCode::kUnavailable &&
      absl::GetFlag(FLAGS_tls_ca_file).empty()) {
    absl::FPrintF(stderr,
                  "(the services serve TLS unless started for development in "
                  "plaintext: give --tls_ca_file; scripts/up prints the whole "
                  "command)\n");
  } else if (s.code() == absl::StatusCode::kUnauthenticated) {
    absl::FPrintF(stderr,
                  "(give a bearer token: --token, $UNIONHUB_TOKEN, or "
                  "--jwt_signing_key_file on a development box)\n");
  }
  return 1;
}

absl::Status ReadInto(const std::string& path, std::string* out) {
  if (path.empty()) return absl::OkStatus();
  absl::StatusOr<std::string> content = unionhub::auth::ReadFile(path);
  if (!content.ok()) return content.status();
  *out = *std::move(content);
  return absl::OkStatus();
}

// TLS material and the bearer token from the flags; `signing_key` gets the
// development signing key when one is given (judges' tokens are minted
// with it).
absl::Status ConfigureSecurity(std::string* signing_key) {
  unionhub::demo::Security security;
  for (auto [path, out] : {
           std::pair{absl::GetFlag(FLAGS_tls_ca_file), &security.ca_pem},
           std::pair{absl::GetFlag(FLAGS_tls_client_cert_file),
                     &security.client_cert_pem},
           std::pair{absl::GetFlag(FLAGS_tls_client_key_file),
                     &security.client_key_pem},
       }) {
    if (absl::Status s = ReadInto(path, out); !s.ok()) return s;
  }
  security.bearer_token = absl::GetFlag(FLAGS_token);
  if (security.bearer_token.empty()) {
    const char* env = std::getenv("UNIONHUB_TOKEN");
    if (env != nullptr) security.bearer_token = env;
  }
  const std::string key_file = absl::GetFlag(FLAGS_jwt_signing_key_file);
  if (!key_file.empty()) {
    std::string& key = *signing_key;
    if (absl::Status s = ReadInto(key_file, &key); !s.ok()) return s;
    unionhub::auth::Claims claims;
    claims.subject = "unionhub-demo";
    claims.roles = {"admin"};
    claims.issuer = absl::GetFlag(FLAGS_jwt_issuer);
    claims.audience = absl::GetFlag(FLAGS_jwt_audience);
    claims.issued_at = absl::Now();
    claims.expires_at = claims.issued_at + absl::Hours(2);
    absl::StatusOr<std::string> token = unionhub::auth::MintToken(claims, key);
    if (!token.ok()) return token.status();
    security.bearer_token = *std::move(token);
  }
  unionhub::demo::SetSecurity(std::move(security));
  return absl::OkStatus();
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "unionhub-demo [--membership=HOST:PORT] [--finance=HOST:PORT] "
      "[--awards=HOST:PORT] [--wait_healthy_seconds=N] [--load] [--summary]");
  const std::vector<char*> rest = absl::ParseCommandLine(argc, argv);
  if (rest.size() > 1) {
    absl::FPrintF(stderr, "unionhub-demo: unexpected argument '%s'\n", rest[1]);
    return 2;
  }
  const int wait_seconds = absl::GetFlag(FLAGS_wait_healthy_seconds);
  const bool load = absl::GetFlag(FLAGS_load);
  const bool summary = absl::GetFlag(FLAGS_summary);
  if (wait_seconds <= 0 && !load && !summary) {
    absl::FPrintF(stderr, "%s\n(see --help)\n", absl::ProgramUsageMessage());
    return 2;
  }
  const std::string membership = absl::GetFlag(FLAGS_membership);
  std::string signing_key;
  if (absl::Status s = ConfigureSecurity(&signing_key); !s.ok()) {
    return Fail(s);
  }

  if (wait_seconds > 0) {
    std::string target = absl::GetFlag(FLAGS_health_target);
    if (target.empty()) target = membership;
    if (absl::Status s =
            unionhub::demo::WaitHealthy(target, absl::Seconds(wait_seconds));
        !s.ok()) {
      return Fail(s);
    }
  }
  if (!load && !summary) return 0;

  const std::unique_ptr<unionhub::demo::MembershipStub> stub =
      unionhub::membership::v1::MembershipService::NewStub(
          unionhub::demo::MakeChannel(membership));
  unionhub::demo::CountyPlan plan;
  if (load) {
    const absl::Time start = absl::Now();
    plan = unionhub::demo::MakeCountyPlan();
    absl::PrintF(
        "plan: %d grassroots unions, %d employers without a union, %s "
        "workers, %s members (made in %.1f s)\n",
        plan.unions.size(), plan.employers.size(),
        unionhub::demo::Thousands(plan.total_workers),
        unionhub::demo::Thousands(static_cast<int64_t>(plan.members.size())),
        absl::ToDoubleSeconds(absl::Now() - start));
    std::fflush(stdout);
    if (absl::Status s = unionhub::demo::LoadCounty(
            *stub, plan, absl::GetFlag(FLAGS_resend));
        !s.ok()) {
      return Fail(s);
    }
  }
  const std::string finance_target = absl::GetFlag(FLAGS_finance);
  std::unique_ptr<unionhub::demo::FinanceStub> finance;
  std::unique_ptr<unionhub::demo::AuditStub> audit;
  if (!finance_target.empty()) {
    auto channel = unionhub::demo::MakeChannel(finance_target);
    finance = unionhub::finance::v1::FinanceService::NewStub(channel);
    audit = unionhub::finance::v1::AuditService::NewStub(channel);
  }
  if (load && finance != nullptr) {
    if (absl::Status s = unionhub::demo::LoadFinance(
            *stub, *finance, *audit, plan, absl::GetFlag(FLAGS_resend));
        !s.ok()) {
      return Fail(s);
    }
  }
  const std::string awards_target = absl::GetFlag(FLAGS_awards);
  if (load && !awards_target.empty()) {
    if (absl::Status s = unionhub::demo::LoadAwards(
            awards_target, *stub, absl::GetFlag(FLAGS_awards_reviewer));
        !s.ok()) {
      return Fail(s);
    }
    if (signing_key.empty()) {
      absl::PrintF(
          "skills contest skipped: its judges score under their own tokens, "
          "which the tool mints only with --jwt_signing_key_file\n");
    } else if (absl::Status s = unionhub::demo::LoadContest(
                   *stub, awards_target,
                   unionhub::demo::JudgeTokenMinter(
                       signing_key, absl::GetFlag(FLAGS_jwt_issuer),
                       absl::GetFlag(FLAGS_jwt_audience)));
               !s.ok()) {
      return Fail(s);
    }
  }
  if (load || summary) {
    if (absl::Status s = unionhub::demo::PrintCoverage(*stub); !s.ok()) {
      return Fail(s);
    }
    if (audit != nullptr) {
      if (absl::Status s = unionhub::demo::PrintFinanceSummary(*stub, *audit);
          !s.ok()) {
        return Fail(s);
      }
    }
  }
  return 0;
}
