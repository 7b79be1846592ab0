// The command table: `unionctl <group> <verb>` -> one RPC. Everything a
// person runs by hand is one line here; the request flags, help and output
// come from the method's descriptors. Commands that need more than one
// call (imports, the audit report, tokens) are added in main.cc.
#ifndef UNIONHUB_TOOLS_UNIONCTL_COMMANDS_H_
#define UNIONHUB_TOOLS_UNIONCTL_COMMANDS_H_

#include <google/protobuf/descriptor.h>

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace unionhub::unionctl {

// Which address a call goes to (--membership, --finance, --awards).
enum class Target { kMembership, kFinance, kAwards };

struct Command {
  std::string group;
  std::string verb;
  std::string method;  // "package.Service/Method"
  std::string help;
  // The response field printed as rows in CSV (default: the first repeated
  // message field).
  std::string rows = "";
};

// Every table-driven command, in help order.
const std::vector<Command>& Commands();

// The groups and their one-line descriptions, in help order.
struct Group {
  const char* name;
  const char* help;
};
const std::vector<Group>& Groups();

// The method named by "package.Service/Method", also "Service/Method" or
// "Service.Method" when the service name is unique among the compiled-in
// services; nullptr when there is no such method.
const google::protobuf::MethodDescriptor* FindMethod(absl::string_view name);

// Every compiled-in unionhub service.
std::vector<const google::protobuf::ServiceDescriptor*> Services();

// The address a method's service lives at, by its package; the audit
// trail service exists in every binary, so it has no target of its own
// (false).
bool TargetOf(const google::protobuf::MethodDescriptor* method, Target* out);

}  // namespace unionhub::unionctl

#endif  // UNIONHUB_TOOLS_UNIONCTL_COMMANDS_H_
