// Dues policies, cash payments, a member's statement and standing.
// AssessDues is in dues_assess_handler.cc, the suspense list in
// dues_suspense_handlers.cc, the payroll import in
// payroll_import_handler.cc.
#include "common/core/dates.h"
#include "common/core/field_checks.h"
#include "common/core/money.h"
#include "common/core/text.h"
#include "common/rpc/idempotent.h"
#include "common/rpc/page_token.h"
#include "common/rpc/violations.h"
#include "services/finance/domain/arrears.h"
#include "services/finance/domain/dues.h"
#include "services/finance/dues_payments.h"
#include "services/finance/finance_service.h"
#include "services/finance/store/dues_store.h"
#include "services/finance/store/paths.h"

namespace unionhub::finance {
namespace {

using db::Connection;

constexpr text::TextRule kNoteRule{.min_chars = 0, .max_chars = 256};
constexpr text::TextRule kReferenceRule{.min_chars = 0, .max_chars = 128};

v1::DuesCharge ChargeProto(const store::Charge& c) {
  v1::DuesCharge out;
  out.set_month(c.month);
  out.set_org_id(c.org_id);
  out.set_wage_base_fen(c.wage_base);
  out.set_rate_bp(c.rate_bp);
  out.set_due_fen(c.due);
  out.set_paid_fen(c.paid);
  return out;
}

}  // namespace

// ---------------------------------------------------------------- policies

absl::Status FinanceServiceImpl::DoSetDuesPolicy(
    const rpc::Caller&, const v1::SetDuesPolicyRequest& req,
    v1::SetDuesPolicyResponse* resp) {
  Violations violations;
  rpc::CheckRequestId(req.request_id(), violations);
  const v1::DuesPolicy& policy = req.policy();
  if (!req.has_policy()) violations.Add("policy", "is required");
  if (policy.policy_id() != 0) {
    violations.Add("policy.policy_id",
                   "is assigned by the service; SetDuesPolicy always adds a "
                   "new policy");
  }
  fields::CheckOptionalId(policy.scope_org_id(), "policy.scope_org_id",
                          violations);
  fields::CheckMonth(policy.effective_from(), "policy.effective_from",
                     violations);
  domain::DuesPolicy rule;
  rule.scope_path = "/";  // the real path is only known inside the call
  rule.rate_bp = policy.rate_bp();
  rule.ignore_below_fen = policy.ignore_below_fen();
  violations.Merge("policy", domain::ValidatePolicy(rule));
  text::Check(policy.note(), "policy.note", kNoteRule, violations);
  if (!violations.empty()) return violations.ToStatus();

  return rpc::RunIdempotent<v1::SetDuesPolicyResponse>(
      pool_, "SetDuesPolicy", req.request_id(), req, resp,
      [&](Connection& conn, v1::SetDuesPolicyResponse* out) -> absl::Status {
        std::string path = "/";
        if (policy.scope_org_id() != 0) {
          absl::StatusOr<std::string> org_path =
              store::OrgPath(conn, policy.scope_org_id());
          if (!org_path.ok()) return org_path.status();
          path = *org_path;
        }
        const int64_t id = store::InsertDuesPolicy(conn, policy, path);
        absl::StatusOr<v1::DuesPolicy> stored = store::GetDuesPolicy(conn, id);
        if (!stored.ok()) return stored.status();
        *out->mutable_policy() = *std::move(stored);
        return absl::OkStatus();
      });
}

absl::Status FinanceServiceImpl::DoListDuesPolicies(
    const rpc::Caller&, const v1::ListDuesPoliciesRequest& req,
    v1::ListDuesPoliciesResponse* resp) {
  Violations violations;
  fields::CheckOptionalId(req.scope_org_id(), "scope_org_id", violations);
  const rpc::Page page = rpc::ReadPage(req, violations);
  if (!violations.empty()) return violations.ToStatus();
  return pool_.Run([&](Connection& conn) -> absl::Status {
    std::string path;
    if (req.scope_org_id() != 0) {
      absl::StatusOr<std::string> org_path =
          store::OrgPath(conn, req.scope_org_id());
      if (!org_path.ok()) return org_path.status();
      path = *org_path;
    }
    std::vector<v1::DuesPolicy> policies =
        store::ListDuesPolicies(conn, path, page.after, page.fetch());
    const bool more = page.Trim(policies);
    for (v1::DuesPolicy& p : policies) *resp->add_policies() = std::move(p);
    if (more) {
      resp->set_next_page_token(page.NextToken(
          resp->policies(resp->policies_size() - 1).policy_id()));
    }
    return absl::OkStatus();
  });
}

// ---------------------------------------------------------------- payments

absl::Status FinanceServiceImpl::DoRecordDuesPayment(
    const rpc::Caller&, const v1::RecordDuesPaymentRequest& req,
    v1::RecordDuesPaymentResponse* resp) {
  Violations violations;
  rpc::CheckRequestId(req.request_id(), violations);
  fields::CheckMemberId(req.member_id(), violations);
  money::CheckAmount(req.amount_fen(), 1, kMaxDuesPaymentFen, "amount_fen",
                     violations);
  const std::optional<absl::CivilMonth> month = fields::CheckMonth(
      req.month(), "month", violations, fields::Presence::kOptional);
  if (req.method() == v1::PAYMENT_METHOD_UNSPECIFIED ||
      !v1::PaymentMethod_IsValid(req.method())) {
    violations.Add("method",
                   "must be one of CASH, BANK_TRANSFER, "
                   "PAYROLL_DEDUCTION, MOBILE");
  }
  const absl::CivilDay paid_on =
      PaidOnOrToday(req.paid_on(), "paid_on", clock_.Today(), violations);
  text::Check(req.reference(), "reference", kReferenceRule, violations);
  if (!violations.empty()) return violations.ToStatus();

  return rpc::RunIdempotent<v1::RecordDuesPaymentResponse>(
      pool_, "RecordDuesPayment", req.request_id(), req, resp,
      [&](Connection& conn,
          v1::RecordDuesPaymentResponse* out) -> absl::Status {
        return RecordDuesPaymentInTransaction(conn, req, month, paid_on, out);
      });
}

// ------------------------------------------------------ statement, standing

absl::Status FinanceServiceImpl::DoGetMemberDuesStatement(
    const rpc::Caller&, const v1::GetMemberDuesStatementRequest& req,
    v1::GetMemberDuesStatementResponse* resp) {
  Violations violations;
  fields::CheckMemberId(req.member_id(), violations);
  const std::optional<absl::CivilMonth> from = fields::CheckMonth(
      req.from_month(), "from_month", violations, fields::Presence::kOptional);
  const std::optional<absl::CivilMonth> to = fields::CheckMonth(
      req.to_month(), "to_month", violations, fields::Presence::kOptional);
  if (from.has_value() && to.has_value() && *from > *to) {
    violations.Add("to_month", "must not be before from_month",
                   reasons::kRangeReversed);
  }
  if (!violations.empty()) return violations.ToStatus();
  return pool_.Run([&](Connection& conn) -> absl::Status {
    absl::StatusOr<store::DuesMember> member =
        store::GetDuesMember(conn, req.member_id(), /*for_update=*/false);
    if (!member.ok()) return member.status();
    resp->set_member_id(member->member_id);
    resp->set_credit_fen(member->credit);
    const std::string from_month = from ? dates::FormatMonth(*from) : "";
    const std::string to_month = to ? dates::FormatMonth(*to) : "";
    for (const store::Charge& c :
         store::MemberCharges(conn, member->member_id, from_month, to_month)) {
      *resp->add_charges() = ChargeProto(c);
      resp->set_total_due_fen(resp->total_due_fen() + c.due);
      resp->set_total_paid_fen(resp->total_paid_fen() + c.paid);
      if (!c.settled()) resp->add_open_months(c.month);
    }
    resp->set_balance_fen(resp->total_due_fen() - resp->total_paid_fen());
    // Payments received in the period (their allocations may reach back to
    // older months): a statement lists the money that came in.
    const std::string from_day =
        from ? dates::FormatDate(absl::CivilDay(*from)) : "";
    const std::string to_day =
        to ? dates::FormatDate(dates::LastDayOfMonth(*to)) : "";
    for (v1::DuesPayment& p :
         store::MemberPayments(conn, member->member_id, from_day, to_day)) {
      *resp->add_payments() = std::move(p);
    }
    return absl::OkStatus();
  });
}

absl::Status FinanceServiceImpl::DoGetDuesStanding(
    const rpc::Caller&, const v1::GetDuesStandingRequest& req,
    v1::GetDuesStandingResponse* resp) {
  Violations violations;
  fields::CheckMemberId(req.member_id(), violations);
  if (!violations.empty()) return violations.ToStatus();
  const absl::CivilMonth current(clock_.Today());
  return pool_.Run([&](Connection& conn) -> absl::Status {
    absl::StatusOr<store::DuesMember> member =
        store::GetDuesMember(conn, req.member_id(), /*for_update=*/false);
    if (!member.ok()) return member.status();
    std::vector<domain::MonthStanding> months;
    std::string oldest_open;
    for (const store::Charge& c :
         store::MemberCharges(conn, member->member_id, "", "")) {
      absl::StatusOr<absl::CivilMonth> month = dates::ParseMonth(c.month);
      if (!month.ok()) continue;
      months.push_back({*month, c.due, c.paid});
      if (!c.settled() && oldest_open.empty()) oldest_open = c.month;
    }
    const domain::Standing standing = domain::Evaluate(months, current);
    resp->set_member_id(member->member_id);
    resp->set_as_of_month(dates::FormatMonth(current));
    resp->set_months_in_arrears(standing.months_in_arrears);
    resp->set_longest_consecutive_unpaid(standing.longest_consecutive_unpaid);
    resp->set_lapse_candidate(standing.lapse_candidate);
    resp->set_outstanding_fen(standing.outstanding);
    resp->set_credit_fen(member->credit);
    resp->set_oldest_open_month(oldest_open);
    return absl::OkStatus();
  });
}

}  // namespace unionhub::finance
