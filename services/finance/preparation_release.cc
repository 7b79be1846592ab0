// The preparation fund (筹备金) an employer paid while it had no union is
// returned when its union is established (DOMAIN §4): split as union funds,
// the grassroots part to the new union. See funds_release.h for how the
// rollups stay reconcilable.
#include <map>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/core/dates.h"
#include "common/core/log.h"
#include "services/finance/domain/accounts.h"
#include "services/finance/funds_release.h"
#include "services/finance/roster_hooks.h"
#include "services/finance/store/ledger_store.h"
#include "services/finance/store/paths.h"

namespace unionhub::finance {

bool IsSmallMicro(const store::RosterEmployer& employer) {
  return !employer.above_designated_size && employer.headcount < 100;
}

absl::StatusOr<domain::CollectionSplit> SplitUnionFunds(
    db::Connection& conn, const std::string& province_code,
    const std::string& month, int64_t collected,
    const store::RosterEmployer& employer) {
  absl::StatusOr<absl::CivilMonth> civil = dates::ParseMonth(month);
  if (!civil.ok()) return civil.status();
  std::vector<domain::AllocationTable> tables;
  for (store::StoredTable& t :
       store::ListAllocationTables(conn, province_code)) {
    tables.push_back(std::move(t.table));
  }
  const domain::AllocationTable* table =
      province_code.empty() ? nullptr
                            : domain::TableFor(tables, province_code, *civil);
  if (table == nullptr) {
    return absl::FailedPreconditionError(absl::StrCat(
        "no allocation table for province \"", province_code,
        "\" is in force in ", month,
        province_code.empty()
            ? " (the org has no region code, so no province is known)"
            : "; set one with SetAllocationTable"));
  }
  std::vector<domain::RefundPolicy> policies;
  for (store::StoredRefundPolicy& p : store::ListRefundPolicies(conn)) {
    policies.push_back(p.policy);
  }
  const int64_t refund =
      domain::RefundFor(collected, policies, *civil, IsSmallMicro(employer));
  return domain::SplitWithRefund(collected, *table, refund);
}

absl::StatusOr<int64_t> ReleaseHeldPreparation(db::Connection& conn,
                                               int64_t employer_id,
                                               int64_t union_org_id,
                                               const std::string& request_id) {
  std::vector<store::Collection> held =
      store::HeldCollections(conn, employer_id);
  if (held.empty()) return 0;
  absl::StatusOr<store::RosterEmployer> employer =
      store::GetRosterEmployer(conn, employer_id);
  if (!employer.ok()) return employer.status();
  absl::StatusOr<store::RosterOrg> union_org =
      store::GetRosterOrg(conn, union_org_id);
  if (!union_org.ok()) return union_org.status();
  const std::vector<int64_t> union_path = store::PathIds(union_org->path);

  // Postings summed per account: one entry releases every collection.
  std::map<std::string, int64_t> postings;
  std::vector<int64_t> released;
  for (const store::Collection& c : held) {
    absl::StatusOr<domain::CollectionSplit> split = SplitUnionFunds(
        conn, union_org->province_code, c.month, c.amount_fen, *employer);
    if (absl::IsFailedPrecondition(split.status())) {
      log::Warn("preparation fund kept held",
                {{"employer_id", absl::StrCat(employer_id)},
                 {"collection_id", absl::StrCat(c.collection_id)},
                 {"reason", std::string(split.status().message())}});
      continue;
    }
    if (!split.ok()) return split.status();

    store::FundsDelta delta;
    delta.returned_fen = split->grassroots_return;
    delta.preparation_returned_fen = c.amount_fen;
    std::vector<std::pair<std::string, int64_t>> shares;
    for (const auto& [level, amount] : split->upward) {
      delta.upward_fen += amount;
      if (amount != 0) shares.emplace_back(level, amount);
      if (amount != 0) {
        postings[domain::UpwardAccount(union_org->province_code, level)] +=
            amount;
      }
    }
    std::vector<int64_t> orgs = store::PathIds(c.org_path);
    orgs.insert(orgs.end(), union_path.begin(), union_path.end());
    store::AddToEmployerMonth(conn, employer_id, c.month, c.org_id, c.org_path,
                              delta);
    store::AddToFundsRollup(conn, orgs, c.month, delta);
    store::AddToUpwardRollup(conn, orgs, c.month, shares);

    postings[domain::AccountName(domain::accounts::kCash, union_org_id)] +=
        split->grassroots_return;
    postings[domain::AccountName(domain::accounts::kPreparationFundHeld,
                                 c.org_id)] -= c.amount_fen;
    released.push_back(c.collection_id);
  }
  if (released.empty()) return 0;

  domain::Entry entry;
  entry.kind = store::kPreparationReleased;
  entry.memo = absl::StrCat(
      "preparation fund of employer ", employer_id, " released to union ",
      union_org_id, " (collections ", absl::StrJoin(released, ", "), ")");
  for (const auto& [account, amount] : postings) {
    if (amount != 0) entry.postings.push_back({account, amount});
  }
  absl::StatusOr<domain::Entry> posted =
      store::PostEntry(conn, std::move(entry), request_id);
  if (!posted.ok()) return posted.status();
  for (int64_t id : released) store::MarkReleased(conn, id, posted->entry_id);
  log::Info("preparation fund released",
            {{"employer_id", absl::StrCat(employer_id)},
             {"union_org_id", absl::StrCat(union_org_id)},
             {"collections", absl::StrCat(released.size())},
             {"entry_id", absl::StrCat(posted->entry_id)}});
  return posted->entry_id;
}

absl::Status OnUnionEstablished(db::Connection& conn, int64_t employer_id,
                                int64_t union_org_id,
                                const std::string& request_id) {
  if (employer_id <= 0 || union_org_id <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("OnUnionEstablished: employer ", employer_id,
                     " and union ", union_org_id, " must both be known"));
  }
  absl::StatusOr<int64_t> entry =
      ReleaseHeldPreparation(conn, employer_id, union_org_id, request_id);
  return entry.ok() ? absl::OkStatus() : entry.status();
}

}  // namespace unionhub::finance
