#include "common/db/timestamps.h"

#include "absl/time/time.h"

namespace unionhub::db {

void SetFromDbTimestamp(const std::string& text,
                        google::protobuf::Timestamp* out) {
  absl::Time time;
  std::string error;
  if (!absl::ParseTime("%Y-%m-%d %H:%M:%E*S", text, absl::UTCTimeZone(), &time,
                       &error)) {
    return;
  }
  const int64_t micros = absl::ToUnixMicros(time);
  out->set_seconds(micros / 1000000);
  out->set_nanos(static_cast<int32_t>(micros % 1000000) * 1000);
}

std::string DbTimestamp(const google::protobuf::Timestamp& timestamp) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%E6S",
                          absl::FromUnixSeconds(timestamp.seconds()) +
                              absl::Nanoseconds(timestamp.nanos()),
                          absl::UTCTimeZone());
}

}  // namespace unionhub::db
