#include "services/finance/roster_consumer.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/core/log.h"
#include "services/finance/roster_hooks.h"
#include "services/finance/store/roster_store.h"

namespace unionhub::finance {
namespace {

namespace mv1 = ::unionhub::membership::v1;

// Events read ahead of the applier at most; the reader waits beyond this.
constexpr size_t kMaxQueued = 20000;

google::protobuf::Timestamp ToProto(absl::Time time) {
  google::protobuf::Timestamp out;
  if (time == absl::InfinitePast()) return out;
  out.set_seconds(absl::ToUnixSeconds(time));
  return out;
}

}  // namespace

RosterConsumer::RosterConsumer(db::Pool& pool, RosterConsumerConfig config)
    : pool_(pool), config_(std::move(config)) {}

RosterConsumer::~RosterConsumer() { Stop(); }

void RosterConsumer::Start() {
  int64_t cursor = 0;
  absl::Status loaded = pool_.Run([&](db::Connection& conn) {
    cursor = store::RosterCursor(conn);
    return absl::OkStatus();
  });
  {
    absl::MutexLock lock(&mu_);
    if (!loaded.ok()) last_error_ = std::string(loaded.message());
    stopping_ = false;
    queue_.clear();
    // Resume right after the last applied event: whatever was queued but
    // not applied when we stopped is simply asked for again.
    applied_sequence_ = cursor;
    queued_sequence_ = cursor;
    disconnected_since_ = absl::Now();
  }
  reader_ = std::thread([this] { ReadLoop(); });
  applier_ = std::thread([this] { ApplyLoop(); });
}

void RosterConsumer::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
    if (stream_context_ != nullptr) stream_context_->TryCancel();
  }
  if (reader_.joinable()) reader_.join();
  if (applier_.joinable()) applier_.join();
}

void RosterConsumer::ReadLoop() {
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
      stream_context_ = &context;
      request.set_after_sequence(queued_sequence_);
    }
    const std::string token = config_.token ? config_.token() : "";
    if (!token.empty()) {
      context.AddMetadata("authorization", absl::StrCat("Bearer ", token));
    }
    std::unique_ptr<grpc::ClientReader<mv1::WatchEventsResponse>> reader =
        stub->WatchEvents(&context, request);
    mv1::WatchEventsResponse response;
    bool announced = false;
    std::string gap;
    while (reader->Read(&response)) {
      absl::MutexLock lock(&mu_);
      if (!announced) {
        connected_ = true;
        announced = true;
        backoff = config_.initial_backoff;
        log::Info(
            "roster feed connected",
            {{"after_sequence", std::to_string(request.after_sequence())}});
      }
      const int64_t sequence = response.event().sequence();
      if (sequence <= queued_sequence_) continue;  // already have it
      if (sequence != queued_sequence_ + 1) {
        // Membership's feed has no gaps; one here means something was lost
        // on the way, so ask again from what we have.
        gap = absl::StrCat("expected event ", queued_sequence_ + 1, ", got ",
                           sequence);
        context.TryCancel();
        break;
      }
      auto room = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return stopping_ || queue_.size() < kMaxQueued;
      };
      mu_.Await(absl::Condition(&room));
      if (stopping_) break;
      queue_.push_back(response.event());
      queued_sequence_ = sequence;
    }
    // The stream ended only because we cancelled it (stop, or a gap) or
    // membership went away; either way look again after a pause.
    grpc::Status status = reader->Finish();
    absl::MutexLock lock(&mu_);
    stream_context_ = nullptr;
    if (connected_) disconnected_since_ = absl::Now();
    connected_ = false;
    if (stopping_) return;
    last_error_ = gap.empty()
                      ? absl::StrCat("feed ended: ", status.error_code(), " ",
                                     status.error_message())
                      : gap;
    log::Warn(
        "roster feed lost; reconnecting",
        {{"error", last_error_},
         {"retry_in_ms", std::to_string(absl::ToInt64Milliseconds(backoff))}});
    auto stopping = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return stopping_;
    };
    mu_.AwaitWithTimeout(absl::Condition(&stopping), backoff);
    if (stopping_) return;
    backoff = std::min(backoff * 2, config_.max_backoff);
  }
}

void RosterConsumer::ApplyLoop() {
  absl::Duration backoff = config_.initial_backoff;
  while (true) {
    std::vector<mv1::Event> batch;
    {
      absl::MutexLock lock(&mu_);
      auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return stopping_ || !queue_.empty();
      };
      mu_.Await(absl::Condition(&ready));
      if (stopping_) return;
      const size_t take =
          std::min(queue_.size(), static_cast<size_t>(config_.batch_size));
      batch.assign(queue_.begin(), queue_.begin() + take);
    }
    absl::StatusOr<int64_t> cursor;
    absl::Status status = pool_.InTransaction([&](db::Connection& conn) {
      cursor = store::ApplyRosterEvents(conn, batch, &OnUnionEstablished);
      return cursor.status();
    });
    absl::MutexLock lock(&mu_);
    if (!status.ok()) {
      last_error_ =
          absl::StrCat("applying events from ", batch.front().sequence(), ": ",
                       status.message());
      log::Error("roster apply failed; retrying", {{"error", last_error_}});
      auto stopping = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return stopping_;
      };
      mu_.AwaitWithTimeout(absl::Condition(&stopping), backoff);
      backoff = std::min(backoff * 2, config_.max_backoff);
      continue;
    }
    backoff = config_.initial_backoff;
    // Start() may have reset the queue meanwhile only after Stop(), which
    // joins this thread first, so the front is still this batch.
    queue_.erase(queue_.begin(), queue_.begin() + batch.size());
    applied_sequence_ = std::max(applied_sequence_, *cursor);
    last_event_time_ =
        absl::FromUnixSeconds(batch.back().record_time().seconds());
    last_applied_time_ = absl::Now();
  }
}

v1::GetRosterStatusResponse RosterConsumer::Status() const {
  absl::MutexLock lock(&mu_);
  v1::GetRosterStatusResponse status;
  status.set_last_applied_sequence(applied_sequence_);
  *status.mutable_last_event_time() = ToProto(last_event_time_);
  *status.mutable_last_applied_time() = ToProto(last_applied_time_);
  status.set_connected(connected_);
  status.set_pending_events(static_cast<int64_t>(queue_.size()));
  const absl::Time now = absl::Now();
  if (!connected_) {
    status.set_lag_seconds(absl::ToInt64Seconds(now - disconnected_since_));
  } else if (!queue_.empty()) {
    const absl::Time oldest =
        absl::FromUnixSeconds(queue_.front().record_time().seconds());
    status.set_lag_seconds(
        std::max<int64_t>(0, absl::ToInt64Seconds(now - oldest)));
  }
  status.set_last_error(last_error_);
  return status;
}

bool RosterConsumer::WaitForSequence(int64_t sequence,
                                     absl::Duration timeout) const {
  absl::MutexLock lock(&mu_);
  auto reached = [this, sequence]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return applied_sequence_ >= sequence;
  };
  return mu_.AwaitWithTimeout(absl::Condition(&reached), timeout);
}

}  // namespace unionhub::finance
