// Audit engagements end to end through the AuditService: the state
// machine, findings and rectification items, closing refused while items
// are open, idempotent retries, and validation naming every bad field.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "tests/service/finance_engagement_helpers.h"

namespace unionhub::testing {
namespace {

TEST(FinanceEngagements, WorkflowFromPlannedToClosed) {
  FinanceServer server("engagements_flow");
  SmallCounty c = BuildSmallCounty(server, {});
  auto auditor = server.AuditWithToken(MintTestToken({"auditor"}, 0, "sj-li"));

  fv1::Engagement e =
      MustOpen(*auditor, c.township_a.org_id(), "2025年度经费审查");
  EXPECT_GT(e.engagement_id(), 0);
  EXPECT_EQ(e.status(), fv1::ENGAGEMENT_STATUS_PLANNED);
  EXPECT_EQ(e.opened_by(), "sj-li");
  EXPECT_EQ(e.org_id(), c.township_a.org_id());
  EXPECT_TRUE(e.has_create_time());
  const int64_t id = e.engagement_id();

  // No findings before fieldwork; no skipping or going back.
  fv1::AddFindingResponse finding_resp;
  EXPECT_EQ(
      Rpc(*auditor, &AuditStub::AddFinding, FindingRequest(id), &finding_resp)
          .error_code(),
      grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Advance(*auditor, id, fv1::ENGAGEMENT_STATUS_REPORTED).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Advance(*auditor, id, fv1::ENGAGEMENT_STATUS_CLOSED).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  fv1::AdvanceEngagementResponse advanced;
  ASSERT_TRUE(
      Advance(*auditor, id, fv1::ENGAGEMENT_STATUS_FIELDWORK, &advanced).ok());
  EXPECT_EQ(advanced.engagement().status(), fv1::ENGAGEMENT_STATUS_FIELDWORK);
  EXPECT_EQ(Advance(*auditor, id, fv1::ENGAGEMENT_STATUS_PLANNED).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  // Findings, one retried: the retry answers the first finding.
  fv1::AddFindingRequest first = FindingRequest(id);
  fv1::Finding f1 =
      MustRpc(*auditor, &AuditStub::AddFinding, first, "AddFinding").finding();
  fv1::Finding again =
      MustRpc(*auditor, &AuditStub::AddFinding, first, "retry").finding();
  EXPECT_EQ(again.finding_id(), f1.finding_id());
  EXPECT_EQ(Count(server, "findings"), "1");
  fv1::AddFindingRequest second = FindingRequest(id);
  second.set_severity(fv1::FINDING_SEVERITY_LOW);
  second.set_category("会费收缴");
  second.set_amount_fen(0);
  fv1::Finding f2 =
      MustRpc(*auditor, &AuditStub::AddFinding, second, "AddFinding").finding();
  EXPECT_EQ(f2.amount_fen(), 0);

  fv1::Rectification r1 =
      MustRpc(*auditor, &AuditStub::AddRectification,
              RectificationRequest(f1.finding_id(), "2026-03-31"), "r1")
          .rectification();
  EXPECT_EQ(r1.status(), fv1::RECTIFICATION_STATUS_OPEN);
  EXPECT_EQ(r1.deadline(), "2026-03-31");
  fv1::Rectification r2 =
      MustRpc(*auditor, &AuditStub::AddRectification,
              RectificationRequest(f1.finding_id(), "2026-04-30"), "r2")
          .rectification();
  fv1::Rectification r3 =
      MustRpc(*auditor, &AuditStub::AddRectification,
              RectificationRequest(f2.finding_id(), "2026-05-31"), "r3")
          .rectification();

  ASSERT_TRUE(Advance(*auditor, id, fv1::ENGAGEMENT_STATUS_REPORTED).ok());
  // Findings may still be written up while reporting.
  fv1::Finding f3 = MustRpc(*auditor, &AuditStub::AddFinding,
                            FindingRequest(id), "while reporting")
                        .finding();

  // Closing names every open item.
  grpc::Status refused = Close(*auditor, id);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  for (const fv1::Rectification& r : {r1, r2, r3}) {
    EXPECT_NE(refused.error_message().find(
                  absl::StrCat(r.rectification_id(), " (OPEN)")),
              std::string::npos)
        << refused.error_message();
  }

  fv1::UpdateRectificationResponse updated;
  ASSERT_TRUE(Update(*auditor, r1.rectification_id(),
                     fv1::RECTIFICATION_STATUS_IN_PROGRESS, "")
                  .ok());
  ASSERT_TRUE(Update(*auditor, r1.rectification_id(),
                     fv1::RECTIFICATION_STATUS_SUBMITTED, "退款凭证 No.88")
                  .ok());
  ASSERT_TRUE(Update(*auditor, r1.rectification_id(),
                     fv1::RECTIFICATION_STATUS_VERIFIED, "已核对银行回单",
                     &updated)
                  .ok());
  EXPECT_EQ(updated.rectification().status(),
            fv1::RECTIFICATION_STATUS_VERIFIED);
  EXPECT_EQ(updated.rectification().evidence(), "已核对银行回单");
  ASSERT_TRUE(Update(*auditor, r2.rectification_id(),
                     fv1::RECTIFICATION_STATUS_ACCEPTED,
                     "标准调整前发生，经审委员会同意不予整改")
                  .ok());
  // r3: submitted, sent back, submitted again, verified.
  ASSERT_TRUE(Update(*auditor, r3.rectification_id(),
                     fv1::RECTIFICATION_STATUS_IN_PROGRESS, "")
                  .ok());
  ASSERT_TRUE(Update(*auditor, r3.rectification_id(),
                     fv1::RECTIFICATION_STATUS_SUBMITTED, "第一次提交")
                  .ok());
  ASSERT_TRUE(Update(*auditor, r3.rectification_id(),
                     fv1::RECTIFICATION_STATUS_IN_PROGRESS, "", &updated)
                  .ok());
  EXPECT_EQ(updated.rectification().evidence(), "第一次提交");  // kept

  refused = Close(*auditor, id);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(refused.error_message().find(
                absl::StrCat(r3.rectification_id(), " (IN_PROGRESS)")),
            std::string::npos)
      << refused.error_message();
  EXPECT_EQ(
      refused.error_message().find(absl::StrCat(r1.rectification_id(), " (")),
      std::string::npos);
  EXPECT_EQ(MustGet(*auditor, id).status(), fv1::ENGAGEMENT_STATUS_REPORTED);

  ASSERT_TRUE(Update(*auditor, r3.rectification_id(),
                     fv1::RECTIFICATION_STATUS_SUBMITTED, "第二次提交")
                  .ok());
  ASSERT_TRUE(Update(*auditor, r3.rectification_id(),
                     fv1::RECTIFICATION_STATUS_VERIFIED, "复核通过")
                  .ok());
  const std::string close_id = NewRequestId();
  fv1::CloseEngagementResponse closed;
  ASSERT_TRUE(Close(*auditor, id, &closed, close_id).ok());
  EXPECT_EQ(closed.engagement().status(), fv1::ENGAGEMENT_STATUS_CLOSED);
  fv1::CloseEngagementResponse closed_again;
  ASSERT_TRUE(Close(*auditor, id, &closed_again, close_id).ok());  // retry
  EXPECT_EQ(closed_again.SerializeAsString(), closed.SerializeAsString());
  EXPECT_EQ(Close(*auditor, id).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);  // a new close

  // The whole record, findings with their items in order.
  fv1::Engagement full = MustGet(*auditor, id);
  EXPECT_EQ(full.status(), fv1::ENGAGEMENT_STATUS_CLOSED);
  ASSERT_EQ(full.findings_size(), 3);
  EXPECT_EQ(full.findings(0).finding_id(), f1.finding_id());
  EXPECT_EQ(full.findings(0).description(),
            "接待费用超标准列支，\n未附审批单。");
  ASSERT_EQ(full.findings(0).rectifications_size(), 2);
  EXPECT_EQ(full.findings(0).rectifications(0).status(),
            fv1::RECTIFICATION_STATUS_VERIFIED);
  EXPECT_EQ(full.findings(0).rectifications(1).status(),
            fv1::RECTIFICATION_STATUS_ACCEPTED);
  ASSERT_EQ(full.findings(1).rectifications_size(), 1);
  EXPECT_EQ(full.findings(1).rectifications(0).evidence(), "复核通过");
  EXPECT_EQ(full.findings(2).finding_id(), f3.finding_id());
  EXPECT_EQ(full.findings(2).rectifications_size(), 0);

  // A closed engagement takes nothing more.
  EXPECT_EQ(
      Rpc(*auditor, &AuditStub::AddFinding, FindingRequest(id), &finding_resp)
          .error_code(),
      grpc::StatusCode::FAILED_PRECONDITION);
  fv1::AddRectificationResponse rect_resp;
  EXPECT_EQ(Rpc(*auditor, &AuditStub::AddRectification,
                RectificationRequest(f3.finding_id(), "2026-06-30"), &rect_resp)
                .error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Update(*auditor, r1.rectification_id(),
                   fv1::RECTIFICATION_STATUS_IN_PROGRESS, "")
                .error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Count(server, "rectifications"), "3");
}

TEST(FinanceEngagements, RectificationTransitionsAndEvidence) {
  FinanceServer server("engagements_items");
  SmallCounty c = BuildSmallCounty(server, {});
  AuditStub& audit = server.audit();
  const int64_t id =
      MustOpen(audit, c.county.org_id(), "专项审计").engagement_id();
  ASSERT_TRUE(Advance(audit, id, fv1::ENGAGEMENT_STATUS_FIELDWORK).ok());
  const int64_t finding =
      MustRpc(audit, &AuditStub::AddFinding, FindingRequest(id), "finding")
          .finding()
          .finding_id();
  const int64_t item =
      MustRpc(audit, &AuditStub::AddRectification,
              RectificationRequest(finding, "2026-01-31"), "item")
          .rectification()
          .rectification_id();

  // Evidence is checked with the request, before any state.
  grpc::Status status =
      Update(audit, item, fv1::RECTIFICATION_STATUS_ACCEPTED, "  ");
  EXPECT_EQ(BadFields(status), std::vector<std::string>{"evidence"});
  EXPECT_NE(status.error_message().find("ACCEPTED"), std::string::npos);
  // OPEN cannot jump to SUBMITTED or VERIFIED, nor stay OPEN.
  EXPECT_EQ(Update(audit, item, fv1::RECTIFICATION_STATUS_SUBMITTED, "x")
                .error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(
      Update(audit, item, fv1::RECTIFICATION_STATUS_VERIFIED, "x").error_code(),
      grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(
      Update(audit, item, fv1::RECTIFICATION_STATUS_OPEN, "").error_code(),
      grpc::StatusCode::FAILED_PRECONDITION);
  ASSERT_TRUE(
      Update(audit, item, fv1::RECTIFICATION_STATUS_IN_PROGRESS, "").ok());
  EXPECT_EQ(
      Update(audit, item, fv1::RECTIFICATION_STATUS_VERIFIED, "x").error_code(),
      grpc::StatusCode::FAILED_PRECONDITION);
  // A retried update answers the first result even though the item moved.
  fv1::UpdateRectificationRequest submit;
  submit.set_request_id(NewRequestId());
  submit.set_rectification_id(item);
  submit.set_status(fv1::RECTIFICATION_STATUS_SUBMITTED);
  submit.set_evidence("整改报告");
  fv1::UpdateRectificationResponse first =
      MustRpc(audit, &AuditStub::UpdateRectification, submit, "submit");
  ASSERT_TRUE(
      Update(audit, item, fv1::RECTIFICATION_STATUS_ACCEPTED, "审委会决定接受")
          .ok());
  fv1::UpdateRectificationResponse retried =
      MustRpc(audit, &AuditStub::UpdateRectification, submit, "retry");
  EXPECT_EQ(retried.rectification().status(),
            fv1::RECTIFICATION_STATUS_SUBMITTED);
  EXPECT_EQ(MustGet(audit, id).findings(0).rectifications(0).status(),
            fv1::RECTIFICATION_STATUS_ACCEPTED);
  // Final.
  status = Update(audit, item, fv1::RECTIFICATION_STATUS_IN_PROGRESS, "");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(status.error_message().find("final"), std::string::npos);
  (void)first;
}

TEST(FinanceEngagements, ValidationNamesEveryBadField) {
  FinanceServer server("engagements_bad");
  SmallCounty c = BuildSmallCounty(server, {});
  AuditStub& audit = server.audit();

  fv1::OpenEngagementRequest open;
  open.set_period_from("2025-1");
  fv1::OpenEngagementResponse open_resp;
  grpc::Status status =
      Rpc(audit, &AuditStub::OpenEngagement, open, &open_resp);
  EXPECT_EQ(BadFields(status),
            (std::vector<std::string>{"request_id", "org_id", "type", "title",
                                      "period_from", "period_to"}));
  open = OpenRequest(c.county.org_id(), std::string(257, 'x'));
  open.set_period_from("2025-12");
  open.set_period_to("2025-01");
  open.set_type(static_cast<fv1::EngagementType>(42));
  status = Rpc(audit, &AuditStub::OpenEngagement, open, &open_resp);
  EXPECT_EQ(BadFields(status),
            (std::vector<std::string>{"type", "title", "period_to"}));
  EXPECT_EQ(Count(server, "engagements"), "0");
  EXPECT_EQ(Rpc(audit, &AuditStub::OpenEngagement,
                OpenRequest(987654321, "无此组织"), &open_resp)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);

  fv1::AddFindingRequest finding;
  finding.set_severity(static_cast<fv1::FindingSeverity>(9));
  finding.set_category(std::string(65, 'c'));
  finding.set_amount_fen(-1);
  fv1::AddFindingResponse finding_resp;
  status = Rpc(audit, &AuditStub::AddFinding, finding, &finding_resp);
  EXPECT_EQ(BadFields(status), (std::vector<std::string>{
                                   "request_id", "engagement_id", "severity",
                                   "category", "amount_fen", "description"}));
  EXPECT_EQ(
      Rpc(audit, &AuditStub::AddFinding, FindingRequest(424242), &finding_resp)
          .error_code(),
      grpc::StatusCode::NOT_FOUND);

  fv1::AddRectificationRequest item;
  item.set_finding_id(-4);
  item.set_owner("a\tb");
  item.set_deadline("2026-02-30");
  fv1::AddRectificationResponse item_resp;
  status = Rpc(audit, &AuditStub::AddRectification, item, &item_resp);
  EXPECT_EQ(BadFields(status),
            (std::vector<std::string>{"request_id", "finding_id", "owner",
                                      "action", "deadline"}));

  fv1::UpdateRectificationRequest update;
  update.set_request_id("bad id with spaces");
  update.set_status(fv1::RECTIFICATION_STATUS_VERIFIED);
  fv1::UpdateRectificationResponse update_resp;
  status = Rpc(audit, &AuditStub::UpdateRectification, update, &update_resp);
  EXPECT_EQ(
      BadFields(status),
      (std::vector<std::string>{"request_id", "rectification_id", "evidence"}));

  fv1::AdvanceEngagementRequest advance;
  fv1::AdvanceEngagementResponse advance_resp;
  status = Rpc(audit, &AuditStub::AdvanceEngagement, advance, &advance_resp);
  EXPECT_EQ(BadFields(status), (std::vector<std::string>{
                                   "request_id", "engagement_id", "status"}));
  fv1::CloseEngagementRequest close;
  fv1::CloseEngagementResponse close_resp;
  status = Rpc(audit, &AuditStub::CloseEngagement, close, &close_resp);
  EXPECT_EQ(BadFields(status),
            (std::vector<std::string>{"request_id", "engagement_id"}));
  fv1::GetEngagementRequest get;
  get.set_engagement_id(77);
  fv1::GetEngagementResponse get_resp;
  EXPECT_EQ(Rpc(audit, &AuditStub::GetEngagement, get, &get_resp).error_code(),
            grpc::StatusCode::NOT_FOUND);

  fv1::ListOverdueRectificationsRequest overdue;
  overdue.set_org_id(-1);
  overdue.set_as_of("tomorrow");
  overdue.set_page_size(-1);  // above the maximum is clamped, not refused
  fv1::ListOverdueRectificationsResponse overdue_resp;
  status =
      Rpc(audit, &AuditStub::ListOverdueRectifications, overdue, &overdue_resp);
  EXPECT_EQ(BadFields(status),
            (std::vector<std::string>{"org_id", "as_of", "page_size"}));
  EXPECT_EQ(Count(server, "findings"), "0");
  EXPECT_EQ(Count(server, "rectifications"), "0");
}

}  // namespace
}  // namespace unionhub::testing
