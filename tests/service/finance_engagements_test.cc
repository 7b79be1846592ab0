// Audit engagements end to end through the AuditService: the state
// machine, findings and rectification items, closing refused while items
// are open, overdue items, listing, idempotent retries, validation naming
// every bad field, and who may do what where (auditor role, scope).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/core/dates.h"
#include "tests/service/finance_helpers.h"

namespace unionhub::testing {
namespace {

using AuditStub = fv1::AuditService::Stub;

fv1::OpenEngagementRequest OpenRequest(int64_t org, const std::string& title) {
  fv1::OpenEngagementRequest req;
  req.set_request_id(NewRequestId());
  req.set_org_id(org);
  req.set_type(fv1::ENGAGEMENT_TYPE_ANNUAL);
  req.set_title(title);
  req.set_period_from("2025-01");
  req.set_period_to("2025-12");
  return req;
}

fv1::Engagement MustOpen(AuditStub& stub, int64_t org,
                         const std::string& title) {
  return MustRpc(stub, &AuditStub::OpenEngagement, OpenRequest(org, title),
                 "OpenEngagement")
      .engagement();
}

grpc::Status Advance(AuditStub& stub, int64_t engagement,
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

fv1::AddFindingRequest FindingRequest(int64_t engagement) {
  fv1::AddFindingRequest req;
  req.set_request_id(NewRequestId());
  req.set_engagement_id(engagement);
  req.set_severity(fv1::FINDING_SEVERITY_HIGH);
  req.set_category("公款接待");
  req.set_amount_fen(1234500);
  req.set_description("接待费用超标准列支，\n未附审批单。");
  return req;
}

fv1::AddRectificationRequest RectificationRequest(int64_t finding,
                                                  const std::string& deadline) {
  fv1::AddRectificationRequest req;
  req.set_request_id(NewRequestId());
  req.set_finding_id(finding);
  req.set_owner("财务科 张会计");
  req.set_action("退回超标准费用并补办审批");
  req.set_deadline(deadline);
  return req;
}

grpc::Status Update(AuditStub& stub, int64_t item, fv1::RectificationStatus to,
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

grpc::Status Close(AuditStub& stub, int64_t engagement,
                   fv1::CloseEngagementResponse* resp = nullptr,
                   const std::string& request_id = NewRequestId()) {
  fv1::CloseEngagementRequest req;
  req.set_request_id(request_id);
  req.set_engagement_id(engagement);
  fv1::CloseEngagementResponse ignored;
  return Rpc(stub, &AuditStub::CloseEngagement, req,
             resp != nullptr ? resp : &ignored);
}

fv1::Engagement MustGet(AuditStub& stub, int64_t engagement) {
  fv1::GetEngagementRequest req;
  req.set_engagement_id(engagement);
  return MustRpc(stub, &AuditStub::GetEngagement, req, "GetEngagement")
      .engagement();
}

std::string Count(FinanceServer& server, const std::string& table) {
  return server.database().QueryValue(
      absl::StrCat("SELECT COUNT(*) FROM ", table));
}

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
  overdue.set_page_size(1001);
  fv1::ListOverdueRectificationsResponse overdue_resp;
  status =
      Rpc(audit, &AuditStub::ListOverdueRectifications, overdue, &overdue_resp);
  EXPECT_EQ(BadFields(status),
            (std::vector<std::string>{"org_id", "as_of", "page_size"}));
  EXPECT_EQ(Count(server, "findings"), "0");
  EXPECT_EQ(Count(server, "rectifications"), "0");
}

// Items of engagements in townships A and B with deadlines around as_of.
TEST(FinanceEngagements, OverdueItemsBySubtreeAndPage) {
  FinanceServer server("engagements_overdue");
  SmallCounty c = BuildSmallCounty(server, {});
  AuditStub& audit = server.audit();
  struct Plan {
    int64_t org;
    std::vector<std::string> deadlines;
  };
  std::vector<int64_t> items;
  for (const Plan& plan :
       {Plan{c.township_a.org_id(),
             {"2026-01-10", "2026-02-28", "2026-03-01", "2026-03-02"}},
        Plan{c.union_a1.org_id(), {"2025-12-31"}},
        Plan{c.township_b.org_id(), {"2026-02-01", "2026-06-30"}}}) {
    const int64_t id = MustOpen(audit, plan.org, "整改跟踪").engagement_id();
    ASSERT_TRUE(Advance(audit, id, fv1::ENGAGEMENT_STATUS_FIELDWORK).ok());
    const int64_t finding =
        MustRpc(audit, &AuditStub::AddFinding, FindingRequest(id), "finding")
            .finding()
            .finding_id();
    for (const std::string& deadline : plan.deadlines) {
      items.push_back(MustRpc(audit, &AuditStub::AddRectification,
                              RectificationRequest(finding, deadline), "item")
                          .rectification()
                          .rectification_id());
    }
  }
  // The first item is done: no longer overdue. The second is submitted:
  // still overdue until verified.
  ASSERT_TRUE(
      Update(audit, items[0], fv1::RECTIFICATION_STATUS_ACCEPTED, "已说明")
          .ok());
  ASSERT_TRUE(
      Update(audit, items[1], fv1::RECTIFICATION_STATUS_IN_PROGRESS, "").ok());
  ASSERT_TRUE(
      Update(audit, items[1], fv1::RECTIFICATION_STATUS_SUBMITTED, "已提交")
          .ok());

  auto list = [&](int64_t org, const std::string& as_of, int page_size) {
    std::vector<fv1::OverdueRectification> all;
    fv1::ListOverdueRectificationsRequest req;
    req.set_org_id(org);
    req.set_as_of(as_of);
    req.set_page_size(page_size);
    int pages = 0;
    do {
      fv1::ListOverdueRectificationsResponse resp =
          MustRpc(audit, &AuditStub::ListOverdueRectifications, req, "overdue");
      EXPECT_LE(resp.items_size(), page_size);
      for (const auto& item : resp.items()) all.push_back(item);
      req.set_page_token(resp.next_page_token());
    } while (!req.page_token().empty() && ++pages < 50);
    return all;
  };
  // As of 2026-03-01: A's 2026-02-28 (1 day), A1's 2025-12-31 (60 days),
  // B's 2026-02-01 (28 days); 2026-03-01 itself is not overdue yet.
  std::vector<fv1::OverdueRectification> county =
      list(c.county.org_id(), "2026-03-01", 2);
  ASSERT_EQ(county.size(), 3u);
  EXPECT_EQ(county[0].rectification().rectification_id(), items[1]);
  EXPECT_EQ(county[0].days_overdue(), 1);
  EXPECT_EQ(county[0].org_id(), c.township_a.org_id());
  EXPECT_EQ(county[0].engagement_title(), "整改跟踪");
  EXPECT_EQ(county[0].rectification().status(),
            fv1::RECTIFICATION_STATUS_SUBMITTED);
  EXPECT_EQ(county[1].rectification().rectification_id(), items[4]);
  EXPECT_EQ(county[1].days_overdue(), 60);
  EXPECT_EQ(county[1].org_id(), c.union_a1.org_id());
  EXPECT_EQ(county[2].rectification().rectification_id(), items[5]);
  EXPECT_EQ(county[2].days_overdue(), 28);

  std::vector<fv1::OverdueRectification> a =
      list(c.township_a.org_id(), "2026-03-01", 1);
  ASSERT_EQ(a.size(), 2u);  // A and A1, not B
  EXPECT_EQ(a[1].rectification().rectification_id(), items[4]);
  EXPECT_EQ(list(c.township_b.org_id(), "2026-03-01", 10).size(), 1u);
  EXPECT_EQ(list(c.county.org_id(), "2025-12-31", 10).size(), 0u);
  // Default: today. Every deadline here is long past or in mid-2026.
  const std::string today = dates::FormatDate(dates::TodayInChina());
  EXPECT_EQ(list(c.county.org_id(), "", 10).size(),
            list(c.county.org_id(), today, 10).size());
  EXPECT_EQ(list(0, "2030-01-01", 100).size(), 6u);  // all but the accepted
}

TEST(FinanceEngagements, ListBySubtreeStatusAndPage) {
  FinanceServer server("engagements_list");
  SmallCounty c = BuildSmallCounty(server, {});
  AuditStub& audit = server.audit();
  std::vector<int64_t> in_a;
  for (int i = 0; i < 5; ++i) {
    const int64_t org =
        i % 2 == 0 ? c.union_a1.org_id() : c.township_a.org_id();
    in_a.push_back(MustOpen(audit, org, absl::StrCat("A-", i)).engagement_id());
  }
  MustOpen(audit, c.township_b.org_id(), "B-0");
  ASSERT_TRUE(Advance(audit, in_a[1], fv1::ENGAGEMENT_STATUS_FIELDWORK).ok());
  ASSERT_TRUE(Advance(audit, in_a[3], fv1::ENGAGEMENT_STATUS_FIELDWORK).ok());

  fv1::ListEngagementsRequest req;
  req.set_org_id(c.township_a.org_id());
  req.set_page_size(2);
  std::vector<int64_t> got;
  int pages = 0;
  do {
    fv1::ListEngagementsResponse resp =
        MustRpc(audit, &AuditStub::ListEngagements, req, "list");
    for (const auto& e : resp.engagements()) {
      got.push_back(e.engagement_id());
      EXPECT_EQ(e.findings_size(), 0);
    }
    req.set_page_token(resp.next_page_token());
    ++pages;
  } while (!req.page_token().empty() && pages < 20);
  EXPECT_EQ(got, in_a);
  EXPECT_EQ(pages, 3);

  req = fv1::ListEngagementsRequest();
  req.set_org_id(c.county.org_id());
  req.set_status(fv1::ENGAGEMENT_STATUS_FIELDWORK);
  fv1::ListEngagementsResponse fieldwork =
      MustRpc(audit, &AuditStub::ListEngagements, req, "fieldwork");
  ASSERT_EQ(fieldwork.engagements_size(), 2);
  EXPECT_EQ(fieldwork.engagements(0).engagement_id(), in_a[1]);
  req.set_org_id(0);
  req.set_status(fv1::ENGAGEMENT_STATUS_UNSPECIFIED);
  EXPECT_EQ(MustRpc(audit, &AuditStub::ListEngagements, req, "all")
                .engagements_size(),
            6);
}

TEST(FinanceEngagements, AuditorsWorkOnlyInTheirScope) {
  FinanceServer server("engagements_scope");
  SmallCounty c = BuildSmallCounty(server, {});
  AuditStub& admin = server.audit();
  const int64_t in_b =
      MustOpen(admin, c.township_b.org_id(), "B 离任审计").engagement_id();
  ASSERT_TRUE(Advance(admin, in_b, fv1::ENGAGEMENT_STATUS_FIELDWORK).ok());
  const int64_t finding_b =
      MustRpc(admin, &AuditStub::AddFinding, FindingRequest(in_b), "finding")
          .finding()
          .finding_id();
  const int64_t item_b =
      MustRpc(admin, &AuditStub::AddRectification,
              RectificationRequest(finding_b, "2026-01-01"), "item")
          .rectification()
          .rectification_id();

  auto auditor_a = server.AuditWithToken(
      MintTestToken({"auditor"}, c.township_a.org_id(), "sj-a"));
  const int64_t in_a =
      MustOpen(*auditor_a, c.union_a2.org_id(), "A2 年度审计").engagement_id();
  EXPECT_TRUE(Advance(*auditor_a, in_a, fv1::ENGAGEMENT_STATUS_FIELDWORK).ok());

  const auto denied = grpc::StatusCode::PERMISSION_DENIED;
  fv1::OpenEngagementResponse open_resp;
  EXPECT_EQ(Rpc(*auditor_a, &AuditStub::OpenEngagement,
                OpenRequest(c.township_b.org_id(), "越权"), &open_resp)
                .error_code(),
            denied);
  fv1::GetEngagementRequest get;
  get.set_engagement_id(in_b);
  fv1::GetEngagementResponse get_resp;
  EXPECT_EQ(
      Rpc(*auditor_a, &AuditStub::GetEngagement, get, &get_resp).error_code(),
      denied);
  EXPECT_EQ(
      Advance(*auditor_a, in_b, fv1::ENGAGEMENT_STATUS_REPORTED).error_code(),
      denied);
  fv1::AddFindingResponse finding_resp;
  EXPECT_EQ(Rpc(*auditor_a, &AuditStub::AddFinding, FindingRequest(in_b),
                &finding_resp)
                .error_code(),
            denied);
  fv1::AddRectificationResponse item_resp;
  EXPECT_EQ(Rpc(*auditor_a, &AuditStub::AddRectification,
                RectificationRequest(finding_b, "2026-01-01"), &item_resp)
                .error_code(),
            denied);
  EXPECT_EQ(
      Update(*auditor_a, item_b, fv1::RECTIFICATION_STATUS_ACCEPTED, "越权接受")
          .error_code(),
      denied);
  EXPECT_EQ(Close(*auditor_a, in_b).error_code(), denied);
  fv1::ListEngagementsRequest list;
  list.set_org_id(c.township_b.org_id());
  fv1::ListEngagementsResponse list_resp;
  EXPECT_EQ(Rpc(*auditor_a, &AuditStub::ListEngagements, list, &list_resp)
                .error_code(),
            denied);
  list.set_org_id(0);  // the whole tree is outside a scoped token
  EXPECT_EQ(Rpc(*auditor_a, &AuditStub::ListEngagements, list, &list_resp)
                .error_code(),
            denied);
  fv1::ListOverdueRectificationsRequest overdue;
  overdue.set_org_id(c.township_b.org_id());
  fv1::ListOverdueRectificationsResponse overdue_resp;
  EXPECT_EQ(Rpc(*auditor_a, &AuditStub::ListOverdueRectifications, overdue,
                &overdue_resp)
                .error_code(),
            denied);
  // Nothing of B changed.
  fv1::Engagement b = MustGet(admin, in_b);
  EXPECT_EQ(b.status(), fv1::ENGAGEMENT_STATUS_FIELDWORK);
  ASSERT_EQ(b.findings_size(), 1);
  ASSERT_EQ(b.findings(0).rectifications_size(), 1);
  EXPECT_EQ(b.findings(0).rectifications(0).status(),
            fv1::RECTIFICATION_STATUS_OPEN);

  // A finance clerk reads reports but does not run engagements.
  auto clerk = server.AuditWithToken(MintTestToken({"finance_clerk"}));
  EXPECT_EQ(Rpc(*clerk, &AuditStub::OpenEngagement,
                OpenRequest(c.county.org_id(), "职员不可开审计"), &open_resp)
                .error_code(),
            denied);
  EXPECT_EQ(Count(server, "engagements"), "2");
}

}  // namespace
}  // namespace unionhub::testing
