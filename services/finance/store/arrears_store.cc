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

// Per member and org path, the change in unsettled charges and the newest
// month that is unsettled now ("0000-00" when none is).
struct OpenChange {
  int64_t months = 0;
  std::string newest = "0000-00";
};
using OpenChanges = std::map<std::pair<int64_t, std::string>, OpenChange>;

// Adds the changes that are not zero, in key order (the lock order of
// every writer of the summary).
void AddOpenChanges(db::Connection& conn, const OpenChanges& changes) {
  std::vector<const OpenChanges::value_type*> rows;
  for (const auto& row : changes) {
    if (row.second.months != 0) rows.push_back(&row);
  }
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

}  // namespace

void CountNewCharges(db::Connection& conn,
                     const std::vector<Charge>& inserted) {
  OpenChanges changes;
  for (const Charge& c : inserted) {
    if (c.settled()) continue;
    OpenChange& change = changes[{c.member_id, c.org_path}];
    ++change.months;
    change.newest = std::max(change.newest, c.month);
  }
  AddOpenChanges(conn, changes);
}

void CountSettlementChanges(db::Connection& conn,
                            const std::vector<PaidCharge>& changed) {
  // Computed from the locked charges the batch holds: a statement joining
  // dues_charges again to the new values cost a fifth of the database's
  // time in a payroll import. Both directions are counted, though today no
  // writer makes a settled charge open again (payments settle open ones).
  OpenChanges changes;
  for (const PaidCharge& p : changed) {
    const bool open_now = !p.charge.settled();
    if (open_now == !p.was_settled) continue;
    OpenChange& change = changes[{p.charge.member_id, p.charge.org_path}];
    change.months += open_now ? 1 : -1;
    if (open_now) change.newest = std::max(change.newest, p.charge.month);
  }
  AddOpenChanges(conn, changes);
}

}  // namespace unionhub::finance::store
