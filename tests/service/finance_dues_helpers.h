// Shared by the dues service tests: dues calls, the payroll stream, and the
// invariants every test checks on the raw tables (rollup equals a direct
// recomputation from dues_charges; every ledger entry balances).
#ifndef UNIONHUB_TESTS_SERVICE_FINANCE_DUES_HELPERS_H_
#define UNIONHUB_TESTS_SERVICE_FINANCE_DUES_HELPERS_H_

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/db/sql.h"
#include "tests/service/finance_helpers.h"

namespace unionhub::testing {

using FStub = fv1::FinanceService::Stub;

inline fv1::AssessDuesResponse Assess(FinanceServer& server, int64_t org_id,
                                      const std::string& month,
                                      const std::string& request_id = "") {
  fv1::AssessDuesRequest req;
  req.set_request_id(request_id.empty() ? NewRequestId() : request_id);
  req.set_org_id(org_id);
  req.set_month(month);
  return MustRpc(server.finance(), &FStub::AssessDues, req,
                 absl::StrCat("AssessDues ", org_id, " ", month));
}

inline fv1::RecordDuesPaymentRequest PaymentRequest(
    int64_t member_id, int64_t amount_fen, const std::string& month = "") {
  fv1::RecordDuesPaymentRequest req;
  req.set_request_id(NewRequestId());
  req.set_member_id(member_id);
  req.set_amount_fen(amount_fen);
  req.set_month(month);
  req.set_method(fv1::PAYMENT_METHOD_CASH);
  req.set_paid_on("2025-06-30");
  req.set_reference("收据 0001");
  return req;
}

inline fv1::RecordDuesPaymentResponse MustPay(FinanceServer& server,
                                              int64_t member_id,
                                              int64_t amount_fen,
                                              const std::string& month = "") {
  return MustRpc(server.finance(), &FStub::RecordDuesPayment,
                 PaymentRequest(member_id, amount_fen, month),
                 absl::StrCat("RecordDuesPayment ", member_id));
}

inline fv1::DuesPolicy Policy(int64_t scope_org_id, const std::string& from,
                              int64_t rate_bp, int64_t ignore_below = 1000) {
  fv1::DuesPolicy p;
  p.set_scope_org_id(scope_org_id);
  p.set_effective_from(from);
  p.set_rate_bp(rate_bp);
  p.set_ignore_below_fen(ignore_below);
  return p;
}

inline fv1::DuesPolicy MustSetPolicy(FinanceServer& server,
                                     const fv1::DuesPolicy& policy) {
  fv1::SetDuesPolicyRequest req;
  req.set_request_id(NewRequestId());
  *req.mutable_policy() = policy;
  return MustRpc(server.finance(), &FStub::SetDuesPolicy, req, "SetDuesPolicy")
      .policy();
}

// due_fen / paid_fen of one charge ("" when there is none).
inline std::string ChargeOf(FinanceServer& server, int64_t member_id,
                            const std::string& month) {
  return Sql(server,
             "SELECT CONCAT(due_fen, '/', paid_fen, '/', rate_bp) FROM "
             "dues_charges WHERE member_id = ? AND month = ?",
             member_id, month);
}

inline int64_t AccountBalance(FinanceServer& server,
                              const std::string& account) {
  return SqlInt(server,
                "SELECT COALESCE(SUM(amount_fen), 0) FROM ledger_postings "
                "WHERE account = ?",
                account);
}

inline std::string OrgAccount(const std::string& kind, int64_t org_id) {
  return absl::StrCat(kind, ":org/", org_id);
}

// The arrears summary the writers keep with their charges
// (dues_arrears_summary) counts each member's unsettled charges per org
// path exactly as dues_charges says: a write path that changed charges
// without it leaves a difference here. Zero rows count as absent.
inline void ExpectArrearsSummaryMatchesCharges(FinanceServer& server) {
  using Key = std::pair<int64_t, std::string>;
  std::map<Key, int64_t> summary, recomputed;
  absl::Status status = server.database().pool().Run([&](db::Connection& conn) {
    auto rs = db::Query(conn,
                        "SELECT member_id, org_path, open_months FROM "
                        "dues_arrears_summary WHERE open_months <> 0");
    while (rs->next()) {
      summary[{rs->getInt64(1), rs->getString(2)}] = rs->getInt64(3);
    }
    auto open = db::Query(conn,
                          "SELECT member_id, org_path, COUNT(*) FROM "
                          "dues_charges WHERE settled = FALSE GROUP BY "
                          "member_id, org_path");
    while (open->next()) {
      recomputed[{open->getInt64(1), open->getString(2)}] = open->getInt64(3);
    }
    // newest_month may be later than the newest unsettled charge, never
    // earlier (the reader skips the charges when it is a past month).
    auto behind = db::Query(
        conn,
        "SELECT COUNT(*) FROM dues_arrears_summary s JOIN (SELECT member_id, "
        "org_path, MAX(month) AS newest FROM dues_charges WHERE settled = "
        "FALSE GROUP BY member_id, org_path) o ON o.member_id = s.member_id "
        "AND o.org_path = s.org_path WHERE s.newest_month < o.newest");
    behind->next();
    EXPECT_EQ(behind->getInt64(1), 0);
    return absl::OkStatus();
  });
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(summary, recomputed);
}

// collection_rollup equals what dues_charges says, recomputed directly
// (and so does the arrears summary):
// every org on a charge's path (an org whose path is a prefix of the
// charge's org_path) gets the charge in its subtree columns, the charged
// org alone in its own_* columns. An org's month is the sum of its shard
// rows; all-zero sums count as absent.
inline void ExpectRollupMatchesCharges(FinanceServer& server) {
  using Key = std::pair<int64_t, std::string>;
  using Row = std::vector<int64_t>;
  std::map<Key, Row> rollup, recomputed;
  absl::Status status = server.database().pool().Run([&](db::Connection& conn) {
    auto rs = db::Query(
        conn,
        "SELECT org_id, month, SUM(due_fen), SUM(paid_fen), "
        "SUM(members_charged), SUM(members_paid), SUM(own_due_fen), "
        "SUM(own_paid_fen), SUM(own_members_charged), SUM(own_members_paid) "
        "FROM collection_rollup GROUP BY org_id, month");
    while (rs->next()) {
      Row row;
      bool any = false;
      for (int i = 3; i <= 10; ++i) {
        row.push_back(rs->getInt64(i));
        any = any || row.back() != 0;
      }
      if (any) rollup[{rs->getInt64(1), rs->getString(2)}] = row;
    }
    auto subtree = db::Query(
        conn,
        "SELECT o.org_id, c.month, SUM(c.due_fen), SUM(c.paid_fen), "
        "COUNT(*), SUM(c.settled) FROM dues_charges c JOIN roster_orgs o "
        "ON c.org_path LIKE CONCAT(o.path, '%') GROUP BY o.org_id, "
        "c.month");
    while (subtree->next()) {
      Row& row = recomputed[{subtree->getInt64(1), subtree->getString(2)}];
      row.resize(8, 0);
      for (int i = 0; i < 4; ++i) row[i] = subtree->getInt64(i + 3);
    }
    auto own = db::Query(
        conn,
        "SELECT org_id, month, SUM(due_fen), SUM(paid_fen), COUNT(*), "
        "SUM(settled) FROM dues_charges GROUP BY org_id, month");
    while (own->next()) {
      Row& row = recomputed[{own->getInt64(1), own->getString(2)}];
      row.resize(8, 0);
      for (int i = 0; i < 4; ++i) row[4 + i] = own->getInt64(i + 3);
    }
    return absl::OkStatus();
  });
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(rollup, recomputed);
  ExpectArrearsSummaryMatchesCharges(server);
}

inline fv1::PayrollRow RowById(const std::string& national_id,
                               const std::string& month, int64_t amount_fen) {
  fv1::PayrollRow row;
  row.set_national_id(national_id);
  row.set_month(month);
  row.set_amount_fen(amount_fen);
  row.set_name("王建国");
  return row;
}

inline fv1::PayrollRow RowByCard(const std::string& card,
                                 const std::string& month, int64_t amount_fen) {
  fv1::PayrollRow row;
  row.set_card_number(card);
  row.set_month(month);
  row.set_amount_fen(amount_fen);
  return row;
}

inline fv1::PayrollHeader Header(int64_t employer_id,
                                 const std::string& request_id = "") {
  fv1::PayrollHeader header;
  header.set_request_id(request_id.empty() ? NewRequestId() : request_id);
  header.set_employer_id(employer_id);
  header.set_paid_on("2025-06-30");
  header.set_reference("代扣 2025-06");
  return header;
}

// Streams a header (unless `send_header` is false) and the rows.
inline grpc::Status ImportDeductions(FStub& stub,
                                     const fv1::PayrollHeader& header,
                                     const std::vector<fv1::PayrollRow>& rows,
                                     fv1::ImportPayrollDeductionsResponse* out,
                                     bool send_header = true) {
  grpc::ClientContext context;
  context.set_deadline(Deadline(120));
  std::unique_ptr<grpc::ClientWriter<fv1::ImportPayrollDeductionsRequest>>
      writer = stub.ImportPayrollDeductions(&context, out);
  bool open = true;
  if (send_header) {
    fv1::ImportPayrollDeductionsRequest message;
    *message.mutable_header() = header;
    open = writer->Write(message);
  }
  // Rows may be coalesced into fewer transport writes, as a bulk client
  // would; WritesDone flushes them.
  grpc::WriteOptions buffered;
  buffered.set_buffer_hint();
  for (size_t i = 0; open && i < rows.size(); ++i) {
    fv1::ImportPayrollDeductionsRequest message;
    *message.mutable_row() = rows[i];
    open = writer->Write(message, buffered);
  }
  writer->WritesDone();
  return writer->Finish();
}

}  // namespace unionhub::testing

#endif  // UNIONHUB_TESTS_SERVICE_FINANCE_DUES_HELPERS_H_
