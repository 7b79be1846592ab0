// The report's tables: what Fetch read from AuditService, laid out in the
// chosen language. Labels come in pairs (Chinese, English) at the place
// they are used, so a table and its translation cannot drift apart.
#include <map>

#include "absl/strings/str_cat.h"
#include "tools/audit_report/audit_report.h"
#include "tools/unionctl/fields.h"

namespace unionhub::audit_report {
namespace {

// Rounded half up, as the services compute their rates.
int64_t RateBp(int64_t part, int64_t whole) {
  if (whole <= 0) return 0;
  return (part * 20000 / whole + 1) / 2;
}

// The label in `lang`.
class Labels {
 public:
  explicit Labels(Lang lang) : lang_(lang) {}
  std::string operator()(const char* zh, const char* en) const {
    return lang_ == Lang::kZh ? zh : en;
  }
  std::string YesNo(bool yes) const {
    return yes ? (*this)("是", "yes") : (*this)("否", "no");
  }

 private:
  Lang lang_;
};

std::vector<Column> CollectionColumns(const Labels& L) {
  return {
      {"month", L("月份", "Month")},
      {"due_yuan", L("应收（元）", "Due (yuan)")},
      {"paid_yuan", L("实收（元）", "Paid (yuan)")},
      {"collection_rate_pct", L("收缴率", "Collection rate")},
      {"members_charged", L("应缴人次", "Member-months charged")},
      {"members_paid", L("已缴人次", "Member-months paid")},
  };
}

std::vector<Value> CollectionRow(const fv1::CollectionFigures& f,
                                 std::vector<Value> lead) {
  lead.push_back(Money(f.due_fen()));
  lead.push_back(Money(f.paid_fen()));
  lead.push_back(Rate(f.collection_rate_bp()));
  lead.push_back(Int(f.members_charged()));
  lead.push_back(Int(f.members_paid()));
  return lead;
}

std::vector<Column> FundsColumns(const Labels& L) {
  return {
      {"declared_payroll_yuan",
       L("申报工资总额（元）", "Declared payroll (yuan)")},
      {"appropriation_yuan",
       L("应拨缴经费 2%（元）", "Appropriation 2% (yuan)")},
      {"collected_yuan", L("已收缴（元）", "Collected (yuan)")},
      {"returned_yuan", L("返还基层（元）", "Returned (yuan)")},
      {"allocated_upward_yuan", L("上解（元）", "Allocated upward (yuan)")},
      {"preparation_held_yuan",
       L("筹备金留存（元）", "Preparation fund held (yuan)")},
      {"preparation_returned_yuan",
       L("筹备金返还（元）", "Preparation fund released (yuan)")},
      {"outstanding_yuan", L("欠拨（元）", "Outstanding (yuan)")},
  };
}

std::vector<Value> FundsRow(const fv1::FundsFigures& f,
                            std::vector<Value> lead) {
  for (int64_t fen :
       {f.declared_payroll_fen(), f.appropriation_fen(), f.collected_fen(),
        f.returned_fen(), f.allocated_upward_fen(), f.preparation_held_fen(),
        f.preparation_returned_fen(), f.outstanding_fen()}) {
    lead.push_back(Money(fen));
  }
  return lead;
}

std::vector<Column> Prepend(std::vector<Column> lead,
                            const std::vector<Column>& rest) {
  lead.insert(lead.end(), rest.begin(), rest.end());
  return lead;
}

std::string CategoryName(const Labels& L, int category) {
  // Chinese names as the 工会经费 rules and the auditors use them; English
  // is the proto name without its prefix, as unionctl prints enums.
  static const std::map<int, const char*> kZh = {
      {fv1::SPENDING_CATEGORY_STAFF_CULTURE, "职工文化活动"},
      {fv1::SPENDING_CATEGORY_STAFF_SPORTS, "职工体育活动"},
      {fv1::SPENDING_CATEGORY_STAFF_EDUCATION, "职工教育"},
      {fv1::SPENDING_CATEGORY_HARDSHIP_AID, "困难职工帮扶"},
      {fv1::SPENDING_CATEGORY_WINTER_WARMTH, "送温暖"},
      {fv1::SPENDING_CATEGORY_SCHOLARSHIP_AID, "金秋助学"},
      {fv1::SPENDING_CATEGORY_LEGAL_AID, "法律援助"},
      {fv1::SPENDING_CATEGORY_TRAINING, "业务培训"},
      {fv1::SPENDING_CATEGORY_MEETINGS, "会议"},
      {fv1::SPENDING_CATEGORY_PUBLICITY, "宣传"},
      {fv1::SPENDING_CATEGORY_CAPITAL, "资本性支出"},
      {fv1::SPENDING_CATEGORY_SUBSIDY_TO_LOWER, "补助下级工会"},
      {fv1::SPENDING_CATEGORY_HOSPITALITY, "公款接待"},
      {fv1::SPENDING_CATEGORY_RATING_CONTEST, "达标评比"},
      {fv1::SPENDING_CATEGORY_OTHER, "其他"},
  };
  const google::protobuf::EnumValueDescriptor* v =
      fv1::SpendingCategory_descriptor()->FindValueByNumber(category);
  const std::string english =
      v == nullptr ? absl::StrCat(category) : unionctl::ShortEnumName(v);
  auto it = kZh.find(category);
  // A category added to the proto after this table keeps its proto name,
  // so its row is still there and recognisable.
  return it == kZh.end() ? english : L(it->second, english.c_str());
}

}  // namespace

absl::StatusOr<Lang> ParseLang(absl::string_view text) {
  if (text.empty() || text == "zh" || text == "zh-CN") return Lang::kZh;
  if (text == "en" || text == "en-US" || text == "en-GB") return Lang::kEn;
  return absl::InvalidArgumentError(
      absl::StrCat("unknown language \"", text, "\": use zh or en"));
}

Table ArrearsTable(Lang lang, const std::vector<fv1::ArrearsEntry>& entries) {
  const Labels L(lang);
  Table t{
      L("欠缴名单", "Arrears"),
      "arrears.csv",
      {{"member_id", L("会员编号", "Member")},
       {"name", L("姓名", "Name")},
       {"org_id", L("组织编号", "Organisation")},
       {"months_in_arrears", L("欠缴月数", "Months in arrears")},
       {"longest_consecutive_unpaid", L("最长连续欠缴", "Longest unpaid run")},
       {"outstanding_yuan", L("欠缴金额（元）", "Outstanding (yuan)")},
       {"oldest_open_month", L("最早欠缴月份", "Oldest open month")},
       {"lapse_candidate", L("拟停籍", "Lapse candidate")}},
      {},
      {}};
  for (const auto& e : entries) {
    t.rows.push_back({Int(e.member_id()), Text(e.name()), Int(e.org_id()),
                      Int(e.months_in_arrears()),
                      Int(e.longest_consecutive_unpaid()),
                      Money(e.outstanding_fen()), Text(e.oldest_open_month()),
                      Text(L.YesNo(e.lapse_candidate()))});
  }
  return t;
}

std::vector<Table> Tables(const Options& o, const Fetched& f) {
  const Labels L(o.lang);
  const auto& c = f.collection;
  std::vector<Table> tables;

  Table summary{L("汇总", "Summary"),
                "summary.csv",
                {{"item", L("项目", "Item")}, {"value", L("数值", "Value")}},
                {},
                {}};
  auto add = [&summary](const std::string& item, Value v) {
    summary.rows.push_back({Text(item), std::move(v)});
  };
  add(L("组织", "Organisation"), Text(c.org_name()));
  add(L("组织编号", "Organisation id"), Int(c.org_id()));
  add(L("起始月份", "From month"), Text(o.from_month));
  add(L("截止月份", "To month"), Text(o.to_month));
  add(L("应收会费", "Dues due"), Money(c.total().due_fen()));
  add(L("实收会费", "Dues paid"), Money(c.total().paid_fen()));
  add(L("会费收缴率", "Dues collection rate"),
      Rate(c.total().collection_rate_bp()));
  add(L("应缴人次", "Member-months charged"), Int(c.total().members_charged()));
  add(L("已缴人次", "Member-months paid"), Int(c.total().members_paid()));
  int64_t arrears_fen = 0;
  for (const auto& e : f.arrears) arrears_fen += e.outstanding_fen();
  add(o.lang == Lang::kZh
          ? absl::StrCat("欠缴会员数（截至 ", f.as_of_month, "）")
          : absl::StrCat("Members in arrears (as of ", f.as_of_month, ")"),
      Int(static_cast<int64_t>(f.arrears.size())));
  add(L("欠缴金额", "Arrears outstanding"), Money(arrears_fen));
  add(L("拟停籍人数", "Lapse candidates"),
      Int(static_cast<int64_t>(f.lapse.size())));
  const fv1::FundsFigures& ft = f.funds.total();
  add(L("经费：申报工资总额", "Funds: declared payroll"),
      Money(ft.declared_payroll_fen()));
  add(L("经费：应拨缴（2%）", "Funds: appropriation (2%)"),
      Money(ft.appropriation_fen()));
  add(L("经费：已收缴", "Funds: collected"), Money(ft.collected_fen()));
  add(L("经费：返还基层工会", "Funds: returned to grassroots unions"),
      Money(ft.returned_fen()));
  add(L("经费：上解", "Funds: allocated upward"),
      Money(ft.allocated_upward_fen()));
  for (const auto& share : f.funds.upward_by_level()) {
    add(absl::StrCat(L("经费：上解至 ", "Funds: upward to "), share.level()),
        Money(share.amount_fen()));
  }
  add(L("经费：筹备金留存", "Funds: preparation fund held"),
      Money(ft.preparation_held_fen()));
  add(L("经费：筹备金返还", "Funds: preparation fund released"),
      Money(ft.preparation_returned_fen()));
  add(L("经费：欠拨", "Funds: outstanding"), Money(ft.outstanding_fen()));
  add(L("经费：账目平衡", "Funds: balanced"),
      Text(f.funds.balanced() ? L("是", "yes") : L("否", "NO")));
  add(L("支出合计", "Spending"), Money(f.spending.total_fen()));
  add(L("用于一线职工的支出", "Spending reaching front-line workers"),
      Money(f.spending.front_line_fen()));
  add(L("一线占比", "Front-line share"),
      Rate(f.spending.front_line_share_bp()));
  add(L("被标记的支出", "Flagged spending"), Money(f.spending.flagged_fen()));
  add(L("被标记的支出笔数", "Flagged expenses"),
      Int(f.spending.flagged_expenses()));
  tables.push_back(std::move(summary));

  const std::vector<Column> collection = CollectionColumns(L);
  Table monthly{
      L("按月收缴", "Monthly collection"),
      "monthly_collection.csv",
      collection,
      {},
      {Chart::kLine, L("按月收缴率", "Monthly collection rate"), 0, {3}}};
  for (const auto& m : c.by_month()) {
    monthly.rows.push_back(CollectionRow(m, {Text(m.month())}));
  }
  tables.push_back(std::move(monthly));

  Table children{L("下级组织收缴", "By child organisation"),
                 "collection_by_child.csv",
                 Prepend({{"org_id", L("组织编号", "Organisation id")},
                          {"org_name", L("组织", "Organisation")}},
                         {collection.begin() + 1, collection.end()}),
                 {},
                 {Chart::kBar,
                  L("直属下级组织会费", "Dues by direct child organisation"),
                  1,
                  {2, 3}}};
  for (const auto& child : c.by_child()) {
    children.rows.push_back(
        CollectionRow(child, {Int(child.org_id()), Text(child.org_name())}));
  }
  if (c.own_by_month_size() > 0) {
    // Members charged at the org itself, not in any child.
    fv1::CollectionFigures own;
    for (const auto& m : c.own_by_month()) {
      own.set_due_fen(own.due_fen() + m.due_fen());
      own.set_paid_fen(own.paid_fen() + m.paid_fen());
      own.set_members_charged(own.members_charged() + m.members_charged());
      own.set_members_paid(own.members_paid() + m.members_paid());
    }
    own.set_collection_rate_bp(RateBp(own.paid_fen(), own.due_fen()));
    children.rows.push_back(CollectionRow(
        own, {Int(c.org_id()),
              Text(absl::StrCat(c.org_name(), L("（本级）", " (own)")))}));
  }
  tables.push_back(std::move(children));

  tables.push_back(ArrearsTable(o.lang, f.arrears));
  Table lapse = ArrearsTable(o.lang, f.lapse);
  lapse.sheet = L("拟停籍名单", "Lapse candidates");
  lapse.file = "lapse_candidates.csv";
  tables.push_back(std::move(lapse));

  const std::vector<Column> funds = FundsColumns(L);
  Table funds_month{L("经费按月", "Funds by month"),
                    "funds_by_month.csv",
                    Prepend({{"month", L("月份", "Month")}}, funds),
                    {},
                    {}};
  for (const auto& m : f.funds.by_month()) {
    funds_month.rows.push_back(FundsRow(m, {Text(m.month())}));
  }
  funds_month.rows.push_back(FundsRow(ft, {Text(L("合计", "Total"))}));
  tables.push_back(std::move(funds_month));

  Table funds_employer{L("经费按单位", "Funds by employer"),
                       "funds_by_employer.csv",
                       Prepend({{"employer_id", L("单位编号", "Employer id")},
                                {"employer_name", L("单位", "Employer")},
                                {"org_id", L("组织编号", "Organisation id")}},
                               funds),
                       {},
                       {}};
  for (const auto& e : f.funds.employers()) {
    funds_employer.rows.push_back(FundsRow(
        e, {Int(e.employer_id()), Text(e.employer_name()), Int(e.org_id())}));
  }
  tables.push_back(std::move(funds_employer));

  Table spending{L("支出", "Spending"),
                 "spending.csv",
                 {{"category", L("类别", "Category")},
                  {"amount_yuan", L("金额（元）", "Amount (yuan)")},
                  {"front_line_yuan", L("用于一线（元）", "Front-line (yuan)")},
                  {"expenses", L("笔数", "Expenses")},
                  {"flagged", L("被标记", "Flagged")},
                  {"budget_yuan", L("预算（元）", "Budget (yuan)")}},
                 {},
                 {}};
  for (const auto& s : f.spending.by_category()) {
    spending.rows.push_back({Text(CategoryName(L, s.category())),
                             Money(s.amount_fen()), Money(s.front_line_fen()),
                             Int(s.expenses()), Text(L.YesNo(s.flagged())),
                             Money(s.budget_fen())});
  }
  tables.push_back(std::move(spending));
  return tables;
}

}  // namespace unionhub::audit_report
