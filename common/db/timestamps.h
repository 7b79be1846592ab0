// TIMESTAMP(6) columns (UTC, "YYYY-MM-DD HH:MM:SS.ffffff") to and from
// google.protobuf.Timestamp: one conversion for every store.
#ifndef UNIONHUB_COMMON_DB_TIMESTAMPS_H_
#define UNIONHUB_COMMON_DB_TIMESTAMPS_H_

#include <google/protobuf/timestamp.pb.h>

#include <string>

namespace unionhub::db {

// Leaves `out` untouched when `text` is not a database timestamp.
void SetFromDbTimestamp(const std::string& text,
                        google::protobuf::Timestamp* out);

std::string DbTimestamp(const google::protobuf::Timestamp& timestamp);

}  // namespace unionhub::db

#endif  // UNIONHUB_COMMON_DB_TIMESTAMPS_H_
