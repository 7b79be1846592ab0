// A province-size synthetic finance data set, written straight into a
// finance schema (the generator is an admin tool, not a client): the org
// tree province -> cities -> counties -> townships -> grassroots unions of
// about 100 members, the roster copy of orgs, employers and members, one
// dues charge per member and month with realistic payment behaviour, union
// funds and preparation-fund declarations and collections per employer and
// month, expenses and budgets, and every subtree rollup computed from those
// rows exactly as the service's writers keep them.
//
// What it leaves out, because reports do not read it: the ledger (entry ids
// are 0), dues payments and allocations, dated member history beyond one
// state per member. Every member is ACTIVE and charged every month.
#ifndef UNIONHUB_TOOLS_GEN_FINANCE_PROVINCE_H_
#define UNIONHUB_TOOLS_GEN_FINANCE_PROVINCE_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "common/db/pool.h"

namespace unionhub::gen {

struct Options {
  int64_t members = 1000000;
  int months = 12;
  absl::CivilMonth first_month = absl::CivilMonth(2025, 1);
  uint64_t seed = 20250101;
  int rows_per_statement = 1000;
  std::string province_code = "320000";
  // The roster's keyed national-ID hash and card number of a member id.
  // Unset: random hashes and "G" card numbers (nothing matches them). The
  // benchmark loader (bench/) sets them so its membership rows and this
  // roster agree and payroll rows match.
  std::function<std::string(int64_t)> national_id_index;
  std::function<std::string(int64_t)> card_number;
  // When set, raised to N once roster members 1..N are committed, so a
  // reader (the benchmark loader's membership writer) can follow the
  // generator on another connection instead of waiting for its end.
  std::atomic<int64_t>* roster_committed = nullptr;
};

struct Org {
  int64_t id = 0;
  int64_t parent = 0;
  int type = 0;  // membership.v1.OrgType
  std::string path;
  std::string name;
  int64_t first_member = 0;  // grassroots unions: members [first, end)
  int64_t end_member = 0;
  int64_t wages_fen = 0;  // the union's monthly wage bill
};

// Org ids are dense from 1 in tree order, so orgs[id - 1] is the org.
struct Tree {
  std::vector<Org> orgs;
  int64_t province = 0;
  std::vector<int64_t> cities, counties, townships, unions;

  const Org& at(int64_t id) const { return orgs[id - 1]; }
  Org& at(int64_t id) { return orgs[id - 1]; }
  // The org and its ancestors, root first.
  std::vector<int64_t> Path(int64_t id) const;
};

// Employer ids: the employer of union i (index into Tree::unions), and the
// employer without a union located in township i (the organising gap).
inline int64_t UnionEmployerId(size_t union_index) {
  return static_cast<int64_t>(union_index) + 1;
}
inline int64_t GapEmployerId(const Tree& tree, size_t township_index) {
  return static_cast<int64_t>(tree.unions.size() + township_index) + 1;
}

// What was written, for the summary and the benchmark.
struct Generated {
  Tree tree;
  std::vector<std::string> months;
  int64_t charges = 0, charges_settled = 0, declarations = 0, collections = 0,
          expenses = 0, rollup_rows = 0;
  int64_t due_fen = 0, paid_fen = 0;
};

using Log = std::function<void(const std::string&)>;

// About 100 members per union, about 10 unions per township, 10 townships
// per county, 8 counties per city, at most 13 cities; smaller data sets
// get a smaller tree of the same shape.
Tree BuildTree(int64_t members);

// Writes everything into `pool`'s schema, which must hold the finance
// migrations and no data yet.
absl::StatusOr<Generated> GenerateProvince(db::Pool& pool,
                                           const Options& options,
                                           const Log& log);

// The union funds, preparation fund, spending and budget parts
// (province_funds.cc); they add their rollup row counts to `out`.
absl::Status WriteFunds(db::Pool& pool, const Options& options,
                        std::mt19937_64& rng, Generated& out);
absl::Status WriteSpending(db::Pool& pool, const Options& options,
                           std::mt19937_64& rng, Generated& out);

}  // namespace unionhub::gen

#endif  // UNIONHUB_TOOLS_GEN_FINANCE_PROVINCE_H_
