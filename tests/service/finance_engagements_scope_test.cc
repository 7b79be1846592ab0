// Audit engagements: overdue rectification items by subtree and page,
// engagement listing, and who may do what where (auditor role, scope).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/core/dates.h"
#include "tests/service/finance_engagement_helpers.h"

namespace unionhub::testing {
namespace {

// Items of engagements in townships A and B with deadlines around as_of.
TEST(FinanceEngagementsScope, OverdueItemsBySubtreeAndPage) {
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

TEST(FinanceEngagementsScope, ListBySubtreeStatusAndPage) {
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

TEST(FinanceEngagementsScope, AuditorsWorkOnlyInTheirScope) {
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
