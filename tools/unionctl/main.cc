// unionctl: the command-line client of unionhub. `unionctl --help` lists
// the groups, `unionctl <group> <verb> --help` a command's flags (one per
// request field, from the compiled-in descriptors).
#include <openssl/crypto.h>

#include <CLI/CLI.hpp>
#include <deque>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/auth/roles.h"
#include "common/core/trace.h"
#include "tools/unionctl/app.h"
#include "tools/unionctl/commands.h"
#include "tools/unionctl/errors.h"
#include "tools/unionctl/fields.h"

namespace unionhub::unionctl {
namespace {

namespace pb = ::google::protobuf;

constexpr char kFooter[] =
    "Every flag of a request field may be repeated for a repeated field;\n"
    "nested fields are dotted (--member.name=张三); money may be given in\n"
    "yuan as --x_yuan=12.50 for a field x_fen; --json '{...}' or\n"
    "--json @file.json gives the request as protobuf JSON (flags win).\n"
    "A mutating call without --request_id gets a random one.\n\n"
    "Environment: UNIONHUB_MEMBERSHIP_ADDRESS, UNIONHUB_FINANCE_ADDRESS,\n"
    "UNIONHUB_AWARDS_ADDRESS, UNIONHUB_TOKEN, UNIONHUB_CA_FILE,\n"
    "UNIONHUB_CERT_FILE, UNIONHUB_KEY_FILE, UNIONHUB_OUTPUT,\n"
    "UNIONHUB_TRACEPARENT stand in for the flags. Without --ca,\n"
    ".local/secrets/ca.pem in the working directory or a parent (made by\n"
    "scripts/up) is trusted.\n\n";

// One command's field flags, kept alive until the callback runs.
struct BoundFields {
  std::string json;
  std::deque<std::pair<std::string, std::vector<std::string>>> values;
  std::vector<std::pair<CLI::Option*, size_t>> options;

  FieldFlags Collect() const {
    FieldFlags out;
    out.json = json;
    for (const auto& [option, index] : options) {
      if (option->count() > 0) out.values.push_back(values[index]);
    }
    return out;
  }
};

// Adds a flag per settable field of `type` (prefixed, e.g. "header.").
void AddFieldFlags(CLI::App* cmd, const pb::Descriptor* type,
                   const std::string& group, BoundFields* bound) {
  for (const FlagField& f : FlagFields(type)) {
    const std::string name = absl::StrCat("--", f.path);
    if (cmd->get_option_no_throw(name) != nullptr) continue;
    bound->values.push_back({f.path, {}});
    const size_t index = bound->values.size() - 1;
    std::vector<std::string>* store = &bound->values[index].second;
    CLI::Option* option;
    if (f.field->cpp_type() == pb::FieldDescriptor::CPPTYPE_BOOL &&
        !f.repeated) {
      // --flag alone means true; --flag=false is accepted too.
      option = cmd->add_option(name, *store, f.help)
                   ->expected(0, 1)
                   ->default_str("true");
    } else {
      option = cmd->add_option(name, *store,
                               f.repeated ? f.help + " (repeatable)" : f.help)
                   ->allow_extra_args(false);
      if (!f.repeated) {
        option->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
      }
    }
    option->type_name(f.field->cpp_type() == pb::FieldDescriptor::CPPTYPE_BOOL
                          ? "[BOOL]"
                          : "VALUE");
    option->group(group);
    bound->options.push_back({option, index});
  }
}

// Fills empty values of flags given without one (bools) with "true".
FieldFlags WithBoolDefaults(FieldFlags flags) {
  for (auto& [path, values] : flags.values) {
    if (values.empty()) values.push_back("true");
  }
  return flags;
}

void AddOutputFlags(CLI::App* cmd, RpcOptions* rpc) {
  cmd->add_option("--columns", rpc->columns,
                  "only these columns of the rows (dotted paths), in order")
      ->delimiter(',')
      ->group("Output");
  cmd->add_option("--rows", rpc->rows,
                  "the repeated field printed as rows (CSV prints one)")
      ->group("Output");
}

std::string ResolveAddress(const Globals& g, const pb::MethodDescriptor* method,
                           std::string* error) {
  Client probe(g.client);
  Target target;
  if (TargetOf(method, &target)) return probe.AddressOf(target);
  if (!g.client.target.empty()) return g.client.target;
  if (g.on == "membership") return probe.AddressOf(Target::kMembership);
  if (g.on == "finance") return probe.AddressOf(Target::kFinance);
  if (g.on == "awards") return probe.AddressOf(Target::kAwards);
  *error = absl::StrCat(method->service()->full_name(),
                        " runs in every service: say which with --on "
                        "membership|finance|awards (or --target)");
  return "";
}

int Main(int argc, char** argv) {
  // OpenSSL's exit handler would free the per-thread error queues while
  // gRPC's threads still hold theirs (they are never joined at exit), which
  // races with those threads and shows up as a leak of their queues. The
  // process is ending; leaving that state to the exit is OpenSSL's
  // documented choice for programs whose threads outlive main.
  OPENSSL_init_crypto(OPENSSL_INIT_NO_ATEXIT, nullptr);
  CLI::App app{
      "unionctl: the command-line client of unionhub (membership, finance "
      "and audit, awards)",
      "unionctl"};
  app.footer(absl::StrCat(kFooter, ExitCodeHelp()));
  app.require_subcommand(1);
  app.fallthrough();

  Globals g;
  ClientOptions& c = g.client;
  app.add_option("--membership", c.membership, "membership address")
      ->envname("UNIONHUB_MEMBERSHIP_ADDRESS")
      ->capture_default_str()
      ->group("Global");
  app.add_option("--finance", c.finance, "finance-and-audit address")
      ->envname("UNIONHUB_FINANCE_ADDRESS")
      ->capture_default_str()
      ->group("Global");
  app.add_option("--awards", c.awards, "awards-and-competitions address")
      ->envname("UNIONHUB_AWARDS_ADDRESS")
      ->capture_default_str()
      ->group("Global");
  app.add_option("--target", c.target,
                 "send every call to this address instead")
      ->group("Global");
  app.add_option("--token", c.token, "bearer token (scripts/token makes one)")
      ->envname("UNIONHUB_TOKEN")
      ->group("Global");
  app.add_option("--ca", c.ca_file, "CA certificate (PEM) the servers use")
      ->envname("UNIONHUB_CA_FILE")
      ->group("Global");
  app.add_option("--cert", c.cert_file, "client certificate (mutual TLS)")
      ->envname("UNIONHUB_CERT_FILE")
      ->group("Global");
  app.add_option("--key", c.key_file, "client certificate's private key")
      ->envname("UNIONHUB_KEY_FILE")
      ->group("Global");
  app.add_flag("--plaintext", c.plaintext,
               "no TLS (servers started with --plaintext_for_development)")
      ->group("Global");
  app.add_option("--timeout", c.timeout_seconds,
                 "deadline of a unary call, seconds")
      ->capture_default_str()
      ->group("Global");
  bool show_trace = false;
  std::string traceparent;
  app.add_flag("--trace", show_trace,
               "print the command's trace id (and the traceparent its calls "
               "continue) on stderr, to find the request in the services' "
               "logs")
      ->group("Global");
  app.add_option("--traceparent", traceparent,
                 "continue this W3C traceparent instead of starting a new "
                 "trace (00-<32 hex>-<16 hex>-<2 hex>)")
      ->envname("UNIONHUB_TRACEPARENT")
      ->group("Global");
  app.add_option("--output,-o", g.output, "table, json or csv")
      ->envname("UNIONHUB_OUTPUT")
      ->check(CLI::IsMember({"table", "json", "csv"}))
      ->capture_default_str()
      ->group("Global");

  std::map<std::string, CLI::App*> groups;
  for (const Group& group : Groups()) {
    CLI::App* sub = app.add_subcommand(group.name, group.help);
    sub->require_subcommand(1);
    sub->fallthrough();
    groups[group.name] = sub;
  }

  // Table-driven commands.
  std::deque<BoundFields> bound;
  std::deque<RpcOptions> rpc_options;
  std::function<int()> run;
  for (const Command& command : Commands()) {
    const pb::MethodDescriptor* method = FindMethod(command.method);
    if (method == nullptr) continue;  // a service not in this build
    CLI::App* cmd = groups[command.group]->add_subcommand(
        command.verb, absl::StrCat(command.help, " (", method->name(), ")"));
    cmd->fallthrough();
    BoundFields* fields = &bound.emplace_back();
    RpcOptions* rpc = &rpc_options.emplace_back();
    rpc->rows = command.rows;
    AddFieldFlags(cmd, method->input_type(), "Request fields", fields);
    cmd->add_option("--json", fields->json,
                    "the request as protobuf JSON, or @FILE")
        ->group("Request");
    if (method->input_type()->FindFieldByName("page_token") != nullptr) {
      cmd->add_flag("--all", rpc->all_pages, "read every page")
          ->group("Output");
    }
    if (method->server_streaming()) {
      cmd->add_option("--limit", rpc->limit, "stop after N responses")
          ->group("Output");
    }
    AddOutputFlags(cmd, rpc);
    cmd->callback([&g, &run, method, fields, rpc] {
      run = [&g, method, fields, rpc] {
        rpc->fields = WithBoolDefaults(fields->Collect());
        std::string error;
        rpc->address = ResolveAddress(g, method, &error);
        if (!error.empty()) {
          std::cerr << "error: " << error << "\n";
          return kExitUsage;
        }
        return RunRpc(g, method, *rpc);
      };
    });
  }

  // unionctl call Service/Method '{json}'
  std::string call_method, call_json;
  RpcOptions call_rpc;
  CLI::App* call = app.add_subcommand(
      "call",
      "call any RPC: unionctl call FinanceService/AssessDues "
      "'{\"org_id\": 4, \"month\": \"2026-01\"}'");
  call->fallthrough();
  call->add_option("method", call_method, "Service/Method (package optional)")
      ->required();
  call->add_option("request", call_json, "the request as JSON, or @FILE");
  call->add_option("--on", g.on,
                   "for the audit trail service: membership|finance|awards");
  call->add_flag("--all", call_rpc.all_pages, "read every page");
  call->add_option("--limit", call_rpc.limit, "server streams: stop after N");
  AddOutputFlags(call, &call_rpc);
  call->callback([&] {
    run = [&] {
      const pb::MethodDescriptor* method = FindMethod(call_method);
      if (method == nullptr) {
        std::cerr << "error: no method \"" << call_method << "\"; known:\n";
        for (const auto* s : Services()) {
          for (int i = 0; i < s->method_count(); ++i) {
            std::cerr << "  " << s->full_name() << "/" << s->method(i)->name()
                      << "\n";
          }
        }
        return kExitUsage;
      }
      call_rpc.fields.json = call_json;
      std::string error;
      call_rpc.address = ResolveAddress(g, method, &error);
      if (!error.empty()) {
        std::cerr << "error: " << error << "\n";
        return kExitUsage;
      }
      return RunRpc(g, method, call_rpc);
    };
  });

  // audit trail: the audit trail of one service.
  {
    const pb::MethodDescriptor* method =
        FindMethod("unionhub.common.v1.AuditTrailService/ListAuditTrail");
    CLI::App* cmd = groups["audit"]->add_subcommand(
        "trail",
        "who did what: the audit trail of one service "
        "(ListAuditTrail; --on membership|finance|awards)");
    cmd->fallthrough();
    BoundFields* fields = &bound.emplace_back();
    RpcOptions* rpc = &rpc_options.emplace_back();
    AddFieldFlags(cmd, method->input_type(), "Request fields", fields);
    cmd->add_option("--on", g.on, "membership|finance|awards")
        ->capture_default_str();
    cmd->add_flag("--all", rpc->all_pages, "read every page");
    AddOutputFlags(cmd, rpc);
    g.on = "finance";
    cmd->callback([&g, &run, method, fields, rpc] {
      run = [&g, method, fields, rpc] {
        rpc->fields = WithBoolDefaults(fields->Collect());
        std::string error;
        rpc->address = ResolveAddress(g, method, &error);
        if (!error.empty()) return ReportLocalError(error);
        return RunRpc(g, method, *rpc);
      };
    });
  }

  // Imports.
  ImportOptions member_import, dues_import;
  BoundFields member_header, dues_header;
  {
    CLI::App* cmd = groups["member"]->add_subcommand(
        "import",
        "collective registration from a CSV file (ImportMembers): a header "
        "row of Member field names (name,national_id,mobile,org_id,"
        "wage_base_yuan,...), one member per row");
    cmd->fallthrough();
    cmd->add_option("file", member_import.file, "the CSV file")->required();
    cmd->add_option("--rejects", member_import.rejects,
                    "where to write rejected rows (default FILE.rejects.csv)");
    const pb::MethodDescriptor* m =
        FindMethod("unionhub.membership.v1.MembershipService/ImportMembers");
    AddFieldFlags(cmd,
                  m->input_type()->FindFieldByName("header")->message_type(),
                  "Header fields", &member_header);
    cmd->callback([&] {
      run = [&] {
        member_import.header = WithBoolDefaults(member_header.Collect());
        return RunMemberImport(g, member_import);
      };
    });
  }
  {
    CLI::App* cmd = groups["dues"]->add_subcommand(
        "import",
        "an employer's payroll deduction file (ImportPayrollDeductions): a "
        "header row naming national_id or card_number, month, amount_yuan "
        "(or amount_fen), name");
    cmd->fallthrough();
    cmd->add_option("file", dues_import.file, "the CSV file")->required();
    cmd->add_option("--rejects", dues_import.rejects,
                    "where to write the rows parked in suspense (default "
                    "FILE.rejects.csv)");
    const pb::MethodDescriptor* m = FindMethod(
        "unionhub.finance.v1.FinanceService/ImportPayrollDeductions");
    AddFieldFlags(cmd,
                  m->input_type()->FindFieldByName("header")->message_type(),
                  "Header fields", &dues_header);
    cmd->callback([&] {
      run = [&] {
        dues_import.header = WithBoolDefaults(dues_header.Collect());
        return RunDuesImport(g, dues_import);
      };
    });
  }

  // audit report
  ReportOptions report;
  {
    CLI::App* cmd = groups["audit"]->add_subcommand(
        "report",
        "the auditors' workbook of a subtree over a range of months: "
        "--xlsx FILE and/or --csv DIR");
    cmd->fallthrough();
    cmd->add_option("--org", report.org_id, "the organisation")->required();
    cmd->add_option("--from", report.from_month, "first month, YYYY-MM")
        ->required();
    cmd->add_option("--to", report.to_month, "last month, YYYY-MM")->required();
    cmd->add_option("--xlsx", report.xlsx_path, "write the workbook here");
    cmd->add_option("--csv", report.csv_dir,
                    "write each table as a CSV file in this directory");
    cmd->add_option("--lang", report.lang,
                    "language of the labels: zh (Chinese) or en (English)")
        ->capture_default_str();
    cmd->add_option("--page_size", report.page_size,
                    "rows per call for the long lists")
        ->capture_default_str();
    cmd->callback([&] { run = [&] { return RunAuditReport(g, report); }; });
  }

  // token
  TokenOptions token;
  {
    CLI::App* mint = groups["token"]->add_subcommand(
        "mint", "sign a development token with the local signing key");
    mint->fallthrough();
    mint->add_option("--signing_key", token.key_file,
                     "issuer's RSA private key (default: "
                     ".local/secrets/jwt-signing.pem)");
    mint->add_option("--subject", token.subject, "who the token is for")
        ->required();
    mint->add_option("--roles", token.roles,
                     "comma separated: " + auth::KnownRolesText())
        ->required();
    mint->add_option("--org", token.org,
                     "limit to this organisation's subtree (0: everywhere)");
    mint->add_option("--ttl", token.ttl, "lifetime, e.g. 8h, 15m")
        ->capture_default_str();
    mint->add_option("--issuer", token.issuer)->capture_default_str();
    mint->add_option("--audience", token.audience)->capture_default_str();
    mint->callback([&] { run = [&] { return RunTokenMint(token); }; });

    CLI::App* show = groups["token"]->add_subcommand(
        "show",
        "the claims of a token (not verified): the argument, or "
        "--token / UNIONHUB_TOKEN");
    show->fallthrough();
    show->add_option("jwt", token.token, "the token");
    show->callback([&] { run = [&] { return RunTokenShow(g, token); }; });
  }

  // Groups of services not in this build (awards) stay out of the help.
  for (auto& [name, sub] : groups) {
    if (sub->get_subcommands({}).empty()) app.remove_subcommand(sub);
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int status = app.exit(e);
    return status == 0 ? 0 : kExitUsage;
  }
  if (!g.client.plaintext && g.client.ca_file.empty()) {
    g.client.ca_file = FindLocalSecret("ca.pem");
  }
  if (!run) {
    std::cerr << app.help();
    return kExitUsage;
  }
  // One trace per command: every call it makes carries this trace id under
  // a span of its own (the channels add traceparent), so an operator finds
  // the command in all three services' logs.
  trace::Context context = trace::NewTrace();
  if (!traceparent.empty()) {
    std::optional<trace::Context> given = trace::Parse(traceparent);
    if (!given.has_value()) {
      std::cerr << "error: --traceparent \"" << traceparent
                << "\" is not a W3C traceparent "
                   "(00-<32 hex>-<16 hex>-<2 hex>, ids not all zero)\n";
      return kExitUsage;
    }
    context = *given;
  }
  trace::Scope scope(context);
  if (show_trace) {
    std::cerr << "trace " << context.trace_id << " (traceparent "
              << trace::Format(context) << ")\n";
  }
  const int status = run();
  if (!show_trace && status != kExitOk && status != kExitUsage &&
      status != kExitRowsRejected) {
    std::cerr << "trace " << context.trace_id
              << " (the services' logs name it)\n";
  }
  return status;
}

}  // namespace
}  // namespace unionhub::unionctl

int main(int argc, char** argv) { return unionhub::unionctl::Main(argc, argv); }
