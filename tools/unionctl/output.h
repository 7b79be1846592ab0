// Rendering responses: an aligned table (rows for each repeated message
// field, field/value lines for the rest), protobuf's JSON mapping, or CSV
// with a header row.
#ifndef UNIONHUB_TOOLS_UNIONCTL_OUTPUT_H_
#define UNIONHUB_TOOLS_UNIONCTL_OUTPUT_H_

#include <google/protobuf/message.h>

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace unionhub::unionctl {

enum class Format { kTable, kJson, kCsv };

absl::StatusOr<Format> ParseFormat(const std::string& name);

struct OutputOptions {
  Format format = Format::kTable;
  // The repeated message field (dotted through singular messages) whose
  // elements are the CSV rows; empty: the first one.
  std::string rows;
  // Only these columns of the rows, in this order (dotted paths).
  std::vector<std::string> columns;
  // Leave out row tables without rows (instead of "<name>: none").
  bool hide_empty_tables = false;
};

// The whole rendering of one response.
std::string Render(const google::protobuf::Message& message,
                   const OutputOptions& options);

// JSON of a message (protobuf mapping, proto field names, zeros printed).
std::string ToJson(const google::protobuf::Message& message, bool pretty);

// Responses of a server stream, printed as they come (JSON lines, CSV
// rows) or, for a table, aligned once the stream ends. A response with a
// single message field (ExportLedgerResponse.entry) is a row of that
// field's fields.
class StreamPrinter {
 public:
  StreamPrinter(const google::protobuf::Descriptor* type, OutputOptions options,
                std::ostream& out);
  void Add(const google::protobuf::Message& message);
  void Finish();

 private:
  const google::protobuf::Message& RowOf(
      const google::protobuf::Message& message) const;

  OutputOptions options_;
  std::ostream& out_;
  const google::protobuf::FieldDescriptor* unwrap_ = nullptr;
  std::vector<std::string> columns_;
  std::vector<std::vector<std::string>> rows_;
  bool header_done_ = false;
};

}  // namespace unionhub::unionctl

#endif  // UNIONHUB_TOOLS_UNIONCTL_OUTPUT_H_
