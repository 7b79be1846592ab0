// The table-driven command: a request from flags, one call (all pages with
// --all, every response of a server stream), the response printed.
#include <google/protobuf/util/json_util.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "tools/unionctl/app.h"
#include "tools/unionctl/errors.h"
#include "tools/unionctl/fields.h"
#include "tools/unionctl/progress.h"

namespace unionhub::unionctl {

namespace pb = ::google::protobuf;

absl::Status BuildRequest(const FieldFlags& flags, pb::Message* request) {
  if (!flags.json.empty()) {
    std::string json = flags.json;
    if (json[0] == '@') {
      std::ifstream in(json.substr(1), std::ios::binary);
      if (!in) {
        return absl::NotFoundError(
            absl::StrCat("--json: cannot read ", json.substr(1)));
      }
      std::ostringstream text;
      text << in.rdbuf();
      json = text.str();
    }
    pb::util::JsonParseOptions options;
    auto status = pb::util::JsonStringToMessage(json, request, options);
    if (!status.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--json: ", status.message().as_string()));
    }
  }
  for (const auto& [path, values] : flags.values) {
    for (const std::string& value : values) {
      absl::Status set = SetField(request, path, value);
      if (!set.ok()) {
        return absl::InvalidArgumentError(absl::StrCat("--", set.message()));
      }
    }
  }
  return absl::OkStatus();
}

void FillRequestId(pb::Message* request) {
  pb::Message* holder = request;
  const pb::FieldDescriptor* f =
      request->GetDescriptor()->FindFieldByName("request_id");
  if (f == nullptr) {
    const pb::FieldDescriptor* header =
        request->GetDescriptor()->FindFieldByName("header");
    if (header == nullptr ||
        header->type() != pb::FieldDescriptor::TYPE_MESSAGE)
      return;
    holder = request->GetReflection()->MutableMessage(request, header);
    f = holder->GetDescriptor()->FindFieldByName("request_id");
  }
  if (f == nullptr || f->cpp_type() != pb::FieldDescriptor::CPPTYPE_STRING) {
    return;
  }
  if (!holder->GetReflection()->GetString(*holder, f).empty()) return;
  std::random_device device;
  std::mt19937_64 random((static_cast<uint64_t>(device()) << 32) ^ device() ^
                         static_cast<uint64_t>(getpid()));
  holder->GetReflection()->SetString(
      holder, f,
      absl::StrCat("unionctl-", absl::Hex(random(), absl::kZeroPad16)));
}

int ReportRpcError(const grpc::Status& status) {
  std::cerr << FormatRpcError(static_cast<int>(status.error_code()),
                              status.error_message(), status.error_details());
  return ExitCodeFor(static_cast<int>(status.error_code()));
}

int ReportLocalError(const std::string& message) {
  std::cerr << "error: " << message << "\n";
  return kExitLocal;
}

std::string FindLocalSecret(const std::string& name) {
  std::error_code error;
  std::filesystem::path dir = std::filesystem::current_path(error);
  if (error) return "";
  while (true) {
    std::filesystem::path candidate = dir / ".local" / "secrets" / name;
    if (std::filesystem::exists(candidate, error)) return candidate.string();
    if (!dir.has_parent_path() || dir.parent_path() == dir) return "";
    dir = dir.parent_path();
  }
}

namespace {

int Usage(const std::string& message) {
  std::cerr << "error: " << message << "\n";
  return kExitUsage;
}

bool HasPaging(const pb::MethodDescriptor* method) {
  return method->input_type()->FindFieldByName("page_token") != nullptr &&
         method->output_type()->FindFieldByName("next_page_token") != nullptr;
}

int RowCount(const pb::Message& message) {
  int rows = 0;
  const pb::Descriptor* type = message.GetDescriptor();
  for (int i = 0; i < type->field_count(); ++i) {
    const pb::FieldDescriptor* f = type->field(i);
    if (f->is_repeated() && f->type() == pb::FieldDescriptor::TYPE_MESSAGE) {
      rows += message.GetReflection()->FieldSize(message, f);
    }
  }
  return rows;
}

}  // namespace

int RunRpc(Globals& globals, const pb::MethodDescriptor* method,
           const RpcOptions& options) {
  absl::StatusOr<Format> format = ParseFormat(globals.output);
  if (!format.ok()) return Usage(std::string(format.status().message()));
  if (method->client_streaming()) {
    return Usage(absl::StrCat(
        method->full_name(),
        " streams its requests: use `unionctl member import` or `unionctl "
        "dues import`"));
  }
  std::unique_ptr<pb::Message> request = NewMessage(method->input_type());
  absl::Status built = BuildRequest(options.fields, request.get());
  if (!built.ok()) return Usage(std::string(built.message()));
  FillRequestId(request.get());

  Client client(globals.client);
  absl::Status init = client.Init();
  if (!init.ok()) return ReportLocalError(std::string(init.message()));

  OutputOptions output;
  output.format = *format;
  output.rows = options.rows;
  output.columns = options.columns;
  if (method->server_streaming()) {
    Progress progress(method->name());
    StreamPrinter printer(method->output_type(), output, std::cout);
    int64_t received = 0;
    grpc::Status status = client.ServerStream(
        method, options.address, *request, [&](const pb::Message& message) {
          printer.Add(message);
          ++received;
          progress.Set(absl::StrCat(received, " received"));
          return options.limit <= 0 || received < options.limit;
        });
    if (!status.ok()) return ReportRpcError(status);
    printer.Finish();
    return kExitOk;
  }

  std::unique_ptr<pb::Message> response = NewMessage(method->output_type());
  Progress progress(method->name());
  const bool paging = options.all_pages && HasPaging(method);
  if (!paging) progress.StartTicker();
  int pages = 0;
  while (true) {
    std::unique_ptr<pb::Message> page = NewMessage(method->output_type());
    grpc::Status status =
        client.Unary(method, options.address, *request, page.get());
    if (!status.ok()) return ReportRpcError(status);
    response->MergeFrom(*page);
    ++pages;
    if (!paging) break;
    const pb::FieldDescriptor* next =
        page->GetDescriptor()->FindFieldByName("next_page_token");
    const std::string token = page->GetReflection()->GetString(*page, next);
    if (token.empty()) break;
    const pb::FieldDescriptor* in =
        request->GetDescriptor()->FindFieldByName("page_token");
    request->GetReflection()->SetString(request.get(), in, token);
    progress.Set(
        absl::StrCat("page ", pages, ", ", RowCount(*response), " rows"));
  }
  if (paging) {
    // Merging keeps an earlier page's token; the list has been read whole.
    const pb::FieldDescriptor* next =
        response->GetDescriptor()->FindFieldByName("next_page_token");
    response->GetReflection()->ClearField(response.get(), next);
  }
  std::cout << Render(*response, output);
  return kExitOk;
}

}  // namespace unionhub::unionctl
