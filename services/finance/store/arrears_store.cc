#include "services/finance/store/arrears_store.h"

#include <algorithm>
#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/db/sql.h"

namespace unionhub::finance::store {
namespace {

// Adds the new row's count to an existing one and raises newest_month.
constexpr char kAddOnDuplicate[] =
    " ON DUPLICATE KEY UPDATE open_months = open_months + "
    "VALUES(open_months), newest_month = GREATEST(newest_month, "
    "VALUES(newest_month))";

}  // namespace

void CountNewCharges(db::Connection& conn,
                     const std::vector<Charge>& inserted) {
  struct Open {
    int64_t months = 0;
    std::string newest;
  };
  std::map<std::pair<int64_t, std::string>, Open> open;
  for (const Charge& c : inserted) {
    if (c.settled()) continue;
    Open& o = open[{c.member_id, c.org_path}];
    ++o.months;
    o.newest = std::max(o.newest, c.month);
  }
  std::vector<std::pair<const std::pair<int64_t, std::string>, Open>*> rows;
  for (auto& row : open) rows.push_back(&row);
  ForEachChunk(rows.size(), kValuesChunk, [&](size_t first, size_t count) {
    sql::PreparedStatement& ps = conn.Prepare(absl::StrCat(
        "INSERT INTO dues_arrears_summary (member_id, org_path, open_months, "
        "newest_month) VALUES ",
        db::Placeholders(static_cast<int>(count), 4), kAddOnDuplicate));
    db::Binder binder(ps);
    for (size_t i = first; i < first + count; ++i) {
      binder.Add(rows[i]->first.first)
          .Add(rows[i]->first.second)
          .Add(rows[i]->second.months)
          .Add(rows[i]->second.newest);
    }
    ps.executeUpdate();
  });
}

void CountSettlementChanges(db::Connection& conn,
                            const std::string& paid_values) {
  // Per member and path: charges that become unsettled minus charges that
  // become settled (a reversal can do the first). Members whose count does
  // not change are not touched.
  db::Execute(
      conn,
      absl::StrCat(
          "INSERT INTO dues_arrears_summary (member_id, org_path, "
          "open_months, newest_month) SELECT c.member_id, c.org_path, "
          "SUM(v.paid < c.due_fen) - SUM(c.settled = FALSE) AS delta, "
          "COALESCE(MAX(IF(v.paid < c.due_fen, c.month, NULL)), '0000-00') "
          "FROM dues_charges c JOIN JSON_TABLE(?, '$[*]' COLUMNS ("
          "member_id BIGINT PATH '$[0]', month CHAR(7) PATH '$[1]', "
          "paid BIGINT PATH '$[2]')) v ON c.member_id = v.member_id AND "
          "c.month = v.month GROUP BY c.member_id, c.org_path "
          "HAVING delta <> 0",
          kAddOnDuplicate),
      paid_values);
}

}  // namespace unionhub::finance::store
