// Calls shared by the engagement service tests: requests with fresh
// request ids and sensible defaults, and "must succeed" shortcuts.
#ifndef UNIONHUB_TESTS_SERVICE_FINANCE_ENGAGEMENT_HELPERS_H_
#define UNIONHUB_TESTS_SERVICE_FINANCE_ENGAGEMENT_HELPERS_H_

#include <string>

#include "absl/strings/str_cat.h"
#include "tests/service/finance_helpers.h"

namespace unionhub::testing {

using AuditStub = fv1::AuditService::Stub;

inline fv1::OpenEngagementRequest OpenRequest(int64_t org,
                                              const std::string& title) {
  fv1::OpenEngagementRequest req;
  req.set_request_id(NewRequestId());
  req.set_org_id(org);
  req.set_type(fv1::ENGAGEMENT_TYPE_ANNUAL);
  req.set_title(title);
  req.set_period_from("2025-01");
  req.set_period_to("2025-12");
  return req;
}

inline fv1::Engagement MustOpen(AuditStub& stub, int64_t org,
                                const std::string& title) {
  return MustRpc(stub, &AuditStub::OpenEngagement, OpenRequest(org, title),
                 "OpenEngagement")
      .engagement();
}

inline grpc::Status Advance(AuditStub& stub, int64_t engagement,
                            fv1::EngagementStatus to,
                            fv1::AdvanceEngagementResponse* resp = nullptr) {
  fv1::AdvanceEngagementRequest req;
  req.set_request_id(NewRequestId());
  req.set_engagement_id(engagement);
  req.set_status(to);
  fv1::AdvanceEngagementResponse ignored;
  return Rpc(stub, &AuditStub::AdvanceEngagement, req,
             resp != nullptr ? resp : &ignored);
}

inline fv1::AddFindingRequest FindingRequest(int64_t engagement) {
  fv1::AddFindingRequest req;
  req.set_request_id(NewRequestId());
  req.set_engagement_id(engagement);
  req.set_severity(fv1::FINDING_SEVERITY_HIGH);
  req.set_category("公款接待");
  req.set_amount_fen(1234500);
  req.set_description("接待费用超标准列支，\n未附审批单。");
  return req;
}

inline fv1::AddRectificationRequest RectificationRequest(
    int64_t finding, const std::string& deadline) {
  fv1::AddRectificationRequest req;
  req.set_request_id(NewRequestId());
  req.set_finding_id(finding);
  req.set_owner("财务科 张会计");
  req.set_action("退回超标准费用并补办审批");
  req.set_deadline(deadline);
  return req;
}

inline grpc::Status Update(AuditStub& stub, int64_t item,
                           fv1::RectificationStatus to,
                           const std::string& evidence,
                           fv1::UpdateRectificationResponse* resp = nullptr) {
  fv1::UpdateRectificationRequest req;
  req.set_request_id(NewRequestId());
  req.set_rectification_id(item);
  req.set_status(to);
  req.set_evidence(evidence);
  fv1::UpdateRectificationResponse ignored;
  return Rpc(stub, &AuditStub::UpdateRectification, req,
             resp != nullptr ? resp : &ignored);
}

inline grpc::Status Close(AuditStub& stub, int64_t engagement,
                          fv1::CloseEngagementResponse* resp = nullptr,
                          const std::string& request_id = NewRequestId()) {
  fv1::CloseEngagementRequest req;
  req.set_request_id(request_id);
  req.set_engagement_id(engagement);
  fv1::CloseEngagementResponse ignored;
  return Rpc(stub, &AuditStub::CloseEngagement, req,
             resp != nullptr ? resp : &ignored);
}

inline fv1::Engagement MustGet(AuditStub& stub, int64_t engagement) {
  fv1::GetEngagementRequest req;
  req.set_engagement_id(engagement);
  return MustRpc(stub, &AuditStub::GetEngagement, req, "GetEngagement")
      .engagement();
}

// `table` is a name the test chose from its own fixed list.
inline std::string Count(FinanceServer& server, const std::string& table) {
  return server.database().QueryValue(
      absl::StrCat("SELECT COUNT(*) FROM ", table));
}

}  // namespace unionhub::testing

#endif  // UNIONHUB_TESTS_SERVICE_FINANCE_ENGAGEMENT_HELPERS_H_
