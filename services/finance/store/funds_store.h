// Union funds and the preparation fund in SQL: the roster facts a
// declaration needs, declarations, collections, allocation tables, refund
// policies and the funds rollups (funds_employer_month, funds_rollup,
// funds_upward_rollup).
#ifndef UNIONHUB_SERVICES_FINANCE_STORE_FUNDS_STORE_H_
#define UNIONHUB_SERVICES_FINANCE_STORE_FUNDS_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "common/db/pool.h"
#include "services/finance/domain/funds.h"

namespace unionhub::finance::store {

// Fund kinds as stored (the proto's FundKind numbers).
inline constexpr int kUnionFundsKind = 1;
inline constexpr int kPreparationFundKind = 2;

struct RosterEmployer {
  int64_t employer_id = 0;
  std::string name;
  int64_t union_org_id = 0;
  int64_t area_org_id = 0;
  bool union_established = false;
  int64_t headcount = 0;
  bool above_designated_size = false;
};

// NOT_FOUND naming the employer when finance's roster does not know it.
absl::StatusOr<RosterEmployer> GetRosterEmployer(db::Connection& conn,
                                                 int64_t employer_id);

struct RosterOrg {
  int64_t org_id = 0;
  std::string path;
  std::string province_code;
};

// NOT_FOUND naming the org when finance's roster does not know it.
absl::StatusOr<RosterOrg> GetRosterOrg(db::Connection& conn, int64_t org_id);

struct Declaration {
  int64_t declaration_id = 0;
  int64_t employer_id = 0;
  std::string month;
  int64_t total_payroll_fen = 0;
  int64_t appropriation_fen = 0;
  int fund = 0;
  int64_t org_id = 0;
  std::string org_path;
  int64_t collected_fen = 0;
  int64_t entry_id = 0;
  std::string created_at;  // database timestamp
};

std::optional<Declaration> FindDeclaration(db::Connection& conn,
                                           int64_t employer_id,
                                           const std::string& month,
                                           bool for_update);
// Sets declaration_id and created_at. ALREADY_EXISTS (as an exception
// mapped by the pool) when the employer already declared that month.
void InsertDeclaration(db::Connection& conn, Declaration& declaration);
void AddCollected(db::Connection& conn, int64_t declaration_id,
                  int64_t amount_fen);

struct Collection {
  int64_t collection_id = 0;
  int64_t declaration_id = 0;
  int64_t employer_id = 0;
  std::string month;
  int64_t amount_fen = 0;
  int channel = 0;
  int fund = 0;
  std::string received_on;  // YYYY-MM-DD
  std::string province_code;
  int64_t returned_fen = 0;
  int64_t refund_bonus_fen = 0;
  std::vector<std::pair<std::string, int64_t>> upward;
  int64_t upward_fen = 0;
  int64_t preparation_held_fen = 0;
  int64_t entry_id = 0;
  std::string created_at;
  // From the declaration: the org that holds a preparation fund.
  int64_t org_id = 0;
  std::string org_path;
};

// Sets collection_id and created_at.
void InsertCollection(db::Connection& conn, Collection& collection);

// The employer's preparation-fund collections not yet released, locked,
// in collection order, with their declaration's org.
std::vector<Collection> HeldCollections(db::Connection& conn,
                                        int64_t employer_id);
void MarkReleased(db::Connection& conn, int64_t collection_id,
                  int64_t release_entry_id);

// Employers whose union is established but who still have held
// preparation funds (a release skipped for want of an allocation table).
std::vector<std::pair<int64_t, int64_t>> EstablishedEmployersWithHeldFunds(
    db::Connection& conn);

// Figures added to an employer-month row and to the subtree rollup.
struct FundsDelta {
  int64_t declared_payroll_fen = 0;
  int64_t appropriation_fen = 0;
  int64_t collected_fen = 0;
  int64_t returned_fen = 0;
  int64_t upward_fen = 0;
  int64_t preparation_held_fen = 0;
  int64_t preparation_returned_fen = 0;
};

// The row is created with `org_id` / `org_path` when it does not exist;
// an existing row keeps its org (the one of the declaration).
void AddToEmployerMonth(db::Connection& conn, int64_t employer_id,
                        const std::string& month, int64_t org_id,
                        const std::string& org_path, const FundsDelta& delta);
// One row per org in `org_ids` (each once) for `month`.
void AddToFundsRollup(db::Connection& conn, const std::vector<int64_t>& org_ids,
                      const std::string& month, const FundsDelta& delta);
void AddToUpwardRollup(
    db::Connection& conn, const std::vector<int64_t>& org_ids,
    const std::string& month,
    const std::vector<std::pair<std::string, int64_t>>& shares);

// Allocation tables, oldest first, so that domain::TableFor lets a table
// re-issued for the same month supersede the earlier one. All provinces
// when `province_code` is empty.
struct StoredTable {
  domain::AllocationTable table;
  std::string created_at;
};
std::vector<StoredTable> ListAllocationTables(db::Connection& conn,
                                              const std::string& province_code);
// Returns created_at.
std::string InsertAllocationTable(db::Connection& conn,
                                  const domain::AllocationTable& table);

struct StoredRefundPolicy {
  int64_t policy_id = 0;
  domain::RefundPolicy policy;
  std::string description;
  std::string created_at;
};
// Newest first: that is their precedence for domain::RefundFor, so a
// policy issued later overrides an earlier one for the months they share.
std::vector<StoredRefundPolicy> ListRefundPolicies(db::Connection& conn);
// Sets policy_id and created_at.
void InsertRefundPolicy(db::Connection& conn, StoredRefundPolicy& policy);

// [["national",1250],["provincial",2500]]: levels are restricted to
// [a-z0-9_] by the handlers, so nothing needs escaping. Parse returns
// nullopt for text not in that form.
std::string SharesToJson(
    const std::vector<std::pair<std::string, int64_t>>& shares);
std::optional<std::vector<std::pair<std::string, int64_t>>> SharesFromJson(
    const std::string& json);

}  // namespace unionhub::finance::store

#endif  // UNIONHUB_SERVICES_FINANCE_STORE_FUNDS_STORE_H_
