#include "common/rpc/generic_call.h"

#include <grpcpp/impl/codegen/client_unary_call.h>
#include <grpcpp/impl/codegen/proto_utils.h>
#include <grpcpp/impl/codegen/sync_stream.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "unionhub/awards/v1/awards.pb.h"
#include "unionhub/awards/v1/competition.pb.h"
#include "unionhub/common/v1/audit_trail.pb.h"
#include "unionhub/common/v1/errors.pb.h"
#include "unionhub/finance/v1/finance.pb.h"
#include "unionhub/membership/v1/membership.pb.h"

namespace unionhub::rpc {
namespace {

namespace pb = ::google::protobuf;

// Forces the generated descriptors of every service into the binary (a
// static library member nothing refers to would be left out).
void LinkDescriptors() {
  (void)membership::v1::Member::descriptor();
  (void)finance::v1::DuesPolicy::descriptor();
  (void)common::v1::AuditRecord::descriptor();
  (void)awards::v1::CreateProgramRequest::descriptor();
  (void)awards::v1::CreateCompetitionRequest::descriptor();
}

}  // namespace

std::string MethodPath(const pb::MethodDescriptor* method) {
  return absl::StrCat("/", method->service()->full_name(), "/", method->name());
}

std::unique_ptr<pb::Message> NewMessage(const pb::Descriptor* type) {
  const pb::Message* prototype =
      pb::MessageFactory::generated_factory()->GetPrototype(type);
  return std::unique_ptr<pb::Message>(prototype->New());
}

std::vector<const pb::ServiceDescriptor*> UnionhubServices() {
  LinkDescriptors();
  std::vector<const pb::ServiceDescriptor*> out;
  const auto* pool = pb::DescriptorPool::generated_pool();
  for (const char* file : {"unionhub/membership/v1/membership.proto",
                           "unionhub/finance/v1/finance.proto",
                           "unionhub/common/v1/audit_trail.proto",
                           "unionhub/awards/v1/awards.proto",
                           "unionhub/awards/v1/competition.proto"}) {
    const pb::FileDescriptor* fd = pool->FindFileByName(file);
    if (fd == nullptr) continue;
    for (int i = 0; i < fd->service_count(); ++i) out.push_back(fd->service(i));
  }
  return out;
}

const pb::MethodDescriptor* FindUnionhubMethod(absl::string_view name) {
  std::string normalized(name);
  const size_t slash = normalized.rfind('/');
  const size_t split =
      slash != std::string::npos ? slash : normalized.rfind('.');
  if (split == std::string::npos) return nullptr;
  const std::string service = normalized.substr(0, split);
  const std::string method = normalized.substr(split + 1);
  const pb::MethodDescriptor* found = nullptr;
  for (const auto* s : UnionhubServices()) {
    if (s->full_name() != service && s->name() != service) continue;
    const auto* m = s->FindMethodByName(method);
    if (m == nullptr) continue;
    if (found != nullptr) return nullptr;  // ambiguous short name
    found = m;
  }
  return found;
}

grpc::Status CallUnary(grpc::ChannelInterface& channel,
                       const pb::MethodDescriptor* method,
                       grpc::ClientContext& context, const pb::Message& request,
                       pb::Message* response) {
  const std::string path = MethodPath(method);
  grpc::internal::RpcMethod rpc(path.c_str(),
                                grpc::internal::RpcMethod::NORMAL_RPC);
  return grpc::internal::BlockingUnaryCall<pb::Message, pb::Message>(
      &channel, rpc, &context, request, response);
}

struct StreamReader::Impl {
  std::unique_ptr<grpc::ClientReader<pb::Message>> reader;
};

StreamReader::StreamReader(grpc::ChannelInterface& channel,
                           const pb::MethodDescriptor* method,
                           grpc::ClientContext& context,
                           const pb::Message& request)
    : impl_(std::make_unique<Impl>()) {
  const std::string path = MethodPath(method);
  grpc::internal::RpcMethod rpc(path.c_str(),
                                grpc::internal::RpcMethod::SERVER_STREAMING);
  impl_->reader.reset(grpc::internal::ClientReaderFactory<pb::Message>::Create(
      &channel, rpc, &context, request));
}

StreamReader::~StreamReader() = default;

bool StreamReader::Read(pb::Message* out) { return impl_->reader->Read(out); }

grpc::Status StreamReader::Finish() { return impl_->reader->Finish(); }

grpc::Status CallServerStream(
    grpc::ChannelInterface& channel, const pb::MethodDescriptor* method,
    grpc::ClientContext& context, const pb::Message& request,
    const std::function<bool(const pb::Message&)>& on_message) {
  StreamReader reader(channel, method, context, request);
  std::unique_ptr<pb::Message> response = NewMessage(method->output_type());
  bool stopped = false;
  while (reader.Read(response.get())) {
    if (!on_message(*response)) {
      stopped = true;
      context.TryCancel();
      break;
    }
    response->Clear();
  }
  grpc::Status status = reader.Finish();
  if (stopped) return grpc::Status::OK;
  return status;
}

namespace {

// Each detail of serialized ErrorStatus details whose type URL names
// `type`, parsed as a T. Our detail messages are wire-compatible with
// google.rpc's of the same name, whose type URLs other servers would use.
template <typename T>
std::vector<T> DetailsOf(const std::string& details, absl::string_view type) {
  std::vector<T> out;
  common::v1::ErrorStatus status;
  if (details.empty() || !status.ParseFromString(details)) return out;
  for (const auto& any : status.details()) {
    T detail;
    if (absl::StrContains(any.type_url(), type) &&
        detail.ParseFromString(any.value())) {
      out.push_back(std::move(detail));
    }
  }
  return out;
}

}  // namespace

std::vector<FieldViolation> FieldViolations(const std::string& details) {
  std::vector<FieldViolation> out;
  for (const auto& bad :
       DetailsOf<common::v1::BadRequest>(details, "BadRequest")) {
    for (const auto& v : bad.field_violations()) {
      out.push_back({v.field(), v.description(), v.reason()});
    }
  }
  return out;
}

std::vector<PreconditionViolation> PreconditionViolations(
    const std::string& details) {
  std::vector<PreconditionViolation> out;
  for (const auto& failure : DetailsOf<common::v1::PreconditionFailure>(
           details, "PreconditionFailure")) {
    for (const auto& v : failure.violations()) {
      out.push_back(
          {v.type(), v.subject(), v.description(), v.actual(), v.required()});
    }
  }
  return out;
}

}  // namespace unionhub::rpc
