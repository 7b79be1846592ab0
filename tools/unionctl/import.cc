// `member import` and `dues import`: a CSV file streamed as one client
// stream (a header message, then a row per CSV record), and a file of the
// rows the service rejected (or parked in suspense) with the reason.
#include <fstream>
#include <iostream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tools/unionctl/app.h"
#include "tools/unionctl/errors.h"
#include "tools/unionctl/fields.h"
#include "tools/unionctl/progress.h"
#include "tools/unionctl/text.h"
#include "unionhub/finance/v1/finance.grpc.pb.h"
#include "unionhub/membership/v1/membership.grpc.pb.h"

namespace unionhub::unionctl {
namespace {

namespace pb = ::google::protobuf;
namespace mv1 = ::unionhub::membership::v1;
namespace fv1 = ::unionhub::finance::v1;

struct CsvFile {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

absl::Status ReadCsv(const std::string& path, const pb::Descriptor* row_type,
                     CsvFile* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  size_t pos = 0;
  std::string error;
  std::vector<std::string> fields;
  if (!NextCsvRecord(text, &pos, &fields, &error)) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": ", error.empty() ? "no header row" : error));
  }
  out->header = fields;
  std::vector<std::string> unknown;
  for (const std::string& column : out->header) {
    if (!HasFieldPath(row_type, column)) unknown.push_back(column);
  }
  if (!unknown.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": unknown column(s) ", absl::StrJoin(unknown, ", "),
                     " (not ", row_type->name(), " fields)"));
  }
  int record = 1;
  while (NextCsvRecord(text, &pos, &fields, &error)) {
    ++record;
    if (fields.size() == 1 && fields[0].empty()) continue;  // blank line
    if (fields.size() != out->header.size()) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": record ", record, " has ", fields.size(),
                       " fields, the header ", out->header.size()));
    }
    out->rows.push_back(fields);
  }
  if (!error.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": record ", record + 1, ": ", error));
  }
  return absl::OkStatus();
}

// Fills `message` from one CSV record; empty cells stay unset.
absl::Status FillRow(const CsvFile& csv, const std::vector<std::string>& row,
                     pb::Message* message) {
  std::vector<std::string> problems;
  for (size_t c = 0; c < csv.header.size(); ++c) {
    if (row[c].empty()) continue;
    absl::Status set = SetField(message, csv.header[c], row[c]);
    if (!set.ok()) problems.emplace_back(set.message());
  }
  if (problems.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrJoin(problems, "; "));
}

struct Reject {
  int64_t row = 0;  // 1-based data row of the file
  std::vector<std::string> extra;
};

int WriteRejects(const std::string& path, const CsvFile& csv,
                 const std::vector<std::string>& extra_header,
                 const std::vector<Reject>& rejects) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return ReportLocalError(absl::StrCat("cannot write ", path));
  std::vector<std::string> header = {"row"};
  header.insert(header.end(), csv.header.begin(), csv.header.end());
  header.insert(header.end(), extra_header.begin(), extra_header.end());
  out << CsvLine(header);
  for (const Reject& r : rejects) {
    std::vector<std::string> line = {absl::StrCat(r.row)};
    const auto& original = csv.rows[r.row - 1];
    line.insert(line.end(), original.begin(), original.end());
    line.insert(line.end(), r.extra.begin(), r.extra.end());
    out << CsvLine(line);
  }
  out.close();
  if (!out) return ReportLocalError(absl::StrCat("cannot write ", path));
  return kExitOk;
}

// Prints the summary (every row result only in JSON) and the rejects.
int Finish(Globals& globals, pb::Message* response,
           const pb::FieldDescriptor* results, const ImportOptions& options,
           const CsvFile& csv, const std::vector<std::string>& extra_header,
           const std::vector<Reject>& rejects) {
  absl::StatusOr<Format> format = ParseFormat(globals.output);
  if (format.ok() && *format != Format::kJson) {
    response->GetReflection()->ClearField(response, results);
  }
  OutputOptions output;
  output.format = format.ok() ? *format : Format::kTable;
  output.hide_empty_tables = true;
  std::cout << Render(*response, output);
  const std::string path = options.rejects.empty()
                               ? absl::StrCat(options.file, ".rejects.csv")
                               : options.rejects;
  if (!rejects.empty() || !options.rejects.empty()) {
    int written = WriteRejects(path, csv, extra_header, rejects);
    if (written != kExitOk) return written;
  }
  if (rejects.empty()) return kExitOk;
  std::cerr << rejects.size() << " of " << csv.rows.size()
            << " rows not accepted; see " << path << "\n";
  return kExitRowsRejected;
}

template <typename Request>
absl::Status Header(const ImportOptions& options, Request* request) {
  absl::Status built = BuildRequest(options.header, request->mutable_header());
  if (!built.ok()) return built;
  FillRequestId(request);
  return absl::OkStatus();
}

}  // namespace

int RunMemberImport(Globals& globals, const ImportOptions& options) {
  CsvFile csv;
  absl::Status read = ReadCsv(options.file, mv1::Member::descriptor(), &csv);
  if (!read.ok()) return ReportLocalError(std::string(read.message()));
  mv1::ImportMembersRequest header;
  absl::Status built = Header(options, &header);
  if (!built.ok()) {
    std::cerr << "error: " << built.message() << "\n";
    return kExitUsage;
  }
  Client client(globals.client);
  absl::Status init = client.Init();
  if (!init.ok()) return ReportLocalError(std::string(init.message()));
  auto stub =
      mv1::MembershipService::NewStub(client.ChannelFor(Target::kMembership));
  auto context = client.NewContext(/*stream=*/true);
  mv1::ImportMembersResponse response;
  auto writer = stub->ImportMembers(context.get(), &response);

  std::vector<Reject> rejects;
  Progress progress("importing members");
  bool open = writer->Write(header);
  for (size_t i = 0; open && i < csv.rows.size(); ++i) {
    mv1::ImportMembersRequest message;
    mv1::ImportRow* row = message.mutable_row();
    row->set_row_number(static_cast<int64_t>(i + 1));
    absl::Status filled = FillRow(csv, csv.rows[i], row->mutable_member());
    if (!filled.ok()) {
      rejects.push_back({static_cast<int64_t>(i + 1),
                         {"LOCAL", std::string(filled.message()), ""}});
      continue;
    }
    open = writer->Write(message);
    progress.Set(absl::StrCat(i + 1, "/", csv.rows.size(), " rows sent"));
  }
  if (open) writer->WritesDone();
  progress.Set("waiting for the results", true);
  grpc::Status status = writer->Finish();
  if (!status.ok()) return ReportRpcError(status);
  for (const mv1::ImportRowResult& r : response.results()) {
    if (r.outcome() != mv1::IMPORT_OUTCOME_REJECTED) continue;
    if (r.row_number() < 1 ||
        r.row_number() > static_cast<int64_t>(csv.rows.size())) {
      continue;
    }
    rejects.push_back({r.row_number(),
                       {r.error_code(), r.error_message(),
                        absl::StrJoin(r.bad_fields(), ";")}});
  }
  std::sort(rejects.begin(), rejects.end(),
            [](const Reject& a, const Reject& b) { return a.row < b.row; });
  return Finish(
      globals, &response,
      mv1::ImportMembersResponse::descriptor()->FindFieldByName("results"),
      options, csv, {"error_code", "error_message", "bad_fields"}, rejects);
}

int RunDuesImport(Globals& globals, const ImportOptions& options) {
  CsvFile csv;
  absl::Status read =
      ReadCsv(options.file, fv1::PayrollRow::descriptor(), &csv);
  if (!read.ok()) return ReportLocalError(std::string(read.message()));
  fv1::ImportPayrollDeductionsRequest header;
  absl::Status built = Header(options, &header);
  if (!built.ok()) {
    std::cerr << "error: " << built.message() << "\n";
    return kExitUsage;
  }
  Client client(globals.client);
  absl::Status init = client.Init();
  if (!init.ok()) return ReportLocalError(std::string(init.message()));
  auto stub = fv1::FinanceService::NewStub(client.ChannelFor(Target::kFinance));
  auto context = client.NewContext(/*stream=*/true);
  fv1::ImportPayrollDeductionsResponse response;
  auto writer = stub->ImportPayrollDeductions(context.get(), &response);

  std::vector<Reject> rejects;
  // The service numbers rows by their place in the stream; rows refused
  // here are not sent, so keep which file row each sent row was.
  std::vector<int64_t> file_row_of_sent;
  Progress progress("importing payroll deductions");
  bool open = writer->Write(header);
  for (size_t i = 0; open && i < csv.rows.size(); ++i) {
    fv1::ImportPayrollDeductionsRequest message;
    absl::Status filled = FillRow(csv, csv.rows[i], message.mutable_row());
    if (!filled.ok()) {
      rejects.push_back(
          {static_cast<int64_t>(i + 1), {"", std::string(filled.message())}});
      continue;
    }
    open = writer->Write(message);
    file_row_of_sent.push_back(static_cast<int64_t>(i + 1));
    progress.Set(absl::StrCat(i + 1, "/", csv.rows.size(), " rows sent"));
  }
  if (open) writer->WritesDone();
  progress.Set("waiting for the results", true);
  grpc::Status status = writer->Finish();
  if (!status.ok()) return ReportRpcError(status);
  for (const fv1::PayrollRowResult& r : response.results()) {
    if (r.outcome() != fv1::PAYROLL_ROW_OUTCOME_SUSPENSE) continue;
    const int64_t sent = r.row_number();
    if (sent < 1 || sent > static_cast<int64_t>(file_row_of_sent.size())) {
      continue;
    }
    rejects.push_back({file_row_of_sent[sent - 1],
                       {absl::StrCat(r.suspense_id()), r.reason()}});
  }
  std::sort(rejects.begin(), rejects.end(),
            [](const Reject& a, const Reject& b) { return a.row < b.row; });
  return Finish(
      globals, &response,
      fv1::ImportPayrollDeductionsResponse::descriptor()->FindFieldByName(
          "results"),
      options, csv, {"suspense_id", "reason"}, rejects);
}

}  // namespace unionhub::unionctl
