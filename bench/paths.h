// The hot paths as calls for the harness: each gRPC path over TLS with a
// bearer token (like unionctl), and each raw baseline on the same MariaDB
// (the statements the handler's store call runs, or a durable insert) or
// the same TLS port (the standard health check).
#ifndef UNIONHUB_BENCH_PATHS_H_
#define UNIONHUB_BENCH_PATHS_H_

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "bench/harness.h"
#include "common/db/pool.h"
#include "common/rpc/batched_import.h"
#include "unionhub/finance/v1/finance.pb.h"

namespace unionhub::bench {

// The loaded data set, as unionhub-bench-load printed it.
struct Facts {
  int64_t province = 0, first_city = 0, first_county = 0, counties = 0,
          first_township = 0, first_union = 0, unions = 0, members = 0;
  int64_t townships() const { return first_union - first_township; }
};

// A charge not settled yet, and what is left to pay on it.
struct OpenCharge {
  int64_t member_id = 0;
  std::string month;
  int64_t remaining_fen = 0;
};

struct Env {
  Facts facts;
  // One token per caller (subjects bench-0, bench-1, ...): separate
  // clients, as far as per-caller limits go. "Bearer " is added per call.
  std::vector<std::string> tokens;
  std::string run_id;  // makes request ids unique across runs
  // One channel (own TLS connection) per caller, per service.
  std::vector<std::shared_ptr<grpc::Channel>> membership, finance;
  // To unionhub-bench-bare, when bench/run started it (else empty).
  std::vector<std::shared_ptr<grpc::Channel>> bare;
  // Root connections to the same server (one per caller), per schema.
  std::unique_ptr<db::Pool> membership_db, finance_db, raw_db;
  std::string province_path, province_name;
  // The next (county, month) pair AssessDues may charge.
  std::atomic<int64_t> next_assessment{0};
  // The next member an import starts at when no open charge is left.
  std::atomic<int64_t> next_import_member{1};
  // Open charges (shuffled by member), taken in turn by payments and
  // imports so they settle real charges (with allocations and rollups), as
  // a payment or a payroll file usually does; when they run out, payments
  // go to the member's credit and import rows for paid months to suspense.
  std::vector<OpenCharge> open;
  std::atomic<int64_t> next_open{0};
  std::atomic<int64_t> rows_applied{0}, rows_suspended{0};
  // The same, of the import's raw baseline (RawImportPayroll).
  std::atomic<int64_t> raw_rows_applied{0}, raw_rows_suspended{0};
  // Bounds the raw import's batches in flight as finance bounds its own
  // (one per database connection over all files).
  std::unique_ptr<rpc::ImportBatchSlots> raw_import_slots;
  // Charges of months assessed for the imports (AssessForImports), a
  // month's members in random order, then the next month's: each file
  // takes the next slice, one row per member, as a month's payroll file
  // names each member once. Concurrent files name other members while
  // their slices lie in one month; a cell that needs more rows than there
  // are members (16 files of 10,000 rows at 100,000 members) also has
  // files of the next month, naming some of the same members.
  std::vector<OpenCharge> import_open;
  std::atomic<int64_t> next_import_open{0};
};

// The facts line unionhub-bench-load printed ("province=1 ... members=N");
// false when a required fact is missing.
bool ParseFacts(const std::string& line, Facts& f);
// A whole file's text ("" when unreadable).
std::string ReadFile(const std::string& path);
// One admin token per caller, subjects PREFIX-0, PREFIX-1, ..., valid for
// `lifetime`, minted with the development signing key (PEM text).
absl::Status MintCallerTokens(Env& env, const std::string& signing_key,
                              const std::string& prefix, int callers,
                              absl::Duration lifetime);

// gRPC paths.
CallFn GetMemberCall(Env& env);
// GetMember on `channels`' server (membership's, or the bare one's).
CallFn GetMemberOn(Env& env,
                   const std::vector<std::shared_ptr<grpc::Channel>>& channels);
CallFn LookupMemberCall(Env& env);
CallFn ListMembersCall(Env& env);
CallFn JoinMemberCall(Env& env);
CallFn RecordDuesPaymentCall(Env& env);
// The next payment the benchmark makes (the next open charge, paid in
// full, or a random member's credit once none is left), with a new
// request_id starting with `prefix`.
unionhub::finance::v1::RecordDuesPaymentRequest NextPaymentRequest(
    Env& env, absl::string_view prefix);
CallFn ImportPayrollCall(Env& env, int rows);
// The next payroll file the benchmark sends: its header (a new request_id
// starting with `prefix`, the province's org) and `rows` rows, one per
// member, each settling the next charge assessed for the imports.
unionhub::finance::v1::PayrollHeader NextPayrollHeader(
    Env& env, absl::string_view prefix);
std::vector<unionhub::finance::v1::PayrollRow> NextPayrollRows(Env& env,
                                                               int rows);
// Months the assessments may charge (the months after the loaded ones, not
// after the current month): calls beyond counties x months fail.
CallFn AssessDuesCall(Env& env, std::vector<std::string> months);
CallFn CollectionReportCall(Env& env);
CallFn ListArrearsCall(Env& env);
CallFn HealthCall(const std::vector<std::shared_ptr<grpc::Channel>>& channels);

// Raw baselines (baselines.cc). PrepareRaw creates the scratch schema.
absl::Status PrepareRaw(Env& env);
// Reads up to `limit` open charges into env.open.
absl::Status LoadOpenCharges(Env& env, int64_t limit);
// Makes at least `rows` new charges with the next (county, month) pairs
// AssessDuesCall would take (fewer when no pair is left) and reads them into
// env.import_open; the number of charges made.
absl::StatusOr<int64_t> AssessForImports(Env& env,
                                         const std::vector<std::string>& months,
                                         int64_t rows);
CallFn RawGetMember(Env& env);
CallFn RawLookupMember(Env& env);
CallFn RawListMembers(Env& env);
CallFn RawDurableInsert(Env& env);
// One multi-row INSERT of `rows` rows, one transaction, as units.
CallFn RawBulkInsert(Env& env, int rows);
CallFn RawCollectionReport(Env& env);
CallFn RawArrearsPage(Env& env);
// RecordDuesPayment's transaction (finance's own
// RecordDuesPaymentInTransaction under rpc::RunIdempotent, with the audit
// row the gate would add) on a root connection: the same statements and
// commit, without gRPC, TLS, the gate or the service's threads.
CallFn RawRecordDuesPayment(Env& env);
// One payroll file of `rows` rows as the import handler writes it (finance's
// ExaminePayrollRow, then ApplyPayrollBatch per batch under
// rpc::RunImportBatch) on a root connection, batch after batch, without
// the stream, gRPC or the service; rows as units.
CallFn RawImportPayroll(Env& env, int rows);

// A uniformly random integer in [lo, hi] from the calling thread's engine.
int64_t Uniform(int64_t lo, int64_t hi);

}  // namespace unionhub::bench

#endif  // UNIONHUB_BENCH_PATHS_H_
