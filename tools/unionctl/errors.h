// How unionctl reports a failed call: the gRPC code, the message, every
// field violation the service attached (google.rpc.BadRequest in the
// status details) on its own line, and an exit status per code.
#ifndef UNIONHUB_TOOLS_UNIONCTL_ERRORS_H_
#define UNIONHUB_TOOLS_UNIONCTL_ERRORS_H_

#include <string>
#include <utility>
#include <vector>

namespace unionhub::unionctl {

// Exit statuses besides the per-code ones.
constexpr int kExitOk = 0;
constexpr int kExitLocal = 1;  // files, TLS material, a bad CSV
constexpr int kExitUsage = 2;  // bad command line or request flags
// An import finished but the service rejected (or parked) some rows.
constexpr int kExitRowsRejected = 10;

// "INVALID_ARGUMENT" for 3, "CODE_42" for unknown codes.
std::string StatusCodeName(int code);

// The exit status for a gRPC status code (0 for OK).
int ExitCodeFor(int code);

// The table of exit statuses, for --help.
std::string ExitCodeHelp();

// "error: INVALID_ARGUMENT: <message>\n" then "  <field>: <description>\n"
// per violation.
std::string FormatRpcError(int code, const std::string& message,
                           const std::string& details);

}  // namespace unionhub::unionctl

#endif  // UNIONHUB_TOOLS_UNIONCTL_ERRORS_H_
