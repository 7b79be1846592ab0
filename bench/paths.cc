#include "bench/paths.h"

#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <thread>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "bench/synthetic.h"
#include "common/auth/jwt.h"
#include "common/core/dates.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "unionhub/finance/v1/finance.grpc.pb.h"
#include "unionhub/membership/v1/membership.grpc.pb.h"

namespace unionhub::bench {

namespace mv1 = ::unionhub::membership::v1;
namespace fv1 = ::unionhub::finance::v1;

namespace {

// A call context with the caller's token and a generous deadline (the
// machine is shared; a slow call is a figure, not a failure).
void Prepare(grpc::ClientContext& ctx, const Env& env, int caller,
             absl::Duration deadline = absl::Seconds(60)) {
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + deadline));
  ctx.AddMetadata("authorization", absl::StrCat("Bearer ", env.tokens[caller]));
}

absl::Status FromGrpc(const char* what, const grpc::Status& s) {
  if (s.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(s.error_code()),
                      absl::StrCat(what, ": ", s.error_message()));
}

template <typename Stub>
std::vector<std::unique_ptr<typename Stub::Stub>> Stubs(
    const std::vector<std::shared_ptr<grpc::Channel>>& channels) {
  std::vector<std::unique_ptr<typename Stub::Stub>> stubs;
  for (const auto& ch : channels) stubs.push_back(Stub::NewStub(ch));
  return stubs;
}

// The open charge behind the `at`-th claim on env.next_open (at < the
// list's size). Payments and imports both claim from that one counter and
// both go through this one permutation, so no charge is handed out twice:
// a payment naming a month an import had already settled was refused
// ("has nothing open to pay"), 10 % of the soak's calls. A member's months
// lie side by side in env.open; stepping by a prime spreads the claims
// over members, as cashiers' payments and a month's payroll file are
// (taken in order, concurrent callers paid the same member and queued on
// that member's row). A permutation unless the prime divides the size.
const OpenCharge& OpenChargeAt(const Env& env, int64_t at) {
  constexpr int64_t kStride = 7919;
  const int64_t open = static_cast<int64_t>(env.open.size());
  return env.open[open % kStride == 0 ? at : at * kStride % open];
}

using MemberStubs = std::vector<std::unique_ptr<mv1::MembershipService::Stub>>;
using FinanceStubs = std::vector<std::unique_ptr<fv1::FinanceService::Stub>>;
using AuditStubs = std::vector<std::unique_ptr<fv1::AuditService::Stub>>;

}  // namespace

bool ParseFacts(const std::string& line, Facts& f) {
  std::map<std::string, int64_t> kv;
  for (absl::string_view part : absl::StrSplit(line, ' ', absl::SkipEmpty())) {
    std::pair<std::string, std::string> p = absl::StrSplit(part, '=');
    int64_t v = 0;
    if (!absl::SimpleAtoi(p.second, &v)) return false;
    kv[p.first] = v;
  }
  f.province = kv["province"];
  f.first_city = kv["first_city"];
  f.first_county = kv["first_county"];
  f.counties = kv["counties"];
  f.first_township = kv["first_township"];
  f.first_union = kv["first_union"];
  f.unions = kv["unions"];
  f.members = kv["members"];
  return f.province > 0 && f.members > 0 && f.counties > 0 && f.unions > 0;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

absl::Status MintCallerTokens(Env& env, const std::string& signing_key,
                              const std::string& prefix, int callers,
                              absl::Duration lifetime) {
  for (int c = 0; c < callers; ++c) {
    auth::Claims claims;
    claims.subject = absl::StrCat(prefix, "-", c);
    claims.roles = {"admin"};
    claims.issuer = "unionhub-dev";
    claims.audience = "unionhub";
    claims.issued_at = absl::Now();
    claims.expires_at = claims.issued_at + lifetime;
    absl::StatusOr<std::string> token = auth::MintToken(claims, signing_key);
    if (!token.ok()) return token.status();
    env.tokens.push_back(*token);
  }
  return absl::OkStatus();
}

int64_t Uniform(int64_t lo, int64_t hi) {
  thread_local std::mt19937_64 rng(
      std::hash<std::thread::id>()(std::this_thread::get_id()) ^
      static_cast<uint64_t>(absl::ToUnixNanos(absl::Now())));
  return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
}

CallFn GetMemberCall(Env& env) { return GetMemberOn(env, env.membership); }

CallFn GetMemberOn(
    Env& env, const std::vector<std::shared_ptr<grpc::Channel>>& channels) {
  auto stubs =
      std::make_shared<MemberStubs>(Stubs<mv1::MembershipService>(channels));
  return [&env, stubs](int c) -> absl::StatusOr<int64_t> {
    grpc::ClientContext ctx;
    Prepare(ctx, env, c);
    mv1::GetMemberRequest req;
    req.set_member_id(Uniform(1, env.facts.members));
    mv1::GetMemberResponse resp;
    absl::Status s =
        FromGrpc("GetMember", (*stubs)[c]->GetMember(&ctx, req, &resp));
    if (!s.ok()) return s;
    return 1;
  };
}

CallFn LookupMemberCall(Env& env) {
  auto stubs = std::make_shared<MemberStubs>(
      Stubs<mv1::MembershipService>(env.membership));
  return [&env, stubs](int c) -> absl::StatusOr<int64_t> {
    grpc::ClientContext ctx;
    Prepare(ctx, env, c);
    mv1::LookupMemberRequest req;
    req.set_national_id(NationalIdFor(Uniform(1, env.facts.members)));
    mv1::LookupMemberResponse resp;
    absl::Status s =
        FromGrpc("LookupMember", (*stubs)[c]->LookupMember(&ctx, req, &resp));
    if (!s.ok()) return s;
    return 1;
  };
}

CallFn ListMembersCall(Env& env) {
  auto stubs = std::make_shared<MemberStubs>(
      Stubs<mv1::MembershipService>(env.membership));
  return [&env, stubs](int c) -> absl::StatusOr<int64_t> {
    grpc::ClientContext ctx;
    Prepare(ctx, env, c);
    mv1::ListMembersRequest req;
    req.set_org_id(env.facts.first_township +
                   Uniform(0, env.facts.townships() - 1));
    req.set_page_size(100);
    mv1::ListMembersResponse resp;
    absl::Status s =
        FromGrpc("ListMembers", (*stubs)[c]->ListMembers(&ctx, req, &resp));
    if (!s.ok()) return s;
    if (resp.members_size() == 0) return absl::InternalError("empty page");
    return 1;
  };
}

CallFn JoinMemberCall(Env& env) {
  auto stubs = std::make_shared<MemberStubs>(
      Stubs<mv1::MembershipService>(env.membership));
  return [&env, stubs](int c) -> absl::StatusOr<int64_t> {
    // New people after the loaded ones (distinct IDs up to 12,000,000).
    const int64_t person = env.facts.members + NextSequence();
    grpc::ClientContext ctx;
    Prepare(ctx, env, c);
    mv1::JoinMemberRequest req;
    req.set_request_id(absl::StrCat("bench-join-", env.run_id, "-", person));
    mv1::Member* m = req.mutable_member();
    m->set_name("测试员");
    m->set_national_id(NationalIdFor(person));
    m->set_mobile(MobileFor(person));
    m->set_org_id(env.facts.first_union + Uniform(0, env.facts.unions - 1));
    m->set_wage_base_fen(Uniform(300000, 1500000));
    mv1::JoinMemberResponse resp;
    absl::Status s =
        FromGrpc("JoinMember", (*stubs)[c]->JoinMember(&ctx, req, &resp));
    if (!s.ok()) return s;
    return 1;
  };
}

fv1::RecordDuesPaymentRequest NextPaymentRequest(Env& env,
                                                 absl::string_view prefix) {
  fv1::RecordDuesPaymentRequest req;
  req.set_request_id(
      absl::StrCat(prefix, "-", env.run_id, "-", NextSequence()));
  const int64_t at = env.next_open.fetch_add(1);
  const int64_t open = static_cast<int64_t>(env.open.size());
  if (at < open) {
    const OpenCharge& charge = OpenChargeAt(env, at);
    req.set_member_id(charge.member_id);
    req.set_month(charge.month);
    req.set_amount_fen(charge.remaining_fen);
  } else {
    req.set_member_id(Uniform(1, env.facts.members));
    req.set_amount_fen(Uniform(500, 5000));
  }
  req.set_method(fv1::PAYMENT_METHOD_CASH);
  return req;
}

CallFn RecordDuesPaymentCall(Env& env) {
  auto stubs =
      std::make_shared<FinanceStubs>(Stubs<fv1::FinanceService>(env.finance));
  return [&env, stubs](int c) -> absl::StatusOr<int64_t> {
    grpc::ClientContext ctx;
    Prepare(ctx, env, c);
    const fv1::RecordDuesPaymentRequest req =
        NextPaymentRequest(env, "bench-pay");
    fv1::RecordDuesPaymentResponse resp;
    absl::Status s = FromGrpc("RecordDuesPayment",
                              (*stubs)[c]->RecordDuesPayment(&ctx, req, &resp));
    if (!s.ok()) return s;
    return 1;
  };
}

fv1::PayrollHeader NextPayrollHeader(Env& env, absl::string_view prefix) {
  fv1::PayrollHeader header;
  header.set_request_id(
      absl::StrCat(prefix, "-", env.run_id, "-", NextSequence()));
  header.set_employer_id(1);
  header.set_org_id(env.facts.province);
  header.set_reference("bench");
  return header;
}

std::vector<fv1::PayrollRow> NextPayrollRows(Env& env, int rows) {
  // One row per member and loaded month, members in a range no other
  // import of this run used (wrapping at the end of the roster).
  constexpr int kMonths = 12;
  const int64_t members = (rows + kMonths - 1) / kMonths;
  const int64_t first = env.next_import_member.fetch_add(members);
  // Charges assessed for the imports (AssessForImports) when there are,
  // else the loaded open charges; then paid months.
  const bool assessed = !env.import_open.empty();
  const int64_t open =
      static_cast<int64_t>(assessed ? env.import_open.size() : env.open.size());
  const int64_t from = assessed ? env.next_import_open.fetch_add(rows)
                                : env.next_open.fetch_add(rows);
  std::vector<fv1::PayrollRow> out(rows);
  for (int r = 0; r < rows; ++r) {
    fv1::PayrollRow& row = out[r];
    if (from + r < open) {
      const OpenCharge& charge =
          assessed ? env.import_open[from + r] : OpenChargeAt(env, from + r);
      row.set_national_id(NationalIdFor(charge.member_id));
      row.set_month(charge.month);
      row.set_amount_fen(charge.remaining_fen);
    } else {
      const int64_t member = (first + r / kMonths - 1) % env.facts.members + 1;
      row.set_national_id(NationalIdFor(member));
      row.set_month(absl::StrFormat("2025-%02d", r % kMonths + 1));
      row.set_amount_fen(800);
    }
  }
  return out;
}

CallFn ImportPayrollCall(Env& env, int rows) {
  auto stubs =
      std::make_shared<FinanceStubs>(Stubs<fv1::FinanceService>(env.finance));
  return [&env, stubs, rows](int c) -> absl::StatusOr<int64_t> {
    grpc::ClientContext ctx;
    Prepare(ctx, env, c, absl::Minutes(20));
    fv1::ImportPayrollDeductionsResponse resp;
    auto stream = (*stubs)[c]->ImportPayrollDeductions(&ctx, &resp);
    fv1::ImportPayrollDeductionsRequest msg;
    *msg.mutable_header() = NextPayrollHeader(env, "bench-import");
    bool ok = stream->Write(msg);
    for (fv1::PayrollRow& row : NextPayrollRows(env, rows)) {
      if (!ok) break;
      msg.Clear();
      *msg.mutable_row() = std::move(row);
      ok = stream->Write(msg);
    }
    stream->WritesDone();
    absl::Status s = FromGrpc("ImportPayrollDeductions", stream->Finish());
    if (!s.ok()) return s;
    env.rows_applied += resp.rows_applied();
    env.rows_suspended += resp.rows_suspended();
    if (resp.rows_received() != rows) {
      return absl::InternalError(absl::StrCat("received ", resp.rows_received(),
                                              " of ", rows, " rows"));
    }
    return rows;
  };
}

CallFn AssessDuesCall(Env& env, std::vector<std::string> months) {
  auto stubs =
      std::make_shared<FinanceStubs>(Stubs<fv1::FinanceService>(env.finance));
  auto shared_months =
      std::make_shared<std::vector<std::string>>(std::move(months));
  return [&env, stubs, shared_months](int c) -> absl::StatusOr<int64_t> {
    const int64_t pair = env.next_assessment.fetch_add(1);
    const int64_t n_months = static_cast<int64_t>(shared_months->size());
    if (pair >= env.facts.counties * n_months) {
      return absl::ResourceExhaustedError("no (county, month) left to assess");
    }
    grpc::ClientContext ctx;
    Prepare(ctx, env, c, absl::Minutes(10));
    fv1::AssessDuesRequest req;
    req.set_request_id(absl::StrCat("bench-assess-", env.run_id, "-", pair));
    // Counties first: concurrent callers charge different counties.
    req.set_org_id(env.facts.first_county + pair % env.facts.counties);
    req.set_month((*shared_months)[pair / env.facts.counties]);
    fv1::AssessDuesResponse resp;
    absl::Status s =
        FromGrpc("AssessDues", (*stubs)[c]->AssessDues(&ctx, req, &resp));
    if (!s.ok()) return s;
    return resp.members_charged();
  };
}

CallFn CollectionReportCall(Env& env) {
  auto stubs =
      std::make_shared<AuditStubs>(Stubs<fv1::AuditService>(env.finance));
  return [&env, stubs](int c) -> absl::StatusOr<int64_t> {
    grpc::ClientContext ctx;
    Prepare(ctx, env, c);
    fv1::GetCollectionReportRequest req;
    req.set_org_id(env.facts.province);
    req.set_from_month("2025-01");
    req.set_to_month("2025-12");
    fv1::GetCollectionReportResponse resp;
    absl::Status s =
        FromGrpc("GetCollectionReport",
                 (*stubs)[c]->GetCollectionReport(&ctx, req, &resp));
    if (!s.ok()) return s;
    return 1;
  };
}

CallFn ListArrearsCall(Env& env) {
  auto stubs =
      std::make_shared<AuditStubs>(Stubs<fv1::AuditService>(env.finance));
  return [&env, stubs](int c) -> absl::StatusOr<int64_t> {
    grpc::ClientContext ctx;
    Prepare(ctx, env, c, absl::Minutes(5));
    fv1::ListArrearsRequest req;
    req.set_org_id(env.facts.province);
    req.set_page_size(100);
    fv1::ListArrearsResponse resp;
    absl::Status s =
        FromGrpc("ListArrears", (*stubs)[c]->ListArrears(&ctx, req, &resp));
    if (!s.ok()) return s;
    return 1;
  };
}

CallFn HealthCall(const std::vector<std::shared_ptr<grpc::Channel>>& channels) {
  using Health = ::grpc::health::v1::Health;
  auto stubs = std::make_shared<std::vector<std::unique_ptr<Health::Stub>>>();
  for (const auto& ch : channels) stubs->push_back(Health::NewStub(ch));
  return [stubs](int c) -> absl::StatusOr<int64_t> {
    grpc::ClientContext ctx;
    ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(60)));
    ::grpc::health::v1::HealthCheckRequest req;
    ::grpc::health::v1::HealthCheckResponse resp;
    absl::Status s =
        FromGrpc("Health.Check", (*stubs)[c]->Check(&ctx, req, &resp));
    if (!s.ok()) return s;
    return 1;
  };
}

}  // namespace unionhub::bench
