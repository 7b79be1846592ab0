// kill -9 of finance in the middle of a payroll deduction import, at three
// points (before the first batch commits, between batches, and after the
// last commit but before the reply, the last through the test-only hook of
// common/rpc/fault_hook.h), each followed by the same import sent again
// with the same request_id: every row applied exactly once.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/rpc/fault_hook.h"
#include "tests/fault/calls.h"
#include "tests/fault/fault_fixture.h"
#include "tests/fault/finance_checks.h"
#include "tests/support/membership_fixture.h"
#include "tests/system/system_fixture.h"

namespace unionhub::testing {
namespace {

namespace mv1 = ::unionhub::membership::v1;
namespace fv1 = ::unionhub::finance::v1;

constexpr int kMembers = 6000;  // two batches of 4000 + 2000 rows
constexpr char kImport[] =
    "unionhub.finance.v1.FinanceService.ImportPayrollDeductions";

struct PayrollCall {
  grpc::Status status;
  fv1::ImportPayrollDeductionsResponse response;
};

PayrollCall SendPayroll(fv1::FinanceService::Stub& stub,
                        const fv1::PayrollHeader& header,
                        const std::vector<fv1::PayrollRow>& rows) {
  PayrollCall call;
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(120)));
  auto writer = stub.ImportPayrollDeductions(&context, &call.response);
  fv1::ImportPayrollDeductionsRequest message;
  *message.mutable_header() = header;
  bool open = writer->Write(message);
  for (size_t i = 0; open && i < rows.size(); ++i) {
    *message.mutable_row() = rows[i];
    open = writer->Write(message);
  }
  if (open) writer->WritesDone();
  call.status = writer->Finish();
  return call;
}

using FaultPayrollTest = FaultTest;

TEST_F(FaultPayrollTest, FinanceKilledMidImportAppliesEveryRowOnce) {
  MembershipProcess& membership = NewMembership();
  ASSERT_TRUE(membership.StartAndWaitServing().ok()) << membership.ReadLog();
  MembershipProcess* finance = &NewFinance(membership);
  auto members =
      mv1::MembershipService::NewStub(membership.NewChannel(admin_token()));
  auto county = Call(*members, &mv1::MembershipService::Stub::CreateOrg,
                     OrgRequest("pay-county", "示范县总工会"));
  ASSERT_TRUE(county.ok()) << county.status.error_message();
  mv1::CreateOrgRequest grassroots =
      OrgRequest("pay-union", "示范机械厂工会", county.response.org().org_id(),
                 mv1::ORG_TYPE_GRASSROOTS_UNION);
  mv1::Employer* employer = grassroots.mutable_org()->mutable_employer();
  employer->set_name("示范机械厂");
  employer->set_credit_code(MakeCreditCode(7));
  employer->set_ownership(mv1::OWNERSHIP_NON_PUBLIC);
  employer->set_headcount(kMembers);
  employer->set_address("城关镇人民路1号");
  auto created =
      Call(*members, &mv1::MembershipService::Stub::CreateOrg, grassroots);
  ASSERT_TRUE(created.ok()) << created.status.error_message();
  const int64_t union_id = created.response.org().org_id();
  const int64_t employer_id = created.response.org().employer().employer_id();
  const std::vector<mv1::ImportMembersRequest> people =
      MakeImportRows(kMembers);
  ImportCall joined =
      RunImport(*members, MakeImportHeader("pay-members", union_id), people,
                absl::Seconds(180));
  ASSERT_TRUE(joined.status.ok()) << joined.status.error_message();

  // Finance follows the roster, charges June and takes the files.
  ASSERT_TRUE(finance->StartAndWaitServing().ok()) << finance->ReadLog();
  ASSERT_TRUE(WaitFor(
      [&] {
        return QueryInt("fault_finance",
                        "SELECT COUNT(*) FROM roster_members") == kMembers;
      },
      absl::Seconds(120)));
  auto dues = fv1::FinanceService::NewStub(finance->NewChannel(admin_token()));
  fv1::SetDuesPolicyRequest policy;
  policy.set_request_id("pay-policy");
  policy.mutable_policy()->set_effective_from("2024-01");
  policy.mutable_policy()->set_rate_bp(50);
  ASSERT_TRUE(
      Call(*dues, &fv1::FinanceService::Stub::SetDuesPolicy, policy).ok());
  for (const char* month : {"2024-06", "2024-07", "2024-08"}) {
    fv1::AssessDuesRequest assess;
    assess.set_request_id(absl::StrCat("pay-assess-", month));
    assess.set_org_id(county.response.org().org_id());
    assess.set_month(month);
    auto assessed = Call(*dues, &fv1::FinanceService::Stub::AssessDues, assess,
                         absl::Seconds(60));
    ASSERT_TRUE(assessed.ok()) << assessed.status.error_message();
  }
  // Each file: one row per member for its month.
  auto file = [&](const std::string& month, std::vector<fv1::PayrollRow>* rows,
                  int64_t* total) {
    *total = 0;
    for (int i = 0; i < kMembers; ++i) {
      fv1::PayrollRow row;
      row.set_national_id(people[i].row().member().national_id());
      row.set_month(month);
      row.set_amount_fen(2000 + i % 500);
      *total += row.amount_fen();
      rows->push_back(row);
    }
  };
  auto payments = [&](const std::string& request_id) {
    return QueryInt("fault_finance",
                    absl::StrCat("SELECT COUNT(*) FROM dues_payments WHERE "
                                 "request_id = '",
                                 request_id, "'"));
  };

  // The three kill points.
  enum Point { kBeforeFirstCommit, kBetweenBatches, kAfterLastCommit };
  std::vector<std::string> figures;
  int64_t rows_lost = 0, rows_duplicated = 0, rows_acknowledged = 0;
  const std::vector<std::pair<Point, std::string>> points = {
      {kBeforeFirstCommit, "2024-06"},
      {kBetweenBatches, "2024-07"},
      {kAfterLastCommit, "2024-08"}};
  for (const auto& [point, month] : points) {
    SCOPED_TRACE(month);
    const std::string request_id = absl::StrCat("payroll-", month);
    fv1::PayrollHeader header;
    header.set_request_id(request_id);
    header.set_employer_id(employer_id);
    header.set_paid_on(absl::StrCat(month, "-25"));
    header.set_reference(absl::StrCat("代扣 ", month));
    std::vector<fv1::PayrollRow> rows;
    int64_t total = 0;
    file(month, &rows, &total);
    if (point == kAfterLastCommit) {
      // A finance process with the hook armed for its first successful
      // import (on the same schema and cursor); the retry goes to one
      // without it.
      finance->process().Kill();
      finance = &NewFinance(
          membership, {},
          {{rpc::kCrashAfterCommitVariable, absl::StrCat(kImport, ":1")}});
      ASSERT_TRUE(finance->StartAndWaitServing().ok()) << finance->ReadLog();
      dues = fv1::FinanceService::NewStub(finance->NewChannel(admin_token()));
    }
    PayrollCall first;
    std::thread client([&] { first = SendPayroll(*dues, header, rows); });
    if (point == kBeforeFirstCommit) {
      absl::SleepFor(absl::Milliseconds(300));
      finance->process().Kill();
    } else if (point == kBetweenBatches) {
      WaitFor([&] { return payments(request_id) > 0; }, absl::Seconds(60));
      finance->process().Kill();
    }
    client.join();
    if (point == kAfterLastCommit) {
      ASSERT_TRUE(finance->process().WaitForExit(absl::Seconds(10)));
      finance = &NewFinance(membership);
    }
    EXPECT_FALSE(first.status.ok()) << "the import was to be cut off";
    const int64_t committed_before_retry = payments(request_id);
    ASSERT_TRUE(finance->StartAndWaitServing().ok()) << finance->ReadLog();
    dues = fv1::FinanceService::NewStub(finance->NewChannel(admin_token()));
    PayrollCall retried = SendPayroll(*dues, header, rows);
    ASSERT_TRUE(retried.status.ok()) << retried.status.error_message();
    EXPECT_EQ(retried.response.rows_applied(), kMembers);
    EXPECT_EQ(retried.response.applied_fen(), total);
    // Sent a third time: still the same answer, nothing new.
    PayrollCall again = SendPayroll(*dues, header, rows);
    ASSERT_TRUE(again.status.ok()) << again.status.error_message();
    EXPECT_EQ(again.response.rows_applied(), kMembers);
    const int64_t stored = payments(request_id);
    const int64_t stored_fen = QueryInt(
        "fault_finance",
        absl::StrCat("SELECT COALESCE(SUM(amount_fen), 0) FROM dues_payments "
                     "WHERE request_id = '",
                     request_id, "'"));
    EXPECT_EQ(stored, kMembers);
    EXPECT_EQ(stored_fen, total);
    EXPECT_EQ(QueryInt("fault_finance",
                       absl::StrCat("SELECT COUNT(*) FROM dues_suspense WHERE "
                                    "request_id = '",
                                    request_id, "'")),
              0);
    rows_acknowledged += kMembers;
    rows_lost += std::max<int64_t>(0, kMembers - stored);
    rows_duplicated += std::max<int64_t>(0, stored - kMembers);
    if (point == kBetweenBatches) {
      EXPECT_GT(committed_before_retry, 0);
      EXPECT_LT(committed_before_retry, kMembers)
          << "the kill was meant to land between the two batches";
    }
    if (point == kAfterLastCommit) {
      EXPECT_EQ(committed_before_retry, kMembers);
    }
    figures.push_back(absl::StrFormat("%s: killed with %d of %d rows committed",
                                      month, committed_before_retry, kMembers));
  }
  // Charges paid exactly by their allocations; the ledger verifies.
  EXPECT_EQ(QueryInt("fault_finance", kChargesOffTheirAllocations), 0);
  fv1::VerifyLedgerResponse verified;
  EXPECT_TRUE(LedgerVerifies(
      *fv1::AuditService::NewStub(finance->NewChannel(admin_token())),
      &verified))
      << verified.reason();
  Report(absl::StrFormat(
      "%s; rows acknowledged %d, lost %d, duplicated %d; ledger intact",
      absl::StrJoin(figures, "; "), rows_acknowledged, rows_lost,
      rows_duplicated));
}

}  // namespace
}  // namespace unionhub::testing
