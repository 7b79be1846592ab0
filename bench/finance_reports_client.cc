// unionhub-bench-finance-reports: times the auditors' reports through gRPC
// against a running unionhub-finance (bench/finance_reports.sh starts one
// on a generated province): GetCollectionReport for an org over a month
// range, RUNS times, and one page of ListArrears at the same scope. Prints
// figures; asserts nothing.
//
//   unionhub-bench-finance-reports --target=127.0.0.1:PORT
//       --tls_ca_file=ca.pem --jwt_signing_key_file=jwt-signing.pem
//       --org_id=1 --from_month=2025-01 --to_month=2025-12 --runs=20
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/auth/jwt.h"
#include "common/rpc/tls.h"
#include "unionhub/finance/v1/finance.grpc.pb.h"

ABSL_FLAG(std::string, target, "127.0.0.1:50052", "finance service");
ABSL_FLAG(std::string, tls_ca_file, "",
          "CA of the server's certificate (empty: plaintext)");
ABSL_FLAG(std::string, tls_client_cert_file, "", "client certificate (PEM)");
ABSL_FLAG(std::string, tls_client_key_file, "", "its private key (PEM)");
ABSL_FLAG(std::string, jwt_signing_key_file, "",
          "development signing key: mint an auditor token with it");
ABSL_FLAG(std::string, token_issuer, "unionhub-dev", "issuer of the token");
ABSL_FLAG(std::string, token_audience, "unionhub", "audience of the token");
ABSL_FLAG(int64_t, org_id, 1, "the org whose subtree is reported");
ABSL_FLAG(std::string, from_month, "2025-01", "first month");
ABSL_FLAG(std::string, to_month, "2025-12", "last month");
ABSL_FLAG(int, runs, 20, "GetCollectionReport calls to time");
ABSL_FLAG(int, arrears_page_size, 100, "ListArrears page size");
ABSL_FLAG(int, wait_seconds, 120,
          "how long to wait for the service to answer the first call");

namespace {

namespace fv1 = ::unionhub::finance::v1;

int Fail(const std::string& what) {
  absl::FPrintF(stderr, "unionhub-bench-finance-reports: %s\n", what);
  return 1;
}

absl::Status ReadFile(const std::string& path, std::string* out) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::stringstream text;
  text << in.rdbuf();
  *out = text.str();
  return absl::OkStatus();
}

struct Stats {
  double min = 0, median = 0, max = 0;
};

Stats Summarise(std::vector<double> ms) {
  std::sort(ms.begin(), ms.end());
  return {ms.front(), ms[ms.size() / 2], ms.back()};
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "unionhub-bench-finance-reports --target=HOST:PORT [--tls_ca_file=...] "
      "--jwt_signing_key_file=... [--org_id=1] [--runs=20]");
  absl::ParseCommandLine(argc, argv);

  std::shared_ptr<grpc::ChannelCredentials> credentials =
      grpc::InsecureChannelCredentials();
  if (!absl::GetFlag(FLAGS_tls_ca_file).empty()) {
    absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> tls =
        unionhub::rpc::ClientTlsCredentials(
            {absl::GetFlag(FLAGS_tls_ca_file),
             absl::GetFlag(FLAGS_tls_client_cert_file),
             absl::GetFlag(FLAGS_tls_client_key_file)});
    if (!tls.ok()) return Fail(tls.status().ToString());
    credentials = *tls;
  }
  std::string token;
  if (!absl::GetFlag(FLAGS_jwt_signing_key_file).empty()) {
    std::string key;
    absl::Status read =
        ReadFile(absl::GetFlag(FLAGS_jwt_signing_key_file), &key);
    if (!read.ok()) return Fail(read.ToString());
    unionhub::auth::Claims claims;
    claims.subject = "bench-auditor";
    claims.roles = {"auditor"};
    claims.issuer = absl::GetFlag(FLAGS_token_issuer);
    claims.audience = absl::GetFlag(FLAGS_token_audience);
    claims.issued_at = absl::Now();
    claims.expires_at = claims.issued_at + absl::Hours(1);
    absl::StatusOr<std::string> minted = unionhub::auth::MintToken(claims, key);
    if (!minted.ok()) return Fail(minted.status().ToString());
    token = *minted;
  }
  std::unique_ptr<fv1::AuditService::Stub> audit = fv1::AuditService::NewStub(
      grpc::CreateChannel(absl::GetFlag(FLAGS_target), credentials));
  auto context = [&](grpc::ClientContext& ctx, absl::Duration deadline) {
    ctx.set_deadline(absl::ToChronoTime(absl::Now() + deadline));
    if (!token.empty()) ctx.AddMetadata("authorization", "Bearer " + token);
  };

  fv1::GetCollectionReportRequest report;
  report.set_org_id(absl::GetFlag(FLAGS_org_id));
  report.set_from_month(absl::GetFlag(FLAGS_from_month));
  report.set_to_month(absl::GetFlag(FLAGS_to_month));

  // The first call waits for the service (it migrates before serving) and
  // warms the server's caches and the database's buffer pool; not timed.
  const absl::Time give_up =
      absl::Now() + absl::Seconds(absl::GetFlag(FLAGS_wait_seconds));
  fv1::GetCollectionReportResponse first;
  while (true) {
    grpc::ClientContext ctx;
    context(ctx, absl::Seconds(60));
    ctx.set_wait_for_ready(true);
    grpc::Status status = audit->GetCollectionReport(&ctx, report, &first);
    if (status.ok()) break;
    if (absl::Now() > give_up) {
      return Fail(absl::StrCat("GetCollectionReport: ", status.error_code(),
                               " ", status.error_message()));
    }
    absl::SleepFor(absl::Milliseconds(500));
  }

  std::vector<double> ms;
  for (int i = 0; i < absl::GetFlag(FLAGS_runs); ++i) {
    grpc::ClientContext ctx;
    context(ctx, absl::Seconds(60));
    fv1::GetCollectionReportResponse resp;
    const absl::Time start = absl::Now();
    grpc::Status status = audit->GetCollectionReport(&ctx, report, &resp);
    ms.push_back(absl::ToDoubleMilliseconds(absl::Now() - start));
    if (!status.ok()) {
      return Fail(absl::StrCat("GetCollectionReport: ", status.error_code(),
                               " ", status.error_message()));
    }
  }
  const Stats collection = Summarise(ms);
  absl::PrintF(
      "GetCollectionReport org %d (%s) %s..%s over gRPC: %d members charged, "
      "%d months, %d children, %d child-months, response %d bytes\n"
      "  %d calls: min %.1f ms, median %.1f ms, max %.1f ms\n",
      report.org_id(), first.org_name(), report.from_month(), report.to_month(),
      first.total().members_charged(), first.by_month_size(),
      first.by_child_size(), first.by_child_month_size(), first.ByteSizeLong(),
      static_cast<int>(ms.size()), collection.min, collection.median,
      collection.max);

  fv1::ListArrearsRequest arrears;
  arrears.set_org_id(report.org_id());
  arrears.set_page_size(absl::GetFlag(FLAGS_arrears_page_size));
  ms.clear();
  fv1::ListArrearsResponse page;
  for (int i = 0; i < 3; ++i) {
    grpc::ClientContext ctx;
    context(ctx, absl::Seconds(120));
    const absl::Time start = absl::Now();
    grpc::Status status = audit->ListArrears(&ctx, arrears, &page);
    ms.push_back(absl::ToDoubleMilliseconds(absl::Now() - start));
    if (!status.ok()) {
      return Fail(absl::StrCat("ListArrears: ", status.error_code(), " ",
                               status.error_message()));
    }
  }
  const Stats listed = Summarise(ms);
  absl::PrintF(
      "ListArrears org %d, one page of %d: %d entries, next page %s\n"
      "  %d calls: min %.1f ms, median %.1f ms, max %.1f ms\n",
      arrears.org_id(), arrears.page_size(), page.entries_size(),
      page.next_page_token().empty() ? "none" : "yes",
      static_cast<int>(ms.size()), listed.min, listed.median, listed.max);
  return 0;
}
