// SCAFFOLD: replaced by the real preparation-fund release.
#include "services/finance/roster_hooks.h"

namespace unionhub::finance {

absl::Status OnUnionEstablished(db::Connection&, int64_t, int64_t,
                                const std::string&) {
  return absl::OkStatus();
}

}  // namespace unionhub::finance
