#include "services/finance/store/grants.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/db/sql.h"

namespace unionhub::finance::store {
namespace {

bool IsPlainIdentifier(const std::string& text) {
  return !text.empty() && text.size() <= 64 &&
         std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                  (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '%' ||
                  c == '-';
         });
}

}  // namespace

const std::vector<std::string>& AppendOnlyTables() {
  static const auto* tables = new std::vector<std::string>{
      "ledger_entries", "ledger_postings", "ledger_seals", "ledger_entry_ids",
      "audit_trail"};
  return *tables;
}

absl::Status GrantServiceUser(db::Connection& admin, const std::string& user,
                              const std::string& host) {
  if (!IsPlainIdentifier(user) || !IsPlainIdentifier(host)) {
    return absl::InvalidArgumentError(
        "grant_to: user and host may hold only letters, digits, _ . % -");
  }
  std::string schema;
  std::vector<std::string> tables;
  {
    auto rs = db::Query(admin,
                        "SELECT DATABASE() AS db, table_name AS t "
                        "FROM information_schema.tables "
                        "WHERE table_schema = DATABASE() ORDER BY table_name");
    while (rs->next()) {
      schema = db::GetString(*rs, "db");
      tables.push_back(db::GetString(*rs, "t"));
    }
  }
  if (!IsPlainIdentifier(schema)) {
    return absl::FailedPreconditionError("no schema selected, or no tables");
  }
  const std::string grantee = absl::StrCat("'", user, "'@'", host, "'");
  for (const std::string& table : tables) {
    if (!IsPlainIdentifier(table)) continue;
    const bool append_only =
        std::find(AppendOnlyTables().begin(), AppendOnlyTables().end(),
                  table) != AppendOnlyTables().end();
    const std::string privileges =
        append_only ? "SELECT, INSERT" : "SELECT, INSERT, UPDATE, DELETE";
    // Identifiers cannot be parameters; each one was checked above.
    admin
        .Prepare(absl::StrCat("GRANT ", privileges, " ON `", schema, "`.`",
                              table, "` TO ", grantee))
        .execute();
  }
  return absl::OkStatus();
}

}  // namespace unionhub::finance::store
