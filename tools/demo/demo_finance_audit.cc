// The demo county's audit of its 2025 accounts: an annual engagement with
// the findings an auditor would make on the demo data, taken to its report
// with one rectification overdue, one handed in and one open.
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "grpcpp/client_context.h"
#include "tools/demo/demo.h"
#include "tools/demo/demo_finance.h"
#include "tools/demo/demo_finance_plan.h"

namespace unionhub::demo {
namespace {

constexpr char kEngagementTitle[] = "清河县总工会2025年度经费收支审计";

template <typename Request, typename Response, typename Method>
absl::Status Call(AuditStub& audit, Method method, const Request& request,
                  Response* response, absl::string_view what) {
  const grpc::Status s = WithRetry([&](grpc::ClientContext* context) {
    return (audit.*method)(context, request, response);
  });
  return ToStatus(s, what);
}

}  // namespace

// True when the year's audit engagement has reached its report: the load's
// last step.
absl::StatusOr<bool> AuditEngagementLoaded(AuditStub& audit,
                                           int64_t county_id) {
  fv1::ListEngagementsRequest request;
  request.set_org_id(county_id);
  request.set_page_size(100);
  fv1::ListEngagementsResponse response;
  const grpc::Status s = WithRetry([&](grpc::ClientContext* context) {
    return audit.ListEngagements(context, request, &response);
  });
  if (!s.ok()) return ToStatus(s, "ListEngagements");
  for (const fv1::Engagement& e : response.engagements()) {
    if (e.title() == kEngagementTitle &&
        e.status() == fv1::ENGAGEMENT_STATUS_REPORTED) {
      return true;
    }
  }
  return false;
}

absl::Status LoadAuditEngagement(AuditStub& audit, int64_t county_id,
                                 const FinancePlan& plan) {
  fv1::OpenEngagementRequest open;
  open.set_request_id("demo:audit:open");
  open.set_org_id(county_id);
  open.set_type(fv1::ENGAGEMENT_TYPE_ANNUAL);
  open.set_title(kEngagementTitle);
  open.set_period_from(plan.months.front());
  open.set_period_to(plan.months.back());
  fv1::OpenEngagementResponse opened;
  if (absl::Status s = Call(audit, &AuditStub::OpenEngagement, open, &opened,
                            "OpenEngagement");
      !s.ok()) {
    return s;
  }
  const int64_t engagement_id = opened.engagement().engagement_id();
  auto advance = [&](fv1::EngagementStatus status,
                     const char* request_id) -> absl::Status {
    fv1::AdvanceEngagementRequest request;
    request.set_request_id(request_id);
    request.set_engagement_id(engagement_id);
    request.set_status(status);
    fv1::AdvanceEngagementResponse response;
    return Call(audit, &AuditStub::AdvanceEngagement, request, &response,
                request_id);
  };
  if (absl::Status s =
          advance(fv1::ENGAGEMENT_STATUS_FIELDWORK, "demo:audit:fieldwork");
      !s.ok()) {
    return s;
  }
  struct PlannedFinding {
    fv1::FindingSeverity severity;
    const char* category;
    int64_t amount_fen;
    const char* description;
    const char* owner;
    const char* action;
    const char* deadline;
    fv1::RectificationStatus status;
    const char* evidence;
  };
  const PlannedFinding findings[] = {
      {fv1::FINDING_SEVERITY_HIGH, "rating contest", 1280000,
       "以工会经费举办“模范职工之家”达标评比活动，属违规支出", "县总工会办公室",
       "清退评比活动费用，追究相关人员责任", "2026-03-31",
       fv1::RECTIFICATION_STATUS_IN_PROGRESS, ""},
      {fv1::FINDING_SEVERITY_MEDIUM, "hospitality", plan.hospitality_fen,
       "公务接待两次，无公函、超标准", "县总工会财务部",
       "制定公务接待管理办法并报经审会备案", "2026-02-28",
       fv1::RECTIFICATION_STATUS_SUBMITTED, "《县总工会公务接待管理办法》"},
      {fv1::FINDING_SEVERITY_MEDIUM, "dues collection", 0,
       "部分基层工会会费长期未上缴，个别工会自6月起停缴", "县总工会组织部",
       "督促欠缴工会补缴会费，逐月通报", "2026-12-31",
       fv1::RECTIFICATION_STATUS_OPEN, ""},
  };
  int n = 0;
  for (const PlannedFinding& f : findings) {
    ++n;
    fv1::AddFindingRequest add;
    add.set_request_id(absl::StrCat("demo:audit:finding:", n));
    add.set_engagement_id(engagement_id);
    add.set_severity(f.severity);
    add.set_category(f.category);
    add.set_amount_fen(f.amount_fen);
    add.set_description(f.description);
    fv1::AddFindingResponse finding;
    if (absl::Status s = Call(audit, &AuditStub::AddFinding, add, &finding,
                              add.request_id());
        !s.ok()) {
      return s;
    }
    fv1::AddRectificationRequest rect;
    rect.set_request_id(absl::StrCat("demo:audit:rectification:", n));
    rect.set_finding_id(finding.finding().finding_id());
    rect.set_owner(f.owner);
    rect.set_action(f.action);
    rect.set_deadline(f.deadline);
    fv1::AddRectificationResponse added;
    if (absl::Status s = Call(audit, &AuditStub::AddRectification, rect, &added,
                              rect.request_id());
        !s.ok()) {
      return s;
    }
    // Work starts, then evidence is handed in.
    std::vector<fv1::RectificationStatus> steps;
    if (f.status != fv1::RECTIFICATION_STATUS_OPEN) {
      steps.push_back(fv1::RECTIFICATION_STATUS_IN_PROGRESS);
    }
    if (f.status == fv1::RECTIFICATION_STATUS_SUBMITTED) {
      steps.push_back(f.status);
    }
    for (size_t k = 0; k < steps.size(); ++k) {
      fv1::UpdateRectificationRequest update;
      update.set_request_id(
          absl::StrCat("demo:audit:rectification:", n, ":", k + 1));
      update.set_rectification_id(added.rectification().rectification_id());
      update.set_status(steps[k]);
      if (steps[k] == fv1::RECTIFICATION_STATUS_SUBMITTED) {
        update.set_evidence(f.evidence);
      }
      fv1::UpdateRectificationResponse updated;
      if (absl::Status s = Call(audit, &AuditStub::UpdateRectification, update,
                                &updated, update.request_id());
          !s.ok()) {
        return s;
      }
    }
  }
  if (absl::Status s =
          advance(fv1::ENGAGEMENT_STATUS_REPORTED, "demo:audit:reported");
      !s.ok()) {
    return s;
  }
  Progress("audit: engagement %d \"%s\" reported with %d findings\n",
           engagement_id, kEngagementTitle, n);
  return absl::OkStatus();
}

}  // namespace unionhub::demo
