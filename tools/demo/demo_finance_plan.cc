#include "tools/demo/demo_finance_plan.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "services/finance/domain/dues.h"
#include "services/finance/domain/funds.h"
#include "tools/demo/demo_rng.h"

namespace unionhub::demo {
namespace {

namespace domain = ::unionhub::finance::domain;

constexpr absl::CivilDay kNever(9999, 12, 31);

// Where a member was on each day of the year: joined on `joined`, in
// `first_union` until `moved_on`, then in `second_union`; not ACTIVE from
// `ended_on` (retired or left).
struct Timeline {
  absl::CivilDay joined = kNever;
  int first_union = -1;
  absl::CivilDay moved_on = kNever;
  int second_union = -1;
  absl::CivilDay ended_on = kNever;

  // The union the member is ACTIVE in on `day`, else -1.
  int UnionOn(absl::CivilDay day) const {
    if (day < joined || day >= ended_on) return -1;
    return day >= moved_on ? second_union : first_union;
  }
};

absl::CivilDay ParseDay(const std::string& text) {
  absl::CivilDay day;
  if (!absl::ParseCivilTime(text, &day)) return kNever;
  return day;
}

absl::CivilDay LastDay(int month) {
  return absl::CivilDay(kFinanceYear, month + 1, 1) - 1;
}

std::string Month(int month) {
  return absl::StrFormat("%04d-%02d", kFinanceYear, month);
}

// The 10th (dues files) or 20th (fund collections) of the month after.
std::string FollowingMonthDay(int month, int day) {
  const absl::CivilMonth next = absl::CivilMonth(kFinanceYear, month) + 1;
  return Date(absl::CivilDay(next.year(), next.month(), day));
}

// The dues for a wage under the national default (0.5 %, the part below
// 10 yuan ignored), which is the policy the demo sets.
int64_t DuesFor(int64_t wage_fen) {
  return domain::MonthlyDues(wage_fen, domain::DuesPolicy{});
}

// A wrong check character: the ID no longer validates, as when a clerk
// mistypes it.
std::string Mistyped(std::string national_id) {
  char& check = national_id.back();
  check = check == 'X' ? '0' : (check == '9' ? 'X' : check + 1);
  return national_id;
}

class FinancePlanner {
 public:
  explicit FinancePlanner(const CountyPlan& county) : county_(county) {}
  FinancePlan Run();

 private:
  void PlanTimelines();
  void PlanUnionsInArrears();
  void PlanMemberHabits();
  void PlanPayrollFiles();
  void PlanSuspense();
  void PlanCashPayments();
  void PlanFunds();
  void PlanSpending();

  const CountyPlan& county_;
  FinancePlan plan_;
  std::vector<Timeline> timelines_;
  std::vector<int> members_per_union_;
  // Per member: the first month (1-12) left out of the employer's file,
  // a single month left out, or paying in cash instead.
  std::vector<int> dropped_from_;
  std::vector<int> missed_month_;
  std::vector<bool> pays_cash_;
};

void FinancePlanner::PlanTimelines() {
  timelines_.resize(county_.members.size());
  members_per_union_.assign(county_.unions.size(), 0);
  for (size_t i = 0; i < county_.members.size(); ++i) {
    timelines_[i].first_union = county_.members[i].union_index;
    ++members_per_union_[county_.members[i].union_index];
  }
  for (const ImportChunk& chunk : county_.chunks) {
    const absl::CivilDay joined = ParseDay(chunk.joined_on);
    for (int m : chunk.members) timelines_[m].joined = joined;
  }
  for (const PlannedChange& change : county_.changes) {
    Timeline& t = timelines_[change.member];
    const absl::CivilDay on = ParseDay(change.effective_on);
    if (change.kind == ChangeKind::kTransfer) {
      t.moved_on = on;
      t.second_union = change.to_union;
    } else {
      t.ended_on = on;
    }
  }
}

void FinancePlanner::PlanUnionsInArrears() {
  std::vector<int> candidates;
  for (size_t u = 0; u < county_.unions.size(); ++u) {
    if (!county_.unions[u].preparing && members_per_union_[u] >= 20 &&
        members_per_union_[u] <= 120) {
      candidates.push_back(static_cast<int>(u));
    }
  }
  Rng rng(20250100);
  rng.Shuffle(candidates);
  for (size_t i = 0; i < candidates.size() && i < 3; ++i) {
    (i < 2 ? plan_.late_unions : plan_.stopped_unions).push_back(candidates[i]);
  }
}

void FinancePlanner::PlanMemberHabits() {
  const size_t n = county_.members.size();
  dropped_from_.assign(n, 13);
  missed_month_.assign(n, 0);
  pays_cash_.assign(n, false);
  Rng rng(20250200);
  for (size_t i = 0; i < n; ++i) {
    const double r = rng.Unit();
    const int month = static_cast<int>(rng.Uniform(2, 12));
    const int u = county_.members[i].union_index;
    if (std::count(plan_.late_unions.begin(), plan_.late_unions.end(), u) ||
        std::count(plan_.stopped_unions.begin(), plan_.stopped_unions.end(),
                   u)) {
      continue;
    }
    if (r < 0.012) {
      dropped_from_[i] = month;  // unpaid leave, a dispute, a new payroll
      ++plan_.members_dropped;
    } else if (r < 0.017) {
      pays_cash_[i] = true;
      ++plan_.members_paying_cash;
    } else if (r < 0.020) {
      missed_month_[i] = month;
    }
  }
}

void FinancePlanner::PlanPayrollFiles() {
  for (int month = 1; month <= 12; ++month) {
    const absl::CivilDay end = LastDay(month);
    std::vector<std::vector<int>> by_union(county_.unions.size());
    for (size_t i = 0; i < county_.members.size(); ++i) {
      const int u = timelines_[i].UnionOn(end);
      if (u < 0 || pays_cash_[i] || month >= dropped_from_[i] ||
          month == missed_month_[i]) {
        continue;
      }
      by_union[u].push_back(static_cast<int>(i));
    }
    for (size_t u = 0; u < county_.unions.size(); ++u) {
      const int ui = static_cast<int>(u);
      const bool late = month >= 10 && std::count(plan_.late_unions.begin(),
                                                  plan_.late_unions.end(), ui);
      const bool stopped =
          month >= 6 && std::count(plan_.stopped_unions.begin(),
                                   plan_.stopped_unions.end(), ui);
      if (by_union[u].empty() || late || stopped) continue;
      PayrollFile file;
      file.request_id = absl::StrCat("demo:payroll:", u + 1, ":", Month(month));
      file.union_index = ui;
      file.month = Month(month);
      file.paid_on = FollowingMonthDay(month, 10);
      for (int m : by_union[u]) {
        const mv1::Member& member = county_.members[m].member;
        PayrollLine line;
        line.member = m;
        line.row.set_national_id(member.national_id());
        line.row.set_name(member.name());
        line.row.set_month(file.month);
        line.row.set_amount_fen(DuesFor(member.wage_base_fen()));
        file.lines.push_back(std::move(line));
      }
      plan_.payroll_files.push_back(std::move(file));
    }
  }
}

// Five rows with a mistyped ID (four are found and applied, one is still
// open) and three rows for people who are not members (two are sent back to
// the employer, one is still open).
void FinancePlanner::PlanSuspense() {
  if (plan_.payroll_files.size() < 8) return;
  Rng rng(20250300);
  std::vector<int> files(plan_.payroll_files.size());
  for (size_t i = 0; i < files.size(); ++i) files[i] = static_cast<int>(i);
  rng.Shuffle(files);
  for (int k = 0; k < 5; ++k) {
    PayrollFile& file = plan_.payroll_files[files[k]];
    const int row = static_cast<int>(
        rng.Uniform(0, static_cast<int64_t>(file.lines.size()) - 1));
    PayrollLine& line = file.lines[row];
    line.row.set_national_id(Mistyped(line.row.national_id()));
    if (k == 4) continue;
    plan_.resolutions.push_back({absl::StrCat("demo:suspense:apply:", k + 1),
                                 file.request_id, row + 1, line.member,
                                 "身份证号末位录入有误，核对后入账"});
  }
  for (int k = 0; k < 3; ++k) {
    PayrollFile& file = plan_.payroll_files[files[5 + k]];
    PayrollLine line;
    line.row.set_card_number(
        absl::StrFormat("99%08d", rng.Uniform(0, 9999999)));
    line.row.set_name(absl::StrCat("临时工", k + 1));
    line.row.set_month(file.month);
    line.row.set_amount_fen(2000);
    file.lines.push_back(std::move(line));
    if (k == 2) continue;
    plan_.resolutions.push_back({absl::StrCat("demo:suspense:discard:", k + 1),
                                 file.request_id,
                                 static_cast<int>(file.lines.size()), -1,
                                 "非本会会员（劳务派遣临时工），退回单位"});
  }
}

// Cash payers settle each quarter at the union office, rounding up to whole
// ten yuan; the change stays as credit.
void FinancePlanner::PlanCashPayments() {
  for (size_t i = 0; i < county_.members.size(); ++i) {
    if (!pays_cash_[i]) continue;
    const int64_t dues = DuesFor(county_.members[i].member.wage_base_fen());
    for (int quarter = 1; quarter <= 4; ++quarter) {
      int64_t due = 0;
      for (int month = 3 * quarter - 2; month <= 3 * quarter; ++month) {
        if (timelines_[i].UnionOn(LastDay(month)) >= 0) due += dues;
      }
      if (due == 0) continue;
      CashPayment p;
      p.request_id = absl::StrCat("demo:cash:", i + 1, ":Q", quarter);
      p.member = static_cast<int>(i);
      p.amount_fen = (due + 999) / 1000 * 1000;
      p.method =
          i % 2 == 0 ? fv1::PAYMENT_METHOD_MOBILE : fv1::PAYMENT_METHOD_CASH;
      p.paid_on = FollowingMonthDay(3 * quarter, 8);
      p.reference =
          absl::StrFormat("会费收据 %d-Q%d-%05d", kFinanceYear, quarter, i + 1);
      plan_.cash_payments.push_back(std::move(p));
    }
  }
}

void FinancePlanner::PlanFunds() {
  std::vector<int64_t> wage_sum(county_.unions.size(), 0);
  for (const PlannedMember& m : county_.members) {
    wage_sum[m.union_index] += m.member.wage_base_fen();
  }
  std::vector<int64_t> mean_wage;
  for (size_t u = 0; u < county_.unions.size(); ++u) {
    plan_.employers.push_back({static_cast<int>(u), -1,
                               county_.unions[u].employer.credit_code(),
                               county_.unions[u].employer.name()});
    mean_wage.push_back(members_per_union_[u] > 0
                            ? wage_sum[u] / members_per_union_[u]
                            : 400000);
  }
  Rng rng(20250400);
  for (size_t e = 0; e < county_.employers.size(); ++e) {
    const mv1::Employer& employer = county_.employers[e].employer;
    plan_.employers.push_back(
        {-1, static_cast<int>(e), employer.credit_code(), employer.name()});
    mean_wage.push_back(rng.Uniform(3500, 6500) * 100);
  }
  // Payroll swings: the Spring Festival month is short, December carries
  // the year-end bonus.
  constexpr int kMonthPermille[] = {1000, 960,  990,  1000, 1000, 1010,
                                    1000, 1000, 1000, 1010, 1010, 1300};
  for (size_t e = 0; e < plan_.employers.size(); ++e) {
    const FundsEmployer& employer = plan_.employers[e];
    const int64_t headcount =
        employer.union_index >= 0
            ? county_.unions[employer.union_index].employer.headcount()
            : county_.employers[employer.employer_index].employer.headcount();
    const double r = rng.Unit();
    const bool behind = r < 0.04;  // the last two months not yet collected
    const int partial_month = r >= 0.04 && r < 0.06 ? 7 : 0;
    const bool evading = employer.union_index < 0 && r >= 0.06 && r < 0.21;
    const bool tax = rng.Chance(0.85);
    for (int month = 1; month <= 12; ++month) {
      const int64_t permille = kMonthPermille[month - 1] + rng.Uniform(-20, 20);
      PlannedDeclaration d;
      d.request_id = absl::StrCat("demo:funds:declare:", employer.credit_code,
                                  ":", Month(month));
      d.employer = static_cast<int>(e);
      d.month = Month(month);
      d.total_payroll_fen = headcount * mean_wage[e] * permille / 1000;
      if (d.total_payroll_fen <= 0) continue;
      const int64_t appropriation = domain::Appropriation(d.total_payroll_fen);
      plan_.declarations.push_back(d);
      if ((behind && month >= 11) || (evading && month >= 7)) continue;
      PlannedCollection c;
      c.request_id = absl::StrCat("demo:funds:collect:", employer.credit_code,
                                  ":", Month(month));
      c.employer = static_cast<int>(e);
      c.month = d.month;
      c.amount_fen =
          month == partial_month ? appropriation * 8 / 10 : appropriation;
      c.channel = tax ? fv1::COLLECTION_CHANNEL_TAX_COLLECTED
                      : fv1::COLLECTION_CHANNEL_EMPLOYER_REMITTED;
      c.received_on = FollowingMonthDay(month, 20);
      plan_.collections.push_back(std::move(c));
    }
  }
  // The largest 筹备组: the most preparation fund to return.
  for (size_t u = 0; u < county_.unions.size(); ++u) {
    if (!county_.unions[u].preparing) continue;
    const int best = plan_.union_to_establish;
    if (best < 0 || county_.unions[u].employer.headcount() >
                        county_.unions[best].employer.headcount()) {
      plan_.union_to_establish = static_cast<int>(u);
    }
  }
  plan_.established_on = Date(absl::CivilDay(kFinanceYear + 1, 1, 25));
}

struct SpendingLine {
  fv1::SpendingCategory category;
  int64_t county_budget_yuan;
  int64_t township_budget_yuan;
  std::vector<int> months;
  bool front_line;
  const char* payee;
  const char* description;
};

void FinancePlanner::PlanSpending() {
  using C = fv1::SpendingCategory;
  const std::vector<SpendingLine> lines = {
      {C::SPENDING_CATEGORY_STAFF_CULTURE,
       300000,
       40000,
       {1, 5, 10},
       true,
       "县文化馆",
       "职工文艺汇演"},
      {C::SPENDING_CATEGORY_STAFF_SPORTS,
       200000,
       30000,
       {4, 9},
       true,
       "县体育中心",
       "职工运动会"},
      {C::SPENDING_CATEGORY_STAFF_EDUCATION,
       150000,
       20000,
       {3, 6, 11},
       true,
       "县职业技术学校",
       "职工技能提升培训班"},
      {C::SPENDING_CATEGORY_HARDSHIP_AID,
       500000,
       60000,
       {1, 4, 7, 10},
       true,
       "困难职工（名单附后）",
       "困难职工帮扶救助金"},
      {C::SPENDING_CATEGORY_WINTER_WARMTH,
       800000,
       80000,
       {1, 12},
       true,
       "一线职工（名单附后）",
       "两节送温暖慰问"},
      {C::SPENDING_CATEGORY_SCHOLARSHIP_AID,
       300000,
       30000,
       {8},
       true,
       "困难职工子女（名单附后）",
       "金秋助学"},
      {C::SPENDING_CATEGORY_LEGAL_AID,
       100000,
       0,
       {3, 9},
       true,
       "县法律援助中心",
       "职工劳动争议法律援助"},
      {C::SPENDING_CATEGORY_TRAINING,
       120000,
       15000,
       {5, 11},
       false,
       "县委党校",
       "工会干部业务培训"},
      {C::SPENDING_CATEGORY_MEETINGS,
       60000,
       8000,
       {2, 6, 12},
       false,
       "县会议中心",
       "工会全委会议"},
      {C::SPENDING_CATEGORY_PUBLICITY,
       80000,
       10000,
       {4, 10},
       false,
       "县融媒体中心",
       "劳模工匠宣传"},
      {C::SPENDING_CATEGORY_CAPITAL,
       400000,
       0,
       {9},
       false,
       "某办公设备公司",
       "职工服务中心设备购置"},
      {C::SPENDING_CATEGORY_SUBSIDY_TO_LOWER,
       600000,
       0,
       {3, 9},
       false,
       "乡镇工会",
       "补助乡镇工会经费"},
  };
  Rng rng(20250500);
  const int townships = static_cast<int>(county_.townships.size());
  int approval = 0;
  for (int org = -1; org < townships; ++org) {
    const std::string prefix =
        org < 0 ? "county" : absl::StrCat("town", org + 1);
    for (const SpendingLine& line : lines) {
      const int64_t budget =
          (org < 0 ? line.county_budget_yuan : line.township_budget_yuan) * 100;
      if (budget == 0) continue;
      plan_.budgets.push_back(
          {absl::StrCat("demo:budget:", prefix, ":", line.category), org,
           line.category, budget});
      const int64_t per_item =
          budget / static_cast<int64_t>(line.months.size());
      for (int month : line.months) {
        // The county's meetings run over budget, which the auditors note.
        const int64_t permille =
            org < 0 && line.category == C::SPENDING_CATEGORY_MEETINGS
                ? 1400
                : rng.Uniform(820, 1080);
        PlannedExpense x;
        x.request_id = absl::StrCat("demo:expense:", prefix, ":", line.category,
                                    ":", month);
        x.org = org;
        x.category = line.category;
        x.amount_fen = per_item * permille / 1000 + rng.Uniform(0, 99);
        x.front_line = line.front_line;
        x.payee = line.payee;
        x.approval_reference =
            absl::StrFormat("工审〔%d〕%d号", kFinanceYear, ++approval);
        x.spent_on = Date(absl::CivilDay(kFinanceYear, month,
                                         static_cast<int>(rng.Uniform(5, 25))));
        x.description = line.description;
        plan_.expenses.push_back(std::move(x));
      }
    }
  }
  // Flagged categories: two receptions and a rating contest, unbudgeted.
  const struct {
    C category;
    int64_t fen;
    int month;
    const char* payee;
    const char* description;
  } flagged[] = {
      {C::SPENDING_CATEGORY_HOSPITALITY, 386000, 3, "某大酒店",
       "接待市总调研组"},
      {C::SPENDING_CATEGORY_HOSPITALITY, 524050, 11, "某宾馆",
       "接待外县考察团"},
      {C::SPENDING_CATEGORY_RATING_CONTEST, 1280000, 11, "某文化传媒公司",
       "“模范职工之家”达标评比活动"},
  };
  int n = 0;
  for (const auto& f : flagged) {
    PlannedExpense x;
    x.request_id = absl::StrCat("demo:expense:county:flagged:", ++n);
    x.category = f.category;
    x.amount_fen = f.fen;
    x.payee = f.payee;
    x.approval_reference =
        absl::StrFormat("工审〔%d〕%d号", kFinanceYear, ++approval);
    x.spent_on = Date(absl::CivilDay(kFinanceYear, f.month, 16));
    x.description = f.description;
    if (f.category == C::SPENDING_CATEGORY_HOSPITALITY) {
      plan_.hospitality_fen += f.fen;
    }
    plan_.expenses.push_back(std::move(x));
  }
}

FinancePlan FinancePlanner::Run() {
  for (int month = 1; month <= 12; ++month)
    plan_.months.push_back(Month(month));
  PlanTimelines();
  PlanUnionsInArrears();
  PlanMemberHabits();
  PlanPayrollFiles();
  PlanSuspense();
  PlanCashPayments();
  PlanFunds();
  PlanSpending();
  return std::move(plan_);
}

}  // namespace

FinancePlan MakeFinancePlan(const CountyPlan& county) {
  return FinancePlanner(county).Run();
}

}  // namespace unionhub::demo
