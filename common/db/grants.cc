#include "common/db/grants.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/core/log.h"
#include "common/db/sql.h"

namespace unionhub::db {
namespace {

bool IsPlainIdentifier(absl::string_view text) {
  return !text.empty() && text.size() <= 64 &&
         std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                  (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '%' ||
                  c == '-';
         });
}

// The column `v` of every row of `sql`.
template <typename... Args>
std::set<std::string> Strings(Connection& conn, const std::string& sql,
                              const Args&... args) {
  std::set<std::string> out;
  auto rs = Query(conn, sql, args...);
  while (rs->next()) out.insert(GetString(*rs, "v"));
  return out;
}

// Global privileges apply to every table whatever is granted on the
// schema, and GRANT would create a missing account with no password.
absl::Status CheckAccount(Connection& admin, const std::string& grantee) {
  const std::set<std::string> global =
      Strings(admin,
              "SELECT privilege_type AS v FROM information_schema."
              "user_privileges WHERE grantee = ?",
              grantee);
  if (global.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("no account ", grantee, "; create it first"));
  }
  if (global != std::set<std::string>{"USAGE"}) {
    return absl::FailedPreconditionError(
        absl::StrCat("account ", grantee, " holds global privileges (",
                     absl::StrJoin(global, ", "), "); revoke them first"));
  }
  return absl::OkStatus();
}

// Takes away whatever `grantee` was granted on the schema or its tables
// before (an older set-up gave GRANT ALL on the schema). Identifiers cannot
// be parameters: each one is checked by IsPlainIdentifier first.
void RevokeEarlierGrants(Connection& admin, const std::string& schema,
                         const std::string& grantee) {
  auto revoke = [&](const std::string& on, bool grantable) {
    admin
        .Prepare(
            absl::StrCat("REVOKE ALL PRIVILEGES ON ", on, " FROM ", grantee))
        .execute();
    // Not part of ALL PRIVILEGES.
    if (grantable) {
      admin
          .Prepare(
              absl::StrCat("REVOKE GRANT OPTION ON ", on, " FROM ", grantee))
          .execute();
    }
  };
  std::vector<std::pair<std::string, bool>> earlier;
  {
    auto rs = Query(admin,
                    "SELECT '*' AS t, MAX(is_grantable = 'YES') AS g FROM "
                    "information_schema.schema_privileges WHERE grantee = ? "
                    "AND table_schema = ? HAVING COUNT(*) > 0 "
                    "UNION ALL "
                    "SELECT table_name, MAX(is_grantable = 'YES') FROM "
                    "information_schema.table_privileges WHERE grantee = ? "
                    "AND table_schema = ? GROUP BY table_name",
                    grantee, schema, grantee, schema);
    while (rs->next()) {
      earlier.emplace_back(GetString(*rs, "t"), rs->getInt("g") != 0);
    }
  }
  for (const auto& [table, grantable] : earlier) {
    if (table == "*") {
      revoke(absl::StrCat("`", schema, "`.*"), grantable);
    } else if (IsPlainIdentifier(table)) {
      revoke(absl::StrCat("`", schema, "`.`", table, "`"), grantable);
    }
  }
}

const char* PrivilegesOf(const std::string& table,
                         const std::vector<std::string>& append_only_tables) {
  // Migrations are the administrator's: the service only checks them.
  if (table == "schema_migrations") return "SELECT";
  if (std::find(append_only_tables.begin(), append_only_tables.end(), table) !=
      append_only_tables.end()) {
    return "SELECT, INSERT";
  }
  return "SELECT, INSERT, UPDATE, DELETE";
}

}  // namespace

absl::Status GrantServiceUser(
    Connection& admin, const std::string& user, const std::string& host,
    const std::vector<std::string>& append_only_tables) {
  if (!IsPlainIdentifier(user) || !IsPlainIdentifier(host)) {
    return absl::InvalidArgumentError(
        "grant_to: user and host may hold only letters, digits, _ . % -");
  }
  std::string schema;
  std::set<std::string> tables;
  {
    auto rs = Query(admin,
                    "SELECT DATABASE() AS db, table_name AS t "
                    "FROM information_schema.tables "
                    "WHERE table_schema = DATABASE() ORDER BY table_name");
    while (rs->next()) {
      schema = GetString(*rs, "db");
      tables.insert(GetString(*rs, "t"));
    }
  }
  if (!IsPlainIdentifier(schema)) {
    return absl::FailedPreconditionError("no schema selected, or no tables");
  }
  for (const std::string& table : append_only_tables) {
    if (tables.count(table) == 0) {
      return absl::FailedPreconditionError(
          absl::StrCat("append-only table ", table, " is not in the schema"));
    }
  }
  const std::string grantee = absl::StrCat("'", user, "'@'", host, "'");
  if (absl::Status account = CheckAccount(admin, grantee); !account.ok()) {
    return account;
  }
  RevokeEarlierGrants(admin, schema, grantee);
  for (const std::string& table : tables) {
    if (!IsPlainIdentifier(table)) continue;
    admin
        .Prepare(absl::StrCat("GRANT ", PrivilegesOf(table, append_only_tables),
                              " ON `", schema, "`.`", table, "` TO ", grantee))
        .execute();
  }
  return absl::OkStatus();
}

absl::Status MigrateAndGrant(
    Pool& pool, const std::vector<MigrationFile>& migrations,
    absl::string_view grant_to,
    const std::vector<std::string>& append_only_tables) {
  if (absl::Status migrated = ApplyMigrationsWhenReachable(pool, migrations);
      !migrated.ok()) {
    return migrated;
  }
  for (absl::string_view grantee :
       absl::StrSplit(grant_to, ',', absl::SkipEmpty())) {
    std::vector<std::string> parts = absl::StrSplit(grantee, '@');
    if (parts.size() != 2) {
      return absl::InvalidArgumentError("grant_to: want USER@HOST[,...]");
    }
    absl::Status granted = pool.Run([&](Connection& conn) {
      return GrantServiceUser(conn, parts[0], parts[1], append_only_tables);
    });
    if (!granted.ok()) return granted;
    log::Info("granted", {{"to", std::string(grantee)}});
  }
  return absl::OkStatus();
}

}  // namespace unionhub::db
