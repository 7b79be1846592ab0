// Many rows bound as one parameter, for multi-row statements.
#ifndef UNIONHUB_COMMON_DB_JSON_ROWS_H_
#define UNIONHUB_COMMON_DB_JSON_ROWS_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace unionhub::db {

// Rows for a multi-row statement as ONE bound parameter: a JSON array of
// arrays that the statement unpacks with JSON_TABLE, e.g.
//   INSERT INTO t (a, b) SELECT a, b FROM JSON_TABLE(?, '$[*]' COLUMNS (
//     ord FOR ORDINALITY, a BIGINT PATH '$[0]', b VARCHAR(64) PATH '$[1]'))
//     v ORDER BY ord
// The values stay bound data (never SQL text), and the statement's text is
// the same for any number of rows: one round trip and one cached prepared
// statement, where "VALUES (?,?),(?,?)..." took a text per row count (a
// chunk split into pieces, each prepared again once the per-connection
// cache of big statements overflowed) and a bind call per value.
// Not for inserts into an AUTO_INCREMENT table that concurrent writers
// share: under innodb_autoinc_lock_mode=1 (MariaDB's default) an INSERT
// ... SELECT holds the table's AUTO-INC lock until it ends.
class JsonRows {
 public:
  // Starts the next row.
  JsonRows& Row();
  JsonRows& Add(int64_t value);
  // Text, escaped for JSON (it must be UTF-8, as every text column is).
  JsonRows& Add(absl::string_view text);
  size_t rows() const { return rows_; }
  // The array, closed.
  std::string Json() const { return rows_ == 0 ? "[]" : json_ + "]]"; }

 private:
  void Separate();
  std::string json_ = "[";
  size_t rows_ = 0;
  bool first_in_row_ = true;
};

}  // namespace unionhub::db

#endif  // UNIONHUB_COMMON_DB_JSON_ROWS_H_
