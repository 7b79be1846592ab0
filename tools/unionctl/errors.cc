#include "tools/unionctl/errors.h"

#include "absl/strings/str_cat.h"
#include "common/rpc/generic_call.h"
#include "tools/unionctl/text.h"

namespace unionhub::unionctl {
namespace {

constexpr const char* kNames[] = {
    "OK",
    "CANCELLED",
    "UNKNOWN",
    "INVALID_ARGUMENT",
    "DEADLINE_EXCEEDED",
    "NOT_FOUND",
    "ALREADY_EXISTS",
    "PERMISSION_DENIED",
    "RESOURCE_EXHAUSTED",
    "FAILED_PRECONDITION",
    "ABORTED",
    "OUT_OF_RANGE",
    "UNIMPLEMENTED",
    "INTERNAL",
    "UNAVAILABLE",
    "DATA_LOSS",
    "UNAUTHENTICATED",
};

}  // namespace

std::string StatusCodeName(int code) {
  if (code >= 0 && code < static_cast<int>(std::size(kNames))) {
    return kNames[code];
  }
  return absl::StrCat("CODE_", code);
}

int ExitCodeFor(int code) {
  switch (code) {
    case 0:  // OK
      return kExitOk;
    case 3:   // INVALID_ARGUMENT
    case 11:  // OUT_OF_RANGE
      return 3;
    case 5:  // NOT_FOUND
      return 4;
    case 6:   // ALREADY_EXISTS
    case 10:  // ABORTED
      return 5;
    case 9:  // FAILED_PRECONDITION
      return 6;
    case 7:   // PERMISSION_DENIED
    case 16:  // UNAUTHENTICATED
      return 7;
    case 4:   // DEADLINE_EXCEEDED
    case 8:   // RESOURCE_EXHAUSTED
    case 14:  // UNAVAILABLE
    case 1:   // CANCELLED
      return 8;
    default:  // UNKNOWN, UNIMPLEMENTED, INTERNAL, DATA_LOSS
      return 9;
  }
}

std::string ExitCodeHelp() {
  return "Exit status:\n"
         "  0   success\n"
         "  1   local failure (a file, TLS material, a malformed CSV)\n"
         "  2   usage error (unknown command, bad flag or flag value)\n"
         "  3   INVALID_ARGUMENT, OUT_OF_RANGE (each bad field is printed)\n"
         "  4   NOT_FOUND\n"
         "  5   ALREADY_EXISTS, ABORTED\n"
         "  6   FAILED_PRECONDITION\n"
         "  7   UNAUTHENTICATED, PERMISSION_DENIED\n"
         "  8   UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, "
         "CANCELLED\n"
         "  9   INTERNAL, UNKNOWN, UNIMPLEMENTED, DATA_LOSS\n"
         "  10  an import finished with rejected rows (see --rejects)\n";
}

std::string FormatRpcError(int code, const std::string& message,
                           const std::string& details) {
  std::string out = absl::StrCat("error: ", StatusCodeName(code), ": ",
                                 EscapeControls(message), "\n");
  for (const FieldViolation& v : rpc::FieldViolations(details)) {
    absl::StrAppend(&out, "  ", EscapeControls(v.field), ": ",
                    EscapeControls(v.description), "\n");
  }
  return out;
}

}  // namespace unionhub::unionctl
