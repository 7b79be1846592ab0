#include "tools/gen_finance/province.h"

#include <algorithm>
#include <array>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "common/core/dates.h"
#include "services/finance/domain/dues.h"
#include "tools/gen_finance/bulk_insert.h"

namespace unionhub::gen {
namespace {

// membership.v1.OrgType and OrgStatus values.
constexpr int kProvincial = 2, kCity = 3, kCounty = 4, kTownship = 5,
              kGrassroots = 7;
constexpr int kEstablished = 2;
constexpr int kActive = 1;  // membership.v1.MemberStatus

constexpr int64_t kMembersPerUnion = 100;
constexpr int64_t kUnionsPerTownship = 10;
constexpr int64_t kTownshipsPerCounty = 10;
constexpr int64_t kCountiesPerCity = 8;
constexpr int64_t kMaxCities = 13;

const char* const kSurnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄",
                                 "赵", "周", "吴", "徐", "孙", "马", "朱"};
const char* const kGiven[] = {"建国", "秀英", "伟", "芳", "军",   "敏",
                              "磊",   "静",   "强", "丽", "志明", "海燕"};

int64_t Ceil(int64_t a, int64_t b) { return (a + b - 1) / b; }

// How a member pays (DOMAIN §3: partial and late payments happen; six
// consecutive unpaid months make a lapse candidate).
enum class Payer { kGood, kPartial, kSporadic, kLapsing };

Payer PickPayer(std::mt19937_64& rng) {
  const double r = std::uniform_real_distribution<double>(0, 1)(rng);
  if (r < 0.86) return Payer::kGood;
  if (r < 0.91) return Payer::kPartial;
  if (r < 0.97) return Payer::kSporadic;
  return Payer::kLapsing;
}

// The collection rollup of one org and month: subtree figures, then the
// org's own.
using CollectionCell = std::array<int64_t, 8>;

}  // namespace

std::vector<int64_t> Tree::Path(int64_t id) const {
  std::vector<int64_t> path;
  for (int64_t at_id = id; at_id != 0; at_id = at(at_id).parent) {
    path.push_back(at_id);
  }
  std::reverse(path.begin(), path.end());
  return path;
}

Tree BuildTree(int64_t members) {
  Tree tree;
  const int64_t unions = std::max<int64_t>(1, Ceil(members, kMembersPerUnion));
  const int64_t townships = std::max<int64_t>(
      1, std::min(unions / kUnionsPerTownship,
                  kMaxCities * kCountiesPerCity * kTownshipsPerCounty));
  const int64_t counties = Ceil(townships, kTownshipsPerCounty);
  const int64_t cities = Ceil(counties, kCountiesPerCity);
  auto add = [&](int64_t parent, int type, std::string name) {
    Org org;
    org.id = static_cast<int64_t>(tree.orgs.size()) + 1;
    org.parent = parent;
    org.type = type;
    org.name = std::move(name);
    org.path =
        absl::StrCat(parent == 0 ? "/" : tree.at(parent).path, org.id, "/");
    tree.orgs.push_back(std::move(org));
    return tree.orgs.back().id;
  };
  tree.province = add(0, kProvincial, "江苏省总工会（合成）");
  for (int64_t c = 0; c < cities; ++c) {
    tree.cities.push_back(
        add(tree.province, kCity, absl::StrCat("第", c + 1, "市总工会")));
  }
  for (int64_t k = 0; k < counties; ++k) {
    tree.counties.push_back(add(tree.cities[k / kCountiesPerCity], kCounty,
                                absl::StrCat("第", k + 1, "县总工会")));
  }
  for (int64_t t = 0; t < townships; ++t) {
    tree.townships.push_back(add(tree.counties[t / kTownshipsPerCounty],
                                 kTownship,
                                 absl::StrCat("第", t + 1, "镇总工会")));
  }
  // Unions in blocks per township, members in blocks per union: ids that
  // are near in the tree are near in every index.
  for (int64_t u = 0; u < unions; ++u) {
    const int64_t id = add(tree.townships[u * townships / unions], kGrassroots,
                           absl::StrCat("第", u + 1, "厂工会"));
    tree.unions.push_back(id);
    tree.at(id).first_member = u * members / unions + 1;
    tree.at(id).end_member = (u + 1) * members / unions + 1;
  }
  return tree;
}

namespace {

absl::Status WriteOrgsAndEmployers(db::Pool& pool, const Options& options,
                                   Tree& tree, std::mt19937_64& rng) {
  BulkInserter orgs(pool,
                    "roster_orgs (org_id, parent_id, path, name, type, "
                    "status, region_code, province_code)",
                    8, options.rows_per_statement);
  for (const Org& org : tree.orgs) {
    absl::Status s = orgs.Add({org.id, org.parent, org.path, org.name,
                               static_cast<int64_t>(org.type),
                               static_cast<int64_t>(kEstablished),
                               options.province_code, options.province_code});
    if (!s.ok()) return s;
  }
  if (absl::Status s = orgs.Finish(); !s.ok()) return s;

  BulkInserter employers(pool,
                         "roster_employers (employer_id, name, credit_code, "
                         "union_org_id, area_org_id, union_established, "
                         "headcount, above_designated_size)",
                         8, options.rows_per_statement);
  std::uniform_int_distribution<int64_t> extra(0, 40);
  for (size_t i = 0; i < tree.unions.size(); ++i) {
    const Org& u = tree.at(tree.unions[i]);
    const int64_t headcount = u.end_member - u.first_member + extra(rng);
    absl::Status s =
        employers.Add({UnionEmployerId(i), absl::StrCat("合成企业", i + 1),
                       absl::StrFormat("91320000G%09d", i + 1), u.id, u.parent,
                       true, headcount, headcount >= 300});
    if (!s.ok()) return s;
  }
  for (size_t t = 0; t < tree.townships.size(); ++t) {
    absl::Status s = employers.Add(
        {GapEmployerId(tree, t), absl::StrCat("未建会企业", t + 1),
         absl::StrFormat("91320000N%09d", t + 1), int64_t{0}, tree.townships[t],
         false, int64_t{60}, false});
    if (!s.ok()) return s;
  }
  return employers.Finish();
}

// Members, their one dated state, and a charge per month, union by union;
// the collection rollup is summed in memory on the way.
absl::Status WriteMembersAndCharges(db::Pool& pool, const Options& options,
                                    Tree& tree, std::mt19937_64& rng,
                                    std::vector<CollectionCell>& rollup,
                                    Generated& out, const Log& log) {
  const int per = options.rows_per_statement;
  BulkInserter members(pool,
                       "roster_members (member_id, name, national_id_index, "
                       "card_number, org_id, status, wage_base_fen, "
                       "credit_fen)",
                       8, per);
  BulkInserter states(pool,
                      "roster_member_states (member_id, valid_from, "
                      "sequence, org_id, status, wage_base_fen)",
                      6, per);
  BulkInserter charges(pool,
                       "dues_charges (member_id, month, org_id, org_path, "
                       "wage_base_fen, rate_bp, due_fen, paid_fen, settled, "
                       "assessment_id)",
                       10, per);
  // The arrears summary the service keeps with its charges (finance
  // migration 0006): unsettled charges per member and path.
  BulkInserter open_counts(
      pool,
      "dues_arrears_summary (member_id, org_path, open_months, newest_month)",
      4, per);
  const finance::domain::DuesPolicy policy =
      finance::domain::NationalDefaultPolicy();
  const std::string valid_from =
      dates::FormatDate(absl::CivilDay(options.first_month - 12));
  const int months = options.months;
  std::uniform_int_distribution<int64_t> wage(300000, 1500000);
  std::uniform_real_distribution<double> chance(0, 1);
  std::uniform_int_distribution<int> lapse_start(0, std::max(0, months - 6));
  std::uniform_int_distribution<uint64_t> bytes;
  const absl::Time start = absl::Now();
  int64_t next_report = 100000;

  for (int64_t union_id : tree.unions) {
    Org& u = tree.at(union_id);
    const std::vector<int64_t> path = tree.Path(union_id);
    for (int64_t m = u.first_member; m < u.end_member; ++m) {
      const int64_t wage_fen = wage(rng);
      u.wages_fen += wage_fen;
      std::string index(32, '\0');
      for (size_t i = 0; i < index.size(); i += 8) {
        const uint64_t r = bytes(rng);
        for (size_t k = 0; k < 8; ++k)
          index[i + k] = static_cast<char>(r >> (8 * k));
      }
      if (options.national_id_index) index = options.national_id_index(m);
      const std::string name =
          absl::StrCat(kSurnames[rng() % std::size(kSurnames)],
                       kGiven[rng() % std::size(kGiven)]);
      absl::Status s = members.Add(
          {m, name, RawBytes{index},
           options.card_number ? options.card_number(m)
                               : absl::StrFormat("G%010d", m),
           union_id, static_cast<int64_t>(kActive), wage_fen, int64_t{0}});
      // Member ids are written in order from 1: rows_written() of them are
      // committed.
      if (options.roster_committed != nullptr) {
        options.roster_committed->store(members.rows_written());
      }
      if (s.ok()) {
        s = states.Add({m, valid_from, m, union_id,
                        static_cast<int64_t>(kActive), wage_fen});
      }
      if (!s.ok()) return s;

      const Payer payer = PickPayer(rng);
      const int stop = payer == Payer::kLapsing ? lapse_start(rng) : months;
      const int64_t due = finance::domain::MonthlyDues(wage_fen, policy);
      const int64_t base = finance::domain::WageBase(wage_fen, policy);
      int64_t open_months = 0;
      std::string newest_open;
      for (int k = 0; k < months; ++k) {
        int64_t paid = due;
        switch (payer) {
          case Payer::kGood:
            if (chance(rng) < 0.005) paid = 0;
            break;
          case Payer::kPartial: {
            const double r = chance(rng);
            paid = r < 0.6 ? due : r < 0.9 ? due / 2 : 0;
            break;
          }
          case Payer::kSporadic:
            if (chance(rng) < 0.25) paid = 0;
            break;
          case Payer::kLapsing:
            if (k >= stop) paid = 0;
            break;
        }
        const bool settled = paid >= due;
        s = charges.Add({m, out.months[k], union_id, u.path, base,
                         policy.rate_bp, due, paid, settled, int64_t{0}});
        if (!s.ok()) return s;
        ++out.charges;
        out.charges_settled += settled ? 1 : 0;
        if (!settled) {
          ++open_months;
          newest_open = out.months[k];
        }
        out.due_fen += due;
        out.paid_fen += paid;
        for (int64_t id : path) {
          CollectionCell& cell =
              rollup[static_cast<size_t>(id - 1) * months + k];
          cell[0] += due;
          cell[1] += paid;
          cell[2] += 1;
          cell[3] += settled ? 1 : 0;
          if (id == union_id) {
            cell[4] += due;
            cell[5] += paid;
            cell[6] += 1;
            cell[7] += settled ? 1 : 0;
          }
        }
      }
      if (open_months > 0) {
        s = open_counts.Add({m, u.path, open_months, newest_open});
        if (!s.ok()) return s;
      }
      if (m >= next_report) {
        const double secs = absl::ToDoubleSeconds(absl::Now() - start);
        log(absl::StrFormat("  %d members, %d charges, %.0f s, %.0f charges/s",
                            m, out.charges, secs, out.charges / secs));
        next_report += 100000;
      }
    }
  }
  if (absl::Status s = members.Finish(); !s.ok()) return s;
  if (options.roster_committed != nullptr) {
    options.roster_committed->store(members.rows_written());
  }
  if (absl::Status s = states.Finish(); !s.ok()) return s;
  if (absl::Status s = open_counts.Finish(); !s.ok()) return s;
  return charges.Finish();
}

absl::Status WriteCollectionRollup(db::Pool& pool, const Options& options,
                                   const Tree& tree,
                                   const std::vector<CollectionCell>& rollup,
                                   Generated& out) {
  BulkInserter rows(pool,
                    "collection_rollup (org_id, month, due_fen, paid_fen, "
                    "members_charged, members_paid, own_due_fen, "
                    "own_paid_fen, own_members_charged, own_members_paid)",
                    10, options.rows_per_statement);
  for (const Org& org : tree.orgs) {
    for (int k = 0; k < options.months; ++k) {
      const CollectionCell& c =
          rollup[static_cast<size_t>(org.id - 1) * options.months + k];
      if (c[2] == 0) continue;
      absl::Status s = rows.Add({org.id, out.months[k], c[0], c[1], c[2], c[3],
                                 c[4], c[5], c[6], c[7]});
      if (!s.ok()) return s;
    }
  }
  absl::Status s = rows.Finish();
  out.rollup_rows += rows.rows_written();
  return s;
}

}  // namespace

absl::StatusOr<Generated> GenerateProvince(db::Pool& pool,
                                           const Options& options,
                                           const Log& log) {
  Generated out;
  out.tree = BuildTree(options.members);
  for (int k = 0; k < options.months; ++k) {
    out.months.push_back(dates::FormatMonth(options.first_month + k));
  }
  std::mt19937_64 rng(options.seed);
  Tree& tree = out.tree;
  log(absl::StrFormat(
      "tree: 1 province, %d cities, %d counties, %d townships, %d unions",
      tree.cities.size(), tree.counties.size(), tree.townships.size(),
      tree.unions.size()));

  auto phase = [&](const std::string& name,
                   const std::function<absl::Status()>& fn) {
    const absl::Time start = absl::Now();
    absl::Status s = fn();
    log(absl::StrFormat("%s: %.1f s%s", name,
                        absl::ToDoubleSeconds(absl::Now() - start),
                        s.ok() ? "" : absl::StrCat(" FAILED: ", s.ToString())));
    return s;
  };
  absl::Status s = phase("orgs and employers", [&] {
    return WriteOrgsAndEmployers(pool, options, tree, rng);
  });
  std::vector<CollectionCell> rollup(tree.orgs.size() * options.months,
                                     CollectionCell{});
  if (s.ok()) {
    s = phase("members and dues charges", [&] {
      return WriteMembersAndCharges(pool, options, tree, rng, rollup, out, log);
    });
  }
  if (s.ok()) {
    s = phase("collection rollup", [&] {
      return WriteCollectionRollup(pool, options, tree, rollup, out);
    });
  }
  if (s.ok()) {
    s = phase("union funds and preparation fund",
              [&] { return WriteFunds(pool, options, rng, out); });
  }
  if (s.ok()) {
    s = phase("expenses and budgets",
              [&] { return WriteSpending(pool, options, rng, out); });
  }
  if (!s.ok()) return s;
  return out;
}

}  // namespace unionhub::gen
