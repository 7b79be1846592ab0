// The calls fault tests make, each with its own deadline, returning the
// status and the response so a test can compare a retry's answer with the
// first one.
#ifndef UNIONHUB_TESTS_FAULT_CALLS_H_
#define UNIONHUB_TESTS_FAULT_CALLS_H_

#include <grpcpp/grpcpp.h>

#include <string>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "unionhub/finance/v1/finance.grpc.pb.h"
#include "unionhub/membership/v1/membership.grpc.pb.h"

namespace unionhub::testing {

template <typename Response>
struct Answer {
  grpc::Status status;
  Response response;
  bool ok() const { return status.ok(); }
};

// stub->*method(request) with `timeout`.
template <typename Stub, typename Request, typename Response>
Answer<Response> Call(Stub& stub,
                      grpc::Status (Stub::*method)(grpc::ClientContext*,
                                                   const Request&, Response*),
                      const Request& request,
                      absl::Duration timeout = absl::Seconds(20)) {
  Answer<Response> answer;
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  answer.status = (stub.*method)(&context, request, &answer.response);
  return answer;
}

// A county federation (parent 0) or an org of `type` under `parent_id`.
inline membership::v1::CreateOrgRequest OrgRequest(
    const std::string& request_id, const std::string& name,
    int64_t parent_id = 0,
    membership::v1::OrgType type = membership::v1::ORG_TYPE_COUNTY_FEDERATION) {
  membership::v1::CreateOrgRequest request;
  request.set_request_id(request_id);
  request.mutable_org()->set_type(type);
  request.mutable_org()->set_parent_id(parent_id);
  request.mutable_org()->set_name(name);
  return request;
}

// True for the codes a client retries with the same request_id: the
// service or its database was away, or the call's fate is unknown.
inline bool Retryable(const grpc::Status& status) {
  return status.error_code() == grpc::StatusCode::UNAVAILABLE ||
         status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED ||
         status.error_code() == grpc::StatusCode::ABORTED ||
         status.error_code() == grpc::StatusCode::CANCELLED ||
         status.error_code() == grpc::StatusCode::UNKNOWN;
}

}  // namespace unionhub::testing

#endif  // UNIONHUB_TESTS_FAULT_CALLS_H_
