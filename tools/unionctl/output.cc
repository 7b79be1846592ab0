#include "tools/unionctl/output.h"

#include <google/protobuf/util/json_util.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "tools/unionctl/fields.h"
#include "tools/unionctl/text.h"

namespace unionhub::unionctl {
namespace {

namespace pb = ::google::protobuf;

// A repeated field reached through singular messages ("entry.postings"):
// the message holding it and the field; nullptr when the path is not one.
const pb::Message* Holder(const pb::Message& root, const std::string& path,
                          const pb::FieldDescriptor** field) {
  std::vector<std::string> parts = absl::StrSplit(path, '.');
  const pb::Message* msg = &root;
  for (size_t i = 0; i < parts.size(); ++i) {
    const pb::FieldDescriptor* f =
        msg->GetDescriptor()->FindFieldByName(parts[i]);
    if (f == nullptr || f->type() != pb::FieldDescriptor::TYPE_MESSAGE) {
      return nullptr;
    }
    if (i + 1 == parts.size()) {
      if (!f->is_repeated()) return nullptr;
      *field = f;
      return msg;
    }
    if (f->is_repeated()) return nullptr;
    msg = &msg->GetReflection()->GetMessage(*msg, f);
  }
  return nullptr;
}

struct Rows {
  std::string name;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> cells;
};

Rows RowsOf(const pb::Message& holder, const pb::FieldDescriptor* field,
            const std::string& name, const std::vector<std::string>& columns,
            bool csv) {
  Rows rows;
  rows.name = name;
  std::vector<std::string> paths =
      columns.empty() ? ColumnPaths(field->message_type()) : columns;
  const pb::Reflection* r = holder.GetReflection();
  const int n = r->FieldSize(holder, field);
  for (int i = 0; i < n; ++i) {
    const pb::Message& element = r->GetRepeatedMessage(holder, field, i);
    std::vector<std::string> row;
    for (const std::string& p : paths) row.push_back(Cell(element, p, csv));
    rows.cells.push_back(std::move(row));
  }
  // Tables leave out columns empty in every row (a Member has two dozen
  // fields, most unset in a listing); CSV keeps a fixed header.
  std::vector<bool> keep(paths.size(), csv || !columns.empty() || n == 0);
  for (const auto& row : rows.cells) {
    for (size_t c = 0; c < row.size(); ++c) {
      if (!row[c].empty()) keep[c] = true;
    }
  }
  std::vector<std::vector<std::string>> kept(rows.cells.size());
  for (size_t c = 0; c < paths.size(); ++c) {
    if (!keep[c]) continue;
    rows.header.push_back(ColumnHeader(paths[c]));
    for (size_t i = 0; i < rows.cells.size(); ++i) {
      kept[i].push_back(rows.cells[i][c]);
    }
  }
  rows.cells = std::move(kept);
  return rows;
}

std::string CsvOf(const Rows& rows) {
  std::string out = CsvLine(rows.header);
  for (const auto& row : rows.cells) out += CsvLine(row);
  return out;
}

// Scalar (non-row) fields of a message, as field/value pairs.
std::vector<std::vector<std::string>> Scalars(const pb::Message& message,
                                              bool csv) {
  std::vector<std::vector<std::string>> out;
  for (const std::string& path : ColumnPaths(message.GetDescriptor(), 3)) {
    const pb::FieldDescriptor* repeated = nullptr;
    if (Holder(message, path, &repeated) != nullptr) continue;  // a table
    out.push_back({ColumnHeader(path), Cell(message, path, csv)});
  }
  return out;
}

// The (path, value) pairs named by `columns`, in their order; all of them
// when `columns` is empty.
std::vector<std::vector<std::string>> Picked(
    std::vector<std::vector<std::string>> scalars,
    const std::vector<std::string>& columns) {
  if (columns.empty()) return scalars;
  std::vector<std::vector<std::string>> out;
  for (const std::string& column : columns) {
    for (const auto& kv : scalars) {
      if (kv[0] == column || absl::EndsWith(kv[0], absl::StrCat(".", column))) {
        out.push_back(kv);
        break;
      }
    }
  }
  return out;
}

}  // namespace

absl::StatusOr<Format> ParseFormat(const std::string& name) {
  if (name == "table") return Format::kTable;
  if (name == "json") return Format::kJson;
  if (name == "csv") return Format::kCsv;
  return absl::InvalidArgumentError(
      absl::StrCat("--output must be table, json or csv, not \"", name, "\""));
}

std::string ToJson(const pb::Message& message, bool pretty) {
  pb::util::JsonPrintOptions options;
  options.add_whitespace = pretty;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  std::string json;
  if (!pb::util::MessageToJsonString(message, &json, options).ok()) {
    return "{}";
  }
  if (pretty && (json.empty() || json.back() != '\n')) json += '\n';
  return json;
}

std::string Render(const pb::Message& message, const OutputOptions& options) {
  const bool csv = options.format == Format::kCsv;
  if (options.format == Format::kJson) return ToJson(message, true);

  // Row tables: the chosen one first, then every other top-level one.
  std::vector<std::string> row_paths;
  if (!options.rows.empty()) row_paths.push_back(options.rows);
  for (const pb::FieldDescriptor* f : RowFields(message.GetDescriptor())) {
    if (f->name() != options.rows) row_paths.push_back(f->name());
  }
  std::vector<Rows> tables;
  for (const std::string& path : row_paths) {
    const pb::FieldDescriptor* field = nullptr;
    const pb::Message* holder = Holder(message, path, &field);
    if (holder == nullptr) continue;
    const bool primary = tables.empty();
    tables.push_back(
        RowsOf(*holder, field, path,
               primary ? options.columns : std::vector<std::string>{}, csv));
  }
  // Without row tables, --columns picks scalar fields by path
  // ("program.program_id") or by its last part ("program_id").
  const bool pick = tables.empty() && !options.columns.empty();
  if (csv) {
    if (!tables.empty()) return CsvOf(tables.front());
    Rows one;
    std::vector<std::string> values;
    for (auto& kv :
         Picked(Scalars(message, true),
                pick ? options.columns : std::vector<std::string>{})) {
      one.header.push_back(kv[0]);
      values.push_back(kv[1]);
    }
    one.cells.push_back(values);
    return CsvOf(one);
  }
  std::string out;
  std::vector<std::vector<std::string>> scalars;
  for (auto& kv : Picked(Scalars(message, false),
                         pick ? options.columns : std::vector<std::string>{})) {
    if (!kv[1].empty()) scalars.push_back(kv);
  }
  if (!scalars.empty()) out += RenderTable({"field", "value"}, scalars);
  for (const Rows& t : tables) {
    if (t.cells.empty() && options.hide_empty_tables) continue;
    if (!out.empty()) out += "\n";
    if (t.cells.empty()) {
      absl::StrAppend(&out, t.name, ": none\n");
      continue;
    }
    absl::StrAppend(&out, t.name, " (", t.cells.size(), "):\n");
    out += RenderTable(t.header, t.cells);
  }
  return out;
}

StreamPrinter::StreamPrinter(const pb::Descriptor* type, OutputOptions options,
                             std::ostream& out)
    : options_(std::move(options)), out_(out) {
  const pb::Descriptor* row_type = type;
  if (type->field_count() == 1 &&
      type->field(0)->type() == pb::FieldDescriptor::TYPE_MESSAGE &&
      !type->field(0)->is_repeated()) {
    unwrap_ = type->field(0);
    row_type = unwrap_->message_type();
  }
  columns_ =
      options_.columns.empty() ? ColumnPaths(row_type, 2) : options_.columns;
}

const pb::Message& StreamPrinter::RowOf(const pb::Message& message) const {
  if (unwrap_ == nullptr) return message;
  return message.GetReflection()->GetMessage(message, unwrap_);
}

void StreamPrinter::Add(const pb::Message& message) {
  if (options_.format == Format::kJson) {
    out_ << ToJson(message, false) << "\n" << std::flush;
    return;
  }
  const bool csv = options_.format == Format::kCsv;
  std::vector<std::string> row;
  for (const std::string& p : columns_)
    row.push_back(Cell(RowOf(message), p, csv));
  if (csv) {
    if (!header_done_) {
      std::vector<std::string> header;
      for (const std::string& p : columns_) header.push_back(ColumnHeader(p));
      out_ << CsvLine(header);
      header_done_ = true;
    }
    out_ << CsvLine(row) << std::flush;
    return;
  }
  rows_.push_back(std::move(row));
}

void StreamPrinter::Finish() {
  if (options_.format == Format::kCsv && !header_done_) {
    std::vector<std::string> header;
    for (const std::string& p : columns_) header.push_back(ColumnHeader(p));
    out_ << CsvLine(header);
  }
  if (options_.format != Format::kTable) return;
  // Drop columns empty in every row, as Render does.
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows(rows_.size());
  for (size_t c = 0; c < columns_.size(); ++c) {
    bool any = !options_.columns.empty();
    for (const auto& r : rows_) any = any || !r[c].empty();
    if (!any) continue;
    header.push_back(ColumnHeader(columns_[c]));
    for (size_t i = 0; i < rows_.size(); ++i) rows[i].push_back(rows_[i][c]);
  }
  if (rows_.empty()) {
    out_ << "none\n";
    return;
  }
  out_ << RenderTable(header, rows);
}

}  // namespace unionhub::unionctl
