// A minimal gRPC server-reflection client (grpc.reflection.v1alpha) that
// needs no generated reflection code: the request and response are encoded
// by hand and the call goes through grpc::GenericStub. (Debian ships no
// reflection .proto for clients, and a second generated copy of the
// reflection messages would clash with the one in grpc++_reflection, which
// the server library links.)
#ifndef UNIONHUB_TESTS_SYSTEM_REFLECTION_H_
#define UNIONHUB_TESTS_SYSTEM_REFLECTION_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace unionhub::testing {

// ServerReflectionRequest{list_services: "*"}, serialised.
std::string EncodeListServicesRequest();

// The service names in a serialised ServerReflectionResponse's
// list_services_response; an error if the response is not one (e.g. an
// error_response) or does not parse.
absl::StatusOr<std::vector<std::string>> DecodeListServicesResponse(
    const std::string& bytes);

// Calls ServerReflectionInfo on `channel` with one list_services request.
absl::StatusOr<std::vector<std::string>> ListServicesByReflection(
    const std::shared_ptr<grpc::Channel>& channel,
    absl::Duration timeout = absl::Seconds(10));

}  // namespace unionhub::testing

#endif  // UNIONHUB_TESTS_SYSTEM_REFLECTION_H_
