// One batch of an employer's payroll deduction file, decided and written
// in one transaction: which member and charge each row names, and what is
// paid, parked in suspense and posted to the ledger. The import handler
// (payroll_import_handler.cc) reads the stream and runs each batch under
// rpc::RunImportBatch; the benchmark runs the same batches on a bare
// connection as the import's raw baseline.
#ifndef UNIONHUB_SERVICES_FINANCE_PAYROLL_BATCH_H_
#define UNIONHUB_SERVICES_FINANCE_PAYROLL_BATCH_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "common/db/pool.h"
#include "unionhub/finance/v1/finance.pb.h"

namespace unionhub::finance {

// Per batch there is a fixed cost (the idempotency key, the ledger entries
// with one posting per org touched, the rollup rows); on a county-wide file
// (tests/service/finance_dues_perf_test.cc, client, service and database on
// this 2-core machine) 4000 rows per batch measured about 25,000 rows/s
// where 2000 gave about 21,000.
constexpr size_t kPayrollBatchRows = 4000;

// The file's header and what it resolved to: the org the file pays for.
struct PayrollTarget {
  v1::PayrollHeader header;
  int64_t org_id = 0;
  std::string org_path;
  std::string paid_on;
};

// A row as read from the stream, checked before the database is asked.
struct PendingPayrollRow {
  int row_number = 0;
  v1::PayrollRow row;
  std::vector<std::string> problems;  // found before the database is asked
  std::string index;                  // keyed hash of a valid national ID
  std::string masked;
  std::string card;
  std::optional<absl::CivilMonth> month;
};

// Checks row `row_number` of a file and hashes its national ID as
// membership does; problems found here park the row in suspense.
PendingPayrollRow ExaminePayrollRow(int row_number, const v1::PayrollRow& in,
                                    absl::CivilDay today);

// Decides and writes every row of one batch, inside the caller's
// transaction, and appends a result per row to `out`.
absl::Status ApplyPayrollBatch(db::Connection& conn,
                               const PayrollTarget& target,
                               const std::vector<PendingPayrollRow>& rows,
                               v1::ImportPayrollDeductionsResponse* out);

}  // namespace unionhub::finance

#endif  // UNIONHUB_SERVICES_FINANCE_PAYROLL_BATCH_H_
