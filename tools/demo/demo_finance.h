// unionhub-demo's finance part: loads the demo county's 2025 dues, funds,
// spending and an audit engagement through the finance API, and prints what
// an auditor would look at first.
#ifndef UNIONHUB_TOOLS_DEMO_DEMO_FINANCE_H_
#define UNIONHUB_TOOLS_DEMO_DEMO_FINANCE_H_

#include <cstddef>
#include <cstdint>
#include <functional>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tools/demo/demo.h"
#include "tools/demo/demo_plan.h"
#include "unionhub/finance/v1/finance.grpc.pb.h"

namespace unionhub::demo {

namespace fv1 = ::unionhub::finance::v1;
using FinanceStub = ::unionhub::finance::v1::FinanceService::Stub;
using AuditStub = ::unionhub::finance::v1::AuditService::Stub;

// Waits until finance's roster has applied every event membership has
// recorded: no event pending and none after the roster's cursor.
absl::Status WaitForRoster(MembershipStub& membership, FinanceStub& finance,
                           absl::Duration timeout);

// Loads the plan's money (see demo_finance_plan.h). Idempotent like the
// county load: fixed request ids, and nothing is sent when the last step
// (the audit engagement's report) is already there, unless `resend`.
absl::Status LoadFinance(MembershipStub& membership, FinanceStub& finance,
                         AuditStub& audit, const CountyPlan& county,
                         bool resend);

// The county's 2025 collection by month, arrears, funds reconciliation,
// spending and the ledger check.
absl::Status PrintFinanceSummary(MembershipStub& membership, AuditStub& audit);

// The year's audit engagement (demo_finance_audit.cc): opened, findings
// and rectifications added, reported. Its report is the load's last step;
// AuditEngagementLoaded says whether it is there.
struct FinancePlan;
absl::Status LoadAuditEngagement(AuditStub& audit, int64_t county_id,
                                 const FinancePlan& plan);
absl::StatusOr<bool> AuditEngagementLoaded(AuditStub& audit, int64_t county_id);

// Runs fn(0) ... fn(n-1) on `threads` threads; after the first error no new
// item starts, and that error is returned.
absl::Status ParallelFor(size_t n, int threads,
                         const std::function<absl::Status(size_t)>& fn);

}  // namespace unionhub::demo

#endif  // UNIONHUB_TOOLS_DEMO_DEMO_FINANCE_H_
