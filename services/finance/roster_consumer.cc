// SCAFFOLD: replaced by the real consumer.
#include "services/finance/roster_consumer.h"

namespace unionhub::finance {

RosterConsumer::RosterConsumer(db::Pool& pool, RosterConsumerConfig config)
    : pool_(pool), config_(std::move(config)) {}
RosterConsumer::~RosterConsumer() { Stop(); }
void RosterConsumer::Start() {}
void RosterConsumer::Stop() {}
v1::GetRosterStatusResponse RosterConsumer::Status() const { return {}; }
bool RosterConsumer::WaitForSequence(int64_t, absl::Duration) const {
  return false;
}
void RosterConsumer::ReadLoop() {}
void RosterConsumer::ApplyLoop() {}

}  // namespace unionhub::finance
