#include "common/rpc/feed_client.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/core/log.h"
#include "common/core/trace.h"
#include "common/rpc/peer_channel.h"
#include "common/rpc/status.h"

namespace unionhub::rpc {
namespace {

namespace mv1 = ::unionhub::membership::v1;

absl::Time RecordTime(const mv1::Event& event) {
  return absl::FromUnixSeconds(event.record_time().seconds());
}

}  // namespace

std::function<absl::StatusOr<int64_t>()> CursorReader(
    db::Pool& pool, std::function<int64_t(db::Connection&)> read) {
  return [&pool, read = std::move(read)]() -> absl::StatusOr<int64_t> {
    int64_t cursor = 0;
    absl::Status status = pool.Run([&](db::Connection& conn) {
      cursor = read(conn);
      return absl::OkStatus();
    });
    if (!status.ok()) return status;
    return cursor;
  };
}

FeedClient::FeedClient(FeedClientConfig config, FeedConsumer consumer)
    : config_(std::move(config)),
      consumer_(std::move(consumer)),
      channel_(BearerChannel(config_.membership_target, config_.credentials,
                             config_.token)) {}

FeedClient::~FeedClient() { Stop(); }

void FeedClient::Start() {
  absl::StatusOr<int64_t> cursor = consumer_.load_cursor
                                       ? consumer_.load_cursor()
                                       : absl::StatusOr<int64_t>(0);
  absl::MutexLock lock(&mu_);
  stopping_ = false;
  queue_.clear();
  read_error_.clear();
  apply_error_.clear();
  if (!cursor.ok()) {
    log::Error(
        absl::StrCat(config_.name, " cursor unreadable; starting from 0"),
        {{"error", std::string(cursor.status().message())}});
    apply_error_ = absl::StrCat(
        "the stored cursor could not be read (",
        StatusCodeName(static_cast<grpc::StatusCode>(cursor.status().code())),
        "); starting from 0");
  }
  // Resume right after the last applied event: whatever was queued but
  // not applied when we stopped is simply asked for again.
  const int64_t from = cursor.ok() ? *cursor : 0;
  applied_ = from;
  stored_ = from;
  queued_ = from;
  disconnected_since_ = absl::Now();
  reader_ = std::thread([this] { ReadLoop(); });
  applier_ = std::thread([this] { ApplyLoop(); });
}

void FeedClient::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
    if (stream_context_ != nullptr) stream_context_->TryCancel();
  }
  if (reader_.joinable()) reader_.join();
  if (applier_.joinable()) applier_.join();
  SaveCursor();
}

void FeedClient::ReadLoop() {
  std::unique_ptr<mv1::MembershipService::Stub> stub =
      mv1::MembershipService::NewStub(channel_);
  absl::Duration backoff = config_.initial_backoff;
  while (true) {
    // Each connection is a trace of its own: membership's log of the
    // stream and ours share its id.
    trace::Scope trace(trace::NewTrace());
    grpc::ClientContext context;
    mv1::WatchEventsRequest request;
    {
      absl::MutexLock lock(&mu_);
      if (stopping_) return;
      stream_context_ = &context;
      request.set_after_sequence(queued_);
    }
    std::unique_ptr<grpc::ClientReader<mv1::WatchEventsResponse>> reader =
        stub->WatchEvents(&context, request);
    bool announced = false;
    auto announce = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      if (announced) return;
      connected_ = true;
      announced = true;
      read_error_.clear();
      backoff = config_.initial_backoff;
      log::Info(absl::StrCat(config_.name, " connected"),
                {{"after_sequence", std::to_string(request.after_sequence())}});
    };
    // Membership opens the stream with its initial metadata before any
    // event: a quiet feed is connected (and its last error over) once that
    // arrives, not only when the next event does.
    reader->WaitForInitialMetadata();
    if (context.GetServerInitialMetadata().count(trace::kTraceresponse) > 0) {
      absl::MutexLock lock(&mu_);
      announce();
    }
    mv1::WatchEventsResponse response;
    std::string gap;
    while (reader->Read(&response)) {
      absl::MutexLock lock(&mu_);
      announce();
      const int64_t sequence = response.event().sequence();
      if (sequence <= queued_) continue;  // already have it
      if (sequence != queued_ + 1) {
        // Membership's feed has no gaps; one here means something was lost
        // on the way, so ask again from what we have.
        gap = absl::StrCat("expected event ", queued_ + 1, ", got ", sequence);
        context.TryCancel();
        break;
      }
      auto room = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return stopping_ || queue_.size() < config_.max_queued;
      };
      mu_.Await(absl::Condition(&room));
      if (stopping_) break;
      if (sequence != queued_ + 1) {
        // The applier went back to the stored cursor while we waited.
        gap = absl::StrCat("expected event ", queued_ + 1, ", got ", sequence);
        context.TryCancel();
        break;
      }
      queue_.push_back(response.event());
      queued_ = sequence;
      head_ = std::max({head_, sequence, response.head_sequence()});
    }
    // The stream ended only because we cancelled it (stop, or a gap) or
    // membership went away; either way look again after a pause.
    const grpc::Status status = reader->Finish();
    absl::MutexLock lock(&mu_);
    stream_context_ = nullptr;
    if (connected_) disconnected_since_ = absl::Now();
    connected_ = false;
    save_requested_ = true;
    if (stopping_) return;
    read_error_ = gap.empty()
                      ? absl::StrCat(config_.name, " lost (",
                                     StatusCodeName(status.error_code()),
                                     "); reconnecting")
                      : absl::StrCat(config_.name, " skipped an event (", gap,
                                     "); reconnecting");
    log::Warn(
        absl::StrCat(config_.name, " lost; reconnecting"),
        {{"error", gap.empty() ? status.error_message() : gap},
         {"code", StatusCodeName(status.error_code())},
         {"retry_in_ms", std::to_string(absl::ToInt64Milliseconds(backoff))}});
    auto stopping = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return stopping_;
    };
    mu_.AwaitWithTimeout(absl::Condition(&stopping), backoff);
    if (stopping_) return;
    backoff = std::min(backoff * 2, config_.max_backoff);
  }
}

void FeedClient::ApplyLoop() {
  absl::Duration backoff = config_.initial_backoff;
  while (true) {
    std::vector<mv1::Event> batch;
    bool save = false;
    {
      absl::MutexLock lock(&mu_);
      auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return stopping_ || !queue_.empty() || save_requested_;
      };
      mu_.Await(absl::Condition(&ready));
      if (stopping_) return;
      const size_t take = std::min(
          queue_.size(), static_cast<size_t>(std::max(1, config_.batch_size)));
      batch.assign(queue_.begin(), queue_.begin() + take);
      // After a disconnect the cursor is saved once the queue is drained.
      save = save_requested_ && queue_.size() == take;
      if (save) save_requested_ = false;
    }
    // Each batch is a trace of its own, for the log lines applying it.
    trace::Scope trace(trace::NewTrace());
    if (batch.empty()) {
      if (save) SaveCursor();
      continue;
    }
    absl::StatusOr<int64_t> stored = consumer_.apply(batch);
    if (stored.status().code() == absl::StatusCode::kOutOfRange) {
      Resynchronise(batch.front().sequence(), stored.status());
      continue;
    }
    {
      absl::MutexLock lock(&mu_);
      if (!stored.ok()) {
        log::Error(absl::StrCat(config_.name, " apply failed; retrying"),
                   {{"from_sequence", std::to_string(batch.front().sequence())},
                    {"error", std::string(stored.status().message())}});
        apply_error_ = absl::StrCat(
            "applying events from ", batch.front().sequence(), " failed (",
            StatusCodeName(
                static_cast<grpc::StatusCode>(stored.status().code())),
            "); retrying");
        if (save) save_requested_ = true;
        auto stopping = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
          return stopping_;
        };
        mu_.AwaitWithTimeout(absl::Condition(&stopping), backoff);
        backoff = std::min(backoff * 2, config_.max_backoff);
        continue;
      }
      backoff = config_.initial_backoff;
      apply_error_.clear();
      // Start() resets the queue only after Stop(), which joins this
      // thread first, so the front is still this batch.
      queue_.erase(queue_.begin(), queue_.begin() + batch.size());
      applied_ = std::max(applied_, batch.back().sequence());
      stored_ = std::max(stored_, *stored);
      last_event_time_ = RecordTime(batch.back());
      last_applied_time_ = absl::Now();
      save = save || applied_ - stored_ >= config_.cursor_flush_every;
    }
    if (save) SaveCursor();
  }
}

void FeedClient::Resynchronise(int64_t first, const absl::Status& why) {
  // Where the consumer really is; unreadable, stay put and retry later.
  absl::StatusOr<int64_t> cursor = consumer_.load_cursor
                                       ? consumer_.load_cursor()
                                       : absl::StatusOr<int64_t>(0);
  absl::MutexLock lock(&mu_);
  log::Error(absl::StrCat(config_.name, " gap; reading again from the cursor"),
             {{"from_sequence", std::to_string(first)},
              {"error", std::string(why.message())}});
  apply_error_ = absl::StrCat("event ", first,
                              " does not follow the stored cursor; reading "
                              "again from it");
  if (cursor.ok()) {
    queue_.clear();
    applied_ = *cursor;
    stored_ = *cursor;
    queued_ = *cursor;
    if (stream_context_ != nullptr) stream_context_->TryCancel();
  }
  auto stopping = [this]()
                      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return stopping_; };
  mu_.AwaitWithTimeout(absl::Condition(&stopping), config_.initial_backoff);
}

void FeedClient::SaveCursor() {
  if (!consumer_.save_cursor) return;
  int64_t applied = 0;
  {
    absl::MutexLock lock(&mu_);
    if (applied_ <= stored_) return;
    applied = applied_;
  }
  absl::Status saved = consumer_.save_cursor(applied);
  if (!saved.ok()) {
    // Harmless: the events after the stored cursor are replayed.
    log::Warn(absl::StrCat(config_.name, " cursor not saved"),
              {{"error", std::string(saved.message())}});
    return;
  }
  absl::MutexLock lock(&mu_);
  stored_ = std::max(stored_, applied);
}

FeedStatus FeedClient::Status() const {
  absl::MutexLock lock(&mu_);
  FeedStatus status;
  status.applied_sequence = applied_;
  status.head_sequence = std::max(head_, applied_);
  status.pending_events = static_cast<int64_t>(queue_.size());
  status.connected = connected_;
  status.disconnected_since = disconnected_since_;
  status.last_event_time = last_event_time_;
  status.last_applied_time = last_applied_time_;
  if (!queue_.empty()) status.oldest_pending_time = RecordTime(queue_.front());
  status.last_error = !apply_error_.empty() ? apply_error_ : read_error_;
  return status;
}

bool FeedClient::WaitForSequence(int64_t sequence,
                                 absl::Duration timeout) const {
  absl::MutexLock lock(&mu_);
  auto reached = [this, sequence]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return applied_ >= sequence;
  };
  return mu_.AwaitWithTimeout(absl::Condition(&reached), timeout);
}

absl::Duration FeedStatus::Behind(absl::Time now) const {
  if (!connected)
    return std::max(absl::ZeroDuration(), now - disconnected_since);
  if (pending_events > 0) {
    return std::max(absl::ZeroDuration(), now - oldest_pending_time);
  }
  return absl::ZeroDuration();
}

FeedLag FeedStatus::Lag(absl::Time now) const {
  FeedLag lag;
  lag.applied_sequence = applied_sequence;
  lag.head_sequence = head_sequence;
  lag.events_behind = std::max<int64_t>(0, head_sequence - applied_sequence);
  lag.seconds_behind = absl::ToDoubleSeconds(Behind(now));
  lag.connected = connected;
  return lag;
}

}  // namespace unionhub::rpc
