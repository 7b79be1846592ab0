// "Today" in finance comes from the clock injected through RegisterFinance
// (FinanceDeps::clock), not from the wall clock: assessment refuses months
// after the clock's month, and arrears are counted as of it.
#include <gtest/gtest.h>

#include "tests/service/finance_dues_helpers.h"
#include "tests/service/finance_helpers.h"

namespace unionhub::testing {
namespace {

using AuditStub = fv1::AuditService::Stub;

fv1::ListArrearsResponse Arrears(FinanceServer& server, int64_t org_id) {
  fv1::ListArrearsRequest req;
  req.set_org_id(org_id);
  return MustRpc(server.audit(), &AuditStub::ListArrears, req, "ListArrears");
}

TEST(FinanceClock, AssessmentAndArrearsFollowTheInjectedDate) {
  FinanceServer server("clock_arrears");
  server.clock().SetToday(absl::CivilDay(2025, 3, 15));
  SmallCounty c = BuildSmallCounty(server, {300000});
  const int64_t county = c.county.org_id();

  // April is after the clock's month, whatever the wall clock says.
  fv1::AssessDuesRequest april;
  april.set_request_id(NewRequestId());
  april.set_org_id(county);
  april.set_month("2025-04");
  fv1::AssessDuesResponse refused;
  grpc::Status status =
      Rpc(server.finance(), &FStub::AssessDues, april, &refused);
  EXPECT_EQ(BadFields(status), std::vector<std::string>{"month"});

  for (const char* month : {"2025-01", "2025-02", "2025-03"}) {
    EXPECT_EQ(Assess(server, county, month).members_charged(), 1) << month;
  }
  // On 2025-03-15 January and February are past and unpaid; March is not
  // yet in arrears.
  fv1::ListArrearsResponse march = Arrears(server, county);
  EXPECT_EQ(march.as_of_month(), "2025-03");
  ASSERT_EQ(march.entries_size(), 1);
  EXPECT_EQ(march.entries(0).months_in_arrears(), 2);
  EXPECT_EQ(march.entries(0).oldest_open_month(), "2025-01");

  // Three months on, March is past too.
  server.clock().SetToday(absl::CivilDay(2025, 6, 15));
  fv1::ListArrearsResponse june = Arrears(server, county);
  EXPECT_EQ(june.as_of_month(), "2025-06");
  ASSERT_EQ(june.entries_size(), 1);
  EXPECT_EQ(june.entries(0).months_in_arrears(), 3);
}

}  // namespace
}  // namespace unionhub::testing
