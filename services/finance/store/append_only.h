// The tables finance's runtime database account may only read and append to
// (db::GrantServiceUser): the ledger, whose entries are chained and sealed,
// and the audit trail.
#ifndef UNIONHUB_SERVICES_FINANCE_STORE_APPEND_ONLY_H_
#define UNIONHUB_SERVICES_FINANCE_STORE_APPEND_ONLY_H_

#include <string>
#include <vector>

namespace unionhub::finance::store {

inline const std::vector<std::string>& AppendOnlyTables() {
  static const auto* tables = new std::vector<std::string>{
      "ledger_entries", "ledger_postings", "ledger_seals", "ledger_entry_ids",
      "audit_trail"};
  return *tables;
}

}  // namespace unionhub::finance::store

#endif  // UNIONHUB_SERVICES_FINANCE_STORE_APPEND_ONLY_H_
