// The tables awards' runtime database account may only read and append to
// (db::GrantServiceUser): the audit trail, reviewers' comments, and which
// nominations came from which competition result. Votes, scores, honours
// (revocation) and nominations (evidence, status) are rewritten by design.
#ifndef UNIONHUB_SERVICES_AWARDS_STORE_APPEND_ONLY_H_
#define UNIONHUB_SERVICES_AWARDS_STORE_APPEND_ONLY_H_

#include <string>
#include <vector>

namespace unionhub::awards::store {

inline const std::vector<std::string>& AppendOnlyTables() {
  static const auto* tables = new std::vector<std::string>{
      "audit_trail", "vote_comments", "competition_nominations"};
  return *tables;
}

}  // namespace unionhub::awards::store

#endif  // UNIONHUB_SERVICES_AWARDS_STORE_APPEND_ONLY_H_
