// --summary's finance part: what an auditor asks first about the county's
// year, each figure from the AuditService as any client would get it.
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/core/money.h"
#include "grpcpp/client_context.h"
#include "tools/demo/demo.h"
#include "tools/demo/demo_finance.h"
#include "tools/demo/demo_finance_plan.h"

namespace unionhub::demo {
namespace {

std::string Yuan(int64_t fen) { return money::FormatYuan(fen); }

std::string Percent(int64_t bp) {
  return absl::StrFormat("%d.%02d %%", bp / 100, bp % 100);
}

// Pages through a list RPC and counts its entries.
template <typename Request, typename Response, typename Method>
absl::StatusOr<int64_t> CountAll(AuditStub& audit, Method method,
                                 Request request, int64_t* lapse = nullptr) {
  int64_t n = 0;
  request.set_page_size(1000);
  for (;;) {
    Response response;
    const grpc::Status s = WithRetry(
        [&](grpc::ClientContext* context) {
          return (audit.*method)(context, request, &response);
        },
        absl::Minutes(2));
    if (!s.ok()) return ToStatus(s, "list");
    n += response.entries_size();
    if (lapse != nullptr) {
      for (const auto& e : response.entries()) *lapse += e.lapse_candidate();
    }
    if (response.next_page_token().empty()) return n;
    request.set_page_token(response.next_page_token());
  }
}

}  // namespace

absl::Status PrintFinanceSummary(MembershipStub& membership, AuditStub& audit) {
  absl::StatusOr<mv1::Org> county = FindCounty(membership);
  if (!county.ok()) return county.status();
  const int64_t org = county->org_id();
  const std::string from = absl::StrFormat("%04d-01", kFinanceYear);
  const std::string to = absl::StrFormat("%04d-12", kFinanceYear);

  fv1::GetCollectionReportRequest collection;
  collection.set_org_id(org);
  collection.set_from_month(from);
  collection.set_to_month(to);
  fv1::GetCollectionReportResponse report;
  grpc::Status s = WithRetry([&](grpc::ClientContext* context) {
    return audit.GetCollectionReport(context, collection, &report);
  });
  if (!s.ok()) return ToStatus(s, "GetCollectionReport");
  absl::PrintF("\n%s, dues %s … %s: due ¥%s, paid ¥%s, collection rate %s\n",
               county->name(), from, to, Yuan(report.total().due_fen()),
               Yuan(report.total().paid_fen()),
               Percent(report.total().collection_rate_bp()));
  for (const fv1::CollectionFigures& m : report.by_month()) {
    absl::PrintF("  %s  charged %6d  paid in full %6d  ¥%14s of ¥%14s  %9s\n",
                 m.month(), m.members_charged(), m.members_paid(),
                 Yuan(m.paid_fen()), Yuan(m.due_fen()),
                 Percent(m.collection_rate_bp()));
  }

  fv1::ListArrearsRequest arrears;
  arrears.set_org_id(org);
  arrears.set_min_months(1);
  int64_t lapse = 0;
  absl::StatusOr<int64_t> in_arrears =
      CountAll<fv1::ListArrearsRequest, fv1::ListArrearsResponse>(
          audit, &AuditStub::ListArrears, arrears, &lapse);
  if (!in_arrears.ok()) return in_arrears.status();
  absl::PrintF(
      "  members in arrears: %s, of them lapse candidates (six "
      "consecutive unpaid months): %s\n",
      Thousands(*in_arrears), Thousands(lapse));

  fv1::GetFundsReconciliationRequest funds;
  funds.set_org_id(org);
  funds.set_from_month(from);
  funds.set_to_month(to);
  funds.set_page_size(1);
  fv1::GetFundsReconciliationResponse reconciliation;
  s = WithRetry([&](grpc::ClientContext* context) {
    return audit.GetFundsReconciliation(context, funds, &reconciliation);
  });
  if (!s.ok()) return ToStatus(s, "GetFundsReconciliation");
  const fv1::FundsFigures& f = reconciliation.total();
  absl::PrintF(
      "union funds: payroll ¥%s, 2 %% due ¥%s, collected ¥%s, outstanding "
      "¥%s\n  returned to unions ¥%s, allocated upward ¥%s, preparation fund "
      "held ¥%s, returned ¥%s; balanced: %s\n",
      Yuan(f.declared_payroll_fen()), Yuan(f.appropriation_fen()),
      Yuan(f.collected_fen()), Yuan(f.outstanding_fen()),
      Yuan(f.returned_fen()), Yuan(f.allocated_upward_fen()),
      Yuan(f.preparation_held_fen()), Yuan(f.preparation_returned_fen()),
      reconciliation.balanced() ? "yes" : "NO");

  fv1::GetSpendingReportRequest spending;
  spending.set_org_id(org);
  spending.set_from_month(from);
  spending.set_to_month(to);
  fv1::GetSpendingReportResponse spent;
  s = WithRetry([&](grpc::ClientContext* context) {
    return audit.GetSpendingReport(context, spending, &spent);
  });
  if (!s.ok()) return ToStatus(s, "GetSpendingReport");
  absl::PrintF(
      "spending: ¥%s, reaching front-line workers %s; flagged categories ¥%s "
      "in %d expenses\n",
      Yuan(spent.total_fen()), Percent(spent.front_line_share_bp()),
      Yuan(spent.flagged_fen()), spent.flagged_expenses());

  fv1::VerifyLedgerResponse verify;
  s = WithRetry(
      [&](grpc::ClientContext* context) {
        return audit.VerifyLedger(context, fv1::VerifyLedgerRequest(), &verify);
      },
      absl::Minutes(2));
  if (!s.ok()) return ToStatus(s, "VerifyLedger");
  absl::PrintF(
      "ledger: %s; %s entries in %d seals checked, %s not sealed yet; "
      "postings sum to zero: %s\n",
      verify.intact()
          ? "intact"
          : absl::StrCat("NOT intact at entry ", verify.first_bad_entry_id(),
                         ": ", verify.reason()),
      Thousands(verify.entries_checked()), verify.seals_checked(),
      Thousands(verify.unsealed_entries()),
      verify.ledger_balanced() ? "yes" : "NO");
  return absl::OkStatus();
}

}  // namespace unionhub::demo
