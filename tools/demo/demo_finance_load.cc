// --load's finance step: the demo county's 2025 money through the finance
// API, in the order a county's year happens: policies, monthly assessment,
// the employers' deduction files and cash payments, suspense work, payroll
// declarations and fund collections, spending, and the year's audit.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/core/money.h"
#include "grpcpp/client_context.h"
#include "services/finance/domain/dues.h"
#include "tools/demo/demo.h"
#include "tools/demo/demo_finance.h"
#include "tools/demo/demo_finance_plan.h"

namespace unionhub::demo {
namespace {

// Every commit waits for its log flush, so a single caller leaves the box
// idle. Calls of one month update the same rollup rows (the county's, the
// township's) and would queue behind each other's locks, so the callers
// take whole months: lanes never share a rollup row.
constexpr int kCallers = 4;

// Runs `fn` on each item, the items of one month in order on one thread,
// months in parallel.
template <typename Item>
absl::Status ByMonth(const std::vector<Item>& items,
                     const std::function<absl::Status(const Item&)>& fn) {
  std::map<std::string, std::vector<const Item*>> months;
  for (const Item& item : items) months[item.month].push_back(&item);
  std::vector<std::vector<const Item*>> lanes;
  for (auto& [month, list] : months) lanes.push_back(std::move(list));
  return ParallelFor(lanes.size(), kCallers, [&](size_t lane) {
    for (const Item* item : lanes[lane]) {
      if (absl::Status s = fn(*item); !s.ok()) return s;
    }
    return absl::OkStatus();
  });
}

std::string Yuan(int64_t fen) { return money::FormatYuan(fen); }

class FinanceLoader {
 public:
  FinanceLoader(MembershipStub& membership, FinanceStub& finance,
                AuditStub& audit, const CountyPlan& county,
                const FinancePlan& plan)
      : membership_(membership),
        finance_(finance),
        audit_(audit),
        county_(county),
        plan_(plan) {}

  absl::Status ResolveIds(int64_t county_id);
  absl::Status Run();

 private:
  absl::Status SetPolicies();
  absl::Status AssessDues();
  absl::Status ImportPayrollFiles();
  absl::Status ImportOne(const PayrollFile& file);
  absl::Status LookupMembers();
  absl::Status RecordCashPayments();
  absl::Status ResolveSuspense();
  absl::Status DeclareAndCollect();
  absl::Status EstablishUnion();
  absl::Status RecordSpending();

  template <typename Request, typename Response, typename Method>
  absl::Status Call(Method method, const Request& request, Response* response,
                    absl::string_view what) {
    const grpc::Status s = WithRetry([&](grpc::ClientContext* context) {
      return (finance_.*method)(context, request, response);
    });
    return ToStatus(s, what);
  }
  template <typename Request, typename Response, typename Method>
  absl::Status CallAudit(Method method, const Request& request,
                         Response* response, absl::string_view what) {
    const grpc::Status s = WithRetry([&](grpc::ClientContext* context) {
      return (audit_.*method)(context, request, response);
    });
    return ToStatus(s, what);
  }

  MembershipStub& membership_;
  FinanceStub& finance_;
  AuditStub& audit_;
  const CountyPlan& county_;
  const FinancePlan& plan_;
  int64_t county_id_ = 0;
  std::vector<int64_t> township_ids_;
  std::vector<int64_t> union_ids_;
  std::vector<int64_t> employer_ids_;             // per FinancePlan::employers
  absl::flat_hash_map<int, int64_t> member_ids_;  // plan index -> member_id
  // (file request id, row number) -> suspense id, from the import results.
  std::mutex suspense_mu_;
  std::map<std::pair<std::string, int>, int64_t> suspense_ids_;
};

absl::Status FinanceLoader::ResolveIds(int64_t county_id) {
  county_id_ = county_id;
  absl::flat_hash_map<std::string, int64_t> org_by_name;
  mv1::ListOrgsRequest request;
  request.set_parent_id(county_id);
  request.set_recursive(true);
  absl::StatusOr<std::vector<mv1::Org>> orgs =
      ListAllOrgs(membership_, request);
  if (!orgs.ok()) return orgs.status();
  for (const mv1::Org& org : *orgs) org_by_name[org.name()] = org.org_id();
  auto find = [&](const std::string& name) -> absl::StatusOr<int64_t> {
    auto it = org_by_name.find(name);
    if (it == org_by_name.end()) {
      return absl::NotFoundError(
          absl::StrCat("demo org '", name, "' not found; load the county"));
    }
    return it->second;
  };
  for (const PlannedOrg& t : county_.townships) {
    absl::StatusOr<int64_t> id = find(t.name);
    if (!id.ok()) return id.status();
    township_ids_.push_back(*id);
  }
  for (const PlannedUnion& u : county_.unions) {
    absl::StatusOr<int64_t> id = find(u.name);
    if (!id.ok()) return id.status();
    union_ids_.push_back(*id);
  }
  absl::flat_hash_map<std::string, int64_t> employer_by_code;
  mv1::ListEmployersRequest employers;
  employers.set_org_id(county_id);
  employers.set_page_size(1000);
  for (;;) {
    mv1::ListEmployersResponse response;
    const grpc::Status s = WithRetry([&](grpc::ClientContext* context) {
      return membership_.ListEmployers(context, employers, &response);
    });
    if (!s.ok()) return ToStatus(s, "ListEmployers");
    for (const mv1::Employer& e : response.employers()) {
      employer_by_code[e.credit_code()] = e.employer_id();
    }
    if (response.next_page_token().empty()) break;
    employers.set_page_token(response.next_page_token());
  }
  for (const FundsEmployer& e : plan_.employers) {
    auto it = employer_by_code.find(e.credit_code);
    if (it == employer_by_code.end()) {
      return absl::NotFoundError(
          absl::StrCat("demo employer ", e.name, " not found"));
    }
    employer_ids_.push_back(it->second);
  }
  return absl::OkStatus();
}

absl::Status FinanceLoader::SetPolicies() {
  fv1::SetDuesPolicyRequest dues;
  dues.set_request_id("demo:finance:dues-policy");
  fv1::DuesPolicy* policy = dues.mutable_policy();
  policy->set_scope_org_id(0);
  policy->set_effective_from("2020-01");
  const finance::domain::DuesPolicy national =
      finance::domain::NationalDefaultPolicy();
  policy->set_rate_bp(national.rate_bp);
  policy->set_ignore_below_fen(national.ignore_below_fen);
  policy->set_note("全国总工会会费标准：工资收入的0.5%，尾数不足十元不计");
  fv1::SetDuesPolicyResponse dues_response;
  if (absl::Status s = Call(&FinanceStub::SetDuesPolicy, dues, &dues_response,
                            "SetDuesPolicy");
      !s.ok()) {
    return s;
  }
  // The upward 40 %: national 5 % of the whole is 1250 of the 40 %.
  fv1::SetAllocationTableRequest table;
  table.set_request_id("demo:finance:allocation-320000");
  table.mutable_table()->set_province_code(kProvinceCode);
  table.mutable_table()->set_effective_from("2020-01");
  for (auto [level, bp] : {std::pair{"national", 1250},
                           {"provincial", 2500},
                           {"city", 2500},
                           {"county", 3750}}) {
    fv1::AllocationShare* share = table.mutable_table()->add_shares();
    share->set_level(level);
    share->set_share_bp(bp);
  }
  fv1::SetAllocationTableResponse table_response;
  if (absl::Status s = Call(&FinanceStub::SetAllocationTable, table,
                            &table_response, "SetAllocationTable");
      !s.ok()) {
    return s;
  }
  fv1::SetRefundPolicyRequest refund;
  refund.set_request_id("demo:finance:refund-small-micro-2025");
  fv1::RefundPolicy* r = refund.mutable_policy();
  r->set_from_month("2025-01");
  r->set_to_month("2025-12");
  r->set_small_micro_only(true);
  r->set_refund_bp(10000);
  r->set_description("小微企业工会经费全额返还（2025年度）");
  fv1::SetRefundPolicyResponse refund_response;
  if (absl::Status s = Call(&FinanceStub::SetRefundPolicy, refund,
                            &refund_response, "SetRefundPolicy");
      !s.ok()) {
    return s;
  }
  Progress(
      "finance: dues policy 0.5 %%, allocation table %s (national 12.5 %%, "
      "provincial 25 %%, city 25 %%, county 37.5 %% of the upward 40 %%), "
      "small and micro enterprises refunded in 2025\n",
      kProvinceCode);
  return absl::OkStatus();
}

absl::Status FinanceLoader::AssessDues() {
  const absl::Time start = absl::Now();
  int64_t charged = 0, repeated = 0, due = 0;
  for (const std::string& month : plan_.months) {
    fv1::AssessDuesRequest request;
    request.set_request_id(absl::StrCat("demo:assess:", month));
    request.set_org_id(county_id_);
    request.set_month(month);
    fv1::AssessDuesResponse response;
    const grpc::Status s = WithRetry(
        [&](grpc::ClientContext* context) {
          return finance_.AssessDues(context, request, &response);
        },
        absl::Minutes(5));
    if (!s.ok()) return ToStatus(s, absl::StrCat("AssessDues ", month));
    charged += response.members_charged();
    repeated += response.already_charged();
    due += response.total_due_fen();
  }
  Progress(
      "dues: 12 months assessed: %s charges (%s already there), ¥%s due, "
      "in %.1f s\n",
      Thousands(charged), Thousands(repeated), Yuan(due), Seconds(start));
  return absl::OkStatus();
}

absl::Status FinanceLoader::ImportOne(const PayrollFile& file) {
  const FundsEmployer& employer = plan_.employers[file.union_index];
  fv1::ImportPayrollDeductionsResponse response;
  const grpc::Status s = WithRetry(
      [&](grpc::ClientContext* context) {
        response.Clear();
        auto writer = finance_.ImportPayrollDeductions(context, &response);
        fv1::ImportPayrollDeductionsRequest message;
        fv1::PayrollHeader* header = message.mutable_header();
        header->set_request_id(file.request_id);
        header->set_employer_id(employer_ids_[file.union_index]);
        header->set_paid_on(file.paid_on);
        header->set_reference(
            absl::StrCat(employer.name, " ", file.month, " 工会会费代扣清单"));
        bool open = writer->Write(message);
        for (size_t i = 0; open && i < file.lines.size(); ++i) {
          message.Clear();
          *message.mutable_row() = file.lines[i].row;
          open = writer->Write(message);
        }
        if (open) writer->WritesDone();
        return writer->Finish();
      },
      absl::Minutes(5));
  if (!s.ok()) return ToStatus(s, absl::StrCat("import ", file.request_id));
  std::lock_guard<std::mutex> lock(suspense_mu_);
  for (const fv1::PayrollRowResult& r : response.results()) {
    if (r.outcome() == fv1::PAYROLL_ROW_OUTCOME_SUSPENSE) {
      suspense_ids_[{file.request_id, r.row_number()}] = r.suspense_id();
    }
  }
  return absl::OkStatus();
}

absl::Status FinanceLoader::ImportPayrollFiles() {
  const absl::Time start = absl::Now();
  std::atomic<int64_t> rows{0};
  std::atomic<int> months_done{0};
  std::map<std::string, int> files_left;
  for (const PayrollFile& file : plan_.payroll_files) ++files_left[file.month];
  std::mutex mu;
  absl::Status s = ByMonth<PayrollFile>(
      plan_.payroll_files, [&](const PayrollFile& file) -> absl::Status {
        if (absl::Status s = ImportOne(file); !s.ok()) return s;
        rows += static_cast<int64_t>(file.lines.size());
        std::lock_guard<std::mutex> lock(mu);
        if (--files_left[file.month] == 0) {
          Progress(
              "  %s: deduction files sent (%d of 12 months, %s rows so "
              "far, %.0f rows/s)\n",
              file.month, ++months_done, Thousands(rows.load()),
              rows.load() / Seconds(start));
        }
        return absl::OkStatus();
      });
  if (!s.ok()) return s;
  Progress(
      "dues: %d deduction files, %s rows (%d in suspense) in %.1f s; %d "
      "unions remit late, %d stopped in June, %d members left out of their "
      "file from some month\n",
      plan_.payroll_files.size(), Thousands(rows.load()), suspense_ids_.size(),
      Seconds(start), plan_.late_unions.size(), plan_.stopped_unions.size(),
      plan_.members_dropped);
  return absl::OkStatus();
}

absl::Status FinanceLoader::LookupMembers() {
  std::vector<int> wanted;
  for (const CashPayment& p : plan_.cash_payments) wanted.push_back(p.member);
  for (const PlannedResolution& r : plan_.resolutions) {
    if (r.member >= 0) wanted.push_back(r.member);
  }
  std::sort(wanted.begin(), wanted.end());
  wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());
  std::vector<int64_t> ids(wanted.size(), 0);
  absl::Status s = ParallelFor(wanted.size(), kCallers, [&](size_t i) {
    mv1::LookupMemberRequest request;
    request.set_national_id(county_.members[wanted[i]].member.national_id());
    mv1::LookupMemberResponse response;
    const grpc::Status s = WithRetry([&](grpc::ClientContext* context) {
      return membership_.LookupMember(context, request, &response);
    });
    if (!s.ok()) return ToStatus(s, "LookupMember");
    ids[i] = response.member().member_id();
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  for (size_t i = 0; i < wanted.size(); ++i) member_ids_[wanted[i]] = ids[i];
  return absl::OkStatus();
}

absl::Status FinanceLoader::RecordCashPayments() {
  const absl::Time start = absl::Now();
  std::atomic<int64_t> credited{0};
  absl::Status s =
      ParallelFor(plan_.cash_payments.size(), kCallers, [&](size_t i) {
        const CashPayment& p = plan_.cash_payments[i];
        fv1::RecordDuesPaymentRequest request;
        request.set_request_id(p.request_id);
        request.set_member_id(member_ids_.at(p.member));
        request.set_amount_fen(p.amount_fen);
        request.set_method(p.method);
        request.set_paid_on(p.paid_on);
        request.set_reference(p.reference);
        fv1::RecordDuesPaymentResponse response;
        if (absl::Status s = Call(&FinanceStub::RecordDuesPayment, request,
                                  &response, p.request_id);
            !s.ok()) {
          return s;
        }
        credited += response.payment().credited_fen();
        return absl::OkStatus();
      });
  if (!s.ok()) return s;
  Progress(
      "dues: %d members pay at the union office: %d payments, ¥%s kept as "
      "credit, in %.1f s\n",
      plan_.members_paying_cash, plan_.cash_payments.size(),
      Yuan(credited.load()), Seconds(start));
  return absl::OkStatus();
}

absl::Status FinanceLoader::ResolveSuspense() {
  int applied = 0, discarded = 0;
  for (const PlannedResolution& r : plan_.resolutions) {
    auto it = suspense_ids_.find({r.file_request_id, r.row_number});
    if (it == suspense_ids_.end()) {
      return absl::InternalError(
          absl::StrCat(r.file_request_id, " row ", r.row_number,
                       " was planned to land in suspense but was applied"));
    }
    fv1::ResolveSuspenseRequest request;
    request.set_request_id(r.request_id);
    request.set_suspense_id(it->second);
    if (r.member >= 0) {
      request.set_member_id(member_ids_.at(r.member));
      ++applied;
    } else {
      request.set_discard(true);
      ++discarded;
    }
    request.set_note(r.note);
    fv1::ResolveSuspenseResponse response;
    if (absl::Status s = Call(&FinanceStub::ResolveSuspense, request, &response,
                              r.request_id);
        !s.ok()) {
      return s;
    }
  }
  Progress(
      "dues: suspense: %d rows applied to the member meant, %d sent back "
      "to the employer, %d left open\n",
      applied, discarded,
      static_cast<int>(suspense_ids_.size()) - applied - discarded);
  return absl::OkStatus();
}

absl::Status FinanceLoader::DeclareAndCollect() {
  const absl::Time start = absl::Now();
  absl::Status s = ByMonth<PlannedDeclaration>(
      plan_.declarations, [&](const PlannedDeclaration& d) {
        fv1::DeclarePayrollRequest request;
        request.set_request_id(d.request_id);
        request.set_employer_id(employer_ids_[d.employer]);
        request.set_month(d.month);
        request.set_total_payroll_fen(d.total_payroll_fen);
        fv1::DeclarePayrollResponse response;
        return Call(&FinanceStub::DeclarePayroll, request, &response,
                    d.request_id);
      });
  if (!s.ok()) return s;
  std::atomic<int64_t> collected{0};
  s = ByMonth<PlannedCollection>(
      plan_.collections, [&](const PlannedCollection& c) {
        fv1::RecordFundsCollectionRequest request;
        request.set_request_id(c.request_id);
        request.set_employer_id(employer_ids_[c.employer]);
        request.set_month(c.month);
        request.set_amount_fen(c.amount_fen);
        request.set_channel(c.channel);
        request.set_received_on(c.received_on);
        fv1::RecordFundsCollectionResponse response;
        if (absl::Status s = Call(&FinanceStub::RecordFundsCollection, request,
                                  &response, c.request_id);
            !s.ok()) {
          return s;
        }
        collected += c.amount_fen;
        return absl::OkStatus();
      });
  if (!s.ok()) return s;
  Progress(
      "funds: %d employers, %s payroll declarations, %s collections "
      "(¥%s) in %.1f s\n",
      plan_.employers.size(),
      Thousands(static_cast<int64_t>(plan_.declarations.size())),
      Thousands(static_cast<int64_t>(plan_.collections.size())),
      Yuan(collected.load()), Seconds(start));
  return absl::OkStatus();
}

absl::Status FinanceLoader::EstablishUnion() {
  if (plan_.union_to_establish < 0) return absl::OkStatus();
  const PlannedUnion& u = county_.unions[plan_.union_to_establish];
  mv1::EstablishOrgRequest request;
  request.set_request_id(
      absl::StrCat("demo:establish:", plan_.union_to_establish + 1));
  request.set_org_id(union_ids_[plan_.union_to_establish]);
  request.set_established_on(plan_.established_on);
  mv1::EstablishOrgResponse response;
  const grpc::Status s = WithRetry([&](grpc::ClientContext* context) {
    return membership_.EstablishOrg(context, request, &response);
  });
  // A repeat after the org was established answers FAILED_PRECONDITION only
  // if the request id was forgotten; the id makes it a plain repeat.
  if (!s.ok()) return ToStatus(s, absl::StrCat("EstablishOrg ", u.name));
  Progress(
      "funds: %s established on %s; finance returns its preparation "
      "fund when its roster sees the event\n",
      u.name, plan_.established_on);
  return WaitForRoster(membership_, finance_, absl::Minutes(2));
}

absl::Status FinanceLoader::RecordSpending() {
  const absl::Time start = absl::Now();
  auto org_id = [&](int org) {
    return org < 0 ? county_id_ : township_ids_[org];
  };
  absl::Status s = ParallelFor(plan_.budgets.size(), kCallers, [&](size_t i) {
    const PlannedBudget& b = plan_.budgets[i];
    fv1::SetBudgetRequest request;
    request.set_request_id(b.request_id);
    request.set_org_id(org_id(b.org));
    request.set_year(kFinanceYear);
    request.set_category(b.category);
    request.set_amount_fen(b.amount_fen);
    fv1::SetBudgetResponse response;
    return Call(&FinanceStub::SetBudget, request, &response, b.request_id);
  });
  if (!s.ok()) return s;
  std::atomic<int64_t> spent{0};
  s = ParallelFor(plan_.expenses.size(), kCallers, [&](size_t i) {
    const PlannedExpense& x = plan_.expenses[i];
    fv1::RecordExpenseRequest request;
    request.set_request_id(x.request_id);
    request.set_org_id(org_id(x.org));
    request.set_category(x.category);
    request.set_amount_fen(x.amount_fen);
    request.set_front_line_beneficiary(x.front_line);
    request.set_payee(x.payee);
    request.set_approval_reference(x.approval_reference);
    request.set_spent_on(x.spent_on);
    request.set_description(x.description);
    fv1::RecordExpenseResponse response;
    if (absl::Status s =
            Call(&FinanceStub::RecordExpense, request, &response, x.request_id);
        !s.ok()) {
      return s;
    }
    spent += x.amount_fen;
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  Progress("spending: %d budget lines, %d expenses (¥%s) in %.1f s\n",
           plan_.budgets.size(), plan_.expenses.size(), Yuan(spent.load()),
           Seconds(start));
  return absl::OkStatus();
}

absl::Status FinanceLoader::Run() {
  const absl::Time start = absl::Now();
  for (auto step : {
           &FinanceLoader::SetPolicies,
           &FinanceLoader::AssessDues,
           &FinanceLoader::ImportPayrollFiles,
           &FinanceLoader::LookupMembers,
           &FinanceLoader::RecordCashPayments,
           &FinanceLoader::ResolveSuspense,
           &FinanceLoader::DeclareAndCollect,
           &FinanceLoader::EstablishUnion,
           &FinanceLoader::RecordSpending,
       }) {
    if (absl::Status s = (this->*step)(); !s.ok()) return s;
  }
  if (absl::Status s = LoadAuditEngagement(audit_, county_id_, plan_);
      !s.ok()) {
    return s;
  }
  Progress("finance: loaded in %.1f s\n", Seconds(start));
  return absl::OkStatus();
}

}  // namespace

absl::Status LoadFinance(MembershipStub& membership, FinanceStub& finance,
                         AuditStub& audit, const CountyPlan& county,
                         bool resend) {
  absl::StatusOr<mv1::Org> county_org = FindCounty(membership);
  if (!county_org.ok()) return county_org.status();
  if (!resend) {
    absl::StatusOr<bool> loaded =
        AuditEngagementLoaded(audit, county_org->org_id());
    if (!loaded.ok()) return loaded.status();
    if (*loaded) {
      Progress(
          "finance demo data already loaded (the year's audit is "
          "reported); nothing sent\n");
      return absl::OkStatus();
    }
  }
  if (absl::Status s = WaitForRoster(membership, finance, absl::Minutes(5));
      !s.ok()) {
    return s;
  }
  const absl::Time start = absl::Now();
  const FinancePlan plan = MakeFinancePlan(county);
  Progress(
      "finance plan: %d deduction files, %d cash payments, %d payroll "
      "declarations, %d expenses (made in %.1f s)\n",
      plan.payroll_files.size(), plan.cash_payments.size(),
      plan.declarations.size(), plan.expenses.size(), Seconds(start));
  FinanceLoader loader(membership, finance, audit, county, plan);
  if (absl::Status s = loader.ResolveIds(county_org->org_id()); !s.ok()) {
    return s;
  }
  return loader.Run();
}

}  // namespace unionhub::demo
