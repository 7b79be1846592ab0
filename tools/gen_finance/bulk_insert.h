// Multi-row prepared INSERTs for the generator: rows are buffered and
// written `rows_per_statement` at a time, one transaction per statement,
// so a large table loads at the server's bulk speed without ever building
// SQL from values.
#ifndef UNIONHUB_TOOLS_GEN_FINANCE_BULK_INSERT_H_
#define UNIONHUB_TOOLS_GEN_FINANCE_BULK_INSERT_H_

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "common/db/pool.h"

namespace unionhub::gen {

// A bound value: an integer, a text, a flag, or raw bytes (BINARY columns).
struct RawBytes {
  std::string data;
};
using Value = std::variant<int64_t, std::string, bool, RawBytes>;

class BulkInserter {
 public:
  // `target` is "table (col1, col2, ...)" with `columns` columns.
  BulkInserter(db::Pool& pool, std::string target, int columns,
               int rows_per_statement);
  ~BulkInserter();

  // One row of exactly `columns` values; writes a full batch. The first
  // failure is kept and returned by every later call and by Finish().
  absl::Status Add(std::vector<Value> row);
  // Writes what is buffered.
  absl::Status Finish();

  int64_t rows_written() const { return rows_written_; }

 private:
  absl::Status Flush();

  db::Pool& pool_;
  std::string target_;
  int columns_;
  int rows_per_statement_;
  std::vector<Value> values_;
  int64_t rows_written_ = 0;
  absl::Status failed_;
};

}  // namespace unionhub::gen

#endif  // UNIONHUB_TOOLS_GEN_FINANCE_BULK_INSERT_H_
