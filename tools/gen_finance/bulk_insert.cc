#include "tools/gen_finance/bulk_insert.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/db/sql.h"

namespace unionhub::gen {
namespace {
constexpr int kMaxPlaceholders = 65535;
}  // namespace

BulkInserter::BulkInserter(db::Pool& pool, std::string target, int columns,
                           int rows_per_statement)
    : pool_(pool),
      target_(std::move(target)),
      columns_(columns),
      // A prepared statement takes at most 65,535 placeholders.
      rows_per_statement_(std::max(
          1, std::min(rows_per_statement, kMaxPlaceholders / columns))) {
  values_.reserve(static_cast<size_t>(columns_) * rows_per_statement_);
}

BulkInserter::~BulkInserter() = default;

absl::Status BulkInserter::Add(std::vector<Value> row) {
  if (!failed_.ok()) return failed_;
  if (static_cast<int>(row.size()) != columns_) {
    failed_ =
        absl::InternalError(absl::StrCat(target_, ": a row of ", row.size(),
                                         " values for ", columns_, " columns"));
    return failed_;
  }
  for (Value& v : row) values_.push_back(std::move(v));
  if (static_cast<int>(values_.size()) >= columns_ * rows_per_statement_) {
    return Flush();
  }
  return absl::OkStatus();
}

absl::Status BulkInserter::Finish() {
  if (!failed_.ok()) return failed_;
  return Flush();
}

absl::Status BulkInserter::Flush() {
  if (values_.empty()) return absl::OkStatus();
  const int rows = static_cast<int>(values_.size()) / columns_;
  // Full batches reuse one cached statement; only the last batch of a
  // table is prepared with its own row count.
  const std::string sql = absl::StrCat("INSERT INTO ", target_, " VALUES ",
                                       db::Placeholders(rows, columns_));
  failed_ = pool_.InTransaction([&](db::Connection& conn) {
    sql::PreparedStatement& ps = conn.Prepare(sql);
    db::Binder binder(ps);
    for (const Value& v : values_) {
      if (const auto* i = std::get_if<int64_t>(&v)) {
        binder.Add(*i);
      } else if (const auto* s = std::get_if<std::string>(&v)) {
        binder.Add(*s);
      } else if (const auto* b = std::get_if<bool>(&v)) {
        binder.Add(*b);
      } else {
        binder.Add(db::Bytes{std::get<RawBytes>(v).data});
      }
    }
    ps.executeUpdate();
    return absl::OkStatus();
  });
  if (!failed_.ok()) return failed_;
  rows_written_ += rows;
  values_.clear();
  return absl::OkStatus();
}

}  // namespace unionhub::gen
