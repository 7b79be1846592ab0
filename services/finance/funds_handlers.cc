// Union funds (工会经费) and the preparation fund (筹备金): payroll
// declarations, collections, allocation tables and refund policies.
//
// Decisions:
// - One declaration per employer and month; a second one with another
//   request_id is ALREADY_EXISTS (a correction is not supported yet: the
//   ledger entry can be reversed, the declaration row stays).
// - A collection may not exceed what is still outstanding on the
//   declaration (appropriation - collected so far): FAILED_PRECONDITION.
//   An overpayment would leave money with no appropriation to trace it to.
// - The fund is fixed by the declaration. A preparation-fund collection
//   that arrives after the employer's union was established is held and
//   released to the union in the same transaction.
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/core/dates.h"
#include "common/core/field_checks.h"
#include "common/core/money.h"
#include "common/core/text.h"
#include "common/db/timestamps.h"
#include "common/rpc/gate.h"
#include "common/rpc/idempotent.h"
#include "common/rpc/violations.h"
#include "services/finance/domain/accounts.h"
#include "services/finance/finance_service.h"
#include "services/finance/funds_release.h"
#include "services/finance/store/funds_store.h"
#include "services/finance/store/ledger_store.h"
#include "services/finance/store/paths.h"

namespace unionhub::finance {
namespace {

using db::Connection;

// "YYYY-MM", not after the current month.
std::string CheckPastMonth(const std::string& text, absl::string_view field,
                           absl::CivilDay today, Violations& violations) {
  std::optional<absl::CivilMonth> month =
      fields::CheckPastMonth(text, field, absl::CivilMonth(today), violations);
  return month.has_value() ? dates::FormatMonth(*month) : "";
}

// "YYYY-MM-DD", not in the future; today when empty.
std::string DateOrToday(const std::string& text, absl::string_view field,
                        absl::CivilDay today, Violations& violations) {
  return dates::FormatDate(
      fields::CheckPastDateOrToday(text, field, today, violations));
}

bool IsProvinceCode(const std::string& code) {
  if (code.size() != 6) return false;
  for (char c : code) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// Levels become ledger account names and JSON keys: keep them plain.
bool IsLevelName(const std::string& level) {
  if (level.empty() || level.size() > 32) return false;
  if (!absl::ascii_islower(static_cast<unsigned char>(level[0]))) return false;
  for (char c : level) {
    if (!absl::ascii_islower(static_cast<unsigned char>(c)) &&
        !absl::ascii_isdigit(static_cast<unsigned char>(c)) && c != '_') {
      return false;
    }
  }
  return true;
}

constexpr text::TextRule kDescriptionRule{
    .min_chars = 0, .max_chars = 256, .allow_newlines = true};

v1::FundKind FundOf(int stored) { return static_cast<v1::FundKind>(stored); }

void ToProto(const store::Declaration& d, v1::PayrollDeclaration* out) {
  out->set_declaration_id(d.declaration_id);
  out->set_employer_id(d.employer_id);
  out->set_month(d.month);
  out->set_total_payroll_fen(d.total_payroll_fen);
  out->set_appropriation_fen(d.appropriation_fen);
  out->set_fund(FundOf(d.fund));
  out->set_org_id(d.org_id);
  out->set_collected_fen(d.collected_fen);
  out->set_entry_id(d.entry_id);
  db::SetFromDbTimestamp(d.created_at, out->mutable_create_time());
}

void ToProto(const store::Collection& c, v1::FundsCollection* out) {
  out->set_collection_id(c.collection_id);
  out->set_employer_id(c.employer_id);
  out->set_month(c.month);
  out->set_amount_fen(c.amount_fen);
  out->set_channel(static_cast<v1::CollectionChannel>(c.channel));
  out->set_fund(FundOf(c.fund));
  out->set_received_on(c.received_on);
  out->set_province_code(c.province_code);
  out->set_returned_fen(c.returned_fen);
  out->set_refund_bonus_fen(c.refund_bonus_fen);
  for (const auto& [level, amount] : c.upward) {
    v1::UpwardShare* share = out->add_upward();
    share->set_level(level);
    share->set_amount_fen(amount);
  }
  out->set_upward_fen(c.upward_fen);
  out->set_preparation_held_fen(c.preparation_held_fen);
  out->set_entry_id(c.entry_id);
  db::SetFromDbTimestamp(c.created_at, out->mutable_create_time());
}

void ToProto(const domain::AllocationTable& t, const std::string& created_at,
             v1::AllocationTable* out) {
  out->set_province_code(t.province_code);
  out->set_effective_from(dates::FormatMonth(t.effective_from));
  for (const auto& [level, bp] : t.shares) {
    v1::AllocationShare* share = out->add_shares();
    share->set_level(level);
    share->set_share_bp(bp);
  }
  db::SetFromDbTimestamp(created_at, out->mutable_create_time());
}

void ToProto(const store::StoredRefundPolicy& p, v1::RefundPolicy* out) {
  out->set_policy_id(p.policy_id);
  out->set_from_month(dates::FormatMonth(p.policy.from));
  out->set_to_month(dates::FormatMonth(p.policy.to));
  out->set_small_micro_only(p.policy.small_micro_only);
  out->set_refund_bp(p.policy.refund_bp);
  out->set_description(p.description);
  db::SetFromDbTimestamp(p.created_at, out->mutable_create_time());
}

}  // namespace

absl::Status FinanceServiceImpl::DoDeclarePayroll(
    const rpc::Caller& caller, const v1::DeclarePayrollRequest& req,
    v1::DeclarePayrollResponse* resp) {
  Violations violations;
  rpc::CheckRequestId(req.request_id(), violations);
  fields::CheckId(req.employer_id(), "employer_id", violations);
  const std::string month =
      CheckPastMonth(req.month(), "month", clock_.Today(), violations);
  money::CheckAmount(req.total_payroll_fen(), 1, money::kMaxAmountFen,
                     "total_payroll_fen", violations);
  if (!violations.empty()) return violations.ToStatus();

  return rpc::RunIdempotent<v1::DeclarePayrollResponse>(
      pool_, "DeclarePayroll", req.request_id(), req, resp,
      [&](Connection& conn, v1::DeclarePayrollResponse* out) -> absl::Status {
        absl::StatusOr<store::RosterEmployer> employer =
            store::GetRosterEmployer(conn, req.employer_id());
        if (!employer.ok()) return employer.status();
        const bool has_union =
            employer->union_established && employer->union_org_id != 0;
        const int64_t org_id =
            has_union ? employer->union_org_id : employer->area_org_id;
        if (org_id == 0) {
          return absl::FailedPreconditionError(absl::StrCat(
              "employer ", employer->employer_id,
              " has neither an established union nor an area org to hold "
              "its preparation fund"));
        }
        if (absl::Status scope = gate_.CheckOrg(caller, org_id); !scope.ok()) {
          return scope;
        }
        absl::StatusOr<store::RosterOrg> org =
            store::GetRosterOrg(conn, org_id);
        if (!org.ok()) return org.status();
        if (std::optional<store::Declaration> existing = store::FindDeclaration(
                conn, req.employer_id(), month, /*for_update=*/true)) {
          return absl::AlreadyExistsError(
              absl::StrCat("employer ", req.employer_id(),
                           " already declared its payroll "
                           "for ",
                           month, " (declaration ", existing->declaration_id,
                           "); one declaration per employer and month"));
        }

        store::Declaration d;
        d.employer_id = req.employer_id();
        d.month = month;
        d.total_payroll_fen = req.total_payroll_fen();
        d.appropriation_fen = domain::Appropriation(req.total_payroll_fen());
        const bool union_funds =
            domain::KindFor(has_union) == domain::FundKind::kUnionFunds;
        d.fund =
            union_funds ? store::kUnionFundsKind : store::kPreparationFundKind;
        d.org_id = org_id;
        d.org_path = org->path;

        store::FundsDelta delta;
        delta.declared_payroll_fen = d.total_payroll_fen;
        delta.appropriation_fen = d.appropriation_fen;
        store::AddToEmployerMonth(conn, d.employer_id, month, org_id, org->path,
                                  delta);
        store::AddToFundsRollup(conn, store::PathIds(org->path), month, delta);

        // A payroll under 25 fen owes nothing: no entry, since a posting of
        // 0 is not allowed.
        if (d.appropriation_fen > 0) {
          domain::Entry entry;
          entry.kind = store::kFundsDeclared;
          entry.memo = absl::StrCat("payroll of employer ", d.employer_id,
                                    " for ", month, ": ", d.total_payroll_fen,
                                    " fen, 2 % appropriation");
          entry.postings = {
              {domain::AccountName(domain::accounts::kFundsReceivable,
                                   d.employer_id),
               d.appropriation_fen},
              {domain::AccountName(union_funds
                                       ? domain::accounts::kFundsRevenue
                                       : domain::accounts::kPreparationFund,
                                   org_id),
               -d.appropriation_fen}};
          absl::StatusOr<domain::Entry> posted =
              store::PostEntry(conn, std::move(entry), req.request_id());
          if (!posted.ok()) return posted.status();
          d.entry_id = posted->entry_id;
        }
        store::InsertDeclaration(conn, d);
        ToProto(d, out->mutable_declaration());
        return absl::OkStatus();
      });
}

absl::Status FinanceServiceImpl::DoRecordFundsCollection(
    const rpc::Caller& caller, const v1::RecordFundsCollectionRequest& req,
    v1::RecordFundsCollectionResponse* resp) {
  Violations violations;
  rpc::CheckRequestId(req.request_id(), violations);
  fields::CheckId(req.employer_id(), "employer_id", violations);
  const std::string month =
      CheckPastMonth(req.month(), "month", clock_.Today(), violations);
  money::CheckAmount(req.amount_fen(), 1, money::kMaxAmountFen, "amount_fen",
                     violations);
  if (req.channel() != v1::COLLECTION_CHANNEL_EMPLOYER_REMITTED &&
      req.channel() != v1::COLLECTION_CHANNEL_TAX_COLLECTED) {
    violations.Add("channel", "required: EMPLOYER_REMITTED or TAX_COLLECTED");
  }
  const std::string received_on =
      DateOrToday(req.received_on(), "received_on", clock_.Today(), violations);
  if (!violations.empty()) return violations.ToStatus();

  return rpc::RunIdempotent<v1::RecordFundsCollectionResponse>(
      pool_, "RecordFundsCollection", req.request_id(), req, resp,
      [&](Connection& conn,
          v1::RecordFundsCollectionResponse* out) -> absl::Status {
        absl::StatusOr<store::RosterEmployer> employer =
            store::GetRosterEmployer(conn, req.employer_id());
        if (!employer.ok()) return employer.status();
        std::optional<store::Declaration> d = store::FindDeclaration(
            conn, req.employer_id(), month, /*for_update=*/true);
        if (!d.has_value()) {
          return absl::FailedPreconditionError(
              absl::StrCat("employer ", req.employer_id(),
                           " has no payroll declaration "
                           "for ",
                           month, "; DeclarePayroll first"));
        }
        if (absl::Status scope = gate_.CheckOrg(caller, d->org_id);
            !scope.ok()) {
          return scope;
        }
        const int64_t outstanding = d->appropriation_fen - d->collected_fen;
        if (req.amount_fen() > outstanding) {
          return absl::FailedPreconditionError(absl::StrCat(
              "amount_fen ", req.amount_fen(), " exceeds the ", outstanding,
              " fen still outstanding on declaration ", d->declaration_id,
              " (appropriation ", d->appropriation_fen, ", collected ",
              d->collected_fen, ")"));
        }
        absl::StatusOr<store::RosterOrg> org =
            store::GetRosterOrg(conn, d->org_id);
        if (!org.ok()) return org.status();

        store::Collection c;
        c.declaration_id = d->declaration_id;
        c.employer_id = d->employer_id;
        c.month = month;
        c.amount_fen = req.amount_fen();
        c.channel = req.channel();
        c.fund = d->fund;
        c.received_on = received_on;
        c.province_code = org->province_code;
        store::FundsDelta delta;
        delta.collected_fen = c.amount_fen;
        domain::Entry entry;
        entry.kind = store::kFundsCollected;
        entry.memo = absl::StrCat("funds of employer ", c.employer_id, " for ",
                                  month, " received on ", received_on);
        if (c.fund == store::kUnionFundsKind) {
          absl::StatusOr<domain::CollectionSplit> split = SplitUnionFunds(
              conn, org->province_code, month, c.amount_fen, *employer);
          if (!split.ok()) return split.status();
          c.returned_fen = split->grassroots_return;
          c.refund_bonus_fen = split->refund_bonus;
          entry.postings.push_back(
              {domain::AccountName(domain::accounts::kCash, d->org_id),
               c.returned_fen});
          for (const auto& [level, amount] : split->upward) {
            c.upward.emplace_back(level, amount);
            c.upward_fen += amount;
            if (amount != 0) {
              entry.postings.push_back(
                  {domain::UpwardAccount(org->province_code, level), amount});
            }
          }
          delta.returned_fen = c.returned_fen;
          delta.upward_fen = c.upward_fen;
        } else {
          c.preparation_held_fen = c.amount_fen;
          delta.preparation_held_fen = c.amount_fen;
          entry.postings.push_back(
              {domain::AccountName(domain::accounts::kPreparationFundHeld,
                                   d->org_id),
               c.amount_fen});
        }
        entry.postings.push_back(
            {domain::AccountName(domain::accounts::kFundsReceivable,
                                 c.employer_id),
             -c.amount_fen});

        std::vector<std::pair<std::string, int64_t>> shares;
        for (const auto& share : c.upward) {
          if (share.second != 0) shares.push_back(share);
        }
        const std::vector<int64_t> orgs = store::PathIds(d->org_path);
        store::AddCollected(conn, d->declaration_id, c.amount_fen);
        store::AddToEmployerMonth(conn, c.employer_id, month, d->org_id,
                                  d->org_path, delta);
        store::AddToFundsRollup(conn, orgs, month, delta);
        store::AddToUpwardRollup(conn, orgs, month, shares);
        absl::StatusOr<domain::Entry> posted =
            store::PostEntry(conn, std::move(entry), req.request_id());
        if (!posted.ok()) return posted.status();
        c.entry_id = posted->entry_id;
        store::InsertCollection(conn, c);

        if (c.fund == store::kPreparationFundKind &&
            employer->union_established && employer->union_org_id != 0) {
          absl::StatusOr<int64_t> released = ReleaseHeldPreparation(
              conn, c.employer_id, employer->union_org_id, req.request_id());
          if (!released.ok()) return released.status();
        }
        ToProto(c, out->mutable_collection());
        return absl::OkStatus();
      });
}

absl::Status FinanceServiceImpl::DoSetAllocationTable(
    const rpc::Caller&, const v1::SetAllocationTableRequest& req,
    v1::SetAllocationTableResponse* resp) {
  Violations violations;
  rpc::CheckRequestId(req.request_id(), violations);
  const v1::AllocationTable& in = req.table();
  domain::AllocationTable table;
  table.province_code = in.province_code();
  if (!in.province_code().empty() && !IsProvinceCode(in.province_code())) {
    violations.Add("table.province_code", "must be 6 digits, e.g. 320000");
  }
  if (std::optional<absl::CivilMonth> from = fields::CheckMonth(
          in.effective_from(), "table.effective_from", violations)) {
    table.effective_from = *from;
  }
  for (int i = 0; i < in.shares_size(); ++i) {
    const v1::AllocationShare& share = in.shares(i);
    if (!share.level().empty() && !IsLevelName(share.level())) {
      violations.Add(absl::StrCat("table.shares[", i, "].level"),
                     "1..32 of a-z, 0-9 and _, starting with a letter");
    }
    table.shares.emplace_back(share.level(), share.share_bp());
  }
  // The domain names a share's basis points "bp"; the API "share_bp".
  const Violations table_violations = domain::ValidateAllocationTable(table);
  for (const FieldViolation& v : table_violations.list()) {
    std::string field = v.field;
    if (field.size() > 3 && field.compare(field.size() - 3, 3, ".bp") == 0) {
      field.replace(field.size() - 2, 2, "share_bp");
    }
    violations.Add(absl::StrCat("table.", field), v.description);
  }
  if (!violations.empty()) return violations.ToStatus();

  return rpc::RunIdempotent<v1::SetAllocationTableResponse>(
      pool_, "SetAllocationTable", req.request_id(), req, resp,
      [&](Connection& conn,
          v1::SetAllocationTableResponse* out) -> absl::Status {
        const std::string created_at =
            store::InsertAllocationTable(conn, table);
        // Releases skipped for want of a table can go ahead now.
        for (const auto& [employer_id, union_org_id] :
             store::EstablishedEmployersWithHeldFunds(conn)) {
          absl::StatusOr<int64_t> released = ReleaseHeldPreparation(
              conn, employer_id, union_org_id, req.request_id());
          if (!released.ok()) return released.status();
        }
        ToProto(table, created_at, out->mutable_table());
        return absl::OkStatus();
      });
}

absl::Status FinanceServiceImpl::DoListAllocationTables(
    const rpc::Caller&, const v1::ListAllocationTablesRequest& req,
    v1::ListAllocationTablesResponse* resp) {
  if (!req.province_code().empty() && !IsProvinceCode(req.province_code())) {
    Violations violations;
    violations.Add("province_code", "must be 6 digits, e.g. 320000");
    return violations.ToStatus();
  }
  return pool_.Run([&](Connection& conn) -> absl::Status {
    for (const store::StoredTable& t :
         store::ListAllocationTables(conn, req.province_code())) {
      ToProto(t.table, t.created_at, resp->add_tables());
    }
    return absl::OkStatus();
  });
}

absl::Status FinanceServiceImpl::DoSetRefundPolicy(
    const rpc::Caller&, const v1::SetRefundPolicyRequest& req,
    v1::SetRefundPolicyResponse* resp) {
  Violations violations;
  rpc::CheckRequestId(req.request_id(), violations);
  const v1::RefundPolicy& in = req.policy();
  store::StoredRefundPolicy policy;
  const std::optional<absl::CivilMonth> from =
      fields::CheckMonth(in.from_month(), "policy.from_month", violations);
  const std::optional<absl::CivilMonth> to =
      fields::CheckMonth(in.to_month(), "policy.to_month", violations);
  policy.policy.from = from.value_or(absl::CivilMonth());
  policy.policy.to = to.value_or(policy.policy.from);
  policy.policy.small_micro_only = in.small_micro_only();
  policy.policy.refund_bp = in.refund_bp();
  policy.description = in.description();
  text::Check(in.description(), "policy.description", kDescriptionRule,
              violations);
  const Violations policy_violations =
      domain::ValidateRefundPolicy(policy.policy);
  for (const FieldViolation& v : policy_violations.list()) {
    if (v.field == "to" && (!from.has_value() || !to.has_value())) continue;
    violations.Add(
        v.field == "to" ? "policy.to_month" : absl::StrCat("policy.", v.field),
        v.field == "to" ? "must not be before from_month" : v.description);
  }
  if (!violations.empty()) return violations.ToStatus();

  return rpc::RunIdempotent<v1::SetRefundPolicyResponse>(
      pool_, "SetRefundPolicy", req.request_id(), req, resp,
      [&](Connection& conn, v1::SetRefundPolicyResponse* out) -> absl::Status {
        store::StoredRefundPolicy stored = policy;
        store::InsertRefundPolicy(conn, stored);
        ToProto(stored, out->mutable_policy());
        return absl::OkStatus();
      });
}

absl::Status FinanceServiceImpl::DoListRefundPolicies(
    const rpc::Caller&, const v1::ListRefundPoliciesRequest&,
    v1::ListRefundPoliciesResponse* resp) {
  return pool_.Run([&](Connection& conn) -> absl::Status {
    for (const store::StoredRefundPolicy& p : store::ListRefundPolicies(conn)) {
      ToProto(p, resp->add_policies());
    }
    return absl::OkStatus();
  });
}

}  // namespace unionhub::finance
