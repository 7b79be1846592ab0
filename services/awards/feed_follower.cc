#include "services/awards/feed_follower.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "common/core/log.h"
#include "services/awards/domain/lifecycle.h"
#include "services/awards/store/feed_store.h"

namespace unionhub::awards {
namespace {

namespace mv1 = ::unionhub::membership::v1;

}  // namespace

std::optional<StatusReason> LeavingReason(const mv1::Event& event) {
  if (event.type() != mv1::EVENT_TYPE_MEMBER_STATUS_CHANGED ||
      !event.has_member()) {
    return std::nullopt;
  }
  absl::string_view code;
  switch (event.member().status()) {
    case mv1::MEMBER_STATUS_LEFT:
      code = status_reasons::kNomineeLeft;
      break;
    case mv1::MEMBER_STATUS_EXPELLED:
      code = status_reasons::kNomineeExpelled;
      break;
    case mv1::MEMBER_STATUS_DECEASED:
      code = status_reasons::kNomineeDeceased;
      break;
    default:
      return std::nullopt;
  }
  // The note is membership's own text (the registrar's words).
  return Because(code, {{"sequence", absl::StrCat(event.sequence())},
                        {"on", event.effective_on()},
                        {"note", event.member().status_reason()}});
}

namespace {

absl::Status SaveCursor(db::Pool& pool, const db::Fence* fence,
                        int64_t sequence) {
  return pool.InTransaction([&](db::Connection& conn) {
    if (absl::Status fenced = db::CheckFence(fence, conn); !fenced.ok()) {
      return fenced;
    }
    store::SetFeedCursor(conn, sequence);
    return absl::OkStatus();
  });
}

}  // namespace

FeedFollower::FeedFollower(db::Pool& pool, FeedFollowerConfig config,
                           const db::Fence* fence)
    : pool_(pool),
      fence_(fence),
      feed_(std::move(config),
            rpc::FeedConsumer{
                .load_cursor = rpc::CursorReader(pool, &store::FeedCursor),
                // Event by event: a failure retries the batch, and what was
                // applied of it changes nothing the second time.
                .apply = [this](const std::vector<mv1::Event>& batch)
                    -> absl::StatusOr<int64_t> {
                  int64_t stored = 0;
                  for (const mv1::Event& event : batch) {
                    absl::StatusOr<bool> applied = Apply(event);
                    if (!applied.ok()) return applied.status();
                    if (*applied) stored = event.sequence();
                  }
                  return stored;
                },
                .save_cursor =
                    [this](int64_t sequence) {
                      return SaveCursor(pool_, fence_, sequence);
                    }}) {}

FeedFollower::~FeedFollower() { Stop(); }

void FeedFollower::Start() { feed_.Start(); }

void FeedFollower::Stop() { feed_.Stop(); }

absl::StatusOr<bool> FeedFollower::Apply(const mv1::Event& event) {
  const std::optional<StatusReason> reason = LeavingReason(event);
  if (!reason.has_value()) return false;
  int64_t withdrawn = 0;
  absl::Status status = pool_.InTransaction([&](db::Connection& conn) {
    if (absl::Status fenced = db::CheckFence(fence_, conn); !fenced.ok()) {
      return fenced;
    }
    withdrawn = store::WithdrawMemberNominations(
        conn, event.member().member_id(),
        NominationSources(NominationAction::kWithdraw), *reason);
    store::SetFeedCursor(conn, event.sequence());
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (withdrawn > 0) {
    log::Info("nominations withdrawn: nominee left",
              {{"member_id", std::to_string(event.member().member_id())},
               {"count", std::to_string(withdrawn)},
               {"sequence", std::to_string(event.sequence())}});
  }
  return true;
}

rpc::FeedLag FeedFollower::Lag() const {
  return feed_.Status().Lag(absl::Now());
}

bool FeedFollower::WaitForSequence(int64_t sequence,
                                   absl::Duration timeout) const {
  return feed_.WaitForSequence(sequence, timeout);
}

}  // namespace unionhub::awards
