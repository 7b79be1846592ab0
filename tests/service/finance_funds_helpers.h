// Shared by the funds, ledger and spending service tests: a county with a
// region code (so its orgs have a province and allocation tables apply),
// request builders and ledger-wide checks made directly in SQL.
#ifndef UNIONHUB_TESTS_SERVICE_FINANCE_FUNDS_HELPERS_H_
#define UNIONHUB_TESTS_SERVICE_FINANCE_FUNDS_HELPERS_H_

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "tests/service/finance_helpers.h"

namespace unionhub::testing {

using FStub = fv1::FinanceService::Stub;
using AStub = fv1::AuditService::Stub;

// County (region 320582, so province 320000) -> townships A and B ->
// A1 (120 workers), A2 (40 workers: small/micro), B1 (300 workers); plus
// an employer without a union (25 workers) in township B.
struct FundsCounty {
  mv1::Org county, township_a, township_b, union_a1, union_a2, union_b1;
  mv1::Employer without_union;
  int64_t employer_a1 = 0, employer_a2 = 0, employer_b1 = 0;
};

inline mv1::Org MustCreateInRegion(MembershipServer& m, mv1::OrgType type,
                                   int64_t parent, const std::string& name,
                                   const std::string& region_code) {
  mv1::CreateOrgRequest req = OrgRequest(type, parent, name);
  req.mutable_org()->set_region_code(region_code);
  return MustCreate(m, req);
}

// `code_base` keeps credit codes (and names) distinct when a test builds
// two counties.
inline FundsCounty BuildFundsCounty(FinanceServer& server,
                                    const std::string& region = "320582",
                                    int code_base = 1) {
  MembershipServer& m = server.membership();
  const std::string tag = code_base == 1 ? "" : absl::StrCat(code_base);
  FundsCounty c;
  c.county = MustCreateInRegion(m, mv1::ORG_TYPE_COUNTY_FEDERATION, 0,
                                "示范县总工会" + tag, region);
  c.township_a = MustCreateOrg(m, mv1::ORG_TYPE_TOWNSHIP_UNION,
                               c.county.org_id(), "城关镇总工会" + tag);
  c.township_b = MustCreateOrg(m, mv1::ORG_TYPE_TOWNSHIP_UNION,
                               c.county.org_id(), "新桥镇总工会" + tag);
  c.union_a1 = MustCreateGrassroots(m, c.township_a.org_id(),
                                    "机械厂工会" + tag, code_base, 120);
  c.union_a2 = MustCreateGrassroots(m, c.township_a.org_id(),
                                    "纺织厂工会" + tag, code_base + 1, 40);
  c.union_b1 = MustCreateGrassroots(m, c.township_b.org_id(),
                                    "食品厂工会" + tag, code_base + 2, 300);
  c.without_union = MustCreateEmployer(
      m, c.township_b.org_id(), "新桥物流有限公司" + tag, code_base + 3, 25);
  c.employer_a1 = c.union_a1.employer().employer_id();
  c.employer_a2 = c.union_a2.employer().employer_id();
  c.employer_b1 = c.union_b1.employer().employer_id();
  server.SyncRoster();
  return c;
}

// National 5 %, provincial 10 %, city 10 %, county 15 % of the total, as
// shares of the upward 40 %.
inline fv1::SetAllocationTableRequest TableRequest(
    const std::string& province, const std::string& from,
    const std::vector<std::pair<std::string, int64_t>>& shares = {
        {"national", 1250},
        {"provincial", 2500},
        {"city", 2500},
        {"county", 3750}}) {
  fv1::SetAllocationTableRequest req;
  req.set_request_id(NewRequestId());
  req.mutable_table()->set_province_code(province);
  req.mutable_table()->set_effective_from(from);
  for (const auto& [level, bp] : shares) {
    fv1::AllocationShare* share = req.mutable_table()->add_shares();
    share->set_level(level);
    share->set_share_bp(bp);
  }
  return req;
}

inline void MustSetTable(
    FinanceServer& server, const std::string& province, const std::string& from,
    const std::vector<std::pair<std::string, int64_t>>& shares = {
        {"national", 1250},
        {"provincial", 2500},
        {"city", 2500},
        {"county", 3750}}) {
  MustRpc(server.finance(), &FStub::SetAllocationTable,
          TableRequest(province, from, shares), "SetAllocationTable");
}

inline fv1::DeclarePayrollRequest DeclareRequest(int64_t employer,
                                                 const std::string& month,
                                                 int64_t payroll_fen) {
  fv1::DeclarePayrollRequest req;
  req.set_request_id(NewRequestId());
  req.set_employer_id(employer);
  req.set_month(month);
  req.set_total_payroll_fen(payroll_fen);
  return req;
}

inline fv1::PayrollDeclaration MustDeclare(FinanceServer& server,
                                           int64_t employer,
                                           const std::string& month,
                                           int64_t payroll_fen) {
  return MustRpc(server.finance(), &FStub::DeclarePayroll,
                 DeclareRequest(employer, month, payroll_fen),
                 absl::StrCat("DeclarePayroll ", employer, " ", month))
      .declaration();
}

inline fv1::RecordFundsCollectionRequest CollectRequest(
    int64_t employer, const std::string& month, int64_t amount_fen,
    fv1::CollectionChannel channel = fv1::COLLECTION_CHANNEL_TAX_COLLECTED) {
  fv1::RecordFundsCollectionRequest req;
  req.set_request_id(NewRequestId());
  req.set_employer_id(employer);
  req.set_month(month);
  req.set_amount_fen(amount_fen);
  req.set_channel(channel);
  return req;
}

inline fv1::FundsCollection MustCollect(FinanceServer& server, int64_t employer,
                                        const std::string& month,
                                        int64_t amount_fen) {
  return MustRpc(server.finance(), &FStub::RecordFundsCollection,
                 CollectRequest(employer, month, amount_fen),
                 absl::StrCat("RecordFundsCollection ", employer, " ", month,
                              " ", amount_fen))
      .collection();
}

inline fv1::LedgerEntry MustGetEntry(FinanceServer& server, int64_t entry_id) {
  fv1::GetTransactionRequest req;
  req.set_entry_id(entry_id);
  return MustRpc(server.finance(), &FStub::GetTransaction, req,
                 absl::StrCat("GetTransaction ", entry_id))
      .entry();
}

// The amount of `account` in the entry's postings (0 when absent).
inline int64_t PostingOf(const fv1::LedgerEntry& entry,
                         const std::string& account) {
  int64_t sum = 0;
  for (const fv1::Posting& p : entry.postings()) {
    if (p.account() == account) sum += p.amount_fen();
  }
  return sum;
}

inline fv1::RecordExpenseRequest ExpenseRequest(
    int64_t org, int64_t amount_fen,
    fv1::SpendingCategory category = fv1::SPENDING_CATEGORY_HARDSHIP_AID,
    const std::string& spent_on = "2025-03-01", bool front_line = true) {
  fv1::RecordExpenseRequest req;
  req.set_request_id(NewRequestId());
  req.set_org_id(org);
  req.set_category(category);
  req.set_amount_fen(amount_fen);
  req.set_front_line_beneficiary(front_line);
  req.set_payee("困难职工张某");
  req.set_approval_reference("工审〔2025〕12号");
  req.set_spent_on(spent_on);
  req.set_description("春节送温暖慰问金");
  return req;
}

}  // namespace unionhub::testing

#endif  // UNIONHUB_TESTS_SERVICE_FINANCE_FUNDS_HELPERS_H_
