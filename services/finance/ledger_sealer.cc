#include "services/finance/ledger_sealer.h"

#include <prometheus/gauge.h>

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

absl::StatusOr<int64_t> SealOnce(db::Pool& pool, int64_t max_entries,
                                 const db::Fence* fence) {
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
        if (absl::Status fenced = db::CheckFence(fence, conn); !fenced.ok()) {
          return fenced;
        }
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

void TrackSealProgress(rpc::Metrics& metrics, db::Pool& pool) {
  prometheus::Gauge& unsealed =
      metrics.Gauge("unionhub_ledger_unsealed_entries",
                    "Ledger entries written after the latest seal");
  prometheus::Gauge& last_seal =
      metrics.Gauge("unionhub_ledger_last_seal_timestamp_seconds",
                    "When the latest ledger seal was written (0: none yet)");
  prometheus::Gauge& oldest = metrics.Gauge(
      "unionhub_ledger_oldest_unsealed_age_seconds",
      "Age of the oldest unsealed ledger entry (0: everything is sealed); "
      "the ledger check reports a stall past --seal_stall_after");
  metrics.AddRefresh([&pool, &unsealed, &last_seal, &oldest] {
    int64_t count = 0;
    int64_t age = 0;
    std::optional<double> sealed_at;
    absl::Status read = pool.Run([&](db::Connection& conn) {
      const std::optional<store::SealRow> latest = store::LatestSeal(conn);
      const int64_t last_sealed = latest ? latest->last_entry_id : 0;
      count = store::CountEntriesAfter(conn, last_sealed);
      age = store::OldestEntryAgeAfter(conn, last_sealed);
      sealed_at = store::LatestSealTime(conn);
      return absl::OkStatus();
    });
    if (!read.ok()) return;  // the last reading stays; the pool logs why
    unsealed.Set(static_cast<double>(count));
    oldest.Set(static_cast<double>(age));
    last_seal.Set(sealed_at.value_or(0));
  });
}

LedgerSealer::LedgerSealer(db::Pool& pool, absl::Duration interval,
                           const db::Fence* fence)
    : pool_(pool), fence_(fence), thread_(interval, [this] { SealAndLog(); }) {}

LedgerSealer::~LedgerSealer() { Stop(); }

void LedgerSealer::SealAndLog() {
  trace::Scope trace(trace::NewTrace());  // one per seal, for its logs
  absl::StatusOr<int64_t> sealed = SealOnce(pool_, 0, fence_);
  if (!sealed.ok()) {
    log::Error("ledger sealing failed",
               {{"error", std::string(sealed.status().message())}});
  } else if (*sealed > 0) {
    log::Write(log::Level::kDebug, "ledger sealed",
               {{"entries", absl::StrCat(*sealed)}});
  }
}

}  // namespace unionhub::finance
