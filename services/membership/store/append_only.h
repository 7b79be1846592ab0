// The tables membership's runtime database account may only read and append
// to (db::GrantServiceUser): the audit trail, the change-feed outbox (peers
// resume from a sequence, so a rewritten event would silently diverge their
// copies) and each member's history. The stores only INSERT and SELECT them.
#ifndef UNIONHUB_SERVICES_MEMBERSHIP_STORE_APPEND_ONLY_H_
#define UNIONHUB_SERVICES_MEMBERSHIP_STORE_APPEND_ONLY_H_

#include <string>
#include <vector>

namespace unionhub::membership::store {

inline const std::vector<std::string>& AppendOnlyTables() {
  static const auto* tables =
      new std::vector<std::string>{"audit_trail", "events", "member_history"};
  return *tables;
}

}  // namespace unionhub::membership::store

#endif  // UNIONHUB_SERVICES_MEMBERSHIP_STORE_APPEND_ONLY_H_
