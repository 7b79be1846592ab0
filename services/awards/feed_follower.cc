#include "services/awards/feed_follower.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/core/log.h"
#include "services/awards/store/feed_store.h"

namespace unionhub::awards {
namespace {

namespace mv1 = ::unionhub::membership::v1;

}  // namespace

std::string LeavingReason(const mv1::Event& event) {
  if (event.type() != mv1::EVENT_TYPE_MEMBER_STATUS_CHANGED ||
      !event.has_member()) {
    return "";
  }
  const char* what = nullptr;
  switch (event.member().status()) {
    case mv1::MEMBER_STATUS_LEFT:
      what = "left the union";
      break;
    case mv1::MEMBER_STATUS_EXPELLED:
      what = "was expelled";
      break;
    case mv1::MEMBER_STATUS_DECEASED:
      what = "died";
      break;
    default:
      return "";
  }
  std::string reason =
      absl::StrCat("membership event ", event.sequence(), ": the nominee ",
                   what, " on ", event.effective_on());
  if (!event.member().status_reason().empty()) {
    absl::StrAppend(&reason, " (", event.member().status_reason(), ")");
  }
  return reason;
}

FeedFollower::FeedFollower(db::Pool& pool, FeedFollowerConfig config)
    : pool_(pool), config_(std::move(config)) {}

FeedFollower::~FeedFollower() { Stop(); }

void FeedFollower::Start() {
  int64_t cursor = 0;
  absl::Status loaded = pool_.Run([&](db::Connection& conn) {
    cursor = store::FeedCursor(conn);
    return absl::OkStatus();
  });
  if (!loaded.ok()) {
    log::Error("feed cursor unreadable; starting from 0",
               {{"error", std::string(loaded.message())}});
  }
  {
    absl::MutexLock lock(&mu_);
    stopping_ = false;
    handled_ = cursor;
    stored_ = cursor;
  }
  thread_ = std::thread([this] { Loop(); });
}

void FeedFollower::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
    if (context_ != nullptr) context_->TryCancel();
  }
  if (thread_.joinable()) thread_.join();
  FlushCursor();
}

absl::StatusOr<bool> FeedFollower::Apply(const mv1::Event& event) {
  const std::string reason = LeavingReason(event);
  if (reason.empty()) return false;
  int64_t withdrawn = 0;
  absl::Status status = pool_.InTransaction([&](db::Connection& conn) {
    withdrawn = store::WithdrawMemberNominations(
        conn, event.member().member_id(), reason);
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

void FeedFollower::FlushCursor() {
  int64_t handled = 0;
  {
    absl::MutexLock lock(&mu_);
    if (handled_ <= stored_) return;
    handled = handled_;
  }
  absl::Status status = pool_.InTransaction([&](db::Connection& conn) {
    store::SetFeedCursor(conn, handled);
    return absl::OkStatus();
  });
  if (status.ok()) {
    absl::MutexLock lock(&mu_);
    stored_ = std::max(stored_, handled);
  }
}

void FeedFollower::Loop() {
  std::shared_ptr<grpc::Channel> channel =
      grpc::CreateChannel(config_.membership_target, config_.credentials);
  std::unique_ptr<mv1::MembershipService::Stub> stub =
      mv1::MembershipService::NewStub(channel);
  absl::Duration backoff = config_.initial_backoff;
  while (true) {
    grpc::ClientContext context;
    mv1::WatchEventsRequest request;
    {
      absl::MutexLock lock(&mu_);
      if (stopping_) return;
      context_ = &context;
      request.set_after_sequence(handled_);
    }
    const std::string token = config_.token ? config_.token() : "";
    if (!token.empty()) {
      context.AddMetadata("authorization", absl::StrCat("Bearer ", token));
    }
    auto reader = stub->WatchEvents(&context, request);
    mv1::WatchEventsResponse response;
    int since_flush = 0;
    std::string error;
    while (reader->Read(&response)) {
      backoff = config_.initial_backoff;
      const int64_t sequence = response.event().sequence();
      {
        absl::MutexLock lock(&mu_);
        if (sequence <= handled_) continue;
      }
      // Retry one event until it is applied: skipping it would lose a
      // withdrawal for good.
      absl::StatusOr<bool> applied = Apply(response.event());
      if (!applied.ok()) {
        error = absl::StrCat("applying event ", sequence, ": ",
                             applied.status().message());
        context.TryCancel();
        break;
      }
      absl::MutexLock lock(&mu_);
      handled_ = sequence;
      if (*applied) {
        stored_ = std::max(stored_, sequence);
      } else if (++since_flush >= config_.cursor_flush_every) {
        since_flush = 0;
        mu_.Unlock();
        FlushCursor();
        mu_.Lock();
      }
    }
    grpc::Status status = reader->Finish();
    FlushCursor();
    absl::MutexLock lock(&mu_);
    context_ = nullptr;
    if (stopping_) return;
    if (error.empty()) {
      error = absl::StrCat("feed ended: ", status.error_code(), " ",
                           status.error_message());
    }
    log::Warn(
        "membership feed lost; reconnecting",
        {{"error", error},
         {"retry_in_ms", std::to_string(absl::ToInt64Milliseconds(backoff))}});
    auto stopping = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return stopping_;
    };
    mu_.AwaitWithTimeout(absl::Condition(&stopping), backoff);
    if (stopping_) return;
    backoff = std::min(backoff * 2, config_.max_backoff);
  }
}

bool FeedFollower::WaitForSequence(int64_t sequence,
                                   absl::Duration timeout) const {
  absl::MutexLock lock(&mu_);
  auto reached = [this, sequence]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return handled_ >= sequence;
  };
  return mu_.AwaitWithTimeout(absl::Condition(&reached), timeout);
}

}  // namespace unionhub::awards
