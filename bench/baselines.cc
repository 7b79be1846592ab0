// The raw baselines: the same statements the handlers' store calls run
// (membership's and finance's own store functions on a root connection to
// the same MariaDB, no gRPC, no gate), durable inserts into a scratch
// schema, and the bound lines of the payment and the payroll import
// (finance's own transaction and batch code, likewise on a root
// connection). Each caller uses its own connection (a pool of 16).
#include <algorithm>
#include <map>
#include <optional>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "bench/paths.h"
#include "bench/synthetic.h"
#include "common/core/dates.h"
#include "common/db/sql.h"
#include "common/rpc/batched_import.h"
#include "common/rpc/call_audit.h"
#include "common/rpc/idempotent.h"
#include "services/finance/dues_payments.h"
#include "services/finance/payroll_batch.h"
#include "services/finance/store/paths.h"
#include "services/finance/store/report_store.h"
#include "services/membership/store/store.h"

namespace unionhub::bench {

namespace mstore = ::unionhub::membership::store;
namespace fstore = ::unionhub::finance::store;
using db::Connection;

namespace {

// Runs `fn` on a connection of `pool` in autocommit mode and counts 1.
template <typename Fn>
absl::StatusOr<int64_t> Once(db::Pool& pool, Fn fn) {
  absl::Status s = pool.Run([&](Connection& conn) { return fn(conn); });
  if (!s.ok()) return s;
  return 1;
}

}  // namespace

absl::Status PrepareRaw(Env& env) {
  absl::Status s = env.raw_db->Run([](Connection& conn) {
    db::Execute(conn,
                "CREATE TABLE IF NOT EXISTS durable_insert ("
                "id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, "
                "k BIGINT NOT NULL, note VARCHAR(64) NOT NULL, "
                "amount_fen BIGINT NOT NULL, "
                "created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)"
                ") ENGINE=InnoDB");
    db::Execute(conn,
                "CREATE TABLE IF NOT EXISTS bulk_insert ("
                "id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, "
                "member_id BIGINT NOT NULL, month CHAR(7) NOT NULL, "
                "amount_fen BIGINT NOT NULL, idx BINARY(32) NOT NULL, "
                "KEY bulk_member (member_id, month)) ENGINE=InnoDB");
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return env.finance_db->Run([&](Connection& conn) {
    auto rs =
        db::Query(conn, "SELECT path, name FROM roster_orgs WHERE org_id = ?",
                  env.facts.province);
    if (!rs->next()) return absl::NotFoundError("no province in the roster");
    env.province_path = db::GetString(*rs, "path");
    env.province_name = db::GetString(*rs, "name");
    return absl::OkStatus();
  });
}

absl::Status LoadOpenCharges(Env& env, int64_t limit) {
  std::vector<OpenCharge> open;
  absl::Status s = env.finance_db->Run([&](Connection& conn) {
    auto rs = db::Query(conn,
                        "SELECT member_id, month, due_fen - paid_fen AS r "
                        "FROM dues_charges WHERE settled = 0 LIMIT ?",
                        limit);
    while (rs->next()) {
      open.push_back({db::GetInt64(*rs, "member_id"),
                      db::GetString(*rs, "month"), db::GetInt64(*rs, "r")});
    }
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  // Members in random order, each member's months together and in order
  // (a payroll file lists a member's months side by side).
  std::map<int64_t, std::vector<OpenCharge>> by_member;
  for (OpenCharge& c : open) by_member[c.member_id].push_back(std::move(c));
  std::vector<std::vector<OpenCharge>*> members;
  for (auto& [id, charges] : by_member) members.push_back(&charges);
  std::mt19937_64 rng(42);
  std::shuffle(members.begin(), members.end(), rng);
  env.open.clear();
  for (auto* charges : members) {
    std::sort(charges->begin(), charges->end(),
              [](const OpenCharge& a, const OpenCharge& b) {
                return a.month < b.month;
              });
    for (OpenCharge& c : *charges) env.open.push_back(std::move(c));
  }
  env.next_open = 0;
  return absl::OkStatus();
}

absl::StatusOr<int64_t> AssessForImports(Env& env,
                                         const std::vector<std::string>& months,
                                         int64_t rows) {
  // Pairs go county by county, then month by month (AssessDuesCall): the
  // charges made are in the first pair's month and later ones.
  const int64_t first_pair = env.next_assessment.load();
  if (env.facts.counties < 1 ||
      first_pair / env.facts.counties >= static_cast<int64_t>(months.size())) {
    return 0;
  }
  const std::string first_month = months[first_pair / env.facts.counties];
  const CallFn assess = AssessDuesCall(env, months);
  int64_t charged = 0;
  // When the months run out (a small roster, or early in the year), the
  // rows beyond these charges name paid months and go to suspense.
  while (charged < rows) {
    absl::StatusOr<int64_t> made = assess(0);
    if (absl::IsResourceExhausted(made.status())) break;
    if (!made.ok()) return made.status();
    charged += *made;
  }
  std::map<std::string, std::vector<OpenCharge>> by_month;
  absl::Status s = env.finance_db->Run([&](Connection& conn) {
    auto rs = db::Query(conn,
                        "SELECT member_id, month, due_fen - paid_fen AS r "
                        "FROM dues_charges WHERE month >= ? AND settled = 0",
                        first_month);
    while (rs->next()) {
      const std::string month = db::GetString(*rs, "month");
      by_month[month].push_back(
          {db::GetInt64(*rs, "member_id"), month, db::GetInt64(*rs, "r")});
    }
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  std::mt19937_64 rng(7);
  env.import_open.clear();
  for (auto& [month, charges] : by_month) {
    std::shuffle(charges.begin(), charges.end(), rng);
    for (OpenCharge& c : charges) env.import_open.push_back(std::move(c));
  }
  env.next_import_open = 0;
  return charged;
}

CallFn RawGetMember(Env& env) {
  return [&env](int) {
    return Once(*env.membership_db, [&](Connection& conn) {
      return mstore::GetMember(conn, Uniform(1, env.facts.members)).status();
    });
  };
}

CallFn RawLookupMember(Env& env) {
  return [&env](int) {
    return Once(*env.membership_db, [&](Connection& conn) {
      return mstore::FindMemberByNationalId(
                 conn, NationalIdFor(Uniform(1, env.facts.members)))
          .status();
    });
  };
}

CallFn RawListMembers(Env& env) {
  return [&env](int) {
    return Once(*env.membership_db, [&](Connection& conn) {
      const int64_t org =
          env.facts.first_township + Uniform(0, env.facts.townships() - 1);
      auto rs = db::Query(conn, "SELECT path FROM orgs WHERE id = ?", org);
      if (!rs->next()) return absl::NotFoundError("township");
      mstore::MemberFilter filter;
      filter.subtree_path = db::GetString(*rs, "path");
      if (mstore::ListMembers(conn, filter, 0, 101).empty()) {
        return absl::InternalError("empty page");
      }
      return absl::OkStatus();
    });
  };
}

CallFn RawDurableInsert(Env& env) {
  // Autocommit: one statement, one commit, one redo log flush (shared by
  // concurrent commits through group commit), as durable as the services.
  return [&env](int c) {
    return Once(*env.raw_db, [&](Connection& conn) {
      db::Execute(conn,
                  "INSERT INTO durable_insert (k, note, amount_fen) "
                  "VALUES (?, ?, ?)",
                  static_cast<int64_t>(c), std::string("bench payment"),
                  Uniform(500, 5000));
      return absl::OkStatus();
    });
  };
}

CallFn RawBulkInsert(Env& env, int rows) {
  return [&env, rows](int) -> absl::StatusOr<int64_t> {
    absl::Status s = env.raw_db->InTransaction([&](Connection& conn) {
      sql::PreparedStatement& ps = conn.Prepare(absl::StrCat(
          "INSERT INTO bulk_insert (member_id, month, amount_fen, idx) "
          "VALUES ",
          db::Placeholders(rows, 4)));
      db::Binder b(ps);
      const std::string idx(32, 'x');
      for (int r = 0; r < rows; ++r) {
        b.Add(Uniform(1, env.facts.members))
            .Add(std::string("2025-01"))
            .Add(int64_t{800})
            .Add(db::Bytes{idx});
      }
      ps.executeUpdate();
      return absl::OkStatus();
    });
    if (!s.ok()) return s;
    return rows;
  };
}

CallFn RawCollectionReport(Env& env) {
  return [&env](int) {
    return Once(*env.finance_db, [&](Connection& conn) {
      fstore::CollectionRows rows = fstore::LoadCollectionRows(
          conn, env.facts.province, env.province_name, "2025-01", "2025-12");
      if (rows.by_month.empty()) return absl::InternalError("empty report");
      return absl::OkStatus();
    });
  };
}

CallFn RawArrearsPage(Env& env) {
  // What ListArrears reads for one page of 100 at the root: the candidates,
  // then their charges and names.
  return [&env](int) {
    return Once(*env.finance_db, [&](Connection& conn) {
      const std::string pattern = fstore::SubtreePattern(env.province_path);
      const std::string before = dates::FormatMonth(absl::CivilMonth(
          absl::ToCivilDay(absl::Now(), absl::LocalTimeZone())));
      std::vector<int64_t> ids =
          fstore::MembersWithOpenCharges(conn, pattern, before, 0, 1, 101);
      fstore::SubtreeCharges(conn, ids, pattern, before);
      fstore::MemberNames(conn, ids);
      return absl::OkStatus();
    });
  };
}

CallFn RawRecordDuesPayment(Env& env) {
  return [&env](int) -> absl::StatusOr<int64_t> {
    namespace fv1 = ::unionhub::finance::v1;
    const fv1::RecordDuesPaymentRequest req =
        NextPaymentRequest(env, "bench-raw-pay");
    std::optional<absl::CivilMonth> month;
    if (!req.month().empty()) {
      absl::StatusOr<absl::CivilMonth> parsed = dates::ParseMonth(req.month());
      if (!parsed.ok()) return parsed.status();
      month = *parsed;
    }
    const absl::CivilDay today = dates::TodayInChina();  // finance's clock
    // The row the gate composes for an allowed call, so the transaction
    // writes it as the service's does.
    rpc::AuditRow row;
    row.recorded_at = absl::Now();
    row.actor = "bench";
    row.roles = "admin";
    row.method = "/unionhub.finance.v1.FinanceService/RecordDuesPayment";
    row.target = absl::StrCat("member_id=", req.member_id());
    row.request_id = req.request_id();
    row.result = "OK";
    rpc::CallAudit audit(std::move(row));
    fv1::RecordDuesPaymentResponse resp;
    absl::Status s = rpc::RunIdempotent<fv1::RecordDuesPaymentResponse>(
        *env.finance_db, "RecordDuesPayment", req.request_id(), req, &resp,
        [&](Connection& conn, fv1::RecordDuesPaymentResponse* out) {
          return finance::RecordDuesPaymentInTransaction(conn, req, month,
                                                         today, out);
        });
    if (!s.ok()) return s;
    return 1;
  };
}

CallFn RawImportPayroll(Env& env, int rows) {
  return [&env, rows](int) -> absl::StatusOr<int64_t> {
    namespace fv1 = ::unionhub::finance::v1;
    const absl::CivilDay today = dates::TodayInChina();  // finance's clock
    finance::PayrollTarget target;
    target.header = NextPayrollHeader(env, "bench-raw-import");
    target.org_id = env.facts.province;
    target.org_path = env.province_path;
    target.paid_on = dates::FormatDate(today);
    std::vector<fv1::PayrollRow> file = NextPayrollRows(env, rows);
    int batch_index = 0;
    for (size_t first = 0; first < file.size();
         first += finance::kPayrollBatchRows, ++batch_index) {
      const size_t last =
          std::min(file.size(), first + finance::kPayrollBatchRows);
      std::vector<finance::PendingPayrollRow> batch;
      batch.reserve(last - first);
      rpc::ImportBatchDigest digest;
      for (size_t r = first; r < last; ++r) {
        // Numbered from 1 over the whole file, as the stream numbers them.
        const int row_number = static_cast<int>(r) + 1;
        batch.push_back(finance::ExaminePayrollRow(row_number, file[r], today));
        digest.Add(row_number, file[r]);
      }
      absl::StatusOr<rpc::ImportBatchSlots::Slot> slot =
          env.raw_import_slots->Acquire([] { return false; });
      if (!slot.ok()) return slot.status();
      fv1::ImportPayrollDeductionsResponse out;
      absl::Status s = rpc::RunImportBatch<fv1::ImportPayrollDeductionsRequest>(
          *env.finance_db, "ImportPayrollDeductions", target.header, digest,
          batch_index, &out,
          [&](Connection& conn,
              fv1::ImportPayrollDeductionsResponse* response) {
            return finance::ApplyPayrollBatch(conn, target, batch, response);
          });
      if (!s.ok()) return s;
      env.raw_rows_applied += out.rows_applied();
      env.raw_rows_suspended += out.rows_suspended();
    }
    return rows;
  };
}

}  // namespace unionhub::bench
