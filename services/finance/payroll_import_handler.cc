// ImportPayrollDeductions: an employer's payroll deduction file (代扣) as a
// client stream, a header then rows, read and committed in batches of
// kPayrollBatchRows (payroll_batch.h) by the common import helper
// (common/rpc/batched_import.h), as ImportMembers is: a stream cut off half-way
// and sent again with the same request_id re-applies nothing, and the response
// is recomposed from the stored results of committed batches.
//
// A row is applied when it names exactly one member (by national ID, else
// card number) and a month for which that member has an open charge made in
// the header org's subtree (a late file for a month before a transfer pays
// the old union's charge): it pays that month first, any excess the
// oldest open months, the rest becomes credit. Every other row is parked in
// dues_suspense with its reason (never dropped), keeping only the masked
// national ID and its keyed hash. Rows with an amount <= 0 or above
// kMaxDuesPaymentFen are parked too but carry no money: they are left out
// of the ledger and of suspended_fen, so applied_fen + suspended_fen is the
// cash received. Text from the file (name, card, month) is kept only when
// it passes the common text rule; otherwise the row is parked and the
// offending text is not stored.
#include <future>
#include <memory>
#include <optional>

#include "absl/strings/str_cat.h"
#include "common/core/dates.h"
#include "common/core/field_checks.h"
#include "common/core/text.h"
#include "common/rpc/batched_import.h"
#include "common/rpc/violations.h"
#include "services/finance/dues_payments.h"
#include "services/finance/finance_service.h"
#include "services/finance/payroll_batch.h"
#include "services/finance/store/dues_store.h"
#include "services/finance/store/paths.h"

namespace unionhub::finance {
namespace {

using db::Connection;

constexpr text::TextRule kReferenceRule{.min_chars = 0, .max_chars = 128};

}  // namespace

absl::Status FinanceServiceImpl::DoImportPayrollDeductions(
    const rpc::Caller& caller, grpc::ServerContext& context,
    grpc::ServerReader<v1::ImportPayrollDeductionsRequest>& reader,
    v1::ImportPayrollDeductionsResponse* resp, std::string* request_id) {
  v1::ImportPayrollDeductionsRequest message;
  if (absl::Status first = rpc::ReadImportHeader(reader, &message);
      !first.ok()) {
    return first;
  }
  PayrollTarget target;
  target.header = message.header();
  const v1::PayrollHeader& header = target.header;
  Violations violations;
  rpc::CheckRequestId(header.request_id(), violations, "header.request_id");
  fields::CheckId(header.employer_id(), "header.employer_id", violations);
  fields::CheckOptionalId(header.org_id(), "header.org_id", violations);
  target.paid_on = dates::FormatDate(PaidOnOrToday(
      header.paid_on(), "header.paid_on", clock_.Today(), violations));
  text::Check(header.reference(), "header.reference", kReferenceRule,
              violations);
  if (!violations.empty()) return violations.ToStatus();
  *request_id = header.request_id();

  absl::Status resolved = pool_.Run([&](Connection& conn) -> absl::Status {
    absl::StatusOr<store::RosterEmployer> employer =
        store::GetRosterEmployer(conn, header.employer_id());
    if (!employer.ok()) return employer.status();
    target.org_id = header.org_id() != 0          ? header.org_id()
                    : employer->union_org_id != 0 ? employer->union_org_id
                                                  : employer->area_org_id;
    if (target.org_id == 0) {
      return absl::FailedPreconditionError(
          absl::StrCat("employer ", header.employer_id(),
                       " has neither a union nor an area org; name the org "
                       "in header.org_id"));
    }
    absl::StatusOr<std::string> path = store::OrgPath(conn, target.org_id);
    if (!path.ok()) return path.status();
    target.org_path = *path;
    return absl::OkStatus();
  });
  if (!resolved.ok()) return resolved;
  if (absl::Status allowed = gate_.CheckOrg(caller, target.org_id);
      !allowed.ok()) {
    return allowed;
  }

  const absl::CivilDay today = clock_.Today();

  // The batch being written, on its own thread and connection, while the
  // next one is read from the stream. Writing two batches of one file at
  // once measured slower: they queue on the gap where their idempotency
  // keys go and on the shared rollup rows, and retry deadlocks.
  struct Writing {
    std::future<absl::Status> done;
    std::unique_ptr<v1::ImportPayrollDeductionsResponse> response;
  };
  std::optional<Writing> writing;  // destroyed (waited for) before `target`
  auto finish_writing = [&]() -> absl::Status {
    if (!writing.has_value()) return absl::OkStatus();
    Writing written = std::move(*writing);
    writing.reset();
    absl::Status status = written.done.get();
    if (!status.ok()) return status;
    const v1::ImportPayrollDeductionsResponse& r = *written.response;
    resp->set_rows_applied(resp->rows_applied() + r.rows_applied());
    resp->set_rows_suspended(resp->rows_suspended() + r.rows_suspended());
    resp->set_applied_fen(resp->applied_fen() + r.applied_fen());
    resp->set_suspended_fen(resp->suspended_fen() + r.suspended_fen());
    for (const v1::PayrollRowResult& result : r.results()) {
      *resp->add_results() = result;
    }
    return absl::OkStatus();
  };

  auto flush = [&](std::vector<PendingPayrollRow> batch, int batch_index,
                   rpc::ImportBatchSlots::Slot slot) -> absl::Status {
    if (absl::Status status = finish_writing(); !status.ok()) return status;
    rpc::ImportBatchDigest digest;
    for (const PendingPayrollRow& row : batch)
      digest.Add(row.row_number, row.row);
    Writing next;
    next.response = std::make_unique<v1::ImportPayrollDeductionsResponse>();
    next.done = std::async(
        std::launch::async,
        [this, &target, batch_index, digest = std::move(digest),
         rows = std::move(batch), slot = std::move(slot),
         out = next.response.get()]() mutable {
          // The slot and the rows are given back when written, not when the
          // future is collected: that happens only at the next batch, which
          // may be waiting for this slot.
          const rpc::ImportBatchSlots::Slot held = std::move(slot);
          absl::Status written =
              rpc::RunImportBatch<v1::ImportPayrollDeductionsRequest>(
                  pool_, "ImportPayrollDeductions", target.header, digest,
                  batch_index, out,
                  [&](Connection& conn,
                      v1::ImportPayrollDeductionsResponse* response) {
                    return ApplyPayrollBatch(conn, target, rows, response);
                  });
          rows = std::vector<PendingPayrollRow>();
          return written;
        });
    writing = std::move(next);
    return absl::OkStatus();
  };

  auto examine = [&](const v1::ImportPayrollDeductionsRequest& message,
                     int64_t arrival) -> absl::StatusOr<PendingPayrollRow> {
    if (!message.has_row()) {
      Violations v;
      v.Add("row", absl::StrCat("message ", arrival + 1,
                                ": only the first message may be a header"));
      return v.ToStatus();
    }
    absl::StatusOr<PendingPayrollRow> row =
        ExaminePayrollRow(static_cast<int>(arrival), message.row(), today);
    if (!row.ok()) payroll_rows_.Add(0, 1, 0);  // it refuses the file
    return row;
  };

  int64_t received = 0;
  absl::Status status = rpc::ReadImportRows<v1::ImportPayrollDeductionsRequest,
                                            PendingPayrollRow>(
      context, reader, kPayrollBatchRows, import_batches_, examine, flush,
      &received);
  if (status.ok()) status = finish_writing();
  if (!status.ok()) return status;
  resp->set_rows_received(received);
  payroll_rows_.Add(resp->rows_applied(), 0, resp->rows_suspended());
  return absl::OkStatus();
}

}  // namespace unionhub::finance
