#include "tests/system/reflection.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/unknown_field_set.h>
#include <grpcpp/generic/generic_stub.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace unionhub::testing {
namespace {

using google::protobuf::UnknownField;
using google::protobuf::UnknownFieldSet;

constexpr char kMethod[] =
    "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo";

// grpc/reflection/v1alpha/reflection.proto field numbers.
constexpr int kRequestListServices = 7;         // ServerReflectionRequest
constexpr int kResponseListServices = 6;        // ServerReflectionResponse
constexpr int kResponseError = 7;               // ServerReflectionResponse
constexpr int kListServiceResponseService = 1;  // repeated ServiceResponse
constexpr int kServiceResponseName = 1;         // string

// The length-delimited values of field `number` in `set`, in order.
std::vector<std::string> LengthDelimited(const UnknownFieldSet& set,
                                         int number) {
  std::vector<std::string> values;
  for (int i = 0; i < set.field_count(); ++i) {
    const UnknownField& field = set.field(i);
    if (field.number() == number &&
        field.type() == UnknownField::TYPE_LENGTH_DELIMITED) {
      values.push_back(field.length_delimited());
    }
  }
  return values;
}

grpc::ByteBuffer ToByteBuffer(const std::string& bytes) {
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

absl::StatusOr<std::string> FromByteBuffer(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  grpc::Status dumped = buffer.Dump(&slices);
  if (!dumped.ok()) return absl::InternalError(dumped.error_message());
  std::string bytes;
  for (const grpc::Slice& slice : slices) {
    bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  return bytes;
}

// Waits for the completion of the one operation in flight on `cq`.
absl::Status Await(grpc::CompletionQueue& cq, void* tag, absl::Time deadline,
                   const char* what) {
  void* got = nullptr;
  bool ok = false;
  switch (cq.AsyncNext(&got, &ok, absl::ToChronoTime(deadline))) {
    case grpc::CompletionQueue::GOT_EVENT:
      if (got != tag) return absl::InternalError("unexpected completion tag");
      if (!ok) return absl::UnavailableError(absl::StrCat(what, " failed"));
      return absl::OkStatus();
    case grpc::CompletionQueue::TIMEOUT:
      return absl::DeadlineExceededError(absl::StrCat(what, " timed out"));
    default:
      return absl::InternalError("completion queue shut down");
  }
}

}  // namespace

std::string EncodeListServicesRequest() {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream raw(&bytes);
    google::protobuf::io::CodedOutputStream out(&raw);
    const std::string all = "*";
    constexpr uint32_t kLengthDelimited = 2;  // wire type
    out.WriteTag((static_cast<uint32_t>(kRequestListServices) << 3) |
                 kLengthDelimited);
    out.WriteVarint32(static_cast<uint32_t>(all.size()));
    out.WriteString(all);
  }
  return bytes;
}

absl::StatusOr<std::vector<std::string>> DecodeListServicesResponse(
    const std::string& bytes) {
  UnknownFieldSet response;
  if (!response.ParseFromString(bytes)) {
    return absl::DataLossError("ServerReflectionResponse does not parse");
  }
  std::vector<std::string> errors = LengthDelimited(response, kResponseError);
  if (!errors.empty()) {
    return absl::UnknownError("reflection answered with an error_response");
  }
  std::vector<std::string> lists =
      LengthDelimited(response, kResponseListServices);
  if (lists.size() != 1) {
    return absl::DataLossError(absl::StrCat(
        "expected one list_services_response, got ", lists.size()));
  }
  UnknownFieldSet list;
  if (!list.ParseFromString(lists[0])) {
    return absl::DataLossError("ListServiceResponse does not parse");
  }
  std::vector<std::string> names;
  for (const std::string& service :
       LengthDelimited(list, kListServiceResponseService)) {
    UnknownFieldSet entry;
    if (!entry.ParseFromString(service)) {
      return absl::DataLossError("ServiceResponse does not parse");
    }
    for (std::string& name : LengthDelimited(entry, kServiceResponseName)) {
      names.push_back(std::move(name));
    }
  }
  return names;
}

absl::StatusOr<std::vector<std::string>> ListServicesByReflection(
    const std::shared_ptr<grpc::Channel>& channel, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(deadline));
  grpc::CompletionQueue cq;
  std::unique_ptr<grpc::GenericClientAsyncReaderWriter> call =
      stub.PrepareCall(&context, kMethod, &cq);
  // Tags only need to be distinct addresses; one operation is in flight at
  // a time.
  int start_tag = 0, write_tag = 0, done_tag = 0, read_tag = 0, finish_tag = 0;
  absl::Status failure;
  grpc::ByteBuffer reply;
  call->StartCall(&start_tag);
  failure = Await(cq, &start_tag, deadline, "StartCall");
  if (failure.ok()) {
    call->Write(ToByteBuffer(EncodeListServicesRequest()), &write_tag);
    failure = Await(cq, &write_tag, deadline, "Write");
  }
  if (failure.ok()) {
    call->WritesDone(&done_tag);
    failure = Await(cq, &done_tag, deadline, "WritesDone");
  }
  bool got_reply = false;
  if (failure.ok()) {
    call->Read(&reply, &read_tag);
    got_reply = Await(cq, &read_tag, deadline, "Read").ok();
  }
  // Finish always, so the call's status explains a failure and the queue
  // can be drained.
  grpc::Status status;
  call->Finish(&status, &finish_tag);
  absl::Status finished = Await(cq, &finish_tag, deadline, "Finish");
  if (!finished.ok()) context.TryCancel();
  cq.Shutdown();
  void* ignored_tag = nullptr;
  bool ignored_ok = false;
  while (cq.Next(&ignored_tag, &ignored_ok)) {
  }
  if (!status.ok()) {
    return absl::Status(
        static_cast<absl::StatusCode>(status.error_code()),
        absl::StrCat("ServerReflectionInfo: ", status.error_message()));
  }
  if (!failure.ok()) return failure;
  if (!got_reply) return absl::DataLossError("no reflection response");
  absl::StatusOr<std::string> bytes = FromByteBuffer(reply);
  if (!bytes.ok()) return bytes.status();
  return DecodeListServicesResponse(*bytes);
}

}  // namespace unionhub::testing
