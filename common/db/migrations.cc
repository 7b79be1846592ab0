#include "common/db/migrations.h"

#include <cppconn/connection.h>
#include <cppconn/exception.h>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>
#include <openssl/sha.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/core/log.h"
#include "common/db/sql.h"

namespace unionhub::db {
namespace {

constexpr absl::Duration kLockWait = absl::Seconds(120);

absl::StatusOr<int> VersionOf(absl::string_view name) {
  int version = 0;
  if (name.size() < 5 || name[4] != '_' ||
      !absl::SimpleAtoi(name.substr(0, 4), &version)) {
    return absl::InvalidArgumentError(
        absl::StrCat("migration file name must be NNNN_name.sql: ", name));
  }
  return version;
}

}  // namespace

std::string Sha256Hex(absl::string_view data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(),
         digest);
  std::string hex;
  for (unsigned char byte : digest) absl::StrAppendFormat(&hex, "%02x", byte);
  return hex;
}

std::vector<std::string> SplitStatements(absl::string_view sql) {
  std::vector<std::string> statements;
  std::string current;
  for (absl::string_view line : absl::StrSplit(sql, '\n')) {
    absl::string_view trimmed = absl::StripAsciiWhitespace(line);
    if (trimmed.empty() || absl::StartsWith(trimmed, "--")) continue;
    absl::StrAppend(&current, line, "\n");
    if (absl::EndsWith(trimmed, ";")) {
      absl::string_view statement = absl::StripAsciiWhitespace(current);
      statement.remove_suffix(1);
      statements.emplace_back(statement);
      current.clear();
    }
  }
  if (!absl::StripAsciiWhitespace(current).empty()) {
    statements.emplace_back(absl::StripAsciiWhitespace(current));
  }
  return statements;
}

std::vector<std::string> SupersededChecksums(absl::string_view sql) {
  constexpr absl::string_view kPrefix = "-- supersedes sha256 ";
  std::vector<std::string> out;
  for (absl::string_view line : absl::StrSplit(sql, '\n')) {
    line = absl::StripAsciiWhitespace(line);
    if (!absl::ConsumePrefix(&line, kPrefix)) continue;
    line = absl::StripAsciiWhitespace(line);
    if (line.size() == 64) out.emplace_back(absl::AsciiStrToLower(line));
  }
  return out;
}

namespace {

struct Ordered {
  int version = 0;   // as recorded
  std::string name;  // as recorded
  const MigrationFile* file = nullptr;
};

absl::Status Order(const std::vector<MigrationFile>& files, int base,
                   absl::string_view prefix, std::vector<Ordered>* out) {
  std::map<int, const MigrationFile*> ordered;
  for (const MigrationFile& file : files) {
    absl::StatusOr<int> version = VersionOf(file.name);
    if (!version.ok()) return version.status();
    if (!ordered.emplace(*version, &file).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("two migrations share version ", *version));
    }
  }
  for (const auto& [version, file] : ordered) {
    out->push_back({base + version, absl::StrCat(prefix, file->name), file});
  }
  return absl::OkStatus();
}

absl::Status Apply(Pool& pool, const std::vector<MigrationFile>& files,
                   bool with_common) {
  std::vector<Ordered> ordered;
  if (with_common) {
    absl::Status status =
        Order(CommonMigrations(), kCommonVersionBase, "common/", &ordered);
    if (!status.ok()) return status;
  }
  if (absl::Status status = Order(files, 0, "", &ordered); !status.ok()) {
    return status;
  }
  absl::StatusOr<Pool::Lease> lease = pool.Acquire();
  if (!lease.ok()) return lease.status();
  Connection& conn = **lease;
  const std::string lock_name =
      absl::StrCat(pool.config().schema, ".migrations");
  try {
    {
      auto rs = Query(conn, "SELECT GET_LOCK(?, ?) AS got", lock_name,
                      absl::ToInt64Seconds(kLockWait));
      if (!rs->next() || rs->isNull("got") || rs->getInt("got") != 1) {
        return absl::UnavailableError(
            "timed out waiting for the migration lock (another replica is "
            "migrating)");
      }
    }
    absl::Status result = [&]() -> absl::Status {
      std::unique_ptr<sql::Statement> ddl(conn.raw().createStatement());
      // Only when missing: a service whose user may not run DDL (its schema
      // migrated by an administrator) still starts.
      auto exists = Query(conn,
                          "SELECT COUNT(*) AS n FROM information_schema.tables "
                          "WHERE table_schema = DATABASE() "
                          "AND table_name = 'schema_migrations'");
      exists->next();
      if (exists->getInt("n") == 0)
        ddl->execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version INT NOT NULL PRIMARY KEY,"
            " name VARCHAR(200) NOT NULL,"
            " sha256 CHAR(64) NOT NULL,"
            " applied_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)"
            ") ENGINE=InnoDB");
      std::map<int, std::pair<std::string, std::string>> applied;
      {
        auto rs =
            Query(conn, "SELECT version, name, sha256 FROM schema_migrations");
        while (rs->next()) {
          applied[rs->getInt("version")] = {GetString(*rs, "name"),
                                            GetString(*rs, "sha256")};
        }
      }
      for (const Ordered& migration : ordered) {
        const MigrationFile* file = migration.file;
        const std::string checksum = Sha256Hex(file->sql);
        auto found = applied.find(migration.version);
        if (found != applied.end()) {
          const std::vector<std::string> superseded =
              SupersededChecksums(file->sql);
          if (found->second.second != checksum &&
              std::find(superseded.begin(), superseded.end(),
                        found->second.second) == superseded.end()) {
            return absl::FailedPreconditionError(absl::StrCat(
                "migration ", migration.name,
                " was changed after it was applied (checksum mismatch); "
                "add a new migration instead of editing an applied one"));
          }
          continue;
        }
        // MariaDB commits DDL implicitly, so a file is not atomic: a crash
        // half-way is repaired by hand. Files are kept to one change each.
        for (const std::string& statement : SplitStatements(file->sql)) {
          ddl->execute(statement);
        }
        Execute(conn,
                "INSERT INTO schema_migrations (version, name, sha256) "
                "VALUES (?, ?, ?)",
                migration.version, migration.name, checksum);
        log::Info("applied migration", {{"file", migration.name}});
      }
      return absl::OkStatus();
    }();
    Query(conn, "SELECT RELEASE_LOCK(?) AS released", lock_name);
    return result;
  } catch (const sql::SQLException& e) {
    conn.MarkBroken();  // drops the session, and with it the named lock
    return StatusFromSqlException(e);
  }
}

}  // namespace

absl::Status ApplyMigrations(Pool& pool,
                             const std::vector<MigrationFile>& files) {
  return Apply(pool, files, /*with_common=*/true);
}

absl::Status ApplyMigrationsWithoutCommon(
    Pool& pool, const std::vector<MigrationFile>& files) {
  return Apply(pool, files, /*with_common=*/false);
}

absl::Status ApplyMigrationsWhenReachable(
    Pool& pool, const std::vector<MigrationFile>& files) {
  while (true) {
    absl::Status migrated = ApplyMigrations(pool, files);
    if (migrated.code() != absl::StatusCode::kUnavailable) return migrated;
    log::Warn("database not reachable yet",
              {{"error", std::string(migrated.message())}});
    std::this_thread::sleep_for(std::chrono::seconds(2));
  }
}

absl::StatusOr<AppliedVersions> AppliedMigrationVersions(Pool& pool) {
  AppliedVersions versions;
  absl::Status read = pool.Run([&](Connection& conn) {
    auto exists = Query(conn,
                        "SELECT COUNT(*) AS n FROM information_schema.tables "
                        "WHERE table_schema = DATABASE() "
                        "AND table_name = 'schema_migrations'");
    if (!exists->next() || exists->getInt("n") == 0) return absl::OkStatus();
    auto rs = Query(conn,
                    "SELECT COALESCE(MAX(CASE WHEN version < ? THEN version "
                    "END), 0) AS own, COALESCE(MAX(CASE WHEN version > ? "
                    "THEN version END), 0) AS common FROM schema_migrations",
                    kCommonVersionBase, kCommonVersionBase);
    if (rs->next()) {
      versions.service = rs->getInt("own");
      const int common = rs->getInt("common");
      versions.common = common > 0 ? common - kCommonVersionBase : 0;
    }
    return absl::OkStatus();
  });
  if (!read.ok()) return read;
  return versions;
}

AppliedVersions NewestVersions(const std::vector<MigrationFile>& files) {
  AppliedVersions versions;
  for (const MigrationFile& file : files) {
    absl::StatusOr<int> version = VersionOf(file.name);
    if (version.ok()) versions.service = std::max(versions.service, *version);
  }
  for (const MigrationFile& file : CommonMigrations()) {
    absl::StatusOr<int> version = VersionOf(file.name);
    if (version.ok()) versions.common = std::max(versions.common, *version);
  }
  return versions;
}

}  // namespace unionhub::db
