#include "common/db/sql.h"

#include <cppconn/statement.h>

#include <istream>
#include <iterator>
#include <sstream>

#include "absl/strings/str_cat.h"

namespace unionhub::db {
namespace internal {

void BindOne(sql::PreparedStatement& ps, unsigned index, int64_t value) {
  ps.setInt64(index, value);
}

void BindOne(sql::PreparedStatement& ps, unsigned index, bool value) {
  ps.setBoolean(index, value);
}

void BindOne(sql::PreparedStatement& ps, unsigned index,
             absl::string_view value) {
  ps.setString(index, sql::SQLString(value.data(), value.size()));
}

void BindOne(sql::PreparedStatement& ps, unsigned index, Null) {
  ps.setNull(index, sql::DataType::VARCHAR);
}

void BindOne(sql::PreparedStatement& ps, unsigned index, Bytes value) {
  // setString sends the exact bytes with their length, NULs included.
  ps.setString(index, sql::SQLString(value.data.data(), value.data.size()));
}

}  // namespace internal

int64_t LastInsertId(Connection& conn) {
  std::unique_ptr<sql::ResultSet> rs(
      Query(conn, "SELECT LAST_INSERT_ID() AS id"));
  rs->next();
  return rs->getInt64("id");
}

std::string Placeholders(int rows, int columns) {
  std::string row = "(";
  for (int c = 0; c < columns; ++c) row += c == 0 ? "?" : ",?";
  row += ")";
  std::string out;
  out.reserve(rows * (row.size() + 1));
  for (int r = 0; r < rows; ++r) {
    if (r > 0) out += ",";
    out += row;
  }
  return out;
}

std::string InList(int count) {
  std::string marks(count * 2 - 1, ',');
  for (int i = 0; i < count; ++i) marks[i * 2] = '?';
  return marks;
}

std::string GetString(sql::ResultSet& rs, const char* column) {
  if (rs.isNull(column)) return "";
  return std::string(rs.getString(column).asStdString());
}

std::optional<std::string> GetOptionalString(sql::ResultSet& rs,
                                             const char* column) {
  if (rs.isNull(column)) return std::nullopt;
  return std::string(rs.getString(column).asStdString());
}

int64_t GetInt64(sql::ResultSet& rs, const char* column) {
  if (rs.isNull(column)) return 0;
  return rs.getInt64(column);
}

bool GetBool(sql::ResultSet& rs, const char* column) {
  if (rs.isNull(column)) return false;
  return rs.getBoolean(column);
}

std::string GetBytes(sql::ResultSet& rs, const char* column) {
  if (rs.isNull(column)) return "";
  std::unique_ptr<std::istream> stream(rs.getBlob(column));
  return std::string(std::istreambuf_iterator<char>(*stream),
                     std::istreambuf_iterator<char>());
}

std::string GetStringAt(sql::ResultSet& rs, uint32_t column) {
  if (rs.isNull(column)) return "";
  return std::string(rs.getString(column).asStdString());
}

int64_t GetInt64At(sql::ResultSet& rs, uint32_t column) {
  if (rs.isNull(column)) return 0;
  return rs.getInt64(column);
}

bool GetBoolAt(sql::ResultSet& rs, uint32_t column) {
  if (rs.isNull(column)) return false;
  return rs.getBoolean(column);
}

}  // namespace unionhub::db
