// The CSV files `unionctl member import` and `unionctl dues import` read:
// records split by NextCsvRecord, the header checked with HasFieldPath and
// each cell set with SetField, as ReadCsv and FillRow in
// tools/unionctl/import.cc do (those two read a file and are local to the
// binary; what they call on the text is the library code exercised here).
// The first byte picks the row type (Member or PayrollRow); every record
// split is also written back with CsvLine and must split the same again.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/stream_input.h"
#include "tools/unionctl/fields.h"
#include "tools/unionctl/text.h"
#include "unionhub/finance/v1/finance.pb.h"
#include "unionhub/membership/v1/membership.pb.h"

namespace unionctl = ::unionhub::unionctl;
namespace pb = ::google::protobuf;

namespace {

// CsvLine then NextCsvRecord gives back each field as a spreadsheet may
// safely open it (formula cells behind a leading '), and nothing else.
void CheckRoundTrip(const std::vector<std::string>& fields) {
  // A leading byte-order mark is a file's, not a field's: the reader drops it.
  if (!fields.empty() &&
      absl::string_view(fields[0]).substr(0, 3) == "\xEF\xBB\xBF") {
    return;
  }
  const std::string line = unionctl::CsvLine(fields);
  size_t pos = 0;
  std::vector<std::string> again;
  std::string error;
  FUZZ_CHECK(unionctl::NextCsvRecord(line, &pos, &again, &error));
  std::vector<std::string> safe;
  for (const std::string& field : fields) {
    safe.push_back(unionctl::SpreadsheetSafe(field));
    FUZZ_CHECK(safe.back() == field || safe.back() == "'" + field);
  }
  FUZZ_CHECK(again == safe);
  FUZZ_CHECK(pos == line.size());
}

void Import(absl::string_view text, const pb::Message& prototype) {
  const pb::Descriptor* row_type = prototype.GetDescriptor();
  size_t pos = 0;
  std::string error;
  std::vector<std::string> header;
  if (!unionctl::NextCsvRecord(text, &pos, &header, &error)) return;
  FUZZ_CHECK(pos <= text.size());
  CheckRoundTrip(header);
  bool known = true;
  for (const std::string& column : header) {
    known = unionctl::HasFieldPath(row_type, column) && known;
  }
  std::vector<std::string> fields;
  while (true) {
    const size_t before = pos;
    if (!unionctl::NextCsvRecord(text, &pos, &fields, &error)) break;
    FUZZ_CHECK(pos > before && pos <= text.size());  // always progresses
    CheckRoundTrip(fields);
    if (!known || fields.size() != header.size()) continue;
    std::unique_ptr<pb::Message> row(prototype.New());
    for (size_t c = 0; c < header.size(); ++c) {
      if (fields[c].empty()) continue;
      absl::Status set = unionctl::SetField(row.get(), header[c], fields[c]);
      if (!set.ok()) {
        FUZZ_CHECK(set.code() == absl::StatusCode::kInvalidArgument);
      }
    }
    // What is sent must be a message the service can parse.
    std::string bytes;
    FUZZ_CHECK(row->SerializeToString(&bytes));
    std::unique_ptr<pb::Message> parsed(prototype.New());
    FUZZ_CHECK(parsed->ParseFromString(bytes));
  }
  if (!error.empty()) FUZZ_CHECK(pos <= text.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  unionhub::fuzz::QuietProtobufLogs();
  if (size == 0) return 0;
  const absl::string_view text(reinterpret_cast<const char*>(data) + 1,
                               size - 1);
  if (data[0] & 1) {
    Import(text, unionhub::finance::v1::PayrollRow::default_instance());
  } else {
    Import(text, unionhub::membership::v1::Member::default_instance());
  }
  return 0;
}
