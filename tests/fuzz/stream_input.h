// The import fuzzers read their input as a client stream would arrive:
// length-delimited messages (varint size, then the bytes) one after the
// other, as AppendMessage below writes them (make_seeds.cc).
#ifndef UNIONHUB_TESTS_FUZZ_STREAM_INPUT_H_
#define UNIONHUB_TESTS_FUZZ_STREAM_INPUT_H_

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/stubs/logging.h>
#include <google/protobuf/util/delimited_message_util.h>

#include <cstddef>
#include <cstdint>
#include <string>

namespace unionhub::fuzz {

// Protobuf logs every string that is not UTF-8 while parsing: a fuzzer
// would spend its time writing those lines. Call once.
inline void QuietProtobufLogs() {
  static const bool quiet = [] {
    google::protobuf::SetLogHandler(nullptr);
    return true;
  }();
  (void)quiet;
}

// Calls `each(message)` for every message of the stream in `data`, stopping
// at the end or at the first one that does not parse (as gRPC ends a
// stream whose message does not parse). At most `max_messages`.
template <typename Message, typename Each>
void ForEachMessage(const uint8_t* data, size_t size, Each each,
                    int max_messages = 256) {
  QuietProtobufLogs();
  google::protobuf::io::CodedInputStream in(data, static_cast<int>(size));
  for (int i = 0; i < max_messages; ++i) {
    Message message;
    bool clean_eof = false;
    if (!google::protobuf::util::ParseDelimitedFromCodedStream(&message, &in,
                                                               &clean_eof)) {
      return;
    }
    each(message);
  }
}

// Appends `message` to a stream in that format.
template <typename Message>
void AppendMessage(const Message& message, std::string* out) {
  google::protobuf::io::StringOutputStream stream(out);
  google::protobuf::util::SerializeDelimitedToZeroCopyStream(message, &stream);
}

}  // namespace unionhub::fuzz

#endif  // UNIONHUB_TESTS_FUZZ_STREAM_INPUT_H_
