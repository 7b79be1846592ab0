// Thin helpers over prepared statements: bind values by position, run, and
// read columns. Values are only ever bound, never spliced into SQL text.
#ifndef UNIONHUB_COMMON_DB_SQL_H_
#define UNIONHUB_COMMON_DB_SQL_H_

#include <cppconn/datatype.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>

#include "absl/strings/string_view.h"
#include "common/db/pool.h"

namespace unionhub::db {

// SQL NULL as a bind value.
struct Null {};
inline constexpr Null kNull;

// A value bound as VARBINARY from a byte string (may contain NULs).
struct Bytes {
  absl::string_view data;
};

namespace internal {

void BindOne(sql::PreparedStatement& ps, unsigned index, int64_t value);
void BindOne(sql::PreparedStatement& ps, unsigned index, bool value);
void BindOne(sql::PreparedStatement& ps, unsigned index,
             absl::string_view value);
void BindOne(sql::PreparedStatement& ps, unsigned index, Null);
void BindOne(sql::PreparedStatement& ps, unsigned index, Bytes value);

template <typename T>
void BindValue(sql::PreparedStatement& ps, unsigned index, const T& value) {
  if constexpr (std::is_same_v<T, bool>) {
    BindOne(ps, index, value);
  } else if constexpr (std::is_integral_v<T> || std::is_enum_v<T>) {
    BindOne(ps, index, static_cast<int64_t>(value));
  } else if constexpr (std::is_same_v<T, Null> || std::is_same_v<T, Bytes>) {
    BindOne(ps, index, value);
  } else {
    BindOne(ps, index, absl::string_view(value));
  }
}

template <typename T>
void BindValue(sql::PreparedStatement& ps, unsigned index,
               const std::optional<T>& value) {
  if (value.has_value()) {
    BindValue(ps, index, *value);
  } else {
    BindOne(ps, index, kNull);
  }
}

}  // namespace internal

// Binds `args` to parameters 1..N of `ps`.
template <typename... Args>
void Bind(sql::PreparedStatement& ps, const Args&... args) {
  unsigned index = 1;
  (internal::BindValue(ps, index++, args), ...);
}

// Binds values one at a time, for statements whose parameter count varies
// (multi-row inserts, IN lists).
class Binder {
 public:
  explicit Binder(sql::PreparedStatement& ps) : ps_(ps) {}
  template <typename T>
  Binder& Add(const T& value) {
    internal::BindValue(ps_, next_++, value);
    return *this;
  }

 private:
  sql::PreparedStatement& ps_;
  unsigned next_ = 1;
};

// Prepares (cached), binds and runs a query.
template <typename... Args>
std::unique_ptr<sql::ResultSet> Query(Connection& conn,
                                      const std::string& sql_text,
                                      const Args&... args) {
  sql::PreparedStatement& ps = conn.Prepare(sql_text);
  Bind(ps, args...);
  return std::unique_ptr<sql::ResultSet>(ps.executeQuery());
}

// Prepares (cached), binds and runs a statement; returns the affected rows.
template <typename... Args>
int64_t Execute(Connection& conn, const std::string& sql_text,
                const Args&... args) {
  sql::PreparedStatement& ps = conn.Prepare(sql_text);
  Bind(ps, args...);
  return ps.executeUpdate();
}

// The AUTO_INCREMENT value of the last insert on this connection.
int64_t LastInsertId(Connection& conn);

// "(?,?,?),(?,?,?)" for `rows` rows of `columns` placeholders.
std::string Placeholders(int rows, int columns);

// "?,?,?" for an IN list of `count` (>= 1) values.
std::string InList(int count);

// Column readers that treat SQL NULL explicitly.
std::string GetString(sql::ResultSet& rs, const char* column);
std::optional<std::string> GetOptionalString(sql::ResultSet& rs,
                                             const char* column);
int64_t GetInt64(sql::ResultSet& rs, const char* column);
bool GetBool(sql::ResultSet& rs, const char* column);
// Binary columns (BLOB, VARBINARY) read as raw bytes.
std::string GetBytes(sql::ResultSet& rs, const char* column);

// The same by position (1-based, as in the SELECT list), for rows read on
// hot paths: Connector/C++ 1.1.12 copies, upper-cases and looks up the name
// on every access by name (isNull and the getter each), about a quarter of
// membership's instructions per GetMember (docs/performance.md). getString
// keeps a binary column's exact bytes with their length, so GetStringAt
// also reads VARBINARY.
std::string GetStringAt(sql::ResultSet& rs, uint32_t column);
int64_t GetInt64At(sql::ResultSet& rs, uint32_t column);
bool GetBoolAt(sql::ResultSet& rs, uint32_t column);

}  // namespace unionhub::db

#endif  // UNIONHUB_COMMON_DB_SQL_H_
