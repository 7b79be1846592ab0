// `audit report`: every figure an auditor asks for one subtree and range,
// read from AuditService (collection report, arrears, lapse candidates,
// funds reconciliation, spending), written as a workbook and/or CSV files.
#include "tools/unionctl/report.h"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>

#include "absl/strings/str_cat.h"
#include "tools/unionctl/app.h"
#include "tools/unionctl/errors.h"
#include "tools/unionctl/fields.h"
#include "tools/unionctl/progress.h"
#include "tools/unionctl/text.h"
#include "unionhub/finance/v1/finance.grpc.pb.h"

namespace unionhub::unionctl {
namespace {

namespace fv1 = ::unionhub::finance::v1;
using AStub = fv1::AuditService::Stub;

// Rounded half up, as the services compute their rates.
int64_t RateBp(int64_t part, int64_t whole) {
  if (whole <= 0) return 0;
  return (part * 20000 / whole + 1) / 2;
}

std::string EnumName(const google::protobuf::EnumValueDescriptor* v) {
  return v == nullptr ? "" : ShortEnumName(v);
}

const std::vector<Column> kCollectionColumns = {
    {"month", "Month"},
    {"due_yuan", "Due (yuan)"},
    {"paid_yuan", "Paid (yuan)"},
    {"collection_rate_pct", "Collection rate"},
    {"members_charged", "Member-months charged"},
    {"members_paid", "Member-months paid"},
};

std::vector<Value> CollectionRow(const fv1::CollectionFigures& f,
                                 std::vector<Value> lead) {
  lead.push_back(Money(f.due_fen()));
  lead.push_back(Money(f.paid_fen()));
  lead.push_back(Rate(f.collection_rate_bp()));
  lead.push_back(Int(f.members_charged()));
  lead.push_back(Int(f.members_paid()));
  return lead;
}

Table ArrearsTable(const std::string& sheet, const std::string& file,
                   const std::vector<fv1::ArrearsEntry>& entries) {
  Table t{sheet,
          file,
          {{"member_id", "Member"},
           {"name", "Name"},
           {"org_id", "Organisation"},
           {"months_in_arrears", "Months in arrears"},
           {"longest_consecutive_unpaid", "Longest unpaid run"},
           {"outstanding_yuan", "Outstanding (yuan)"},
           {"oldest_open_month", "Oldest open month"},
           {"lapse_candidate", "Lapse candidate"}},
          {},
          {}};
  for (const auto& e : entries) {
    t.rows.push_back({Int(e.member_id()), Text(e.name()), Int(e.org_id()),
                      Int(e.months_in_arrears()),
                      Int(e.longest_consecutive_unpaid()),
                      Money(e.outstanding_fen()), Text(e.oldest_open_month()),
                      Text(e.lapse_candidate() ? "yes" : "no")});
  }
  return t;
}

const std::vector<Column> kFundsColumns = {
    {"declared_payroll_yuan", "Declared payroll (yuan)"},
    {"appropriation_yuan", "Appropriation 2% (yuan)"},
    {"collected_yuan", "Collected (yuan)"},
    {"returned_yuan", "Returned (yuan)"},
    {"allocated_upward_yuan", "Allocated upward (yuan)"},
    {"preparation_held_yuan", "Preparation fund held (yuan)"},
    {"preparation_returned_yuan", "Preparation fund released (yuan)"},
    {"outstanding_yuan", "Outstanding (yuan)"},
};

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

struct Fetched {
  fv1::GetCollectionReportResponse collection;
  std::vector<fv1::ArrearsEntry> arrears, lapse;
  std::string as_of_month;
  fv1::GetFundsReconciliationResponse funds;  // every employer page merged
  fv1::GetSpendingReportResponse spending;
};

grpc::Status Fetch(Client& client, AStub& stub, const ReportOptions& o,
                   Progress& progress, Fetched* out) {
  progress.Set("collection report", true);
  fv1::GetCollectionReportRequest collection;
  collection.set_org_id(o.org_id);
  collection.set_from_month(o.from_month);
  collection.set_to_month(o.to_month);
  grpc::Status s = stub.GetCollectionReport(client.NewContext().get(),
                                            collection, &out->collection);
  if (!s.ok()) return s;

  fv1::ListArrearsRequest arrears;
  arrears.set_org_id(o.org_id);
  arrears.set_page_size(o.page_size);
  do {
    fv1::ListArrearsResponse page;
    s = stub.ListArrears(client.NewContext().get(), arrears, &page);
    if (!s.ok()) return s;
    out->arrears.insert(out->arrears.end(), page.entries().begin(),
                        page.entries().end());
    out->as_of_month = page.as_of_month();
    arrears.set_page_token(page.next_page_token());
    progress.Set(absl::StrCat("arrears: ", out->arrears.size(), " members"));
  } while (!arrears.page_token().empty());

  // A page may be empty while the list goes on: only the token ends it.
  fv1::ListLapseCandidatesRequest lapse;
  lapse.set_org_id(o.org_id);
  lapse.set_page_size(o.page_size);
  do {
    fv1::ListLapseCandidatesResponse page;
    s = stub.ListLapseCandidates(client.NewContext().get(), lapse, &page);
    if (!s.ok()) return s;
    out->lapse.insert(out->lapse.end(), page.entries().begin(),
                      page.entries().end());
    lapse.set_page_token(page.next_page_token());
    progress.Set(
        absl::StrCat("lapse candidates: ", out->lapse.size(), " members"));
  } while (!lapse.page_token().empty());

  fv1::GetFundsReconciliationRequest funds;
  funds.set_org_id(o.org_id);
  funds.set_from_month(o.from_month);
  funds.set_to_month(o.to_month);
  funds.set_page_size(o.page_size);
  bool first = true;
  do {
    fv1::GetFundsReconciliationResponse page;
    s = stub.GetFundsReconciliation(client.NewContext().get(), funds, &page);
    if (!s.ok()) return s;
    if (first) {
      out->funds = page;
      first = false;
    } else {
      for (const auto& e : page.employers()) *out->funds.add_employers() = e;
    }
    funds.set_page_token(page.next_page_token());
    progress.Set(
        absl::StrCat("funds: ", out->funds.employers_size(), " employers"));
  } while (!funds.page_token().empty());
  out->funds.clear_next_page_token();

  progress.Set("spending report", true);
  fv1::GetSpendingReportRequest spending;
  spending.set_org_id(o.org_id);
  spending.set_from_month(o.from_month);
  spending.set_to_month(o.to_month);
  return stub.GetSpendingReport(client.NewContext().get(), spending,
                                &out->spending);
}

std::vector<Table> Tables(const ReportOptions& o, const Fetched& f) {
  const auto& c = f.collection;
  std::vector<Table> tables;

  Table summary{
      "Summary", "summary.csv", {{"item", "Item"}, {"value", "Value"}}, {}, {}};
  auto add = [&summary](const std::string& item, Value v) {
    summary.rows.push_back({Text(item), std::move(v)});
  };
  add("Organisation", Text(c.org_name()));
  add("Organisation id", Int(c.org_id()));
  add("From month", Text(o.from_month));
  add("To month", Text(o.to_month));
  add("Dues due", Money(c.total().due_fen()));
  add("Dues paid", Money(c.total().paid_fen()));
  add("Dues collection rate", Rate(c.total().collection_rate_bp()));
  add("Member-months charged", Int(c.total().members_charged()));
  add("Member-months paid", Int(c.total().members_paid()));
  int64_t arrears_fen = 0;
  for (const auto& e : f.arrears) arrears_fen += e.outstanding_fen();
  add(absl::StrCat("Members in arrears (as of ", f.as_of_month, ")"),
      Int(static_cast<int64_t>(f.arrears.size())));
  add("Arrears outstanding", Money(arrears_fen));
  add("Lapse candidates", Int(static_cast<int64_t>(f.lapse.size())));
  const fv1::FundsFigures& ft = f.funds.total();
  add("Funds: declared payroll", Money(ft.declared_payroll_fen()));
  add("Funds: appropriation (2%)", Money(ft.appropriation_fen()));
  add("Funds: collected", Money(ft.collected_fen()));
  add("Funds: returned to grassroots unions", Money(ft.returned_fen()));
  add("Funds: allocated upward", Money(ft.allocated_upward_fen()));
  for (const auto& share : f.funds.upward_by_level()) {
    add(absl::StrCat("Funds: upward to ", share.level()),
        Money(share.amount_fen()));
  }
  add("Funds: preparation fund held", Money(ft.preparation_held_fen()));
  add("Funds: preparation fund released", Money(ft.preparation_returned_fen()));
  add("Funds: outstanding", Money(ft.outstanding_fen()));
  add("Funds: balanced", Text(f.funds.balanced() ? "yes" : "NO"));
  add("Spending", Money(f.spending.total_fen()));
  add("Spending reaching front-line workers",
      Money(f.spending.front_line_fen()));
  add("Front-line share", Rate(f.spending.front_line_share_bp()));
  add("Flagged spending", Money(f.spending.flagged_fen()));
  add("Flagged expenses", Int(f.spending.flagged_expenses()));
  tables.push_back(std::move(summary));

  Table monthly{"Monthly collection",
                "monthly_collection.csv",
                kCollectionColumns,
                {},
                {Chart::kLine, "Monthly collection rate", 0, {3}}};
  for (const auto& m : c.by_month()) {
    monthly.rows.push_back(CollectionRow(m, {Text(m.month())}));
  }
  tables.push_back(std::move(monthly));

  Table children{
      "By child organisation",
      "collection_by_child.csv",
      Prepend({{"org_id", "Organisation id"}, {"org_name", "Organisation"}},
              {kCollectionColumns.begin() + 1, kCollectionColumns.end()}),
      {},
      {Chart::kBar, "Dues by direct child organisation", 1, {2, 3}}};
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
        own, {Int(c.org_id()), Text(absl::StrCat(c.org_name(), " (own)"))}));
  }
  tables.push_back(std::move(children));

  tables.push_back(ArrearsTable("Arrears", "arrears.csv", f.arrears));
  tables.push_back(
      ArrearsTable("Lapse candidates", "lapse_candidates.csv", f.lapse));

  Table funds_month{"Funds by month",
                    "funds_by_month.csv",
                    Prepend({{"month", "Month"}}, kFundsColumns),
                    {},
                    {}};
  for (const auto& m : f.funds.by_month()) {
    funds_month.rows.push_back(FundsRow(m, {Text(m.month())}));
  }
  funds_month.rows.push_back(FundsRow(ft, {Text("Total")}));
  tables.push_back(std::move(funds_month));

  Table funds_employer{"Funds by employer",
                       "funds_by_employer.csv",
                       Prepend({{"employer_id", "Employer id"},
                                {"employer_name", "Employer"},
                                {"org_id", "Organisation id"}},
                               kFundsColumns),
                       {},
                       {}};
  for (const auto& e : f.funds.employers()) {
    funds_employer.rows.push_back(FundsRow(
        e, {Int(e.employer_id()), Text(e.employer_name()), Int(e.org_id())}));
  }
  tables.push_back(std::move(funds_employer));

  Table spending{"Spending",
                 "spending.csv",
                 {{"category", "Category"},
                  {"amount_yuan", "Amount (yuan)"},
                  {"front_line_yuan", "Front-line (yuan)"},
                  {"expenses", "Expenses"},
                  {"flagged", "Flagged"},
                  {"budget_yuan", "Budget (yuan)"}},
                 {},
                 {}};
  for (const auto& s : f.spending.by_category()) {
    spending.rows.push_back(
        {Text(EnumName(fv1::SpendingCategory_descriptor()->FindValueByNumber(
             s.category()))),
         Money(s.amount_fen()), Money(s.front_line_fen()), Int(s.expenses()),
         Text(s.flagged() ? "yes" : "no"), Money(s.budget_fen())});
  }
  tables.push_back(std::move(spending));
  return tables;
}

absl::Status WriteCsvDir(const std::vector<Table>& tables,
                         const std::string& dir) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) {
    return absl::InternalError(
        absl::StrCat("cannot create ", dir, ": ", error.message()));
  }
  for (const Table& t : tables) {
    const std::string path = (std::filesystem::path(dir) / t.file).string();
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    std::vector<std::string> header;
    for (const Column& c : t.columns) header.push_back(c.key);
    out << CsvLine(header);
    for (const auto& row : t.rows) {
      std::vector<std::string> cells;
      for (const Value& v : row) cells.push_back(CsvText(v));
      out << CsvLine(cells);
    }
    out.close();
    if (!out) return absl::InternalError(absl::StrCat("cannot write ", path));
  }
  return absl::OkStatus();
}

}  // namespace

int RunAuditReport(Globals& globals, const ReportOptions& options) {
  absl::StatusOr<Format> format = ParseFormat(globals.output);
  if (!format.ok()) {
    std::cerr << "error: " << format.status().message() << "\n";
    return kExitUsage;
  }
  Client client(globals.client);
  absl::Status init = client.Init();
  if (!init.ok()) return ReportLocalError(std::string(init.message()));
  auto stub = fv1::AuditService::NewStub(client.ChannelFor(Target::kFinance));
  Fetched fetched;
  std::vector<Table> tables;
  {
    Progress progress("audit report");
    grpc::Status s = Fetch(client, *stub, options, progress, &fetched);
    if (!s.ok()) return ReportRpcError(s);
    tables = Tables(options, fetched);
    if (!options.xlsx_path.empty()) {
      progress.Set(absl::StrCat("writing ", options.xlsx_path), true);
      absl::Status written = WriteWorkbook(tables, options.xlsx_path);
      if (!written.ok())
        return ReportLocalError(std::string(written.message()));
    }
    if (!options.csv_dir.empty()) {
      absl::Status written = WriteCsvDir(tables, options.csv_dir);
      if (!written.ok())
        return ReportLocalError(std::string(written.message()));
    }
  }
  const Table& summary = tables.front();
  if (*format == Format::kJson) {
    std::cout << "{\n";
    for (size_t i = 0; i < summary.rows.size(); ++i) {
      const Value& v = summary.rows[i][1];
      const bool quoted = v.kind == Kind::kText;
      std::string text = CsvText(v);
      std::string escaped;
      for (char ch : text) {
        if (ch == '"' || ch == '\\') escaped += '\\';
        escaped += ch;
      }
      std::cout << "  \"" << summary.rows[i][0].text
                << "\": " << (quoted ? "\"" : "") << escaped
                << (quoted ? "\"" : "")
                << (i + 1 < summary.rows.size() ? "," : "") << "\n";
    }
    std::cout << "}\n";
  } else if (*format == Format::kCsv) {
    std::cout << CsvLine({"item", "value"});
    for (const auto& row : summary.rows) {
      std::cout << CsvLine({row[0].text, CsvText(row[1])});
    }
  } else {
    std::vector<std::vector<std::string>> rows;
    for (const auto& row : summary.rows) {
      std::string value = CsvText(row[1]);
      if (row[1].kind == Kind::kRate) value += "%";
      rows.push_back({row[0].text, value});
    }
    std::cout << RenderTable({"item", "value"}, rows);
  }
  return kExitOk;
}

}  // namespace unionhub::unionctl
