#include "common/rpc/audit_guard.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/core/log.h"

namespace unionhub::rpc {
namespace {

constexpr char32_t kReplacement = 0xFFFD;
constexpr char32_t kInvalid = 0xFFFFFFFF;

// Decodes one code point at `*i` (advancing past it); kInvalid for a byte
// that does not start a well-formed, shortest-form sequence (one byte is
// consumed then).
char32_t DecodeUtf8(absl::string_view s, size_t* i) {
  const auto b0 = static_cast<unsigned char>(s[*i]);
  if (b0 < 0x80) {
    ++*i;
    return b0;
  }
  int len = 0;
  char32_t c = 0;
  char32_t min = 0;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2, c = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3, c = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4, c = b0 & 0x07, min = 0x10000;
  } else {
    ++*i;
    return kInvalid;
  }
  if (*i + len > s.size()) {
    ++*i;
    return kInvalid;
  }
  for (int k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[*i + k]);
    if ((b & 0xC0) != 0x80) {
      ++*i;
      return kInvalid;
    }
    c = (c << 6) | (b & 0x3F);
  }
  if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
    ++*i;
    return kInvalid;
  }
  *i += len;
  return c;
}

bool Harmful(char32_t c) {
  return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x200E || c == 0x200F ||
         (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

void AppendUtf8(char32_t c, std::string& out) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

}  // namespace

std::string SanitizeAuditText(absl::string_view text, size_t max_chars) {
  std::string out;
  out.reserve(std::min(text.size(), max_chars * 4));
  size_t chars = 0;
  for (size_t i = 0; i < text.size() && chars < max_chars; ++chars) {
    char32_t c = DecodeUtf8(text, &i);
    if (c == kInvalid || Harmful(c)) c = kReplacement;
    AppendUtf8(c, out);
  }
  return out;
}

RefusalThrottle::RefusalThrottle(absl::Duration window, size_t max_keys,
                                 std::function<absl::Time()> clock)
    : window_(window),
      max_keys_(max_keys < 1 ? 1 : max_keys),
      clock_(std::move(clock)) {}

bool RefusalThrottle::ShouldRecord(absl::string_view key, int64_t* suppressed) {
  const absl::Time now = clock_();
  absl::MutexLock lock(&mu_);
  auto it = entries_.find(key);
  if (it == entries_.end()) {
    if (entries_.size() + 1 >= max_keys_) {
      // Past the bound all new keys share one entry (""), kept in reserve.
      key = "";
      it = entries_.find(key);
    }
    if (it == entries_.end()) {
      entries_.emplace(std::string(key), Entry{now, 0});
      *suppressed = 0;
      return true;
    }
  }
  Entry& entry = it->second;
  if (now - entry.last_written < window_) {
    ++entry.suppressed;
    return false;
  }
  *suppressed = entry.suppressed;
  entry = Entry{now, 0};
  return true;
}

namespace {
constexpr size_t kFlushBatch = 200;
}  // namespace

AuditSpool::AuditSpool(Writer writer, size_t capacity,
                       absl::Duration retry_every)
    : writer_(std::move(writer)),
      capacity_(std::max<size_t>(capacity, 1)),
      retry_every_(retry_every) {}

AuditSpool::~AuditSpool() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (drainer_.joinable()) drainer_.join();
  absl::MutexLock lock(&mu_);
  if (!waiting_.empty() || dropped_unreported_ > 0) {
    log::Error(
        "audit records lost at shutdown (the database did not take "
        "them)",
        {{"records", absl::StrCat(waiting_.size() + dropped_unreported_)}});
  }
}

void AuditSpool::Record(AuditRow row) {
  {
    absl::MutexLock lock(&mu_);
    if (!waiting_.empty() || stopping_) {
      Enqueue(std::move(row));
      return;
    }
  }
  absl::Status written;
  {
    absl::MutexLock write_lock(&write_mu_);
    written = writer_({row});
  }
  if (written.ok()) return;
  absl::MutexLock lock(&mu_);
  if (waiting_.empty()) {
    log::Error(
        "could not write the audit trail; holding records until the "
        "database takes them",
        {{"method", row.method}, {"error", std::string(written.message())}});
  }
  Enqueue(std::move(row));
}

void AuditSpool::Enqueue(AuditRow row) {
  if (waiting_.size() >= capacity_) {
    ++dropped_;
    ++dropped_unreported_;
    if (!overflowing_) {
      overflowing_ = true;
      log::Error(
          "audit spool full: further records are dropped until the "
          "database takes the waiting ones",
          {{"capacity", absl::StrCat(capacity_)}});
    }
    return;
  }
  waiting_.push_back(std::move(row));
  if (!drainer_.joinable() && !stopping_) {
    drainer_ = std::thread([this] { Drain(); });
  }
}

size_t AuditSpool::pending() {
  absl::MutexLock lock(&mu_);
  return waiting_.size();
}

int64_t AuditSpool::dropped() {
  absl::MutexLock lock(&mu_);
  return dropped_;
}

bool AuditSpool::HasWork() {
  return !waiting_.empty() || dropped_unreported_ > 0 || stopping_;
}

int64_t AuditSpool::FlushOnce() {
  std::vector<AuditRow> batch;
  size_t spooled = 0;
  int64_t lost = 0;
  {
    absl::MutexLock lock(&mu_);
    spooled = std::min(waiting_.size(), kFlushBatch);
    batch.assign(waiting_.begin(), waiting_.begin() + spooled);
    // The loss is recorded after the rows that were kept, i.e. where the
    // missing ones would have been.
    if (spooled == waiting_.size() && dropped_unreported_ > 0) {
      lost = dropped_unreported_;
      AuditRow row;
      row.recorded_at = absl::Now();
      row.actor = "unionhub";
      row.method = kOverflowMethod;
      row.result = "DATA_LOSS";
      row.detail = absl::StrCat(lost,
                                " audit records were dropped while the "
                                "database was unreachable (spool capacity ",
                                capacity_, ")");
      batch.push_back(std::move(row));
    }
  }
  if (batch.empty()) return 0;
  absl::Status written;
  {
    absl::MutexLock write_lock(&write_mu_);
    written = writer_(batch);
  }
  if (!written.ok()) return -1;
  absl::MutexLock lock(&mu_);
  // Only this thread removes rows, so the first `spooled` are the batch.
  waiting_.erase(waiting_.begin(), waiting_.begin() + spooled);
  dropped_unreported_ -= lost;
  if (waiting_.empty()) overflowing_ = false;
  return static_cast<int64_t>(spooled);
}

void AuditSpool::Drain() {
  int64_t written_total = 0;
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(this, &AuditSpool::HasWork));
      if (waiting_.empty() && dropped_unreported_ == 0) return;  // stopping
    }
    const int64_t flushed = FlushOnce();
    absl::MutexLock lock(&mu_);
    if (flushed >= 0) {
      written_total += flushed;
      if (waiting_.empty()) {
        log::Info("audit trail: held records written",
                  {{"records", absl::StrCat(written_total)}});
        written_total = 0;
      }
    } else {
      // Retried until the database takes them; a stop ends the retries.
      if (stopping_) return;
      mu_.AwaitWithTimeout(absl::Condition(&stopping_), retry_every_);
    }
  }
}

}  // namespace unionhub::rpc
