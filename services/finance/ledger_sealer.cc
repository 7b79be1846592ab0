#include "services/finance/ledger_sealer.h"

#include <map>
#include <optional>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/core/log.h"
#include "common/core/trace.h"
#include "services/finance/domain/ledger.h"
#include "services/finance/store/ledger_key.h"
#include "services/finance/store/ledger_store.h"
#include "services/finance/store/seal_store.h"

namespace unionhub::finance {

absl::StatusOr<int64_t> SealOnce(db::Pool& pool, int64_t max_entries) {
  // (1) An instant of exclusive access to the gate: once this short
  // transaction commits, every id up to the horizon is committed or rolled
  // back for good, so a seal over them can never miss a late entry.
  int64_t horizon = 0;
  absl::Status read = pool.InTransaction([&](db::Connection& conn) {
    horizon = store::CommittedEntryHorizon(conn);
    return absl::OkStatus();
  });
  if (!read.ok()) return read;

  // (2) Seal what lies between the latest seal and the horizon.
  int64_t sealed = 0;
  absl::Status wrote =
      pool.InTransaction([&](db::Connection& conn) -> absl::Status {
        sealed = 0;
        const std::optional<store::SealRow> latest = store::LatestSeal(conn);
        const int64_t first = latest ? latest->last_entry_id + 1 : 1;
        if (horizon < first) return absl::OkStatus();
        int64_t last = horizon;
        if (max_entries > 0) {
          if (std::optional<int64_t> nth =
                  store::NthEntryAfter(conn, first - 1, horizon, max_entries)) {
            last = *nth;
          }
        }
        const std::vector<domain::Entry> entries =
            store::EntriesInRange(conn, first, last);
        // Ids taken by rolled-back writers leave nothing to seal; the range
        // simply grows until an entry arrives.
        if (entries.empty()) return absl::OkStatus();

        // Refuse to seal an entry that no longer matches the hash written with
        // it, or that was re-hashed without the key: sealing would make the
        // alteration look legitimate.
        const std::string key = store::LedgerKey();
        const std::map<int64_t, std::string> written =
            store::StoredEntryHashes(conn, first, last);
        const bool keyed_before =
            latest && latest->hash_version == domain::kHashKeyed;
        const domain::VerifyResult unsealed =
            domain::VerifyUnsealed(entries, written, key, keyed_before);
        if (!unsealed.intact) {
          return absl::DataLossError(
              absl::StrCat(unsealed.reason, "; not sealing"));
        }
        store::SealRow seal;
        seal.first_entry_id = first;
        seal.last_entry_id = last;
        seal.entry_count = static_cast<int64_t>(entries.size());
        seal.hash_version = store::LedgerHashVersion();
        seal.previous_hash =
            latest ? latest->seal_hash : std::string(domain::kGenesisSealHex);
        for (const domain::Entry& entry : entries) {
          seal.entry_ids.push_back(entry.entry_id);
          seal.entry_hashes.push_back(written.at(entry.entry_id));
        }
        seal.seal_hash = domain::SealHash(seal.previous_hash, first, last,
                                          entries, key, seal.hash_version);
        // Another replica sealing the same range first is not an error.
        if (store::InsertSeal(conn, seal)) sealed = seal.entry_count;
        return absl::OkStatus();
      });
  if (!wrote.ok()) return wrote;
  return sealed;
}

LedgerSealer::LedgerSealer(db::Pool& pool, absl::Duration interval)
    : pool_(pool), interval_(interval) {}

LedgerSealer::~LedgerSealer() { Stop(); }

void LedgerSealer::Start() {
  if (thread_.joinable() || stop_.HasBeenNotified()) return;
  thread_ = std::thread([this] {
    do {
      trace::Scope trace(trace::NewTrace());  // one per seal, for its logs
      absl::StatusOr<int64_t> sealed = SealOnce(pool_);
      if (!sealed.ok()) {
        log::Error("ledger sealing failed",
                   {{"error", std::string(sealed.status().message())}});
      } else if (*sealed > 0) {
        log::Write(log::Level::kDebug, "ledger sealed",
                   {{"entries", absl::StrCat(*sealed)}});
      }
    } while (!stop_.WaitForNotificationWithTimeout(interval_));
  });
}

void LedgerSealer::Stop() {
  if (!stop_.HasBeenNotified()) stop_.Notify();
  if (thread_.joinable()) thread_.join();
}

}  // namespace unionhub::finance
