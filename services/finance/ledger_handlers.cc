// The ledger: reversals, single entries, the seal-chain verification and
// the export.
#include <cppconn/exception.h>
#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <functional>
#include <set>

#include "absl/strings/str_cat.h"
#include "common/core/field_checks.h"
#include "common/core/text.h"
#include "common/db/sql.h"
#include "common/rpc/idempotent.h"
#include "common/rpc/violations.h"
#include "services/finance/domain/ledger.h"
#include "services/finance/finance_service.h"
#include "services/finance/store/ledger_key.h"
#include "services/finance/store/ledger_store.h"
#include "services/finance/store/seal_store.h"

namespace unionhub::finance {
namespace {

using db::Connection;

constexpr int kErrDuplicateKey = 1062;
constexpr int kExportPageSize = 1000;

constexpr text::TextRule kReasonRule{
    .min_chars = 1, .max_chars = 512, .allow_newlines = true};

void ToProto(const store::StoredEntry& stored, int64_t seal_id,
             v1::LedgerEntry* out) {
  const domain::Entry& e = stored.entry;
  out->set_entry_id(e.entry_id);
  google::protobuf::util::TimeUtil::FromString(e.occurred_at,
                                               out->mutable_occurred_at());
  out->set_kind(e.kind);
  out->set_memo(e.memo);
  out->set_reverses_entry_id(e.reverses_entry_id);
  out->set_reversed_by_entry_id(stored.reversed_by_entry_id);
  for (const domain::Posting& p : e.postings) {
    v1::Posting* posting = out->add_postings();
    posting->set_account(p.account);
    posting->set_amount_fen(p.amount);
  }
  out->set_entry_hash(stored.entry_hash);
  out->set_seal_id(seal_id);
  out->set_request_id(stored.request_id);
}

// The chain names the first entry whose hash no longer matches; when an
// entry was deleted that is the one after it. The ids stored with the
// seal's entry hashes name the deleted (or an inserted) entry itself.
domain::VerifyResult NameMissingEntry(Connection& conn,
                                      const std::vector<store::SealRow>& seals,
                                      const domain::VerifyResult& chain) {
  for (const store::SealRow& seal : seals) {
    if (chain.first_bad_entry_id < seal.first_entry_id ||
        chain.first_bad_entry_id > seal.last_entry_id ||
        seal.entry_ids.empty()) {
      continue;
    }
    std::set<int64_t> present;
    for (const domain::Entry& e :
         store::EntriesInRange(conn, seal.first_entry_id, seal.last_entry_id)) {
      present.insert(e.entry_id);
    }
    const std::set<int64_t> sealed(seal.entry_ids.begin(),
                                   seal.entry_ids.end());
    domain::VerifyResult named = chain;
    for (int64_t id : sealed) {
      if (id > 0 && id <= named.first_bad_entry_id && present.count(id) == 0) {
        named.first_bad_entry_id = id;
        named.reason = absl::StrCat("entry ", id, " was sealed in seal ",
                                    seal.seal_id, " but is missing (deleted)");
        break;
      }
    }
    for (int64_t id : present) {
      if (id < named.first_bad_entry_id && sealed.count(id) == 0) {
        named.first_bad_entry_id = id;
        named.reason = absl::StrCat("entry ", id, " is not in seal ",
                                    seal.seal_id, ": it was inserted later");
        break;
      }
    }
    return named;
  }
  return chain;
}

}  // namespace

// A reversal corrects the ledger only: the business rows the original
// entry came with (charges, payments, collections, rollups) stay as they
// are.
absl::Status FinanceServiceImpl::DoReverseTransaction(
    const rpc::Caller&, const v1::ReverseTransactionRequest& req,
    v1::ReverseTransactionResponse* resp) {
  Violations violations;
  rpc::CheckRequestId(req.request_id(), violations);
  fields::CheckId(req.entry_id(), "entry_id", violations);
  if (req.reason().empty()) {
    violations.Add("reason", "required: why the entry is reversed");
  } else {
    text::Check(req.reason(), "reason", kReasonRule, violations);
  }
  if (!violations.empty()) return violations.ToStatus();

  return rpc::RunIdempotent<v1::ReverseTransactionResponse>(
      pool_, "ReverseTransaction", req.request_id(), req, resp,
      [&](Connection& conn,
          v1::ReverseTransactionResponse* out) -> absl::Status {
        absl::StatusOr<store::StoredEntry> original =
            store::GetEntry(conn, req.entry_id());
        if (!original.ok()) return original.status();
        if (original->entry.reverses_entry_id != 0) {
          return absl::FailedPreconditionError(absl::StrCat(
              "entry ", req.entry_id(), " is itself the reversal of entry ",
              original->entry.reverses_entry_id,
              "; a reversal is not reversed (post a new entry instead)"));
        }
        if (original->reversed_by_entry_id != 0) {
          return absl::FailedPreconditionError(absl::StrCat(
              "entry ", req.entry_id(), " was already reversed by entry ",
              original->reversed_by_entry_id));
        }
        absl::StatusOr<domain::Entry> posted;
        try {
          posted = store::PostEntry(
              conn, domain::Reversal(original->entry, 0, "", req.reason()),
              req.request_id());
        } catch (const sql::SQLException& e) {
          // The unique index on reverses_entry_id: a concurrent reversal of
          // the same entry committed first.
          if (e.getErrorCode() != kErrDuplicateKey) throw;
          return absl::FailedPreconditionError(
              absl::StrCat("entry ", req.entry_id(), " was already reversed"));
        }
        if (!posted.ok()) return posted.status();
        store::StoredEntry stored;
        stored.entry = *posted;
        stored.request_id = req.request_id();
        stored.entry_hash = domain::EntryHashHex(*posted, store::LedgerKey());
        ToProto(stored, 0, out->mutable_reversal());
        return absl::OkStatus();
      });
}

absl::Status FinanceServiceImpl::DoGetTransaction(
    const rpc::Caller&, const v1::GetTransactionRequest& req,
    v1::GetTransactionResponse* resp) {
  Violations violations;
  fields::CheckId(req.entry_id(), "entry_id", violations);
  if (!violations.empty()) return violations.ToStatus();
  return pool_.Run([&](Connection& conn) -> absl::Status {
    absl::StatusOr<store::StoredEntry> stored =
        store::GetEntry(conn, req.entry_id());
    if (!stored.ok()) return stored.status();
    ToProto(*stored, stored->seal_id, resp->mutable_entry());
    return absl::OkStatus();
  });
}

// The chain can only be checked from the genesis seal on, so every seal up
// to the one covering `to` is verified whatever `from` is; `from` limits
// the balance check. With to = 0 the chain is checked to the latest seal
// and the balance of every entry from `from` on, sealed or not.
absl::Status AuditServiceImpl::DoVerifyLedger(
    const rpc::Caller&, const v1::VerifyLedgerRequest& req,
    v1::VerifyLedgerResponse* resp) {
  Violations violations;
  fields::CheckOptionalId(req.from_entry_id(), "from_entry_id", violations);
  fields::CheckOptionalId(req.to_entry_id(), "to_entry_id", violations);
  if (req.to_entry_id() != 0 && req.to_entry_id() < req.from_entry_id()) {
    violations.Add("to_entry_id", "must not be before from_entry_id");
  }
  if (!violations.empty()) return violations.ToStatus();

  // One snapshot, so entries committed meanwhile cannot look like damage.
  return pool_.InTransaction([&](Connection& conn) -> absl::Status {
    resp->Clear();
    const std::optional<store::SealRow> latest = store::LatestSeal(conn);
    const int64_t last_sealed = latest ? latest->last_entry_id : 0;
    resp->set_last_sealed_entry_id(last_sealed);
    resp->set_latest_seal_hash(latest ? latest->seal_hash
                                      : std::string(domain::kGenesisSealHex));
    resp->set_unsealed_entries(store::CountEntriesAfter(conn, last_sealed));

    const int64_t to = req.to_entry_id() == 0 ? last_sealed : req.to_entry_id();
    std::vector<store::SealRow> rows;
    if (to > 0) rows = store::SealsThrough(conn, to);
    std::vector<domain::Seal> seals;
    for (const store::SealRow& row : rows) {
      domain::Seal seal;
      seal.seal_id = row.seal_id;
      seal.first_entry_id = row.first_entry_id;
      seal.last_entry_id = row.last_entry_id;
      seal.previous_hex = row.previous_hash;
      seal.hash_hex = row.seal_hash;
      seal.entry_hashes_hex = row.entry_hashes;
      seal.hash_version = row.hash_version;
      seals.push_back(std::move(seal));
    }
    const std::string key = store::LedgerKey();
    int64_t checked = 0;
    const domain::VerifyResult chain = domain::VerifyChain(
        seals,
        [&](int64_t first, int64_t last) {
          std::vector<domain::Entry> entries =
              store::EntriesInRange(conn, first, last);
          checked += static_cast<int64_t>(entries.size());
          return entries;
        },
        key);
    resp->set_seals_checked(static_cast<int32_t>(seals.size()));

    // Entries after the latest seal are checked against the hash written
    // with each: a seal is not the only evidence, and an entry altered
    // before its seal must not pass as intact meanwhile.
    const int64_t max_id = store::MaxEntryId(conn);
    const int64_t unsealed_to =
        req.to_entry_id() == 0 ? max_id : std::min(req.to_entry_id(), max_id);
    domain::VerifyResult unsealed;
    int64_t first_unsealed = 0;
    if (unsealed_to > last_sealed) {
      const std::vector<domain::Entry> entries =
          store::EntriesInRange(conn, last_sealed + 1, unsealed_to);
      checked += static_cast<int64_t>(entries.size());
      if (!entries.empty()) first_unsealed = entries.front().entry_id;
      unsealed = domain::VerifyUnsealed(
          entries, store::StoredEntryHashes(conn, last_sealed + 1, unsealed_to),
          key, latest && latest->hash_version == domain::kHashKeyed);
    }
    resp->set_entries_checked(checked);

    // A sealer that fails (or does not run) leaves entries unsealed; past
    // the threshold that is reported, not left to the service log.
    std::string stall;
    if (req.to_entry_id() == 0 && first_unsealed != 0) {
      const int64_t age = store::OldestEntryAgeAfter(conn, last_sealed);
      if (age > absl::ToInt64Seconds(seal_stall_after_)) {
        stall = absl::StrCat("sealing has stalled: entry ", first_unsealed,
                             " and those after it are unsealed ", age,
                             " s after they were "
                             "written (more than ",
                             absl::ToInt64Seconds(seal_stall_after_),
                             " s); see the sealer's log");
      }
    }

    const int64_t balance_to =
        req.to_entry_id() == 0 ? max_id : req.to_entry_id();
    const std::optional<store::Unbalanced> unbalanced =
        store::FirstUnbalancedEntry(conn, req.from_entry_id(), balance_to);
    resp->set_ledger_balanced(!unbalanced.has_value());

    if (!chain.intact) {
      const domain::VerifyResult named = NameMissingEntry(conn, rows, chain);
      resp->set_intact(false);
      resp->set_first_bad_entry_id(named.first_bad_entry_id);
      resp->set_reason(named.reason);
    } else if (!unsealed.intact) {
      resp->set_intact(false);
      resp->set_first_bad_entry_id(unsealed.first_bad_entry_id);
      resp->set_reason(unsealed.reason);
    } else if (unbalanced.has_value()) {
      resp->set_intact(false);
      resp->set_first_bad_entry_id(unbalanced->entry_id);
      resp->set_reason(unbalanced->reason);
    } else if (!stall.empty()) {
      resp->set_intact(false);
      resp->set_first_bad_entry_id(first_unsealed);
      resp->set_reason(stall);
    } else {
      resp->set_intact(true);
    }
    return absl::OkStatus();
  });
}

absl::Status AuditServiceImpl::DoExportLedger(
    const rpc::Caller&, grpc::ServerContext& context,
    const v1::ExportLedgerRequest& req,
    rpc::ResponseStream<v1::ExportLedgerResponse>& writer) {
  Violations violations;
  fields::CheckOptionalId(req.from_entry_id(), "from_entry_id", violations);
  fields::CheckOptionalId(req.to_entry_id(), "to_entry_id", violations);
  if (req.to_entry_id() != 0 && req.to_entry_id() < req.from_entry_id()) {
    violations.Add("to_entry_id", "must not be before from_entry_id");
  }
  if (!violations.empty()) return violations.ToStatus();

  // Without an end, the export stops at the committed horizon: every id up
  // to it is final, so the export is a gap-free prefix of the ledger even
  // while writers commit out of id order.
  int64_t to = req.to_entry_id();
  if (to == 0) {
    absl::Status horizon = pool_.InTransaction([&](Connection& conn) {
      to = store::CommittedEntryHorizon(conn);
      return absl::OkStatus();
    });
    if (!horizon.ok()) return horizon;
  }
  int64_t after = req.from_entry_id() > 0 ? req.from_entry_id() - 1 : 0;
  while (after < to) {
    if (context.IsCancelled()) {
      return absl::CancelledError("the client cancelled the export");
    }
    std::vector<store::StoredEntry> page;
    std::vector<store::SealRange> seals;
    absl::Status read = pool_.Run([&](Connection& conn) {
      page = store::EntriesPage(conn, after, to, kExportPageSize);
      if (!page.empty()) {
        seals = store::SealRanges(conn, page.front().entry.entry_id,
                                  page.back().entry.entry_id);
      }
      return absl::OkStatus();
    });
    if (!read.ok()) return read;
    if (page.empty()) break;
    for (const store::StoredEntry& stored : page) {
      v1::ExportLedgerResponse message;
      ToProto(stored, store::SealOf(seals, stored.entry.entry_id),
              message.mutable_entry());
      if (!writer.Write(message)) {
        return absl::CancelledError("the client went away");
      }
    }
    after = page.back().entry.entry_id;
  }
  return absl::OkStatus();
}

}  // namespace unionhub::finance
