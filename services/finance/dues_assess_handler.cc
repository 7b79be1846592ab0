// AssessDues: one month's dues for every member of a subtree who was ACTIVE
// on the month's last day, in bulk: one query finds the members and their
// state then, charges are written with multi-row inserts, the rollup with
// one upsert per chunk of (org, month) rows, and the whole run is one
// ledger entry.
//
// Choices:
// - Policy: what a member owes is decided by domain::DuesFor, with the
//   national default where no stored policy applies. Every ACTIVE member
//   therefore has a policy and members_without_policy is always 0.
// - Credit: a member's credit (overpaid dues, roster_members.credit_fen) is
//   applied to the charges this run makes (domain::ApplyCredit), recorded as
//   an allocation of the payment that last left credit. Payments never
//   leave credit while a charge is open, so applying credit when a charge
//   is made keeps "credit > 0 means nothing is owed" true, and a member who
//   paid ahead is never counted in arrears.
// - The org of a charge is the member's org on the month's last day, with
//   that org's path as the roster has it now.
#include "absl/strings/str_cat.h"
#include "common/core/dates.h"
#include "common/core/field_checks.h"
#include "common/rpc/idempotent.h"
#include "common/rpc/violations.h"
#include "services/finance/domain/accounts.h"
#include "services/finance/domain/dues.h"
#include "services/finance/domain/postings.h"
#include "services/finance/domain/settlement.h"
#include "services/finance/finance_service.h"
#include "services/finance/store/dues_store.h"
#include "services/finance/store/ledger_store.h"
#include "services/finance/store/paths.h"

namespace unionhub::finance {
namespace {

using db::Connection;

struct Run {
  std::vector<store::Charge> charges;  // new ones, by member id
  std::vector<store::AllocationRow> credit_allocations;
  std::map<int64_t, money::Fen> credit_deltas;
  domain::PostingSet postings;
  store::CollectionRollup rollup;
  store::Assessment assessment;
};

// Applies each newly charged member's credit to their new charge.
void ApplyCredits(Connection& conn, absl::CivilMonth month, Run& run) {
  std::vector<int64_t> member_ids;
  member_ids.reserve(run.charges.size());
  for (const store::Charge& c : run.charges) member_ids.push_back(c.member_id);
  // Locks every newly charged member's roster row, as a payment does
  // before it looks at the member's charges: a payment that is leaving
  // credit right now either finishes first (and its credit is seen here)
  // or waits and then finds the new charge open.
  const std::map<int64_t, money::Fen> credits =
      store::LockCredits(conn, member_ids);
  if (credits.empty()) return;
  std::vector<int64_t> with_credit;
  for (const auto& [member_id, credit] : credits)
    with_credit.push_back(member_id);
  const std::map<int64_t, int64_t> sources =
      store::LatestCreditingPayments(conn, with_credit);
  for (store::Charge& charge : run.charges) {
    auto credit = credits.find(charge.member_id);
    if (credit == credits.end() || charge.due == 0) continue;
    absl::StatusOr<domain::SettlementResult> applied =
        domain::ApplyCredit(credit->second, {{month, charge.due, 0}});
    if (!applied.ok() || applied->allocations.empty()) continue;
    const money::Fen amount = applied->allocations.front().amount;
    charge.paid = amount;
    run.credit_deltas[charge.member_id] -= amount;
    run.assessment.credit_applied += amount;
    run.postings.Debit(
        domain::AccountName(domain::accounts::kMemberCredit, charge.org_id),
        amount);
    run.postings.Credit(
        domain::AccountName(domain::accounts::kDuesReceivable, charge.org_id),
        amount);
    auto source = sources.find(charge.member_id);
    if (source != sources.end()) {
      run.credit_allocations.push_back(
          {source->second, charge.member_id, charge.month, amount});
    }
  }
}

}  // namespace

absl::Status FinanceServiceImpl::DoAssessDues(const rpc::Caller&,
                                              const v1::AssessDuesRequest& req,
                                              v1::AssessDuesResponse* resp) {
  Violations violations;
  rpc::CheckRequestId(req.request_id(), violations);
  fields::CheckOptionalId(req.org_id(), "org_id", violations);
  const absl::CivilMonth current(clock_.Today());
  const std::optional<absl::CivilMonth> month =
      fields::CheckPastMonth(req.month(), "month", current, violations);
  if (!violations.empty()) return violations.ToStatus();
  const std::string month_text = dates::FormatMonth(*month);
  const std::string last_day = dates::FormatDate(dates::LastDayOfMonth(*month));

  return rpc::RunIdempotent<v1::AssessDuesResponse>(
      pool_, "AssessDues", req.request_id(), req, resp,
      [&](Connection& conn, v1::AssessDuesResponse* out) -> absl::Status {
        // First, so this run's snapshot includes every earlier run's
        // charges for the month.
        store::LockAssessmentMonth(conn, month_text);
        Run run;
        run.assessment.month = month_text;
        run.assessment.org_id = req.org_id();
        run.assessment.org_path = "/";
        run.assessment.request_id = req.request_id();
        if (req.org_id() != 0) {
          absl::StatusOr<std::string> path = store::OrgPath(conn, req.org_id());
          if (!path.ok()) return path.status();
          run.assessment.org_path = *path;
        }
        const std::vector<domain::DuesPolicy> policies =
            store::LoadDuesPolicies(conn);

        for (const store::AssessmentCandidate& c : store::AssessmentCandidates(
                 conn, store::SubtreePattern(run.assessment.org_path), last_day,
                 month_text)) {
          if (c.already_charged) {
            ++run.assessment.already_charged;
            continue;
          }
          const domain::DuesCharge due =
              domain::DuesFor(policies, c.payer, *month);
          store::Charge charge;
          charge.member_id = c.member_id;
          charge.month = month_text;
          charge.org_id = c.org_id;
          charge.org_path = c.payer.org_path;
          charge.wage_base = c.payer.wage;
          charge.rate_bp = due.rate_bp;
          charge.due = due.due;
          run.assessment.total_due += charge.due;
          run.postings.Debit(
              domain::AccountName(domain::accounts::kDuesReceivable, c.org_id),
              charge.due);
          run.postings.Credit(
              domain::AccountName(domain::accounts::kDuesIncome, c.org_id),
              charge.due);
          run.charges.push_back(std::move(charge));
        }
        run.assessment.members_charged = static_cast<int>(run.charges.size());
        ApplyCredits(conn, *month, run);

        const int64_t assessment_id =
            store::InsertAssessment(conn, run.assessment);
        for (store::Charge& c : run.charges) {
          c.assessment_id = assessment_id;
          run.rollup.Add(c.org_path, c.month,
                         {c.due, c.paid, 1, c.settled() ? 1 : 0});
        }
        if (store::InsertCharges(conn, run.charges) !=
            static_cast<int64_t>(run.charges.size())) {
          // Cannot happen while runs of a month serialise; if it does, the
          // whole run is retried on a fresh snapshot.
          return absl::AbortedError(
              "another assessment charged some of these members meanwhile");
        }
        store::AddAllocations(conn, run.credit_allocations);
        store::AddCredits(conn, run.credit_deltas);
        run.rollup.Flush(conn);

        out->set_month(month_text);
        out->set_members_charged(run.assessment.members_charged);
        out->set_already_charged(run.assessment.already_charged);
        out->set_total_due_fen(run.assessment.total_due);
        out->set_members_without_policy(0);
        // Nothing new, or only 0-fen charges: no money moved, no entry.
        if (run.postings.empty()) return absl::OkStatus();
        domain::Entry entry;
        entry.kind = store::kDuesAssessed;
        entry.memo = absl::StrCat("dues for ", month_text, ": ",
                                  run.assessment.members_charged,
                                  " members under org ", req.org_id());
        entry.postings = run.postings.Postings();
        absl::StatusOr<domain::Entry> posted =
            store::PostEntry(conn, std::move(entry), req.request_id());
        if (!posted.ok()) return posted.status();
        store::SetAssessmentEntry(conn, assessment_id, posted->entry_id);
        out->set_entry_id(posted->entry_id);
        return absl::OkStatus();
      });
}

}  // namespace unionhub::finance
