// Reads the report from AuditService, every page of every list. The caller
// supplies the contexts (unionctl: its token and deadline; the console:
// the signed-in user's token), so the services' gate decides what is seen.
#include "absl/strings/str_cat.h"
#include "tools/audit_report/audit_report.h"

namespace unionhub::audit_report {

grpc::Status Fetch(fv1::AuditService::StubInterface& stub,
                   const ContextFactory& new_context, const Options& o,
                   const ProgressFn& progress, Fetched* out) {
  progress("collection report", true);
  fv1::GetCollectionReportRequest collection;
  collection.set_org_id(o.org_id);
  collection.set_from_month(o.from_month);
  collection.set_to_month(o.to_month);
  grpc::Status s = stub.GetCollectionReport(new_context().get(), collection,
                                            &out->collection);
  if (!s.ok()) return s;

  fv1::ListArrearsRequest arrears;
  arrears.set_org_id(o.org_id);
  arrears.set_page_size(o.page_size);
  do {
    fv1::ListArrearsResponse page;
    s = stub.ListArrears(new_context().get(), arrears, &page);
    if (!s.ok()) return s;
    out->arrears.insert(out->arrears.end(), page.entries().begin(),
                        page.entries().end());
    out->as_of_month = page.as_of_month();
    arrears.set_page_token(page.next_page_token());
    progress(absl::StrCat("arrears: ", out->arrears.size(), " members"), false);
  } while (!arrears.page_token().empty());

  // A page may be empty while the list goes on: only the token ends it.
  fv1::ListLapseCandidatesRequest lapse;
  lapse.set_org_id(o.org_id);
  lapse.set_page_size(o.page_size);
  do {
    fv1::ListLapseCandidatesResponse page;
    s = stub.ListLapseCandidates(new_context().get(), lapse, &page);
    if (!s.ok()) return s;
    out->lapse.insert(out->lapse.end(), page.entries().begin(),
                      page.entries().end());
    lapse.set_page_token(page.next_page_token());
    progress(absl::StrCat("lapse candidates: ", out->lapse.size(), " members"),
             false);
  } while (!lapse.page_token().empty());

  fv1::GetFundsReconciliationRequest funds;
  funds.set_org_id(o.org_id);
  funds.set_from_month(o.from_month);
  funds.set_to_month(o.to_month);
  funds.set_page_size(o.page_size);
  bool first = true;
  do {
    fv1::GetFundsReconciliationResponse page;
    s = stub.GetFundsReconciliation(new_context().get(), funds, &page);
    if (!s.ok()) return s;
    if (first) {
      out->funds = page;
      first = false;
    } else {
      for (const auto& e : page.employers()) *out->funds.add_employers() = e;
    }
    funds.set_page_token(page.next_page_token());
    progress(absl::StrCat("funds: ", out->funds.employers_size(), " employers"),
             false);
  } while (!funds.page_token().empty());
  out->funds.clear_next_page_token();

  progress("spending report", true);
  fv1::GetSpendingReportRequest spending;
  spending.set_org_id(o.org_id);
  spending.set_from_month(o.from_month);
  spending.set_to_month(o.to_month);
  return stub.GetSpendingReport(new_context().get(), spending, &out->spending);
}

}  // namespace unionhub::audit_report
