// What the parts of the unionctl binary share: the global flags, and the
// runners of each kind of command (main.cc wires them to CLI11).
#ifndef UNIONHUB_TOOLS_UNIONCTL_APP_H_
#define UNIONHUB_TOOLS_UNIONCTL_APP_H_

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "tools/unionctl/client.h"
#include "tools/unionctl/output.h"

namespace unionhub::unionctl {

struct Globals {
  ClientOptions client;
  std::string output = "table";
  std::string on;  // for the audit trail: membership|finance|awards
};

// Request fields given as flags: the path, and every value given.
struct FieldFlags {
  std::string json;  // --json: a JSON object, or @FILE
  std::vector<std::pair<std::string, std::vector<std::string>>> values;
};

// Fills `request` from --json then the field flags (flags win).
absl::Status BuildRequest(const FieldFlags& flags,
                          google::protobuf::Message* request);

// Sets an empty request_id (also header.request_id) to a fresh random one,
// so a mutating call can be retried with --request_id=<printed id>.
void FillRequestId(google::protobuf::Message* request);

// Prints a failed call on stderr and returns its exit status.
int ReportRpcError(const grpc::Status& status);

// Prints a local failure ("error: ...") and returns kExitLocal.
int ReportLocalError(const std::string& message);

// The options every table-driven command takes besides its fields.
struct RpcOptions {
  FieldFlags fields;
  bool all_pages = false;
  int64_t limit = 0;  // server streams: stop after this many responses
  std::string rows;
  std::vector<std::string> columns;
  std::string address;  // the service's address (resolved by the caller)
};

// One table-driven command (also `unionctl call`).
int RunRpc(Globals& globals, const google::protobuf::MethodDescriptor* method,
           const RpcOptions& options);

// `member import` and `dues import`.
struct ImportOptions {
  std::string file;
  std::string rejects;  // default: <file>.rejects.csv
  FieldFlags header;    // the stream's header message
};
int RunMemberImport(Globals& globals, const ImportOptions& options);
int RunDuesImport(Globals& globals, const ImportOptions& options);

// `audit report`.
struct ReportOptions {
  int64_t org_id = 0;
  std::string from_month, to_month;
  std::string xlsx_path;
  std::string csv_dir;
  int page_size = 1000;
  std::string lang = "zh";  // labels: zh (default) or en
};
int RunAuditReport(Globals& globals, const ReportOptions& options);

// `token mint` and `token show`.
struct TokenOptions {
  std::string key_file;
  std::string subject;
  std::string roles;
  int64_t org = 0;
  std::string ttl = "8h";
  std::string issuer = "unionhub-dev";
  std::string audience = "unionhub";
  std::string token;  // for show; default: --token
};
int RunTokenMint(const TokenOptions& options);
int RunTokenShow(Globals& globals, const TokenOptions& options);

// The first `.local/secrets/<name>` in the working directory or a parent
// (where scripts/up keeps the development CA and keys), or "".
std::string FindLocalSecret(const std::string& name);

}  // namespace unionhub::unionctl

#endif  // UNIONHUB_TOOLS_UNIONCTL_APP_H_
