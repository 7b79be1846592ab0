// Validation of the fields every API shares: request ids, page sizes.
#ifndef UNIONHUB_COMMON_RPC_VIOLATIONS_H_
#define UNIONHUB_COMMON_RPC_VIOLATIONS_H_

#include <cstdint>

#include "absl/strings/string_view.h"
#include "common/core/violations.h"

namespace unionhub::rpc {

// request_id: required, 1..64 characters of [A-Za-z0-9._:-].
void CheckRequestId(absl::string_view request_id, Violations& violations,
                    absl::string_view field = "request_id");

// page_size: 0 means `default_size`; negative or above `max_size` is a
// violation. Returns the effective size.
int32_t CheckPageSize(int32_t page_size, Violations& violations,
                      int32_t default_size = 100, int32_t max_size = 1000);

}  // namespace unionhub::rpc

#endif  // UNIONHUB_COMMON_RPC_VIOLATIONS_H_
