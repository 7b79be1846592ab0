// The demo county's money for 2025, as data: dues payments by payroll file
// and in cash, the employers' payroll declarations and fund collections,
// budgets and expenses, made deterministically from the county plan before
// any RPC. Request ids are fixed, so loading twice writes nothing new.
//
// The arrears are planned to look like a real county's: most members pay by
// payroll deduction every month, some unions remit late or stop, some
// members drop out of their employer's file, a few pay in cash, and a few
// file rows carry a mistyped ID and land in suspense.
#ifndef UNIONHUB_TOOLS_DEMO_DEMO_FINANCE_PLAN_H_
#define UNIONHUB_TOOLS_DEMO_DEMO_FINANCE_PLAN_H_

#include <cstdint>
#include <string>
#include <vector>

#include "tools/demo/demo_plan.h"
#include "unionhub/finance/v1/finance.pb.h"

namespace unionhub::demo {

namespace fv1 = ::unionhub::finance::v1;

inline constexpr int kFinanceYear = kAnchorYear;
inline constexpr char kProvinceCode[] = "320000";

struct PayrollLine {
  int member = -1;  // index into CountyPlan::members; -1: not a member
  fv1::PayrollRow row;
};

// One employer's deduction file for one month (ImportPayrollDeductions).
struct PayrollFile {
  std::string request_id;
  int union_index = 0;  // the file's employer is this union's employer
  std::string month;
  std::string paid_on;
  std::vector<PayrollLine> lines;
};

struct CashPayment {
  std::string request_id;
  int member = 0;
  int64_t amount_fen = 0;
  fv1::PaymentMethod method = fv1::PAYMENT_METHOD_CASH;
  std::string paid_on;
  std::string reference;
};

// What the union's clerk does with a suspense row: apply it to the member
// it was meant for, discard it, or leave it open (neither planned).
struct PlannedResolution {
  std::string request_id;
  std::string file_request_id;
  int row_number = 0;  // 1-based within the file
  int member = -1;     // apply to this member; -1: discard
  std::string note;
};

// An employer: a union's (union_index >= 0) or one without a union.
struct FundsEmployer {
  int union_index = -1;
  int employer_index = -1;  // into CountyPlan::employers
  std::string credit_code;
  std::string name;
};

struct PlannedDeclaration {
  std::string request_id;
  int employer = 0;  // into FinancePlan::employers
  std::string month;
  int64_t total_payroll_fen = 0;
};

struct PlannedCollection {
  std::string request_id;
  int employer = 0;
  std::string month;
  int64_t amount_fen = 0;
  fv1::CollectionChannel channel = fv1::COLLECTION_CHANNEL_TAX_COLLECTED;
  std::string received_on;
};

// Spending of the county federation (org -1) or a township (its index).
struct PlannedBudget {
  std::string request_id;
  int org = -1;
  fv1::SpendingCategory category = fv1::SPENDING_CATEGORY_UNSPECIFIED;
  int64_t amount_fen = 0;
};

struct PlannedExpense {
  std::string request_id;
  int org = -1;
  fv1::SpendingCategory category = fv1::SPENDING_CATEGORY_UNSPECIFIED;
  int64_t amount_fen = 0;
  bool front_line = false;
  std::string payee;
  std::string approval_reference;
  std::string spent_on;
  std::string description;
};

struct FinancePlan {
  std::vector<std::string> months;  // 2025-01 ... 2025-12
  std::vector<PayrollFile> payroll_files;
  std::vector<CashPayment> cash_payments;
  std::vector<PlannedResolution> resolutions;
  std::vector<FundsEmployer> employers;
  std::vector<PlannedDeclaration> declarations;
  std::vector<PlannedCollection> collections;
  std::vector<PlannedBudget> budgets;
  std::vector<PlannedExpense> expenses;
  // A 筹备组 that is established after the year's collections, so finance
  // returns its preparation fund (index into CountyPlan::unions).
  int union_to_establish = -1;
  std::string established_on;
  // What the plan expects, for the load's report.
  std::vector<int> late_unions;     // no file for the last three months
  std::vector<int> stopped_unions;  // no file from June
  int members_dropped = 0;          // left out of the file from some month
  int members_paying_cash = 0;
  int64_t hospitality_fen = 0;  // the flagged category, for the audit finding
};

FinancePlan MakeFinancePlan(const CountyPlan& county);

}  // namespace unionhub::demo

#endif  // UNIONHUB_TOOLS_DEMO_DEMO_FINANCE_PLAN_H_
