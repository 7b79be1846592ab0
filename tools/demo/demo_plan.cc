#include "tools/demo/demo_plan.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <random>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "common/core/ids.h"
#include "tools/demo/demo_names.h"
#include "tools/demo/demo_rng.h"

namespace unionhub::demo {
namespace {

constexpr int kUnions = 369;
constexpr int kPreparing = 37;  // ~10 % of the unions are 筹备组
constexpr int kLooseEmployers = 200;
constexpr int64_t kWorkers = 100000;
// Workers of employers with an established union; members are ~80 % of them.
constexpr int64_t kEstablishedWorkers = 47500;
// 38,350 imported - 300 retired - 50 left = 38,000 ACTIVE members.
constexpr int64_t kMembers = 38350;
constexpr int kImportChunkRows = 2500;
constexpr int kTransfers = 30;
constexpr int kRetirements = 300;
constexpr int kDepartures = 50;
constexpr int kFirstJoinYear = kAnchorYear - 9;  // ten years of joining

// Counties of the same city, and home counties of migrant workers from other
// provinces.
constexpr const char* kNeighbourRegions[] = {"320923", "320925", "320902",
                                             "320981"};
constexpr const char* kMigrantRegions[] = {
    "341221", "341222", "411528", "412725", "510722",
    "513030", "522422", "430524", "371521", "130434"};

// Rescales `v` so that it sums to exactly `total`, every entry in [lo, hi].
void ScaleToTotal(std::vector<int64_t>& v, int64_t total, int64_t lo,
                  int64_t hi) {
  const double sum = std::accumulate(v.begin(), v.end(), 0.0);
  for (int64_t& x : v) {
    x = std::clamp<int64_t>(std::llround(x * total / sum), lo, hi);
  }
  int64_t diff = total - std::accumulate(v.begin(), v.end(), int64_t{0});
  std::vector<size_t> order(v.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return v[a] > v[b]; });
  while (diff != 0) {
    bool moved = false;
    for (size_t i : order) {
      if (diff > 0 && v[i] < hi) {
        ++v[i], --diff, moved = true;
      } else if (diff < 0 && v[i] > lo) {
        --v[i], ++diff, moved = true;
      }
      if (diff == 0) break;
    }
    if (!moved) break;
  }
}

// Splits `total` in proportion to `weights`, never above `cap` (largest
// remainder).
std::vector<int64_t> Apportion(int64_t total, const std::vector<double>& w,
                               const std::vector<int64_t>& cap) {
  const double sum = std::accumulate(w.begin(), w.end(), 0.0);
  std::vector<int64_t> out(w.size());
  std::vector<std::pair<double, size_t>> frac;
  int64_t given = 0;
  for (size_t i = 0; i < w.size(); ++i) {
    const double exact = total * w[i] / sum;
    out[i] = std::min<int64_t>(cap[i], static_cast<int64_t>(exact));
    given += out[i];
    frac.push_back({exact - std::floor(exact), i});
  }
  std::stable_sort(frac.begin(), frac.end(), [](const auto& a, const auto& b) {
    return a.first > b.first;
  });
  while (given < total) {
    bool moved = false;
    for (const auto& [f, i] : frac) {
      if (given == total) break;
      if (out[i] < cap[i]) ++out[i], ++given, moved = true;
    }
    if (!moved) break;
  }
  return out;
}

// Sizes of private firms: many small, a few large.
int64_t FirmSize(Rng& rng) {
  const int band = rng.Weighted({55, 25, 13, 5, 2});
  static constexpr int64_t kBands[][2] = {
      {20, 80}, {80, 200}, {200, 500}, {500, 1200}, {1200, 4500}};
  return rng.Uniform(kBands[band][0], kBands[band][1]);
}

// GB 11714 organisation code: 8 characters and a mod-11 check character.
std::string OrgCode(Rng& rng, bool new_style) {
  static constexpr char kAlphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  std::string body = new_style ? "MA" : "";
  while (body.size() < 8) {
    body += new_style ? kAlphabet[rng.Uniform(0, 30)]
                      : static_cast<char>('0' + rng.Uniform(body.empty(), 9));
  }
  static constexpr int kWeights[] = {3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (int i = 0; i < 8; ++i) {
    const char c = body[i];
    sum += kWeights[i] * (c <= '9' ? c - '0' : c - 'A' + 10);
  }
  const int check = 11 - sum % 11;
  body += check == 10   ? 'X'
          : check == 11 ? '0'
                        : static_cast<char>('0' + check);
  return body;
}

class Generator {
 public:
  CountyPlan Run();

 private:
  std::string UniqueCompanyName(Rng& rng, int township);
  std::string CreditCode(Rng& rng, mv1::Ownership own, bool new_style);
  mv1::Employer MakeEmployer(Rng& rng, std::string name, mv1::Ownership own,
                             int64_t headcount, int township, bool new_style);
  PlannedMember MakeMember(Rng& rng, int union_index, mv1::Ownership own,
                           bool leader);
  void PlanUnions();
  void PlanEmployers();
  void PlanMembers();
  void PlanChunks();
  void PlanChanges();

  CountyPlan plan_;
  std::unordered_set<std::string> names_, codes_, national_ids_, mobiles_;
};

std::string Generator::UniqueCompanyName(Rng& rng, int township) {
  for (;;) {
    std::string name = absl::StrCat(
        rng.Chance(0.65) ? "清河县" : names::Townships()[township],
        rng.Pick(names::TradeNames()), rng.Pick(names::Industries()),
        rng.Pick(names::CompanySuffixes()));
    if (names_.insert(name).second) return name;
  }
}

std::string Generator::CreditCode(Rng& rng, mv1::Ownership own,
                                  bool new_style) {
  const char* kind = own == mv1::OWNERSHIP_GOVERNMENT_AGENCY    ? "11"
                     : own == mv1::OWNERSHIP_PUBLIC_INSTITUTION ? "12"
                                                                : "91";
  for (;;) {
    std::string code =
        absl::StrCat(kind, kCountyRegionCode, OrgCode(rng, new_style));
    code += ids::CreditCodeCheckChar(code).value();
    if (codes_.insert(code).second) return code;
  }
}

mv1::Employer Generator::MakeEmployer(Rng& rng, std::string name,
                                      mv1::Ownership own, int64_t headcount,
                                      int township, bool new_style) {
  mv1::Employer e;
  const bool enterprise =
      own == mv1::OWNERSHIP_NON_PUBLIC || own == mv1::OWNERSHIP_STATE_OWNED;
  e.set_credit_code(CreditCode(rng, own, new_style));
  e.set_name(std::move(name));
  e.set_ownership(own);
  e.set_headcount(static_cast<int32_t>(headcount));
  e.set_above_designated_size(
      enterprise &&
      (headcount >= 300 || (headcount >= 100 && rng.Chance(0.4))));
  e.set_address(absl::StrCat(names::Townships()[township],
                             rng.Pick(names::Roads()), rng.Uniform(1, 399),
                             "号"));
  return e;
}

void Generator::PlanUnions() {
  Rng rng(20240501);
  struct Draft {
    int township;
    std::string name;
    mv1::Ownership own;
    int64_t size;
  };
  std::vector<Draft> drafts;
  const int n_townships = static_cast<int>(names::Townships().size());
  auto seat = [&] { return static_cast<int>(rng.Uniform(0, 3)); };
  for (const char* n : names::StateOwnedEmployers()) {
    drafts.push_back({seat(), absl::StrCat("清河县", n),
                      mv1::OWNERSHIP_STATE_OWNED, rng.Uniform(60, 600)});
  }
  for (const char* n : names::CountyInstitutions()) {
    drafts.push_back({seat(), absl::StrCat("清河县", n),
                      mv1::OWNERSHIP_PUBLIC_INSTITUTION, rng.Uniform(60, 500)});
  }
  for (const char* n : names::CountyAgencies()) {
    drafts.push_back({seat(), absl::StrCat("清河县", n),
                      mv1::OWNERSHIP_GOVERNMENT_AGENCY, rng.Uniform(30, 180)});
  }
  for (int t = 0; t < n_townships; ++t) {
    const char* town = names::Townships()[t];
    for (const char* n : names::TownshipInstitutions()) {
      drafts.push_back({t, absl::StrCat(town, n),
                        mv1::OWNERSHIP_PUBLIC_INSTITUTION,
                        rng.Uniform(20, 120)});
    }
    drafts.push_back(
        {t,
         absl::StrCat(town,
                      absl::EndsWith(town, "街道") ? "办事处" : "人民政府"),
         mv1::OWNERSHIP_GOVERNMENT_AGENCY, rng.Uniform(40, 120)});
  }
  for (const Draft& d : drafts) names_.insert(d.name);
  // Private firms fill the rest, more of them in the county seat.
  const std::vector<double> town_weights = {4,   3,   3,   2, 2,   2,
                                            1.5, 1.5, 1.5, 1, 1.5, 1};
  std::vector<size_t> private_firms;
  while (static_cast<int>(drafts.size()) < kUnions) {
    const int t = rng.Weighted(town_weights);
    private_firms.push_back(drafts.size());
    drafts.push_back({t, UniqueCompanyName(rng, t), mv1::OWNERSHIP_NON_PUBLIC,
                      FirmSize(rng)});
  }
  rng.Shuffle(private_firms);
  std::vector<bool> preparing(drafts.size(), false);
  for (int i = 0; i < kPreparing; ++i) preparing[private_firms[i]] = true;

  std::vector<int64_t> established_sizes;
  for (size_t i = 0; i < drafts.size(); ++i) {
    if (preparing[i]) {
      drafts[i].size = std::min<int64_t>(drafts[i].size, 300);
    } else {
      established_sizes.push_back(drafts[i].size);
    }
  }
  ScaleToTotal(established_sizes, kEstablishedWorkers, 20, 3000);
  for (size_t i = 0, j = 0; i < drafts.size(); ++i) {
    if (!preparing[i]) drafts[i].size = established_sizes[j++];
  }

  std::vector<size_t> order(drafts.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return drafts[a].township < drafts[b].township;
  });
  int n = static_cast<int>(plan_.chain.size() + plan_.townships.size());
  for (size_t i : order) {
    const Draft& d = drafts[i];
    PlannedUnion u;
    u.request_id = absl::StrCat("demo:org:", ++n);
    u.township = d.township;
    u.name = absl::StrCat(d.name, "工会");
    u.preparing = preparing[i];
    if (!u.preparing) {
      u.established_on =
          Date(rng.Day(absl::CivilDay(2001, 1, 1),
                       absl::CivilDay(kFirstJoinYear - 1, 12, 31)));
    }
    u.employer = MakeEmployer(rng, d.name, d.own, d.size, d.township,
                              /*new_style=*/u.preparing);
    plan_.total_workers += d.size;
    plan_.unions.push_back(std::move(u));
  }
}

void Generator::PlanEmployers() {
  Rng rng(20240502);
  const int n_townships = static_cast<int>(names::Townships().size());
  std::vector<int64_t> sizes;
  std::vector<int> towns;
  for (int i = 0; i < kLooseEmployers; ++i) {
    const int band = rng.Weighted({50, 30, 15, 5});
    static constexpr int64_t kBands[][2] = {
        {8, 60}, {60, 250}, {250, 800}, {800, 3000}};
    sizes.push_back(rng.Uniform(kBands[band][0], kBands[band][1]));
    towns.push_back(static_cast<int>(rng.Uniform(0, n_townships - 1)));
  }
  ScaleToTotal(sizes, kWorkers - plan_.total_workers, 8, 3000);
  for (int i = 0; i < kLooseEmployers; ++i) {
    PlannedEmployer e;
    e.request_id = absl::StrCat("demo:employer:", i + 1);
    e.township = towns[i];
    e.employer = MakeEmployer(rng, UniqueCompanyName(rng, towns[i]),
                              mv1::OWNERSHIP_NON_PUBLIC, sizes[i], towns[i],
                              /*new_style=*/rng.Chance(0.7));
    plan_.total_workers += sizes[i];
    plan_.employers.push_back(std::move(e));
  }
}

PlannedMember Generator::MakeMember(Rng& rng, int union_index,
                                    mv1::Ownership own, bool leader) {
  const bool gov = own == mv1::OWNERSHIP_GOVERNMENT_AGENCY;
  const bool inst = own == mv1::OWNERSHIP_PUBLIC_INSTITUTION;
  const bool state = own == mv1::OWNERSHIP_STATE_OWNED;
  PlannedMember pm;
  pm.union_index = union_index;
  mv1::Member& m = pm.member;

  const double p_female = leader  ? 0.2
                          : inst  ? 0.62
                          : gov   ? 0.42
                          : state ? 0.38
                                  : 0.44;
  const bool female = rng.Chance(p_female);
  const double p_migrant = leader  ? 0
                           : gov   ? 0
                           : inst  ? 0.03
                           : state ? 0.08
                                   : 0.26;
  const bool migrant = rng.Chance(p_migrant);

  int age;
  if (leader) {
    age = static_cast<int>(rng.Uniform(35, 58));
  } else {
    static constexpr int kAges[][2] = {
        {18, 24}, {25, 34}, {35, 44}, {45, 54}, {55, 60}};
    const int band = rng.Weighted({10, 28, 28, 24, 10});
    age = static_cast<int>(rng.Uniform(kAges[band][0], kAges[band][1]));
  }
  const int birth_year = kAnchorYear - age;
  const absl::CivilDay birth = rng.Day(absl::CivilDay(birth_year, 1, 1),
                                       absl::CivilDay(birth_year, 12, 31));
  const char* region =
      migrant
          ? (rng.Chance(0.85) ? rng.Pick(kMigrantRegions)
                              : rng.Pick(kNeighbourRegions))
          : (rng.Chance(0.8) ? kCountyRegionCode : rng.Pick(kNeighbourRegions));
  for (;;) {
    const int sex_digit =
        static_cast<int>(rng.Uniform(0, 4)) * 2 + (female ? 0 : 1);
    std::string id = absl::StrFormat("%s%04d%02d%02d%02d%d", region,
                                     birth.year(), birth.month(), birth.day(),
                                     rng.Uniform(0, 99), sex_digit);
    id += ids::NationalIdCheckChar(id);
    if (national_ids_.insert(id).second) {
      m.set_national_id(std::move(id));
      break;
    }
  }
  m.set_sex(female ? mv1::SEX_FEMALE : mv1::SEX_MALE);
  m.set_birth_date(Date(birth));

  // Surname skewed to the common ones; one- or two-character given name.
  const auto surnames = names::Surnames();
  const double u = rng.Unit();
  std::string name = surnames[static_cast<size_t>(u * u * surnames.size())];
  const auto own_chars =
      female ? names::FemaleGivenChars() : names::MaleGivenChars();
  if (rng.Chance(0.6)) {
    name += rng.Chance(0.3) ? rng.Pick(names::NeutralGivenChars())
                            : rng.Pick(own_chars);
  }
  name += rng.Pick(own_chars);
  m.set_name(std::move(name));

  for (;;) {
    std::string mobile = absl::StrFormat(
        "%s%08d", rng.Pick(names::MobilePrefixes()), rng.Uniform(0, 99999999));
    if (mobiles_.insert(mobile).second) {
      m.set_mobile(std::move(mobile));
      break;
    }
  }
  const bool rural = migrant ? rng.Chance(0.9) : rng.Chance(0.2125);
  m.set_household(rural ? mv1::HOUSEHOLD_RURAL : mv1::HOUSEHOLD_URBAN);
  m.set_ethnicity(rng.Chance(0.97) ? "汉族"
                                   : rng.Pick(names::MinorityEthnicities()));

  // Education: primary, junior, senior, vocational, college, bachelor, post.
  std::vector<double> edu = {3, 27, 25, 18, 17, 9, 1};
  if (leader) {
    edu = {0, 1, 4, 5, 30, 50, 10};
  } else if (gov || inst) {
    edu = {0, 2, 5, 5, 25, 53, 10};
  } else if (state) {
    edu = {1, 10, 20, 17, 25, 24, 3};
  }
  m.set_education(static_cast<mv1::Education>(mv1::EDUCATION_PRIMARY_OR_BELOW +
                                              rng.Weighted(edu)));

  const double p_front = leader ? 0 : gov ? 0.15 : inst ? 0.55 : 0.72;
  m.set_front_line(rng.Chance(p_front));
  m.set_migrant_worker(migrant);
  m.set_enterprise_leader(leader);
  const double mw = rng.Unit();
  m.set_model_worker_level(mw < 0.0003  ? mv1::MODEL_WORKER_LEVEL_PROVINCIAL
                           : mw < 0.002 ? mv1::MODEL_WORKER_LEVEL_CITY
                           : mw < 0.007 ? mv1::MODEL_WORKER_LEVEL_COUNTY
                                        : mv1::MODEL_WORKER_LEVEL_UNSPECIFIED);

  // Monthly wage, log-normal around a median by sector, 2,500-15,000 yuan.
  double median = gov ? 6800 : inst ? 6200 : state ? 6500 : 4300;
  if (leader) median *= 2.2;
  const double yuan =
      std::clamp(median * std::exp(0.35 * rng.Normal()), 2500.0, 14999.0);
  m.set_wage_base_fen(static_cast<int64_t>(yuan) * 100 + rng.Uniform(0, 99));

  std::vector<double> years;
  const int first = std::max(kFirstJoinYear, birth_year + 18);
  for (int y = first; y <= kAnchorYear; ++y) {
    years.push_back(1.0 + 0.12 * (y - kFirstJoinYear));
  }
  pm.join_year = first + rng.Weighted(years);
  return pm;
}

void Generator::PlanMembers() {
  Rng rng(20240503);
  std::vector<double> weights;
  std::vector<int64_t> caps;
  for (const PlannedUnion& u : plan_.unions) {
    const int64_t h = u.preparing ? 0 : u.employer.headcount();
    weights.push_back(h * (0.65 + 0.3 * rng.Unit()));
    caps.push_back(h);
  }
  const std::vector<int64_t> counts = Apportion(kMembers, weights, caps);
  for (size_t i = 0; i < plan_.unions.size(); ++i) {
    const mv1::Ownership own = plan_.unions[i].employer.ownership();
    const bool enterprise =
        own == mv1::OWNERSHIP_NON_PUBLIC || own == mv1::OWNERSHIP_STATE_OWNED;
    for (int64_t k = 0; k < counts[i]; ++k) {
      plan_.members.push_back(
          MakeMember(rng, static_cast<int>(i), own,
                     /*leader=*/enterprise && k == 0 && counts[i] >= 10));
    }
  }
}

void Generator::PlanChunks() {
  for (int year = kFirstJoinYear; year <= kAnchorYear; ++year) {
    std::vector<int> rows;
    for (size_t i = 0; i < plan_.members.size(); ++i) {
      if (plan_.members[i].join_year == year)
        rows.push_back(static_cast<int>(i));
    }
    const size_t n_chunks =
        (rows.size() + kImportChunkRows - 1) / kImportChunkRows;
    for (size_t k = 0; k < n_chunks; ++k) {
      ImportChunk c;
      c.request_id = absl::StrCat("demo:import:", year, "-", k + 1);
      c.joined_on = Date(absl::CivilDay(
          year, std::min<int>(3 + 2 * static_cast<int>(k), 11), 15));
      const size_t begin = rows.size() * k / n_chunks;
      const size_t end = rows.size() * (k + 1) / n_chunks;
      c.members.assign(rows.begin() + begin, rows.begin() + end);
      plan_.chunks.push_back(std::move(c));
    }
  }
}

void Generator::PlanChanges() {
  Rng rng(20240504);
  std::vector<std::vector<int>> established_by_town(names::Townships().size());
  std::vector<int> established;
  for (size_t i = 0; i < plan_.unions.size(); ++i) {
    if (plan_.unions[i].preparing) continue;
    established.push_back(static_cast<int>(i));
    established_by_town[plan_.unions[i].township].push_back(
        static_cast<int>(i));
  }
  std::vector<int> pool;
  for (size_t i = 0; i < plan_.members.size(); ++i) {
    const PlannedMember& pm = plan_.members[i];
    if (pm.join_year < kAnchorYear && !pm.member.enterprise_leader()) {
      pool.push_back(static_cast<int>(i));
    }
  }
  rng.Shuffle(pool);
  std::vector<bool> used(plan_.members.size(), false);
  const absl::CivilDay from(kAnchorYear, 1, 2), to(kAnchorYear, 12, 31);
  auto add = [&](ChangeKind kind, const char* prefix, int n, int member,
                 int to_union, const char* reason) {
    PlannedChange c;
    c.request_id = absl::StrCat("demo:", prefix, ":", n);
    c.kind = kind;
    c.member = member;
    c.to_union = to_union;
    c.effective_on = Date(rng.Day(from, to));
    c.reason = reason;
    used[member] = true;
    plan_.changes.push_back(std::move(c));
  };
  size_t next = 0;
  for (int n = 1; n <= kTransfers && next < pool.size(); ++n) {
    const int member = pool[next++];
    const PlannedUnion& from_union =
        plan_.unions[plan_.members[member].union_index];
    const std::vector<int>& same_town =
        established_by_town[from_union.township];
    int target;
    do {
      const std::vector<int>& choices =
          rng.Chance(0.5) && same_town.size() > 1 ? same_town : established;
      target =
          choices[rng.Uniform(0, static_cast<int64_t>(choices.size()) - 1)];
    } while (target == plan_.members[member].union_index);
    add(ChangeKind::kTransfer, "transfer", n, member, target, "工作调动");
  }
  int retired = 0;
  for (int member : pool) {
    if (retired == kRetirements) break;
    const mv1::Member& m = plan_.members[member].member;
    const int age = kAnchorYear - std::stoi(m.birth_date().substr(0, 4));
    const int retirement_age = m.sex() == mv1::SEX_FEMALE ? 50 : 55;
    if (used[member] || age < retirement_age) continue;
    add(ChangeKind::kRetire, "retire", ++retired, member, -1, "退休");
  }
  int left = 0;
  for (; next < pool.size() && left < kDepartures; ++next) {
    if (used[pool[next]]) continue;
    add(ChangeKind::kLeave, "leave", ++left, pool[next], -1, "本人申请退会");
  }
}

CountyPlan Generator::Run() {
  plan_.chain = {
      {"demo:org:1", mv1::ORG_TYPE_NATIONAL_FEDERATION, "中华全国总工会", "",
       "1925-05-01"},
      {"demo:org:2", mv1::ORG_TYPE_PROVINCIAL_FEDERATION, "某省总工会",
       "320000", "1950-05-01"},
      {"demo:org:3", mv1::ORG_TYPE_CITY_FEDERATION, "某市总工会", "320900",
       "1953-05-01"},
      {"demo:org:4", mv1::ORG_TYPE_COUNTY_FEDERATION, kCountyName,
       kCountyRegionCode, "1956-05-01"},
  };
  Rng rng(20240500);
  int n = static_cast<int>(plan_.chain.size());
  for (const char* town : names::Townships()) {
    plan_.townships.push_back({absl::StrCat("demo:org:", ++n),
                               mv1::ORG_TYPE_TOWNSHIP_UNION,
                               absl::StrCat(town, "总工会"), "",
                               Date(rng.Day(absl::CivilDay(1984, 1, 1),
                                            absl::CivilDay(2000, 12, 31)))});
  }
  PlanUnions();
  PlanEmployers();
  PlanMembers();
  PlanChunks();
  PlanChanges();
  return std::move(plan_);
}

}  // namespace

CountyPlan MakeCountyPlan() { return Generator().Run(); }

}  // namespace unionhub::demo
