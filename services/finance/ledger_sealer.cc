// SCAFFOLD: replaced by the real sealer.
#include "services/finance/ledger_sealer.h"

namespace unionhub::finance {

absl::StatusOr<int64_t> SealOnce(db::Pool&, int64_t) { return 0; }

LedgerSealer::LedgerSealer(db::Pool& pool, absl::Duration interval)
    : pool_(pool), interval_(interval) {}
LedgerSealer::~LedgerSealer() { Stop(); }
void LedgerSealer::Start() {}
void LedgerSealer::Stop() {}

}  // namespace unionhub::finance
