#include "common/rpc/field_mask.h"

#include <google/protobuf/util/field_mask_util.h>
#include <google/protobuf/util/message_differencer.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <set>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace unionhub::rpc {
namespace {

using google::protobuf::FieldMask;
using google::protobuf::Message;
using google::protobuf::util::FieldMaskUtil;
using google::protobuf::util::MessageDifferencer;

// Unknown paths are echoed back; a hostile client must not be able to make
// the error message arbitrarily long.
constexpr size_t kMaxEchoedPathBytes = 64;

// FieldMaskUtil skips empty segments ("", "name.", "a..b"); a path with
// one names no field.
bool IsFieldPath(const google::protobuf::Descriptor* type,
                 absl::string_view path) {
  if (path.empty() || path.front() == '.' || path.back() == '.' ||
      absl::StrContains(path, "..")) {
    return false;
  }
  return FieldMaskUtil::GetFieldDescriptors(type, std::string(path),
                                            /*field_descriptors=*/nullptr);
}

// The caller's text, quoted, C-escaped and cut.
std::string Echo(absl::string_view path) {
  const bool cut = path.size() > kMaxEchoedPathBytes;
  if (cut) path = path.substr(0, kMaxEchoedPathBytes);
  return absl::StrCat("\"", absl::CEscape(path), cut ? "...\"" : "\"");
}

FieldMask MaskOf(absl::string_view path) {
  FieldMask mask;
  mask.add_paths(std::string(path));
  return mask;
}

}  // namespace

FieldMaskRules::Refused FieldMaskRules::OutputOnly(absl::string_view path) {
  return {std::string(path), absl::StrCat(path, " is output only")};
}

FieldMaskRules::Refused FieldMaskRules::UseInstead(absl::string_view path,
                                                   absl::string_view instead) {
  return {std::string(path),
          absl::StrCat(path, " cannot be updated here; use ", instead)};
}

FieldMaskRules::FieldMaskRules(const google::protobuf::Descriptor* type,
                               std::vector<std::string> updatable,
                               std::vector<Refused> refused)
    : type_(type),
      updatable_(std::move(updatable)),
      refused_(std::move(refused)),
      updatable_list_(absl::StrJoin(updatable_, ", ")) {
  std::vector<std::string> all = updatable_;
  for (const Refused& r : refused_) all.push_back(r.path);
  for (const std::string& path : all) {
    if (!IsFieldPath(type_, path)) {
      std::fprintf(stderr, "FieldMaskRules: %s has no field \"%s\"\n",
                   type_->full_name().c_str(), path.c_str());
      std::abort();
    }
  }
}

bool FieldMaskRules::IsUpdatable(absl::string_view path) const {
  return std::find(updatable_.begin(), updatable_.end(), path) !=
         updatable_.end();
}

std::vector<std::string> FieldMaskRules::Check(
    const std::vector<std::string>& paths, Violations& v,
    absl::string_view field) const {
  std::vector<std::string> accepted;
  if (paths.empty()) v.Add(field, "must name at least one field");
  std::set<std::string> seen;
  for (const std::string& path : paths) {
    if (!seen.insert(path).second) continue;
    if (IsUpdatable(path)) {
      accepted.push_back(path);
      continue;
    }
    auto refused =
        std::find_if(refused_.begin(), refused_.end(),
                     [&](const Refused& r) { return r.path == path; });
    if (refused != refused_.end()) {
      v.Add(field, refused->reason);
    } else if (IsFieldPath(type_, path)) {
      v.Add(field, absl::StrCat(path, " cannot be updated (updatable: ",
                                updatable_list_, ")"));
    } else {
      v.Add(field, absl::StrCat("unknown field ", Echo(path),
                                " (updatable: ", updatable_list_, ")"));
    }
  }
  return accepted;
}

std::vector<std::string> FieldMaskRules::Check(const FieldMask& mask,
                                               Violations& v,
                                               absl::string_view field) const {
  return Check(
      std::vector<std::string>(mask.paths().begin(), mask.paths().end()), v,
      field);
}

std::vector<std::string> FieldMaskRules::Apply(
    const Message& from, const std::vector<std::string>& paths,
    Message* to) const {
  FieldMaskUtil::MergeOptions options;
  // A masked repeated field is replaced, not appended to (AIP-134).
  options.set_replace_repeated_fields(true);
  std::vector<std::string> changed;
  std::set<std::string> seen;
  std::unique_ptr<Message> before(from.New());
  std::unique_ptr<Message> after(from.New());
  for (const std::string& path : paths) {
    if (!IsUpdatable(path) || !seen.insert(path).second) continue;
    const FieldMask mask = MaskOf(path);
    before->Clear();
    FieldMaskUtil::MergeMessageTo(*to, mask, options, before.get());
    FieldMaskUtil::MergeMessageTo(from, mask, options, to);
    after->Clear();
    FieldMaskUtil::MergeMessageTo(*to, mask, options, after.get());
    if (!MessageDifferencer::Equals(*before, *after)) changed.push_back(path);
  }
  return changed;
}

}  // namespace unionhub::rpc
