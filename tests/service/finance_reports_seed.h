// Seeds the tables the auditors' reports read, directly in SQL, the way
// the writers (dues, funds, spending) keep them: each raw row (a charge, a
// collection, an expense) together with its subtree rollup rows for every
// org on the record's path, upserted with col = col + VALUES(col). The
// report tests then compare each report with a recomputation from the raw
// rows only, so a report that read the wrong rollup rows, or a rollup that
// missed a level, shows up as a difference.
#ifndef UNIONHUB_TESTS_SERVICE_FINANCE_REPORTS_SEED_H_
#define UNIONHUB_TESTS_SERVICE_FINANCE_REPORTS_SEED_H_

#include <cppconn/resultset_metadata.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/db/sql.h"
#include "services/finance/store/paths.h"
#include "tests/support/finance_fixture.h"

namespace unionhub::testing {

class ReportSeeder {
 public:
  explicit ReportSeeder(FinanceServer& server) : server_(server) {}

  db::Pool& pool() { return server_.database().pool(); }

  std::string PathOf(int64_t org_id) {
    return server_.database().QueryValue(
        "SELECT path FROM roster_orgs WHERE org_id = ?", org_id);
  }

  // A member as the roster consumer would keep them (no national ID: the
  // index is a placeholder, reports never read it).
  void Member(int64_t member_id, const std::string& name, int64_t org_id) {
    Exec(
        "INSERT INTO roster_members (member_id, name, national_id_index, "
        "card_number, org_id, status, wage_base_fen) VALUES (?, ?, "
        "UNHEX(SHA2(?, 256)), ?, ?, 1, 600000)",
        member_id, name, absl::StrCat(member_id), absl::StrCat("C", member_id),
        org_id);
  }

  void Employer(int64_t employer_id, const std::string& name,
                int64_t union_org_id, int64_t area_org_id) {
    Exec(
        "INSERT INTO roster_employers (employer_id, name, credit_code, "
        "union_org_id, area_org_id, union_established, headcount, "
        "above_designated_size) VALUES (?, ?, ?, ?, ?, ?, 100, FALSE)",
        employer_id, name, absl::StrCat("91", employer_id), union_org_id,
        area_org_id, union_org_id != 0);
  }

  // A charge with its collection rollup rows.
  void Charge(int64_t member_id, const std::string& month, int64_t org_id,
              int64_t due, int64_t paid) {
    const std::string path = PathOf(org_id);
    const bool settled = paid >= due;
    Exec(
        "INSERT INTO dues_charges (member_id, month, org_id, org_path, "
        "wage_base_fen, rate_bp, due_fen, paid_fen, settled, "
        "assessment_id) VALUES (?, ?, ?, ?, ?, 50, ?, ?, ?, 0)",
        member_id, month, org_id, path, due * 200, due, paid, settled);
    // The arrears summary the service keeps with its charges
    // (store/arrears_store.h).
    Exec(
        "INSERT INTO dues_arrears_summary (member_id, org_path, open_months, "
        "newest_month) VALUES (?, ?, ?, ?) ON DUPLICATE KEY UPDATE "
        "open_months = open_months + VALUES(open_months), newest_month = "
        "GREATEST(newest_month, VALUES(newest_month))",
        member_id, path, settled ? 0 : 1, month);
    for (int64_t id : finance::store::PathIds(path)) {
      const bool own = id == org_id;
      Exec(
          "INSERT INTO collection_rollup (org_id, month, due_fen, paid_fen, "
          "members_charged, members_paid, own_due_fen, own_paid_fen, "
          "own_members_charged, own_members_paid) VALUES "
          "(?, ?, ?, ?, 1, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE "
          "due_fen = due_fen + VALUES(due_fen), paid_fen = paid_fen + "
          "VALUES(paid_fen), members_charged = members_charged + "
          "VALUES(members_charged), members_paid = members_paid + "
          "VALUES(members_paid), own_due_fen = own_due_fen + "
          "VALUES(own_due_fen), own_paid_fen = own_paid_fen + "
          "VALUES(own_paid_fen), own_members_charged = own_members_charged "
          "+ VALUES(own_members_charged), own_members_paid = "
          "own_members_paid + VALUES(own_members_paid)",
          id, month, due, paid, settled ? 1 : 0, own ? due : 0, own ? paid : 0,
          own ? 1 : 0, own && settled ? 1 : 0);
    }
  }

  struct Funds {
    int64_t declared = 0, appropriation = 0, collected = 0, returned = 0,
            upward = 0, held = 0, prep_returned = 0;
  };

  // Adds `f` to the employer's month row and to the subtree rollup of
  // every org on `org_id`'s path; `levels` to the upward rollup.
  void AddFunds(int64_t employer_id, const std::string& month, int64_t org_id,
                const Funds& f,
                const std::vector<std::pair<std::string, int64_t>>& levels) {
    const std::string path = PathOf(org_id);
    const char* sums =
        " ON DUPLICATE KEY UPDATE declared_payroll_fen = "
        "declared_payroll_fen + VALUES(declared_payroll_fen), "
        "appropriation_fen = appropriation_fen + VALUES(appropriation_fen), "
        "collected_fen = collected_fen + VALUES(collected_fen), returned_fen "
        "= returned_fen + VALUES(returned_fen), upward_fen = upward_fen + "
        "VALUES(upward_fen), preparation_held_fen = preparation_held_fen + "
        "VALUES(preparation_held_fen), preparation_returned_fen = "
        "preparation_returned_fen + VALUES(preparation_returned_fen)";
    Exec(absl::StrCat("INSERT INTO funds_employer_month (employer_id, month, "
                      "org_id, org_path, declared_payroll_fen, "
                      "appropriation_fen, collected_fen, returned_fen, "
                      "upward_fen, preparation_held_fen, "
                      "preparation_returned_fen) VALUES "
                      "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      sums),
         employer_id, month, org_id, path, f.declared, f.appropriation,
         f.collected, f.returned, f.upward, f.held, f.prep_returned);
    for (int64_t id : finance::store::PathIds(path)) {
      Exec(absl::StrCat("INSERT INTO funds_rollup (org_id, month, "
                        "declared_payroll_fen, appropriation_fen, "
                        "collected_fen, returned_fen, upward_fen, "
                        "preparation_held_fen, preparation_returned_fen) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        sums),
           id, month, f.declared, f.appropriation, f.collected, f.returned,
           f.upward, f.held, f.prep_returned);
      for (const auto& [level, amount] : levels) {
        Exec(
            "INSERT INTO funds_upward_rollup (org_id, month, level, "
            "amount_fen) VALUES (?, ?, ?, ?) ON DUPLICATE KEY UPDATE "
            "amount_fen = amount_fen + VALUES(amount_fen)",
            id, month, level, amount);
      }
    }
  }

  // A declaration (2 % of the payroll) and its rollups; returns its id.
  int64_t Declare(int64_t employer_id, const std::string& month, int64_t org_id,
                  int64_t payroll, bool preparation) {
    const int64_t appropriation = (payroll * 2 + 50) / 100;
    int64_t id = 0;
    Run([&](db::Connection& conn) {
      db::Execute(conn,
                  "INSERT INTO payroll_declarations (employer_id, month, "
                  "total_payroll_fen, appropriation_fen, fund, org_id, "
                  "org_path, entry_id) VALUES (?, ?, ?, ?, ?, ?, ?, 0)",
                  employer_id, month, payroll, appropriation,
                  preparation ? 2 : 1, org_id, PathOfOn(conn, org_id));
      id = db::LastInsertId(conn);
    });
    Funds f;
    f.declared = payroll;
    f.appropriation = appropriation;
    AddFunds(employer_id, month, org_id, f, {});
    return id;
  }

  static std::string UpwardJson(
      const std::vector<std::pair<std::string, int64_t>>& levels) {
    std::vector<std::string> parts;
    for (const auto& [level, amount] : levels) {
      parts.push_back(absl::StrCat("[\"", level, "\",", amount, "]"));
    }
    return absl::StrCat("[", absl::StrJoin(parts, ","), "]");
  }

  // Union funds: 60 % returned, the 40 % upward split by `levels`.
  // Preparation fund: held whole (levels empty). Returns the id.
  int64_t Collect(int64_t declaration_id, int64_t employer_id,
                  const std::string& month, int64_t org_id, int64_t amount,
                  bool preparation,
                  const std::vector<std::pair<std::string, int64_t>>& levels) {
    const std::vector<std::pair<std::string, int64_t>> split =
        preparation ? std::vector<std::pair<std::string, int64_t>>{} : levels;
    int64_t upward = 0;
    for (const auto& level : split) upward += level.second;
    Funds f;
    f.collected = amount;
    f.returned = preparation ? 0 : amount - upward;
    f.upward = preparation ? 0 : upward;
    f.held = preparation ? amount : 0;
    int64_t id = 0;
    Run([&](db::Connection& conn) {
      db::Execute(
          conn,
          "INSERT INTO funds_collections (declaration_id, employer_id, "
          "month, amount_fen, channel, fund, received_on, province_code, "
          "returned_fen, refund_bonus_fen, upward_json, upward_fen, "
          "preparation_held_fen, entry_id) VALUES (?, ?, ?, ?, 2, ?, "
          "CONCAT(?, '-15'), '320000', ?, 0, ?, ?, ?, 0)",
          declaration_id, employer_id, month, amount, preparation ? 2 : 1,
          month, f.returned, UpwardJson(split), f.upward, f.held);
      id = db::LastInsertId(conn);
      db::Execute(conn,
                  "UPDATE payroll_declarations SET collected_fen = "
                  "collected_fen + ? WHERE declaration_id = ?",
                  amount, declaration_id);
    });
    AddFunds(employer_id, month, org_id, f, split);
    return id;
  }

  // The preparation fund of a collection released on establishment: split
  // like union funds; preparation_returned records the released amount.
  void Release(int64_t collection_id, int64_t employer_id,
               const std::string& month, int64_t org_id, int64_t amount,
               const std::vector<std::pair<std::string, int64_t>>& levels) {
    int64_t upward = 0;
    for (const auto& level : levels) upward += level.second;
    Exec(
        "UPDATE funds_collections SET released = TRUE, returned_fen = ?, "
        "upward_fen = ?, upward_json = ? WHERE collection_id = ?",
        amount - upward, upward, UpwardJson(levels), collection_id);
    Funds f;
    f.returned = amount - upward;
    f.upward = upward;
    f.prep_returned = amount;
    AddFunds(employer_id, month, org_id, f, levels);
  }

  void Expense(int64_t org_id, int category, int64_t amount, bool front_line,
               const std::string& spent_on) {
    const std::string path = PathOf(org_id);
    Exec(
        "INSERT INTO expenses (org_id, org_path, category, amount_fen, "
        "front_line, payee, approval_reference, spent_on, description, "
        "entry_id, request_id) VALUES (?, ?, ?, ?, ?, '供应商', 'A-1', ?, "
        "'', 0, 'seed')",
        org_id, path, category, amount, front_line, spent_on);
    for (int64_t id : finance::store::PathIds(path)) {
      Exec(
          "INSERT INTO spending_rollup (org_id, month, category, amount_fen, "
          "front_line_fen, expenses) VALUES (?, LEFT(?, 7), ?, ?, ?, 1) ON "
          "DUPLICATE KEY UPDATE amount_fen = amount_fen + VALUES(amount_fen), "
          "front_line_fen = front_line_fen + VALUES(front_line_fen), "
          "expenses = expenses + VALUES(expenses)",
          id, spent_on, category, amount, front_line ? amount : 0);
    }
  }

  void Budget(int64_t org_id, int year, int category, int64_t amount) {
    Exec(
        "INSERT INTO budgets (org_id, year, category, amount_fen) VALUES "
        "(?, ?, ?, ?)",
        org_id, year, category, amount);
  }

  // Every row of `sql` with `args` bound to its ? placeholders, each
  // column as text ("" for NULL).
  template <typename... Args>
  std::vector<std::vector<std::string>> Rows(const std::string& sql,
                                             const Args&... args) {
    std::vector<std::vector<std::string>> rows;
    Run([&](db::Connection& conn) {
      auto rs = db::Query(conn, sql, args...);
      const unsigned columns = rs->getMetaData()->getColumnCount();
      while (rs->next()) {
        std::vector<std::string>& row = rows.emplace_back();
        for (unsigned c = 1; c <= columns; ++c) {
          row.push_back(rs->isNull(c) ? "" : rs->getString(c).asStdString());
        }
      }
    });
    return rows;
  }

  template <typename... Args>
  void Exec(const std::string& sql, const Args&... args) {
    Run([&](db::Connection& conn) { db::Execute(conn, sql, args...); });
  }

 private:
  template <typename Fn>
  void Run(Fn fn) {
    absl::Status status = pool().Run([&](db::Connection& conn) {
      fn(conn);
      return absl::OkStatus();
    });
    ASSERT_TRUE(status.ok()) << status;
  }

  static std::string PathOfOn(db::Connection& conn, int64_t org_id) {
    auto rs = db::Query(conn, "SELECT path FROM roster_orgs WHERE org_id = ?",
                        org_id);
    return rs->next() ? db::GetString(*rs, "path") : "";
  }

  FinanceServer& server_;
};

}  // namespace unionhub::testing

#endif  // UNIONHUB_TESTS_SERVICE_FINANCE_REPORTS_SEED_H_
