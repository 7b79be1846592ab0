// The one mechanism for Update* methods' field masks (AIP-134): a table
// per method of the paths a caller may set, and of known fields that may
// not be set with what to do instead. The same table checks the mask and
// applies it (protobuf's FieldMaskUtil), so the accepted paths and the
// fields copied cannot drift apart.
//
// Its own small library (core + protobuf, no gRPC): domain rules check masks
// too, and domain code never links gRPC.
#ifndef UNIONHUB_COMMON_RPC_FIELD_MASK_H_
#define UNIONHUB_COMMON_RPC_FIELD_MASK_H_

#include <google/protobuf/descriptor.h>
#include <google/protobuf/field_mask.pb.h>
#include <google/protobuf/message.h>

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "common/core/violations.h"

namespace unionhub::rpc {

class FieldMaskRules {
 public:
  struct Refused {
    std::string path;
    std::string reason;  // the whole description, e.g. "org_id cannot be
                         // updated here; use TransferMember"
  };

  // The usual refusals: "<path> is output only", and "<path> cannot be
  // updated here; use <instead>" (another method).
  static Refused OutputOnly(absl::string_view path);
  static Refused UseInstead(absl::string_view path, absl::string_view instead);

  // `updatable` and the refused paths are dotted field paths of `type`
  // ("name", "employer.headcount"); one that is not is a bug in the table
  // and aborts at construction, i.e. in the first test that uses it.
  FieldMaskRules(const google::protobuf::Descriptor* type,
                 std::vector<std::string> updatable,
                 std::vector<Refused> refused = {});

  // One violation on `field` per problem: an empty mask; a refused path
  // (its reason); a field that is not updatable; a path that names no
  // field (echoed C-escaped and cut to 64 bytes, since it is the caller's
  // text). The last two list the updatable paths. A repeated path counts
  // once. Returns the distinct updatable paths, in mask order.
  std::vector<std::string> Check(const std::vector<std::string>& paths,
                                 Violations& v,
                                 absl::string_view field = "update_mask") const;
  std::vector<std::string> Check(const google::protobuf::FieldMask& mask,
                                 Violations& v,
                                 absl::string_view field = "update_mask") const;

  // Copies the fields at `paths` from `from` into `to` (same type; a path
  // into a submessage copies only that field; paths that are not updatable
  // are skipped) and returns the distinct paths whose value changed, in
  // mask order.
  std::vector<std::string> Apply(const google::protobuf::Message& from,
                                 const std::vector<std::string>& paths,
                                 google::protobuf::Message* to) const;

  const std::vector<std::string>& updatable() const { return updatable_; }

 private:
  bool IsUpdatable(absl::string_view path) const;

  const google::protobuf::Descriptor* type_;
  std::vector<std::string> updatable_;
  std::vector<Refused> refused_;
  std::string updatable_list_;  // "name, mobile, ..." for messages
};

}  // namespace unionhub::rpc

#endif  // UNIONHUB_COMMON_RPC_FIELD_MASK_H_
